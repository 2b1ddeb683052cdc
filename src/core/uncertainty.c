/*
 * uncertainty.c — the draws of a plan's laws from their fits' covariances,
 * the plan of each draw, and the bands of many (see uncertainty.h).
 */
#include "config.h"

#include "uncertainty.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

static const char *const qty_names[UNC_QTYS] = {
	"params", "tokens", "loss", "hours", "usd",
};

const char *unc_qty_name(enum unc_qty q)
{
	return (unsigned)q < UNC_QTYS ? qty_names[q] : "?";
}

/* splitmix64 (Steele, Lea and Flood 2014, "Fast splittable pseudorandom
 * number generators", OOPSLA): the same mix as lawfit.c's resample seed. */
unsigned long unc_draw_seed(unsigned long seed, size_t i)
{
	unsigned long long z = (unsigned long long)seed * 0x9E3779B97F4A7C15ULL +
	                       (unsigned long long)i + 1;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (unsigned long)(z ^ (z >> 31));
}

/* ---- the multivariate normal --------------------------------------------- */

int unc_cholesky(size_t p, const double *cov, double *chol,
                 struct mp_error *err)
{
	gsl_matrix_view m = gsl_matrix_view_array(chol, p, p);
	gsl_error_handler_t *old;
	int rc;

	if (p == 0 || p > LAWFIT_MAX_PAR)
		return mp_error_set(err, "covariance: 1 to %d parameters",
		                    LAWFIT_MAX_PAR);
	memcpy(chol, cov, p * p * sizeof *chol);
	old = gsl_set_error_handler_off();   /* core never aborts */
	rc = gsl_linalg_cholesky_decomp1(&m.matrix);
	gsl_set_error_handler(old);
	if (rc != 0)
		return mp_error_set(err, "covariance is not positive definite");
	for (size_t a = 0; a < p; a++)         /* keep L, zero above it */
		for (size_t b = a + 1; b < p; b++)
			chol[a * p + b] = 0;
	return 0;
}

/* x = mean + L z (Gentle 2003, Sec. 5.3.1), z ~ N(0, I). */
void unc_mvn_draw(size_t p, const double *mean, const double *chol,
                  gsl_rng *rng, double *out)
{
	double z[LAWFIT_MAX_PAR];

	for (size_t j = 0; j < p; j++)
		z[j] = gsl_ran_gaussian(rng, 1.0);
	for (size_t a = 0; a < p; a++) {
		double s = mean[a];

		for (size_t b = 0; b <= a; b++)
			s += chol[a * p + b] * z[b];
		out[a] = s;
	}
}

/* ---- the request's laws -------------------------------------------------- */

static int has_cov(const struct law *L)
{
	return L->fit != NULL && L->fit->has_result && L->fit->has_cov &&
	       L->fit->n_par > 0;
}

/* Law L's draws into d: its coefficients in their fitted space, the
 * factor of its covariance. */
static int law_setup(struct unc_law *d, const struct law *L,
                     struct mp_error *err)
{
	const struct lawfit_info *fi = L->fit;

	d->orig = L;
	d->drawn = *L;
	d->p = fi->n_par;
	for (size_t j = 0; j < d->p; j++) {
		double c = L->coef_value[fi->coef[j]];

		d->coef[j] = fi->coef[j];
		d->space[j] = fi->space[j];
		if (fi->space[j] == LAWFIT_LOG && !(c > 0)) {
			mp_error_set(err, "law %s/%s: %s is %g, its log cannot be drawn",
			             L->model, L->name, L->coef_name[d->coef[j]], c);
			return mp_error_what(err, MP_WHAT_COEFFICIENT,
			                      L->coef_name[d->coef[j]]);
		}
		d->mean[j] = fi->space[j] == LAWFIT_LOG ? log(c) : c;
	}
	if (unc_cholesky(d->p, fi->cov, d->chol, err) != 0) {
		mp_error_prefix(err, "law %s/%s: fitted", L->model, L->name);
		return -1;
	}
	return 0;
}

/* The drawn copy of L, NULL if L is not drawn. */
static const struct law *drawn_of(const struct unc *u, const struct law *L)
{
	for (size_t k = 0; k < u->n_laws; k++)
		if (u->law[k].orig == L)
			return &u->law[k].drawn;
	return NULL;
}

/* Add L (once) to the drawn laws or to those kept at their values. */
static int add_law(struct unc *u, const struct law *L, struct mp_error *err)
{
	if (L == NULL || drawn_of(u, L) != NULL)
		return 0;
	for (size_t k = 0; k < u->n_point; k++)
		if (u->point[k] == L)
			return 0;
	if (!has_cov(L)) {
		u->point[u->n_point++] = L;
		return 0;
	}
	if (law_setup(&u->law[u->n_laws], L, err) != 0)
		return -1;
	u->n_laws++;
	return 0;
}

int unc_init(struct unc *u, const struct plan_request *req,
             struct mp_error *err)
{
	memset(u, 0, sizeof *u);
	u->req = *req;
	u->req.flat_tol = -1;              /* no flat ranges for a draw */
	for (int p = 0; p < PATH_COUNT; p++)
		if (add_law(u, req->laws[p], err) != 0)
			return -1;
	if (add_law(u, req->baseline, err) != 0)
		return -1;
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct law *d = req->laws[p] ? drawn_of(u, req->laws[p]) : NULL;

