/*
 * fit_jobs.h — the bootstrap of `moeplan fit` across processes (--jobs N).
 *
 * Worker w of N forks with a copy of the fitter (a struct lawfit is not
 * shared: libmatheval's evaluators hold their values) and refits the
 * resamples b = w, w + N, w + 2N, ... (lawfit_bootstrap), writing each
 * row to one pipe as a record of its index and its parameters: a record
 * is under PIPE_BUF bytes, so the workers' writes never interleave.  The
 * parent reads the rows into place, draws the progress bar, and waits for
 * every worker.  Resample b's draws depend on (seed, b) alone, so the rows
 * are the same for every N; N = 1 runs in the process, without a fork.
 */
#ifndef MP_FIT_JOBS_H
#define MP_FIT_JOBS_H

#include <stddef.h>

#include "core/error.h"
#include "core/lawfit.h"

/* progress(done, total), or NULL. */
typedef void (*fit_progress_fn)(size_t done, size_t total);

/* B resamples into out (B rows of the fitter's parameters, NAN rows for
 * failed refits).  0, or -1 with err (a worker that failed, out of
 * memory, fork or pipe failing). */
int fit_jobs_bootstrap(struct lawfit *F, const struct lawfit_data *d,
                       const double *theta, size_t p, unsigned long seed,
                       size_t B, int jobs, fit_progress_fn progress,
                       double *out, struct mp_error *err);

#endif
