/*
 * report_svg.c — the SVG sink: self-contained charts (no scripts, no
 * external fonts, styles or images) for people to look at.
 *
 * Frontier: the optimal loss of each planned path against the budget, both
 * axes logarithmic, one curve per path (a gap where a path has no plan),
 * markers filled where that path is the best at that budget, a legend, and
 * each crossover (a budget where the best path changes) marked by a dashed
 * vertical line labelled "from -> to" and its budget.
 *
 * Plan: a dot chart of one budget, one row per planned path on a linear
 * loss axis; the upcycle path also shows the loss of the dense model it
 * starts from (its baseline), joined to its final loss.
 *
 * Geometry: a value v on a log axis [lo, hi] drawn from p0 to p1 maps to
 * p0 + (log10 v - log10 lo) / (log10 hi - log10 lo) * (p1 - p0); SVG's y
 * grows downwards, so the loss axis runs from the bottom (p0) to the top.
 * Only finite coordinates are ever written: a non-finite value is skipped
 * (it leaves a gap), never printed.
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_impl.h"

/* Frontier canvas and plot area, in SVG user units (pixels). */
#define FW 760
#define FH 480
#define FX0 78.0
#define FX1 560.0
#define FY0 72.0
#define FY1 400.0
#define LEGEND_X 584.0

/* Plan canvas. */
#define PW 640
#define PX0 110.0
#define PX1 560.0
#define PROW 44.0
#define PTOP 78.0

#define MAX_TICKS 64
#define TEXT_MAX 512

static const char *const path_color[PATH_COUNT] = {
	"#1f77b4",   /* dense: blue */
	"#d62728",   /* moe: red */
	"#2ca02c",   /* upcycle: green */
	"#9467bd",   /* continue: purple */
};
#define BASELINE_COLOR "#7f7f7f"   /* the checkpoint: grey */

struct axis {
	double lo, hi;   /* data range shown */
	int log;         /* 1: logarithmic */
	double p0, p1;   /* where lo and hi are drawn */
};

/* Where v is drawn on axis a; NAN if v cannot be drawn. */
static double axis_map(const struct axis *a, double v)
{
	double t;

	if (!isfinite(v) || (a->log && v <= 0))
		return NAN;
	if (a->log)
		t = (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
	else
		t = (v - a->lo) / (a->hi - a->lo);
	return a->p0 + t * (a->p1 - a->p0);
}

/* ---- writing ------------------------------------------------------------ */

/* s with the five XML special characters escaped. */
static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			/* control characters are not allowed in XML 1.0 */
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
		}
	}
}

/* <text x y attrs>formatted, escaped</text>; skipped if x or y is not finite. */
static void text_at(FILE *f, double x, double y, const char *attrs,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void text_at(FILE *f, double x, double y, const char *attrs,
                    const char *fmt, ...)
{
	char buf[TEXT_MAX];
	va_list ap;

	if (!isfinite(x) || !isfinite(y))
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, attrs[0] ? " " : "",
	        attrs);
	put_escaped(f, buf);
	fputs("</text>\n", f);
}

static void line(FILE *f, double x1, double y1, double x2, double y2,
                 const char *attrs)
{
	if (!isfinite(x1) || !isfinite(y1) || !isfinite(x2) || !isfinite(y2))
		return;
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" %s/>\n",
	        x1, y1, x2, y2, attrs);
}

static void svg_begin(FILE *f, int w, int h, const char *title)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	        "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	        "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
	        "font-size=\"12\">\n<title>", w, h, w, h);
	put_escaped(f, title);
	fprintf(f, "</title>\n<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
	        "fill=\"#ffffff\"/>\n", w, h);
}

/* ---- ticks -------------------------------------------------------------- */

/* "Nice" linear ticks, multiples of 1, 2, 2.5 or 5 x 10^k inside [lo, hi],
 * about 4 to 8 of them.  Returns their number. */
