/*
 * layout.c — parallel layouts: their checks, the layers of a pipeline
 * stage, and the search over the layouts a framework would use (see
 * layout.h).  Nothing here allocates.
 */
#include "config.h"

#include "layout.h"

#include <stddef.h>

int layout_devices(const struct layout *l)
{
	return l->tp * l->cp * l->pp * l->dp;
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
	int first = 0;

	for (int j = 0; j < stage; j++)
		first += layout_stage_layers(l, a, j);
	return first;
}

int layout_layer_is_moe(const struct arch *a, int i)
{
	return a->experts > 0 && a->moe_every >= 1 && (i + 1) % a->moe_every == 0;
}

int layout_stage_moe_layers(const struct layout *l, const struct arch *a,
                            int stage)
{
	int first = layout_stage_first(l, a, stage), n = 0;

	for (int i = first; i < first + layout_stage_layers(l, a, stage); i++)
		n += layout_layer_is_moe(a, i);
	return n;
}
