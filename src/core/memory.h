/*
 * memory.h — memory per device of a training run: weights, gradients and
 * optimizer state by precision, optimizer, ZeRO stage and parallel
 * sharding; activations per layer by recomputation policy; MoE dispatch
 * buffers; the pipeline's in-flight micro-batches; a workspace margin.
 *
 * Plain value types; nothing here allocates.  Bytes are raw counts
 * (1 GB = 1e9 bytes).
 *
 * Model states (Rajbhandari et al. 2020, "ZeRO: Memory Optimizations
 * Toward Training Trillion Parameter Models", Sec. 3.1): mixed-precision
 * Adam keeps 2 bytes of bf16/fp16 weights, 2 of gradients and K = 12 of
 * optimizer state (fp32 master weights, momentum and variance) per
 * parameter: 16 bytes.  ZeRO (Sec. 5, Fig. 1) shards over the N_d
 * data-parallel ranks the optimizer state (stage 1, P_os), also the
 * gradients (stage 2, P_os+g) and also the weights (stage 3, P_os+g+p).
 *
 * Sharding by parallelism: dense (non-expert) weights split over tp and
 * pp; expert weights over ep, tp (Megatron-Core's default expert tensor
 * parallel size is tp) and pp.  Total parameters set memory, active
 * parameters set FLOPs.  ZeRO shards dense states over the dp cp
 * data-parallel ranks (Megatron's distributed optimizer shards over data
 * and context parallelism) and expert states over the dp cp / ep
 * expert-data-parallel ranks.  The embedding sits on the first stage and
 * the output layer on the last (both on the one stage when pp = 1), split
 * by tp (vocabulary parallel).
 *
 * Activations (Korthikanti et al. 2022, "Reducing Activation
 * Recomputation in Large Transformer Models", Sec. 4.1, Eq. 1-2, Table 2)
 * per layer and micro-batch, with s the sequence (s / cp per rank), b the
 * micro-batch, h = d_model, a heads, t = tp, all in 2-byte elements and
 * 1-byte dropout masks:
 *
 *   GPT-3 layer, no parallelism:  s b h (34 + 5 a s / h)        (Eq. 1)
 *   tensor parallel:              s b h (10 + 24/t + 5 a s/(h t)) (Eq. 2)
 *   + sequence parallel:          s b h (34/t + 5 a s/(h t))
 *   + selective recomputation:    s b h (34/t)
 *   full recomputation:           s b h 2
 *
 * itemised as layer norms 4sbh, attention 11sbh + 5as^2b (QKV input 2sbh,
 * Q and K 4sbh, V 2sbh, softmax output 2as^2b, its dropout mask as^2b and
 * output 2as^2b, output-projection input 2sbh, dropout mask sbh) and MLP
 * 19sbh (inputs of the two linear layers 2sbh and 8sbh, GeLU input 8sbh,
 * dropout mask sbh).  Adapted here to
 *   - GQA: Q and the attention output are s b (a k), K and V s b (kv k)
 *     (k = head_dim), 2 bytes each;
 *   - SwiGLU (mlp_matrices 3, width f): the gate-and-up input 2sbh, the
 *     gate and up outputs 4sbf (Megatron's fused SwiGLU saves its input
 *     and recomputes SiLU), the down-projection input 2sbf; a 2-matrix
 *     MLP of width f: 2sbh + 2sbf (activation input) + 2sbf (fc2 input);
 *   - a fused attention kernel (FlashAttention, Dao 2023, Alg. 1-2) that
 *     stores no s x s matrix: the 5as^2b term is replaced by the softmax
 *     statistics, one fp32 log-sum-exp per head and query, 4 a s b;
 *   - dropout off by default (modern pre-training); on, it adds the masks
 *     of the attention output and MLP output, sbh each, and 3as^2b on an
 *     unfused score matrix;
 *   - MoE layers: the router's fp32 probabilities 4sbE, the dispatch
 *     buffer (top_k copies of the token activations, 2sbh k), the expert
 *     outputs kept for the combine's gate gradient (2sbh k) and the expert
 *     hidden activations of the top_k experts (the MLP items above at
 *     width d_expert, for k tokens per token), plus the shared experts'.
 *     Expert items are scaled by the busiest-rank factor under routing
 *     skew (1 = balanced).
 * With sequence parallelism every item is divided by t (Korthikanti Sec.
 * 4.2.2); without, the norms, the layer inputs and dropout masks (10sbh)
 * are replicated and the rest divided by t.  Selective recomputation
 * drops the s x s items (and changes nothing with a fused kernel); full
 * recomputation stores 2sbh (divided by t with sequence parallelism, as
 * the layer input is then sequence-sharded) per layer plus one layer's
 * working set during its recomputation.
 *
 * Pipeline (Narayanan et al. 2021, Sec. 2.2.1; Korthikanti Sec. 4.2.3):
 * with 1F1B the first stage holds min(pp, m) micro-batches in flight, the
 * last stage one; interleaved over v chunks, the first stage pp + (pp -
 * 1) / v (Korthikanti Sec. 4.2.3: 1 + (p - 1)/(p v) times 1F1B's); the last stage also holds the output layer's input and
 * the fp32 logits for the loss, 4sbh/t (1 + V/h) (Korthikanti Sec. 4.3).
 * The busiest of the first and the last stage is reported.
 */
