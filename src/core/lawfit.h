/*
 * lawfit.h — fitting a law's coefficients to measured runs (`moeplan fit`),
 * and the bootstrap of that fit.
 *
 * The method is Hoffmann et al. 2022 (Chinchilla), Sec. 3.3 and App. D.2,
 * as Besiroglu et al. 2024 (Epoch AI, arXiv:2404.10102) replicated it:
 * minimise
 *
 *     sum_i w_i Huber_delta(log L_pred(x_i; theta) - log L_i)      (delta 1e-3)
 *
 * over the parameters theta, each coefficient in the space it is estimated
 * in (log A rather than A for a scale), from every point of a grid of
 * starting values, with GSL's BFGS (gsl_multimin_fdfminimizer_vector_bfgs2);
 * the best converged optimum is kept.  The gradient is Huber's exact
 * derivative times d L_pred / d theta, the latter by central differences
 * of the prediction (lawfit.c says why).  The grid is screened first: the objective is computed
 * at every grid point and BFGS runs from the `refine` best (all, if 0).
 *
 * Uncertainty (Besiroglu et al. 2024, Sec. 3): resample the points with
 * replacement, refit each resample from the full-data optimum, and take the
 * covariance of the refitted parameters (in their fitted space).  Resample
 * b draws from its own generator, seeded by (seed, b), so the result does
 * not depend on how the resamples are split between processes.
 *
 * A struct lawfit holds the law it fits (not owned: it must outlive the
 * fitter), a GSL minimiser and scratch space.  It
 * is not reentrant: one fitter per thread or process.  Nothing here prints
 * or opens a file.
 */
#ifndef MP_LAWFIT_H
#define MP_LAWFIT_H

#include <stddef.h>

#include "error.h"
#include "law.h"

#define LAWFIT_MAX_PAR 16      /* parameters fitted at once */
#define LAWFIT_MAX_START 16    /* starting values per parameter */
#define LAWFIT_MAX_GRID 1000000 /* points of the grid of starts */
#define LAWFIT_DELTA 1e-3      /* Huber's delta (Hoffmann et al. 2022, D.2) */
#define LAWFIT_LOG_LIMIT 230   /* |log c| of a log-space coefficient: e^230
                                * is 1e100 */
#define LAWFIT_LIN_LIMIT 1e6   /* |c| of a linear one without a range */

enum lawfit_space { LAWFIT_LINEAR, LAWFIT_LOG };

/* Why a fit was refused (struct lawfit_result's why; the message says it
 * in words). */
enum lawfit_why {
	LAWFIT_OK = 0,
	LAWFIT_BAD_SPEC,       /* a parameter is not a coefficient of the
	                          loss, a start outside its range ... */
	LAWFIT_TOO_FEW,        /* no more points than parameters */
	LAWFIT_BAD_DATA,       /* a non-finite value, a loss <= 0 */
	LAWFIT_NO_START,       /* no grid point predicts a finite loss */
	LAWFIT_NOT_CONVERGED,  /* no start reached a stationary point */
	LAWFIT_AT_BOUND,       /* the optimum lies on a parameter's bound */
	LAWFIT_NO_MEMORY,
};

/* One fitted coefficient. */
struct lawfit_param {
	int coef;                       /* index in the law's coefficients */
	enum lawfit_space space;
	double lo, hi;                  /* the open range of the coefficient
	                                   (natural space); NAN, NAN: none */
	double start[LAWFIT_MAX_START]; /* starting values, in the fitted
	                                   space (log c for LAWFIT_LOG) */
	size_t n_start;
};

struct lawfit_spec {
	size_t n_par;
	struct lawfit_param par[LAWFIT_MAX_PAR];
	double delta;                   /* Huber's delta, > 0 */
	size_t refine;                  /* grid points refined: the best
	                                   `refine` by objective, 0: all */
};

/* The points: x is n rows of the law's variables (vars[] order). */
struct lawfit_data {
	size_t n;
	const double *x;
	const double *loss;             /* > 0 */
	const double *w;                /* weights >= 0, or NULL for 1 */
};

struct lawfit_result {
	enum lawfit_why why;            /* LAWFIT_OK, or why it failed */
	size_t n_par, n_points;
	double theta[LAWFIT_MAX_PAR];   /* the optimum, fitted space */
	double objective;               /* sum_i w_i Huber(r_i) there */
	double rms;                     /* sqrt(mean r_i^2), r_i the log
	                                   residuals (unweighted) */
	double grad;                    /* |gradient| of the scaled objective */
	int iterations;                 /* BFGS iterations of the best start */
	size_t n_grid, n_refined, n_converged;
};

