/*
 * keys.c — the keys of the interactive planner, as the help overlay lists
 * them (ui.h).  app.c handles exactly these.
 */
#include "config.h"

#include "ui.h"

const struct tui_keyhelp tui_keyhelp[] = {
	{ "Tab, Shift-Tab", "next / previous pane" },
	{ "Up Down, k j", "inputs: field; details: scroll" },
	{ "Left Right, h l", "inputs: change value; results: path;" },
	{ "", "chart: budget down / up" },
	{ "Enter", "edit the field, or take the next choice;" },
	{ "", "results: details" },
	{ "+  -", "budget up / down by sqrt(10)" },
	{ "u", "unit: FLOPs, device-hours, USD" },
	{ "c", "compare with another law set (or none)" },
	{ "w", "keep plans inside the laws' fit ranges" },
	{ "b", "uncertainty bands (laws with a covariance)" },
	{ "i", "the law set: source, provenance, assumptions" },
	{ "e", "export the plan (.json .yaml .csv .svg .txt)" },
	{ "?  Ctrl-L", "this help; redraw the screen" },
	{ "q", "quit" },
	{ "editing:", "Enter apply, Esc cancel, Ctrl-U clear" },
	{ "budget text:", "1e22, 3e21 flops, 2000 hours, $300k" },
	{ "N1 / D1:", "a number or none; D1 may end in paid or sunk" },
	{ "target, tokens:", "a loss or a count, or none" },
	{ "layout:", "a value, or auto (searched); Left Right step" },
};

const size_t tui_n_keyhelp = sizeof tui_keyhelp / sizeof tui_keyhelp[0];
