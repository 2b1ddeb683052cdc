/*
 * cluster.h — a training run on a cluster: the parallel layout that fits
 * in device memory and trains fastest (layout.h, memory.h), its step time
 * from the per-device kernel model (cost.h, cost_shard_step_seconds) and
 * the step's communication (comm.h), and what that makes of a whole run.
 *
 * Step time of a layout (Narayanan et al. 2021, Sec. 2.2 and 3; the
 * assumptions are the constants below):
 *
 *   t_mb    one micro-batch forward and backward on the busiest pipeline
 *           stage (the first holds the embedding, the last the logits),
 *           plus a forward again under full recomputation, plus that
 *           stage's tensor-parallel collectives and MoE all-to-alls (they
 *           sit on the critical path of each layer) less what the
 *           framework's overlap hides of the all-to-alls (below);
 *   compute (m + (pp - 1) / v) t_mb: the 1F1B schedule with its bubble,
 *           v = 1, or the interleaved one with v model chunks per stage
 *           (Sec. 2.2.2);
 *   comm    the pipeline sends (v times as many when interleaved; none
 *           under DualPipe, below), and the data-parallel gradient traffic
 *           less what the backward passes of the step hide
 *           (CLUSTER_DP_OVERLAP of their length), all collectives at
 *           CLUSTER_COMM_EFFICIENCY of the links' bandwidth;
 *   optim   the Adam update of the device's share of the optimizer state,
 *           memory-bound: CLUSTER_ADAM_BYTES per parameter at the STREAM
 *           class's bandwidth (cost.h);
 *   step    compute + comm + optim.
 *
 * Expert-parallel all-to-all overlap, a property of the framework, not a
 * layout choice (enum cluster_ep_overlap; the default is none):
 *   none    the dispatch and combine all-to-alls wait for and hold up the
 *           layer's computation: Megatron-Core's MoE layer (Megatron-Core
 *           MoE documentation, "moe_token_dispatcher_type alltoall") and
 *           DeepSpeed-MoE run them on the compute stream's critical path;
 *           the default, for it is what a run gets unless its framework
 *           says otherwise;
 *   shared  the all-to-alls overlap the shared experts' computation, as
 *           DeepSeek-V2's HAI-LLM does (DeepSeek-AI 2024, arXiv:2405.04434,
 *           Sec. 3.2.1: "we overlap the computation of shared experts with
 *           the expert parallel all-to-all communication"): hidden up to the
 *           shared experts' seconds;
 *   full    DualPipe (DeepSeek-AI 2024, arXiv:2412.19437, Sec. 3.2.1):
 *           a forward and a backward chunk of two micro-batches run at once,
 *           "both all-to-all and PP communication can be fully hidden":
 *           the all-to-alls hidden up to the micro-batch's computation, the
 *           pipeline sends hidden.  (DualPipe's smaller bubble, its Table
 *           2, is not modelled: the 1F1B bubble stands, an overestimate.)
 *
 * A whole run takes tokens / tokens per second / CLUSTER_GOODPUT of wall
 * clock: restarts after failures, checkpointing and evaluation.
 *
 * Device-seconds per token = step x G / tokens per step; MFU = the
 * architecture's training FLOPs per token (arch.h, itemised) x tokens per
 * step / (step x G x the dtype's peak).
 */
#ifndef MP_CLUSTER_H
#define MP_CLUSTER_H

#include <stddef.h>

#include "arch.h"
#include "comm.h"
#include "cost.h"
#include "error.h"
#include "layout.h"
#include "memory.h"

/* A FlashAttention-2 kernel's share of the device's dense peak in
 * training: Dao 2023 (arXiv:2307.08691) reports forward plus backward at
 * 50-73% of the A100's theoretical peak (Sec. 4.1, Fig. 5-6, head
 * dimension 64-128, causal and not); the low end, since end-to-end runs
 * see less than the kernel benchmarks.  An assumption until a calibration
 * measures it. */
#define CLUSTER_ATTN_EFFICIENCY 0.5
/* The fraction of the backward passes' time that the data-parallel
 * gradient reduce-scatter (and ZeRO's all-gathers) can hide: Megatron-LM
 * and DeepSpeed overlap them bucket by bucket with the backward pass
 * (--overlap-grad-reduce); the last bucket, the optimizer step and
 * contention for the links are not hidden.  An assumption, 0.8. */
