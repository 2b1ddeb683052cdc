/*
 * fit.c — GSL nonlinear least squares for the cost model (see fit.h).
 */
#include "config.h"

#include "fit.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIT_MAXITER 500
#define FIT_XTOL 1e-12
#define FIT_GTOL 1e-14
#define FIT_FTOL 1e-14
#define MEM_PARAMS 4

/* ---- the generic driver -------------------------------------------------- */

struct gsl_ctx {
	fit_residual_fn f;
	void *ctx;
	size_t p;
};

static int gsl_f(const gsl_vector *x, void *params, gsl_vector *r)
{
	struct gsl_ctx *c = params;

	return c->f(x->data, r->data, NULL, c->ctx) == 0 ? GSL_SUCCESS : GSL_EBADFUNC;
}

static int gsl_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
	struct gsl_ctx *c = params;
	double *scratch = malloc(J->size1 * sizeof *scratch);
	int rc;

	if (scratch == NULL)
		return GSL_ENOMEM;
	/* J is row major with tda == p for a matrix GSL allocated itself */
	rc = J->tda == c->p ? c->f(x->data, scratch, J->data, c->ctx) : -1;
	free(scratch);
	return rc == 0 ? GSL_SUCCESS : GSL_EBADFUNC;
}

/* fit_least_squares with at most maxiter iterations. */
static int least_squares(size_t n, size_t p, fit_residual_fn f, void *ctx,
                         double *theta, int maxiter, int *iterations,
                         struct mp_error *err)
{
	gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_fdf fdf;
	gsl_multifit_nlinear_workspace *w;
	struct gsl_ctx c = { f, ctx, p };
	gsl_vector_view x0 = gsl_vector_view_array(theta, p);
	int status, info = 0;

	if (n < p)
		return mp_error_set(err, "fit: %zu samples for %zu parameters", n, p);
	/* many parameters (the corrections, well conditioned by their
	 * penalties): the normal equations are several times faster than QR */
	if (p > 20)
		par.solver = gsl_multifit_nlinear_solver_cholesky;
	memset(&fdf, 0, sizeof fdf);
	fdf.f = gsl_f;
	fdf.df = gsl_df;
	fdf.n = n;
	fdf.p = p;
	fdf.params = &c;
	w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, n, p);
	if (w == NULL)
		return mp_error_set(err, "fit: cannot allocate the GSL workspace");
	status = gsl_multifit_nlinear_init(&x0.vector, &fdf, w);
	if (status == GSL_SUCCESS)
		status = gsl_multifit_nlinear_driver((size_t)maxiter, FIT_XTOL, FIT_GTOL,
		                                     FIT_FTOL, NULL, NULL, &info, w);
	/* GSL_EMAXITER with a finite point is still the best fit we can offer;
	 * anything else is a failure */
	if (status != GSL_SUCCESS && status != GSL_EMAXITER && status != GSL_ENOPROG) {
		gsl_multifit_nlinear_free(w);
		return mp_error_set(err, "fit: %s", gsl_strerror(status));
	}
	for (size_t i = 0; i < p; i++)
		theta[i] = gsl_vector_get(gsl_multifit_nlinear_position(w), i);
	if (iterations != NULL)
		*iterations = (int)gsl_multifit_nlinear_niter(w);
	gsl_multifit_nlinear_free(w);
	for (size_t i = 0; i < p; i++)
		if (!isfinite(theta[i]))
			return mp_error_set(err, "fit: diverged (parameter %zu not finite)", i);
	return 0;
}

int fit_least_squares(size_t n, size_t p, fit_residual_fn f, void *ctx,
                      double *theta, int *iterations, struct mp_error *err)
{
	return least_squares(n, p, f, ctx, theta, FIT_MAXITER, iterations, err);
}

/* ---- the GEMM model --------------------------------------------------------- */

/*
 * theta: [0..5] the threaded regime, log (P, B, t0, h_m, h_n, h_k);
 * [6..11] the single-threaded regime, the same six, present only when the
 * thread threshold X is positive (nb = 6 or 12 base parameters).  In the
 * last stage theta is instead the residual corrections (cost.h) of each
 * regime, 3 x COST_CORR_KNOTS values each (not logarithms), the base
 * parameters fixed: a nearly linear problem that converges in a few
 * iterations.  X, b_m and b_n are fixed during one least-squares fit and
 * chosen among candidates (fit_gemm).
 *
 * After the n relative errors come nb weak prior residuals PRIOR_WEIGHT
 * (theta_j - prior_j): they keep parameters that noisy data leave
 * undetermined near plausible values (the best rate seen, the STREAM
 * bandwidth, half the fastest call, saturation sizes of 16) instead of
 * drifting to 1e20 or 1e-20, and move well-determined ones by a
 * negligible amount.  In the last stage come instead, per regime and
 * dimension, the correction's penalties: CORR_SMOOTH times its second
 * differences (a smooth curve in log2 x) and CORR_SHRINK times its values
 * (zero where no sample says otherwise).  Both weights were chosen on
 * held-out shapes measured on a 2-core OpenBLAS machine (tests/perf).
 */
