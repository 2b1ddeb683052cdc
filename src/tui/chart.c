/*
 * chart.c — draws the view's loss-vs-budget chart (view.h) into a grid
 * rectangle: a y axis of loss, an x axis of log budget, one curve per
 * path, the current budget as a dashed vertical line, the crossovers
 * as 'x', a checkpoint's loss as a dashed horizontal line ("ckpt"), a
 * second law set's best loss as a curve of its own ('*'), and with plans
 * with uncertainty each path's p10-p90 loss band, a light shade in the
 * path's colour (dim) in the cells under the curves.
 *
 * In a UTF-8 grid the curves are braille cells (2 x 4 dots a cell, one
 * colour a path); in ASCII each curve is drawn with its path's letter
 * (d, m, u) a cell.  Each curve ends with its letter, so the chart reads
 * without colour too.
 */
#include "config.h"

#include "chart.h"

#include <math.h>
#include <string.h>

#define GUTTER 6                   /* "2.88" + axis */
#define CHART_MAX_CELLS 4096       /* plot cells kept for braille dots */

static const char path_letter[PATH_COUNT] = { 'd', 'm', 'u', 'c' };

char chart_path_letter(int path)
{
	return path >= 0 && path < PATH_COUNT ? path_letter[path] : '?';
}

int chart_path_color(int path)
{
	return path == PATH_DENSE ? GC_DENSE : path == PATH_MOE ? GC_MOE :
	       path == PATH_UPCYCLE ? GC_UPCYCLE : GC_CONTINUE;
}

struct plot {
	struct grid *g;
	int x, y, w, h;                /* plot area, cells */
	int dw, dh;                    /* dots (braille) or cells (ASCII) */
	int braille;
	const struct view_chart *c;
	uint8_t dots[CHART_MAX_CELLS]; /* braille bits per cell */
};

/* Dot column of x (log budget) and dot row of y (loss), rounded. */
static double dot_x(const struct plot *p, double x)
{
	const struct view_chart *c = p->c;

	return (x - c->x_lo) / (c->x_hi - c->x_lo) * (p->dw - 1);
}

static int dot_y(const struct plot *p, double y)
{
	const struct view_chart *c = p->c;

	return (int)lround((c->y_hi - y) / (c->y_hi - c->y_lo) * (p->dh - 1));
}

/* Braille: dot (dx, dy) of a 2 x 4 cell, Unicode's bit order. */
static uint8_t braille_bit(int dx, int dy)
{
	static const uint8_t bit[4][2] = {
		{ 0x01, 0x08 }, { 0x02, 0x10 }, { 0x04, 0x20 }, { 0x40, 0x80 }
	};

	return bit[dy][dx];
}

/* The letter and colour of a series: its path's, or the comparison's. */
static char series_letter(int path)
{
	return path >= 0 ? path_letter[path] : '*';
}

static int series_color(int path)
{
	return path >= 0 ? chart_path_color(path) : GC_ACCENT;
}

static void dot(struct plot *p, int X, int Y, int path)
{
	int cx, cy;

	if (X < 0 || Y < 0 || X >= p->dw || Y >= p->dh)
		return;
	if (!p->braille) {
		grid_put(p->g, p->x + X, p->y + Y, (uint32_t)series_letter(path), 0,
		         series_color(path));
		return;
	}
	cx = X / 2;
	cy = Y / 4;
	p->dots[cy * p->w + cx] |= braille_bit(X % 2, Y % 4);
	grid_put(p->g, p->x + cx, p->y + cy, 0x2800u + p->dots[cy * p->w + cx], 0,
	         series_color(path));
}

/* The path's letter just after the curve's end (row cy, column cx of its
 * last point); where another path's letter is there already (the curves
 * end in the same cell), just left of it. */
static void label(struct plot *p, int cy, int cx, int path)
{
	if (!p->braille)               /* ASCII curves are their letters */
		return;
	for (int x = p->x + (cx + 1 < p->w ? cx + 1 : p->w - 1); x >= p->x; x--) {
		uint32_t ch = p->g->cell[(p->y + cy) * p->g->w + x].ch;

		if (ch < 128 && (ch == '*' ||
		                 memchr(path_letter, (int)ch, PATH_COUNT) != NULL))
			continue;
		grid_put(p->g, x, p->y + cy, (uint32_t)series_letter(path), GA_BOLD,
		         series_color(path));
		return;
	}
}

/* One curve: a dot per dot column, joined vertically to the previous.
 * Returns the cell row of its last point, -1 if none, and its cell
 * column in *last_cx. */
