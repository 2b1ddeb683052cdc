/*
 * comm.c — collective times under the alpha-beta model and the
 * communication terms of a training step (see comm.h for the formulas
 * and their sources).  Pure arithmetic; nothing here allocates.
 */
#include "config.h"

#include "comm.h"

#include <math.h>
#include <string.h>

int comm_group_per_node(const struct comm_links *c, struct comm_group g)
{
	int d = c->devices_per_node > 0 ? c->devices_per_node : 1;
	int k = g.stride >= d ? 1 : d / g.stride;

	return k < g.size ? k : g.size;
}

int comm_group_nodes(const struct comm_links *c, struct comm_group g)
{
	int k = comm_group_per_node(c, g);

	return (g.size + k - 1) / k;
}

/* The bus bandwidth of a ring over g (comm.h): the intra-node links, or
 * min(B_intra, k B_inter) across nodes. */
static double ring_bw(const struct comm_links *c, struct comm_group g)
{
	int k = comm_group_per_node(c, g);

	if (comm_group_nodes(c, g) == 1)
		return c->intra_bw;
	return fmin(c->intra_bw, k * c->inter_bw);
}

/* The latency of `rounds` passes of a ring over g: n - N intra-node and
 * N - 1 inter-node steps each (NCCL tuning.cc: nsteps, nInterSteps). */
static double ring_latency(const struct comm_links *c, struct comm_group g,
                           int rounds)
{
	int n = g.size, N = comm_group_nodes(c, g);

	return rounds * ((n - N) * c->intra_latency +
	                 (N - 1) * c->inter_latency);
}

double comm_all_reduce_seconds(const struct comm_links *c,
                               struct comm_group g, double bytes)
{
	double n = g.size;

	if (g.size <= 1)
		return 0;
	/* ring all-reduce: 2 (n-1)/n S / B + 2 (n-1) alpha (Thakur et al.
	 * 2005 Sec. 4.4: reduce-scatter then all-gather) */
	return 2 * (n - 1) / n * bytes / ring_bw(c, g) + ring_latency(c, g, 2);
}

double comm_reduce_scatter_seconds(const struct comm_links *c,
                                   struct comm_group g, double bytes)
{
	double n = g.size;

	if (g.size <= 1)
		return 0;
	/* ring reduce-scatter: (n-1)/n S / B + (n-1) alpha (Thakur et al.
	 * 2005 Sec. 4.3) */
	return (n - 1) / n * bytes / ring_bw(c, g) + ring_latency(c, g, 1);
}

double comm_all_gather_seconds(const struct comm_links *c,
                               struct comm_group g, double bytes)
{
	double n = g.size;

	if (g.size <= 1)
		return 0;
	/* ring all-gather: (n-1)/n S / B + (n-1) alpha (Thakur et al. 2005
	 * Sec. 4.1) */
	return (n - 1) / n * bytes / ring_bw(c, g) + ring_latency(c, g, 1);
}

double comm_all_to_all_seconds(const struct comm_links *c,
                               struct comm_group g, double bytes)
{
	double n = g.size, k = comm_group_per_node(c, g);

	if (g.size <= 1)
		return 0;
	/* pairwise exchange: (n-1)/n S / B + (n-1) alpha (Thakur et al. 2005
	 * Sec. 4.6); across nodes the NIC and the intra-node links carry
	 * their shares at once (comm.h) */
	if (comm_group_nodes(c, g) == 1)
		return (n - 1) / n * bytes / c->intra_bw + (n - 1) * c->intra_latency;
	return fmax((n - k) / n * bytes / c->inter_bw,
	            (k - 1) / n * bytes / c->intra_bw) +
	       (k - 1) * c->intra_latency + (n - k) * c->inter_latency;
}

double comm_send_seconds(const struct comm_links *c, int stride,
                         double bytes)
{
	if (stride < c->devices_per_node)
		return c->intra_latency + bytes / c->intra_bw;
	return c->inter_latency + bytes / c->inter_bw;
}

double comm_bubble_fraction(int pp, int m)
{
	/* Narayanan et al. 2021 Sec. 2.2.1: the bubble is (p - 1) forward and
	 * backward passes of m + p - 1 */
	if (pp <= 1 || m < 1)
		return 0;
	return (double)(pp - 1) / (m + pp - 1);
}

double comm_bubble_fraction_interleaved(int pp, int m, int v)
{
	double idle;

	/* Narayanan et al. 2021 Sec. 2.2.2: each chunk's forward and backward
	 * take 1/v of a stage's, so the (p - 1) warm-up and cool-down slots
	 * cost (p - 1) / v micro-batch times */
	if (pp <= 1 || m < 1)
		return 0;
	if (v < 1)
		v = 1;
	idle = (double)(pp - 1) / v;
	return idle / (m + idle);
}

double comm_busiest_rank_factor(const double *counts, int experts, int ep)
{
	double total = 0, worst = 0;
	int per = ep > 0 ? experts / ep : experts;

	if (ep <= 1 || per < 1)
		return 1;
	for (int r = 0; r < ep; r++) {
		double load = 0;

		for (int e = r * per; e < (r + 1) * per; e++)
			load += counts[e];
		total += load;
		worst = load > worst ? load : worst;
	}
	return total > 0 ? worst / (total / ep) : 1;
}

/* The links a step needs: D >= 1, bandwidths positive, latencies >= 0. */
static int check_links(const struct comm_links *c, struct mp_error *err)
{
	if (c == NULL || c->devices_per_node < 1)
		return mp_error_set(err, "no cluster description: the hardware "
		                    "profile has no devices_per_node");
	if (!(c->intra_bw > 0) || !isfinite(c->intra_bw) ||
	    !(c->inter_bw > 0) || !isfinite(c->inter_bw))
		return mp_error_set(err, "the hardware profile has no intra-node "
		                    "and inter-node bandwidth");
	if (!(c->intra_latency >= 0) || !isfinite(c->intra_latency) ||
	    !(c->inter_latency >= 0) || !isfinite(c->inter_latency))
		return mp_error_set(err, "the hardware profile has no collective "
		                    "latencies");
	return 0;
}