#define PRIOR_WEIGHT 1e-3
#define CORR_SMOOTH 2.0
#define CORR_SHRINK 0.05
#define BASE_PARAMS 12
#define THREADED 0          /* theta offset of the threaded regime */
#define SINGLE 6            /* theta offset of the single-threaded regime */
#define CORR_PARAMS (3 * COST_CORR_KNOTS)              /* per regime */
#define CORR_ROWS (3 * (2 * COST_CORR_KNOTS - 2))      /* per regime */
#define EDGE_PRIOR 0.002    /* weight of log e(j) - log(padding's value) */
#define EDGE_MAX_PARAMS (BASE_PARAMS + 4 * (COST_EDGE_MAX - 1))
#define GEMM_MAX_PARAMS (2 * CORR_PARAMS > EDGE_MAX_PARAMS ? 2 * CORR_PARAMS \
                         : EDGE_MAX_PARAMS)
struct gemm_ctx {
	const struct cost_sample *const *s;   /* the GEMM samples */
	size_t n;
	double w;                             /* elem_bytes */
	double X, bm, bn;                     /* fixed during one fit */
	double sms;                           /* a GPU's SMs: the wave term,
	                                         bm, bn its tiles; 0: none */
	size_t nb;                            /* base parameters: 6 or 12 */
	int corr;                             /* fit the corrections only */
	int edge;                             /* fit the base parameters and
	                                         the edge tables */
	int q;                                /* the tables' period, 0: none */
	double prior[BASE_PARAMS];
	double base[BASE_PARAMS];             /* the base parameters then */
	/* the edge tables when they are not being fitted: [regime][m, n][j] */
	double tab[2][2][COST_EDGE_MAX];
};

static size_t regimes(const struct gemm_ctx *c)
{
	return c->nb > SINGLE ? 2 : 1;
}

/* Edge-table values being fitted: e(1..q-1) of m and n per regime. */
static size_t n_edge(const struct gemm_ctx *c)
{
	return c->edge && !c->corr ? regimes(c) * 2 * (size_t)(c->q - 1) : 0;
}

/* theta offset of e(1) of dimension d (0 m, 1 n) of regime g (0 threaded,
 * 1 single) in the edge stage. */
static size_t edge_offset(const struct gemm_ctx *c, size_t g, size_t d)
{
	return c->nb + (g * 2 + d) * (size_t)(c->q - 1);
}

static size_t n_params(const struct gemm_ctx *c)
{
	return c->corr ? regimes(c) * CORR_PARAMS : c->nb + n_edge(c);
}

static size_t n_rows(const struct gemm_ctx *c)
{
	return c->n + (c->corr ? regimes(c) * CORR_ROWS : c->nb + n_edge(c));
}

/* The register block's padding of j rows (columns) of dimension d: where
 * the edge tables start, and what their priors pull towards. */
static double edge_pad(const struct gemm_ctx *c, size_t d, int j)
{
	return cost_gemm_pad(j, d == 0 ? c->bm : c->bn);
}

/* The edge tables into g from theta (the edge stage) or c->tab. */
static void edges_from_theta(const struct gemm_ctx *c, const double *theta,
                             struct cost_gemm_params *g)
{
	struct cost_gemm_edge *e[2] = { &g->edge, &g->single.edge };

	if (c->q <= 1)
		return;
	for (size_t r = 0; r < regimes(c); r++) {
		e[r]->period = c->q;
		for (size_t d = 0; d < 2; d++) {
			double *col = d == 0 ? e[r]->m : e[r]->n;

			col[0] = 0;
			for (int j = 1; j < c->q; j++)
				col[j] = c->edge && !c->corr
				         ? exp(theta[edge_offset(c, r, d) + (size_t)j - 1])
				         : c->tab[r][d][j];
		}
	}
}

/* A parameter fitted as its logarithm: exp(th), kept positive where exp
 * underflows (a term the samples cannot resolve, such as an overhead the
 * fit drives towards 0, would otherwise be written as 0, which no profile
 * may hold). */
static double pos_exp(double th)
{
	return fmax(exp(th), DBL_MIN);
}

static void regime_from_theta(const double *th, struct cost_gemm_regime *r)
{
	r->peak_flops = pos_exp(th[0]);
	r->bandwidth = pos_exp(th[1]);
	r->overhead = pos_exp(th[2]);
	r->sat_m = pos_exp(th[3]);
	r->sat_n = pos_exp(th[4]);
	r->sat_k = pos_exp(th[5]);
	memset(&r->corr, 0, sizeof r->corr);
}

static void corr_from_theta(const double *th, struct cost_gemm_corr *c)
{
	memcpy(c->c, th, sizeof c->c);
}

static void gemm_from_theta(const struct gemm_ctx *c, const double *theta,
                            struct cost_gemm_params *g)
{
	const double *corr = theta;
	struct cost_gemm_regime r;

