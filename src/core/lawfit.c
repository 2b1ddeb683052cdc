/*
 * lawfit.c — fitting a law's coefficients to runs, and its bootstrap (see
 * lawfit.h).  Owns the fitter: the wrappers of the law's evaluators, the
 * GSL minimiser and the grid's scratch space.
 *
 * The fitter reads the law's sealed evaluators and symbol table (law.h's
 * private fields: loss_ev, derived_ev, sym) to evaluate and differentiate
 * them; it never changes them.  Values are laid out as law.c lays them
 * out: coefficients, derived quantities, variables.
 */
#include "config.h"

#include "lawfit.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <matheval.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BFGS_MAXITER 2000
#define BFGS_LEG 50         /* iterations before the coordinates are rescaled */
#define BFGS_STEP 0.1       /* the first trial step (GSL's step_size) */
#define BFGS_LINE_TOL 0.1   /* GSL's recommended line-search tolerance */
#define BFGS_GTOL 1e-7      /* |gradient| of the scaled objective: done */
#define BFGS_GACCEPT 1e-5   /* ... still a stationary point when BFGS
                               stops making progress above BFGS_GTOL */
#define FD_STEP 1e-5      /* central differences (predict_gradient) */
#define PRECOND_RIDGE 1e-6 /* of the mean diagonal (precondition) */
#define BOUND_STUCK 1e-2    /* ... or this close, when BFGS stopped there
                               without converging */
#define BOUND_REL 1e-4      /* an optimum this close to a bound (a share
                               of the range's width) is on it */

/* An evaluator and where the symbols it reads are in the value array. */
struct ev {
	void *ev;        /* NULL: not used */
	int n;
	char **names;    /* the evaluator's own list */
	int idx[LAW_MAX_SYMS];
};

struct lawfit {
	const struct law *L;
	struct lawfit_spec s;
	size_t nc, nd, nv, p;
	double lo[LAWFIT_MAX_PAR], hi[LAWFIT_MAX_PAR];  /* fitted space */
	int need[LAW_MAX_SYMS];          /* derived k is used by the loss */
	struct ev loss, derived[LAW_MAX_SYMS];
	gsl_multimin_fdfminimizer *min;
	double org[LAWFIT_MAX_PAR];      /* BFGS runs in u, theta = org + */
	double chol[LAWFIT_MAX_PAR * LAWFIT_MAX_PAR]; /* K^-T u (lower K) */
	const struct lawfit_data *d;     /* the points of the current run */
	double wsum;
	int bad_grad;                    /* a gradient was not finite */
};

/* ---- evaluators ------------------------------------------------------------ */

static int sym_index(const struct law *L, const char *name)
{
	for (size_t i = 0; i < L->n_sym; i++)
		if (strcmp(L->sym[i], name) == 0)
			return (int)i;
	return -1;
}

static int ev_wrap(struct ev *e, void *ev, const struct law *L)
{
	e->ev = ev;
	evaluator_get_variables(ev, &e->names, &e->n);
	for (int t = 0; t < e->n; t++)
		if ((e->idx[t] = sym_index(L, e->names[t])) < 0)
			return -1;
	return 0;
}

static int ev_uses(const struct ev *e, int sym)
{
	for (int t = 0; e->ev != NULL && t < e->n; t++)
		if (e->idx[t] == sym)
			return 1;
	return 0;
}

static double ev_eval(const struct ev *e, const double *val)
{
	double v[LAW_MAX_SYMS];

	for (int t = 0; t < e->n; t++)
		v[t] = val[e->idx[t]];
	return evaluator_evaluate(e->ev, e->n, e->names, v);
}

/* ---- the parameters ---------------------------------------------------------- */

const char *lawfit_space_name(enum lawfit_space s)
{
	return s == LAWFIT_LOG ? "log" : "linear";
}

double lawfit_natural(enum lawfit_space s, double theta)
{
	return s == LAWFIT_LOG ? exp(theta) : theta;
}

const char *lawfit_param_name(const struct law *L, const struct lawfit_param *p,
                              char *buf, size_t n)
{
	snprintf(buf, n, "%s%s", p->space == LAWFIT_LOG ? "log_" : "",
	         L->coef_name[p->coef]);
	return buf;
}

