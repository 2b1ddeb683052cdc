/*
 * cluster.c — the fastest layout of a training run that fits, and its
 * step time (cluster.h has the model and its assumptions).
 */
#include "config.h"

#include "cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EXPERTS 4096

void cluster_spec_init(struct cluster_spec *c)
{
	memset(c, 0, sizeof *c);
	memory_precision_adam_mixed(&c->precision);
	memory_act_model_default(&c->act);
	c->max_micro_batch = 8;
	c->pin.zero = -1;
	c->pin.recompute = (enum layout_recompute)-1;
}

static int pinned_other(int pin, int v)
{
	return pin > 0 && pin != v;
}

int cluster_pin_allows(const struct cluster_spec *c, const struct layout *l)
{
	const struct layout *p = &c->pin;

	return !(pinned_other(p->tp, l->tp) || pinned_other(p->pp, l->pp) ||
	         pinned_other(p->dp, l->dp) || pinned_other(p->ep, l->ep) ||
	         pinned_other(p->cp, l->cp) ||
	         pinned_other(p->micro_batch, l->micro_batch) ||
	         pinned_other(p->micro_batches, l->micro_batches) ||
	         pinned_other(p->vpp, layout_chunks(l)) ||
	         (p->zero >= 0 && p->zero != l->zero) ||
	         ((int)p->recompute >= 0 && p->recompute != l->recompute));
}

/* The busiest expert-parallel rank's share of the routed tokens. */
static double skew_factor(const struct cluster_spec *c, const struct arch *a,
                          const struct layout *l, double tokens)
{
	double counts[MAX_EXPERTS];

	if (a->experts <= 0 || c->skew <= 0 || l->ep <= 1 ||
	    a->experts > MAX_EXPERTS)
		return 1;
	cost_routing_counts(tokens * l->ep, a->experts, a->top_k, c->skew, counts);
	return comm_busiest_rank_factor(counts, a->experts, l->ep);
}

/* Forward seconds of a breakdown, and of its attention core alone. */
static void forward_parts(const struct cost_breakdown *bd, double *fwd,
                          double *core)
{
	*fwd = *core = 0;
	for (int i = 0; i < bd->n; i++) {
		*fwd += bd->item[i].fwd_seconds;
		if (strcmp(bd->item[i].name, "attn_core") == 0 ||
		    strcmp(bd->item[i].name, "attn_softmax") == 0)
			*core += bd->item[i].fwd_seconds;
	}
}

/* Forward and total seconds of the breakdown's items called name. */
static void item_seconds(const struct cost_breakdown *bd, const char *name,
                         double *fwd, double *total)
{
	for (int i = 0; i < bd->n; i++)
		if (strcmp(bd->item[i].name, name) == 0) {
			*fwd += bd->item[i].fwd_seconds;
			*total += bd->item[i].seconds;
		}
}

/* One micro-batch on stage k: forward and backward, the recomputation's
 * extra forward; *bwd the backward part, *shared the shared experts'
 * part (what CLUSTER_EP_OVERLAP_SHARED hides the all-to-alls behind). */
static double stage_seconds(const struct cluster_spec *c, const struct arch *a,
                            const struct layout *l, int k, double T,
                            double *bwd, double *shared)
{
	struct cost_shard sh;
	struct cost_breakdown bd;
	double t, fwd, core, sh_fwd = 0;
	int moe = layout_stage_moe_layers(l, a, k);

	memset(&sh, 0, sizeof sh);
	sh.tp = l->tp;
	sh.ep = l->ep;
	sh.moe_layers = moe;
	sh.dense_layers = layout_stage_layers(l, a, k) - moe;
	sh.logits = k == l->pp - 1;
	sh.fused_attention = c->act.fused_attention;
	/* the profile's measured fused attention, else the assumption */
	sh.attn_efficiency = c->cost->attn_efficiency > 0
	                     ? c->cost->attn_efficiency : CLUSTER_ATTN_EFFICIENCY;
	t = cost_shard_step_seconds(c->cost, a, &sh, T, c->skew, &bd);
	forward_parts(&bd, &fwd, &core);
	*bwd = t - fwd;
	*shared = 0;
	item_seconds(&bd, "shared", &sh_fwd, shared);
	item_seconds(&bd, "shared_act", &sh_fwd, shared);
	if (l->recompute == LAYOUT_RECOMPUTE_FULL) {
		t += fwd;                      /* the layers run forward twice */
		*shared += sh_fwd;
	}
	else if (l->recompute == LAYOUT_RECOMPUTE_SELECTIVE &&
	         !sh.fused_attention)
		t += core;                     /* the attention core again */
	return t;
}

