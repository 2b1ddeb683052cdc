/*
 * render.c — the whole screen of the interactive planner, drawn from the
 * view model and the UI state into a grid (render.h).
 *
 * Layout (80x24 at least; extra rows go to the chart, the results and the
 * warnings, extra columns to the chart; from 120 columns the details pane
 * sits beside the results, below that it takes their place while it has
 * the focus):
 *
 *   title: law set, budget, hardware, winner                 ?:help q:quit
 *   -- Inputs ----------------+-- Optimal loss vs budget ----------------
 *   Budget   1.0e22 FLOPs     | 2.94|  (curves, budget marker, x)
 *   ...ten fields (scrolled)  |      1e19  1e20  ...
 *   -- Results ---------------------------------------------------------
 *                  dense         moe *          upcycle
 *   loss (nats)    ...nine rows
 *   ! warnings
 *   status line: key hints, messages, the edit line
 */
#include "config.h"

#include "render.h"

#include <stdio.h>
#include <string.h>

#include "chart.h"

#define INPUTS_W 30      /* inputs pane, columns */
#define LABEL_W 9        /* input labels */
#define ROW_LABEL_W 15   /* results row labels */
#define DETAILS_MIN_W 40

struct rect {
	int x, y, w, h;
};

struct screen_layout {
	int top_rule;                  /* row of the inputs/chart rule */
	int split;                     /* column between inputs and chart */
	struct rect inputs, chart;
	int low_rule;                  /* row of the results rule */
	struct rect results, warn, details;
	int wide;                      /* details beside the results */
	int details_split;             /* column between results and details */
	int show_details;              /* details drawn (wide, or focused) */
};

static void layout(const struct grid *g, const struct tui_ui *ui,
                   struct screen_layout *L)
{
	int extra = g->h - TUI_MIN_H;
	int top = 9 + extra / 2;                        /* rule + 8 rows */
	int res = 11 + (extra - extra / 2 < 2 ? extra - extra / 2 : 2);

	memset(L, 0, sizeof *L);
	L->top_rule = 1;
	L->split = INPUTS_W;
	L->inputs = (struct rect){ 0, 2, INPUTS_W, top - 1 };
	L->chart = (struct rect){ INPUTS_W + 1, 2, g->w - INPUTS_W - 1, top - 1 };
	L->low_rule = top + 1;
	L->wide = g->w >= 120;
	L->details_split = L->wide ? g->w - (g->w / 3 > DETAILS_MIN_W ?
	                                     g->w / 3 : DETAILS_MIN_W) : g->w;
	L->results = (struct rect){ 0, top + 2, L->details_split, res - 1 };
	L->warn = (struct rect){ 0, top + res + 1, L->details_split,
	                         g->h - 2 - top - res };
	L->show_details = L->wide || ui->pane == PANE_DETAILS;
	if (L->wide)
		L->details = (struct rect){ L->details_split + 1, top + 2,
		                            g->w - L->details_split - 1,
		                            g->h - top - 3 };
	else
		L->details = (struct rect){ 0, top + 2, g->w, g->h - top - 3 };
}

/* "-- Title -----" across w columns, the title reversed if focused;
 * returns the column after the title's trailing blank. */
static int rule(struct grid *g, int x, int y, int w, const char *title,
                int focused)
{
	int n;

	grid_fill(g, x, y, w, 1, grid_glyph(g, GG_HLINE), 0, GC_DEFAULT);
	if (title == NULL || w < 6)
		return x;
	grid_put(g, x + 1, y, ' ', 0, GC_DEFAULT);
	n = grid_text(g, x + 2, y, w - 4, title, focused ? GA_REVERSE | GA_BOLD :
	              GA_BOLD, GC_DEFAULT);
	grid_put(g, x + 2 + n, y, ' ', 0, GC_DEFAULT);
	return x + 3 + n;
}

/* Text on a rule from column x, blank-padded, ending before x_end - 1. */
static int rule_note(struct grid *g, int x, int y, int x_end, const char *s,
                     int attr, int color)
{
	int n;

	if (x_end - x < 4)
		return x;
	grid_put(g, x, y, ' ', 0, GC_DEFAULT);
	n = grid_text(g, x + 1, y, x_end - x - 3, s, attr, color);
	grid_put(g, x + 1 + n, y, ' ', 0, GC_DEFAULT);
	return x + 1 + n;
}

