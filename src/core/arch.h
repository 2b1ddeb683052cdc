/*
 * arch.h — a concrete decoder-only transformer, dense or MoE: its parameter
 * counts and its itemised FLOPs per token.
 *
 * Plain value types; nothing here allocates.  FLOPs count a multiply-add as
 * 2 FLOPs.  Forward FLOPs per token follow Hoffmann et al. 2022 Appendix F
 * (attention over the full context S, softmax 3hS); training = 3 x forward
 * (backward = 2 x forward).  An embedding lookup is not a matmul (0 FLOPs);
 * the logits are.  The router GEMM [T x d]·[d x E] costs 2dE per token on
 * each MoE layer.
 *
 * The fields after moe_every describe what the published families add to
 * that layout (DeepSeek-V2/V3, Qwen2-MoE); each is 0 when unused, so a
 * struct that leaves them zero is the plain layout above.
 */
#ifndef MP_ARCH_H
#define MP_ARCH_H

#include "error.h"

struct arch {
	int layers;          /* n_layer */
	int d_model;         /* d */
	int heads;           /* query heads h */
	int kv_heads;        /* key/value heads (GQA); == heads for MHA */
	int head_dim;        /* k; d_attn = heads * head_dim */
	int d_ff;            /* dense FFN hidden size f */
	int mlp_matrices;    /* 2 (GELU/ReLU) or 3 (SwiGLU: gate, up, down) */
	int vocab;           /* V */
	int seq;             /* context length S */
	int tied;            /* 1 if the logits reuse the embedding matrix */
	/* mixture of experts; experts == 0 means dense */
	int experts;         /* routed experts per MoE layer (after granularity) */
	int top_k;           /* routed experts active per token */
	int d_expert;        /* hidden size of one routed expert */
	int shared_experts;  /* always-active experts, each of size d_expert */
	int moe_every;       /* every n-th layer is MoE (1 = all); others dense:
	                        layer i (0-based) is MoE if (i+1) % n == 0,
	                        so there are floor(layers / n) MoE layers */
	/* the layer rule, in full: layer i is MoE when i >= first_dense and
	 * (i - first_dense + 1) % moe_every == 0, unless it is one of
	 * dense_extra further dense layers; dense layers have d_ff */
	int first_dense;     /* leading dense layers (DeepSeek
	                        first_k_dense_replace) */
	int dense_extra;     /* layers the rule makes MoE that are dense all
	                        the same (Qwen2-MoE mlp_only_layers): counts
	                        do not depend on where they are */
	int d_shared;        /* hidden size of one shared expert; 0: d_expert */
	/* attention beyond GQA */
	int v_head_dim;      /* size of a value head; 0: head_dim */
	int q_lora_rank;     /* low-rank query: d -> q_lora_rank -> h k; 0: a
	                        full d x (h k) projection */
	int kv_lora_rank;    /* multi-head latent attention (MLA): keys and
	                        values come up from a shared latent of this
	                        size; 0: plain K and V projections */
	int rope_head_dim;   /* MLA: the part of head_dim carried by one RoPE
	                        key shared by all heads (the rest, head_dim -
	                        rope_head_dim, comes from the latent) */
};

/* Per-token forward FLOPs, itemised. */
struct arch_flops {
	double attn_qkv;      /* Q, K, V projections (MLA: down and up) */
	double attn_scores;   /* Q·K^T */
	double attn_softmax;  /* 3 h S */
	double attn_values;   /* softmax·V */
	double attn_out;      /* output projection */
	double mlp;           /* dense FFN layers */
	double router;        /* router GEMM on MoE layers */
	double experts;       /* routed experts, top_k active */
	double shared;        /* shared experts */
	double logits;        /* final projection to the vocabulary */
	double forward;       /* sum of the above */
	double training;      /* 3 x forward */
};

struct arch_params {
	double embedding;     /* V d, plus V d again if untied */
	double attention;     /* all layers */
	double mlp;           /* dense FFN layers */
	double router;        /* d E per MoE layer */
	double experts_total; /* all routed experts */
	double experts_active;/* top_k routed experts */
	double shared;        /* shared experts */
	double norms;         /* RMSNorm/LayerNorm gains (and MLA's latent
	                         norms) */
	double total;         /* everything */
	double active;        /* used by one token */
	double nonemb_total;  /* total minus embedding (input and output) */
	double nonemb_active; /* active minus embedding */
};

/* Checks sizes (positive, heads divide, top_k <= experts, ...); the
 * message names the field.  An arch_spec (arch_spec.h) builds one from
 * the keys a person writes. */
int arch_check(const struct arch *a, struct mp_error *err);
/* Counts; a must have passed arch_check. */
void arch_count_params(const struct arch *a, struct arch_params *p);
void arch_count_flops(const struct arch *a, struct arch_flops *f);
/* Number of MoE layers (0 if dense). */
int arch_moe_layers(const struct arch *a);
/* Whether layer i (0-based) is MoE by the layer rule above (the
 * dense_extra layers taken as the rule's last MoE layers); over all i it
 * counts arch_moe_layers. */
int arch_layer_is_moe(const struct arch *a, int i);
/* How many of layers 0 .. j - 1 are MoE (the sum of arch_layer_is_moe
 * over them, in closed form). */
int arch_moe_layers_below(const struct arch *a, int j);

#endif
