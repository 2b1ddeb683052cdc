/*
 * test_uncertainty.c — core/uncertainty: the multivariate normal draws
 * against the covariance written here, the Cholesky factor against one
 * worked by hand, the bands of a Chinchilla law against its closed-form
 * optimum (Hoffmann et al. 2022, eq. 4) under draws this test makes itself
 * by the documented recipe (splitmix64 seed, GSL's mt19937 and
 * gsl_ran_gaussian, mu + L z with a factor computed here), and the
 * best-path shares summing to one.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "core/lawfit.h"
#include "core/shape.h"
#include "core/uncertainty.h"
#include "lawfix.h"
#include "tap.h"

/* A covariance of (log A, alpha, beta), written here: sd 0.25, 0.015,
 * 0.02, corr(log A, alpha) 0.95, corr(log A, beta) -0.2, corr(alpha,
 * beta) -0.25. */
static const double SD[3] = { 0.25, 0.015, 0.02 };
static const double CORR[3][3] = {
	{ 1, 0.95, -0.2 }, { 0.95, 1, -0.25 }, { -0.2, -0.25, 1 },
};

static void covariance(double *cov)
{
	for (int a = 0; a < 3; a++)
		for (int b = 0; b < 3; b++)
			cov[a * 3 + b] = CORR[a][b] * SD[a] * SD[b];
}

/* Cholesky-Banachiewicz, written out (Golub and Van Loan, Alg. 4.2.1). */
static void my_cholesky(int p, const double *c, double *L)
{
	memset(L, 0, (size_t)(p * p) * sizeof *L);
	for (int i = 0; i < p; i++)
		for (int j = 0; j <= i; j++) {
			double s = c[i * p + j];

			for (int k = 0; k < j; k++)
				s -= L[i * p + k] * L[j * p + k];
			L[i * p + j] = i == j ? sqrt(s) : s / L[j * p + j];
		}
}

static unsigned long my_seed(unsigned long seed, size_t i)
{
	unsigned long long z = (unsigned long long)seed * 0x9E3779B97F4A7C15ULL +
	                       (unsigned long long)i + 1;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return (unsigned long)(z ^ (z >> 31));
}

static void test_cholesky(void)
{
	const double c[4] = { 4, 2, 2, 3 }, bad[4] = { 1, 2, 2, 1 };
	double L[4];
	struct mp_error e;

	check(unc_cholesky(2, c, L, &e) == 0, "cholesky of [[4,2],[2,3]]");
	check_rel(L[0], 2, 1e-15, "L11 = 2");
	check_rel(L[1], 0, 1e-15, "L12 = 0");
	check_rel(L[2], 1, 1e-15, "L21 = 1");
	check_rel(L[3], sqrt(2), 1e-15, "L22 = sqrt 2");
	check(unc_cholesky(2, bad, L, &e) != 0, "an indefinite matrix is refused");
	check(strstr(e.msg, "not positive definite") != NULL, e.msg);
}

/* Sample mean and covariance of n draws against mu and cov: each within
 * 4 standard errors (of a mean, sd / sqrt n; of a covariance, sqrt((s_aa
 * s_bb + s_ab^2) / n), Anderson 2003, Sec. 3.3). */
static void test_mvn(void)
{
	const double mu[3] = { 6.18, 0.348, 0.366 };
	const size_t n = 20000;
	double cov[9], L[9], x[3], m[3] = { 0 }, s[9] = { 0 }, *all;
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct mp_error e;
	int bad_m = 0, bad_s = 0;

	covariance(cov);
	all = malloc(n * 3 * sizeof *all);
	check(unc_cholesky(3, cov, L, &e) == 0, "cholesky of the 3x3 covariance");
	gsl_rng_set(rng, 42);
	for (size_t k = 0; k < n; k++) {
		unc_mvn_draw(3, mu, L, rng, x);
		memcpy(all + 3 * k, x, sizeof x);
		for (int a = 0; a < 3; a++)
			m[a] += x[a] / (double)n;
	}
	for (size_t k = 0; k < n; k++)
		for (int a = 0; a < 3; a++)
			for (int b = 0; b < 3; b++)
				s[a * 3 + b] += (all[3 * k + a] - m[a]) *
				                (all[3 * k + b] - m[b]) / (double)(n - 1);
	for (int a = 0; a < 3; a++) {
		bad_m += fabs(m[a] - mu[a]) > 4 * SD[a] / sqrt((double)n);
		for (int b = 0; b < 3; b++) {
			double v = cov[a * 3 + a] * cov[b * 3 + b] + cov[a * 3 + b] *
			           cov[a * 3 + b];

			bad_s += fabs(s[a * 3 + b] - cov[a * 3 + b]) > 4 * sqrt(v / (double)n);
		}
	}
	check_int(bad_m, 0, "sample means within 4 standard errors of mu");
	check_int(bad_s, 0, "sample covariances within 4 standard errors");
	printf("# corr(log A, alpha) of the draws: %.4f (want 0.95)\n",
	       s[1] / sqrt(s[0] * s[4]));
	free(all);
	gsl_rng_free(rng);
}