/* The expert-parallel all-to-all time per micro-batch left on the
 * critical path: all of ep without overlap; what the shared experts'
 * computation (shared seconds) does not hide; what the whole micro-batch
 * (t seconds of computation) does not hide under DualPipe (cluster.h). */
static double ep_exposed(enum cluster_ep_overlap o, double ep, double t,
                         double shared)
{
	if (o == CLUSTER_EP_OVERLAP_FULL)
		return fmax(0, ep - t);
	if (o == CLUSTER_EP_OVERLAP_SHARED)
		return fmax(0, ep - shared);
	return ep;
}

/* Stage k's tensor- and expert-parallel communication per micro-batch
 * (they sit on the critical path of its layers, less what the overlap
 * hides of the all-to-alls: *ep_mb), t and shared its computation and
 * the shared experts' part of it; -1 with err. */
static int stage_comm(struct comm_step_input in, int k,
                      enum cluster_ep_overlap o, double t, double shared,
                      double *per_mb, double *ep_mb, struct comm_step *out,
                      struct mp_error *err)
{
	int m = in.layout->micro_batches;

	in.stage = k;
	if (comm_step_seconds(&in, out, err) != 0)
		return -1;
	*ep_mb = ep_exposed(o, out->ep / m, t, shared);
	*per_mb = out->tp / m + *ep_mb;
	return 0;
}

/* The busiest stage's micro-batch, its communication included (stages
 * alike in layers are costed once); its backward part, and its step
 * communication terms in *cs. */
static int busiest_stage(const struct cluster_spec *c, const struct arch *a,
                         const struct comm_step_input *in, double T,
                         struct cluster_run *r, double *bwd,
                         struct mp_error *err)
{
	const struct layout *l = in->layout;
	int last_n = -1, last_moe = -1;
	struct comm_step s;

	r->t_mb = -1;
	*bwd = 0;
	for (int k = 0; k < l->pp; k++) {
		int n = layout_stage_layers(l, a, k);
		int moe = layout_stage_moe_layers(l, a, k);
		double t, b, shared, comm, ep;

		if (n == last_n && moe == last_moe && k != l->pp - 1)
			continue;
		last_n = n;
		last_moe = moe;
		t = stage_seconds(c, a, l, k, T, &b, &shared);
		if (stage_comm(*in, k, c->ep_overlap, t, shared, &comm, &ep, &s,
		               err) != 0)
			return -1;
		if (t + comm > r->t_mb) {
			r->t_mb = t + comm;
			r->ep_exposed = ep * l->micro_batches;
			*bwd = b;
			r->comm = s;
		}
	}
	return 0;
}

/* The Adam update of the device's parameters, their optimizer state
 * sharded over the data-parallel ranks from ZeRO stage 1. */
static double optimizer_seconds(const struct cluster_spec *c,
                                const struct arch *a,
                                const struct arch_params *pa,
                                const struct layout *l)
{
	double dense, expert, one[3] = { 1, 0, 0 }, per, edp;
	int dp = l->dp * l->cp;

	memory_stage_params(a, pa, l, 0, &dense, &expert);
	edp = (double)dp / l->ep;
	if (l->zero >= 1) {
		dense /= dp;
		expert /= edp;
	}
	/* bytes per STREAM element, to count the update as STREAM triads */
	per = cost_mem_bytes(c->cost, COST_STREAM, one);
	if (!(per > 0))
		return 0;
	one[0] = (dense + expert) * CLUSTER_ADAM_BYTES / per;
	return cost_mem_seconds(c->cost, COST_STREAM, one);
}