static void title_bar(struct grid *g, const struct view *v)
{
	const char *right = "?:help q:quit";
	int rw = grid_width(right), n;

	grid_fill(g, 0, 0, g->w, 1, ' ', GA_REVERSE, GC_DEFAULT);
	n = grid_text(g, 1, 0, g->w - rw - 3, "moeplan | ", GA_REVERSE | GA_BOLD,
	              GC_DEFAULT);
	n += grid_text(g, 1 + n, 0, g->w - rw - 3 - n, v->title, GA_REVERSE,
	               GC_DEFAULT);
	n += grid_text(g, 1 + n, 0, g->w - rw - 3 - n, " | ", GA_REVERSE,
	               GC_DEFAULT);
	grid_text(g, 1 + n, 0, g->w - rw - 3 - n, v->best, GA_REVERSE | GA_BOLD,
	          GC_DEFAULT);
	grid_text(g, g->w - rw - 1, 0, rw, right, GA_REVERSE, GC_DEFAULT);
}

/* ---- inputs ------------------------------------------------------------ */

static void edit_line(struct grid *g, int x, int y, int w, const char *text)
{
	int len = grid_width(text);
	const char *s = text;

	/* keep the end (and the cursor) in view */
	while (len > w - 1 && *s) {
		s++;
		while ((*s & 0xc0) == 0x80)
			s++;
		len--;
	}
	grid_fill(g, x, y, w, 1, ' ', GA_UNDERLINE, GC_DEFAULT);
	grid_text(g, x, y, w - 1, s, GA_UNDERLINE, GC_DEFAULT);
	grid_put(g, x + len, y, ' ', GA_REVERSE, GC_DEFAULT);
}

/* Text word-wrapped into a rectangle; returns the rows used. */
static int wrap(struct grid *g, int x, int y, int w, int h, const char *s,
                int attr, int color)
{
	int row = 0;

	while (*s && row < h) {
		int n = 0, cut = 0;

		while (*s == ' ')
			s++;
		while (s[n] && n < w) {
			if (s[n] == ' ')
				cut = n;
			n++;
		}
		if (s[n] && cut > 0)        /* break at the last blank */
			n = cut;
		{
			char line[256];

			snprintf(line, sizeof line, "%.*s", n, s);
			grid_text(g, x, y + row, w, line, attr, color);
		}
		s += n;
		row++;
	}
	return row;
}

/* Below the fields, when there is room: where the law set comes from and
 * what its coefficients are (i shows all of it). */
static void source(struct grid *g, const struct rect *r, const struct view *v)
{
	int y = r->y + v->n_in + 1, h = r->y + r->h - y - 1, n;

	if (!v->source[0] || h < 2)
		return;
	grid_text(g, r->x + 1, y, r->w - 2, "Source (i: more)", GA_BOLD,
	          GC_DEFAULT);
	n = wrap(g, r->x + 1, y + 1, r->w - 2, h, v->source, GA_DIM, GC_DEFAULT);
	if (v->provenance[0] && h - n >= 2)
		wrap(g, r->x + 1, y + 1 + n, r->w - 2, h - n, v->provenance, GA_DIM,
		     GC_DEFAULT);
}

/* The fields, scrolled so that the focused one is in view. */
static void inputs(struct grid *g, const struct rect *r, const struct view *v,
                   const struct tui_ui *ui)
{
	int top = (int)ui->field >= r->h ? (int)ui->field - r->h + 1 : 0;

	for (int i = top; i < v->n_in && i - top < r->h; i++) {
		const struct view_field *f = &v->in[i];
		int y = r->y + i - top;
		int focus = ui->pane == PANE_INPUTS && (int)ui->field == i;
		int vx = r->x + 1 + LABEL_W, vw = r->w - 1 - LABEL_W;

		grid_text(g, r->x + 1, y, LABEL_W - 1, f->label, GA_BOLD, GC_DEFAULT);
		if (focus && ui->edit == EDIT_FIELD) {
			edit_line(g, vx, y, vw, ui->edit_buf);
			continue;
		}
		grid_text(g, vx, y, vw, f->value, 0, GC_DEFAULT);
		if (focus)
			grid_style(g, r->x, y, r->w, 1, GA_REVERSE, -1);
	}
	if (top > 0)
		grid_put(g, r->x + r->w - 1, r->y, grid_glyph(g, GG_ARROW_UP), GA_BOLD,
		         GC_ACCENT);
	if (top + r->h < v->n_in)
		grid_put(g, r->x + r->w - 1, r->y + r->h - 1,
		         grid_glyph(g, GG_ARROW_DOWN), GA_BOLD, GC_ACCENT);
}

