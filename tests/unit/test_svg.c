/*
 * test_svg.c — the SVG sink (report_svg.c) on hand-built frontiers and
 * plans: the output is well-formed XML (a small checker here: balanced
 * tags, quoted attributes, escaped text), holds the expected elements (a
 * curve per path, a gap where a path has no plan, a marker per point,
 * filled where the path is best, a dashed line per crossover, a legend),
 * never prints NaN or Inf, keeps every coordinate on the canvas, and
 * scales both frontier axes logarithmically: equal budget ratios give
 * equal x steps, and y differences follow differences of ln(loss).  The
 * losses and budgets are inputs written by hand; the expected positions
 * are computed here from those inputs with log10 and ln.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/report.h"
#include "tap.h"

/* ---- a minimal XML checker ------------------------------------------------ */

#define XML_DEPTH 64

/* Past an entity at s ("&amp;", "&#39;"), or NULL if it is not one. */
static const char *xml_entity(const char *s)
{
	static const char *const names[] = { "amp;", "lt;", "gt;", "quot;",
	                                     "apos;", NULL };

	s++;
	for (int i = 0; names[i] != NULL; i++)
		if (strncmp(s, names[i], strlen(names[i])) == 0)
			return s + strlen(names[i]);
	if (*s++ != '#')
		return NULL;
	if (!isdigit((unsigned char)*s))
		return NULL;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == ';' ? s + 1 : NULL;
}

/* Past the attributes of a tag, at '>' or "/>"; NULL if malformed. */
static const char *xml_attrs(const char *s)
{
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '>' || (s[0] == '/' && s[1] == '>') ||
		    (s[0] == '?' && s[1] == '>'))
			return s;
		if (!isalpha((unsigned char)*s))
			return NULL;
		while (isalnum((unsigned char)*s) || *s == '-' || *s == ':' || *s == '_')
			s++;
		if (*s++ != '=' || *s++ != '"')
			return NULL;
		while (*s != '"') {
			if (*s == '\0' || *s == '<')
				return NULL;
			if (*s == '&') {
				if ((s = xml_entity(s)) == NULL)
					return NULL;
				continue;
			}
			s++;
		}
		s++;
	}
}

/* 1 if doc is one well-formed element (after an XML declaration) whose
 * root is <svg>, with balanced tags and escaped text. */
static int xml_ok(const char *doc, char *why, size_t n)
{
	char stack[XML_DEPTH][32];
	int depth = 0, roots = 0;
	const char *s = doc;

	if (strncmp(s, "<?xml ", 6) != 0)
		return snprintf(why, n, "no XML declaration"), 0;
	if ((s = strstr(s, "?>")) == NULL)
		return snprintf(why, n, "unterminated declaration"), 0;
	for (s += 2; *s; ) {
		if (*s == '&') {
			if ((s = xml_entity(s)) == NULL)
				return snprintf(why, n, "bad entity"), 0;
			continue;
		}
		if (*s != '<') {
			if (depth == 0 && !isspace((unsigned char)*s))
				return snprintf(why, n, "text outside the root"), 0;
			s++;
			continue;
		}
		if (s[1] == '/') {                         /* end tag */
			size_t len = strcspn(s + 2, ">");

			if (depth == 0 || len != strlen(stack[depth - 1]) ||
			    strncmp(s + 2, stack[depth - 1], len) != 0)
				return snprintf(why, n, "unbalanced </%.*s>", (int)len, s + 2), 0;
			depth--;
			s += 2 + len + 1;
			continue;
		}
		{                                           /* start tag */
			const char *name = s + 1, *end;
			size_t len = 0;

			while (isalnum((unsigned char)name[len]))
				len++;
			if (len == 0 || len >= sizeof stack[0])
				return snprintf(why, n, "bad tag name"), 0;
			if ((end = xml_attrs(name + len)) == NULL)
				return snprintf(why, n, "bad attributes in <%.*s>", (int)len, name), 0;
			if (depth == 0 && roots++ > 0)
				return snprintf(why, n, "two root elements"), 0;
			if (depth == 0 && strncmp(name, "svg", len) != 0)
				return snprintf(why, n, "root is not svg"), 0;
			if (*end == '>') {
				if (depth == XML_DEPTH)
					return snprintf(why, n, "too deep"), 0;
				memcpy(stack[depth], name, len);
				stack[depth++][len] = '\0';
				s = end + 1;
			} else {
				s = end + 2;
			}
		}
	}
	if (depth != 0)
		return snprintf(why, n, "%d unclosed tags", depth), 0;
	return roots == 1 ? 1 : (snprintf(why, n, "no root"), 0);
}