/* The links at the collectives' achieved share of their bandwidth. */
static struct comm_links achieved(const struct comm_links *l)
{
	struct comm_links a = *l;

	a.intra_bw *= CLUSTER_COMM_EFFICIENCY;
	a.inter_bw *= CLUSTER_COMM_EFFICIENCY;
	return a;
}

int cluster_time(const struct cluster_spec *c, const struct arch *a,
                 const struct arch_params *pa, const struct layout *l,
                 struct cluster_run *r, struct mp_error *err)
{
	struct comm_step_input in;
	struct comm_links links = achieved(&c->links);
	double T = (double)l->micro_batch * a->seq / l->cp, bwd = 0, hidden;
	struct arch_flops f;
	int G = layout_devices(l);

	memset(r, 0, sizeof *r);
	r->layout = *l;
	r->skew_factor = skew_factor(c, a, l, T);
	memset(&in, 0, sizeof in);
	in.arch = a;
	in.params = pa;
	in.layout = l;
	in.precision = &c->precision;
	in.links = &links;
	in.skew_factor = r->skew_factor;
	if (busiest_stage(c, a, &in, T, r, &bwd, err) != 0)
		return -1;
	/* (m + (pp - 1) / v) t_mb: the (interleaved) 1F1B schedule and its
	 * bubble (Narayanan et al. 2021 Sec. 2.2.1-2.2.2; comm.h) */
	r->compute = (l->micro_batches +
	              (double)(l->pp - 1) / layout_chunks(l)) * r->t_mb;
	hidden = CLUSTER_DP_OVERLAP * bwd * l->micro_batches;
	r->dp_exposed = fmax(0, r->comm.dp - hidden);
	/* DualPipe hides the pipeline sends as well (cluster.h) */
	r->pp_exposed = c->ep_overlap == CLUSTER_EP_OVERLAP_FULL ? 0 : r->comm.pp;
	r->comm_exposed = r->comm.tp + r->ep_exposed + r->pp_exposed +
	                  r->dp_exposed;
	r->optimizer = optimizer_seconds(c, a, pa, l);
	r->step = r->compute + r->pp_exposed + r->dp_exposed + r->optimizer;
	memory_per_device(a, pa, l, &c->precision, &c->act, c->device_bytes,
	                  &r->memory);
	r->tokens_per_step = (double)l->micro_batch * l->micro_batches * l->dp *
	                     a->seq;
	r->tokens_per_second = r->tokens_per_step / r->step;
	r->seconds_per_token = r->step * G / r->tokens_per_step;
	arch_count_flops(a, &f);
	r->mfu = c->peak > 0 ? f.training * r->tokens_per_step /
	         (r->step * G * c->peak) : NAN;
	return isfinite(r->step) && r->step > 0 ? 0 :
	       mp_error_set(err, "no step time for this layout");
}

struct timing {
	const struct cluster_spec *c;
	const struct arch *a;
	const struct arch_params *pa;
};

static double layout_step(const struct layout *l, void *ctx)
{
	const struct timing *t = ctx;
	struct cluster_run r;
	struct mp_error e;

	if (!cluster_pin_allows(t->c, l))
		return NAN;
	return cluster_time(t->c, t->a, t->pa, l, &r, &e) == 0 ? r.step : NAN;
}

/* The least memory per device any valid layout the pins allow needs. */
static double leanest(const struct cluster_spec *c, const struct arch *a,
                      const struct arch_params *pa,
                      const struct layout_space *s, struct layout *list)
{
	struct layout_space all = *s;
	struct memory_use u;
	double least = INFINITY;
	size_t n;
	struct mp_error e;

	all.device_bytes = INFINITY;
	if (layout_search(&all, a, pa, &c->precision, &c->act, list,
	                  CLUSTER_MAX_LAYOUTS, &n, &e) != 0)
		return NAN;
	for (size_t i = 0; i < n && i < CLUSTER_MAX_LAYOUTS; i++) {
		if (!cluster_pin_allows(c, &list[i]))
			continue;
		memory_per_device(a, pa, &list[i], &c->precision, &c->act,
		                  c->device_bytes, &u);
		least = fmin(least, u.total);
	}
	return least;
}

