/*
 * test_comm.c — communication times (src/core/comm.c): the alpha-beta
 * collectives within a node and across nodes, the groups' placement, the
 * 1F1B bubble, the busiest expert-parallel rank, and a step's tensor,
 * expert, data and pipeline terms.
 *
 * Expected values are the formulas of Thakur, Rabenseifner and Gropp 2005
 * (ring all-reduce 2(n-1)/n S/B + 2(n-1) alpha, reduce-scatter and
 * all-gather (n-1)/n S/B + (n-1) alpha, all-to-all (n-1)/n S/B +
 * (n-1) alpha) evaluated by hand here, NCCL's step counts across nodes
 * (tuning.cc: 2(n - N) intra and 2(N - 1) inter steps), Narayanan et al.
 * 2021 Sec. 2.2.1's bubble (p - 1)/m of the ideal time, and the step
 * counts of comm.h (Megatron: 4 tensor-parallel collectives per layer, 4
 * all-to-alls per MoE layer) multiplied out by hand.  The link figures
 * are an 8-GPU H100 node (450 GB/s NVLink one way, 50 GB/s NIC per GPU)
 * and NCCL's ring/Simple step latencies (3.4 us NVLink, 9.6 us network).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/comm.h"
#include "core/cost.h"
#include "tap.h"

static const struct comm_links h100 = {
	.devices_per_node = 8, .intra_bw = 450e9, .inter_bw = 50e9,
	.intra_latency = 3.4e-6, .inter_latency = 9.6e-6,
};

#define GIB 1073741824.0

static void test_collectives_intra(void)
{
	struct comm_group g8 = { 8, 1 }, g1 = { 1, 1 };

	/* 2 x 7/8 x 2^30 / 450e9 + 14 x 3.4e-6
	 * = 4.17566265e-3 + 4.76e-5 = 4.22326265e-3 s (by hand) */
	check_rel(comm_all_reduce_seconds(&h100, g8, GIB), 4.22326265e-3, 1e-8,
	          "ring all-reduce, 8 GPUs, 1 GiB: 4.2233 ms by hand");
	/* 7/8 x 2^30 / 450e9 + 7 x 3.4e-6 = 2.08783132e-3 + 2.38e-5 */
	check_rel(comm_reduce_scatter_seconds(&h100, g8, GIB), 2.11163132e-3, 1e-8,
	          "reduce-scatter: (n-1)/n S/B + (n-1) alpha");
	check_rel(comm_all_gather_seconds(&h100, g8, GIB), 2.11163132e-3, 1e-8,
	          "all-gather: (n-1)/n S/B + (n-1) alpha");
	check_rel(comm_all_to_all_seconds(&h100, g8, GIB), 2.11163132e-3, 1e-8,
	          "all-to-all: (n-1)/n S/B + (n-1) alpha");
	check_rel(comm_all_reduce_seconds(&h100, g1, GIB), 0, 0,
	          "a group of one costs nothing");
	check_int(comm_group_nodes(&h100, g8), 1, "8 consecutive ranks: 1 node");
}