static int ticks_linear(double lo, double hi, double *t, int max)
{
	static const double mant[] = { 1, 2, 2.5, 5, 10 };
	double span = hi - lo, step = 0, mag;
	int n = 0;

	if (!(span > 0))
		return 0;
	mag = pow(10, floor(log10(span / 6)));
	for (size_t i = 0; i < sizeof mant / sizeof mant[0]; i++) {
		step = mant[i] * mag;
		if (span / step <= 8)
			break;
	}
	for (double k = ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9 &&
	     n < max; k++)
		t[n++] = k * step;
	return n;
}

/* Decades 10^k inside [lo, hi].  Returns their number. */
static int ticks_decades(double lo, double hi, double *t, int max)
{
	int n = 0;

	for (int k = (int)ceil(log10(lo) - 1e-9); k <= (int)floor(log10(hi) + 1e-9)
	     && n < max; k++)
		t[n++] = pow(10, k);
	return n;
}

/* Widen a log range to whole decades (x) or pad it by 4% (y). */
static void log_range(double *lo, double *hi, int decades)
{
	if (!(*lo > 0) || !(*hi > 0) || !isfinite(*lo) || !isfinite(*hi)) {
		*lo = 1;
		*hi = 10;
	}
	if (*hi <= *lo * (1 + 1e-9)) {
		*lo /= decades ? 10 : 1.1;
		*hi *= decades ? 10 : 1.1;
	}
	if (decades) {
		*lo = pow(10, floor(log10(*lo) + 1e-9));
		*hi = pow(10, ceil(log10(*hi) - 1e-9));
	} else {
		double pad = 0.04 * (log10(*hi) - log10(*lo));

		*lo = pow(10, log10(*lo) - pad);
		*hi = pow(10, log10(*hi) + pad);
	}
}

/* ---- frontier ----------------------------------------------------------- */

struct fchart {
	struct axis x, y;
	int planned[PATH_COUNT];
};

/* The budget of point k in the unit the user gave. */
static double pt_budget(const struct frontier *fr, size_t k,
                        const struct report_info *info)
{
	return report_budget_value(fr->pt[k].budget, info);
}

/* The loss bands of frontier point k (report_info's bands) widen the
 * loss axis. */
static void band_range(const struct report_info *info, size_t k, double *lo,
                       double *hi)
{
	const struct unc_bands *b;

	if (!info->unc || info->bands == NULL || k >= info->n_bands)
		return;
	b = &info->bands[k];
	for (int i = 0; i < PATH_COUNT; i++) {
		const struct unc_band *q = &b->q[i][UNC_LOSS];

		if (b->planned[i] && q->p10 > 0 && isfinite(q->p90)) {
			*lo = fmin(*lo, q->p10);
			*hi = fmax(*hi, q->p90);
		}
	}
}

static void frontier_axes(struct fchart *c, const struct frontier *fr,
                          const struct report_info *info)
{
	double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;

	memset(c, 0, sizeof *c);
	for (int i = 0; i < PATH_COUNT; i++)
		c->planned[i] = report_frontier_planned(fr, info, i);
	for (size_t k = 0; k < fr->n; k++) {
		double b = pt_budget(fr, k, info);

		if (isfinite(b) && b > 0) {
			xlo = fmin(xlo, b);
			xhi = fmax(xhi, b);
		}
		for (int i = 0; i < PATH_COUNT; i++) {
			double L = fr->pt[k].loss[i];

			if (fr->pt[k].solved[i] && isfinite(L) && L > 0) {
				ylo = fmin(ylo, L);
				yhi = fmax(yhi, L);
			}
		}
		if (isfinite(fr->pt[k].baseline) && fr->pt[k].baseline > 0) {
			ylo = fmin(ylo, fr->pt[k].baseline);
			yhi = fmax(yhi, fr->pt[k].baseline);
		}
		band_range(info, k, &ylo, &yhi);
	}
	log_range(&xlo, &xhi, 1);
	log_range(&ylo, &yhi, 0);
	c->x = (struct axis){ xlo, xhi, 1, FX0, FX1 };
	c->y = (struct axis){ ylo, yhi, 1, FY1, FY0 };
}

