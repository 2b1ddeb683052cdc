/*
 * app_keys.c — what each key of the interactive planner does (the help
 * overlay's table, tui_keyhelp in keys.c, lists them): moving between
 * panes and fields, changing inputs, the edit line, export, quit.  Part of
 * app.h.
 */
#include "config.h"

#include "app.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/layout_spec.h"

/* Path sets the Paths input cycles through (bit 1<<path; 0 = all). */
static const unsigned path_sets[] = {
	0, 1u << PATH_DENSE, 1u << PATH_MOE, 1u << PATH_UPCYCLE,
	1u << PATH_DENSE | 1u << PATH_MOE, 1u << PATH_DENSE | 1u << PATH_UPCYCLE,
	1u << PATH_MOE | 1u << PATH_UPCYCLE,
};
#define N_PATH_SETS (int)(sizeof path_sets / sizeof path_sets[0])

/* ---- budget and unit --------------------------------------------------- */

static void budget_step(struct app *a, int dir)
{
	struct app_inputs before = a->in;

	a->in.budget = view_budget_step(a->in.budget, dir);
	app_apply(a, &before);
}

/* v to two significant digits: a converted budget reads as typed. */
static double round2(double v)
{
	double p = pow(10, floor(log10(v)) - 1);

	return round(v / p) * p;
}

/* The profile to use when a unit needs one and none is chosen. */
static int default_hw(const struct app *a)
{
	for (size_t i = 0; i < a->n_hw; i++)
		if (strcmp(a->hw[i].name, "h100-sxm") == 0)
			return (int)i;
	return a->n_hw > 0 ? 0 : -1;
}

/* What the plan now spends, in unit `to`: device-hours and USD convert
 * into each other by the price; otherwise the winning path's new spend
 * (without a sunk checkpoint) in FLOPs, device-hours or cost. */
static int convert_budget(const struct app *a, enum budget_unit to, double *out,
                          struct mp_error *err)
{
	const struct plan_path *pp;
	double v;

	if (a->in.unit == to) {
		*out = a->in.budget;
		return 0;
	}
	if (a->in.unit != UNIT_FLOPS && to != UNIT_FLOPS)
		v = units_budget_from_solver(to, units_budget_to_solver(
			a->in.unit, a->in.budget, a->req.price), a->req.price);
	else if (a->plan.best < 0)
		return mp_error_set(err, "no plan whose cost to show in %s",
		                    view_unit_label(to));
	else {
		pp = &a->plan.path[a->plan.best];
		v = to == UNIT_FLOPS ? pp->flops - pp->flops_sunk :
		    to == UNIT_HOURS ? pp->hours : pp->usd;
	}
	if (!isfinite(v) || v <= 0)
		return mp_error_set(err, "cannot state the budget in %s: %s",
		                    view_unit_label(to), to == UNIT_USD ?
		                    "the hardware profile has no price" :
		                    "the plan has no time for it");
	*out = round2(v);
	return 0;
}

/* Switch the budget's unit, keeping about the same plan: the new budget is
 * what the current plan spends in the new unit. */
static void set_unit(struct app *a, enum budget_unit to)
{
	struct app_inputs before = a->in;
	struct mp_error e;
	int picked = 0;
	double v = NAN;

	if (to != UNIT_FLOPS && a->in.hw < 0) {
		if ((a->in.hw = default_hw(a)) < 0) {
			app_status(a, 1, "no hardware profile found: %s need one",
			           view_unit_label(to));
			return;
		}
		if (app_apply(a, &before) != 0)
			return;
		picked = 1;
	}
	if (convert_budget(a, to, &v, &e) != 0) {
		a->in = before;
		app_apply(a, &before);
		app_status(a, 1, "%s", e.msg);
		return;
	}
	a->in.unit = to;
	a->in.budget = v;
	if (app_apply(a, &before) != 0)
		return;
	if (picked)
		app_status(a, 0, "%s need hardware: using %s (change it under Hardware)",
		           view_unit_label(to), a->hw[a->in.hw].name);
	else
		app_status(a, 0, "budget now in %s: what the last plan took",
		           view_unit_label(to));
}

