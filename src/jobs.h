/*
 * jobs.h — items of work across forked processes (--jobs N), for the
 * bootstrap of `moeplan fit` (fit_jobs.h) and a plan's draws (unc_jobs.h).
 *
 * Items 0 .. total - 1; worker w of N forks with a copy of the caller's
 * state and computes items w, w + N, w + 2N, ... (item), writing each to
 * one pipe as a record of its index and its payload: a record is at most
 * PIPE_BUF bytes, so the workers' writes never interleave.  The parent
 * hands each record to take as it arrives, in any order, and waits for
 * every worker.  An item's result must depend on its index alone, so
 * that the results are the same for every N; N = 1 runs in the process,
 * in order, without a fork.
 */
#ifndef MP_JOBS_H
#define MP_JOBS_H

#include <stddef.h>

#include "core/error.h"

/* Compute item j into payload (payload_size bytes): 0, or -1 with err. */
typedef int (*jobs_item_fn)(void *ctx, size_t j, void *payload,
                            struct mp_error *err);
/* Take item j's payload; done items have come back so far. */
typedef void (*jobs_take_fn)(void *ctx, size_t j, const void *payload,
                             size_t done);

/* The largest payload a record carries (PIPE_BUF less the index). */
size_t jobs_payload_max(void);

/* Run the total items on jobs processes (capped at total and at 256):
 * 0, or -1 with err (what names the work in the message) when the pipe or
 * a fork fails, an item fails (in the process, err is the item's), a
 * worker fails, or payload_size exceeds jobs_payload_max(). */
int jobs_run(size_t total, int jobs, size_t payload_size, jobs_item_fn item,
             jobs_take_fn take, void *ctx, const char *what,
             struct mp_error *err);

#endif