/* Parameter j's range in its fitted space. */
static int set_range(struct lawfit *F, size_t j, struct mp_error *err)
{
	const struct lawfit_param *p = &F->s.par[j];
	const char *name = F->L->coef_name[p->coef];
	int none = isnan(p->lo) && isnan(p->hi);

	if (!none && !(p->lo < p->hi)) {
		mp_error_set(err, "coefficient '%s': range [%g, %g] is empty", name,
		             p->lo, p->hi);
		return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
	}
	if (p->space == LAWFIT_LOG && !none && !(p->lo >= 0)) {
		mp_error_set(err, "coefficient '%s' is fitted as its log: its range "
		             "[%g, %g] must not reach below 0", name, p->lo, p->hi);
		return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
	}
	if (p->space == LAWFIT_LOG) {
		F->lo[j] = none || p->lo == 0 ? -LAWFIT_LOG_LIMIT : log(p->lo);
		F->hi[j] = none || isinf(p->hi) ? LAWFIT_LOG_LIMIT : log(p->hi);
	} else {
		F->lo[j] = none || isinf(p->lo) ? -LAWFIT_LIN_LIMIT : p->lo;
		F->hi[j] = none || isinf(p->hi) ? LAWFIT_LIN_LIMIT : p->hi;
	}
	for (size_t k = 0; k < p->n_start; k++)
		if (!(p->start[k] > F->lo[j] && p->start[k] < F->hi[j])) {
			mp_error_set(err, "coefficient '%s': start %g (%s space) is "
			             "outside its range", name, p->start[k],
			             lawfit_space_name(p->space));
			return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
		}
	return 0;
}

/* The loss reads coefficient c, directly or through a derived quantity. */
static int loss_reads(const struct lawfit *F, int c)
{
	if (ev_uses(&F->loss, c))
		return 1;
	for (size_t k = 0; k < F->nd; k++)
		if (F->need[k] && ev_uses(&F->derived[k], c))
			return 1;
	return 0;
}

static int check_param(struct lawfit *F, size_t j, struct mp_error *err)
{
	const struct lawfit_param *p = &F->s.par[j];
	const char *name;

	if (p->coef < 0 || (size_t)p->coef >= F->nc)
		return mp_error_set(err, "parameter %zu is not a coefficient", j);
	name = F->L->coef_name[p->coef];
	for (size_t k = 0; k < j; k++)
		if (F->s.par[k].coef == p->coef) {
			mp_error_set(err, "coefficient '%s' is fitted twice", name);
			return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
		}
	if (!loss_reads(F, p->coef)) {
		mp_error_set(err, "the loss does not depend on coefficient '%s': "
		             "it cannot be fitted", name);
		return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
	}
	if (p->n_start == 0 || p->n_start > LAWFIT_MAX_START) {
		mp_error_set(err, "coefficient '%s' needs 1 to %d starting values",
		             name, LAWFIT_MAX_START);
		return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
	}
	return set_range(F, j, err);
}

/* Coefficients that are not parameters keep their values: they need one. */
static int check_fixed(const struct lawfit *F, struct mp_error *err)
{
	for (size_t c = 0; c < F->nc; c++) {
		int fitted = 0;

		for (size_t j = 0; j < F->p; j++)
			fitted |= F->s.par[j].coef == (int)c;
		if (!fitted && isnan(F->L->coef_value[c])) {
			mp_error_set(err, "coefficient '%s' has no value and is not "
			             "fitted: give it a value, or starting values to "
			             "fit it", F->L->coef_name[c]);
			return mp_error_what(err, MP_WHAT_COEFFICIENT,
			                     F->L->coef_name[c]);
		}
	}
	return 0;
}

/* ---- building ------------------------------------------------------------------ */

/* Which derived quantities the loss reads, directly or through others. */
static void mark_needed(struct lawfit *F)
{
	for (size_t k = F->nd; k-- > 0;) {
		int sym = (int)(F->nc + k);

		F->need[k] = ev_uses(&F->loss, sym);
		for (size_t m = k + 1; m < F->nd && !F->need[k]; m++)
			F->need[k] = F->need[m] && ev_uses(&F->derived[m], sym);
	}
}

static int wrap_law(struct lawfit *F, struct mp_error *err)
{
	const struct law *L = F->L;

	if (ev_wrap(&F->loss, L->loss_ev, L) != 0)
		return mp_error_set(err, "the loss reads an unknown symbol");
	for (size_t k = 0; k < F->nd; k++)
		if (ev_wrap(&F->derived[k], L->derived_ev[k], L) != 0)
			return mp_error_set(err, "derived '%s' reads an unknown symbol",
			                    L->derived_name[k]);
	mark_needed(F);
	return 0;
}

static size_t grid_size(const struct lawfit_spec *s)
{
	size_t g = 1;

	for (size_t j = 0; j < s->n_par; j++) {
		if (s->par[j].n_start == 0 ||
		    g > LAWFIT_MAX_GRID / s->par[j].n_start)
			return LAWFIT_MAX_GRID + 1;
		g *= s->par[j].n_start;
	}
	return g;
}

