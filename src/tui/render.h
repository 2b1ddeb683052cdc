/*
 * render.h — the interactive planner's screen: a view model (view.h)
 * and the UI state (ui.h) drawn into a grid (grid.h).  No terminal I/O:
 * the same call draws for curses and for the golden-screen tests.
 */
#ifndef MP_RENDER_H
#define MP_RENDER_H

#include "view.h"
#include "grid.h"
#include "ui.h"

#define TUI_MIN_W 80
#define TUI_MIN_H 24

/* Clear g and draw the screen at g's size: below TUI_MIN_W x TUI_MIN_H a
 * "terminal too small" message instead. */
void render_screen(struct grid *g, const struct view *v,
                   const struct tui_ui *ui);

#endif