static const char *x_label(const struct report_info *info)
{
	switch (info->unit) {
	case UNIT_HOURS: return "budget (device-hours)";
	case UNIT_USD:   return "budget (USD)";
	default:         return "training compute budget (FLOPs)";
	}
}

/* "1e21" for a decade, else the shortest "%g". */
static const char *tick_text(double v, char *buf, size_t n)
{
	double e = log10(v);

	if (v > 0 && fabs(e - floor(e + 0.5)) < 1e-9 && (e >= 4 || e <= -3))
		snprintf(buf, n, "1e%d", (int)floor(e + 0.5));
	else
		snprintf(buf, n, "%g", v);
	return buf;
}

static void frontier_x_ticks(FILE *f, const struct fchart *c)
{
	double t[MAX_TICKS];
	char b[32];
	int n = ticks_decades(c->x.lo, c->x.hi, t, MAX_TICKS);
	int every = n > 12 ? 2 : 1;

	for (int i = 0; i < n; i++) {
		double x = axis_map(&c->x, t[i]);

		line(f, x, FY0, x, FY1, "stroke=\"#e5e5e5\" stroke-width=\"1\"");
		line(f, x, FY1, x, FY1 + 5, "stroke=\"#333333\"");
		if (i % every == 0)
			text_at(f, x, FY1 + 19, "text-anchor=\"middle\"", "%s",
			        tick_text(t[i], b, sizeof b));
		/* minor ticks 2..9 x 10^k */
		for (int m = 2; m <= 9 && i + 1 < n; m++) {
			double xm = axis_map(&c->x, m * t[i]);

			line(f, xm, FY1, xm, FY1 + 3, "stroke=\"#333333\"");
		}
	}
}

/* Loss ticks: decades if the range spans one, else nice linear steps. */
static void frontier_y_ticks(FILE *f, const struct fchart *c)
{
	double t[MAX_TICKS];
	char b[32];
	int n = c->y.hi / c->y.lo >= 10 ? ticks_decades(c->y.lo, c->y.hi, t, MAX_TICKS)
	                               : ticks_linear(c->y.lo, c->y.hi, t, MAX_TICKS);

	for (int i = 0; i < n; i++) {
		double y = axis_map(&c->y, t[i]);

		line(f, FX0, y, FX1, y, "stroke=\"#e5e5e5\" stroke-width=\"1\"");
		line(f, FX0 - 5, y, FX0, y, "stroke=\"#333333\"");
		text_at(f, FX0 - 8, y + 4, "text-anchor=\"end\"", "%s",
		        tick_text(t[i], b, sizeof b));
	}
}

static void frontier_frame(FILE *f, const struct fchart *c,
                           const struct report_info *info)
{
	frontier_x_ticks(f, c);
	frontier_y_ticks(f, c);
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	        "fill=\"none\" stroke=\"#333333\"/>\n", FX0, FY0, FX1 - FX0,
	        FY1 - FY0);
	text_at(f, (FX0 + FX1) / 2, FY1 + 40, "text-anchor=\"middle\"", "%s",
	        x_label(info));
	fprintf(f, "<text x=\"0\" y=\"0\" text-anchor=\"middle\" "
	        "transform=\"translate(%.1f %.1f) rotate(-90)\">"
	        "optimal loss (nats, log scale)</text>\n", 22.0, (FY0 + FY1) / 2);
}

/* Point k's loss band of path i on the chart: 1 with its p10 and p90
 * in pixels. */
static int band_at(const struct fchart *c, const struct frontier *fr,
                   const struct report_info *info, size_t k, int i,
                   double *x, double *y10, double *y90)
{
	const struct unc_band *q;

	if (!info->unc || info->bands == NULL || k >= info->n_bands ||
	    !info->bands[k].planned[i])
		return 0;
	q = &info->bands[k].q[i][UNC_LOSS];
	*x = axis_map(&c->x, pt_budget(fr, k, info));
	*y10 = axis_map(&c->y, q->p10);
	*y90 = axis_map(&c->y, q->p90);
	return isfinite(*x) && isfinite(*y10) && isfinite(*y90);
}

