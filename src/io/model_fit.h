/*
 * model_fit.h — a law's `fitting:` and `fitted:` keys in a model file
 * (man/moeplan-models.5), read into the law's struct lawfit_info
 * (core/lawfit.h) for model_load.c.
 *
 *   fitting:                    how `moeplan fit` fits the law: one entry
 *     A: { space: log, start: [0, 5, 10], range: [0, .inf] }
 *                               per fitted coefficient; space log|linear
 *                               (default linear), start in that space,
 *                               range (optional) in the coefficient's own
 *   fitted:                     what a fit found (moeplan fit writes it)
 *     data: runs.csv            the data file, as given
 *     data_sha256: 64 hex digits
 *     date: "2025-01-31T12:00:00Z"
 *     moeplan_version: "0.1"
 *     points: 240               points fitted
 *     delta: 0.001              Huber's delta
 *     objective: 0.00102        sum of Huber(log residual)
 *     rms: 0.0091               root mean square log residual
 *     parameters: [log_A, log_B, log_E, alpha, beta]
 *     se: [...]                 optional: their standard errors and
 *     covariance: [[...], ...]  covariance (fitted space, bootstrap)
 *     resamples: 100            with them: resamples and the failed ones
 *     failed: 0
 *     seed: 1
 */
#ifndef MP_MODEL_FIT_H
#define MP_MODEL_FIT_H

#include "core/error.h"
#include "core/law.h"
#include "io/yamldoc.h"

/* Read fitting (may be NULL) and fitted (may be NULL) into L->fit, whose
 * coefficients are declared.  0, or -1 with err at the node to blame. */
int model_fit_load(struct yamldoc *y, struct law *L, yaml_node_t *fitting,
                   yaml_node_t *fitted, struct mp_error *err);

/* "log_A" -> (A, log), "alpha" -> (alpha, linear): a coefficient of L
 * as a parameter name; -1 if none. */
int model_fit_param(const struct law *L, const char *name, int *coef,
                    int *space);

#endif