static int curve(struct plot *p, const struct view_series *s, int *last_cx)
{
	int prev = -1, last_y = -1;

	*last_cx = -1;
	for (int X = 0; X < p->dw; X++) {
		double x = p->c->x_lo + (p->c->x_hi - p->c->x_lo) * X / (p->dw - 1);
		double y = view_series_at(s, x);
		int Y;

		if (!isfinite(y)) {
			prev = -1;
			continue;
		}
		Y = dot_y(p, y);
		if (prev >= 0)
			for (int k = prev < Y ? prev + 1 : Y + 1; k < (prev < Y ? Y : prev); k++)
				dot(p, X, k, s->path);
		dot(p, X, Y, s->path);
		prev = Y;
		last_y = Y;
		*last_cx = X / (p->braille ? 2 : 1);
	}
	return last_y < 0 ? -1 : last_y / (p->braille ? 4 : 1);
}

/* Band b's p10 and p90 at x (linear in log budget between its points);
 * 0 outside it. */
static int band_at(const struct view_band *b, double x, double *lo,
                   double *hi)
{
	for (size_t i = 1; i < b->n; i++)
		if (x >= b->x[i - 1] && x <= b->x[i]) {
			double t = b->x[i] > b->x[i - 1] ?
			           (x - b->x[i - 1]) / (b->x[i] - b->x[i - 1]) : 0;

			*lo = b->lo[i - 1] + t * (b->lo[i] - b->lo[i - 1]);
			*hi = b->hi[i - 1] + t * (b->hi[i] - b->hi[i - 1]);
			return 1;
		}
	return 0;
}

/* The bands: the free cells between each band's p90 and p10 at each
 * column's middle, shaded; drawn before the curves, which cover them. */
static void bands(struct plot *p)
{
	const struct view_chart *c = p->c;
	int per = p->braille ? 4 : 1;

	for (size_t i = 0; i < c->n_bands; i++)
		for (int cx = 0; cx < p->w; cx++) {
			double x = c->x_lo + (c->x_hi - c->x_lo) * (cx + 0.5) / p->w;
			double lo, hi;

			if (!band_at(&c->band[i], x, &lo, &hi))
				continue;
			for (int cy = dot_y(p, hi) / per; cy <= dot_y(p, lo) / per; cy++)
				if (cy >= 0 && cy < p->h &&
				    p->g->cell[(p->y + cy) * p->g->w + p->x + cx].ch == ' ')
					grid_put(p->g, p->x + cx, p->y + cy,
					         grid_glyph(p->g, GG_SHADE), GA_DIM,
					         series_color(c->band[i].path));
		}
}

/* The checkpoint's loss: a dashed line through the free cells of its row,
 * "ckpt" at its left end. */
static void baseline(struct plot *p)
{
	const struct view_chart *c = p->c;
	int cy;

	if (!isfinite(c->baseline))
		return;
	cy = dot_y(p, c->baseline) / (p->braille ? 4 : 1);
	if (cy < 0 || cy >= p->h)
		return;
	for (int cx = 0; cx < p->w; cx++)
		if (p->g->cell[(p->y + cy) * p->g->w + p->x + cx].ch == ' ')
			grid_put(p->g, p->x + cx, p->y + cy, grid_glyph(p->g, GG_HDASH),
			         GA_DIM, GC_MARK);
	grid_text(p->g, p->x, p->y + cy, 4, "ckpt", GA_DIM, GC_MARK);
}

static void marker(struct plot *p)
{
	double X = dot_x(p, p->c->marker);
	int cx = (int)lround(X) / (p->braille ? 2 : 1);

	if (X < -0.5 || X > p->dw - 0.5)
		return;
	for (int cy = 0; cy < p->h; cy++) {
		struct grid_cell *cl = &p->g->cell[(p->y + cy) * p->g->w + p->x + cx];

		if (cl->ch == ' ')
			grid_put(p->g, p->x + cx, p->y + cy, grid_glyph(p->g, GG_MARK), 0,
			         GC_MARK);
	}
}

/* '~' in the free cells of the top row over the budgets where the best
 * path is extrapolated (the frontier point nearest each column). */
static void extrapolated(struct plot *p)
{
	const struct view_chart *c = p->c;

	for (int cx = 0; cx < p->w && c->n_pts > 0; cx++) {
		double x = c->x_lo + (c->x_hi - c->x_lo) * (cx + 0.5) / p->w;
		size_t k = 0;

		for (size_t i = 1; i < c->n_pts; i++)
			if (fabs(c->pt_x[i] - x) < fabs(c->pt_x[k] - x))
				k = i;
		if (c->best_extrap[k] &&
		    p->g->cell[p->y * p->g->w + p->x + cx].ch == ' ')
			grid_put(p->g, p->x + cx, p->y, '~', GA_DIM, GC_MARK);
	}
}