/* Path i's band: p10 to p90 of the loss over the draws (plans with
 * uncertainty), shaded in its colour around its curve; one polygon per
 * run of budgets that have it. */
static void frontier_band(FILE *f, const struct fchart *c,
                          const struct frontier *fr,
                          const struct report_info *info, int i)
{
	double x, lo, hi;
	size_t k = 0;

	while (k < fr->n) {
		size_t a = k, b;

		while (a < fr->n && !band_at(c, fr, info, a, i, &x, &lo, &hi))
			a++;
		for (b = a; b < fr->n && band_at(c, fr, info, b, i, &x, &lo, &hi);)
			b++;
		if (b > a)
			fprintf(f, "<polygon class=\"band\" id=\"band-%s\" fill=\"%s\" "
			        "fill-opacity=\"0.18\" stroke=\"none\" points=\"",
			        report_path_name(i), path_color[i]);
		for (size_t j = a; j < b; j++) {       /* p90 left to right */
			band_at(c, fr, info, j, i, &x, &lo, &hi);
			fprintf(f, "%s%.1f,%.1f", j > a ? " " : "", x, hi);
		}
		for (size_t j = b; j > a; j--) {       /* p10 right to left */
			band_at(c, fr, info, j - 1, i, &x, &lo, &hi);
			fprintf(f, " %.1f,%.1f", x, lo);
		}
		if (b > a)
			fputs("\"/>\n", f);
		k = b > a ? b : a;
	}
}

/* The curve of path i: polylines through consecutive solved points. */
static void frontier_curve(FILE *f, const struct fchart *c,
                           const struct frontier *fr,
                           const struct report_info *info, int i)
{
	int open = 0;

	fprintf(f, "<g class=\"path\" id=\"path-%s\">\n", report_path_name(i));
	for (size_t k = 0; k < fr->n; k++) {
		double x = axis_map(&c->x, pt_budget(fr, k, info));
		double y = axis_map(&c->y, fr->pt[k].loss[i]);
		int ok = fr->pt[k].solved[i] && isfinite(x) && isfinite(y);

		if (ok && !open)
			fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" "
			        "stroke-width=\"2\" points=\"", path_color[i]);
		else if (!ok && open)
			fputs("\"/>\n", f);
		if (ok)
			fprintf(f, "%s%.1f,%.1f", open ? " " : "", x, y);
		open = ok;
	}
	if (open)
		fputs("\"/>\n", f);
	for (size_t k = 0; k < fr->n; k++) {
		double x = axis_map(&c->x, pt_budget(fr, k, info));
		double y = axis_map(&c->y, fr->pt[k].loss[i]);

		if (fr->pt[k].solved[i] && isfinite(x) && isfinite(y))
			fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			        "stroke=\"%s\" stroke-width=\"1.5\" fill=\"%s\"/>\n",
			        x, y, path_color[i],
			        fr->pt[k].best == i ? path_color[i] : "#ffffff");
	}
	fputs("</g>\n", f);
}

/* The x span of point k: halfway (in log budget) to its neighbours,
 * inside the frame. */
static void pt_span(const struct fchart *c, const struct frontier *fr,
                    const struct report_info *info, size_t k, double *x0,
                    double *x1)
{
	double x = axis_map(&c->x, pt_budget(fr, k, info));
	double xl = k > 0 ? axis_map(&c->x, pt_budget(fr, k - 1, info)) : NAN;
	double xr = k + 1 < fr->n ? axis_map(&c->x, pt_budget(fr, k + 1, info))
	                          : NAN;

	*x0 = isfinite(xl) ? (x + xl) / 2 : x - 6;
	*x1 = isfinite(xr) ? (x + xr) / 2 : x + 6;
	*x0 = fmax(*x0, FX0);
	*x1 = fmin(*x1, FX1);
}