static int build(struct lawfit *F, struct mp_error *err)
{
	const gsl_multimin_fdfminimizer_type *T =
		gsl_multimin_fdfminimizer_vector_bfgs2;

	if (!F->L->sealed)
		return mp_error_set(err, "the law is not sealed");
	if (F->p == 0 || F->p > LAWFIT_MAX_PAR)
		return mp_error_set(err, "%zu parameters to fit (1 to %d)", F->p,
		                    LAWFIT_MAX_PAR);
	if (!(F->s.delta > 0) || !isfinite(F->s.delta))
		return mp_error_set(err, "Huber delta %g must be positive",
		                    F->s.delta);
	if (wrap_law(F, err) != 0)
		return -1;
	for (size_t j = 0; j < F->p; j++)
		if (check_param(F, j, err) != 0)
			return -1;
	if (check_fixed(F, err) != 0)
		return -1;
	if (grid_size(&F->s) > LAWFIT_MAX_GRID)
		return mp_error_set(err, "the grid of starting values has more "
		                    "than %d points", LAWFIT_MAX_GRID);
	if ((F->min = gsl_multimin_fdfminimizer_alloc(T, F->p)) == NULL)
		return mp_error_set(err, "out of memory");
	return 0;
}

struct lawfit *lawfit_new(const struct law *L, const struct lawfit_spec *s,
                          struct mp_error *err)
{
	struct lawfit *F = calloc(1, sizeof *F);

	if (F == NULL) {
		mp_error_set(err, "out of memory");
		return NULL;
	}
	F->L = L;
	F->s = *s;
	F->p = s->n_par;
	F->nc = L->n_coef;
	F->nd = L->n_derived;
	F->nv = L->n_vars;
	if (build(F, err) != 0) {
		lawfit_free(F);
		return NULL;
	}
	return F;
}

void lawfit_free(struct lawfit *F)
{
	if (F == NULL)
		return;
	if (F->min != NULL)
		gsl_multimin_fdfminimizer_free(F->min);
	free(F);
}

/* 1 if the loss reads coefficient c (directly or through the derived
 * quantities it reads). */
static int law_loss_reads(const struct law *L, int c)
{
	struct lawfit F;          /* only its evaluator wrappers are used */
	struct mp_error e;

	if (!L->sealed)
		return 0;
	memset(&F, 0, sizeof F);
	F.L = L;
	F.nc = L->n_coef;
	F.nd = L->n_derived;
	if (wrap_law(&F, &e) != 0)
		return 0;
	return loss_reads(&F, c);
}

int lawfit_default_spec(const struct law *L, struct lawfit_spec *s,
                        struct mp_error *err)
{
	memset(s, 0, sizeof *s);
	if (L->fit != NULL && L->fit->has_spec)
		*s = L->fit->spec;
	for (size_t c = 0; s->n_par == 0 && c < L->n_coef; c++) {
		if (!law_loss_reads(L, (int)c))
			continue;
		if (s->n_par == LAWFIT_MAX_PAR)
			break;
		s->par[s->n_par++] = (struct lawfit_param){ .coef = (int)c,
			.space = LAWFIT_LINEAR, .lo = NAN, .hi = NAN,
			.start = { L->coef_value[c] }, .n_start = 1 };
	}
	for (size_t j = 0; j < s->n_par; j++)
		if (isnan(s->par[j].start[0]))
			return mp_error_set(err, "coefficient '%s' has no value to start "
			                    "from: give the law a fitting: block with "
			                    "its starting values",
			                    L->coef_name[s->par[j].coef]);
	s->delta = LAWFIT_DELTA;
	s->refine = 0;
	return 0;
}

/* ---- evaluation ------------------------------------------------------------------ */

/* The value array at (theta, x); the derived quantities the loss reads. */
static void fill(const struct lawfit *F, const double *theta, const double *x,
                 double *val)
{
	memcpy(val, F->L->coef_value, F->nc * sizeof *val);
	for (size_t j = 0; j < F->p; j++)
		val[F->s.par[j].coef] = lawfit_natural(F->s.par[j].space, theta[j]);
	for (size_t k = 0; k < F->nd; k++)
		val[F->nc + k] = 0;
	memcpy(val + F->nc + F->nd, x, F->nv * sizeof *val);
	for (size_t k = 0; k < F->nd; k++)
		if (F->need[k])
			val[F->nc + k] = ev_eval(&F->derived[k], val);
}

static int in_range(const struct lawfit *F, const double *theta)
{
	for (size_t j = 0; j < F->p; j++)
		if (!(theta[j] > F->lo[j] && theta[j] < F->hi[j]))
			return 0;
	return 1;
}

double lawfit_predict(struct lawfit *F, const double *theta, const double *x)
{
	double val[LAW_MAX_SYMS];

	fill(F, theta, x, val);
	return ev_eval(&F->loss, val);
}