/* ---- results ----------------------------------------------------------- */

static void results(struct grid *g, const struct rect *r, const struct view *v,
                    const struct tui_ui *ui)
{
	int cw = v->n_cols ? (r->w - ROW_LABEL_W) / v->n_cols : 0;

	if (cw > 24)
		cw = 24;
	for (int c = 0; c < v->n_cols; c++) {
		int x = r->x + ROW_LABEL_W + c * cw, attr = GA_BOLD;

		if (c == v->selected_col)
			attr |= ui->pane == PANE_RESULTS || ui->pane == PANE_DETAILS ?
			        GA_REVERSE : GA_UNDERLINE;
		grid_text(g, x, r->y, cw - 1, v->col_head[c], attr,
		          chart_path_color(v->col_path[c]));
	}
	for (size_t i = 0; i < v->n_rows && (int)i + 1 < r->h; i++) {
		int y = r->y + 1 + (int)i;

		grid_text(g, r->x + 1, y, ROW_LABEL_W - 2, v->row[i].label, 0,
		          GC_DEFAULT);
		for (int c = 0; c < v->n_cols; c++)
			grid_text(g, r->x + ROW_LABEL_W + c * cw, y, cw - 1,
			          v->row[i].cell[c], c == v->best_col && i == 0 ? GA_BOLD : 0,
			          c == v->best_col && i == 0 ?
			          chart_path_color(v->col_path[c]) : GC_DEFAULT);
	}
}

static void warnings(struct grid *g, const struct rect *r, const struct view *v)
{
	char more[64];
	size_t shown = v->n_warn;

	if (r->h <= 0)
		return;
	if (v->n_warn == 0) {
		grid_text(g, r->x + 1, r->y, r->w - 1, "no warnings", GA_DIM, GC_DEFAULT);
		return;
	}
	if (shown > (size_t)r->h)
		shown = (size_t)r->h;
	for (size_t i = 0; i < shown; i++) {
		int y = r->y + (int)i;

		grid_text(g, r->x + 1, y, 2, "!", GA_BOLD, GC_WARN);
		grid_text(g, r->x + 3, y, r->w - 3, v->warn[i], 0, GC_WARN);
	}
	if (shown < v->n_warn) {
		int n;

		snprintf(more, sizeof more, " (+%zu more)", v->n_warn - shown + 1);
		n = grid_width(more);
		grid_fill(g, r->x + r->w - n, r->y + r->h - 1, n, 1, ' ', 0, GC_DEFAULT);
		grid_text(g, r->x + r->w - n, r->y + r->h - 1, n, more, GA_BOLD, GC_WARN);
	}
}

/* ---- details ----------------------------------------------------------- */

static void details(struct grid *g, const struct rect *r, const struct view *v,
                    const struct tui_ui *ui)
{
	int rows = r->h, top = ui->detail_top, vw = 11, sw = 7;
	int lw = r->w - 3 - vw - sw > 24 ? 24 : r->w - 3 - vw - sw;
	char title[96];

	snprintf(title, sizeof title, "Details: %s", v->detail_title);
	rule(g, r->x, r->y - 1, r->w, title, ui->pane == PANE_DETAILS);
	if (top > (int)v->n_detail - rows)
		top = (int)v->n_detail - rows;
	if (top < 0)
		top = 0;
	for (int i = 0; i < rows && top + i < (int)v->n_detail; i++) {
		const struct view_detail *d = &v->detail[top + i];
		int y = r->y + i;

		if (d->heading) {
			grid_text(g, r->x + 1, y, r->w - 1, d->label, GA_BOLD, GC_ACCENT);
			continue;
		}
		grid_text(g, r->x + 2, y, lw, d->label, 0, GC_DEFAULT);
		grid_text_right(g, r->x + 2 + lw, y, vw, d->value, 0, GC_DEFAULT);
		grid_text_right(g, r->x + 2 + lw + vw, y, sw, d->share, GA_DIM,
		                GC_DEFAULT);
	}
	if (top > 0)
		grid_put(g, r->x + r->w - 1, r->y, grid_glyph(g, GG_ARROW_UP), GA_BOLD,
		         GC_ACCENT);
	if (top + rows < (int)v->n_detail)
		grid_put(g, r->x + r->w - 1, r->y + rows - 1, grid_glyph(g, GG_ARROW_DOWN),
		         GA_BOLD, GC_ACCENT);
}