/* Extrapolation: the budgets where the best path's optimum is outside its
 * law's fit ranges are shaded; under the curves, a bar per path in its
 * colour over the budgets where that path is extrapolated. */
static void frontier_extrapolation(FILE *f, const struct fchart *c,
                                   const struct frontier *fr,
                                   const struct report_info *info)
{
	double x0, x1;
	int row = 0;

	fputs("<g class=\"extrapolation\">\n", f);
	for (size_t k = 0; k < fr->n; k++) {
		int b = fr->pt[k].best;

		if (b < 0 || !fr->pt[k].extrap[b])
			continue;
		pt_span(c, fr, info, k, &x0, &x1);
		if (isfinite(x0) && isfinite(x1) && x1 > x0)
			fprintf(f, "<rect class=\"extrapolated-best\" x=\"%.1f\" "
			        "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			        "fill=\"#eeeeee\"/>\n", x0, FY0, x1 - x0, FY1 - FY0);
	}
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!c->planned[i])
			continue;
		for (size_t k = 0; k < fr->n; k++) {
			if (!fr->pt[k].solved[i] || !fr->pt[k].extrap[i])
				continue;
			pt_span(c, fr, info, k, &x0, &x1);
			if (isfinite(x0) && isfinite(x1) && x1 > x0)
				fprintf(f, "<rect class=\"extrapolated\" id=\"extrap-%s-%zu\" "
				        "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"4\" "
				        "fill=\"%s\"><title>%s: outside the fit ranges in "
				        "%s</title></rect>\n", report_path_name(i), k, x0,
				        FY1 - 6 - 6.0 * row, x1 - x0, path_color[i],
				        report_path_name(i), fr->pt[k].extrap_vars[i]);
		}
		row++;
	}
	fputs("</g>\n", f);
}

/* A dashed line at each crossover, labelled "from -> to, budget". */
static void frontier_crossovers(FILE *f, const struct fchart *c,
                                const struct frontier *fr,
                                const struct report_info *info)
{
	char b[32];

	if (fr->n_cross == 0)
		return;
	fputs("<g class=\"crossovers\">\n", f);
	for (size_t k = 0; k < fr->n_cross; k++) {
		const struct crossover *x = &fr->cross[k];
		double v = report_budget_value(x->budget, info);
		double px = axis_map(&c->x, v);
		const char *from = report_path_name(x->from);
		const char *to = report_path_name(x->to);
		char attrs[96];

		if (!isfinite(px) || px < FX0 || px > FX1)
			continue;
		fprintf(f, "<g class=\"crossover\">\n");
		line(f, px, FY0, px, FY1, "stroke=\"#555555\" stroke-width=\"1\" "
		     "stroke-dasharray=\"5 4\"");
		snprintf(attrs, sizeof attrs, "font-size=\"10\" text-anchor=\"end\" "
		         "transform=\"rotate(-90 %.1f %.1f)\"", px - 4, FY0 + 4);
		text_at(f, px - 4, FY0 + 4, attrs, "%s -> %s at %s",
		        from != NULL ? from : "none", to != NULL ? to : "none",
		        units_fmt_sci(v, b, sizeof b));
		fputs("</g>\n", f);
	}
	fputs("</g>\n", f);
}

