/*
 * comm.h — communication times of a training step: collectives under the
 * alpha-beta cost model over the links a group spans, and the per-step
 * communication terms of a parallel layout (tensor-parallel all-reduces,
 * the pipeline bubble and point-to-point sends, data-parallel gradient
 * reduce-scatter/all-gather by ZeRO stage, MoE all-to-alls).
 *
 * Pure arithmetic; nothing here allocates.  The links' figures come from
 * a hardware profile's cluster block (io/profile.h).
 *
 * The cost model (Thakur, Rabenseifner and Gropp 2005, "Optimization of
 * Collective Communication Operations in MPICH", Sec. 2 and 4; the ring
 * algorithms as NCCL runs them, NCCL's "Performance" notes on algorithm
 * bandwidth and bus bandwidth): for n ranks, a buffer of S bytes, the
 * per-device bandwidth B (bytes/s, one direction) and a per-step latency
 * alpha,
 *
 *   all-reduce (ring)        2 (n-1)/n S / B + 2 (n-1) alpha
 *   reduce-scatter (ring)      (n-1)/n S / B +   (n-1) alpha
 *   all-gather (ring)          (n-1)/n S / B +   (n-1) alpha
 *   all-to-all (pairwise)      (n-1)/n S / B +   (n-1) alpha
 *
 * S is the whole buffer: the reduced one, the gathered one, or what one
 * rank holds before an all-to-all.  (n-1)/n S / B is NCCL's bus bandwidth
 * relation: busBw = algBw 2(n-1)/n for all-reduce, (n-1)/n for the others,
 * and the bus bandwidth is bounded by B.
 *
 * Links: a group of n ranks with consecutive members `stride` ranks apart
 * (layout.h's rank order), nodes of D devices holding consecutive ranks,
 * has k = min(n, max(1, D / stride)) members per node and spans n / k
 * nodes.  Within a node, B = the intra-node bandwidth per device
 * (NVLink/xGMI).  A ring that spans nodes crosses each node boundary once
 * per channel, and NCCL spreads its channels over the NICs of the k
 * members (one per device, rail-optimised), so its bus bandwidth is
 * B = min(B_intra, k B_inter) with B_inter the NIC bandwidth per device;
 * its latency counts 2(n - N) intra-node and 2(N - 1) inter-node steps for
 * an all-reduce over N nodes, half that for reduce-scatter and all-gather
 * (NCCL src/graph/tuning.cc, ncclTopoTuneModel: nsteps, nInterSteps).
 * An all-to-all over N > 1 nodes sends (n - k)/n S through the rank's own
 * NIC and (k - 1)/n S over the intra-node links at once:
 *   max((n-k)/n S / B_inter, (k-1)/n S / B_intra) + (n-1) alpha_inter,
 * which is the formula above with B_inter when k = 1.
 */
#ifndef MP_COMM_H
#define MP_COMM_H

#include "arch.h"
#include "error.h"
#include "layout.h"
#include "memory.h"

/* A cluster's links, per device. */
struct comm_links {
	int devices_per_node;   /* D */
	double intra_bw;        /* bytes/s, one direction, per device, all
	                           its intra-node links together */
	double inter_bw;        /* bytes/s, one direction, per device: its
	                           share of the node's NICs */
	double intra_latency;   /* alpha per ring step within a node, s */
	double inter_latency;   /* alpha per ring step across nodes, s */
};

/* A communication group: size ranks, stride apart. */
struct comm_group {
	int size;
	int stride;
};

/* Members per node and nodes spanned (see above). */
int comm_group_per_node(const struct comm_links *c, struct comm_group g);
int comm_group_nodes(const struct comm_links *c, struct comm_group g);

/* Collective times, seconds, for a buffer of `bytes` (see above); 0 for
 * a group of one. */
double comm_all_reduce_seconds(const struct comm_links *c,
                               struct comm_group g, double bytes);
double comm_reduce_scatter_seconds(const struct comm_links *c,
                                   struct comm_group g, double bytes);
double comm_all_gather_seconds(const struct comm_links *c,
                               struct comm_group g, double bytes);
double comm_all_to_all_seconds(const struct comm_links *c,
                               struct comm_group g, double bytes);
/* A point-to-point send of `bytes` between two ranks `stride` apart:
 * alpha + bytes / B over the link they share. */
double comm_send_seconds(const struct comm_links *c, int stride,
                         double bytes);

/* The fraction of a 1F1B pipeline's step that is bubble, with pp stages
 * and m micro-batches: (pp - 1) / (m + pp - 1) (Narayanan et al. 2021,
 * "Efficient Large-Scale Language Model Training on GPU Clusters Using
 * Megatron-LM", Sec. 2.2.1: bubble time / ideal time = (p - 1) / m). */