static void test_collectives_inter(void)
{
	struct comm_group dp16 = { 16, 8 }, flat16 = { 16, 1 }, dp4 = { 4, 2 };
	double S = GIB;

	check_int(comm_group_per_node(&h100, dp16), 1, "stride 8: 1 per node");
	check_int(comm_group_nodes(&h100, dp16), 16, "stride 8: 16 nodes");
	/* one member per node: the NIC, 50 GB/s; 2 x 15 inter steps */
	check_rel(comm_all_reduce_seconds(&h100, dp16, S),
	          2 * 15.0 / 16 * S / 50e9 + 30 * 9.6e-6, 1e-12,
	          "all-reduce over 16 nodes: NIC bandwidth, network latency");
	/* 8 per node over 2 nodes: min(450, 8 x 50) = 400 GB/s bus bandwidth;
	 * 2(16 - 2) NVLink steps and 2(2 - 1) network steps */
	check_int(comm_group_nodes(&h100, flat16), 2, "16 consecutive: 2 nodes");
	check_rel(comm_all_reduce_seconds(&h100, flat16, S),
	          2 * 15.0 / 16 * S / 400e9 + 28 * 3.4e-6 + 2 * 9.6e-6, 1e-12,
	          "all-reduce, 2 nodes x 8: min(B_intra, 8 B_inter)");
	check_rel(comm_reduce_scatter_seconds(&h100, flat16, S),
	          15.0 / 16 * S / 400e9 + 14 * 3.4e-6 + 9.6e-6, 1e-12,
	          "reduce-scatter, 2 nodes x 8");
	/* all-to-all over 2 nodes x 8: 8/16 S through the NIC, 7/16 S over
	 * NVLink at once; 7 NVLink and 8 network steps */
	check_rel(comm_all_to_all_seconds(&h100, flat16, S),
	          fmax(8.0 / 16 * S / 50e9, 7.0 / 16 * S / 450e9) + 7 * 3.4e-6 +
	          8 * 9.6e-6, 1e-12, "all-to-all, 2 nodes x 8");
	check_rel(comm_all_to_all_seconds(&h100, dp16, S),
	          15.0 / 16 * S / 50e9 + 15 * 9.6e-6, 1e-12,
	          "all-to-all, one per node: (n-1)/n S/B_inter + (n-1) alpha");
	check_int(comm_group_nodes(&h100, dp4), 1, "4 ranks of stride 2: 1 node");
	check_rel(comm_send_seconds(&h100, 8, 1e6), 9.6e-6 + 1e6 / 50e9, 1e-12,
	          "send to the next node: alpha + S/B_inter");
	check_rel(comm_send_seconds(&h100, 4, 1e6), 3.4e-6 + 1e6 / 450e9, 1e-12,
	          "send within the node: alpha + S/B_intra");
}

static void test_bubble_skew(void)
{
	double even[8], counts[4] = { 4, 3, 2, 1 };

	/* Narayanan Sec. 2.2.1: bubble / ideal = (p - 1)/m = 3/8, so the
	 * bubble's share of the step is (3/8) / (1 + 3/8) */
	check_rel(comm_bubble_fraction(4, 8), (3.0 / 8) / (1 + 3.0 / 8), 1e-12,
	          "1F1B bubble, p 4, m 8");
	check_rel(comm_bubble_fraction(1, 8), 0, 0, "no pipeline, no bubble");
	/* Narayanan Sec. 2.2.2: with v chunks, bubble / ideal = (p - 1)/(v m)
	 * = 3/16 for p 4, m 8, v 2 */
	check_rel(comm_bubble_fraction_interleaved(4, 8, 2),
	          (3.0 / 16) / (1 + 3.0 / 16), 1e-12, "interleaved, p 4 m 8 v 2");
	check_rel(comm_bubble_fraction_interleaved(4, 8, 1),
	          (3.0 / 8) / (1 + 3.0 / 8), 1e-12, "interleaved, v 1: 1F1B's");
	check_rel(comm_bubble_fraction_interleaved(1, 8, 4), 0, 0,
	          "interleaved without a pipeline: no bubble");
	/* ranks hold {4, 3} and {2, 1}: 7 against the mean 5 */
	check_rel(comm_busiest_rank_factor(counts, 4, 2), 7.0 / 5, 1e-12,
	          "busiest rank: 7 tokens of a mean 5");
	cost_routing_counts(1024, 8, 2, 0, even);
	check_rel(comm_busiest_rank_factor(even, 8, 4), 1, 1e-12,
	          "balanced routing: factor 1");
	check_rel(comm_busiest_rank_factor(counts, 4, 1), 1, 0, "ep 1: factor 1");
}

/* A dense GPT-style model: 8 layers, h 4096, 32 heads, 4h GeLU MLP. */
static struct arch dense8(void)
{
	struct arch a;

	memset(&a, 0, sizeof a);
	a.layers = 8;
	a.d_model = 4096;
	a.heads = 32;
	a.kv_heads = 32;
	a.head_dim = 128;
	a.d_ff = 16384;
	a.mlp_matrices = 2;
	a.vocab = 32000;
	a.seq = 2048;
	return a;
}

static struct comm_step step(const struct arch *a, const struct layout *l,
                             double skew, double overlap, int *rc,
                             struct mp_error *err)
{
	struct arch_params pa;
	struct memory_precision p;
	struct comm_step_input in;
	struct comm_step out;

