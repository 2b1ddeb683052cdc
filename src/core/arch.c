/*
 * arch.c — parameter counts and itemised forward FLOPs per token of a
 * decoder-only transformer, dense or mixture-of-experts (see arch.h).
 *
 * Layout counted (Llama/Mixtral style, no biases):
 *   embedding  V d input, plus V d output unless tied;
 *   attention  Q and O are d x (h k), K and V are d x (g k) each (GQA: g kv
 *              heads; MHA: g = h); with value heads of size v, V is
 *              d x (g v) and O is (h v) x d;
 *   FFN        m matrices of d x f (m = 2 for GELU/ReLU, 3 for SwiGLU);
 *   MoE layer  router d x E, E routed experts and s shared experts, each an
 *              FFN of hidden size f_e (a shared one f_s, Qwen2-MoE's
 *              shared_expert_intermediate_size); top_k routed experts run
 *              per token;
 *   norms      two gains of d per layer (before attention and FFN) and a
 *              final one: 2 n_layer d + d.
 *
 * Low-rank queries and multi-head latent attention (MLA), DeepSeek-AI 2024,
 * "DeepSeek-V2", arXiv:2405.04434, Sec. 2.1.2-2.1.3, eqs. (9)-(19), as
 * Hugging Face's modeling_deepseek.py lays the weights out: with query rank
 * r_q, latent rank r_kv, RoPE part k_r of each q/k head of size k, and
 * value heads of size v,
 *   queries    W_DQ d x r_q, a norm of r_q, W_UQ r_q x (h k)   (eqs. 12, 13,
 *              15: k = k_nope + k_r; without r_q, one d x (h k))
 *   keys, vals W_DKV and W_KR together d x (r_kv + k_r) (eqs. 9, 17), a
 *              norm of r_kv, W_UK and W_UV together r_kv x h (k - k_r + v)
 *              (eqs. 10, 11)
 *   output     W_O (h v) x d                               (eq. 19)
 * The two latent norms are counted with the norms.  Training runs the
 * up-projections as matmuls (no weight absorption), so each weight costs
 * 2 FLOPs per token like any other.
 *
 * The layer rule: layer i (0-based) is an MoE layer when i >= first_dense
 * and (i - first_dense + 1) % moe_every == 0, less dense_extra layers
 * kept dense.  With first_dense = 0 that is GShard/Switch's "every other
 * FFN layer" and Qwen2-MoE's decoder_sparse_step ((i + 1) % n == 0);
 * first_dense = k, moe_every = 1 is DeepSeek's first_k_dense_replace; the
 * MoE layers number floor((n_layer - first_dense) / moe_every) -
 * dense_extra.
 *
 * FLOPs per token, forward (Hoffmann et al. 2022, Appendix F, divided by the
 * sequence length S; a multiply-add is 2 FLOPs):
 *   QKV        2 d (h k + g k + g v)  (Chinchilla: 2*3 d (h k) for MHA);
 *              MLA: 2 x its Q, K and V weights above
 *   scores     2 S (h k)               Q·K^T over the full context
 *   softmax    3 h S
 *   values     2 S (h v)               softmax·V
 *   output     2 (h v) d
 *   FFN        2 m d f                 (Chinchilla: 2 (2 d f), m = 2)
 *   router     2 d E                   per MoE layer
 *   experts    2 m d f_e top_k         per MoE layer; shared: 2 m d f_s s
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

static int in_range(struct mp_error *err, const char *name, int v, int hi)
{
	if (v < 0 || v > hi)
		return mp_error_set(err, "%s must be from 0 to %d, got %d", name,
		                    hi, v);
	return 0;
}

/* Low-rank queries and MLA (arch.h): ranks, and the RoPE part of a head. */
static int check_latent(const struct arch *a, struct mp_error *err)
{
	if (in_range(err, "v_head_dim", a->v_head_dim, ARCH_DIM_MAX) != 0 ||
	    in_range(err, "q_lora_rank", a->q_lora_rank, ARCH_DIM_MAX) != 0 ||
	    in_range(err, "kv_lora_rank", a->kv_lora_rank, ARCH_DIM_MAX) != 0 ||
	    in_range(err, "rope_head_dim", a->rope_head_dim, ARCH_DIM_MAX) != 0)
		return -1;
	if (a->kv_lora_rank == 0 && a->rope_head_dim != 0)
		return mp_error_set(err, "rope_head_dim needs kv_lora_rank (MLA)");
	if (a->kv_lora_rank > 0 && a->rope_head_dim >= a->head_dim)
		return mp_error_set(err, "rope_head_dim (%d) must be less than "
		                    "head_dim (%d): the rest of a head comes from "
		                    "the latent", a->rope_head_dim, a->head_dim);
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
	return check_latent(a, err);
}

/* The layer rule leaves at least one MoE layer. */
static int check_layer_rule(const struct arch *a, struct mp_error *err)
{
	long rule;

	if (positive(err, "moe_every", a->moe_every) != 0 ||
	    in_range(err, "first_dense", a->first_dense, a->layers - 1) != 0 ||
	    in_range(err, "dense_extra", a->dense_extra, ARCH_DIM_MAX) != 0)
		return -1;
	rule = (a->layers - a->first_dense) / a->moe_every;
	if (rule < 1)
		return mp_error_set(err, "moe_every (%d) exceeds the %d layers after "
		                    "first_dense: no layer would be MoE", a->moe_every,
		                    a->layers - a->first_dense);
	if (a->dense_extra >= rule)
		return mp_error_set(err, "dense_extra (%d) leaves none of the %ld "
		                    "MoE layers", a->dense_extra, rule);
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
	    in_range(err, "d_shared", a->d_shared, ARCH_DIM_MAX) != 0)
		return -1;
	if (a->shared_experts < 0 || a->shared_experts > ARCH_DIM_MAX)
		return mp_error_set(err, "shared_experts must be from 0 to %d, got %d",
		                    ARCH_DIM_MAX, a->shared_experts);
	return check_layer_rule(a, err);
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
	int n;

	if (a->experts <= 0 || a->moe_every < 1)
		return 0;
	/* layers i >= first_dense with (i - first_dense + 1) % moe_every == 0,
	 * i = 0 .. n_layer - 1, less the dense_extra kept dense */
	n = (a->layers - a->first_dense) / a->moe_every - a->dense_extra;
	return n > 0 ? n : 0;
}