		u->drawn[p] = d != NULL;
		if (d != NULL)
			u->req.laws[p] = d;
	}
	if (req->baseline != NULL && drawn_of(u, req->baseline) != NULL) {
		u->req.baseline = drawn_of(u, req->baseline);
		if (req->laws[PATH_UPCYCLE] != NULL && !u->drawn[PATH_UPCYCLE])
			u->drawn[PATH_UPCYCLE] = 2;
	}
	if (u->n_laws > 0 && (u->rng = gsl_rng_alloc(gsl_rng_mt19937)) == NULL)
		return mp_error_set(err, "out of memory");
	return 0;
}

void unc_free(struct unc *u)
{
	if (u->rng != NULL)
		gsl_rng_free(u->rng);
	u->rng = NULL;
}

/* ---- one draw ------------------------------------------------------------- */

static void record(const struct plan *pl, struct unc_sample *out)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &pl->path[p];
		int ok = pp->law != NULL && pp->solved;

		out->solved[p] = ok;
		out->v[p][UNC_PARAMS] = ok ? pp->params : NAN;
		out->v[p][UNC_TOKENS] = ok ? pp->tokens : NAN;
		out->v[p][UNC_LOSS] = ok ? pp->loss : NAN;
		out->v[p][UNC_HOURS] = ok ? pp->hours : NAN;
		out->v[p][UNC_USD] = ok ? pp->usd : NAN;
	}
	out->best = pl->keep ? PLAN_KEEP : pl->best;
}

int unc_draw(struct unc *u, double budget, unsigned long seed, size_t i,
             struct unc_sample *out, struct mp_error *err)
{
	struct plan_request r = u->req;
	struct plan *pl;
	struct mp_error e;

	memset(out, 0, sizeof *out);
	out->index = i;
	out->best = -1;
	if (u->n_laws > 0)
		gsl_rng_set(u->rng, unc_draw_seed(seed, i));
	for (size_t k = 0; k < u->n_laws; k++) {
		struct unc_law *d = &u->law[k];
		double theta[LAWFIT_MAX_PAR];

		unc_mvn_draw(d->p, d->mean, d->chol, u->rng, theta);
		for (size_t j = 0; j < d->p; j++)
			d->drawn.coef_value[d->coef[j]] = lawfit_natural(d->space[j],
			                                                 theta[j]);
	}
	if ((pl = malloc(sizeof *pl)) == NULL)
		return mp_error_set(err, "out of memory");
	r.budget = budget;
	if (plan_solve(&r, pl, &e) == 0)
		record(pl, out);
	else
		for (int p = 0; p < PATH_COUNT; p++)
			for (int q = 0; q < UNC_QTYS; q++)
				out->v[p][q] = NAN;
	free(pl);
	return 0;
}

/* ---- the bands ------------------------------------------------------------ */

/* Quantiles of path p's quantity q over the draws where it is finite. */
static void band(const struct unc_sample *s, size_t n, int p, int q,
                 double *buf, struct unc_band *out)
{
	size_t m = 0;

	for (size_t k = 0; k < n; k++)
		if (s[k].solved[p] && isfinite(s[k].v[p][q]))
			buf[m++] = s[k].v[p][q];
	out->p10 = out->p50 = out->p90 = NAN;
	if (m == 0)
		return;
	gsl_sort(buf, 1, m);
	/* type 7: (1 - g) x[j] + g x[j+1] at (m - 1) f (Hyndman and Fan 1996) */
	out->p10 = gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.1);
	out->p50 = gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.5);
	out->p90 = gsl_stats_quantile_from_sorted_data(buf, 1, m, 0.9);
}

static void shares(const struct unc_sample *s, size_t n, struct unc_bands *b)
{
	size_t best[PATH_COUNT] = { 0 }, keep = 0, none = 0;

	for (size_t k = 0; k < n; k++) {
		for (int p = 0; p < PATH_COUNT; p++)
			b->solved[p] += (size_t)s[k].solved[p];
		if (s[k].best == PLAN_KEEP)
			keep++;
		else if (s[k].best >= 0 && s[k].best < PATH_COUNT)
			best[s[k].best]++;
		else
			none++;
	}
	for (int p = 0; p < PATH_COUNT; p++)
		b->p_best[p] = n > 0 ? (double)best[p] / (double)n : NAN;
	b->p_keep = n > 0 ? (double)keep / (double)n : NAN;
	b->p_none = n > 0 ? (double)none / (double)n : NAN;
}

int unc_summarise(const struct unc *u, double budget, unsigned long seed,
                  const struct unc_sample *s, size_t n, struct unc_bands *out,
                  struct mp_error *err)
{
	double *buf = malloc((n + 1) * sizeof *buf);

	memset(out, 0, sizeof *out);
	if (buf == NULL)
		return mp_error_set(err, "out of memory");
	out->budget = budget;
	out->draws = n;
	out->seed = seed;
	out->has_keep = u->req.has_checkpoint;
	for (int p = 0; p < PATH_COUNT; p++) {
		out->planned[p] = u->req.laws[p] != NULL;
		out->drawn[p] = u->drawn[p];
		for (int q = 0; q < UNC_QTYS; q++)
			band(s, n, p, q, buf, &out->q[p][q]);
	}
	shares(s, n, out);
	free(buf);
	return 0;
}
