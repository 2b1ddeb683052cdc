/*
 * test_cluster.c — the step time of a layout and the choice of layout
 * (core/cluster.c), on a cost model made to be computed by hand: GEMMs at
 * exactly 2 m n k / P (no overhead, saturation or bandwidth term), every
 * memory-bound kernel free but the STREAM class at B_s bytes/s.  The
 * expected step is written here from the formulas of cluster.h:
 *
 *   t_mb  = T [ 3 * 2 (per-layer GEMM FLOPs / tp) L_stage + 3 * 2 d V / tp ] / P
 *         + 3.5 * (causal half of 4 S^2 k per head, h / tp heads) / (e P)
 *         + the stage's (comm_tp + comm_ep) / m
 *   step  = (m + pp - 1) t_mb + comm_pp
 *         + max(0, comm_dp - overlap * backward * m) + Adam
 *   Adam  = 28 bytes per parameter of the device (its optimizer state
 *           sharded over dp from ZeRO 1) / B_s
 *
 * The communication terms are core/comm.c's (tests/unit/test_comm.c tests
 * them against hand-evaluated collectives); here only how cluster.c adds
 * them up.  Then: the layout chosen is the fastest of those that fit, it
 * fits, and a device too small for any layout is an error that says how
 * much the leanest would need.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/cluster.h"
#include "tap.h"

#define P 1e14            /* FLOP/s */
#define B_S 1e12          /* STREAM bytes/s */

static void toy_model(struct cost_model *cm)
{
	memset(cm, 0, sizeof *cm);
	cm->elem_bytes = 2;
	cm->mfu_peak = P;
	cm->gemm.peak_flops = P;
	cm->gemm.bandwidth = 1e300;
	for (int k = 0; k < COST_MEM_KERNELS; k++) {
		cm->mem[k].bandwidth = cm->mem[k].bandwidth_mem = 1e300;
		cm->mem[k].cache_bytes = 1;
	}
	cm->mem[COST_STREAM - 1].bandwidth = B_S;
	cm->mem[COST_STREAM - 1].bandwidth_mem = B_S;
}

static const struct arch toy = {
	.layers = 4, .d_model = 1024, .heads = 8, .kv_heads = 8, .head_dim = 128,
	.d_ff = 4096, .mlp_matrices = 3, .vocab = 32000, .seq = 2048, .tied = 0,
	.moe_every = 1,
};

static void spec(struct cluster_spec *c, const struct cost_model *cm)
{
	cluster_spec_init(c);
	c->devices = 8;
	c->device_bytes = 80e9;
	c->links = (struct comm_links){ 8, 450e9, 50e9, 3.4e-6, 9.6e-6 };
	c->cost = cm;
	c->peak = P;
	c->batch_tokens = 8 * 2048.0;     /* 8 sequences */
}

/* t_mb of a stage of n layers (and the logits if last) by hand; *bwd its
 * backward part. */
static double hand_stage(int n, int logits, int tp, double T, double *bwd)
{
	double d = 1024, h = 8, k = 128, f = 4096, V = 32000, S = 2048;
	double layer = 2 * (d * h * k * 3 + h * k * d + 3 * d * f) / tp;
	double gemm_fwd = T * (n * layer + (logits ? 2 * d * V / tp : 0)) / P;
	double attn_fwd = n * (T / S) * (h / tp) * 0.5 * 4 * S * S * k /
	                  (CLUSTER_ATTN_EFFICIENCY * P);

	*bwd = 2 * gemm_fwd + 2.5 * attn_fwd;
	return 3 * gemm_fwd + 3.5 * attn_fwd;
}