/* Huber's loss and its derivative (Huber 1964; Hoffmann et al. 2022,
 * App. D.2): r^2 / 2 within delta, delta (|r| - delta / 2) beyond. */
static double huber(double r, double delta, double *psi)
{
	if (fabs(r) <= delta) {
		*psi = r;
		return 0.5 * r * r;
	}
	*psi = r > 0 ? delta : -delta;
	return delta * (fabs(r) - 0.5 * delta);
}

/*
 * d L_pred / d theta_j at x by central differences of the prediction, step
 * FD_STEP max(1, |theta_j|) (about the cube root of the double epsilon:
 * truncation and rounding errors near 1e-10 relative).  The prediction is
 * smooth in theta where it is finite; the objective is not (Huber's kinks
 * at |r| = delta), so the chain rule below differentiates Huber exactly
 * and only the prediction numerically.  libmatheval's symbolic derivatives
 * were 25 times slower than one evaluation for Chinchilla's form, and
 * overflow where the loss does not ((D^beta)^2 in their quotient rule).
 */
static void predict_gradient(const struct lawfit *F, const double *theta,
                             const double *x, double *dl)
{
	double t[LAWFIT_MAX_PAR], val[LAW_MAX_SYMS];

	memcpy(t, theta, F->p * sizeof *t);
	for (size_t j = 0; j < F->p; j++) {
		double h = FD_STEP * (fabs(theta[j]) > 1 ? fabs(theta[j]) : 1), up;

		t[j] = theta[j] + h;
		fill(F, t, x, val);
		up = ev_eval(&F->loss, val);
		t[j] = theta[j] - h;
		fill(F, t, x, val);
		dl[j] = (up - ev_eval(&F->loss, val)) / (2 * h);
		t[j] = theta[j];
	}
}

/* The objective (unscaled) and, if g != NULL, its gradient in theta. */
static double objective(struct lawfit *F, const struct lawfit_data *d,
                        const double *theta, double *g)
{
	double val[LAW_MAX_SYMS], dl[LAWFIT_MAX_PAR], sum = 0, psi;

	if (!in_range(F, theta))
		return INFINITY;
	for (size_t j = 0; g != NULL && j < F->p; j++)
		g[j] = 0;
	for (size_t i = 0; i < d->n; i++) {
		double w = d->w ? d->w[i] : 1, lp, r;

		fill(F, theta, d->x + i * F->nv, val);
		lp = ev_eval(&F->loss, val);
		if (!(lp > 0) || !isfinite(lp))
			return INFINITY;
		r = log(lp) - log(d->loss[i]);
		sum += w * huber(r, F->s.delta, &psi);
		if (g == NULL || w == 0)
			continue;
		/* d/d theta of w Huber(log L_pred - log L) = w psi(r) L_pred' / L_pred */
		predict_gradient(F, theta, d->x + i * F->nv, dl);
		for (size_t j = 0; j < F->p; j++)
			g[j] += w * psi / lp * dl[j];
	}
	return sum;
}

double lawfit_objective(struct lawfit *F, const struct lawfit_data *d,
                        const double *theta)
{
	return objective(F, d, theta, NULL);
}

/* ---- BFGS -------------------------------------------------------------------------- */

/* GSL sees the objective scaled by 1 / (delta sum w), about the mean
 * |log residual|, so that its tolerances do not depend on n or delta;
 * +inf where the objective is not finite, which its line search backs
 * off from. */
static double scale(const struct lawfit *F)
{
	return 1 / (F->s.delta * F->wsum);
}

/* theta = org + K^-T u (back substitution in K^T, upper). */
static void to_theta(const struct lawfit *F, const double *u, double *theta)
{
	size_t p = F->p;

	for (size_t a = p; a-- > 0;) {
		double s = u[a];

		for (size_t b = a + 1; b < p; b++)
			s -= F->chol[b * p + a] * theta[b];
		theta[a] = s / F->chol[a * p + a];
	}
	for (size_t a = 0; a < p; a++)
		theta[a] += F->org[a];
	/* (theta[b] above still held the differences when read) */
}

/* d/du = K^-1 d/dtheta (forward substitution), in place. */
static void to_u_gradient(const struct lawfit *F, double *g)
{
	size_t p = F->p;

	for (size_t a = 0; a < p; a++) {
		double s = g[a];

		for (size_t b = 0; b < a; b++)
			s -= F->chol[a * p + b] * g[b];
		g[a] = s / F->chol[a * p + a];
	}
}

static double gsl_f(const gsl_vector *x, void *p)
{
	struct lawfit *F = p;
	double theta[LAWFIT_MAX_PAR], f;

	to_theta(F, x->data, theta);
	f = objective(F, F->d, theta, NULL);
	return isfinite(f) ? f * scale(F) : GSL_POSINF;
}