	arch_count_params(a, &pa);
	memory_precision_adam_mixed(&p);
	in.arch = a;
	in.params = &pa;
	in.layout = l;
	in.precision = &p;
	in.links = &h100;
	in.skew_factor = skew;
	in.dp_overlap = overlap;
	in.stage = 0;
	*rc = comm_step_seconds(&in, &out, err);
	return out;
}

static void test_step_tp_pp(void)
{
	struct arch a = dense8();
	struct layout l = { .tp = 8, .pp = 2, .dp = 4, .ep = 1, .cp = 1,
	                    .zero = 1, .sequence_parallel = 1, .micro_batch = 1,
	                    .micro_batches = 8 };
	struct mp_error err;
	struct comm_step s;
	double act = 2048.0 * 4096 * 2;   /* s b h x 2 bytes */
	double rs = 7.0 / 8 * act / 450e9 + 7 * 3.4e-6;
	int rc;

	s = step(&a, &l, 1, 0, &rc, &err);
	check_int(rc, 0, "step: a valid layout");
	/* 4 layers on stage 0 x 8 micro-batches x 4 collectives, each a
	 * reduce-scatter and an all-gather (sequence parallel) */
	check_rel(s.tp, 4 * 8 * 4 * 2 * rs, 1e-12, "tp: 4 per layer, RS + AG");
	check_int(s.tp_collectives, 4, "Megatron: 2 forward + 2 backward");
	/* stages tp dp = 32 ranks apart, on other nodes: 2 sends of s b h / tp
	 * per micro-batch over the NIC */
	check_rel(s.pp, 2 * 8 * (9.6e-6 + act / 8 / 50e9), 1e-12,
	          "pp: 2 sends per micro-batch, s b h / t each");
	check_rel(s.bubble, 1.0 / (8 + 1), 1e-12, "bubble (p - 1)/(m + p - 1)");
	check_rel(s.ep, 0, 0, "dense: no all-to-all");
	l.sequence_parallel = 0;
	l.recompute = LAYOUT_RECOMPUTE_FULL;
	s = step(&a, &l, 1, 0, &rc, &err);
	check_rel(s.tp, 4 * 8 * 6 * (2 * 7.0 / 8 * act / 450e9 + 14 * 3.4e-6),
	          1e-12, "tp, no SP, full recompute: 6 all-reduces per layer");
	/* interleaved, 2 chunks of 2 layers per stage: each chunk sends its
	 * output and receives its gradient, 2 v sends per micro-batch; the
	 * bubble (p - 1)/(v m) of the ideal time (Narayanan Sec. 2.2.2) */
	l.vpp = 2;
	s = step(&a, &l, 1, 0, &rc, &err);
	check_int(rc, 0, "step: an interleaved layout");
	check_rel(s.pp, 2 * 2 * 8 * (9.6e-6 + act / 8 / 50e9), 1e-12,
	          "pp interleaved: 2 v sends per micro-batch");
	check_rel(s.bubble, (1.0 / 16) / (1 + 1.0 / 16), 1e-12,
	          "interleaved bubble: (p - 1)/(v m) of the ideal");
}

static void test_step_dp(void)
{
	struct arch a = dense8();
	struct arch_params pa;
	struct layout l = { .tp = 8, .pp = 1, .dp = 4, .ep = 1, .cp = 1,
	                    .zero = 1, .micro_batch = 1, .micro_batches = 8 };
	struct mp_error err;
	struct comm_step s;
	double P, rs;
	int rc;

	a.tied = 0;
	arch_count_params(&a, &pa);
	P = pa.total / 8;   /* pp 1: every parameter, split by tp */
	/* the dp group: 4 ranks of stride 8, one per node: the NIC */
	rs = 3.0 / 4 * 2 * P / 50e9 + 3 * 9.6e-6;
	s = step(&a, &l, 1, 0, &rc, &err);
	check_rel(s.dp, 2 * rs, 1e-12, "ZeRO-1: RS of bf16 grads + AG of bf16 "
	          "weights over 4 nodes");
	l.zero = 0;
	s = step(&a, &l, 1, 0.5, &rc, &err);
	check_rel(s.dp, 2 * 3.0 / 4 * 2 * P / 50e9 + 6 * 9.6e-6, 1e-12,
	          "ZeRO-0: an all-reduce");
	check_rel(s.dp_exposed, s.dp / 2, 1e-12, "overlap 0.5 hides half");
	check_rel(s.total, s.tp + s.ep + s.dp_exposed + s.pp, 1e-12,
	          "total = the terms");
	l.zero = 3;
	s = step(&a, &l, 1, 0, &rc, &err);
	check_rel(s.dp, rs + 2 * 8 * rs, 1e-12, "ZeRO-3: RS + an AG in each "
	          "micro-batch's forward and backward");
}