	if (c->corr)
		theta = c->base;
	memset(g, 0, sizeof *g);
	regime_from_theta(theta + THREADED, &r);
	g->peak_flops = r.peak_flops;
	g->bandwidth = r.bandwidth;
	g->overhead = r.overhead;
	g->sat_m = r.sat_m;
	g->sat_n = r.sat_n;
	g->sat_k = r.sat_k;
	if (c->nb > SINGLE)   /* else X = 0: one regime, single unused */
		regime_from_theta(theta + SINGLE, &g->single);
	g->thread_threshold = c->nb > SINGLE ? c->X : 0;
	g->block_m = c->bm;
	g->block_n = c->bn;
	g->sms = c->sms;
	edges_from_theta(c, theta, g);
	if (c->corr) {
		corr_from_theta(corr, &g->corr);
		if (c->nb > SINGLE)
			corr_from_theta(corr + CORR_PARAMS, &g->single.corr);
	}
}

/* The penalty rows of one correction (CORR_ROWS of them) from row `row`,
 * its values at theta[o...]. */
static void corr_penalties(const double *theta, size_t o, double *r, double *J,
                           size_t row, size_t p)
{
	for (int d = 0; d < 3; d++) {
		const double *c = theta + o + d * COST_CORR_KNOTS;
		size_t od = o + (size_t)d * COST_CORR_KNOTS;

		for (int i = 1; i + 1 < COST_CORR_KNOTS; i++, row++) {
			r[row] = CORR_SMOOTH * (c[i - 1] - 2 * c[i] + c[i + 1]);
			if (J != NULL) {
				J[row * p + od + i - 1] = CORR_SMOOTH;
				J[row * p + od + i] = -2 * CORR_SMOOTH;
				J[row * p + od + i + 1] = CORR_SMOOTH;
			}
		}
		for (int i = 0; i < COST_CORR_KNOTS; i++, row++) {
			r[row] = CORR_SHRINK * c[i];
			if (J != NULL)
				J[row * p + od + i] = CORR_SHRINK;
		}
	}
}

static int gemm_residuals(const double *theta, double *r, double *J, void *ctx)
{
	const struct gemm_ctx *c = ctx;
	struct cost_gemm_params g;
	size_t p = n_params(c), row;

	gemm_from_theta(c, theta, &g);
	if (J != NULL)
		memset(J, 0, n_rows(c) * p * sizeof *J);
	for (size_t i = 0; i < c->n; i++) {
		const double *x = c->s[i]->dims, meas = c->s[i]->seconds;
		double m = x[0], n = x[1], k = x[2];
		int single = cost_gemm_is_single(&g, m, n, k), jm, jn;
		struct cost_gemm_regime rg = g.single;
		const struct cost_gemm_edge *ed = single ? &g.single.edge : &g.edge;
		size_t o = single ? SINGLE : THREADED;
		size_t oc = single ? CORR_PARAMS : 0;
		double wm[2], wn[2];
		double mp = cost_gemm_rows(m, g.block_m, ed->m, ed->period, &jm, wm);
		double np = cost_gemm_rows(n, g.block_n, ed->n, ed->period, &jn, wn);
		double fm, fn, fk, compute, memory, f;

		if (!single) {
			rg.peak_flops = g.peak_flops;
			rg.bandwidth = g.bandwidth;
			rg.overhead = g.overhead;
			rg.sat_m = g.sat_m;
			rg.sat_n = g.sat_n;
			rg.sat_k = g.sat_k;
			rg.corr = g.corr;
		}
		fm = 1 + rg.sat_m / mp;
		fn = 1 + rg.sat_n / np;
		fk = 1 + rg.sat_k / k;
		/* on a GPU whole waves of whole tiles (cost.h) */
		compute = 2 * (c->sms > 0 ? cost_gemm_wave_area(&g, m, n) : mp * np) *
		          k / rg.peak_flops * fm * fn * fk;
		memory = c->w * (m * k + k * n + m * n) / rg.bandwidth;
		f = exp(cost_corr_log(&rg.corr, m, n, k)) / meas;   /* factor / meas */
		r[i] = (rg.overhead + compute + memory) * f - 1;
		if (J == NULL)
			continue;
		if (c->corr) {
			double xs[3] = { m, n, k }, ratio = r[i] + 1;

			/* d r / d c = (pred / meas) x (hat weight of the knot) */
			for (int d = 0; d < 3; d++) {
				int ki;
				double w;

				cost_corr_locate(xs[d], &ki, &w);
				J[i * p + oc + (size_t)d * COST_CORR_KNOTS + ki] += ratio * (1 - w);
				J[i * p + oc + (size_t)d * COST_CORR_KNOTS + ki + 1] += ratio * w;
			}
			continue;
		}
		/* d pred / d log theta_j, divided by the measurement */
		J[i * p + o + 0] = -compute * f;
		J[i * p + o + 1] = -memory * f;
		J[i * p + o + 2] = rg.overhead * f;
		J[i * p + o + 3] = compute * (rg.sat_m / mp) / fm * f;
		J[i * p + o + 4] = compute * (rg.sat_n / np) / fn * f;
		J[i * p + o + 5] = compute * (rg.sat_k / k) / fk * f;
		if (n_edge(c) > 0) {
			/* d compute / d R = compute / (R + h), d R / d log e(j) =
			 * (weight of e(j)) e(j) */
			size_t g_ = single ? 1 : 0, om = edge_offset(c, g_, 0);
			size_t on = edge_offset(c, g_, 1);
			double dm = compute / (mp + rg.sat_m) * f;
			double dn = compute / (np + rg.sat_n) * f;

			if (wm[0] > 0)
				J[i * p + om + (size_t)jm - 1] += dm * wm[0] * ed->m[jm];
			if (wm[1] > 0)
				J[i * p + om + (size_t)jm] += dm * wm[1] * ed->m[jm + 1];
			if (wn[0] > 0)
				J[i * p + on + (size_t)jn - 1] += dn * wn[0] * ed->n[jn];
			if (wn[1] > 0)
				J[i * p + on + (size_t)jn] += dn * wn[1] * ed->n[jn + 1];
		}
	}
	if (c->corr) {
		row = c->n;
		for (size_t q = 0; q < regimes(c); q++, row += CORR_ROWS)
			corr_penalties(theta, q * CORR_PARAMS, r, J, row, p);
		return 0;
	}
	for (size_t j = 0; j < c->nb; j++) {
		r[c->n + j] = PRIOR_WEIGHT * (theta[j] - c->prior[j]);
		if (J != NULL)
			J[(c->n + j) * p + j] = PRIOR_WEIGHT;
	}
	/* the edge tables: towards the padding's values where no sample says
	 * otherwise */
	row = c->n + c->nb;
	for (size_t g_ = 0; g_ < (n_edge(c) ? regimes(c) : 0); g_++)
		for (size_t d = 0; d < 2; d++)
			for (int j = 1; j < c->q; j++, row++) {
				size_t t = edge_offset(c, g_, d) + (size_t)j - 1;

				r[row] = EDGE_PRIOR * (theta[t] - log(edge_pad(c, d, j)));
				if (J != NULL)
					J[row * p + t] = EDGE_PRIOR;
			}
	return 0;
}

