/*
 * fit_data.c — a CSV of runs mapped onto a law's variables (see
 * fit_data.h): which column feeds each variable, the numbers read with
 * their file:line:col, the compute rule solved for the eliminated
 * variable, the highest losses dropped.  Owns the points' arrays.
 */
#include "config.h"

#include "fit_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SOLVE_ITER 60
#define SOLVE_TOL 1e-12

/* Where a variable's values come from. */
struct source {
	int col;          /* a column, or -1 */
	int solve;        /* solved from the compute column */
	double fixed;     /* its one value, when col < 0 and !solve */
};

static const char *header_for(const struct fit_columns *c, const char *var)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->var[i], var) == 0)
			return c->header[i];
	return var;
}

/* The column named header; err names the option that asked for it. */
static int find_column(const struct runs_csv *t, const char *header,
                       const char *what, struct mp_error *err)
{
	int k = runs_csv_column(t, header);

	if (k == -2)
		mp_error_at(err, t->file, 1, 1, "column '%s' (%s) appears more than "
		            "once in the header", header, what);
	else if (k < 0)
		mp_error_at(err, t->file, 1, 1, "no column '%s' (%s) in the header",
		            header, what);
	return k;
}

static int check_options(const struct law *L, const struct fit_columns *c,
                         struct mp_error *err)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->var[i], "loss") != 0 && law_var_index(L, c->var[i]) < 0)
			return mp_error_set(err, "--column %s=%s: the law %s:%s has no "
			                    "variable '%s'", c->var[i], c->header[i],
			                    L->model, L->name, c->var[i]);
	if (c->compute != NULL && L->elim >= 0 &&
	    strcmp(header_for(c, L->vars[L->elim].name), L->vars[L->elim].name))
		return mp_error_set(err, "--compute: %s is solved from the compute "
		                    "rule, and --column maps it too",
		                    L->vars[L->elim].name);
	return 0;
}

static int map_variable(const struct runs_csv *t, const struct law *L,
                        const struct fit_columns *c, size_t v,
                        struct source *s, struct mp_error *err)
{
	const struct law_var *var = &L->vars[v];
	const char *h = header_for(c, var->name);
	char what[96];

	s->col = -1;
	s->solve = c->compute != NULL && (int)v == L->elim;
	s->fixed = var->n_values == 1 ? var->values[0] : NAN;
	if (s->solve)
		return 0;
	if (runs_csv_column(t, h) == -1 && var->n_values == 1 && h == var->name)
		return 0;                  /* no column: its one value */
	snprintf(what, sizeof what, "variable %s%s", var->name,
	         h == var->name ? "; map another with --column" : "");
	if ((s->col = find_column(t, h, what, err)) < 0)
		return -1;
	return 0;
}

/* The variable at the budget's end: flops(x) = C by Newton's method on
 * x[elim] (the shipped rules are linear in it: one step). */
static int solve_compute(const struct law *L, double *x, double C)
{
	int e = L->elim;

	x[e] = 1;
	for (int it = 0; it < SOLVE_ITER; it++) {
		double f = law_flops(L, x), df = law_dflops(L, x);

		if (!isfinite(f) || !(df > 0))
			return -1;
		if (fabs(f - C) <= SOLVE_TOL * C)
			return x[e] > 0 ? 0 : -1;
		x[e] -= (f - C) / df;
		if (!(x[e] > 0) || !isfinite(x[e]))
			return -1;
	}
	return -1;
}

/* Row r's cell in column col as a number that must be positive (pos),
 * or >= 0. */
static int cell(const struct runs_csv *t, size_t r, int col, int pos,
                double *v, struct mp_error *err)
{
	size_t k = r * t->n_cols + (size_t)col;

	if (runs_csv_number(t, r, (size_t)col, v, err) != 0)
		return -1;
	if (pos ? *v > 0 : *v >= 0)
		return 0;
	return mp_error_at(err, t->file, t->line[k], t->col[k], "column "
	                   "'%s': %s must be %s", t->header[col], t->cell[k],
	                   pos ? "positive" : "zero or more");
}

struct mapping {
	struct source src[LAW_MAX_VARS];
	int loss, weight, compute;
};