/* ---- status line, help, too small -------------------------------------- */

static void status_line(struct grid *g, const struct view *v,
                        const struct tui_ui *ui)
{
	int y = g->h - 1, n;

	if (ui->edit != EDIT_NONE) {
		const char *what = ui->edit == EDIT_EXPORT ? "Export to" :
		                   v->in[ui->field].label;

		n = grid_text(g, 0, y, g->w, what, GA_BOLD, GC_ACCENT);
		n += grid_text(g, n, y, g->w - n, ": ", GA_BOLD, GC_ACCENT);
		edit_line(g, n, y, g->w - n, ui->edit_buf);
		return;
	}
	if (ui->status[0]) {
		grid_text(g, 0, y, g->w, ui->status, ui->status_error ? GA_BOLD : 0,
		          ui->status_error ? GC_ERROR : GC_ACCENT);
		return;
	}
	grid_text(g, 0, y, g->w, "Tab pane  arrows/hjkl move  Enter edit  "
	          "+/- budget  u unit  e export  ? help  q quit", GA_DIM,
	          GC_DEFAULT);
}

/* A framed box of w x h centred on the screen, titled; its corner. */
static void box(struct grid *g, int w, int h, const char *title, int *bx,
                int *by)
{
	int x = (g->w - w) / 2, y = (g->h - h) / 2;

	if (y < 0)
		y = 0;
	grid_fill(g, x, y, w, h, ' ', 0, GC_DEFAULT);
	grid_fill(g, x, y, w, 1, grid_glyph(g, GG_HLINE), 0, GC_ACCENT);
	grid_fill(g, x, y + h - 1, w, 1, grid_glyph(g, GG_HLINE), 0, GC_ACCENT);
	grid_fill(g, x, y, 1, h, grid_glyph(g, GG_VLINE), 0, GC_ACCENT);
	grid_fill(g, x + w - 1, y, 1, h, grid_glyph(g, GG_VLINE), 0, GC_ACCENT);
	grid_put(g, x, y, grid_glyph(g, GG_CORNER_TL), 0, GC_ACCENT);
	grid_put(g, x + w - 1, y, grid_glyph(g, GG_CORNER_TR), 0, GC_ACCENT);
	grid_put(g, x, y + h - 1, grid_glyph(g, GG_CORNER_BL), 0, GC_ACCENT);
	grid_put(g, x + w - 1, y + h - 1, grid_glyph(g, GG_CORNER_BR), 0, GC_ACCENT);
	grid_text(g, x + 2, y, w - 4, title, GA_BOLD, GC_ACCENT);
	grid_text_right(g, x + 2, y + h - 1, w - 4, " any key closes this ", 0,
	                GC_ACCENT);
	*bx = x;
	*by = y;
}

static void help(struct grid *g)
{
	int w = g->w - 4 < 66 ? g->w - 4 : 66, kw = 18;
	int h = (int)tui_n_keyhelp + 4, x, y;

	box(g, w, h, " Keys ", &x, &y);
	for (size_t i = 0; i < tui_n_keyhelp && y + 2 + (int)i < g->h; i++) {
		grid_text(g, x + 2, y + 2 + (int)i, kw, tui_keyhelp[i].keys, GA_BOLD,
		          GC_DEFAULT);
		grid_text(g, x + 2 + kw, y + 2 + (int)i, w - 4 - kw, tui_keyhelp[i].what,
		          0, GC_DEFAULT);
	}
}

/* The law set: its source, what its coefficients are, what it assumes. */
static void about(struct grid *g, const struct view *v)
{
	int w = g->w - 4 < 96 ? g->w - 4 : 96, h = g->h - 2, x, y, n;

	box(g, w, h, " Law set ", &x, &y);
	n = wrap(g, x + 2, y + 2, w - 4, h - 3, v->source[0] ? v->source :
	         "no source given", GA_BOLD, GC_DEFAULT);
	if (v->provenance[0])
		n += wrap(g, x + 2, y + 2 + n, w - 4, h - 3 - n, v->provenance, 0,
		          GC_DEFAULT);
	if (v->assumptions[0] && h - 4 - n > 1) {
		grid_text(g, x + 2, y + 3 + n, w - 4, "Assumptions", GA_BOLD,
		          GC_ACCENT);
		wrap(g, x + 2, y + 4 + n, w - 4, h - 5 - n, v->assumptions, 0,
		     GC_DEFAULT);
	}
}