static void frontier_legend(FILE *f, const struct fchart *c,
                            const struct report_info *info)
{
	double y = FY0 + 8;

	fputs("<g class=\"legend\">\n", f);
	for (int i = 0; i < PATH_COUNT; i++) {
		char attrs[64];

		if (!c->planned[i])
			continue;
		snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-width=\"2\"",
		         path_color[i]);
		line(f, LEGEND_X, y, LEGEND_X + 24, y, attrs);
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" stroke=\"%s\" "
		        "stroke-width=\"1.5\" fill=\"%s\"/>\n", LEGEND_X + 12, y,
		        path_color[i], path_color[i]);
		text_at(f, LEGEND_X + 32, y + 4, "", "%s", report_path_name(i));
		if (info->law[i] != NULL)
			text_at(f, LEGEND_X + 32, y + 18, "font-size=\"10\" "
			        "fill=\"#555555\"", "%s", info->law[i]);
		y += 38;
	}
	text_at(f, LEGEND_X, y + 4, "font-size=\"10\" fill=\"#555555\"",
	        "filled marker: best path");
	text_at(f, LEGEND_X, y + 18, "font-size=\"10\" fill=\"#555555\"",
	        "at that budget");
	line(f, LEGEND_X, y + 34, LEGEND_X + 24, y + 34, "stroke=\"#555555\" "
	     "stroke-dasharray=\"5 4\"");
	text_at(f, LEGEND_X + 32, y + 38, "font-size=\"10\" fill=\"#555555\"",
	        "crossover");
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"12\" "
	        "fill=\"#eeeeee\"/>\n", LEGEND_X, y + 48);
	text_at(f, LEGEND_X + 32, y + 58, "font-size=\"10\" fill=\"#555555\"",
	        "best path extrapolated");
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" height=\"4\" "
	        "fill=\"#555555\"/>\n", LEGEND_X, y + 70);
	text_at(f, LEGEND_X + 32, y + 76, "font-size=\"10\" fill=\"#555555\"",
	        "bar: path outside its");
	text_at(f, LEGEND_X + 32, y + 90, "font-size=\"10\" fill=\"#555555\"",
	        "law's fit ranges");
	fputs("</g>\n", f);
}

/* The checkpoint: a horizontal line at its loss, which a path must go
 * below to be best. */
static void frontier_baseline(FILE *f, const struct fchart *c,
                              const struct frontier *fr)
{
	double py;

	if (fr->n == 0 || !(fr->pt[0].baseline > 0 && isfinite(fr->pt[0].baseline)))
		return;
	py = axis_map(&c->y, fr->pt[0].baseline);
	if (!isfinite(py))
		return;
	fputs("<g class=\"baseline\" id=\"checkpoint\">\n", f);
	line(f, FX0, py, FX1, py, "stroke=\"" BASELINE_COLOR "\" stroke-width="
	     "\"1.5\" stroke-dasharray=\"2 3\"");
	text_at(f, FX1 - 4, py - 5, "font-size=\"10\" text-anchor=\"end\" fill=\""
	        BASELINE_COLOR "\"", "checkpoint %.4f", fr->pt[0].baseline);
	fputs("</g>\n", f);
}

int report_svg_frontier(FILE *f, const struct frontier *fr,
                        const struct report_info *info)
{
	struct fchart c;
	char title[256], lo[64], hi[64];

	frontier_axes(&c, fr, info);
	snprintf(title, sizeof title, "Optimal loss per training path%s%s",
	         info->model != NULL ? ", model " : "",
	         info->model != NULL ? info->model : "");
	svg_begin(f, FW, FH, title);
	text_at(f, FX0, 28, "font-size=\"16\" font-weight=\"bold\"", "%s",
	        title);
	if (fr->n > 0)
		text_at(f, FX0, 50, "fill=\"#555555\"", "%zu budgets from %s to %s; "
		        "%zu crossover%s", fr->n,
		        report_budget_text(fr->pt[0].budget, info, lo, sizeof lo),
		        report_budget_text(fr->pt[fr->n - 1].budget, info, hi, sizeof hi),
		        fr->n_cross, fr->n_cross == 1 ? "" : "s");
	frontier_extrapolation(f, &c, fr, info);
	frontier_frame(f, &c, info);
	for (int i = 0; i < PATH_COUNT; i++)   /* bands under every curve */
		if (c.planned[i])
			frontier_band(f, &c, fr, info, i);
	for (int i = 0; i < PATH_COUNT; i++)
		if (c.planned[i])
			frontier_curve(f, &c, fr, info, i);
	frontier_baseline(f, &c, fr);
	frontier_crossovers(f, &c, fr, info);
	frontier_legend(f, &c, info);
	text_at(f, FW - 8, FH - 10, "font-size=\"9\" fill=\"#999999\" "
	        "text-anchor=\"end\"", "moeplan %s", PACKAGE_VERSION);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}