#define CLUSTER_DP_OVERLAP 0.8
/* The share of a link's bandwidth a ring collective achieves: NCCL's
 * bus bandwidth on 8-GPU NVLink servers runs at 75-85% of the links'
 * figure (nccl-tests, all_reduce_perf busbw on DGX A100 and H100 as NVIDIA
 * publishes it); an assumption, 0.8. */
#define CLUSTER_COMM_EFFICIENCY 0.8
/* Bytes one Adam step moves per parameter with fp32 master weights:
 * reads master, m, v (4 each) and the bf16 gradient (2), writes master,
 * m, v and the bf16 working copy (ZeRO Sec. 3.1's states): 28. */
#define CLUSTER_ADAM_BYTES 28.0
/* The share of a run's wall clock that trains: Dubey et al. 2024 (the
 * Llama 3 paper, arXiv:2407.21783, Sec. 3.3.4) report "higher than 90%
 * effective training time" over 54 days on 16K H100s, with 419
 * interruptions.  Applied to whole runs, the same for every run. */
#define CLUSTER_GOODPUT 0.9
/* The global batch when none is given: 2^22 tokens, the "4M" of LLaMA
 * and Llama 2 (Touvron et al. 2023, Table 2; the Llama 2 model card). */
#define CLUSTER_BATCH_TOKENS 4194304.0
/* Layouts kept from one search (more are counted, not timed). */
#define CLUSTER_MAX_LAYOUTS 65536

/* How much of the expert-parallel all-to-alls the framework hides (see
 * the top of this file). */
enum cluster_ep_overlap {
	CLUSTER_EP_OVERLAP_NONE = 0,
	CLUSTER_EP_OVERLAP_SHARED,
	CLUSTER_EP_OVERLAP_FULL,
};

/* What a run is spread over and how it trains. */
struct cluster_spec {
	int devices;                   /* G */
	double device_bytes;           /* memory of one device */
	struct comm_links links;
	const struct cost_model *cost; /* one device's kernels */
	double peak;                   /* the dtype's dense FLOP/s, for MFU */
	double gemm_speedup;           /* the run's dtype's peak over the cost
	                                  model's (an FP8 run on a bf16
	                                  profile: 2); 0 or 1: none */
	double batch_tokens;           /* global batch per step, tokens */
	double skew;                   /* Zipf routing skew, 0: balanced */
	int max_micro_batch;           /* sequences per micro-batch, up to */
	struct memory_precision precision;
	struct memory_act_model act;
	enum cluster_ep_overlap ep_overlap; /* the framework's; default none */
	/* fields > 0 (for zero and recompute: >= 0) are pinned; the others
	 * free: cluster_spec_init leaves everything free */
	struct layout pin;
};

/* The fastest layout that fits, and its figures. */
struct cluster_run {
	struct layout layout;
	struct memory_use memory;
	struct comm_step comm;
	double t_mb;                   /* one micro-batch on the busiest stage,
	                                  its tp and ep communication in */
	double compute;                /* (m + (pp - 1) / v) t_mb */
	double comm_exposed;           /* communication on the step's critical
	                                  path (inside t_mb: tp, ep_exposed;
	                                  and pp_exposed, dp_exposed) */
	double ep_exposed;             /* the all-to-alls the overlap leaves */
	double pp_exposed;             /* the pipeline sends it leaves */
	double dp_exposed;             /* the data-parallel part of it */
	double optimizer;              /* the Adam update */
	double step;                   /* seconds */
	double tokens_per_step;
	double tokens_per_second;      /* the whole cluster */
	double seconds_per_token;      /* device-seconds per token */
	double mfu;
	double skew_factor;            /* busiest expert-parallel rank */
	size_t n_fit;                  /* layouts that fit */
};

/* Defaults: mixed-precision Adam, fused attention, no dropout, balanced
 * routing, micro-batches up to 8 sequences, nothing pinned. */
void cluster_spec_init(struct cluster_spec *c);

/* Whether layout l is allowed by c's pins. */
int cluster_pin_allows(const struct cluster_spec *c, const struct layout *l);

/* The step time of a under layout l (which must fit), filling r. */
int cluster_time(const struct cluster_spec *c, const struct arch *a,
                 const struct arch_params *pa, const struct layout *l,
                 struct cluster_run *r, struct mp_error *err);

/* The fastest layout of a on c that fits in memory and the pins allow;
 * -1 with err ("no layout of ... fits in ... GB": naming the smallest
 * memory per device it would need) when none does. */
int cluster_best(const struct cluster_spec *c, const struct arch *a,
                 struct cluster_run *r, struct mp_error *err);

#endif