static void test_step_ep(void)
{
	struct arch a = dense8();
	struct layout l = { .tp = 1, .pp = 1, .dp = 8, .ep = 8, .cp = 1,
	                    .zero = 1, .micro_batch = 1, .micro_batches = 4 };
	struct arch_params pa;
	struct mp_error err;
	struct comm_step s;
	double dense, bytes = 2048.0 * 2 * 4096 * 2;   /* s b / tp x top_k x h x 2 */
	int rc;

	a.experts = 8;
	a.top_k = 2;
	a.d_expert = 16384;
	a.moe_every = 2;                        /* 4 MoE layers of 8 */
	s = step(&a, &l, 1, 0, &rc, &err);
	check_int(rc, 0, "an MoE layout");
	check_rel(s.ep, 4 * 4 * 4 * (7.0 / 8 * bytes / 450e9 + 7 * 3.4e-6),
	          1e-12, "ep: 4 all-to-alls per MoE layer within the node");
	s = step(&a, &l, 1.5, 0, &rc, &err);
	check_rel(s.ep, 4 * 4 * 4 * (7.0 / 8 * 1.5 * bytes / 450e9 + 7 * 3.4e-6),
	          1e-12, "skew 1.5: the busiest rank's bytes");
	arch_count_params(&a, &pa);
	dense = pa.total - pa.experts_total;
	/* ZeRO-1, dp 8: dense grads over 8 ranks in the node; experts over
	 * dp / ep = 1 rank: nothing */
	check_rel(s.dp, 2 * (7.0 / 8 * 2 * dense / 450e9 + 7 * 3.4e-6), 1e-12,
	          "dp 8 = ep 8: dense states only");
	l.ep = 4;
	s = step(&a, &l, 1, 0, &rc, &err);
	check_rel(s.dp, 2 * (7.0 / 8 * 2 * dense / 450e9 + 7 * 3.4e-6) +
	          2 * (1.0 / 2 * 2 * pa.experts_total / 4 / 450e9 + 3.4e-6),
	          1e-12, "ep 4 of dp 8: experts / 4 over 2 expert-data ranks");
	a.experts = 16;
	l.dp = 16;
	l.ep = 16;
	s = step(&a, &l, 1, 0, &rc, &err);
	check_int(rc, 0, "16 experts over ep 16");
	check_rel(s.ep, 4 * 4 * 4 * (fmax(8.0 / 16 * bytes / 50e9,
	                                  7.0 / 16 * bytes / 450e9) +
	                             7 * 3.4e-6 + 8 * 9.6e-6),
	          1e-12, "ep 16 over 2 nodes: NIC and NVLink shares");
}

static void test_step_errors(void)
{
	struct arch a = dense8();
	struct layout l = { .tp = 8, .pp = 1, .dp = 1, .ep = 1, .cp = 1,
	                    .micro_batch = 1, .micro_batches = 1 };
	struct comm_links none;
	struct arch_params pa;
	struct memory_precision p;
	struct comm_step_input in = { &a, &pa, &l, &p, &none, 1, 0, 0 };
	struct comm_step out;
	struct mp_error err;
	int rc;

	memset(&none, 0, sizeof none);
	arch_count_params(&a, &pa);
	memory_precision_adam_mixed(&p);
	check_int(comm_step_seconds(&in, &out, &err), -1, "no cluster: refused");
	check(strstr(err.msg, "devices_per_node") != NULL, "... and says what");
	(void)step(&a, &l, 1, 1.5, &rc, &err);
	check_int(rc, -1, "overlap 1.5 refused");
	l.tp = 3;
	(void)step(&a, &l, 1, 0, &rc, &err);
	check_int(rc, -1, "tp 3 does not divide 32 heads");
	check(strstr(err.msg, "tp") != NULL, "... and names tp");
}

int main(void)
{
	test_collectives_intra();
	test_collectives_inter();
	test_bubble_skew();
	test_step_tp_pp();
	test_step_dp();
	test_step_ep();
	test_step_errors();
	return check_done();
}