static int read_row(const struct runs_csv *t, const struct law *L,
                    const struct mapping *m, size_t r, double *x, double *loss,
                    double *w, struct mp_error *err)
{
	double C;

	for (size_t v = 0; v < L->n_vars; v++) {
		if (m->src[v].col >= 0 &&
		    runs_csv_number(t, r, (size_t)m->src[v].col, &x[v], err) != 0)
			return -1;
		if (m->src[v].col < 0)
			x[v] = m->src[v].fixed;
	}
	if (cell(t, r, m->loss, 1, loss, err) != 0 ||
	    (m->weight >= 0 && cell(t, r, m->weight, 0, w, err) != 0))
		return -1;
	if (m->compute < 0)
		return 0;
	if (cell(t, r, m->compute, 1, &C, err) != 0)
		return -1;
	if (solve_compute(L, x, C) != 0) {
		size_t k = r * t->n_cols + (size_t)m->compute;

		return mp_error_at(err, t->file, t->line[k], t->col[k], "cannot "
		                   "solve the compute rule %s = %s for %s",
		                   L->flops_src, t->cell[k], L->vars[L->elim].name);
	}
	return 0;
}

static int map_all(const struct runs_csv *t, const struct law *L,
                   const struct fit_columns *c, struct mapping *m,
                   struct mp_error *err)
{
	if (check_options(L, c, err) != 0)
		return -1;
	for (size_t v = 0; v < L->n_vars; v++)
		if (map_variable(t, L, c, v, &m->src[v], err) != 0)
			return -1;
	m->weight = m->compute = -1;
	if ((m->loss = find_column(t, header_for(c, "loss"), "the loss; map "
	                           "another with --column loss=HEADER", err)) < 0)
		return -1;
	if (c->weight != NULL &&
	    (m->weight = find_column(t, c->weight, "--weight", err)) < 0)
		return -1;
	if (c->compute != NULL &&
	    (m->compute = find_column(t, c->compute, "--compute", err)) < 0)
		return -1;
	return 0;
}

/* Remove point i, keeping the others in file order. */
static void remove_point(struct fit_points *p, size_t i)
{
	size_t after = p->n - i - 1;

	memmove(p->x + i * p->nv, p->x + (i + 1) * p->nv,
	        after * p->nv * sizeof *p->x);
	memmove(p->loss + i, p->loss + i + 1, after * sizeof *p->loss);
	if (p->w != NULL)
		memmove(p->w + i, p->w + i + 1, after * sizeof *p->w);
	p->n--;
}

/* Drop the k points of highest loss (the first of equal ones). */
static void exclude_top(struct fit_points *p, size_t k)
{
	for (size_t r = 0; r < k && p->n > 0; r++) {
		size_t worst = 0;

		for (size_t i = 1; i < p->n; i++)
			if (p->loss[i] > p->loss[worst])
				worst = i;
		remove_point(p, worst);
	}
}

/* Each variable's smallest and largest value over the points. */
static void ranges(struct fit_points *p)
{
	for (size_t v = 0; v < p->nv; v++) {
		p->lo[v] = INFINITY;
		p->hi[v] = -INFINITY;
		for (size_t i = 0; i < p->n; i++) {
			p->lo[v] = fmin(p->lo[v], p->x[i * p->nv + v]);
			p->hi[v] = fmax(p->hi[v], p->x[i * p->nv + v]);
		}
	}
}

static int alloc_points(struct fit_points *p, size_t n, size_t nv, int w,
                        struct mp_error *err)
{
	memset(p, 0, sizeof *p);
	p->nv = nv;
	p->x = malloc((n * nv + 1) * sizeof *p->x);
	p->loss = malloc((n + 1) * sizeof *p->loss);
	p->w = w ? malloc((n + 1) * sizeof *p->w) : NULL;
	if (p->x == NULL || p->loss == NULL || (w && p->w == NULL)) {
		fit_points_free(p);
		return mp_error_set(err, "out of memory");
	}
	return 0;
}

int fit_points_read(const struct runs_csv *t, const struct law *L,
                    const struct fit_columns *c, struct fit_points *p,
                    struct mp_error *err)
{
	struct mapping m;

	if (map_all(t, L, c, &m, err) != 0 ||
	    alloc_points(p, t->n_rows, L->n_vars, m.weight >= 0, err) != 0)
		return -1;
	for (size_t r = 0; r < t->n_rows; r++)
		if (read_row(t, L, &m, r, p->x + r * L->n_vars, &p->loss[r],
		             p->w ? &p->w[r] : NULL, err) != 0) {
			fit_points_free(p);
			return -1;
		}
	p->n = p->n_read = t->n_rows;
	if (c->exclude_top >= p->n && p->n > 0) {
		fit_points_free(p);
		return mp_error_set(err, "--exclude-top-loss %zu: the data have "
		                    "only %zu runs", c->exclude_top, t->n_rows);
	}
	exclude_top(p, c->exclude_top);
	ranges(p);
	return 0;
}

void fit_points_free(struct fit_points *p)
{
	free(p->x);
	free(p->loss);
	free(p->w);
	p->x = p->loss = p->w = NULL;
	p->n = 0;
}
