/*
 * serve.h — what serving a trained model costs over its lifetime: the
 * inference FLOPs of Sardana, Doubov and Frankle 2024 (arXiv:2401.00448,
 * Sec. 2: 2 N FLOPs per inference token, N the parameters a token uses),
 * and device-seconds on one device's kernel model (cost.h):
 *
 *   prefill  the prompt's tokens run the forward pass as GEMMs: a third of
 *            the device-seconds per training token (the forward pass is
 *            2N of training's 6N, Kaplan et al. 2020 Sec. 2.1);
 *   decode   one token per sequence per step, a batch of B sequences: the
 *            step reads every weight some token of the batch uses (the
 *            active weights at B = 1, all experts at large B) at the GEMM
 *            model's bandwidth, or computes 2 N_active B FLOPs at its
 *            peak, whichever is slower (a roofline, Williams et al. 2009).
 *            The KV cache's reads are not counted: decode at long contexts
 *            costs more than this.
 *
 * Pure values; nothing allocates.
 */
#ifndef MP_SERVE_H
#define MP_SERVE_H

#include "arch.h"
#include "cost.h"

/* Sardana et al. 2024, Sec. 2: inference FLOPs per token = 2 N. */
#define SERVE_FLOPS_PER_PARAM 2.0
/* Sequences decoded together when the request does not say: an
 * assumption (serving engines batch tens to hundreds of sequences). */
#define SERVE_DECODE_BATCH 64.0

/* The serving demand of a plan. */
struct serve_spec {
	double tokens;         /* inference tokens over the model's lifetime;
	                          0: none */
	double prefill_share;  /* the share of them that are prompt tokens
	                          (prefill); the rest are generated (decode) */
	double decode_batch;   /* sequences per decode step; 0: the default */
};

/* 2 N_active T (Sardana et al. 2024). */
double serve_flops(double active_params, double tokens);

/* Bytes of weights one decode step of `batch` sequences reads: every
 * weight but the input embedding's rows (a lookup), and of each MoE
 * layer's routed experts the share some token uses: balanced top-k routing
 * leaves an expert unused by one token with probability 1 - k/E, so a
 * batch touches 1 - (1 - k/E)^B of them. */
double serve_decode_bytes(const struct arch *a, const struct arch_params *pa,
                          double batch, double elem_bytes);

/* Device-seconds per generated token at decode batch `batch`. */
double serve_decode_seconds(const struct cost_model *cm, const struct arch *a,
                            const struct arch_params *pa, double batch);

/* Device-seconds per prompt token: the forward third of training's
 * device-seconds per token at tokens_per_step. */
double serve_prefill_seconds(const struct cost_model *cm, const struct arch *a,
                             int tokens_per_step);

/* Device-seconds of the whole demand s of a on cm; NAN if unknown. */
double serve_seconds(const struct cost_model *cm, const struct arch *a,
                     const struct serve_spec *s, int tokens_per_step);

#endif