/* ---- looking at the output ------------------------------------------------- */

static int count(const char *doc, const char *what)
{
	int k = 0;

	for (const char *s = doc; (s = strstr(s, what)) != NULL; s += strlen(what))
		k++;
	return k;
}

/* No "nan" or "inf" anywhere, in any case. */
static int has_nonfinite(const char *doc)
{
	for (const char *s = doc; *s; s++)
		if (strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, "inf", 3) == 0)
			return 1;
	return 0;
}

/* Every numeric coordinate attribute is finite and on the canvas. */
static int coords_on_canvas(const char *doc, double w, double h)
{
	static const char *const xs[] = { " x=\"", " cx=\"", " x1=\"", " x2=\"", NULL };
	static const char *const ys[] = { " y=\"", " cy=\"", " y1=\"", " y2=\"", NULL };

	for (int axis = 0; axis < 2; axis++)
		for (const char *const *a = axis ? ys : xs; *a; a++)
			for (const char *s = doc; (s = strstr(s, *a)) != NULL; s++) {
				double v = strtod(s + strlen(*a), NULL);

				if (!isfinite(v) || v < 0 || v > (axis ? h : w))
					return 0;
			}
	return 1;
}

/* The points of the k-th polyline inside <g ... id="path-NAME">. */
static int polyline(const char *doc, const char *path, int k, double *x,
                    double *y, int max)
{
	char id[64];
	const char *g, *end, *s;
	int n = 0;

	snprintf(id, sizeof id, "id=\"path-%s\"", path);
	if ((g = strstr(doc, id)) == NULL || (end = strstr(g, "</g>")) == NULL)
		return -1;
	s = g;
	for (int i = 0; i <= k; i++)
		if ((s = strstr(s + 1, "<polyline")) == NULL || s > end)
			return -1;
	s = strstr(s, "points=\"") + 8;
	while (*s != '"' && n < max) {
		char *e;

		x[n] = strtod(s, &e);
		y[n] = strtod(e + 1, &e);
		n++;
		s = e;
		while (*s == ' ')
			s++;
	}
	return n;
}

/* How many circles inside path NAME's group have fill colour `fill`. */
static int circles_filled(const char *doc, const char *path, const char *fill)
{
	char id[64], want[64];
	const char *g, *end;
	int k = 0;

	snprintf(id, sizeof id, "id=\"path-%s\"", path);
	snprintf(want, sizeof want, "fill=\"%s\"", fill);
	if ((g = strstr(doc, id)) == NULL || (end = strstr(g, "</g>")) == NULL)
		return -1;
	for (const char *s = g; (s = strstr(s, "<circle")) != NULL && s < end; s++) {
		const char *close = strstr(s, "/>");

		if (close != NULL && strstr(s, want) != NULL && strstr(s, want) < close)
			k++;
	}
	return k;
}

/* x1 of the k-th crossover line. */
static double crossover_x(const char *doc, int k)
{
	const char *s = doc;

	for (int i = 0; i <= k; i++)
		if ((s = strstr(s + 1, "<g class=\"crossover\">")) == NULL)
			return NAN;
	s = strstr(s, "x1=\"");
	return s != NULL ? strtod(s + 4, NULL) : NAN;
}

static char *render(int frontier, const void *what,
                    const struct report_info *info, int *rc)
{
	const struct report_sink *s = report_sink_find("svg");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (s == NULL) {
		*rc = -2;
	} else {
		*rc = frontier ? s->frontier(f, what, info) : s->plan(f, what, info);
	}
	fclose(f);
	return buf;
}

/* Width and height from the root element. */
static void canvas(const char *doc, double *w, double *h)
{
	const char *s = strstr(doc, "<svg");

	*w = *h = NAN;
	if (s == NULL)
		return;
	if ((s = strstr(s, " width=\"")) != NULL)
		*w = strtod(s + 8, NULL);
	if (s != NULL && (s = strstr(s, " height=\"")) != NULL)
		*h = strtod(s + 9, NULL);
}

