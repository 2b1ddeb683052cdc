/*
 * fit_jobs.c — the bootstrap's resamples as jobs (fit_jobs.h, jobs.h).
 */
#include "config.h"

#include "fit_jobs.h"

#include <math.h>
#include <string.h>

#include "jobs.h"

struct boot {
	struct lawfit *F;
	const struct lawfit_data *d;
	const double *theta;
	size_t p, B;
	unsigned long seed;
	fit_progress_fn progress;
	double *out;
};

/* Resample b's p parameters (a payload of LAWFIT_MAX_PAR doubles). */
static int resample(void *ctx, size_t b, void *payload, struct mp_error *err)
{
	struct boot *x = ctx;

	return lawfit_bootstrap(x->F, x->d, x->theta, x->seed, b, 1, payload, err);
}

static void take(void *ctx, size_t b, const void *payload, size_t done)
{
	struct boot *x = ctx;

	memcpy(x->out + b * x->p, payload, x->p * sizeof *x->out);
	if (x->progress != NULL)
		x->progress(done, x->B);
}

int fit_jobs_bootstrap(struct lawfit *F, const struct lawfit_data *d,
                       const double *theta, size_t p, unsigned long seed,
                       size_t B, int jobs, fit_progress_fn progress,
                       double *out, struct mp_error *err)
{
	struct boot x = { F, d, theta, p, B, seed, progress, out };

	for (size_t i = 0; i < B * p; i++)
		out[i] = NAN;
	return jobs_run(B, jobs, LAWFIT_MAX_PAR * sizeof(double), resample, take,
	                &x, "bootstrap", err);
}
