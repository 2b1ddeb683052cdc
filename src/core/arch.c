/*
 * arch.c — parameter counts and itemised forward FLOPs per token of a
 * decoder-only transformer, dense or mixture-of-experts (see arch.h).
 *
 * Layout counted (Llama/Mixtral style, no biases):
 *   embedding  V d input, plus V d output unless tied;
 *   attention  Q and O are d x (h k), K and V are d x (g k) each (GQA: g kv
 *              heads; MHA: g = h);
 *   FFN        m matrices of d x f (m = 2 for GELU/ReLU, 3 for SwiGLU);
 *   MoE layer  router d x E, E routed experts and s shared experts, each an
 *              FFN of hidden size f_e; top_k routed experts run per token;
 *   norms      two gains of d per layer (before attention and FFN) and a
 *              final one: 2 n_layer d + d.
 *
 * MoE-every-n convention: layer i (0-based) is an MoE layer when
 * (i + 1) % moe_every == 0, so moe_every = 2 makes the 2nd, 4th, ... layers
 * MoE, as in GShard/Switch "every other FFN layer" and Qwen2-MoE's
 * decoder_sparse_step; there are floor(n_layer / moe_every) MoE layers.
 *
 * FLOPs per token, forward (Hoffmann et al. 2022, Appendix F, divided by the
 * sequence length S; a multiply-add is 2 FLOPs):
 *   QKV        2 d (h k + 2 g k)      (Chinchilla: 2*3 d (h k) for MHA)
 *   scores     2 S (h k)               Q·K^T over the full context
 *   softmax    3 h S
 *   values     2 S (h k)               softmax·V
 *   output     2 (h k) d
 *   FFN        2 m d f                 (Chinchilla: 2 (2 d f), m = 2)
 *   router     2 d E                   per MoE layer
 *   experts    2 m d f_e top_k         per MoE layer; shared: 2 m d f_e s
 *   logits     2 d V
 * The embedding lookup is a gather, not a matmul: 0 FLOPs (Chinchilla's
 * 2 S V d embedding term is the known miscount).  Norms, residual adds and
 * activations are not counted, as in Appendix F.  Training = 3 x forward
 * (backward = 2 x forward).
 */
#include "config.h"

#include "arch.h"

/* Largest size accepted in any one dimension; keeps every product below
 * overflow when taken in double and any int arithmetic exact. */
#define ARCH_DIM_MAX 100000000

static int positive(struct mp_error *err, const char *name, int v)
{
	if (v < 1 || v > ARCH_DIM_MAX)
		return mp_error_set(err, "%s must be from 1 to %d, got %d",
		                    name, ARCH_DIM_MAX, v);
	return 0;
}

static int check_attention(const struct arch *a, struct mp_error *err)
{
	if (positive(err, "heads", a->heads) != 0 ||
	    positive(err, "kv_heads", a->kv_heads) != 0 ||
	    positive(err, "head_dim", a->head_dim) != 0)
		return -1;
	if (a->kv_heads > a->heads || a->heads % a->kv_heads != 0)
		return mp_error_set(err, "kv_heads (%d) must divide heads (%d)",
		                    a->kv_heads, a->heads);
	return 0;
}

static int check_moe(const struct arch *a, struct mp_error *err)
{
	if (a->experts < 0 || a->experts > ARCH_DIM_MAX)
		return mp_error_set(err, "experts must be from 0 to %d, got %d",
		                    ARCH_DIM_MAX, a->experts);
	if (a->experts == 0)
		return 0;   /* dense: the other MoE fields are ignored */
	if (a->top_k < 1 || a->top_k > a->experts)
		return mp_error_set(err, "top_k must be from 1 to experts (%d), got %d",
		                    a->experts, a->top_k);
	if (positive(err, "d_expert", a->d_expert) != 0 ||
	    positive(err, "moe_every", a->moe_every) != 0)
		return -1;
	if (a->shared_experts < 0 || a->shared_experts > ARCH_DIM_MAX)
		return mp_error_set(err, "shared_experts must be from 0 to %d, got %d",
		                    ARCH_DIM_MAX, a->shared_experts);
	if (a->moe_every > a->layers)
		return mp_error_set(err, "moe_every (%d) exceeds layers (%d): "
		                    "no layer would be MoE", a->moe_every, a->layers);
	return 0;
}