static void check_document(const char *doc, const char *what)
{
	char why[128] = "", msg[256];
	double w, h;

	snprintf(msg, sizeof msg, "%s: well-formed XML", what);
	check(doc != NULL && xml_ok(doc, why, sizeof why), msg);
	if (why[0])
		printf("  %s\n", why);
	snprintf(msg, sizeof msg, "%s: no NaN or Inf", what);
	check(doc != NULL && !has_nonfinite(doc), msg);
	canvas(doc, &w, &h);
	snprintf(msg, sizeof msg, "%s: every coordinate on the %gx%g canvas",
	         what, w, h);
	check(isfinite(w) && isfinite(h) && coords_on_canvas(doc, w, h), msg);
	snprintf(msg, sizeof msg, "%s: self-contained (no href, no script)", what);
	check(strstr(doc, "href") == NULL && strstr(doc, "<script") == NULL, msg);
}

/* ---- frontier ------------------------------------------------------------ */

/* Budgets 1e18..1e22, one per decade.  best: moe, moe, dense, upcycle, dense;
 * upcycle has no plan at 1e20 (a gap). */
static const double budgets[5] = { 1e18, 1e19, 1e20, 1e21, 1e22 };
static const double loss[PATH_COUNT][5] = {
	{ 3.00, 2.60, 2.30, 2.10, 1.90 },
	{ 2.90, 2.55, 2.31, 2.12, 1.93 },
	{ 2.95, 2.58, NAN, 2.08, 1.95 },
	{ NAN, NAN, NAN, NAN, NAN },          /* continue: not planned */
};

static void make_frontier(struct frontier *fr, struct frontier_point *pt,
                          struct crossover *cross)
{
	static const int best[5] = { PATH_MOE, PATH_MOE, PATH_DENSE, PATH_UPCYCLE,
	                             PATH_DENSE };

	memset(fr, 0, sizeof *fr);
	for (int k = 0; k < 5; k++) {
		memset(&pt[k], 0, sizeof pt[k]);
		pt[k].budget = budgets[k];
		pt[k].best = best[k];
		for (int i = 0; i < PATH_COUNT; i++) {
			pt[k].solved[i] = isfinite(loss[i][k]);
			pt[k].loss[i] = loss[i][k];
			pt[k].params[i] = 1e9;
			pt[k].tokens[i] = budgets[k] / 6e9;
		}
	}
	cross[0] = (struct crossover){ 3e19, PATH_MOE, PATH_DENSE };
	cross[1] = (struct crossover){ 4e20, PATH_DENSE, PATH_UPCYCLE };
	cross[2] = (struct crossover){ 5e21, PATH_UPCYCLE, PATH_DENSE };
	fr->n = 5;
	fr->pt = pt;
	fr->n_cross = 3;
	fr->cross = cross;
}