/* Whether anything of the layout is pinned. */
static int pinned(const struct cluster_spec *c)
{
	const struct layout *p = &c->pin;

	return p->tp > 0 || p->pp > 0 || p->dp > 0 || p->ep > 0 || p->cp > 0 ||
	       p->micro_batch > 0 || p->micro_batches > 0 || p->vpp > 0 ||
	       p->zero >= 0 ||
	       (int)p->recompute >= 0;
}

static int none_fits(const struct cluster_spec *c, const struct arch *a,
                     const struct arch_params *pa,
                     const struct layout_space *s, struct layout *list,
                     struct mp_error *err)
{
	double need = leanest(c, a, pa, s, list);

	if (!isfinite(need))
		return mp_error_set(err, "no parallel layout of %d devices suits "
		                    "this model%s (a global batch of %d sequences)",
		                    c->devices, pinned(c) ?
		                    " with the layout pinned" : "",
		                    s->global_batch);
	return mp_error_set(err, "no parallel layout of %d devices%s fits %.3g "
	                    "parameters in %.3g GB per device (the leanest needs "
	                    "%.3g GB)", c->devices, pinned(c) ?
	                    " with the layout pinned" : "", pa->total,
	                    c->device_bytes / 1e9, need / 1e9);
}

/* The cost model with its GEMMs at the run's dtype: a datasheet model's
 * rates scaled by the ratio of the dtype's peak (an assumption: the same
 * share of a higher peak). */
static void scaled_model(const struct cluster_spec *c, struct cost_model *m)
{
	*m = *c->cost;
	if (c->gemm_speedup > 0 && c->gemm_speedup != 1) {
		m->gemm.peak_flops *= c->gemm_speedup;
		m->gemm.single.peak_flops *= c->gemm_speedup;
		m->mfu_peak *= c->gemm_speedup;
	}
}

int cluster_best(const struct cluster_spec *spec, const struct arch *a,
                 struct cluster_run *r, struct mp_error *err)
{
	struct cluster_spec scaled = *spec, *c = &scaled;
	struct cost_model model;
	struct layout_space s;
	struct arch_params pa;
	struct timing t = { c, a, &pa };
	struct layout *list;
	size_t n, kept;
	long best;
	int rc;

	scaled_model(spec, &model);
	scaled.cost = &model;
	arch_count_params(a, &pa);
	memset(&s, 0, sizeof s);
	s.devices = c->devices;
	s.devices_per_node = c->links.devices_per_node > 0 ?
	                     c->links.devices_per_node : 1;
	s.device_bytes = c->device_bytes;
	s.global_batch = (int)lround(c->batch_tokens / a->seq);
	s.max_micro_batch = c->max_micro_batch;
	if (s.global_batch < 1)
		return mp_error_set(err, "a global batch of %.3g tokens is less than "
		                    "one sequence of %d", c->batch_tokens, a->seq);
	if ((list = malloc(CLUSTER_MAX_LAYOUTS * sizeof *list)) == NULL)
		return mp_error_set(err, "out of memory");
	if (layout_search(&s, a, &pa, &c->precision, &c->act, list,
	                  CLUSTER_MAX_LAYOUTS, &n, err) != 0) {
		free(list);
		return -1;
	}
	kept = n < CLUSTER_MAX_LAYOUTS ? n : CLUSTER_MAX_LAYOUTS;
	best = layout_fastest(list, kept, layout_step, &t);
	rc = best < 0 ? none_fits(c, a, &pa, &s, list, err)
	     : cluster_time(c, a, &pa, &list[best], r, err);
	if (rc == 0)
		r->n_fit = n;
	free(list);
	return rc;
}
