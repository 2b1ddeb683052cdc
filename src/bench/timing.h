/*
 * timing.h — the measurement protocol of the microbenchmark.
 *
 * A kernel is a function called on a context that holds its buffers,
 * allocated and touched before timing starts.  Protocol: warm up (call
 * until warmup seconds have passed, at least once), choose a repeat count
 * so that one sample lasts at least min_sample seconds, take `samples`
 * samples, report seconds per call as the median and the spread
 * (min and max) over samples.  Monotonic wall clock, read only after the
 * device's sync (backend.h) so that work a back end queues is counted:
 * a device that returns before its kernel has finished is waited for.
 * A back end with a clock of its own (backend.h's now: the CUDA back
 * end's events) is timed by that clock instead, read the same way.
 */
#ifndef MP_BENCH_TIMING_H
#define MP_BENCH_TIMING_H

#include "backend.h"

struct bench_protocol {
	double warmup;        /* seconds of warm-up calls */
	double min_sample;    /* seconds one sample lasts at least */
	int samples;          /* samples per kernel (>= 1) */
};

struct bench_timing {
	double median;        /* seconds per call */
	double min, max;      /* over samples */
	long reps;            /* calls per sample */
};

typedef void (*bench_fn)(void *ctx);

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Time fn(ctx), a kernel of device dev (NULL: host code, nothing to wait
 * for), by the protocol. */
void bench_time(const struct bench_protocol *p, const struct bench_device *dev,
                bench_fn fn, void *ctx, struct bench_timing *out);

#endif
