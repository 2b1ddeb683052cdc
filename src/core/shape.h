/*
 * shape.h — shape policy: from a target parameter count (and expert count,
 * granularity) to a realisable architecture.
 *
 * A policy is read from a model file's `shape:` section; it says how the
 * paper's models were shaped (aspect ratio, head size, FFN ratio, vocabulary,
 * experts).  shape_realise searches integer sizes for the architecture whose
 * parameter count, in the law's convention, is nearest to the target: within
 * 0.5-1% where the grid of sizes is fine (large N), the aspect ratio giving
 * way first where it is coarse (see shape.c).  Deterministic, about 10 us a
 * call.  Plain values; nothing allocates.
 */
#ifndef MP_SHAPE_H
#define MP_SHAPE_H

#include "arch.h"
#include "error.h"
#include "law.h"

struct shape_policy {
	double aspect;       /* d_model / n_layers aimed at */
	int d_multiple;      /* d_model is a multiple of this */
	int head_dim;        /* heads = d_model / head_dim */
	int kv_group;        /* query heads per kv head (1 = MHA) */
	int mlp_matrices;    /* 2 or 3 (SwiGLU) */
	double ffn_mult;     /* d_ff = ffn_mult * d_model ... */
	int ffn_multiple;    /* ... rounded up to a multiple of this */
	int vocab;
	int seq;
	int tied;
	/* MoE defaults, used when the law has no such variable */
	int experts;         /* expert count before granularity (expansion) */
	int top_k;           /* active experts before granularity */
	int shared_experts;
	int moe_every;
	double granularity;  /* G: experts*G experts of size d_ff/G, top_k*G active */
};

/* A sensible default (GPT-like, aspect 128, head 128, SwiGLU 8/3). */
void shape_policy_default(struct shape_policy *p);
/* -1 if a field is out of range, the error about it (MP_WHAT_SHAPE_KEY
 * named as the field is: "top_k", "mlp_matrices" ...). */
int shape_policy_check(const struct shape_policy *p, struct mp_error *err);

/*
 * Realise an architecture whose parameter count in convention `count` is
 * nearest to N.  experts <= 0 means the policy's experts (0 for a dense
 * path: pass moe = 0); granularity <= 0 means the policy's.  For
 * COUNT_DENSE_BASE the dense model is matched and then given experts.
 * Returns -1 with err for an invalid policy, N outside (0, 1e16], N below
 * half the smallest shape of the policy, or experts x granularity that is
 * not a whole number.
 */
int shape_realise(const struct shape_policy *p, enum law_count count,
                  double N, int moe, int experts, double granularity,
                  struct arch *out, struct mp_error *err);

/*
 * The MoE upcycled from a concrete dense architecture: the same layers,
 * widths and vocabulary, its FFN copied into experts by the policy's MoE
 * settings (experts, granularity as for shape_realise; top_k, shared
 * experts and moe_every from the policy).  -1 with err for an invalid
 * policy, a dense that is not dense, or experts x granularity not whole.
 */
int shape_upcycle(const struct shape_policy *p, const struct arch *dense,
                  int experts, double granularity, struct arch *out,
                  struct mp_error *err);
/* The count of a in convention c (COUNT_DENSE_BASE: the total of the same
 * model with every FFN dense, d_ff); NAN for an unknown c. */
double shape_count(const struct arch *a, enum law_count c);

#endif