static void gsl_fdf(const gsl_vector *x, void *p, double *f, gsl_vector *g)
{
	struct lawfit *F = p;
	double grad[LAWFIT_MAX_PAR], theta[LAWFIT_MAX_PAR], v;

	to_theta(F, x->data, theta);
	v = objective(F, F->d, theta, grad);
	*f = isfinite(v) ? v * scale(F) : GSL_POSINF;
	to_u_gradient(F, grad);
	for (size_t j = 0; j < F->p; j++) {
		double gj = isfinite(v) ? grad[j] * scale(F) : 0;

		if (!isfinite(gj)) {
			F->bad_grad = 1;
			gj = 0;
		}
		gsl_vector_set(g, j, gj);
	}
}

static void gsl_df(const gsl_vector *x, void *p, gsl_vector *g)
{
	double f;

	gsl_fdf(x, p, &f, g);
}

/* Cholesky factor K (lower, row major) of the p x p matrix M in place;
 * -1 when M is not positive definite. */
static int cholesky(double *M, size_t p)
{
	for (size_t j = 0; j < p; j++) {
		double d = M[j * p + j];

		for (size_t k = 0; k < j; k++)
			d -= M[j * p + k] * M[j * p + k];
		if (!(d > 0) || !isfinite(d))
			return -1;
		M[j * p + j] = sqrt(d);
		for (size_t i = j + 1; i < p; i++) {
			double s = M[i * p + j];

			for (size_t k = 0; k < j; k++)
				s -= M[i * p + k] * M[j * p + k];
			M[i * p + j] = s / M[j * p + j];
		}
		for (size_t k = j + 1; k < p; k++)
			M[j * p + k] = 0;
	}
	return 0;
}

/*
 * The coordinates BFGS runs in: u = K^T (theta - theta0), K K^T the
 * Gauss-Newton matrix sum_i J_i J_i^T / n of the log predictions
 * (J_i = d log L_pred(x_i) / d theta) at theta0, plus a ridge of 1e-6 of
 * its mean diagonal.  The scaling makes the start's curvature about the
 * same in every direction: the laws' coefficients are strongly correlated
 * (log A with alpha), and BFGS from the identity took 500 to 2000
 * iterations on the Chinchilla refit where it now takes 100 to 200 from
 * Hoffmann's grid and about 15 from near the optimum (a bootstrap
 * refit).  Identity where the factorisation fails.
 */
static void precondition(struct lawfit *F, const double *theta0)
{
	size_t p = F->p;
	double *M = F->chol, dl[LAWFIT_MAX_PAR], tr = 0;

	memcpy(F->org, theta0, p * sizeof *theta0);
	memset(M, 0, p * p * sizeof *M);
	for (size_t i = 0; i < F->d->n; i++) {
		const double *x = F->d->x + i * F->nv;
		double lp = lawfit_predict(F, theta0, x);

		predict_gradient(F, theta0, x, dl);
		for (size_t a = 0; a < p; a++)
			for (size_t b = 0; b < p; b++)
				M[a * p + b] += dl[a] * dl[b] / (lp * lp * (double)F->d->n);
	}
	for (size_t a = 0; a < p; a++)
		tr += M[a * p + a] / (double)p;
	for (size_t a = 0; a < p; a++)
		M[a * p + a] += PRECOND_RIDGE * tr;
	if (!(tr > 0) || !isfinite(tr) || cholesky(M, p) != 0) {
		memset(M, 0, p * p * sizeof *M);
		for (size_t a = 0; a < p; a++)
			M[a * p + a] = 1;
	}
}

/* BFGS iterations, at most n, until the gradient test passes (1), BFGS
 * makes no more progress with a gradient below BFGS_GACCEPT (1: a kink of
 * Huber's loss may stop its line search at the optimum), no progress at
 * all (-1), or n are done (0). */
static int bfgs_loop(gsl_multimin_fdfminimizer *m, int n, int *iters)
{
	for (int it = 0; it < n; it++, ++*iters) {
		if (gsl_multimin_fdfminimizer_iterate(m) != GSL_SUCCESS)
			return gsl_blas_dnrm2(m->gradient) < BFGS_GACCEPT ? 1 : -1;
		if (gsl_multimin_test_gradient(m->gradient, BFGS_GTOL) == GSL_SUCCESS)
			return 1;
	}
	return 0;
}

/* One BFGS leg from theta (in: start, out: end) in the coordinates of
 * precondition() there.  1, 0 or -1 as bfgs_loop; -1 if GSL fails. */