#ifndef MP_MEMORY_H
#define MP_MEMORY_H

#include "arch.h"
#include "error.h"
#include "layout.h"

/* The framework's own workspace (CUDA context, NCCL buffers, allocator
 * fragmentation, cuBLAS workspace) as a fraction of the device's memory:
 * an assumption, not a measurement.  PyTorch's caching allocator commonly
 * loses 5-10% to fragmentation and the CUDA context and NCCL take 1-3 GB
 * of an 80 GB device; 10% covers both. */
#define MEMORY_WORKSPACE_FRACTION 0.10

/* Bytes per parameter and per activation element. */
struct memory_precision {
	double weight_bytes;   /* working copy: 2 (bf16) */
	double grad_bytes;     /* 2 (bf16 gradients, as in ZeRO's count) */
	double optim_bytes;    /* K: 12 for mixed-precision Adam */
	double act_bytes;      /* 2 (bf16 activations) */
};

/* Mixed-precision Adam (ZeRO Sec. 3.1): 2 + 2 + 12 = 16 bytes/param:
 * bf16 weights and gradients; fp32 master weights, momentum, variance. */
void memory_precision_adam_mixed(struct memory_precision *p);
/* Adam in fp32: 4 + 4 + 8 = 16 bytes/param (weights are the master copy;
 * momentum and variance 4 each); activations 4. */
void memory_precision_adam_fp32(struct memory_precision *p);

/* How activations are stored (see the top of this file). */
struct memory_act_model {
	int fused_attention;   /* 1: FlashAttention-style, no s x s matrix */
	int dropout;           /* 1: dropout masks are stored */
	double expert_skew;    /* busiest rank's tokens / the average, >= 1 */
};

/* The default: fused attention, no dropout, balanced routing. */
void memory_act_model_default(struct memory_act_model *m);

/* One layer's activations for one micro-batch on one rank, bytes. */
struct memory_layer_act {
	double norms;          /* the two norms' inputs */
	double attention;      /* QKV input, Q, K, V, output-projection input,
	                          dropout mask */
	double scores;         /* s x s items (unfused) or softmax statistics */
	double mlp;            /* dense FFN (0 on an MoE layer) */
	double moe;            /* router, dispatch, combine, experts, shared */
	double total;
};

/* Memory per device, itemised, bytes: the busiest pipeline stage. */
struct memory_use {
	int stage;             /* the stage reported: 0 or pp - 1 */
	double params_dense;   /* dense parameters on the device (unsharded by
	                          ZeRO) */
	double params_expert;  /* expert parameters on the device */
	double weights;        /* after ZeRO-3 */
	double grads;          /* after ZeRO-2 */
	double optimizer;      /* after ZeRO-1 */
	double act_layer_dense;/* one dense layer, one micro-batch */
	double act_layer_moe;  /* one MoE layer, one micro-batch (0 if dense) */
	double activations;    /* all layers and micro-batches in flight, the
	                          dispatch buffers included */
	double logits;         /* output layer input and fp32 logits (last
	                          stage) */
	double states;         /* weights + grads + optimizer */
	double workspace;      /* the margin */
	double total;          /* states + activations + logits + workspace */
	int in_flight;         /* micro-batches held (of the whole stage's
	                          layers; rounded up when interleaved) */
};

/* One layer's activations: layer `moe` (0 dense, 1 MoE) of a under l. */
void memory_layer_activations(const struct arch *a, const struct layout *l,
                              const struct memory_precision *p,
                              const struct memory_act_model *m, int moe,
                              struct memory_layer_act *out);

/* Model-state bytes for nparams parameters sharded by ZeRO `stage` over
 * n_d data-parallel ranks (ZeRO Sec. 5.1-5.3, Fig. 1):
 *   stage 0: (w + g + K) Psi;  1: (w + g) Psi + K Psi / N_d;
 *   stage 2: w Psi + (g + K) Psi / N_d;  3: (w + g + K) Psi / N_d.
 * weights, grads and optim may be NULL. */
double memory_states(double nparams, int stage, double n_d,
                     const struct memory_precision *p, double *weights,
                     double *grads, double *optim);

/* Parameters on one device of pipeline stage k (0-based): dense (split
 * by tp; the embedding on stage 0, the output layer on the last) and
 * expert (split by ep and tp), per-layer shares taken from pa so that the
 * stages add up to its counts. */
void memory_stage_params(const struct arch *a, const struct arch_params *pa,
                         const struct layout *l, int k, double *dense,
                         double *expert);

/* Memory per device of a (parameters pa) under l, for a device of
 * device_bytes (0: the workspace margin is left out).  a and l must have
 * passed arch_check and layout_check. */
void memory_per_device(const struct arch *a, const struct arch_params *pa,
                       const struct layout *l,
                       const struct memory_precision *p,
                       const struct memory_act_model *m, double device_bytes,
                       struct memory_use *out);

#endif