/* ---- plan ----------------------------------------------------------------- */

/* The loss range of the chart: every solved loss and the baseline. */
static void plan_range(const struct plan *p, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (int i = 0; i < PATH_COUNT; i++) {
		const struct plan_path *pp = &p->path[i];

		if (!report_planned(p, i) || !pp->solved)
			continue;
		if (isfinite(pp->loss)) {
			*lo = fmin(*lo, pp->loss);
			*hi = fmax(*hi, pp->loss);
		}
		if (i == PATH_UPCYCLE && isfinite(pp->baseline_loss)) {
			*lo = fmin(*lo, pp->baseline_loss);
			*hi = fmax(*hi, pp->baseline_loss);
		}
	}
	if (p->has_baseline) {
		*lo = fmin(*lo, p->baseline_loss);
		*hi = fmax(*hi, p->baseline_loss);
	}
	if (!(*lo <= *hi)) {
		*lo = 0;
		*hi = 1;
	}
	if (*hi - *lo < 1e-3 * fmax(1, fabs(*hi))) {
		*lo -= 0.05;
		*hi += 0.05;
	}
	*lo -= 0.12 * (*hi - *lo);
	*hi += 0.12 * (*hi - *lo);
}

static void plan_axis(FILE *f, const struct axis *x, double y0, double y1)
{
	double t[MAX_TICKS];
	int n = ticks_linear(x->lo, x->hi, t, MAX_TICKS);

	for (int i = 0; i < n; i++) {
		double px = axis_map(x, t[i]);

		line(f, px, y0, px, y1, "stroke=\"#e5e5e5\"");
		line(f, px, y1, px, y1 + 5, "stroke=\"#333333\"");
		text_at(f, px, y1 + 19, "text-anchor=\"middle\"", "%g", t[i]);
	}
	line(f, x->p0, y1, x->p1, y1, "stroke=\"#333333\"");
	text_at(f, (x->p0 + x->p1) / 2, y1 + 40, "text-anchor=\"middle\"",
	        "predicted loss (nats), lower is better");
}

/* Path i's loss band (p10 to p90 over the draws) as a light bar under
 * its point, with the range written below it. */
static void plan_band(FILE *f, const struct report_info *info, int i,
                      const struct axis *x, double y)
{
	const struct unc_band *q;
	double a, b;

	if (!info->unc || info->bands == NULL || !info->bands->planned[i])
		return;
	q = &info->bands->q[i][UNC_LOSS];
	a = axis_map(x, q->p10);
	b = axis_map(x, q->p90);
	if (!isfinite(a) || !isfinite(b))
		return;
	fprintf(f, "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	        "height=\"12\" fill=\"%s\" fill-opacity=\"0.18\"/>\n",
	        fmin(a, b), y - 6, fabs(b - a), path_color[i]);
	text_at(f, (a + b) / 2, y + 33, "font-size=\"10\" text-anchor=\"middle\" "
	        "fill=\"#555555\"", "p10-p90 %.4f-%.4f, P(best) %.0f%%", q->p10,
	        q->p90, 100 * info->bands->p_best[i]);
}

