/*
 * tui.h — the interactive planner's entry point (term.c, the only file
 * that includes curses).
 */
#ifndef MP_TUI_H
#define MP_TUI_H

#include "app.h"

/* Take over the terminal, run until q or a signal, give it back.  Returns
 * the exit status (errors before the terminal is taken are printed). */
int tui_run(const struct tui_config *cfg);

#endif
