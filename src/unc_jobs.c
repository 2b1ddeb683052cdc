/*
 * unc_jobs.c — a plan's draws as jobs (unc_jobs.h, jobs.h).
 */
#include "config.h"

#include "unc_jobs.h"

#include <string.h>

#include "jobs.h"

struct draws {
	struct unc *u;
	const double *budgets;
	unsigned long seed;
	size_t first, count;
	struct unc_sample *out;
};

/* Item j: draw first + j % count at budget j / count. */
static int one_item(void *ctx, size_t j, void *payload, struct mp_error *err)
{
	struct draws *x = ctx;

	return unc_draw(x->u, x->budgets[j / x->count], x->seed,
	                x->first + j % x->count, payload, err);
}

static void take(void *ctx, size_t j, const void *payload, size_t done)
{
	struct draws *x = ctx;

	memcpy(&x->out[j], payload, sizeof x->out[j]);
	(void)done;
}

int unc_jobs_draw(struct unc *u, const double *budgets, size_t nb,
                  unsigned long seed, size_t first, size_t count, int jobs,
                  struct unc_sample *out, struct mp_error *err)
{
	struct draws x = { u, budgets, seed, first, count, out };

	return jobs_run(nb * count, jobs, sizeof *out, one_item, take, &x,
	                "draws", err);
}