/* Row of path i at height y. */
static void plan_row(FILE *f, const struct plan *p, int i, const struct axis *x,
                     double y, const struct report_info *info)
{
	const struct plan_path *pp = &p->path[i];
	double px = axis_map(x, pp->loss), pb;

	fprintf(f, "<g class=\"path\" id=\"path-%s\">\n", report_path_name(i));
	text_at(f, PX0 - 12, y + 4, "text-anchor=\"end\" font-weight=\"bold\"",
	        "%s", report_path_name(i));
	if (!pp->solved || !isfinite(px)) {
		text_at(f, PX0, y + 4, "fill=\"#555555\"", "no plan: %.80s", pp->why);
		fputs("</g>\n", f);
		return;
	}
	pb = i == PATH_UPCYCLE ? axis_map(x, pp->baseline_loss) : NAN;
	if (isfinite(pb)) {
		char attrs[96];

		snprintf(attrs, sizeof attrs, "stroke=\"%s\" stroke-dasharray=\"4 3\"",
		         path_color[i]);
		line(f, pb, y, px, y, attrs);
		fprintf(f, "<path d=\"M %.1f %.1f l 6 6 l -6 6 l -6 -6 z\" "
		        "fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
		        pb, y - 6, path_color[i]);
		text_at(f, pb, y - 10, "font-size=\"10\" text-anchor=\"middle\" "
		        "fill=\"#555555\"", "start %.4f", pp->baseline_loss);
	}
	plan_band(f, info, i, x, y);
	fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"6\" fill=\"%s\"/>\n",
	        px, y, path_color[i]);
	text_at(f, px, y + 20, "font-size=\"11\" text-anchor=\"middle\"",
	        "%.4f%s", pp->loss, p->best == i ? " (best)" : "");
	fputs("</g>\n", f);
}

/* The checkpoint: a line across the rows at its loss (the loss axis is
 * horizontal here), labelled, with the verdict when nothing beats it. */
static void plan_baseline(FILE *f, const struct plan *p, const struct axis *x,
                          double y0, double y1)
{
	double px;

	if (!p->has_baseline || !isfinite(px = axis_map(x, p->baseline_loss)))
		return;
	fputs("<g class=\"baseline\" id=\"checkpoint\">\n", f);
	line(f, px, y0, px, y1, "stroke=\"" BASELINE_COLOR "\" stroke-width="
	     "\"1.5\" stroke-dasharray=\"2 3\"");
	text_at(f, px, y0 - 4, "font-size=\"10\" text-anchor=\"middle\" fill=\""
	        BASELINE_COLOR "\"", "checkpoint %.4f%s", p->baseline_loss,
	        p->keep ? " (best: keep it)" : "");
	fputs("</g>\n", f);
}

int report_svg_plan(FILE *f, const struct plan *p,
                    const struct report_info *info)
{
	char title[256], b[64];
	struct axis x;
	double lo, hi, y = PTOP + 12;
	int rows = 0, h;

	for (int i = 0; i < PATH_COUNT; i++)
		rows += report_planned(p, i);
	h = (int)(PTOP + PROW * (rows > 0 ? rows : 1) + 64);
	plan_range(p, &lo, &hi);
	if (info->unc && info->bands != NULL)
		band_range(info, 0, &lo, &hi);
	x = (struct axis){ lo, hi, 0, PX0, PX1 };
	if (p->is_target)
		snprintf(title, sizeof title, "Target loss %.4f: cheapest %s%s%s",
		         p->target_loss, isfinite(p->budget) ?
		         report_budget_text(p->budget, info, b, sizeof b) : "none",
		         info->model != NULL ? ", model " : "",
		         info->model != NULL ? info->model : "");
	else
		snprintf(title, sizeof title, "Plan for %s%s%s",
		         report_budget_text(p->budget, info, b, sizeof b),
		         info->model != NULL ? ", model " : "",
		         info->model != NULL ? info->model : "");
	svg_begin(f, PW, h, title);
	text_at(f, 20, 28, "font-size=\"16\" font-weight=\"bold\"", "%s", title);
	text_at(f, 20, 50, "fill=\"#555555\"", "%s", p->keep
	        ? "no path beats the checkpoint within the budget: keep it"
	        : p->best >= 0 && p->is_target
	        ? "each path at the least budget that reaches the target"
	        : p->best >= 0
	        ? "predicted loss of each path at its compute-optimal allocation"
	        : "no path has a plan");
	plan_axis(f, &x, PTOP - 8, PTOP + PROW * rows - 8);
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		plan_row(f, p, i, &x, y, info);
		y += PROW;
	}
	plan_baseline(f, p, &x, PTOP - 8, PTOP + PROW * rows - 8);
	fputs("</svg>\n", f);
	return ferror(f) ? -1 : 0;
}