static double sum_sq(fit_residual_fn f, void *ctx, const double *theta,
                     size_t n)
{
	double *r = malloc(n * sizeof *r), ss = 0;

	if (r == NULL || f(theta, r, NULL, ctx) != 0) {
		free(r);
		return HUGE_VAL;
	}
	for (size_t i = 0; i < n; i++)
		ss += r[i] * r[i];
	free(r);
	return ss;
}

/* One least-squares fit of the GEMM model with X, b_m, b_n fixed, from
 * theta (in: start, out: optimum), at most maxiter iterations.  Returns the sum of squares (penalties
 * included), HUGE_VAL with err on failure. */
static double gemm_fit_once(struct gemm_ctx *c, double *theta, int maxiter,
                            struct mp_error *err)
{
	int it;

	if (least_squares(n_rows(c), n_params(c), gemm_residuals, c, theta,
	                  maxiter, &it, err) != 0)
		return HUGE_VAL;
	return sum_sq(gemm_residuals, c, theta, n_rows(c));
}

/* theta (and prior) of regime offset o: the best rate and fastest call
 * among the samples of that regime under threshold X, bandwidth bw,
 * saturation sizes h.  Returns the number of samples. */
static size_t regime_start(const struct gemm_ctx *c, double *theta, size_t o,
                           double X, double bw, double h)
{
	double rate = 0, tmin = HUGE_VAL;
	size_t m = 0;

	for (size_t i = 0; i < c->n; i++) {
		const double *x = c->s[i]->dims;
		double t = c->s[i]->seconds, f = 2 * x[0] * x[1] * x[2];

		if ((x[0] * x[1] * x[2] <= X) != (o == SINGLE))
			continue;
		rate = fmax(rate, f / t);
		tmin = fmin(tmin, t);
		m++;
	}
	theta[o + 0] = log(rate);
	theta[o + 1] = log(bw);
	theta[o + 2] = log(0.5 * tmin);
	theta[o + 3] = theta[o + 4] = theta[o + 5] = log(h);
	return m;
}

/* Samples of the single-threaded regime under threshold X. */
static size_t count_below(const struct gemm_ctx *c, double X)
{
	size_t m = 0;

	for (size_t i = 0; i < c->n; i++) {
		const double *x = c->s[i]->dims;

		m += x[0] * x[1] * x[2] <= X;
	}
	return m;
}

/*
 * The thread threshold measured directly: among pairs of samples (m, n, k)
 * and (m, n, k + 1) with m n k a power of two (the calibration grid's
 * ladder), the one whose time jumps most beyond the added work, if by
 * more than LADDER_JUMP: the second call paid the threads' wake-up and
 * the first did not.  -1 if there are no pairs or none jumps clearly
 * (one thread, or a machine too loaded to tell): then fit_gemm searches.
 */