static void test_frontier(void)
{
	struct frontier fr;
	struct frontier_point pt[5];
	struct crossover cross[3];
	struct report_info info;
	double x[16], y[16], x2[16], y2[16], decade;
	int rc, n;
	char *doc;

	make_frontier(&fr, pt, cross);
	report_info_init(&info);
	info.model = "m<&>";
	info.law[PATH_DENSE] = "m/dense";
	info.law[PATH_MOE] = "m/moe";
	info.law[PATH_UPCYCLE] = "m/up";
	doc = render(1, &fr, &info, &rc);
	check_int(rc, 0, "frontier: svg sink returns 0");
	check_document(doc, "frontier");
	check(count(doc, "<svg xmlns=\"http://www.w3.org/2000/svg\"") == 1,
	      "frontier: one <svg> root in the SVG namespace");
	check(count(doc, "<title>") == 1, "frontier: a <title>");
	check(strstr(doc, "m&lt;&amp;&gt;") != NULL && strstr(doc, "m<&>") == NULL,
	      "frontier: the model name is escaped");
	/* 4 curves: dense, moe, and upcycle in two pieces around its gap */
	check_int(count(doc, "<polyline"), 4, "frontier: 4 polylines (upcycle has a gap)");
	/* one marker per solved point (5 + 5 + 4) plus one per legend entry (3) */
	check_int(count(doc, "<circle"), 17, "frontier: 14 point markers + 3 in the legend");
	check_int(circles_filled(doc, "dense", "#1f77b4"), 2, "frontier: dense best at 2 budgets");
	check_int(circles_filled(doc, "moe", "#d62728"), 2, "frontier: moe best at 2 budgets");
	check_int(circles_filled(doc, "upcycle", "#2ca02c"), 1, "frontier: upcycle best at 1 budget");
	check_int(count(doc, "<g class=\"crossover\">"), 3, "frontier: 3 crossovers marked");
	check(strstr(doc, "moe -&gt; dense at 3.0e19") != NULL,
	      "frontier: crossover labelled 'moe -> dense at 3.0e19'");
	check(strstr(doc, ">dense<") && strstr(doc, ">moe<") && strstr(doc, ">upcycle<"),
	      "frontier: legend names the three paths");
	check(strstr(doc, "(FLOPs)") != NULL, "frontier: x axis labelled in FLOPs");
	check(strstr(doc, "loss (nats") != NULL, "frontier: y axis labelled in nats");
	check(strstr(doc, ">1e18<") && strstr(doc, ">1e22<"), "frontier: decade tick labels");

	/* log x: one decade per point, so the steps are equal */
	n = polyline(doc, "dense", 0, x, y, 16);
	check_int(n, 5, "frontier: dense curve has 5 points");
	decade = (x[4] - x[0]) / 4;
	for (int k = 1; k < 5 && n == 5; k++)
		check_rel(x[k] - x[k - 1], decade, 0.01, "frontier: equal x step per decade");
	/* log y: y differences are proportional to differences of ln L */
	if (n == 5) {
		double per_ln = (y[4] - y[0]) / (log(loss[0][4]) - log(loss[0][0]));

		check(per_ln < 0, "frontier: lower loss is drawn higher (smaller y)");
		for (int k = 1; k < 4; k++)
			check_rel(y[k] - y[0], per_ln * (log(loss[0][k]) - log(loss[0][0])),
			          0.02, "frontier: dense y follows ln(loss)");
		n = polyline(doc, "moe", 0, x2, y2, 16);
		check_int(n, 5, "frontier: moe curve has 5 points");
		if (n == 5)
			check_rel(y2[2] - y[2], per_ln * (log(2.31) - log(2.30)), 0.2,
			          "frontier: moe 2.31 vs dense 2.30 at 1e20, same scale");
		/* crossovers at log10(budget) between the decades */
		for (int c = 0; c < 3; c++) {
			double want = x[0] + decade * (log10(cross[c].budget) - 18);

			check_rel(crossover_x(doc, c), want, 0.002,
			          "frontier: crossover line at x(log10 budget)");
		}
	}
	n = polyline(doc, "upcycle", 0, x2, y2, 16);
	check_int(n, 2, "frontier: upcycle's first piece has 2 points");
	n = polyline(doc, "upcycle", 1, x2, y2, 16);
	check_int(n, 2, "frontier: upcycle's second piece has 2 points");
	free(doc);

	/* nothing solved: still a well-formed chart with no numbers made up */
	for (int k = 0; k < 5; k++) {
		pt[k].best = -1;
		for (int i = 0; i < PATH_COUNT; i++) {
			pt[k].solved[i] = 0;
			pt[k].loss[i] = NAN;
		}
	}
	fr.n_cross = 0;
	doc = render(1, &fr, &info, &rc);
	check_int(rc, 0, "frontier, nothing solved: returns 0");
	check_document(doc, "frontier, nothing solved");
	check_int(count(doc, "<polyline"), 0, "frontier, nothing solved: no curve");
	free(doc);

	/* budgets in device-hours label the axis so */
	make_frontier(&fr, pt, cross);
	info.unit = UNIT_HOURS;
	doc = render(1, &fr, &info, &rc);
	check_document(doc, "frontier in hours");
	check(strstr(doc, "device-hours") != NULL, "frontier in hours: axis says device-hours");
	free(doc);
}

/* ---- plan ------------------------------------------------------------------ */

static struct law law_dense, law_moe, law_up;