static void unit_cycle(struct app *a, int dir)
{
	static const enum budget_unit order[] = { UNIT_FLOPS, UNIT_HOURS, UNIT_USD };
	int i = 0;

	while (i < 3 && order[i] != a->in.unit)
		i++;
	set_unit(a, order[((i % 3) + (dir > 0 ? 1 : 2)) % 3]);
}

/* ---- choices ----------------------------------------------------------- */

enum choice { CH_HW, CH_MODEL, CH_PATHS };

/* Option i of a choice into the inputs. */
static void choose(struct app_inputs *in, enum choice c, int i)
{
	switch (c) {
	case CH_HW:
		in->hw = i;
		break;
	case CH_MODEL:
		in->model = i;
		break;
	case CH_PATHS:
		in->paths = path_sets[i];
		break;
	}
}

/* Step a choice by dir, skipping options that cannot be planned (a law
 * set with no fitted law, a path set the law set lacks, no hardware while
 * the budget is in hours). */
static void cycle(struct app *a, enum choice c, int dir)
{
	struct app_inputs before = a->in;
	struct mp_error e, first;
	int lo = c == CH_HW ? -1 : 0, cur;
	int n = c == CH_HW ? (int)a->n_hw + 1 : c == CH_MODEL ? (int)a->n_models :
	        N_PATH_SETS;

	if (n == 0) {
		app_status(a, 1, "no law sets found to choose from");
		return;
	}
	cur = c == CH_HW ? a->in.hw : c == CH_MODEL ? a->in.model : 0;
	for (int i = 0; c == CH_PATHS && i < N_PATH_SETS; i++)
		if (path_sets[i] == a->in.paths)
			cur = i;
	if (cur < lo)
		cur = dir > 0 ? lo - 1 : lo + n;    /* from off the list */
	first.msg[0] = '\0';
	for (int t = 1; t <= n; t++) {
		int i = lo + ((cur - lo + t * (dir > 0 ? 1 : -1)) % n + n) % n;

		a->in = before;
		choose(&a->in, c, i);
		if (app_try(a, &e) == 0) {
			if (first.msg[0])
				app_status(a, 0, "skipped what cannot be planned: %s", first.msg);
			return;
		}
		if (!first.msg[0])
			first = e;
	}
	a->in = before;
	app_apply(a, &before);
	app_status(a, 1, "%s", first.msg[0] ? first.msg : "nothing else to choose");
}

/* The law set compared with: none, or one of the others, skipping those
 * that cannot plan these inputs (a note says why while it is chosen). */
static void compare_cycle(struct app *a, int dir)
{
	struct app_inputs before = a->in;
	int n = (int)a->n_models + 1;          /* -1 (none), 0 .. n_models-1 */

	for (int t = 1; t <= n; t++) {
		int i = ((before.compare + 1 + (dir > 0 ? t : n - t)) % n) - 1;

		if (i >= 0 && i == a->in.model)
			continue;
		a->in = before;
		a->in.compare = i;
		if (app_apply(a, &before) != 0)
			return;
		if (i < 0 || a->has_cmp) {
			app_status(a, 0, i < 0 ? "no comparison" :
			           "comparing with %s", a->models[i]);
			return;
		}
	}
	a->in = before;
	app_apply(a, &before);
	app_status(a, 1, "no other law set can plan these inputs");
}

static void toggle_fit(struct app *a)
{
	struct app_inputs before = a->in;

	a->in.within_fit = !a->in.within_fit;
	if (app_apply(a, &before) == 0)
		app_status(a, 0, a->in.within_fit ? "plans kept inside the laws' fit "
		           "ranges" : "plans free to extrapolate");
}

/* b: the chart's uncertainty bands on or off; a law set with no
 * covariance says so. */
static void toggle_bands(struct app *a)
{
	struct mp_error e;
	struct unc *u = calloc(1, sizeof *u);
	char what[160] = "";

	a->in.bands = !a->in.bands;
	if (u != NULL && a->in.bands && unc_init(u, &a->req, &e) == 0 &&
	    u->n_laws == 0 && u->n_point > 0)
		snprintf(what, sizeof what, "law %.60s/%.60s has no covariance: no "
		         "uncertainty", u->point[0]->model, u->point[0]->name);
	if (u != NULL)
		unc_free(u);
	free(u);
	if (app_view(a, &e) != 0)
		app_status(a, 1, "%s", e.msg);
	else if (what[0] != '\0')
		app_status(a, 0, "bands: %s", what);
	else
		app_status(a, 0, a->in.bands ? "bands: p10-p90 of %zu draws of the "
		           "fitted laws' coefficients, computed between keys" :
		           "bands off", a->band.draws);
}