static int bfgs_leg(struct lawfit *F, double *theta, int *iters, double *grad)
{
	gsl_multimin_function_fdf fdf = { gsl_f, gsl_df, gsl_fdf, F->p, F };
	double u0[LAWFIT_MAX_PAR] = { 0 };
	gsl_vector_view x = gsl_vector_view_array(u0, F->p);
	gsl_multimin_fdfminimizer *m = F->min;
	int rc;

	precondition(F, theta);
	if (gsl_multimin_fdfminimizer_set(m, &fdf, &x.vector, BFGS_STEP,
	                                  BFGS_LINE_TOL) != GSL_SUCCESS)
		return -1;
	rc = bfgs_loop(m, BFGS_LEG, iters);
	to_theta(F, m->x->data, theta);
	*grad = gsl_blas_dnrm2(m->gradient);
	return rc;
}

/* BFGS from theta0 in legs of BFGS_LEG iterations, each restarted with
 * the coordinates rescaled where the last ended (also when a leg's line
 * search gave up but had made progress), into r.  1 when it ended
 * at a stationary point, 0 when not. */
static int bfgs(struct lawfit *F, const double *theta0, struct lawfit_result *r)
{
	int rc = 0;

	F->bad_grad = 0;
	memcpy(r->theta, theta0, F->p * sizeof *theta0);
	r->iterations = 0;
	r->grad = INFINITY;
	r->objective = objective(F, F->d, r->theta, NULL);
	while (rc != 1 && r->iterations < BFGS_MAXITER) {
		double before = r->objective;

		rc = bfgs_leg(F, r->theta, &r->iterations, &r->grad);
		r->objective = objective(F, F->d, r->theta, NULL);
		if (rc < 0 && !(r->objective < before))
			break;          /* stuck: a new leg would start the same */
	}
	return rc == 1 && isfinite(r->objective) && !F->bad_grad;
}

/* ---- the data --------------------------------------------------------------------- */

static int check_data(struct lawfit *F, const struct lawfit_data *d,
                      struct lawfit_result *r, struct mp_error *err)
{
	F->wsum = 0;
	r->why = LAWFIT_BAD_DATA;
	for (size_t i = 0; i < d->n; i++) {
		double w = d->w ? d->w[i] : 1;

		for (size_t v = 0; v < F->nv; v++)
			if (!isfinite(d->x[i * F->nv + v]))
				return mp_error_set(err, "point %zu: %s is not a finite "
				                    "number", i + 1, F->L->vars[v].name);
		if (!(d->loss[i] > 0) || !isfinite(d->loss[i]))
			return mp_error_set(err, "point %zu: loss %g is not a positive "
			                    "number", i + 1, d->loss[i]);
		if (!(w >= 0) || !isfinite(w))
			return mp_error_set(err, "point %zu: weight %g is not a "
			                    "non-negative number", i + 1, w);
		F->wsum += w;
	}
	r->why = LAWFIT_TOO_FEW;
	if (d->n <= F->p)
		return mp_error_set(err, "%zu points for %zu parameters: a fit needs "
		                    "more points than parameters", d->n, F->p);
	if (!(F->wsum > 0))
		return mp_error_set(err, "every point has weight 0");
	r->why = LAWFIT_OK;
	F->d = d;
	return 0;
}

/* sqrt(mean r_i^2) of the log residuals at theta. */
static double residual_rms(struct lawfit *F, const struct lawfit_data *d,
                           const double *theta)
{
	double s = 0;

	for (size_t i = 0; i < d->n; i++) {
		double r = log(lawfit_predict(F, theta, d->x + i * F->nv)) -
		           log(d->loss[i]);

		s += r * r;
	}
	return sqrt(s / (double)d->n);
}

/* An optimum on (or within BOUND_REL of) a parameter's bound. */
static int check_bounds(struct lawfit *F, struct lawfit_result *r,
                        double rel, struct mp_error *err)
{
	for (size_t j = 0; j < F->p; j++) {
		double tol = rel * (F->hi[j] - F->lo[j]);
		const struct lawfit_param *p = &F->s.par[j];
		const char *name = F->L->coef_name[p->coef];
		char pn[96];

		if (r->theta[j] - F->lo[j] > tol && F->hi[j] - r->theta[j] > tol)
			continue;
		r->why = LAWFIT_AT_BOUND;
		mp_error_set(err, "no interior optimum: %s = %.6g is at its bound "
		             "%.6g (%s space); the data do not determine it",
		             lawfit_param_name(F->L, p, pn, sizeof pn), r->theta[j],
		             r->theta[j] - F->lo[j] <= tol ? F->lo[j] : F->hi[j],
		             lawfit_space_name(p->space));
		return mp_error_what(err, MP_WHAT_COEFFICIENT, name);
	}
	return 0;
}

static void result_init(const struct lawfit *F, const struct lawfit_data *d,
                        struct lawfit_result *r)
{
	memset(r, 0, sizeof *r);
	r->n_par = F->p;
	r->n_points = d->n;
	r->objective = INFINITY;
}

