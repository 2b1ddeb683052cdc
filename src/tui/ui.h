/*
 * ui.h — the interactive screen's own state (which pane has the focus,
 * what is being edited, the status line) and the keys it understands.
 *
 * Keys are code points for characters and TK_* for the others; the curses
 * front (term.c) translates what curses reads into these, so everything
 * else (app.c, render.c, the tests) runs without a terminal.  tui_keyhelp
 * is the one table the help overlay lists: every key app.c handles.
 */
#ifndef MP_UI_H
#define MP_UI_H

#include <stddef.h>

#include "view.h"

enum tui_pane {
	PANE_INPUTS, PANE_RESULTS, PANE_CHART, PANE_DETAILS, PANE_COUNT
};

enum tui_edit { EDIT_NONE, EDIT_FIELD, EDIT_EXPORT };

enum tui_key {
	TK_UP = 0x110000, TK_DOWN, TK_LEFT, TK_RIGHT, TK_TAB, TK_BTAB, TK_ENTER,
	TK_ESC, TK_BACKSPACE, TK_HOME, TK_END, TK_PGUP, TK_PGDN, TK_KILL,
	TK_RESIZE, TK_REDRAW
};

#define TUI_EDIT_LEN 256
#define TUI_STATUS_LEN 320

struct tui_ui {
	int utf8;                    /* draw Unicode line and braille cells */
	enum tui_pane pane;          /* focused pane */
	enum view_input field;       /* focused input */
	int help;                    /* help overlay shown */
	int about;                   /* the law set's overlay shown (i) */
	enum tui_edit edit;          /* what the edit line edits */
	char edit_buf[TUI_EDIT_LEN];
	char status[TUI_STATUS_LEN]; /* last message; "" for the key hints */
	int status_error;            /* the message is an error */
	int detail_top;              /* first row of the details pane shown */
};

struct tui_keyhelp {
	const char *keys;
	const char *what;
};

extern const struct tui_keyhelp tui_keyhelp[];
extern const size_t tui_n_keyhelp;

#endif