static void scale_input(struct app *a, double *v, int dir, double by)
{
	struct app_inputs before = a->in;

	if (!isfinite(*v)) {
		app_status(a, 0, "Enter to give a value");
		return;
	}
	*v = dir > 0 ? *v * by : *v / by;
	app_apply(a, &before);
}

/* ---- the layout's pins ----------------------------------------------- */

/* The --layout key of a layout input. */
static const char *pin_key(enum view_input f)
{
	return layout_spec_key[f - VIN_LAYOUT_FIRST];
}

/* Left / right on a layout input: a degree or the micro-batch doubles or
 * halves (right from auto: 1; left from 1: auto); the ZeRO stage and the
 * recomputation policy step through their values and auto. */
static void pin_step(struct app *a, int dir)
{
	static const char *const zero[] = { "auto", "0", "1", "2", "3" };
	static const char *const rec[] = { "auto", "none", "selective", "full" };
	struct app_inputs before = a->in;
	const char *key = pin_key(a->ui.field);
	char cur[16], next[24];
	struct mp_error e;
	long v;

	layout_spec_get(&a->in.pin, key, cur, sizeof cur);
	if (a->ui.field == VIN_ZERO || a->ui.field == VIN_RECOMPUTE) {
		const char *const *w = a->ui.field == VIN_ZERO ? zero : rec;
		int n = a->ui.field == VIN_ZERO ? 5 : 4, i = 0;

		while (i < n && strcmp(w[i], cur) != 0)
			i++;
		snprintf(next, sizeof next, "%s", w[((i % n) + (dir > 0 ? 1 : n - 1)) % n]);
	} else {
		v = strcmp(cur, "auto") == 0 ? 0 : strtol(cur, NULL, 10);
		v = dir > 0 ? (v > 0 ? 2 * v : 1) : v / 2;
		if (v > 0)
			snprintf(next, sizeof next, "%ld", v);
		else
			snprintf(next, sizeof next, "auto");
	}
	if (layout_spec_set(&a->in.pin, key, next, &e) != 0) {
		a->in = before;
		app_status(a, 1, "%s", e.msg);
		return;
	}
	if (app_apply(a, &before) == 0)
		app_status(a, 0, "layout %s = %s", key, next);
}

/* The target loss: Left lowers it (harder), Right raises it, by 0.01
 * nats; from none, the loss of the budget's best plan. */
static void target_step(struct app *a, int dir)
{
	struct app_inputs before = a->in;

	if (isnan(a->in.target)) {
		if (a->plan.best < 0) {
			app_status(a, 1, "target: no plan to start from; type a loss");
			return;
		}
		a->in.target = a->plan.path[a->plan.best].loss;
	} else {
		a->in.target += 0.01 * dir;
	}
	if (!(a->in.target > 0)) {
		a->in = before;
		return;
	}
	if (app_apply(a, &before) == 0)
		app_status(a, 0, "target loss %.4f: each path's least cost to it",
		           a->in.target);
}

/* A count input stepped by half a decade (from none: first). */
static void count_step(struct app *a, double *v, int dir, double first)
{
	struct app_inputs before = a->in;

	*v = *v > 0 ? *v * pow(sqrt(10), dir) : first;
	app_apply(a, &before);
}