static void crossovers(struct plot *p)
{
	for (size_t i = 0; i < p->c->n_cross; i++) {
		const struct view_cross *x = &p->c->cross[i];
		int cx = (int)lround(dot_x(p, x->at)) / (p->braille ? 2 : 1);
		int cy = isfinite(x->loss) ? dot_y(p, x->loss) / (p->braille ? 4 : 1) :
		         p->h - 1;

		if (cx >= 0 && cx < p->w && cy >= 0 && cy < p->h)
			grid_put(p->g, p->x + cx, p->y + cy, 'x', GA_BOLD, GC_MARK);
	}
}

static void y_axis(struct grid *g, const struct plot *p)
{
	int used = -2;

	for (int cy = 0; cy < p->h; cy++)
		grid_put(g, p->x - 1, p->y + cy, grid_glyph(g, GG_VLINE), 0, GC_DEFAULT);
	for (size_t i = 0; i < p->c->n_yticks; i++) {
		const struct view_tick *t = &p->c->ytick[i];
		int cy = dot_y(p, t->at) / (p->braille ? 4 : 1);

		if (cy <= used || cy >= p->h)
			continue;
		grid_text_right(g, p->x - GUTTER, p->y + cy, GUTTER - 1, t->label, 0,
		                GC_DEFAULT);
		grid_put(g, p->x - 1, p->y + cy, grid_glyph(g, GG_TEE_LEFT), 0,
		         GC_DEFAULT);
		used = cy;
	}
}

static void x_axis(struct grid *g, const struct plot *p, int row)
{
	int next = p->x;                /* first free column */

	for (size_t i = 0; i < p->c->n_xticks; i++) {
		const struct view_tick *t = &p->c->xtick[i];
		int cx = p->x + (int)lround(dot_x(p, t->at)) / (p->braille ? 2 : 1);
		int n = grid_width(t->label);

		if (cx + n > p->x + p->w)
			cx = p->x + p->w - n;
		if (cx < next)
			continue;
		grid_text(g, cx, row, n, t->label, 0, GC_DEFAULT);
		next = cx + n + 1;
	}
}

static void cross_labels(struct grid *g, const struct view_chart *c, int x,
                         int y, int w)
{
	int n = grid_text(g, x, y, w, "x crossovers:", GA_BOLD, GC_MARK);

	for (size_t i = 0; i < c->n_cross && n < w; i++) {
		n += grid_text(g, x + n, y, w - n, " ", 0, GC_DEFAULT);
		n += grid_text(g, x + n, y, w - n, c->cross[i].label, 0, GC_DEFAULT);
	}
}

void chart_draw(struct grid *g, int x, int y, int w, int h,
                const struct view_chart *c)
{
	struct plot p;
	int rows = h - 1 - (c->n_cross > 0 && h >= 6);
	int end[PATH_COUNT], end_x[PATH_COUNT], cmp_end, cmp_x;

	if (w < GUTTER + 8 || rows < 2)
		return;
	memset(&p, 0, sizeof p);
	p.g = g;
	p.c = c;
	p.x = x + GUTTER;
	p.y = y;
	p.w = w - GUTTER;
	p.h = rows;
	p.braille = g->utf8 && p.w * p.h <= CHART_MAX_CELLS;
	p.dw = p.w * (p.braille ? 2 : 1);
	p.dh = p.h * (p.braille ? 4 : 1);
	y_axis(g, &p);
	x_axis(g, &p, y + rows);
	if (c->n_series == 0 || !(c->x_hi > c->x_lo)) {
		grid_text(g, p.x + 2, p.y + p.h / 2, p.w - 2, "(no frontier to show)",
		          GA_DIM, GC_DEFAULT);
		return;
	}
	bands(&p);
	for (size_t i = 0; i < c->n_series; i++)
		end[i] = curve(&p, &c->series[i], &end_x[i]);
	cmp_end = c->cmp.n > 0 ? curve(&p, &c->cmp, &cmp_x) : -1;
	for (size_t i = 0; i < c->n_series; i++)   /* over every curve */
		if (end[i] >= 0)
			label(&p, end[i], end_x[i], c->series[i].path);
	if (cmp_end >= 0)
		label(&p, cmp_end, cmp_x, -1);
	baseline(&p);
	marker(&p);
	extrapolated(&p);
	crossovers(&p);
	if (rows < h - 1)
		cross_labels(g, c, x, y + h - 1, w);
}