static int not_converged(struct lawfit *F, struct lawfit_result *r,
                         const struct lawfit_result *any, size_t k,
                         struct mp_error *err);

int lawfit_refine(struct lawfit *F, const struct lawfit_data *d,
                  const double *theta0, struct lawfit_result *r,
                  struct mp_error *err)
{
	result_init(F, d, r);
	if (check_data(F, d, r, err) != 0)
		return -1;
	r->n_grid = r->n_refined = 1;
	if (!bfgs(F, theta0, r)) {
		struct lawfit_result any = *r;

		return not_converged(F, r, &any, 1, err);
	}
	r->n_converged = 1;
	if (check_bounds(F, r, BOUND_REL, err) != 0)
		return -1;
	r->rms = residual_rms(F, d, r->theta);
	return 0;
}

/* ---- the grid ---------------------------------------------------------------------- */

struct start {
	double f;
	size_t index;
};

static int cmp_start(const void *a, const void *b)
{
	double x = ((const struct start *)a)->f, y = ((const struct start *)b)->f;

	return (x > y) - (x < y);
}

/* Grid point g (mixed radix over the parameters' start lists). */
static void grid_point(const struct lawfit *F, size_t g, double *theta)
{
	for (size_t j = 0; j < F->p; j++) {
		const struct lawfit_param *p = &F->s.par[j];

		theta[j] = p->start[g % p->n_start];
		g /= p->n_start;
	}
}

/* The grid's objective at each point, best first; the count that is
 * finite into *n_finite. */
static struct start *screen(struct lawfit *F, const struct lawfit_data *d,
                            size_t n, size_t *n_finite)
{
	struct start *s = malloc(n * sizeof *s);
	double theta[LAWFIT_MAX_PAR];

	if (s == NULL)
		return NULL;
	*n_finite = 0;
	for (size_t g = 0; g < n; g++) {
		grid_point(F, g, theta);
		s[g].f = objective(F, d, theta, NULL);
		s[g].index = g;
		*n_finite += isfinite(s[g].f);
	}
	qsort(s, n, sizeof *s, cmp_start);
	return s;
}

/* BFGS from the best k of the screened starts; the best converged end
 * into r, the best end of all into *any. */
static void refine_best(struct lawfit *F, const struct start *s, size_t k,
                        struct lawfit_result *r, struct lawfit_result *any)
{
	struct lawfit_result t;
	double theta[LAWFIT_MAX_PAR];

	*any = *r;
	for (size_t i = 0; i < k; i++) {
		int ok;

		grid_point(F, s[i].index, theta);
		t = *r;
		ok = bfgs(F, theta, &t);
		if (t.objective < any->objective || i == 0)
			*any = t;
		if (!ok)
			continue;
		r->n_converged++;
		if (t.objective < r->objective) {
			memcpy(r->theta, t.theta, sizeof r->theta);
			r->objective = t.objective;
			r->grad = t.grad;
			r->iterations = t.iterations;
		}
	}
}

/* No start converged: on a bound (BFGS stopped against it), or not. */
static int not_converged(struct lawfit *F, struct lawfit_result *r,
                         const struct lawfit_result *any, size_t k,
                         struct mp_error *err)
{
	memcpy(r->theta, any->theta, sizeof r->theta);
	r->objective = any->objective;
	r->grad = any->grad;
	r->iterations = any->iterations;
	if (check_bounds(F, r, BOUND_STUCK, err) != 0)
		return -1;
	r->why = LAWFIT_NOT_CONVERGED;
	return mp_error_set(err, "the fit did not converge from any of %zu "
	                    "starting points (|gradient| %.3g after %d "
	                    "iterations at best)", k, any->grad, any->iterations);
}

int lawfit_run(struct lawfit *F, const struct lawfit_data *d,
               struct lawfit_result *r, struct mp_error *err)
{
	size_t n = grid_size(&F->s), finite, k;
	struct lawfit_result any;
	struct start *s;

	result_init(F, d, r);
	if (check_data(F, d, r, err) != 0)
		return -1;
	if ((s = screen(F, d, n, &finite)) == NULL) {
		r->why = LAWFIT_NO_MEMORY;
		return mp_error_set(err, "out of memory");
	}
	r->n_grid = n;
	k = F->s.refine > 0 && F->s.refine < finite ? F->s.refine : finite;
	r->n_refined = k;
	refine_best(F, s, k, r, &any);
	free(s);
	if (finite == 0) {
		r->why = LAWFIT_NO_START;
		return mp_error_set(err, "no starting point of the grid (%zu) "
		                    "predicts a finite positive loss at every "
		                    "point", n);
	}
	if (r->n_converged == 0)
		return not_converged(F, r, &any, k, err);
	if (check_bounds(F, r, BOUND_REL, err) != 0)
		return -1;
	r->rms = residual_rms(F, d, r->theta);
	return 0;
}