/* The MoE layers among layers 0 .. j - 1 in closed form: the rule's
 * layers below j, (j - first_dense) / moe_every of them, capped at the
 * rule's count less the dense_extra (taken as its last ones, as in
 * arch_layer_is_moe). */
int arch_moe_layers_below(const struct arch *a, int j)
{
	int n, cap = arch_moe_layers(a);

	if (cap == 0 || j <= a->first_dense)
		return 0;
	n = (j - a->first_dense) / a->moe_every;
	return n < cap ? n : cap;
}

int arch_layer_is_moe(const struct arch *a, int i)
{
	int k, n_rule;

	if (a->experts <= 0 || a->moe_every < 1 || i < a->first_dense ||
	    (i - a->first_dense + 1) % a->moe_every != 0)
		return 0;
	/* the k-th MoE layer of the rule (0-based); the dense_extra kept dense
	 * are taken as the rule's last ones (where they are moves only which
	 * pipeline stage holds them, not a count) */
	k = (i - a->first_dense + 1) / a->moe_every - 1;
	n_rule = (a->layers - a->first_dense) / a->moe_every;
	return k < n_rule - a->dense_extra;
}

/* One layer's attention weights, split into the Q, K and V projections
 * (*qkv: each costs 2 FLOPs per token) and the output projection (*out);
 * *norms gets MLA's latent norms.  DeepSeek-V2 Sec. 2.1 (file comment). */
static void attn_weights(const struct arch *a, double *qkv, double *out,
                         double *norms)
{
	double d = a->d_model, h = a->heads, k = a->head_dim;
	double v = a->v_head_dim > 0 ? a->v_head_dim : k;
	double rq = a->q_lora_rank, rkv = a->kv_lora_rank, kr = a->rope_head_dim;
	double q = rq > 0 ? d * rq + rq * h * k : d * h * k;   /* eqs. 12-13 */

	*norms = rq + rkv;
	if (rkv > 0)   /* eqs. 9-11 and 17: W_DKV, W_KR; W_UK, W_UV */
		*qkv = q + d * (rkv + kr) + rkv * h * (k - kr + v);
	else           /* GQA: K is d x (g k), V d x (g v) */
		*qkv = q + d * a->kv_heads * (k + v);
	*out = h * v * d;                                      /* eq. 19 */
}

/* Hidden size of all shared experts of a layer together. */
static double shared_width(const struct arch *a)
{
	return (double)a->shared_experts *
	       (a->d_shared > 0 ? a->d_shared : a->d_expert);
}

void arch_count_params(const struct arch *a, struct arch_params *p)
{
	double d = a->d_model, L = a->layers;
	double m = a->mlp_matrices;
	double n_moe = arch_moe_layers(a), n_dense = L - n_moe;
	double ffn_expert = m * d * a->d_expert;             /* one expert */
	double qkv, out, latent_norms;

	attn_weights(a, &qkv, &out, &latent_norms);
	p->embedding = (double)a->vocab * d * (a->tied ? 1 : 2);
	p->attention = L * (qkv + out);
	p->mlp = n_dense * m * d * a->d_ff;
	p->router = n_moe * d * a->experts;
	p->experts_total = n_moe * a->experts * ffn_expert;
	p->experts_active = n_moe * a->top_k * ffn_expert;
	p->shared = n_moe * m * d * shared_width(a);
	p->norms = 2 * L * d + d + L * latent_norms;
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
	double d_attn = (double)a->heads * a->head_dim;      /* h k */
	double d_val = (double)a->heads *
	               (a->v_head_dim > 0 ? a->v_head_dim : a->head_dim);
	double m = a->mlp_matrices;
	double n_moe = arch_moe_layers(a), n_dense = L - n_moe;
	double qkv, out, latent_norms;

	attn_weights(a, &qkv, &out, &latent_norms);
	/* Hoffmann et al. 2022, Appendix F, per token (per sequence / S) */
	f->attn_qkv = L * 2 * qkv;
	f->attn_scores = L * 2 * S * d_attn;
	f->attn_softmax = L * 3.0 * a->heads * S;
	f->attn_values = L * 2 * S * d_val;
	f->attn_out = L * 2 * out;
	f->mlp = n_dense * 2 * m * d * a->d_ff;
	/* router GEMM [T x d]·[d x E]: 2 d E per token per MoE layer */
	f->router = n_moe * 2 * d * a->experts;
	f->experts = n_moe * a->top_k * 2 * m * d * a->d_expert;
	f->shared = n_moe * 2 * m * d * shared_width(a);
	f->logits = 2 * d * a->vocab;   /* the embedding lookup costs 0 */
	f->forward = f->attn_qkv + f->attn_scores + f->attn_softmax +
	             f->attn_values + f->attn_out + f->mlp + f->router +
	             f->experts + f->shared + f->logits;
	f->training = 3 * f->forward;   /* backward = 2 x forward */
}
