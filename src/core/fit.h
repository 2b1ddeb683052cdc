/*
 * fit.h — fitting the kernel cost model (cost.h) to measured samples with
 * GSL nonlinear least squares (gsl_multifit_nlinear, Levenberg-Marquardt
 * trust region).
 *
 * Residuals are relative errors, r_i = t_model(x_i) / t_measured_i - 1, so
 * a 10 us kernel and a 100 ms GEMM weigh alike; every positive parameter
 * is fitted as its logarithm.  The GEMM model (cost.h) is fitted on the
 * GEMM samples in stages: the thread threshold X (from the grid's ladder
 * of m n k = 2^j pairs, or the best of a few candidates), the register
 * blocks (b_m, b_n) among 1..16, the six parameters of each thread regime
 * (P_r, B_r, t0_r, h_m,r, h_n,r, h_k,r) with them, and last the residual
 * corrections with penalties on their size and curvature.  Each
 * memory-bound class gets its own (t0_c, Bc_c, Bm_c, C_c) from its
 * samples.  The caller must have switched GSL's abort
 * handler off (gsl_set_error_handler_off); every GSL status is checked.
 * Nothing here allocates memory that outlives a call.
 */
#ifndef MP_FIT_H
#define MP_FIT_H

#include <stddef.h>

#include "cost.h"
#include "error.h"

/*
 * Residuals r (n values) and, if J != NULL, their Jacobian (n x p, row
 * major) with respect to theta (p values).  Returns 0, or -1 to stop.
 */
typedef int (*fit_residual_fn)(const double *theta, double *r, double *J,
                               void *ctx);

/* How a fit went. */
struct fit_stats {
	size_t n;             /* samples used */
	int iterations;
	double rms;           /* root mean square relative error */
	double median_abs;    /* median |relative error| */
	double max_abs;       /* largest |relative error| */
};

/*
 * Minimise sum r_i^2 over theta (p values, in: start, out: optimum) from
 * n residuals.  Returns 0, or -1 with err (GSL failure, no convergence to
 * a finite point, n < p).
 */
int fit_least_squares(size_t n, size_t p, fit_residual_fn f, void *ctx,
                      double *theta, int *iterations, struct mp_error *err);

/*
 * Fit every parameter of cm (elem_bytes must be set; mfu_peak is left as
 * it is; gemm.sms, the SM count of a GPU, is read: > 0 fits the wave
 * term of cost.h with one regime and tiles among 64, 128 and 256 as the
 * blocks, 0 the CPU model) from samples: GEMM samples give cm->gemm, each memory-bound class
 * its cm->mem entry.  Writes each sample's residual.  stats (may be NULL)
 * gets one entry per kernel class (COST_KERNELS).  Every class must have
 * at least as many samples as parameters.  Returns 0 or -1 with err.
 */
int fit_cost_model(struct cost_sample *samples, size_t n, struct cost_model *cm,
                   struct fit_stats *stats, struct mp_error *err);

#endif