static void test_step_by_hand(void)
{
	struct cost_model cm;
	struct cluster_spec c;
	struct cluster_run r;
	struct arch_params pa;
	struct comm_step cs;
	struct comm_step_input in;
	struct comm_links links;
	struct mp_error e;
	struct layout l = { .tp = 2, .pp = 2, .dp = 2, .ep = 1, .cp = 1,
	                    .zero = 1, .recompute = LAYOUT_RECOMPUTE_NONE,
	                    .sequence_parallel = 1, .micro_batch = 1,
	                    .micro_batches = 4 };
	double bwd0, bwd1, t0, t1, t_mb, bwd, dense, expert, adam, want;

	toy_model(&cm);
	spec(&c, &cm);
	arch_count_params(&toy, &pa);
	check(cluster_time(&c, &toy, &pa, &l, &r, &e) == 0, "cluster_time");
	/* stage 0: layers 0-1; stage 1: layers 2-3 and the logits */
	links = c.links;
	links.intra_bw *= CLUSTER_COMM_EFFICIENCY;
	links.inter_bw *= CLUSTER_COMM_EFFICIENCY;
	/* both stages hold two layers: the same tp collectives, no MoE */
	in = (struct comm_step_input){ &toy, &pa, &l, &c.precision, &links, 1, 0,
	                               1 };
	check(comm_step_seconds(&in, &cs, &e) == 0, "comm_step_seconds");
	t0 = hand_stage(2, 0, 2, 2048, &bwd0) + (cs.tp + cs.ep) / 4;
	t1 = hand_stage(2, 1, 2, 2048, &bwd1) + (cs.tp + cs.ep) / 4;
	t_mb = fmax(t0, t1);
	bwd = t1 > t0 ? bwd1 : bwd0;
	check(t1 > t0, "the last stage, with the logits, is the busier");
	check_rel(r.t_mb, t_mb, 1e-9, "micro-batch on the busiest stage, its "
	          "tensor-parallel collectives in, by hand");
	check_rel(r.compute, (4 + 2 - 1) * t_mb, 1e-9, "1F1B: (m + pp - 1) t_mb");
	memory_stage_params(&toy, &pa, &l, 0, &dense, &expert);
	adam = (dense + expert) / 2 * CLUSTER_ADAM_BYTES / B_S;
	check_rel(r.optimizer, adam, 1e-9, "Adam: 28 bytes a parameter of the "
	          "device, sharded over dp 2 by ZeRO 1, at B_s");
	want = 5 * t_mb + cs.pp + fmax(0, cs.dp - CLUSTER_DP_OVERLAP * bwd * 4) +
	       adam;
	check_rel(r.step, want, 1e-9, "the step adds the pipeline, the exposed "
	          "data-parallel traffic and the optimizer");
	check_rel(r.tokens_per_step, 8 * 2048.0, 1e-12, "tokens per step b m dp S");
	check_rel(r.seconds_per_token, r.step * 8 / (8 * 2048.0), 1e-12,
	          "device-seconds per token: step G / tokens");
}

/* The interleaved schedule: (m + (pp - 1) / v) t_mb, the sends comm.c's
 * (v times 1F1B's, tested in test_comm.c), t_mb unchanged (the stage's
 * layers are the same, in v chunks). */
static void test_interleaved(void)
{
	struct cost_model cm;
	struct cluster_spec c;
	struct cluster_run r1, r2;
	struct arch_params pa;
	struct mp_error e;
	struct layout l = { .tp = 2, .pp = 2, .dp = 2, .ep = 1, .cp = 1,
	                    .zero = 1, .recompute = LAYOUT_RECOMPUTE_NONE,
	                    .sequence_parallel = 1, .micro_batch = 1,
	                    .micro_batches = 4, .vpp = 1 };
	double want;

	toy_model(&cm);
	spec(&c, &cm);
	arch_count_params(&toy, &pa);
	check(cluster_time(&c, &toy, &pa, &l, &r1, &e) == 0, "1F1B");
	l.vpp = 2;
	check(cluster_time(&c, &toy, &pa, &l, &r2, &e) == 0, "interleaved v 2");
	check_rel(r2.t_mb, r1.t_mb, 1e-12, "the same micro-batch time");
	check_rel(r2.compute, (4 + 1.0 / 2) * r1.t_mb, 1e-12,
	          "interleaved: (m + (p - 1)/v) t_mb (Narayanan Sec. 2.2.2)");
	check_rel(r2.comm.pp, 2 * r1.comm.pp, 1e-12, "v 2: twice the sends");
	want = r2.compute + r2.comm.pp + r2.dp_exposed + r2.optimizer;
	check_rel(r2.step, want, 1e-12, "the step adds the sends");
	check(r2.step < r1.step, "the smaller bubble outweighs the sends here");
	c.pin.vpp = 1;
	check(cluster_best(&c, &toy, &r1, &e) == 0 && layout_chunks(&r1.layout)
	      == 1, "a pinned vpp 1 is kept");
}

/* The toy as an MoE model: 8 experts of 1024, top-2, one shared expert. */
static struct arch toy_moe(void)
{
	struct arch a = toy;

