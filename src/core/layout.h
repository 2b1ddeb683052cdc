/*
 * layout.h — a parallel layout of a training run: how G devices split the
 * model and the batch (tensor, pipeline, data, expert and context
 * parallelism), the ZeRO stage, the recomputation policy and the
 * micro-batches; its checks; and the search over the layouts a framework
 * would use for G devices, keeping those that fit in device memory.
 *
 * Plain value types.  layout_search fills a caller-owned array; nothing
 * here allocates.
 *
 * Ranks are ordered as Megatron-Core orders them by default
 * ("tp-cp-ep-dp-pp", megatron/core/parallel_state.py): tensor-parallel
 * ranks are consecutive, then context-parallel, then data-parallel, then
 * pipeline stages outermost; nodes hold consecutive ranks.  So a
 * tensor-parallel group has stride 1, a context-parallel group stride tp,
 * a data-parallel group (with cp: the ranks that share gradients) dp cp
 * ranks of stride tp, and a pipeline group stride tp cp dp.  Experts use
 * Megatron-Core's second grid over the same ranks, "tp-ep-dp-pp" with the
 * expert tensor-parallel size equal to tp: an expert-parallel group has
 * stride tp and the expert-data-parallel group, dp cp / ep ranks, stride
 * tp ep (comm.h uses the strides to tell which groups span nodes).
 */
#ifndef MP_LAYOUT_H
#define MP_LAYOUT_H

#include "arch.h"
#include "error.h"

enum layout_recompute {
	LAYOUT_RECOMPUTE_NONE = 0,   /* store every activation */
	LAYOUT_RECOMPUTE_SELECTIVE,  /* recompute the attention core (Korthikanti
	                                et al. 2022 Sec. 5) */
	LAYOUT_RECOMPUTE_FULL,       /* store each layer's input only, recompute
	                                the layer in the backward pass */
};

struct layout {
	int tp;             /* tensor parallel (Megatron, within a node) */
	int pp;             /* pipeline stages */
	int dp;             /* data parallel: G = tp cp pp dp */
	int ep;             /* expert parallel, carved out of dp (1 = none) */
	int cp;             /* context parallel: the sequence split (1 = none) */
	int zero;           /* ZeRO stage over data parallelism, 0 to 3 */
	enum layout_recompute recompute;
	int sequence_parallel; /* 1: Korthikanti's sequence parallelism with tp */
	int micro_batch;    /* b: sequences per micro-batch */
	int micro_batches;  /* m: micro-batches per step per pipeline (gradient
	                       accumulation); the global batch is b m dp */
	int vpp;            /* v: model chunks per pipeline stage, the
	                       interleaved 1F1B schedule (Narayanan et al. 2021
	                       Sec. 2.2.2); 0 or 1: the plain 1F1B schedule */
};

/* The model chunks per stage of l: vpp, or 1 when it is 0 or 1. */
int layout_chunks(const struct layout *l);

/* The devices a layout uses: tp cp pp dp. */
int layout_devices(const struct layout *l);

/* Checks a layout against an architecture: degrees positive, tp divides
 * heads and kv_heads (or kv_heads divides tp), pp <= layers, ep divides
 * experts and dp cp, ep 1 for a dense model, cp divides seq, zero 0-3,
 * b and m positive; vpp > 1 only with pp > 1, at least one layer per
 * chunk (pp vpp <= layers; chunks need not be equal, as stages need not:
 * Llama 3 405B ran 126 layers on 16 stages, Dubey et al. 2024 Sec.
 * 3.3.2) and m a multiple of pp (Megatron-LM's interleaved schedule requires it:
 * megatron/core/pipeline_parallel/schedules.py,
 * forward_backward_pipelining_with_interleaving).  The message names the
 * field. */
int layout_check(const struct layout *l, const struct arch *a,
                 struct mp_error *err);

/* Layers on pipeline stage `stage` (0-based): ceil or floor of layers/pp,
 * the first stages taking the remainder. */
int layout_stage_layers(const struct layout *l, const struct arch *a,
                        int stage);
/* The first layer (0-based) of stage `stage`. */
int layout_stage_first(const struct layout *l, const struct arch *a,
                       int stage);
/* The MoE layers on stage `stage`. */
int layout_stage_moe_layers(const struct layout *l, const struct arch *a,
                            int stage);

/* Pipeline stages the search tries, at most. */
#define LAYOUT_MAX_PP 64
/* Model chunks per stage the search tries, at most, in powers of two
 * (1, 2, 4, 8): the bubble falls as 1/v while the sends grow as v, so the
 * gain from v to 2v halves each time and a coarse grid loses little.  A
 * finer grid (every v to 8) made the planner's model size jump down by 2%
 * between two budgets inside its flat-loss tolerance
 * (tests/unit/test_stable) and changed no benchmark run.  Any v up to
 * this can be pinned (--layout vpp=). */
#define LAYOUT_MAX_VPP 8

/* What the search may choose from (layout_search). */
struct layout_space {
	int devices;           /* G */
	int devices_per_node;  /* tp is a power of two at most this */
	double device_bytes;   /* a layout fits if memory_per_device's total
	                          (the workspace margin included) is at most
	                          this */
	int global_batch;      /* sequences per step: b m dp must equal it */
	int max_micro_batch;   /* b from 1 to this (8 is usual) */
};

struct memory_precision;
struct memory_act_model;

/*
 * The layouts a framework would use for s->devices devices that fit:
 * tp a power of two within a node dividing the heads, pp up to the layers
 * and LAYOUT_MAX_PP (stages of unequal layer counts allowed), dp = G / (tp pp), ep dividing the experts and dp (1 for a dense
 * model), cp 1, sequence parallelism whenever tp > 1, ZeRO 0-3 (0 alone
 * when dp = 1, where the stages are the same), each recomputation policy,
 * b from 1 to max_micro_batch and m = global_batch / (b dp) whole, vpp
 * 1, 2, 4 .. LAYOUT_MAX_VPP where layout_check allows it.  Writes up to
 * max of them to out in that order (tp, pp, ep, zero, recompute, b, vpp
 * nested, outermost first) and their count, all of them, to *n; 0.  -1
 * with err if the space itself is unusable (no devices, no batch).
 */
int layout_search(const struct layout_space *s, const struct arch *a,
                  const struct arch_params *pa,
                  const struct memory_precision *p,
                  const struct memory_act_model *m, struct layout *out,
                  size_t max, size_t *n, struct mp_error *err);

/* The index of the layout of list[0..n) with the fewest seconds by the
 * caller's step-time function (ties: the first); -1 if n is 0 or every
 * time is NaN or infinite. */
typedef double (*layout_seconds_fn)(const struct layout *l, void *ctx);
long layout_fastest(const struct layout *list, size_t n,
                    layout_seconds_fn seconds, void *ctx);

#endif