#define LADDER_JUMP 1.3
static double ladder_threshold(const struct gemm_ctx *c)
{
	double best = 0, X = 0;

	for (size_t i = 0; i < c->n; i++) {
		const double *lo = c->s[i]->dims;
		double mnk = lo[0] * lo[1] * lo[2];
		int e;

		if (frexp(mnk, &e) != 0.5)
			continue;
		for (size_t j = 0; j < c->n; j++) {
			const double *hi = c->s[j]->dims;
			double jump;

			if (hi[0] != lo[0] || hi[1] != lo[1] || hi[2] != lo[2] + 1)
				continue;
			jump = c->s[j]->seconds / c->s[i]->seconds * lo[2] / hi[2];
			if (jump > best) {
				best = jump;
				X = mnk;
			}
		}
	}
	return best > LADDER_JUMP ? X : -1;
}

static void set_sat(double *theta, size_t nb, double h)
{
	theta[THREADED + 3] = theta[THREADED + 4] = theta[THREADED + 5] = log(h);
	if (nb > SINGLE)
		theta[SINGLE + 3] = theta[SINGLE + 4] = theta[SINGLE + 5] = log(h);
}

/* The edge tables' periods tried (cost.h): register blocks of sgemm
 * micro-kernels are 4 to 16 rows wide, and a split between threads can
 * double the period. */
static const int edge_periods[] = { 8, 16, 32 };
#define EDGE_MAXITER 100

/* Akaike's information criterion of a least-squares fit (Akaike 1974,
 * with Gaussian errors): n ln(S / n) + 2p, the criterion for predicting
 * new shapes (the Bayesian one, p ln n, asks whether the tables are the
 * true model, and refused them on real timings where they halve the
 * error).  The mean square is floored at (0.1%)^2, as no timing is more
 * precise: without the floor, rounding in a near-exact fit would decide. */
#define AIC_FLOOR 1e-6
static double aic(double ss, size_t n, size_t p)
{
	return (double)n * log(ss / (double)n + AIC_FLOOR) + 2.0 * (double)p;
}

/* 1 if every e(j) of the tables in theta is one a profile can hold
 * (cost.h): a period whose fit runs away (noise in the samples taken for
 * an edge) is not kept, rather than written and refused when read. */
static int edges_valid(const struct gemm_ctx *c, const double *theta)
{
	double most = log((double)COST_EDGE_MAX_PERIODS * c->q);

	for (size_t g = 0; g < regimes(c); g++)
		for (size_t d = 0; d < 2; d++)
			for (int j = 1; j < c->q; j++)
				if (!(theta[edge_offset(c, g, d) + (size_t)j - 1] <= most))
					return 0;
	return 1;
}

/*
 * Step 3b of fit_gemm: for each period, the base parameters and the edge
 * tables fitted together, the tables starting at (and weakly held to) the
 * padding's values; the period with the lowest information criterion
 * (aic) is kept, or none if no table earns its parameters.  best (the base
 * parameters) is updated with the tables' fit; c->q and c->tab say what
 * was kept.
 */
static void fit_edges(struct gemm_ctx *c, double *best, double best_ss)
{
	double th[GEMM_MAX_PARAMS], keep[GEMM_MAX_PARAMS];
	double crit = aic(best_ss, c->n, c->nb);
	int q_best = 0;
	struct mp_error e;

	for (size_t i = 0; i < sizeof edge_periods / sizeof edge_periods[0]; i++) {
		double ss, cr;

		c->q = edge_periods[i];
		c->edge = 1;
		memcpy(th, best, c->nb * sizeof *th);
		for (size_t g = 0; g < regimes(c); g++)
			for (size_t d = 0; d < 2; d++)
				for (int j = 1; j < c->q; j++)
					th[edge_offset(c, g, d) + (size_t)j - 1] =
						log(edge_pad(c, d, j));
		ss = gemm_fit_once(c, th, EDGE_MAXITER, &e);
		if (ss == HUGE_VAL || !edges_valid(c, th))
			continue;
		cr = aic(ss, c->n, n_params(c));
		if (cr < crit) {
			crit = cr;
			q_best = c->q;
			memcpy(keep, th, n_params(c) * sizeof *th);
		}
	}
	c->edge = 0;
	c->q = q_best;
	if (q_best == 0)
		return;
	/* polish the one kept */
	c->edge = 1;
	memcpy(th, keep, n_params(c) * sizeof *th);
	if (gemm_fit_once(c, th, FIT_MAXITER, &e) < HUGE_VAL && edges_valid(c, th))
		memcpy(keep, th, n_params(c) * sizeof *th);
	c->edge = 0;
	memcpy(best, keep, c->nb * sizeof *best);
	memset(c->tab, 0, sizeof c->tab);
	for (size_t g = 0; g < regimes(c); g++)
		for (size_t d = 0; d < 2; d++)
			for (int j = 1; j < c->q; j++)
				c->tab[g][d][j] = exp(keep[edge_offset(c, g, d) + (size_t)j - 1]);
}

