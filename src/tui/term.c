/*
 * term.c — the curses front of the interactive planner: takes the
 * terminal, turns what curses reads into keys (ui.h) for app.c, copies the
 * grid app_draw fills onto the screen, and gives the terminal back on
 * every way out: q, an error, SIGINT, SIGTERM, SIGHUP (the signal is then
 * raised again, so the caller sees it).
 *
 * The only file that includes curses.  Colours when the terminal has them
 * and NO_COLOR is unset or empty (no-color.org); UTF-8 line drawing and
 * braille when the locale's character set is UTF-8, ASCII otherwise.
 */
#include "config.h"

#include "tui.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define IDLE_SLICE_MS 8.0

static volatile sig_atomic_t got_signal;
static int curses_on;

static void on_signal(int sig)
{
	got_signal = sig;
}

/* Give the terminal back (atexit, and every way out of tui_run). */
static void restore(void)
{
	if (curses_on) {
		curses_on = 0;
		endwin();
	}
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static int want_color(void)
{
	const char *nc = getenv("NO_COLOR");

	return has_colors() && (nc == NULL || nc[0] == '\0');
}

/* One colour pair per grid colour (pair number = enum grid_color). */
static void start_colors(void)
{
	static const short fg[GC_COUNT] = {
		-1, COLOR_CYAN, COLOR_MAGENTA, COLOR_GREEN, COLOR_YELLOW, COLOR_RED,
		COLOR_BLUE, COLOR_YELLOW, COLOR_WHITE
	};
	short bg = -1;

	start_color();
	if (use_default_colors() == ERR)
		bg = COLOR_BLACK;
	for (int i = 1; i < GC_COUNT && i < COLOR_PAIRS; i++)
		init_pair((short)i, fg[i], bg);
}

static void blit(const struct grid *g, int color)
{
	for (int y = 0; y < g->h; y++)
		for (int x = 0; x < g->w; x++) {
			const struct grid_cell *c = &g->cell[y * g->w + x];
			wchar_t wc[2] = { (wchar_t)c->ch, L'\0' };
			attr_t at = A_NORMAL;
			cchar_t cc;

			if (c->attr & GA_BOLD)
				at |= A_BOLD;
			if (c->attr & GA_REVERSE)
				at |= A_REVERSE;
			if (c->attr & GA_DIM)
				at |= A_DIM;
			if (c->attr & GA_UNDERLINE)
				at |= A_UNDERLINE;
			setcchar(&cc, wc, at, (short)(color ? c->color : 0), NULL);
			mvadd_wch(y, x, &cc);   /* ERR at the last cell: drawn anyway */
		}
}

/* A curses key as a ui.h key; -1 to ignore. */
static int map_key(int ch)
{
	switch (ch) {
	case KEY_UP: return TK_UP;
	case KEY_DOWN: return TK_DOWN;
	case KEY_LEFT: return TK_LEFT;
	case KEY_RIGHT: return TK_RIGHT;
	case '\t': return TK_TAB;
	case KEY_BTAB: return TK_BTAB;
	case '\n': case '\r': case KEY_ENTER: return TK_ENTER;
	case 27: return TK_ESC;
	case KEY_BACKSPACE: case 127: case 8: return TK_BACKSPACE;
	case KEY_HOME: return TK_HOME;
	case KEY_END: return TK_END;
	case KEY_PPAGE: return TK_PGUP;
	case KEY_NPAGE: return TK_PGDN;
	case 21: return TK_KILL;            /* Ctrl-U */
	case 12: return TK_REDRAW;          /* Ctrl-L */
	case KEY_RESIZE: return TK_RESIZE;
	default:
		return ch >= 0x20 && ch < 0x7f ? ch : -1;
	}
}

static int start_curses(void)
{
	if (newterm(NULL, stdout, stdin) == NULL)
		return -1;
	curses_on = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	return 0;
}

/* Draw at the terminal's size; 0 or -1 (out of memory). */
static int draw(struct app *a, struct grid *g, int color)
{
	int h, w;

	getmaxyx(stdscr, h, w);
	if (grid_resize(g, w, h) != 0)
		return -1;
	app_draw(a, g);
	blit(g, color);
	refresh();
	return 0;
}

/* Keys in, screens out; between keys, the planner's background work in
 * slices short enough to keep the keys answered. */
static int loop(struct app *a, struct grid *g, int color)
{
	int dirty = 1;

	while (!got_signal) {
		int ch, key, busy;

		if (dirty && draw(a, g, color) != 0)
			return -1;
		dirty = 0;
		busy = app_busy(a);
		timeout(busy ? 0 : 100);        /* idle: notice signals in 0.1 s */
		if ((ch = getch()) == ERR) {
			if (busy && app_idle(a, IDLE_SLICE_MS))
				dirty = 1;
			continue;
		}
		if ((key = map_key(ch)) < 0)
			continue;
		/* after a resize, what the terminal shows need not be what curses
		 * last drew (tmux and xterm reflow it): repaint it all */
		if (key == TK_REDRAW || key == TK_RESIZE)
			clearok(curscr, TRUE);
		if (app_key(a, key) == APP_QUIT)
			break;
		dirty = 1;
	}
	return 0;
}

int tui_run(const struct tui_config *cfg)
{
	struct app *a = calloc(1, sizeof *a);   /* a plain value, but large */
	struct grid g;
	int rc, utf8;
	const char *cs;

	if (a == NULL) {
		fputs("moeplan tui: out of memory\n", stderr);
		return MP_EXIT_FAIL;
	}
	setlocale(LC_CTYPE, "");            /* numbers stay in the C locale */
	cs = nl_langinfo(CODESET);
	utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	if ((rc = app_init(a, cfg, utf8)) != 0) {
		free(a);
		return rc;
	}
	grid_init(&g, utf8);
	catch_signals();
	atexit(restore);
	if (start_curses() != 0) {
		fprintf(stderr, "moeplan tui: cannot use the terminal (TERM=%s)\n",
		        getenv("TERM") ? getenv("TERM") : "");
		rc = MP_EXIT_FAIL;
	} else {
		int color = want_color();

		if (color)
			start_colors();
		rc = loop(a, &g, color) != 0 ? MP_EXIT_FAIL : 0;
		restore();
		if (rc != 0)
			fputs("moeplan tui: out of memory\n", stderr);
	}
	grid_free(&g);
	app_free(a);
	free(a);
	if (got_signal) {
		signal(got_signal, SIG_DFL);
		raise(got_signal);
		return 128 + got_signal;
	}
	return rc;
}