/* Left / right on the focused input. */
static void field_change(struct app *a, int dir)
{
	struct app_inputs before = a->in;

	switch (a->ui.field) {
	case VIN_BUDGET:
		budget_step(a, dir);
		break;
	case VIN_UNIT:
		unit_cycle(a, dir);
		break;
	case VIN_DEVICES:
		a->in.devices = dir > 0 ? a->in.devices * 2 :
		                a->in.devices > 1 ? a->in.devices / 2 : 1;
		app_apply(a, &before);
		break;
	case VIN_HARDWARE:
		cycle(a, CH_HW, dir);
		break;
	case VIN_LAWS:
		cycle(a, CH_MODEL, dir);
		break;
	case VIN_COMPARE:
		compare_cycle(a, dir);
		break;
	case VIN_PATHS:
		cycle(a, CH_PATHS, dir);
		break;
	case VIN_FIT:
		toggle_fit(a);
		break;
	case VIN_CKPT_N1:
		scale_input(a, &a->in.ckpt_N1, dir, sqrt(10));
		break;
	case VIN_CKPT_D1:
		scale_input(a, &a->in.ckpt_D1, dir, sqrt(10));
		break;
	case VIN_TARGET:
		target_step(a, dir);
		break;
	case VIN_INFER:
		count_step(a, &a->in.inference, dir, 1e12);
		break;
	case VIN_UNIQUE:
		count_step(a, &a->in.unique, dir, 1e11);
		break;
	default:
		if (a->ui.field >= VIN_LAYOUT_FIRST && a->ui.field < VIN_COUNT)
			pin_step(a, dir);
		break;
	}
}

/* ---- the edit line ----------------------------------------------------- */

static void start_edit(struct app *a, enum tui_edit what)
{
	char *b = a->ui.edit_buf;
	size_t n = sizeof a->ui.edit_buf;

	a->ui.edit = what;
	b[0] = '\0';
	if (what == EDIT_EXPORT) {
		snprintf(b, n, "%s", a->export_path);
		return;
	}
	switch (a->ui.field) {
	case VIN_BUDGET:
		snprintf(b, n, a->in.unit == UNIT_USD ? "$%.4g" : a->in.unit == UNIT_HOURS ?
		         "%.4g hours" : "%.4g", a->in.budget);
		break;
	case VIN_DEVICES:
		snprintf(b, n, "%d", a->in.devices);
		break;
	case VIN_CKPT_N1:
		if (isfinite(a->in.ckpt_N1))
			snprintf(b, n, "%.4g", a->in.ckpt_N1);
		break;
	case VIN_CKPT_D1:
		if (isfinite(a->in.ckpt_D1))
			snprintf(b, n, "%.4g %s", a->in.ckpt_D1,
			         a->in.ckpt_paid ? "paid" : "sunk");
		break;
	case VIN_TARGET:
		if (isfinite(a->in.target))
			snprintf(b, n, "%.4f", a->in.target);
		break;
	case VIN_INFER:
		if (a->in.inference > 0)
			snprintf(b, n, "%.4g", a->in.inference);
		break;
	case VIN_UNIQUE:
		if (a->in.unique > 0)
			snprintf(b, n, "%.4g", a->in.unique);
		break;
	default:
		if (a->ui.field >= VIN_LAYOUT_FIRST && a->ui.field < VIN_COUNT)
			layout_spec_get(&a->in.pin, pin_key(a->ui.field), b, n);
		break;
	}
}

/* N1 or D1: a number, or none / - / nothing to clear it. */
static int parse_ckpt(const char *text, double *v, struct mp_error *err)
{
	while (isspace((unsigned char)*text))
		text++;
	if (*text == '\0' || strcmp(text, "none") == 0 || strcmp(text, "-") == 0) {
		*v = NAN;
		return 0;
	}
	if (units_parse_number(text, v, err) != 0)
		return -1;
	if (!(*v > 0))
		return mp_error_set(err, "must be positive");
	return 0;
}

/* D1's text may end in "paid" or "sunk". */
static int parse_d1(struct app *a, char *text, struct mp_error *err)
{
	size_t n = strlen(text);

	while (n > 0 && isspace((unsigned char)text[n - 1]))
		text[--n] = '\0';
	if (n >= 4 && (strcmp(text + n - 4, "paid") == 0 ||
	               strcmp(text + n - 4, "sunk") == 0)) {
		a->in.ckpt_paid = text[n - 4] == 'p';
		text[n - 4] = '\0';
	}
	return parse_ckpt(text, &a->in.ckpt_D1, err);
}

static int parse_budget(struct app *a, const char *text, struct mp_error *err)
{
	enum budget_unit u;
	double v;

	if (units_parse_budget(text, &v, &u, err) != 0)
		return -1;
	a->in.budget = v;
	a->in.unit = u == UNIT_NONE ? a->in.unit : u;
	if (a->in.unit != UNIT_FLOPS && a->in.hw < 0 && (a->in.hw = default_hw(a)) < 0)
		return mp_error_set(err, "no hardware profile found for a budget in %s",
		                    view_unit_label(a->in.unit));
	return 0;
}

