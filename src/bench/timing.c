/*
 * timing.c — warm-up, repeat count, samples, median (see timing.h).
 * Nothing here allocates.
 */
#include "config.h"

#include "timing.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

#define MAX_SAMPLES 64

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The clock once the device has finished what it was given: the
 * device's own (a GPU's events) if it has one, else the host's. */
static double synced_now(const struct bench_device *dev)
{
	if (dev != NULL && dev->backend != NULL && dev->backend->now != NULL)
		return dev->backend->now(dev->state);
	bench_backend_sync(dev);
	return bench_now();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_time(const struct bench_protocol *p, const struct bench_device *dev,
                bench_fn fn, void *ctx, struct bench_timing *out)
{
	double t[MAX_SAMPLES], start, elapsed, per_call;
	long calls = 0, reps;
	int n = p->samples < 1 ? 1 : p->samples > MAX_SAMPLES ? MAX_SAMPLES
	                                                      : p->samples;

	/* warm-up; its calls also estimate the time per call */
	start = synced_now(dev);
	do {
		fn(ctx);
		calls++;
		elapsed = synced_now(dev) - start;
	} while (elapsed < p->warmup);
	per_call = elapsed / (double)calls;
	reps = per_call >= p->min_sample ? 1 : (long)ceil(p->min_sample / per_call);
	for (int i = 0; i < n; i++) {
		start = synced_now(dev);
		for (long r = 0; r < reps; r++)
			fn(ctx);
		t[i] = (synced_now(dev) - start) / (double)reps;
	}
	qsort(t, (size_t)n, sizeof t[0], cmp_double);
	out->median = n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
	out->min = t[0];
	out->max = t[n - 1];
	out->reps = reps;
}