static void make_plan(struct plan *p)
{
	law_dense = (struct law){ .model = (char *)"m", .name = (char *)"dense",
	                          .path = PATH_DENSE };
	law_moe = (struct law){ .model = (char *)"m", .name = (char *)"moe",
	                        .path = PATH_MOE };
	law_up = (struct law){ .model = (char *)"m", .name = (char *)"up",
	                       .path = PATH_UPCYCLE };
	memset(p, 0, sizeof *p);
	p->budget = 1e22;
	p->best = PATH_MOE;
	p->path[PATH_DENSE].law = &law_dense;
	p->path[PATH_DENSE].solved = 1;
	p->path[PATH_DENSE].loss = 1.9151;
	p->path[PATH_MOE].law = &law_moe;
	p->path[PATH_MOE].solved = 1;
	p->path[PATH_MOE].loss = 1.8231;
	p->path[PATH_UPCYCLE].law = &law_up;
	p->path[PATH_UPCYCLE].solved = 1;
	p->path[PATH_UPCYCLE].loss = 1.8987;
	p->path[PATH_UPCYCLE].baseline_loss = 2.0714;
}

static void test_plan(void)
{
	struct plan p;
	struct report_info info;
	const char *c;
	int rc;
	char *doc;

	make_plan(&p);
	report_info_init(&info);
	info.model = "m";
	doc = render(0, &p, &info, &rc);
	check_int(rc, 0, "plan: svg sink returns 0");
	check_document(doc, "plan");
	check_int(count(doc, "<g class=\"path\""), 3, "plan: one row per path");
	check_int(count(doc, "<circle"), 3, "plan: one dot per path");
	check_int(count(doc, "(best)"), 1, "plan: one path marked best");
	check(strstr(doc, "1.8231 (best)") != NULL, "plan: the best is moe at 1.8231");
	check(strstr(doc, "start 2.0714") != NULL, "plan: the upcycle baseline is shown");
	check(strstr(doc, "Plan for 1.0e22 FLOPs") != NULL, "plan: title gives the budget");
	/* the dots lie left to right in the order of their losses */
	{
		double xm = NAN, xu = NAN, xd = NAN;

		if ((c = strstr(doc, "id=\"path-dense\"")) && (c = strstr(c, "cx=\"")))
			xd = strtod(c + 4, NULL);
		if ((c = strstr(doc, "id=\"path-moe\"")) && (c = strstr(c, "cx=\"")))
			xm = strtod(c + 4, NULL);
		if ((c = strstr(doc, "id=\"path-upcycle\"")) && (c = strstr(c, "cx=\"")))
			xu = strtod(c + 4, NULL);
		check(xm < xu && xu < xd, "plan: x order moe < upcycle < dense, as the losses");
		/* linear axis: (xu - xm) / (xd - xm) = (1.8987 - 1.8231) / (1.9151 - 1.8231) */
		check_rel((xu - xm) / (xd - xm), (1.8987 - 1.8231) / (1.9151 - 1.8231),
		          0.01, "plan: linear loss axis");
	}
	free(doc);

	/* an unsolved path says so, without a dot */
	p.path[PATH_MOE].solved = 0;
	p.path[PATH_MOE].loss = NAN;
	snprintf(p.path[PATH_MOE].why, sizeof p.path[PATH_MOE].why,
	         "budget < 2 x \"minimum\"");
	p.best = PATH_UPCYCLE;
	doc = render(0, &p, &info, &rc);
	check_document(doc, "plan, moe unsolved");
	check_int(count(doc, "<circle"), 2, "plan, moe unsolved: two dots");
	check(strstr(doc, "no plan: budget &lt; 2 x &quot;minimum&quot;") != NULL,
	      "plan, moe unsolved: the reason, escaped");
	free(doc);
}

int main(void)
{
	check(report_sink_find("svg") != NULL, "sink svg is registered");
	{
		char b[128];

		check(strstr(report_formats_for(REPORT_FRONTIER, ", ", b, sizeof b),
		             "svg") != NULL, "frontier formats list svg");
		check(report_sink_for(REPORT_COST, "svg") == NULL,
		      "svg is no format of a cost breakdown");
	}
	test_frontier();
	test_plan();
	return check_done();
}
