/*
 * unc_jobs.h — the draws of a plan with uncertainty across processes
 * (--jobs N), in the manner of fit_jobs.h.
 *
 * The work is draws first .. first + count - 1 at each of nb budgets,
 * item j = k count + (i - first) for budget k and draw i.  Worker w of N
 * forks with a copy of the struct unc (its drawn laws are rewritten by
 * every draw: one per process) and solves items w, w + N, w + 2N, ...,
 * writing each outcome to one pipe as a record of its budget and sample:
 * a record is under PIPE_BUF bytes, so the workers' writes never
 * interleave.  The parent reads the records into place and waits for every
 * worker.  Draw i's numbers depend on (seed, i) alone, so the samples are
 * the same for every N; N = 1 runs in the process, without a fork.
 */
#ifndef MP_UNC_JOBS_H
#define MP_UNC_JOBS_H

#include <stddef.h>

#include "core/error.h"
#include "core/uncertainty.h"

/* out holds nb x count samples (budget k's draws at out + k count).  0,
 * or -1 with err (a worker that failed, fork or pipe failing). */
int unc_jobs_draw(struct unc *u, const double *budgets, size_t nb,
                  unsigned long seed, size_t first, size_t count, int jobs,
                  struct unc_sample *out, struct mp_error *err);

#endif