int arch_check(const struct arch *a, struct mp_error *err)
{
	if (positive(err, "layers", a->layers) != 0 ||
	    positive(err, "d_model", a->d_model) != 0 ||
	    positive(err, "d_ff", a->d_ff) != 0 ||
	    positive(err, "vocab", a->vocab) != 0 ||
	    positive(err, "seq", a->seq) != 0)
		return -1;
	if (check_attention(a, err) != 0)
		return -1;
	if (a->mlp_matrices != 2 && a->mlp_matrices != 3)
		return mp_error_set(err, "mlp_matrices must be 2 or 3, got %d",
		                    a->mlp_matrices);
	if (a->tied != 0 && a->tied != 1)
		return mp_error_set(err, "tied must be 0 or 1, got %d", a->tied);
	return check_moe(a, err);
}

int arch_moe_layers(const struct arch *a)
{
	if (a->experts <= 0 || a->moe_every < 1)
		return 0;
	/* layers i with (i + 1) % moe_every == 0, i = 0 .. n_layer - 1 */
	return a->layers / a->moe_every;
}

void arch_count_params(const struct arch *a, struct arch_params *p)
{
	double d = a->d_model, L = a->layers;
	double d_attn = (double)a->heads * a->head_dim;      /* h k */
	double d_kv = (double)a->kv_heads * a->head_dim;     /* g k */
	double m = a->mlp_matrices;
	double n_moe = arch_moe_layers(a), n_dense = L - n_moe;
	double ffn_expert = m * d * a->d_expert;             /* one expert */

	p->embedding = (double)a->vocab * d * (a->tied ? 1 : 2);
	p->attention = L * (2 * d * d_attn + 2 * d * d_kv);  /* Q,O + K,V */
	p->mlp = n_dense * m * d * a->d_ff;
	p->router = n_moe * d * a->experts;
	p->experts_total = n_moe * a->experts * ffn_expert;
	p->experts_active = n_moe * a->top_k * ffn_expert;
	p->shared = n_moe * a->shared_experts * ffn_expert;
	p->norms = 2 * L * d + d;
	p->nonemb_total = p->attention + p->mlp + p->router + p->experts_total +
	                  p->shared + p->norms;
	p->nonemb_active = p->attention + p->mlp + p->router + p->experts_active +
	                   p->shared + p->norms;
	p->total = p->embedding + p->nonemb_total;
	p->active = p->embedding + p->nonemb_active;
}

void arch_count_flops(const struct arch *a, struct arch_flops *f)
{
	double d = a->d_model, L = a->layers, S = a->seq;
	double d_attn = (double)a->heads * a->head_dim;
	double d_kv = (double)a->kv_heads * a->head_dim;
	double m = a->mlp_matrices;
	double n_moe = arch_moe_layers(a), n_dense = L - n_moe;

	/* Hoffmann et al. 2022, Appendix F, per token (per sequence / S) */
	f->attn_qkv = L * 2 * d * (d_attn + 2 * d_kv);
	f->attn_scores = L * 2 * S * d_attn;
	f->attn_softmax = L * 3.0 * a->heads * S;
	f->attn_values = L * 2 * S * d_attn;
	f->attn_out = L * 2 * d_attn * d;
	f->mlp = n_dense * 2 * m * d * a->d_ff;
	/* router GEMM [T x d]·[d x E]: 2 d E per token per MoE layer */
	f->router = n_moe * 2 * d * a->experts;
	f->experts = n_moe * a->top_k * 2 * m * d * a->d_expert;
	f->shared = n_moe * a->shared_experts * 2 * m * d * a->d_expert;
	f->logits = 2 * d * a->vocab;   /* the embedding lookup costs 0 */
	f->forward = f->attn_qkv + f->attn_scores + f->attn_softmax +
	             f->attn_values + f->attn_out + f->mlp + f->router +
	             f->experts + f->shared + f->logits;
	f->training = 3 * f->forward;   /* backward = 2 x forward */
}
