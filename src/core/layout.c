/*
 * layout.c — parallel layouts: their checks, the layers of a pipeline
 * stage, and the search over the layouts a framework would use (see
 * layout.h).  Nothing here allocates.
 */
#include "config.h"

#include "layout.h"

#include <math.h>
#include <stddef.h>

#include "memory.h"

int layout_devices(const struct layout *l)
{
	return l->tp * l->cp * l->pp * l->dp;
}

int layout_chunks(const struct layout *l)
{
	return l->vpp > 1 ? l->vpp : 1;
}

/* A degree field: positive, at most lim (INT_MAX-safe products follow). */
static int check_degree(int v, int lim, const char *name, struct mp_error *err)
{
	if (v < 1 || v > lim)
		return mp_error_set(err, "layout: %s must be from 1 to %d, not %d",
		                    name, lim, v);
	return 0;
}

static int check_degrees(const struct layout *l, struct mp_error *err)
{
	if (check_degree(l->tp, 1 << 12, "tp", err) ||
	    check_degree(l->pp, 1 << 12, "pp", err) ||
	    check_degree(l->dp, 1 << 20, "dp", err) ||
	    check_degree(l->ep, 1 << 16, "ep", err) ||
	    check_degree(l->cp, 1 << 12, "cp", err) ||
	    check_degree(l->micro_batch, 1 << 16, "micro_batch", err) ||
	    check_degree(l->micro_batches, 1 << 20, "micro_batches", err))
		return -1;
	if ((double)l->tp * l->cp * l->pp * l->dp > 1 << 24)
		return mp_error_set(err, "layout: tp cp pp dp = %.0f devices is "
		                    "more than %d", (double)l->tp * l->cp * l->pp *
		                    l->dp, 1 << 24);
	if (l->zero < 0 || l->zero > 3)
		return mp_error_set(err, "layout: zero must be 0, 1, 2 or 3, not %d",
		                    l->zero);
	if (l->vpp < 0 || l->vpp > 1 << 12)
		return mp_error_set(err, "layout: vpp must be from 0 to %d, not %d",
		                    1 << 12, l->vpp);
	if (l->recompute < LAYOUT_RECOMPUTE_NONE ||
	    l->recompute > LAYOUT_RECOMPUTE_FULL)
		return mp_error_set(err, "layout: unknown recompute policy %d",
		                    (int)l->recompute);
	return 0;
}

int layout_check(const struct layout *l, const struct arch *a,
                 struct mp_error *err)
{
	if (check_degrees(l, err) != 0)
		return -1;
	if (a->heads % l->tp != 0)
		return mp_error_set(err, "layout: tp = %d does not divide the %d "
		                    "heads", l->tp, a->heads);
	if (a->kv_heads % l->tp != 0 && l->tp % a->kv_heads != 0)
		return mp_error_set(err, "layout: tp = %d and the %d kv_heads do "
		                    "not divide one another", l->tp, a->kv_heads);
	if (l->pp > a->layers)
		return mp_error_set(err, "layout: pp = %d stages for %d layers",
		                    l->pp, a->layers);
	if (layout_chunks(l) > 1 && (l->pp < 2 ||
	    (long)l->pp * l->vpp > a->layers ||
	    l->micro_batches % l->pp != 0))
		return mp_error_set(err, "layout: vpp = %d needs pp > 1, pp vpp <= "
		                    "the %d layers and micro-batches a multiple of "
		                    "pp (pp = %d, m = %d)", l->vpp,
		                    a->layers, l->pp, l->micro_batches);
	if (a->seq % l->cp != 0)
		return mp_error_set(err, "layout: cp = %d does not divide seq = %d",
		                    l->cp, a->seq);
	if (a->experts == 0 && l->ep != 1)
		return mp_error_set(err, "layout: ep = %d for a dense model", l->ep);
	if (a->experts > 0 && a->experts % l->ep != 0)
		return mp_error_set(err, "layout: ep = %d does not divide the %d "
		                    "experts", l->ep, a->experts);
	if (((long)l->dp * l->cp) % l->ep != 0)
		return mp_error_set(err, "layout: ep = %d does not divide dp cp = %ld",
		                    l->ep, (long)l->dp * l->cp);
	if (a->experts > 0 && a->d_expert % l->tp != 0)
		return mp_error_set(err, "layout: tp = %d does not divide d_expert "
		                    "= %d", l->tp, a->d_expert);
	return 0;
}

int layout_stage_layers(const struct layout *l, const struct arch *a,
                        int stage)
{
	int base = a->layers / l->pp, rest = a->layers % l->pp;

	return base + (stage < rest ? 1 : 0);
}