double comm_bubble_fraction(int pp, int m);
/* The same for the interleaved schedule with v model chunks per stage:
 * the bubble shrinks to (pp - 1) / v micro-batch times, so the fraction
 * is ((pp - 1) / v) / (m + (pp - 1) / v) (Narayanan et al. 2021 Sec.
 * 2.2.2: bubble time / ideal time = (p - 1) / (v m)); v = 1 is
 * comm_bubble_fraction. */
double comm_bubble_fraction_interleaved(int pp, int m, int v);

/* The busiest expert-parallel rank's tokens over the average: counts[e]
 * tokens routed to each of the E experts (core/cost.h's
 * cost_routing_counts), experts placed in contiguous blocks of E / ep per
 * rank as Megatron-Core places them (rank r holds experts r E/ep ..).
 * With counts sorted by popularity, as cost_routing_counts makes them,
 * this is the worst placement.  1 when ep = 1 or the counts are even. */
double comm_busiest_rank_factor(const double *counts, int experts, int ep);

/* The communication of one training step on one device, seconds. */
struct comm_step {
	double tp;          /* tensor-parallel all-reduces (or reduce-scatter
	                       and all-gather pairs), all layers and
	                       micro-batches */
	double ep;          /* MoE all-to-alls, scaled by the skew factor */
	double dp;          /* data-parallel gradients (and ZeRO-3 weights) */
	double dp_exposed;  /* dp (1 - overlap) */
	double pp;          /* pipeline sends of activations and gradients */
	double total;       /* tp + ep + dp_exposed + pp */
	double bubble;      /* comm_bubble_fraction: a fraction of the step */
	int tp_collectives; /* per layer and micro-batch: 4, or 6 with full
	                       recomputation */
	int ep_collectives; /* per MoE layer and micro-batch: 4, or 6 */
};

/* What a step's communication depends on besides the layout. */
struct comm_step_input {
	const struct arch *arch;
	const struct arch_params *params;
	const struct layout *layout;
	const struct memory_precision *precision;
	const struct comm_links *links;
	double skew_factor;  /* busiest expert-parallel rank over the average,
	                        >= 1 (comm_busiest_rank_factor) */
	double dp_overlap;   /* the fraction of the data-parallel traffic
	                        hidden behind the backward pass, 0 to 1: the
	                        caller's stated assumption */
	int stage;           /* the pipeline stage whose layers the tensor-
	                        and expert-parallel terms count (0: the
	                        first) */
};

/*
 * Per-step terms (the counts' sources):
 *  - tensor parallel: per layer and micro-batch 2 all-reduces forward and
 *    2 backward of s b h elements (Shoeybi et al. 2019, Megatron-LM, Fig.
 *    4; Narayanan et al. 2021 Sec. 2.3), each a reduce-scatter and an
 *    all-gather of the same volume with sequence parallelism (Korthikanti
 *    Sec. 4.2.2), 2 more for full recomputation's second forward; group tp,
 *    stride 1;
 *  - expert parallel: per MoE layer and micro-batch 2 all-to-alls forward
 *    (dispatch, combine) and 2 backward, 2 more with full recomputation,
 *    of the rank's s b / (cp tp) tokens x top_k x h elements (Megatron-Core
 *    requires sequence parallelism with MoE and tp > 1), times the skew
 *    factor; group ep, stride tp;
 *  - data parallel, once per step: gradients of the device's parameters
 *    in grad_bytes, over dp cp ranks of stride tp for dense parameters and
 *    dp cp / ep ranks of stride tp ep for expert ones: an all-reduce
 *    (ZeRO 0), a reduce-scatter of the gradients and an all-gather of the
 *    updated weights in weight_bytes (ZeRO 1, 2: the same volume as an
 *    all-reduce, ZeRO Sec. 7.2.1), and for ZeRO 3 an all-gather of the
 *    weights in each micro-batch's forward and backward pass as well
 *    (ZeRO Sec. 7.2.2: 1.5x the all-reduce volume at m = 1);
 *  - pipeline: per micro-batch each stage sends its output forward and
 *    its input gradient back, s b h / tp elements each (Narayanan et al.
 *    2021 Sec. 4.1, the scatter/gather optimisation), over the link to
 *    the next stage (stride tp cp dp); v times as many with v model
 *    chunks per stage (Sec. 2.2.2: "the amount of communication also
 *    increases by v").  Sends overlap nothing here.
 * The in-flight sends of different stages run at once: the terms are one
 * device's, the busiest stage's being the same as any other's.
 */
int comm_step_seconds(const struct comm_step_input *in, struct comm_step *out,
                      struct mp_error *err);

#endif