/*
 * Choose X, then (b_m, b_n), then polish from several starts, keeping the
 * lowest sum of squares at each step; then the edge tables (fit_edges);
 * last, fit the corrections with the rest fixed.  X is the ladder's
 * (ladder_threshold) when the samples have one; otherwise the best of X = 0 (one regime) and the powers of two from
 * 2^14 to 2^26 that leave at least MIN_REGIME samples on each side
 * (OpenBLAS's default is 2^18).  Blocks: 1, 2, 4, 8, 16 (register
 * blocks of sgemm micro-kernels are 4 to 16 wide).  A candidate must lower the sum
 * of squares by CHOICE_GAIN to displace a simpler one (X = 0, smaller
 * blocks), so that noise does not pick structure.
 */
#define MIN_REGIME 12
#define CHOICE_GAIN 0.98
#define SELECT_MAXITER 60   /* the choices compare approximate optima */
/*
 * On a GPU (c->sms > 0, the wave term of cost.h): one regime (no thread
 * threshold), the blocks are the tiles, chosen among 64, 128 and 256 (the
 * thread-block tiles of CUTLASS and cuBLAS kernels, bench/gpu_grid.h),
 * starting from 128 x 128, and no edge tables (a tile's edge costs the
 * whole tile, which the tile quantization already counts).
 */
#define GPU_TILE_START 128
static const double cpu_blocks[] = { 1, 2, 4, 8, 16 };
static const double gpu_tiles[] = { 64, 128, 256 };
#define N_CPU_BLOCKS (sizeof cpu_blocks / sizeof cpu_blocks[0])
#define N_GPU_TILES (sizeof gpu_tiles / sizeof gpu_tiles[0])
static int fit_gemm(struct gemm_ctx *c, double stream_bw,
                    struct cost_gemm_params *g, struct mp_error *err)
{
	static const double h0[] = { 1, 16, 128 };
	const int gpu = c->sms > 0;
	const double *blocks = gpu ? gpu_tiles : cpu_blocks;
	const size_t nblocks = gpu ? N_GPU_TILES : N_CPU_BLOCKS;
	const double b0 = gpu ? GPU_TILE_START : 1;
	double *best = calloc(GEMM_MAX_PARAMS, sizeof *best);
	double *th = calloc(GEMM_MAX_PARAMS, sizeof *th);
	double best_ss = HUGE_VAL, bestX = 0, bm, bn, b1m = b0, b1n = b0, ladder;
	int rc = -1;