static void commit_field(struct app *a)
{
	struct app_inputs before = a->in;
	struct mp_error e;
	char *text = a->ui.edit_buf;
	double v;
	int rc = 0;

	switch (a->ui.field) {
	case VIN_BUDGET:
		rc = parse_budget(a, text, &e);
		break;
	case VIN_DEVICES:
		if ((rc = units_parse_number(text, &v, &e)) == 0 &&
		    (v < 1 || v > 1e7 || v != floor(v)))
			rc = mp_error_set(&e, "devices: a whole number from 1 to 10M");
		if (rc == 0)
			a->in.devices = (int)v;
		break;
	case VIN_CKPT_N1:
		rc = parse_ckpt(text, &a->in.ckpt_N1, &e);
		break;
	case VIN_CKPT_D1:
		rc = parse_d1(a, text, &e);
		break;
	case VIN_TARGET:
		if ((rc = parse_ckpt(text, &a->in.target, &e)) == 0 &&
		    !(isnan(a->in.target) || a->in.target < LAW_MAX_LOSS))
			rc = mp_error_set(&e, "a loss in nats below %g", LAW_MAX_LOSS);
		break;
	case VIN_INFER:
		if ((rc = parse_ckpt(text, &v, &e)) == 0)
			a->in.inference = isnan(v) ? 0 : v;
		if (rc == 0 && a->in.inference > 1e20)
			rc = mp_error_set(&e, "at most 1e20 tokens");
		break;
	case VIN_UNIQUE:
		if ((rc = parse_ckpt(text, &v, &e)) == 0)
			a->in.unique = isnan(v) ? 0 : v;
		if (rc == 0 && a->in.unique > 0 &&
		    !(a->in.unique >= 1e3 && a->in.unique <= 1e16))
			rc = mp_error_set(&e, "from 1e3 to 1e16 tokens");
		break;
	default:
		if (a->ui.field >= VIN_LAYOUT_FIRST && a->ui.field < VIN_COUNT)
			rc = layout_spec_set(&a->in.pin, pin_key(a->ui.field),
			                     text[0] ? text : "auto", &e);
		break;
	}
	if (rc != 0) {
		a->in = before;
		app_status(a, 1, "%s: %s", a->view.in[a->ui.field].label, e.msg);
		return;
	}
	if (app_apply(a, &before) == 0 && before.hw < 0 && a->in.hw >= 0)
		app_status(a, 0, "%s need hardware: using %s (change it under Hardware)",
		           view_unit_label(a->in.unit), a->hw[a->in.hw].name);
}

static void commit_export(struct app *a)
{
	struct mp_error e;
	const char *path = a->ui.edit_buf;

	while (isspace((unsigned char)*path))
		path++;
	if (*path == '\0') {
		app_status(a, 1, "export: no file name given");
		return;
	}
	snprintf(a->export_path, sizeof a->export_path, "%s", path);
	if (app_export(a, a->export_path, &e) != 0)
		app_status(a, 1, "export: %s", e.msg);
	else
		app_status(a, 0, "wrote %s", a->export_path);
}

static void edit_key(struct app *a, int key)
{
	char *b = a->ui.edit_buf;
	size_t n = strlen(b);

	if (key == TK_ESC) {
		a->ui.edit = EDIT_NONE;
		app_status(a, 0, "cancelled");
	} else if (key == TK_ENTER) {
		enum tui_edit what = a->ui.edit;

		a->ui.edit = EDIT_NONE;
		if (what == EDIT_EXPORT)
			commit_export(a);
		else
			commit_field(a);
	} else if (key == TK_BACKSPACE) {
		if (n > 0)
			b[n - 1] = '\0';
	} else if (key == TK_KILL) {
		b[0] = '\0';
	} else if (key >= 0x20 && key < 0x7f && n + 1 < sizeof a->ui.edit_buf) {
		b[n] = (char)key;
		b[n + 1] = '\0';
	}
}

/* ---- panes ------------------------------------------------------------- */