/* ---- the bootstrap ------------------------------------------------------------------ */

/* splitmix64 (Steele, Lea and Flood 2014): the seed of resample b. */
static unsigned long resample_seed(unsigned long seed, size_t b)
{
	unsigned long long z = (unsigned long long)seed * 0x9E3779B97F4A7C15ULL +
	                       (unsigned long long)b + 1;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (unsigned long)(z ^ (z >> 31));
}

struct resample {
	double *x, *loss, *w;
};

/* Draw resample b of d into rs (n points with replacement). */
static void draw(const struct lawfit *F, const struct lawfit_data *d,
                 gsl_rng *rng, struct resample *rs)
{
	for (size_t i = 0; i < d->n; i++) {
		size_t k = (size_t)gsl_rng_uniform_int(rng, d->n);

		memcpy(rs->x + i * F->nv, d->x + k * F->nv, F->nv * sizeof *rs->x);
		rs->loss[i] = d->loss[k];
		rs->w[i] = d->w ? d->w[k] : 1;
	}
}

static void one_resample(struct lawfit *F, const struct lawfit_data *d,
                         const double *theta_hat, gsl_rng *rng,
                         struct resample *rs, double *row)
{
	struct lawfit_data db = { d->n, rs->x, rs->loss, rs->w };
	struct lawfit_result r;
	struct mp_error e;

	draw(F, d, rng, rs);
	if (lawfit_refine(F, &db, theta_hat, &r, &e) == 0)
		memcpy(row, r.theta, F->p * sizeof *row);
	else
		for (size_t j = 0; j < F->p; j++)
			row[j] = NAN;
}

int lawfit_bootstrap(struct lawfit *F, const struct lawfit_data *d,
                     const double *theta_hat, unsigned long seed,
                     size_t first, size_t count, double *out,
                     struct mp_error *err)
{
	struct resample rs;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0;

	rs.x = malloc((d->n * F->nv + 1) * sizeof *rs.x);
	rs.loss = malloc((d->n + 1) * sizeof *rs.loss);
	rs.w = malloc((d->n + 1) * sizeof *rs.w);
	if (rng == NULL || rs.x == NULL || rs.loss == NULL || rs.w == NULL)
		rc = mp_error_set(err, "out of memory");
	for (size_t k = 0; rc == 0 && k < count; k++) {
		gsl_rng_set(rng, resample_seed(seed, first + k));
		one_resample(F, d, theta_hat, rng, &rs, out + k * F->p);
	}
	free(rs.x);
	free(rs.loss);
	free(rs.w);
	if (rng != NULL)
		gsl_rng_free(rng);
	return rc;
}

static int row_ok(size_t p, const double *row)
{
	for (size_t j = 0; j < p; j++)
		if (!isfinite(row[j]))
			return 0;
	return 1;
}

int lawfit_covariance(size_t p, size_t n, const double *samples, double *mean,
                      double *cov, size_t *n_ok)
{
	size_t m = 0;

	memset(mean, 0, p * sizeof *mean);
	memset(cov, 0, p * p * sizeof *cov);
	for (size_t i = 0; i < n; i++)
		if (row_ok(p, samples + i * p)) {
			m++;
			for (size_t j = 0; j < p; j++)
				mean[j] += samples[i * p + j];
		}
	*n_ok = m;
	if (m < 2)
		return -1;
	for (size_t j = 0; j < p; j++)
		mean[j] /= (double)m;
	for (size_t i = 0; i < n; i++) {
		const double *row = samples + i * p;

		if (!row_ok(p, row))
			continue;
		for (size_t a = 0; a < p; a++)
			for (size_t b = 0; b < p; b++)
				cov[a * p + b] += (row[a] - mean[a]) * (row[b] - mean[b]);
	}
	for (size_t a = 0; a < p * p; a++)
		cov[a] /= (double)(m - 1);
	return 0;
}

/* ---- what a model file says ----------------------------------------------------------- */

struct lawfit_info *lawfit_info_new(void)
{
	struct lawfit_info *fi = calloc(1, sizeof *fi);

	if (fi == NULL)
		return NULL;
	for (size_t j = 0; j < LAWFIT_MAX_PAR; j++)
		fi->se[j] = NAN;
	fi->objective = fi->rms = fi->delta = NAN;
	return fi;
}

void lawfit_info_free(struct lawfit_info *fi)
{
	if (fi == NULL)
		return;
	free(fi->data);
	free(fi->data_sha256);
	free(fi->date);
	free(fi->version);
	free(fi);
}