	if (best == NULL || th == NULL) {
		mp_error_set(err, "fit: out of memory");
		goto out;
	}
	c->corr = 0;
	/* 1. the thread threshold, blocks 1 (a GPU: no threshold, the
	 * tiles): measured by the ladder if the samples have one, else the
	 * best candidate */
	c->bm = c->bn = b0;
	ladder = gpu ? 0 : ladder_threshold(c);
	if (ladder > 0 && (count_below(c, ladder) < MIN_REGIME ||
	                   c->n - count_below(c, ladder) < MIN_REGIME))
		ladder = -1;   /* too few samples on one side: search */
	for (int e = 13; e <= 26; e++) {
		double X = e < 14 ? 0 : ldexp(1, e), ss;

		if (ladder >= 0 && X != ladder)
			continue;
		c->X = X;
		c->nb = X > 0 ? BASE_PARAMS : SINGLE;
		regime_start(c, c->prior, THREADED, X, stream_bw, 16);
		if (X > 0 && (regime_start(c, c->prior, SINGLE, X, stream_bw, 16) <
		              MIN_REGIME || c->n - count_below(c, X) < MIN_REGIME))
			continue;
		/* on a GPU every pair of tiles, 128 x 128 first: with the wrong
		 * tiles the fit can run away (the wave steps where the samples
		 * have none) */
		for (size_t t = 0; t < (gpu ? nblocks * nblocks : 1); t++)
			for (size_t j = 0; j < 2; j++) {
				size_t ti = (t + nblocks + 1) % (nblocks * nblocks);

				if (gpu) {
					c->bm = blocks[ti / nblocks];
					c->bn = blocks[ti % nblocks];
				}
				memcpy(th, c->prior, sizeof c->prior);
				set_sat(th, c->nb, h0[j]);
				ss = gemm_fit_once(c, th, SELECT_MAXITER, err);
				if (ss < best_ss * (X > 0 || t > 0 ? CHOICE_GAIN : 1)) {
					best_ss = ss;
					bestX = X;
					b1m = c->bm;
					b1n = c->bn;
					memcpy(best, th, BASE_PARAMS * sizeof *th);
				}
			}
	}
	if (best_ss == HUGE_VAL)
		goto out;   /* err holds the last failure */
	c->X = bestX;
	c->nb = bestX > 0 ? BASE_PARAMS : SINGLE;
	c->bm = b1m;
	c->bn = b1n;
	regime_start(c, c->prior, THREADED, bestX, stream_bw, 16);
	if (bestX > 0)
		regime_start(c, c->prior, SINGLE, bestX, stream_bw, 16);
	best_ss = sum_sq(gemm_residuals, c, best, n_rows(c));
	/* 2. the register blocks (a GPU's tiles), from the best fit so far */
	bm = b1m;
	bn = b1n;
	for (size_t i = 0; i < nblocks; i++)
		for (size_t j = 0; j < nblocks; j++) {
			double ss;

			if (blocks[i] == b1m && blocks[j] == b1n)
				continue;
			c->bm = blocks[i];
			c->bn = blocks[j];
			memcpy(th, best, BASE_PARAMS * sizeof *th);
			ss = gemm_fit_once(c, th, SELECT_MAXITER, err);
			if (ss < best_ss * CHOICE_GAIN) {
				best_ss = ss;
				bm = blocks[i];
				bn = blocks[j];
				memcpy(best, th, BASE_PARAMS * sizeof *th);
			}
		}
	c->bm = bm;
	c->bn = bn;
	/* 3. polish from the best so far and from several saturation sizes */
	for (size_t j = 0; j <= sizeof h0 / sizeof h0[0]; j++) {
		double ss;

		memcpy(th, best, BASE_PARAMS * sizeof *th);
		if (j > 0)
			set_sat(th, c->nb, h0[j - 1]);
		ss = gemm_fit_once(c, th, FIT_MAXITER, err);
		if (ss < best_ss) {
			best_ss = ss;
			memcpy(best, th, BASE_PARAMS * sizeof *th);
		}
	}
	/* 3b. the edge tables, if they earn their parameters (not on a GPU) */
	if (!gpu)
		fit_edges(c, best, best_ss);
	/* 4. the corrections, from zero, the rest fixed */
	memcpy(c->base, best, sizeof c->base);
	c->corr = 1;
	memset(th, 0, GEMM_MAX_PARAMS * sizeof *th);
	if (gemm_fit_once(c, th, FIT_MAXITER, err) < HUGE_VAL) {
		gemm_from_theta(c, th, g);
	} else {
		c->corr = 0;
		gemm_from_theta(c, best, g);
	}
	rc = 0;
out:
	free(best);
	free(th);
	return rc;
}

/* ---- memory-bound classes ---------------------------------------------------- */

struct mem_ctx {
	const struct cost_sample *const *s;
	size_t n;
	const double *bytes;
};

/*
 * theta = log (t0_c, Bc_c, D_c, C_c), D_c = 1/Bm_c - 1/Bc_c > 0 (cost.h):
 * t = t0 + x / Bc + D x^2 / (x + C)
 */
static int mem_residuals(const double *theta, double *r, double *J, void *ctx)
{
	const struct mem_ctx *c = ctx;
	double t0 = exp(theta[0]), bw = exp(theta[1]), D = exp(theta[2]);
	double C = exp(theta[3]);

	for (size_t i = 0; i < c->n; i++) {
		double meas = c->s[i]->seconds, x = c->bytes[i];
		double hot = x / bw, miss = D * x * x / (x + C);

		r[i] = (t0 + hot + miss) / meas - 1;
		if (J != NULL) {
			J[i * MEM_PARAMS + 0] = t0 / meas;
			J[i * MEM_PARAMS + 1] = -hot / meas;
			J[i * MEM_PARAMS + 2] = miss / meas;
			J[i * MEM_PARAMS + 3] = -miss * C / (x + C) / meas;
		}
	}
	return 0;
}

/* Start from half the fastest call, the best and worst bandwidths seen and
 * several cache sizes; keep the best optimum. */
static int fit_mem(const struct cost_model *cm, enum cost_kernel kernel,
                   struct mem_ctx *c, struct cost_mem_params *p, int *iters,
                   struct mp_error *err)
{
	static const double C0[] = { 1 << 18, 1 << 22, 1 << 25 };
	double *bytes = malloc(c->n * sizeof *bytes), best[MEM_PARAMS] = { 0 };
	double bw_hi = 0, bw_lo = HUGE_VAL, tmin = HUGE_VAL, best_ss = HUGE_VAL;