struct lawfit;

/*
 * A fitter of law L's loss in the parameters of s.  Fails (NULL, err with
 * its subject the coefficient when one is to blame) when a parameter is
 * not a coefficient the loss depends on, is named twice, has no start, or
 * a start lies outside its range; when the grid has more than
 * LAWFIT_MAX_GRID points; when a coefficient that is not a parameter has
 * no value.
 */
struct lawfit *lawfit_new(const struct law *L, const struct lawfit_spec *s,
                          struct mp_error *err);
void lawfit_free(struct lawfit *F);

/*
 * The spec a law asks for: its fitting: block (law->fit) if it has one,
 * else every coefficient its loss reads, in the linear space, from its
 * value (a coefficient without one is an error: give the law a fitting:
 * block).  delta LAWFIT_DELTA, refine 0.  0 or -1 with err.
 */
int lawfit_default_spec(const struct law *L, struct lawfit_spec *s,
                        struct mp_error *err);

/* The law's loss at x with the parameters at theta (fitted space). */
double lawfit_predict(struct lawfit *F, const double *theta, const double *x);

/* The objective sum_i w_i Huber(log L_pred(x_i) - log L_i) at theta; +inf
 * where a prediction is not a finite positive number or theta is out of
 * range. */
double lawfit_objective(struct lawfit *F, const struct lawfit_data *d,
                        const double *theta);

/* The fit from the grid (see the top).  0, or -1 with err and r->why. */
int lawfit_run(struct lawfit *F, const struct lawfit_data *d,
               struct lawfit_result *r, struct mp_error *err);

/* One BFGS run from theta0 (fitted space) into r.  0 when it converged to
 * a point strictly inside the ranges, else -1 with err and r->why. */
int lawfit_refine(struct lawfit *F, const struct lawfit_data *d,
                  const double *theta0, struct lawfit_result *r,
                  struct mp_error *err);

/*
 * Bootstrap resamples first .. first + count - 1 of the fit at theta_hat:
 * row k of out (n_par values) is resample first + k's refit, or all NAN
 * when that refit failed.  Returns 0, or -1 with err when memory runs out.
 */
int lawfit_bootstrap(struct lawfit *F, const struct lawfit_data *d,
                     const double *theta_hat, unsigned long seed,
                     size_t first, size_t count, double *out,
                     struct mp_error *err);

/*
 * Mean and covariance (p x p, row major, divided by n_ok - 1) of the rows
 * of samples (n rows of p) that are finite; *n_ok counts them.  -1 when
 * fewer than two are.
 */
int lawfit_covariance(size_t p, size_t n, const double *samples, double *mean,
                      double *cov, size_t *n_ok);

/* The coefficient's value for a parameter's value in its fitted space. */
double lawfit_natural(enum lawfit_space s, double theta);

/* "log_A" or "alpha": parameter j's name in its fitted space, into buf. */
const char *lawfit_param_name(const struct law *L, const struct lawfit_param *p,
                              char *buf, size_t n);

const char *lawfit_space_name(enum lawfit_space s);

/*
 * What a model file says about fitting a law (its `fitting:` block: the
 * spec) and what a fit found (its `fitted:` block, written by moeplan
 * fit), owned by the law (law.h's fit; law_free frees it).
 */
struct lawfit_info {
	int has_spec;
	struct lawfit_spec spec;        /* delta and refine unset (0) */
	int has_result;
	size_t n_par;                   /* the parameters of the result */
	int coef[LAWFIT_MAX_PAR];
	enum lawfit_space space[LAWFIT_MAX_PAR];
	double estimate[LAWFIT_MAX_PAR];/* fitted space */
	double se[LAWFIT_MAX_PAR];      /* fitted space; NAN without bootstrap */
	double cov[LAWFIT_MAX_PAR * LAWFIT_MAX_PAR]; /* fitted space, or NAN */
	int has_cov;
	size_t n_points, resamples, failed, seed;
	double objective, rms, delta;
	char *data, *data_sha256, *date, *version;  /* owned, may be NULL */
};

struct lawfit_info *lawfit_info_new(void);
void lawfit_info_free(struct lawfit_info *fi);

#endif