static void centred(struct grid *g, int y, const char *s, int attr)
{
	int n = grid_width(s);

	grid_text(g, n < g->w ? (g->w - n) / 2 : 0, y, g->w, s, attr, GC_DEFAULT);
}

static void too_small(struct grid *g)
{
	char line[96];
	int y = g->h / 2 - 2;

	snprintf(line, sizeof line, "This terminal is %dx%d.", g->w, g->h);
	centred(g, y, "Terminal too small", GA_BOLD);
	centred(g, y + 1, line, 0);
	snprintf(line, sizeof line, "moeplan needs at least %dx%d:", TUI_MIN_W,
	         TUI_MIN_H);
	centred(g, y + 2, line, 0);
	centred(g, y + 3, "enlarge it, or press q to quit.", 0);
}

/* ---- all --------------------------------------------------------------- */

/* "d dense  m moe  u upcycle  c continue  * chinchilla" on the chart's
 * rule, in the curves' colours, if it fits. */
static void legend(struct grid *g, int x, int y, const struct view_chart *c)
{
	int need = 0;

	for (size_t i = 0; i < c->n_series; i++)
		need += 3 + grid_width(law_path_name((enum law_path)c->series[i].path));
	if (c->cmp.n > 0)
		need += 3 + grid_width(c->cmp_name);
	if (x + need + 2 > g->w)
		return;
	for (size_t i = 0; i < c->n_series; i++) {
		int p = c->series[i].path;
		char item[24];

		snprintf(item, sizeof item, "%c %s", chart_path_letter(p),
		         law_path_name((enum law_path)p));
		x = rule_note(g, x, y, g->w, item, GA_BOLD, chart_path_color(p));
	}
	if (c->cmp.n > 0) {
		char item[32];

		snprintf(item, sizeof item, "* %s", c->cmp_name);
		rule_note(g, x, y, g->w, item, GA_BOLD, GC_ACCENT);
	}
}

static void frame(struct grid *g, const struct screen_layout *L, const struct view *v,
                  const struct tui_ui *ui)
{
	int x;

	rule(g, 0, L->top_rule, L->split, "Inputs", ui->pane == PANE_INPUTS);
	grid_put(g, L->split, L->top_rule, grid_glyph(g, GG_TEE_DOWN), 0,
	         GC_DEFAULT);
	x = rule(g, L->split + 1, L->top_rule, g->w - L->split - 1, v->chart.title,
	         ui->pane == PANE_CHART);
	legend(g, x, L->top_rule, &v->chart);
	grid_fill(g, L->split, L->inputs.y, 1, L->inputs.h, grid_glyph(g, GG_VLINE),
	          0, GC_DEFAULT);
	if (L->show_details && !L->wide)
		return;
	x = rule(g, 0, L->low_rule, L->details_split, "Results",
	         ui->pane == PANE_RESULTS);
	x = rule_note(g, x, L->low_rule, L->details_split, v->best, GA_BOLD,
	              v->best_col >= 0 ? chart_path_color(v->col_path[v->best_col]) :
	              GC_DEFAULT);
	if (v->margin[0])
		rule_note(g, x, L->low_rule, L->details_split, v->margin, 0,
		          GC_DEFAULT);
	if (L->wide) {
		grid_put(g, L->details_split, L->low_rule, grid_glyph(g, GG_TEE_DOWN),
		         0, GC_DEFAULT);
		grid_fill(g, L->details_split, L->low_rule + 1, 1,
		          g->h - L->low_rule - 2, grid_glyph(g, GG_VLINE), 0, GC_DEFAULT);
	}
}

void render_screen(struct grid *g, const struct view *v,
                   const struct tui_ui *ui)
{
	struct screen_layout L;

	grid_clear(g);
	if (g->w < TUI_MIN_W || g->h < TUI_MIN_H) {
		too_small(g);
		return;
	}
	layout(g, ui, &L);
	title_bar(g, v);
	frame(g, &L, v, ui);
	inputs(g, &L.inputs, v, ui);
	source(g, &L.inputs, v);
	chart_draw(g, L.chart.x, L.chart.y, L.chart.w, L.chart.h, &v->chart);
	if (L.wide || !L.show_details) {
		results(g, &L.results, v, ui);
		warnings(g, &L.warn, v);
	}
	if (L.show_details)
		details(g, &L.details, v, ui);
	status_line(g, v, ui);
	if (ui->help)
		help(g);
	else if (ui->about)
		about(g, v);
}
