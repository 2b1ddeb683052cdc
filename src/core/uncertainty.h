/*
 * uncertainty.h — plans with uncertainty: the coefficients of every law
 * that has a covariance (its fitted: block, lawfit.h) drawn from the
 * multivariate normal of its fit, the plan solved again for each draw
 * (plan_solve with the drawn laws in place of the request's), and the
 * bands (p10, p50, p90) and best-path probabilities of many draws.
 *
 * A law's draw is theta = mu + L z (Gentle 2003, Random Number Generation
 * and Monte Carlo Methods, Sec. 5.3.1): mu the law's coefficients in the
 * space they were fitted in (log A, not A: the coefficients of the file,
 * so that the draws centre on its plan), L the Cholesky factor of the fit's
 * covariance (cov = L L^T), z independent standard normals; each
 * coefficient is then lawfit_natural(space, theta).  Draw i takes its
 * numbers from a generator seeded by (seed, i) alone (unc_draw_seed), the
 * laws in request order, so that a draw's result does not depend on how the
 * draws are split across processes or shards.  A law without a covariance
 * keeps its point values (unc_init lists it).
 *
 * A struct unc holds shallow copies of the drawn laws (their evaluators are
 * the originals': the originals must outlive it; nothing of it is freed),
 * rewritten by each draw: one per process.  Nothing here prints.
 */
#ifndef MP_UNCERTAINTY_H
#define MP_UNCERTAINTY_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "error.h"
#include "law.h"
#include "lawfit.h"
#include "plan.h"

#define UNC_DEFAULT_DRAWS 1000
#define UNC_MAX_DRAWS 100000000     /* --uncertainty's bound */
#define UNC_MAX_LAWS (PATH_COUNT + 1) /* a request's laws and baseline */

/* What each draw records of each path (NAN where the plan has none:
 * hours and usd without a cost model or a price). */
enum unc_qty { UNC_PARAMS, UNC_TOKENS, UNC_LOSS, UNC_HOURS, UNC_USD,
               UNC_QTYS };

/* "params", "tokens", "loss", "hours", "usd". */
const char *unc_qty_name(enum unc_qty q);

/* One draw's outcome. */
struct unc_sample {
	size_t index;                     /* the draw, 0 .. draws - 1 */
	int solved[PATH_COUNT];           /* the path has a plan in it */
	double v[PATH_COUNT][UNC_QTYS];   /* its optimum; NAN: none */
	int best;                         /* the best path, PLAN_KEEP, or -1:
	                                     no plan at all */
};

/* The seed of draw i: splitmix64 (Steele, Lea and Flood 2014) of (seed, i),
 * as lawfit.c seeds a bootstrap resample. */
unsigned long unc_draw_seed(unsigned long seed, size_t i);

/*
 * The lower Cholesky factor of a p x p covariance (row major) into chol
 * (p x p, zero above the diagonal), by gsl_linalg_cholesky_decomp1.  -1
 * with err when it is not positive definite.
 */
int unc_cholesky(size_t p, const double *cov, double *chol,
                 struct mp_error *err);
/* One draw of N(mean, chol chol^T) into out (p values): p normals from
 * rng (gsl_ran_gaussian), then mean + chol z. */
void unc_mvn_draw(size_t p, const double *mean, const double *chol,
                  gsl_rng *rng, double *out);

/* One law of a request whose coefficients are drawn. */
struct unc_law {
	const struct law *orig;
	struct law drawn;                 /* orig with the drawn coefficients */
	size_t p;
	int coef[LAWFIT_MAX_PAR];
	enum lawfit_space space[LAWFIT_MAX_PAR];
	double mean[LAWFIT_MAX_PAR];      /* fitted space */
	double chol[LAWFIT_MAX_PAR * LAWFIT_MAX_PAR];
};

struct unc {
	struct plan_request req;          /* the request, the drawn laws in
	                                     place of the originals */
	size_t n_laws;
	struct unc_law law[UNC_MAX_LAWS];
	int drawn[PATH_COUNT];            /* 1: the path's law is drawn; 2:
	                                     not, but the upcycle's baseline
	                                     law it starts from is */
	/* the request's laws that have no covariance (kept at their point
	 * values), each once */
	size_t n_point;
	const struct law *point[UNC_MAX_LAWS];
	gsl_rng *rng;
};

/*
 * Prepare the draws of req's laws (req must outlive u).  0 (u->n_laws 0:
 * no law has a covariance, nothing to draw), or -1 with err: a covariance
 * that is not positive definite (its subject the law's coefficient),
 * out of memory.  unc_free releases the generator.
 */
int unc_init(struct unc *u, const struct plan_request *req,
             struct mp_error *err);
void unc_free(struct unc *u);

/*
 * Draw i at budget (the solver's unit): the laws' coefficients from (seed,
 * i), the plan solved without flat ranges, its outcome into out.  A draw
 * whose request the solver refuses (a drawn law outside what it can be
 * asked) is a draw where no path has a plan.  0, or -1 with err (out of
 * memory).
 */
int unc_draw(struct unc *u, double budget, unsigned long seed, size_t i,
             struct unc_sample *out, struct mp_error *err);

/* A band: quantiles of one quantity over the draws that solved. */
struct unc_band {
	double p10, p50, p90;             /* NAN where no draw has it */
};

/* The summary of draws of one plan (or one budget of a frontier). */
struct unc_bands {
	double budget;                    /* the solver's unit */
	size_t draws;                     /* the draws summarised */
	unsigned long seed;
	int planned[PATH_COUNT];          /* the request plans the path */
	int drawn[PATH_COUNT];            /* its law is drawn (1), only its
	                                     baseline law (2), or neither (0:
	                                     at its point values) */
	size_t solved[PATH_COUNT];        /* draws where it has a plan */
	struct unc_band q[PATH_COUNT][UNC_QTYS];
	double p_best[PATH_COUNT];        /* share of the draws it is best */
	int has_keep;                     /* the request has a checkpoint */
	double p_keep;                    /* share where keeping it is best */
	double p_none;                    /* share where nothing has a plan */
};

/*
 * The bands of n draws (in any order) of the request u was made for:
 * quantiles by linear interpolation between order statistics
 * (gsl_stats_quantile_from_sorted_data; Hyndman and Fan 1996, type 7).
 * 0, or -1 with err (out of memory).
 */
int unc_summarise(const struct unc *u, double budget, unsigned long seed,
                  const struct unc_sample *s, size_t n, struct unc_bands *out,
                  struct mp_error *err);

#endif