static int check_input(const struct comm_step_input *in, struct mp_error *err)
{
	if (check_links(in->links, err) != 0 ||
	    layout_check(in->layout, in->arch, err) != 0)
		return -1;
	if (!(in->skew_factor >= 1) || !isfinite(in->skew_factor))
		return mp_error_set(err, "skew factor %g: expected a number >= 1",
		                    in->skew_factor);
	if (!(in->dp_overlap >= 0 && in->dp_overlap <= 1))
		return mp_error_set(err, "data-parallel overlap %g: expected a "
		                    "number from 0 to 1", in->dp_overlap);
	return 0;
}

/* Tensor parallel: 4 (6 with full recomputation) collectives of s b h
 * per layer and micro-batch; an all-reduce, or with sequence parallelism
 * a reduce-scatter and an all-gather (Korthikanti Sec. 4.2.2). */
static double step_tp(const struct comm_step_input *in, int layers,
                      struct comm_step *out)
{
	const struct layout *l = in->layout;
	const struct comm_links *c = in->links;
	struct comm_group g = { l->tp, 1 };
	double bytes = (double)in->arch->seq / l->cp * l->micro_batch *
	               in->arch->d_model * in->precision->act_bytes;
	double one = l->sequence_parallel
	             ? comm_reduce_scatter_seconds(c, g, bytes) +
	               comm_all_gather_seconds(c, g, bytes)
	             : comm_all_reduce_seconds(c, g, bytes);

	out->tp_collectives = l->recompute == LAYOUT_RECOMPUTE_FULL ? 6 : 4;
	return (double)layers * l->micro_batches * out->tp_collectives * one;
}

/* Expert parallel: 4 (6) all-to-alls per MoE layer and micro-batch of the
 * rank's s b / (cp tp) tokens x top_k x h, scaled by the skew factor. */
static double step_ep(const struct comm_step_input *in, int moe_layers,
                      struct comm_step *out)
{
	const struct layout *l = in->layout;
	const struct arch *a = in->arch;
	struct comm_group g = { l->ep, l->tp };
	double tokens = (double)a->seq / l->cp * l->micro_batch / l->tp;
	double bytes = tokens * a->top_k * a->d_model * in->precision->act_bytes *
	               in->skew_factor;

	out->ep_collectives = l->recompute == LAYOUT_RECOMPUTE_FULL ? 6 : 4;
	return (double)moe_layers * l->micro_batches * out->ep_collectives *
	       comm_all_to_all_seconds(in->links, g, bytes);
}

/* Data parallel for nparams parameters over group g, by ZeRO stage
 * (comm.h). */
static double dp_group(const struct comm_step_input *in, struct comm_group g,
                       double nparams)
{
	const struct memory_precision *p = in->precision;
	const struct comm_links *c = in->links;
	double gb = nparams * p->grad_bytes, wb = nparams * p->weight_bytes;
	int z = in->layout->zero;

	if (!(nparams > 0))
		return 0;
	if (z == 0)
		return comm_all_reduce_seconds(c, g, gb);
	if (z < 3)
		return comm_reduce_scatter_seconds(c, g, gb) +
		       comm_all_gather_seconds(c, g, wb);
	return comm_reduce_scatter_seconds(c, g, gb) +
	       2.0 * in->layout->micro_batches * comm_all_gather_seconds(c, g, wb);
}

/* Data parallel on the busier of the first and last stage. */
static double step_dp(const struct comm_step_input *in)
{
	const struct layout *l = in->layout;
	struct comm_group dense_g = { l->dp * l->cp, l->tp };
	struct comm_group expert_g = { l->dp * l->cp / l->ep, l->tp * l->ep };
	double worst = 0;

	for (int k = 0; k < l->pp; k += l->pp > 1 ? l->pp - 1 : 1) {
		double dense, expert, t;

		memory_stage_params(in->arch, in->params, l, k, &dense, &expert);
		t = dp_group(in, dense_g, dense) + dp_group(in, expert_g, expert);
		worst = t > worst ? t : worst;
	}
	return worst;
}

int comm_step_seconds(const struct comm_step_input *in, struct comm_step *out,
                      struct mp_error *err)
{
	const struct layout *l;
	double act;

	memset(out, 0, sizeof *out);
	if (check_input(in, err) != 0)
		return -1;
	l = in->layout;
	out->tp = step_tp(in, layout_stage_layers(l, in->arch, in->stage), out);
	out->ep = step_ep(in, layout_stage_moe_layers(l, in->arch, in->stage),
	                  out);
	out->dp = step_dp(in);
	out->dp_exposed = out->dp * (1 - in->dp_overlap);
	if (l->pp > 1) {
		/* per micro-batch and model chunk: the output forward, the
		 * gradient back, s b h / tp each (Narayanan et al. 2021 Sec. 4.1;
		 * v chunks send v times, Sec. 2.2.2) */
		act = (double)in->arch->seq / l->cp * l->micro_batch *
		      in->arch->d_model * in->precision->act_bytes / l->tp;
		out->pp = 2.0 * l->micro_batches * layout_chunks(l) *
		          comm_send_seconds(in->links, l->tp * l->cp * l->dp, act);
	}
	out->bubble = comm_bubble_fraction_interleaved(l->pp, l->micro_batches,
	                                               layout_chunks(l));
	out->total = out->tp + out->ep + out->dp_exposed + out->pp;
	return 0;
}