int layout_stage_first(const struct layout *l, const struct arch *a,
                       int stage)
{
	int base = a->layers / l->pp, rest = a->layers % l->pp;

	/* the first rest stages hold base + 1 layers */
	return stage * base + (stage < rest ? stage : rest);
}

int layout_stage_moe_layers(const struct layout *l, const struct arch *a,
                            int stage)
{
	int first = layout_stage_first(l, a, stage);

	return arch_moe_layers_below(a, first + layout_stage_layers(l, a, stage)) -
	       arch_moe_layers_below(a, first);
}

/* ---- the search ------------------------------------------------------------- */

/* Where the search is: the fixed space and what it has found. */
struct search {
	const struct layout_space *s;
	const struct arch *a;
	const struct arch_params *pa;
	const struct memory_precision *p;
	const struct memory_act_model *m;
	struct layout *out;
	size_t max, n;
};

/* Keep l if it is valid and fits. */
static void consider(struct search *x, const struct layout *l)
{
	struct memory_use u;
	struct mp_error err;

	if (layout_check(l, x->a, &err) != 0)
		return;
	memory_per_device(x->a, x->pa, l, x->p, x->m, x->s->device_bytes, &u);
	if (!(u.total <= x->s->device_bytes))
		return;
	if (x->n < x->max)
		x->out[x->n] = *l;
	x->n++;
}

/* The inner loops for fixed tp, pp, ep: ZeRO, recomputation, b, vpp. */
static void search_inner(struct search *x, struct layout l)
{
	int zero_max = (long)l.dp * l.cp > 1 ? 3 : 0;

	for (l.zero = 0; l.zero <= zero_max; l.zero++)
		for (int r = LAYOUT_RECOMPUTE_NONE; r <= LAYOUT_RECOMPUTE_FULL; r++)
			for (l.micro_batch = 1; l.micro_batch <= x->s->max_micro_batch;
			     l.micro_batch++) {
				long per = (long)l.micro_batch * l.dp;

				if (x->s->global_batch % per != 0)
					continue;
				l.recompute = (enum layout_recompute)r;
				l.micro_batches = (int)(x->s->global_batch / per);
				for (l.vpp = 1; l.vpp <= LAYOUT_MAX_VPP; l.vpp *= 2) {
					if (l.vpp > 1 && (l.pp < 2 || l.micro_batches % l.pp != 0))
						break;
					if (l.pp * l.vpp <= x->a->layers)
						consider(x, &l);
				}
			}
}

/* tp (powers of two within a node), pp (dividing the layers), ep. */
static void search_outer(struct search *x)
{
	const struct layout_space *s = x->s;
	int experts = x->a->experts > 0 ? x->a->experts : 1;

	for (int tp = 1; tp <= s->devices_per_node && tp <= s->devices; tp *= 2)
		for (int pp = 1; pp <= x->a->layers; pp++) {
			struct layout l = { .tp = tp, .pp = pp, .ep = 1, .cp = 1,
			                    .sequence_parallel = tp > 1 };

			/* stages need not hold equal layer counts (the first ones
			 * take the remainder: DeepSeek-V3's 61 layers ran on 16) */
			if (pp > LAYOUT_MAX_PP || s->devices % (tp * pp) != 0)
				continue;
			l.dp = s->devices / (tp * pp);
			for (l.ep = 1; l.ep <= l.dp && l.ep <= experts; l.ep++)
				if (experts % l.ep == 0 && l.dp % l.ep == 0)
					search_inner(x, l);
		}
}

int layout_search(const struct layout_space *s, const struct arch *a,
                  const struct arch_params *pa,
                  const struct memory_precision *p,
                  const struct memory_act_model *m, struct layout *out,
                  size_t max, size_t *n, struct mp_error *err)
{
	struct search x = { s, a, pa, p, m, out, max, 0 };

	*n = 0;
	if (s->devices < 1 || s->devices > 1 << 24 || s->devices_per_node < 1)
		return mp_error_set(err, "layout search: %d devices, %d per node",
		                    s->devices, s->devices_per_node);
	if (s->global_batch < 1 || s->max_micro_batch < 1)
		return mp_error_set(err, "layout search: global batch %d, micro-"
		                    "batch up to %d", s->global_batch,
		                    s->max_micro_batch);
	search_outer(&x);
	*n = x.n;
	return 0;
}

long layout_fastest(const struct layout *list, size_t n,
                    layout_seconds_fn seconds, void *ctx)
{
	long best = -1;
	double best_s = INFINITY;

	for (size_t i = 0; i < n; i++) {
		double t = seconds(&list[i], ctx);

		if (isfinite(t) && t < best_s) {
			best_s = t;
			best = (long)i;
		}
	}
	return best;
}
