/*
 * fit.c — GSL nonlinear least squares for the cost model (see fit.h).
 */
#include "config.h"

#include "fit.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FIT_MAXITER 500
#define FIT_XTOL 1e-12
#define FIT_GTOL 1e-14
#define FIT_FTOL 1e-14
#define GEMM_PARAMS 6
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

int fit_least_squares(size_t n, size_t p, fit_residual_fn f, void *ctx,
                      double *theta, int *iterations, struct mp_error *err)
{
	gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
	gsl_multifit_nlinear_fdf fdf;
	gsl_multifit_nlinear_workspace *w;
	struct gsl_ctx c = { f, ctx, p };
	gsl_vector_view x0 = gsl_vector_view_array(theta, p);
	int status, info = 0;

	if (n < p)
		return mp_error_set(err, "fit: %zu samples for %zu parameters", n, p);
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
		status = gsl_multifit_nlinear_driver(FIT_MAXITER, FIT_XTOL, FIT_GTOL,
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

/* ---- the GEMM model --------------------------------------------------------- */

/*
 * After the n relative errors come GEMM_PARAMS weak prior residuals
 * PRIOR_WEIGHT (theta_j - prior_j), none on t0: they keep parameters that
 * noisy data leave undetermined near plausible values (the best rate seen,
 * the STREAM bandwidth, saturation sizes of 16) instead of drifting to
 * 1e20, and move well-determined ones by a negligible amount.
 */
#define PRIOR_WEIGHT 1e-3
struct gemm_ctx {
	const struct cost_sample *const *s;   /* the GEMM samples */
	size_t n;
	double w;                             /* elem_bytes */
	double prior[GEMM_PARAMS];
};

/* theta = log (P, B, t0, h_m, h_n, h_k); cost.h gives the equation. */
static void gemm_from_theta(const double *theta, struct cost_gemm_params *g)
{
	g->peak_flops = exp(theta[0]);
	g->bandwidth = exp(theta[1]);
	g->overhead = exp(theta[2]);
	g->sat_m = exp(theta[3]);
	g->sat_n = exp(theta[4]);
	g->sat_k = exp(theta[5]);
}

static int gemm_residuals(const double *theta, double *r, double *J, void *ctx)
{
	const struct gemm_ctx *c = ctx;
	struct cost_gemm_params g;

	gemm_from_theta(theta, &g);
	for (size_t i = 0; i < c->n; i++) {
		const double *x = c->s[i]->dims, meas = c->s[i]->seconds;
		double m = x[0], n = x[1], k = x[2];
		double fm = 1 + g.sat_m / m, fn = 1 + g.sat_n / n, fk = 1 + g.sat_k / k;
		double compute = 2 * m * n * k / g.peak_flops * fm * fn * fk;
		double memory = c->w * (m * k + k * n + m * n) / g.bandwidth;

		r[i] = (g.overhead + compute + memory) / meas - 1;
		if (J == NULL)
			continue;
		/* d pred / d log theta_j, divided by the measurement */
		J[i * GEMM_PARAMS + 0] = -compute / meas;
		J[i * GEMM_PARAMS + 1] = -memory / meas;
		J[i * GEMM_PARAMS + 2] = g.overhead / meas;
		J[i * GEMM_PARAMS + 3] = compute * (g.sat_m / m) / fm / meas;
		J[i * GEMM_PARAMS + 4] = compute * (g.sat_n / n) / fn / meas;
		J[i * GEMM_PARAMS + 5] = compute * (g.sat_k / k) / fk / meas;
	}
	for (size_t j = 0; j < GEMM_PARAMS; j++) {
		double w = j == 2 ? 0 : PRIOR_WEIGHT;   /* none on t0 */

		r[c->n + j] = w * (theta[j] - c->prior[j]);
		if (J != NULL)
			for (size_t l = 0; l < GEMM_PARAMS; l++)
				J[(c->n + j) * GEMM_PARAMS + l] = l == j ? w : 0;
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

/*
 * Start from the best achieved FLOP/s, the fastest bandwidth seen, half the
 * fastest call, and several saturation sizes; keep the best optimum.
 */
static int fit_gemm(struct gemm_ctx *c, double stream_bw,
                    struct cost_gemm_params *g, int *iters, struct mp_error *err)
{
	static const double h0[] = { 1, 16, 128 };
	double best[GEMM_PARAMS], best_ss = HUGE_VAL, rate = 0, tmin = HUGE_VAL;
	int ok = 0;

	for (size_t i = 0; i < c->n; i++) {
		const double *x = c->s[i]->dims;
		double t = c->s[i]->seconds;

		rate = fmax(rate, 2 * x[0] * x[1] * x[2] / t);
		tmin = fmin(tmin, t);
	}
	c->prior[0] = log(rate);
	c->prior[1] = log(stream_bw);
	c->prior[2] = log(0.5 * tmin);
	c->prior[3] = c->prior[4] = c->prior[5] = log(16);
	for (size_t j = 0; j < sizeof h0 / sizeof h0[0]; j++) {
		double th[GEMM_PARAMS] = { log(rate), log(stream_bw), log(0.5 * tmin),
		                           log(h0[j]), log(h0[j]), log(h0[j]) };
		double ss;
		int it;

		if (fit_least_squares(c->n + GEMM_PARAMS, GEMM_PARAMS, gemm_residuals,
		                      c, th, &it, err) != 0)
			continue;
		ss = sum_sq(gemm_residuals, c, th, c->n + GEMM_PARAMS);
		if (ss < best_ss) {
			best_ss = ss;
			memcpy(best, th, sizeof best);
			*iters = it;
			ok = 1;
		}
	}
	if (!ok)
		return -1;   /* err holds the last failure */
	gemm_from_theta(best, g);
	return 0;
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
	p->overhead = exp(best[0]);
	p->bandwidth = exp(best[1]);
	p->bandwidth_mem = 1 / (1 / p->bandwidth + exp(best[2]));
	p->cache_bytes = exp(best[3]);
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
		struct gemm_ctx c = { sel, m, cm->elem_bytes, { 0 } };

		if (fit_gemm(&c, cm->mem[COST_STREAM - 1].bandwidth, &cm->gemm,
		             &iters[COST_GEMM], err) != 0) {
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