/* A Chinchilla law with the covariance above in (log A, alpha, beta). */
static struct law *fitted_chinchilla(const char *name, double E)
{
	struct law *L = fix_chinchilla(E, 482.01, 2085.43, 0.3478, 0.3658);
	struct lawfit_info *fi = lawfit_info_new();
	static const char *const par[3] = { "A", "alpha", "beta" };

	free(L->name);
	L->name = strdup(name);
	fi->has_result = fi->has_cov = 1;
	fi->n_par = 3;
	for (int j = 0; j < 3; j++) {
		fi->coef[j] = law_coef_index(L, par[j]);
		fi->space[j] = j == 0 ? LAWFIT_LOG : LAWFIT_LINEAR;
	}
	covariance(fi->cov);
	L->fit = fi;
	return L;
}

static struct plan_request request(double C)
{
	static struct shape_policy sp;
	struct plan_request r;

	memset(&r, 0, sizeof r);
	shape_policy_default(&sp);
	r.shape = &sp;
	r.budget = C;
	return r;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Hyndman and Fan's type 7, written here. */
static double quantile(const double *sorted, size_t n, double f)
{
	double h = (double)(n - 1) * f;
	size_t j = (size_t)floor(h);

	return j + 1 < n ? sorted[j] + (h - (double)j) * (sorted[j + 1] - sorted[j])
	                 : sorted[n - 1];
}

/* The closed form of draw i (Hoffmann et al. 2022, eq. 4, App. D.2):
 * N = G (C/6)^(b/(a+b)), D = C / 6N, G = (a A / (b B))^(1/(a+b)). */
static void closed_draw(unsigned long seed, size_t i, double C, gsl_rng *rng,
                        double *N, double *D, double *loss)
{
	const double mu[3] = { log(482.01), 0.3478, 0.3658 };
	double cov[9], L[9], z[3], t[3], A, B = 2085.43, a, b, G;

	covariance(cov);
	my_cholesky(3, cov, L);
	gsl_rng_set(rng, my_seed(seed, i));
	for (int j = 0; j < 3; j++)
		z[j] = gsl_ran_gaussian(rng, 1.0);
	for (int r = 0; r < 3; r++)
		t[r] = mu[r] + L[r * 3] * z[0] + L[r * 3 + 1] * z[1] + L[r * 3 + 2] * z[2];
	A = exp(t[0]);
	a = t[1];
	b = t[2];
	G = pow(a * A / (b * B), 1 / (a + b));
	*N = G * pow(C / 6, b / (a + b));
	*D = C / (6 * *N);
	*loss = 1.8169 + A / pow(*N, a) + B / pow(*D, b);
}

static void check_band(const struct unc_band *got, double *want, size_t n,
                       double tol, const char *what)
{
	char buf[128];

	qsort(want, n, sizeof *want, cmp_double);
	snprintf(buf, sizeof buf, "%s p10", what);
	check_rel(got->p10, quantile(want, n, 0.1), tol, buf);
	snprintf(buf, sizeof buf, "%s p50", what);
	check_rel(got->p50, quantile(want, n, 0.5), tol, buf);
	snprintf(buf, sizeof buf, "%s p90", what);
	check_rel(got->p90, quantile(want, n, 0.9), tol, buf);
}

static void test_chinchilla_bands(void)
{
	enum { DRAWS = 300 };
	const double C = 5.88e23;
	const unsigned long seed = 7;
	struct law *L = fitted_chinchilla("dense", 1.8169);
	struct plan_request r = request(C);
	struct unc *u = malloc(sizeof *u);
	struct unc_sample *s = calloc(DRAWS, sizeof *s);
	struct unc_bands b;
	double N[DRAWS], D[DRAWS], loss[DRAWS];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	struct mp_error e;
	int ok = 1;

	r.laws[PATH_DENSE] = L;
	check(unc_init(u, &r, &e) == 0 && u->n_laws == 1, "one law drawn");
	for (size_t i = 0; i < DRAWS; i++) {
		ok &= unc_draw(u, C, seed, i, &s[i], &e) == 0 && s[i].solved[0];
		closed_draw(seed, i, C, rng, &N[i], &D[i], &loss[i]);
	}
	check(ok, "every draw solved");
	check(unc_summarise(u, C, seed, s, DRAWS, &b, &e) == 0, "summarised");
	/* the solver finds N_opt to 0.1% (test_plan.c), the loss far closer */
	check_band(&b.q[PATH_DENSE][UNC_PARAMS], N, DRAWS, 2e-3, "N_opt band");
	check_band(&b.q[PATH_DENSE][UNC_TOKENS], D, DRAWS, 2e-3, "D_opt band");
	check_band(&b.q[PATH_DENSE][UNC_LOSS], loss, DRAWS, 1e-6, "loss band");
	check(b.q[0][UNC_PARAMS].p10 < b.q[0][UNC_PARAMS].p50 &&
	      b.q[0][UNC_PARAMS].p50 < b.q[0][UNC_PARAMS].p90, "p10 < p50 < p90");
	check_rel(b.p_best[PATH_DENSE], 1, 0, "the only path is always best");
	check(isnan(b.q[0][UNC_HOURS].p50), "no hours without a cost model");
	/* the order of the draws does not matter */
	for (size_t i = 0; i < DRAWS / 2; i++) {
		struct unc_sample t = s[i];

		s[i] = s[DRAWS - 1 - i];
		s[DRAWS - 1 - i] = t;
	}
	{
		struct unc_bands b2;

		unc_summarise(u, C, seed, s, DRAWS, &b2, &e);
		check(memcmp(&b.q, &b2.q, sizeof b.q) == 0, "bands of reversed draws");
	}
	unc_free(u);
	free(u);
	free(s);
	gsl_rng_free(rng);
	law_free(L);
}

/* Two paths whose losses overlap: the shares of best sum to 1. */
static void test_shares(void)
{
	enum { DRAWS = 200 };
	struct law *d = fitted_chinchilla("dense", 1.8169);
	struct law *m = fitted_chinchilla("moe", 1.8169);
	struct plan_request r = request(1e22);
	struct unc *u = malloc(sizeof *u);
	struct unc_sample s[DRAWS];
	struct unc_bands b;
	struct mp_error e;

	m->path = PATH_MOE;
	r.laws[PATH_DENSE] = d;
	r.laws[PATH_MOE] = m;
	check(unc_init(u, &r, &e) == 0 && u->n_laws == 2, "two laws drawn");
	for (size_t i = 0; i < DRAWS; i++)
		unc_draw(u, r.budget, 3, i, &s[i], &e);
	unc_summarise(u, r.budget, 3, s, DRAWS, &b, &e);
	printf("# P(best): dense %.3f, moe %.3f, none %.3f\n", b.p_best[0],
	       b.p_best[1], b.p_none);
	check_rel(b.p_best[0] + b.p_best[1] + b.p_keep + b.p_none, 1, 1e-12,
	          "P(best) + P(keep) + P(none) = 1");
	check(b.p_best[0] > 0.2 && b.p_best[1] > 0.2,
	      "independent draws of equal laws: each path is best often");
	unc_free(u);
	free(u);
	law_free(d);
	law_free(m);
}

/* A law without a covariance: nothing to draw, and it is named. */
static void test_no_covariance(void)
{
	struct law *L = fix_chinchilla(1.69, 406.4, 410.7, 0.34, 0.28);
	struct plan_request r = request(1e22);
	struct unc *u = malloc(sizeof *u);
	struct mp_error e;

	r.laws[PATH_DENSE] = L;
	check(unc_init(u, &r, &e) == 0, "unc_init without a covariance");
	check_int((long)u->n_laws, 0, "no law drawn");
	check(u->n_point == 1 && u->point[0] == L, "the law is kept at its point");
	check(!u->drawn[PATH_DENSE], "the path is not drawn");
	unc_free(u);
	free(u);
	law_free(L);
}

/* The same draw twice gives the same outcome, whatever came before. */
static void test_repeatable(void)
{
	struct law *L = fitted_chinchilla("dense", 1.8169);
	struct plan_request r = request(1e22);
	struct unc *u = malloc(sizeof *u);
	struct unc_sample a, b, c;
	struct mp_error e;

	r.laws[PATH_DENSE] = L;
	unc_init(u, &r, &e);
	unc_draw(u, 1e22, 5, 17, &a, &e);
	unc_draw(u, 1e22, 5, 3, &c, &e);
	unc_draw(u, 1e22, 5, 17, &b, &e);
	check(memcmp(a.v, b.v, sizeof a.v) == 0, "draw 17 is the same twice");
	check(memcmp(a.v, c.v, sizeof a.v) != 0, "draw 3 differs from draw 17");
	check_rel(L->coef_value[law_coef_index(L, "A")], 482.01, 0,
	          "the request's own law is not touched");
	unc_free(u);
	free(u);
	law_free(L);
}

int main(void)
{
	test_cholesky();
	test_mvn();
	test_chinchilla_bands();
	test_shares();
	test_no_covariance();
	test_repeatable();
	return check_done();
}