/* Select the next or previous planned path (results column). */
static void select_path(struct app *a, int dir)
{
	const struct view *v = &a->view;
	int c = v->selected_col < 0 ? 0 : v->selected_col;

	if (v->n_cols == 0)
		return;
	c = (c + (dir > 0 ? 1 : v->n_cols - 1)) % v->n_cols;
	a->in.selected = v->col_path[c];
	a->ui.detail_top = 0;
	app_apply(a, &a->in);
}

static void inputs_key(struct app *a, int key)
{
	int n = a->view.n_in > 0 ? a->view.n_in : VIN_COUNT;

	if ((int)a->ui.field >= n)         /* the pins went with the cluster */
		a->ui.field = (enum view_input)(n - 1);
	if (key == TK_UP || key == 'k')
		a->ui.field = (enum view_input)((a->ui.field + n - 1) % n);
	else if (key == TK_DOWN || key == 'j')
		a->ui.field = (enum view_input)((a->ui.field + 1) % n);
	else if (key == TK_LEFT || key == 'h')
		field_change(a, -1);
	else if (key == TK_RIGHT || key == 'l')
		field_change(a, +1);
	else if (key == TK_ENTER && a->view.in[a->ui.field].editable)
		start_edit(a, EDIT_FIELD);
	else if (key == TK_ENTER)
		field_change(a, +1);
}

static void details_key(struct app *a, int key)
{
	int *top = &a->ui.detail_top;

	if (key == TK_UP || key == 'k')
		*top = *top > 0 ? *top - 1 : 0;
	else if (key == TK_DOWN || key == 'j')
		(*top)++;
	else if (key == TK_PGUP)
		*top = *top > 10 ? *top - 10 : 0;
	else if (key == TK_PGDN)
		*top += 10;
	else if (key == TK_HOME)
		*top = 0;
	else if (key == TK_END)
		*top = (int)a->view.n_detail;
	else if (key == TK_LEFT || key == 'h')
		select_path(a, -1);
	else if (key == TK_RIGHT || key == 'l')
		select_path(a, +1);
}

static void pane_key(struct app *a, int key)
{
	switch (a->ui.pane) {
	case PANE_INPUTS:
		inputs_key(a, key);
		break;
	case PANE_RESULTS:
		if (key == TK_LEFT || key == 'h' || key == TK_UP || key == 'k')
			select_path(a, -1);
		else if (key == TK_RIGHT || key == 'l' || key == TK_DOWN || key == 'j')
			select_path(a, +1);
		else if (key == TK_ENTER)
			a->ui.pane = PANE_DETAILS;
		break;
	case PANE_CHART:
		if (key == TK_LEFT || key == 'h')
			budget_step(a, -1);
		else if (key == TK_RIGHT || key == 'l')
			budget_step(a, +1);
		break;
	default:
		details_key(a, key);
	}
}

int app_key(struct app *a, int key)
{
	if (key == TK_RESIZE || key == TK_REDRAW)
		return APP_CONTINUE;
	if (a->ui.help || a->ui.about) {   /* any key closes an overlay */
		a->ui.help = a->ui.about = 0;
		return APP_CONTINUE;
	}
	if (a->ui.edit != EDIT_NONE) {
		edit_key(a, key);
		return APP_CONTINUE;
	}
	a->ui.status[0] = '\0';
	a->ui.status_error = 0;
	switch (key) {
	case 'q':
		return APP_QUIT;
	case '?':
		a->ui.help = 1;
		break;
	case TK_TAB:
		a->ui.pane = (enum tui_pane)((a->ui.pane + 1) % PANE_COUNT);
		break;
	case TK_BTAB:
		a->ui.pane = (enum tui_pane)((a->ui.pane + PANE_COUNT - 1) % PANE_COUNT);
		break;
	case '+':
	case '=':
		budget_step(a, +1);
		break;
	case '-':
	case '_':
		budget_step(a, -1);
		break;
	case 'u':
		unit_cycle(a, +1);
		break;
	case 'e':
		start_edit(a, EDIT_EXPORT);
		break;
	case 'c':
		compare_cycle(a, +1);
		break;
	case 'w':
		toggle_fit(a);
		break;
	case 'b':
		toggle_bands(a);
		break;
	case 'i':
		a->ui.about = 1;
		break;
	default:
		pane_key(a, key);
	}
	return APP_CONTINUE;
}