	a.experts = 8;
	a.top_k = 2;
	a.d_expert = 1024;
	a.shared_experts = 1;
	return a;
}

/* Overlap of the all-to-alls (cluster.h): none leaves them all in t_mb;
 * shared hides up to the shared expert's time, 3 GEMMs of 2 T d f FLOPs
 * forward, 3 times that with the backward, per MoE layer; full hides up
 * to the whole micro-batch's computation, and the pipeline sends. */
static void test_ep_overlap(void)
{
	struct cost_model cm;
	struct cluster_spec c;
	struct cluster_run none, shared, full;
	struct arch a = toy_moe();
	struct arch_params pa;
	struct mp_error e;
	struct layout l = { .tp = 1, .pp = 2, .dp = 4, .ep = 4, .cp = 1,
	                    .zero = 1, .recompute = LAYOUT_RECOMPUTE_NONE,
	                    .micro_batch = 1, .micro_batches = 2 };
	double ep_mb, t, sh, T = 2048, d = 1024, f = 1024;

	toy_model(&cm);
	spec(&c, &cm);
	arch_count_params(&a, &pa);
	check(cluster_time(&c, &a, &pa, &l, &none, &e) == 0, "no overlap");
	c.ep_overlap = CLUSTER_EP_OVERLAP_SHARED;
	check(cluster_time(&c, &a, &pa, &l, &shared, &e) == 0, "shared overlap");
	c.ep_overlap = CLUSTER_EP_OVERLAP_FULL;
	check(cluster_time(&c, &a, &pa, &l, &full, &e) == 0, "full overlap");
	ep_mb = none.comm.ep / 2;
	t = none.t_mb - ep_mb;     /* tp = 1: no tensor-parallel term */
	sh = 2 * 3 * 3 * 2 * T * d * f / P;    /* 2 MoE layers on the stage */
	check(ep_mb > 0, "the all-to-alls cost something");
	check_rel(none.ep_exposed, none.comm.ep, 1e-12, "none: all exposed");
	check_rel(none.t_mb - shared.t_mb, fmin(ep_mb, sh), 1e-9,
	          "shared: hidden up to the shared expert's time");
	check_rel(none.t_mb - full.t_mb, fmin(ep_mb, t), 1e-9,
	          "full: hidden up to the micro-batch's computation");
	check_rel(full.pp_exposed, 0, 0, "full: the sends hidden");
	check_rel(none.pp_exposed, none.comm.pp, 1e-12, "none: the sends exposed");
}

static void test_best(void)
{
	static struct layout list[4096];
	struct cost_model cm;
	struct cluster_spec c;
	struct cluster_run best, r;
	struct arch_params pa;
	struct layout_space s = { 8, 8, 80e9, 8, 8 };
	struct mp_error e;
	size_t n;
	int fastest = 1;

	toy_model(&cm);
	spec(&c, &cm);
	arch_count_params(&toy, &pa);
	check(cluster_best(&c, &toy, &best, &e) == 0, "cluster_best");
	check(best.memory.total <= c.device_bytes, "the chosen layout fits");
	check(layout_search(&s, &toy, &pa, &c.precision, &c.act, list, 4096, &n,
	                    &e) == 0 && n > 1 && n <= 4096, "the layouts that fit");
	for (size_t i = 0; i < n; i++)
		if (cluster_time(&c, &toy, &pa, &list[i], &r, &e) == 0)
			fastest &= best.step <= r.step * (1 + 1e-12);
	check(fastest, "no layout that fits is faster than the chosen one");
	check_int((long)best.n_fit, (long)n, "it says how many fit");
	/* pinned: tp 8 */
	c.pin.tp = 8;
	check(cluster_best(&c, &toy, &r, &e) == 0 && r.layout.tp == 8,
	      "a pinned tp is kept");
	/* a device too small for anything */
	c.pin.tp = 0;
	c.device_bytes = 1e6;
	check(cluster_best(&c, &toy, &r, &e) != 0 &&
	      strstr(e.msg, "no parallel layout of 8 devices fits") != NULL &&
	      strstr(e.msg, "the leanest needs") != NULL,
	      "no layout fits: an error naming the memory the leanest needs");
	printf("# %s\n", e.msg);
}

int main(void)
{
	test_step_by_hand();
	test_interleaved();
	test_ep_overlap();
	test_best();
	return check_done();
}