	if (bytes == NULL)
		return mp_error_set(err, "fit: out of memory");
	for (size_t i = 0; i < c->n; i++) {
		bytes[i] = cost_mem_bytes(cm, kernel, c->s[i]->dims);
		bw_hi = fmax(bw_hi, bytes[i] / c->s[i]->seconds);
		bw_lo = fmin(bw_lo, bytes[i] / c->s[i]->seconds);
		tmin = fmin(tmin, c->s[i]->seconds);
	}
	c->bytes = bytes;
	for (size_t j = 0; j < sizeof C0 / sizeof C0[0]; j++) {
		double th[MEM_PARAMS] = { log(0.5 * tmin), log(bw_hi),
		                          log(fmax(1 / bw_lo - 1 / bw_hi, 0.01 / bw_hi)),
		                          log(C0[j]) };
		double ss;
		int it;

		if (fit_least_squares(c->n, MEM_PARAMS, mem_residuals, c, th, &it,
		                      err) != 0)
			continue;
		ss = sum_sq(mem_residuals, c, th, c->n);
		if (ss < best_ss) {
			best_ss = ss;
			memcpy(best, th, sizeof best);
			*iters = it;
		}
	}
	free(bytes);
	if (best_ss == HUGE_VAL)
		return -1;   /* err holds the last failure */
	p->overhead = pos_exp(best[0]);
	p->bandwidth = pos_exp(best[1]);
	p->bandwidth_mem = 1 / (1 / p->bandwidth + exp(best[2]));
	p->cache_bytes = pos_exp(best[3]);
	return 0;
}

/* ---- the whole model ------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Residuals of every sample under cm, and their summary per class. */
static void residual_stats(struct cost_sample *s, size_t n,
                           const struct cost_model *cm, struct fit_stats *st)
{
	double *abs_r = malloc(n * sizeof *abs_r);

	for (int k = 0; k < COST_KERNELS; k++) {
		size_t m = 0;
		double ss = 0, mx = 0;

		for (size_t i = 0; i < n; i++) {
			if ((int)s[i].kernel != k)
				continue;
			s[i].residual = cost_sample_seconds(cm, &s[i]) / s[i].seconds - 1;
			ss += s[i].residual * s[i].residual;
			mx = fmax(mx, fabs(s[i].residual));
			if (abs_r != NULL)
				abs_r[m] = fabs(s[i].residual);
			m++;
		}
		if (st == NULL)
			continue;
		st[k].n = m;
		st[k].rms = m > 0 ? sqrt(ss / m) : 0;
		st[k].max_abs = mx;
		st[k].median_abs = 0;
		if (abs_r != NULL && m > 0) {
			qsort(abs_r, m, sizeof *abs_r, cmp_double);
			st[k].median_abs = m % 2 ? abs_r[m / 2]
			                         : 0.5 * (abs_r[m / 2 - 1] + abs_r[m / 2]);
		}
	}
	free(abs_r);
}

/* Pointers to the samples of one class, all with positive times and dims. */
static int select_class(struct cost_sample *s, size_t n, enum cost_kernel k,
                        const struct cost_sample **out, size_t *m,
                        struct mp_error *err)
{
	struct cost_model unit = { .elem_bytes = 1 };

	*m = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i].kernel != k)
			continue;
		if (!(s[i].seconds > 0) || !isfinite(s[i].seconds))
			return mp_error_set(err, "fit: %s sample %zu has no positive time",
			                    cost_kernel_name(k), i + 1);
		if (k == COST_GEMM ? cost_sample_flops(&s[i]) <= 0
		                   : cost_mem_bytes(&unit, k, s[i].dims) <= 0)
			return mp_error_set(err, "fit: %s sample %zu has an empty shape",
			                    cost_kernel_name(k), i + 1);
		out[(*m)++] = &s[i];
	}
	return 0;
}

int fit_cost_model(struct cost_sample *samples, size_t n, struct cost_model *cm,
                   struct fit_stats *stats, struct mp_error *err)
{
	const struct cost_sample **sel = malloc((n ? n : 1) * sizeof *sel);
	size_t m;
	int iters[COST_KERNELS] = { 0 };
	int rc = -1;

	if (sel == NULL)
		return mp_error_set(err, "fit: out of memory");
	if (!(cm->elem_bytes > 0)) {
		mp_error_set(err, "fit: element size not set");
		goto out;
	}
	/* memory-bound classes first: the stream bandwidth seeds the GEMM fit */
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++) {
		struct mem_ctx c;

		if (select_class(samples, n, k, sel, &m, err) != 0)
			goto out;
		c.s = sel;
		c.n = m;
		if (fit_mem(cm, k, &c, &cm->mem[k - 1], &iters[k], err) != 0) {
			mp_error_prefix(err, "%s", cost_kernel_name(k));
			goto out;
		}
	}
	if (select_class(samples, n, COST_GEMM, sel, &m, err) != 0)
		goto out;
	{
		struct gemm_ctx c;

		memset(&c, 0, sizeof c);
		c.s = sel;
		c.n = m;
		c.w = cm->elem_bytes;
		c.sms = cm->gemm.sms > 0 ? cm->gemm.sms : 0;

		if (fit_gemm(&c, cm->mem[COST_STREAM - 1].bandwidth, &cm->gemm,
		             err) != 0) {
			mp_error_prefix(err, "gemm");
			goto out;
		}
	}
	residual_stats(samples, n, cm, stats);
	if (stats != NULL)
		for (int k = 0; k < COST_KERNELS; k++)
			stats[k].iterations = iters[k];
	rc = 0;
out:
	free(sel);
	return rc;
}
