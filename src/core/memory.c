/*
 * memory.c — memory per device of a training run (see memory.h for the
 * formulas and their sources).  Pure arithmetic; nothing here allocates.
 */
#include "config.h"

#include "memory.h"

#include <math.h>
#include <string.h>

void memory_precision_adam_mixed(struct memory_precision *p)
{
	/* ZeRO Sec. 3.1: fp16/bf16 parameters and gradients (2 + 2 bytes),
	 * fp32 parameters, momentum and variance (K = 12 bytes) */
	p->weight_bytes = 2;
	p->grad_bytes = 2;
	p->optim_bytes = 12;
	p->act_bytes = 2;
}

void memory_precision_adam_fp32(struct memory_precision *p)
{
	/* Kingma and Ba 2015, Alg. 1: the parameters and the first and second
	 * moment estimates, all fp32 */
	p->weight_bytes = 4;
	p->grad_bytes = 4;
	p->optim_bytes = 8;
	p->act_bytes = 4;
}

void memory_act_model_default(struct memory_act_model *m)
{
	m->fused_attention = 1;
	m->dropout = 0;
	m->expert_skew = 1;
}

/* Per-rank share of n heads (or n of anything split by heads) over t
 * ranks: n/t, or 1 where t exceeds n and the head is replicated (GQA with
 * tp > kv_heads). */
static double per_rank_heads(int n, int t)
{
	return n >= t ? (double)n / t : 1;
}

/* The tokens of one micro-batch on one rank: s/cp positions of b
 * sequences. */
static double micro_tokens(const struct arch *a, const struct layout *l)
{
	return (double)a->seq / l->cp * l->micro_batch;
}

/* An MLP's stored activations past its input, per token, for width f_r
 * on this rank (memory.h): SwiGLU keeps gate and up outputs and the down
 * input (3 f), a 2-matrix MLP the activation's input and the fc2 input
 * (2 f); w bytes each. */
static double mlp_hidden(const struct arch *a, double f_r, double w)
{
	return (a->mlp_matrices == 3 ? 3 : 2) * w * f_r;
}

/* The attention block (Korthikanti Sec. 4.1, adapted for GQA): QKV input,
 * Q, K, V, the output-projection input, the dropout mask; and the s x s
 * items or the softmax statistics. */
static void attention_act(const struct arch *a, const struct layout *l,
                          const struct memory_precision *p,
                          const struct memory_act_model *m, double Tr,
                          struct memory_layer_act *out)
{
	double w = p->act_bytes, T = micro_tokens(a, l), h = a->d_model;
	double q_r = per_rank_heads(a->heads, l->tp) * a->head_dim;
	double kv_r = per_rank_heads(a->kv_heads, l->tp) * a->head_dim;
	double heads_r = per_rank_heads(a->heads, l->tp);
	double keys = a->seq;   /* each local query sees the whole context */

	out->norms = 2 * w * Tr * h;
	out->attention = w * Tr * h + 2 * w * T * q_r + 2 * w * T * kv_r +
	                 (m->dropout ? Tr * h : 0);
	if (m->fused_attention)
		/* FlashAttention (Dao 2023, Alg. 1-2): fp32 log-sum-exp per head
		 * and query */
		out->scores = 4 * heads_r * T;
	else if (l->recompute == LAYOUT_RECOMPUTE_SELECTIVE)
		out->scores = 0;   /* Korthikanti Sec. 5: recomputed */
	else
		/* softmax output w a s^2 b; with dropout its mask (1 byte) and
		 * output (w): 5 a s^2 b at w = 2 */
		out->scores = heads_r * T * keys * (w + (m->dropout ? 1 + w : 0));
}

/* A MoE layer's MLP part (memory.h): router probabilities, the input,
 * the dispatch buffer on the receiving rank (after the tensor-parallel
 * all-gather, so not divided by tp), the routed experts' hidden
 * activations, the combine's copy of the expert outputs, the shared
 * experts, the dropout mask. */
static double moe_act(const struct arch *a, const struct layout *l,
                      const struct memory_precision *p,
                      const struct memory_act_model *m, double Tr)
{
	double w = p->act_bytes, T = micro_tokens(a, l), h = a->d_model;
	double k = a->top_k, skew = m->expert_skew > 1 ? m->expert_skew : 1;
	double de_r = (double)a->d_expert / l->tp;

	return 4 * Tr * a->experts + w * Tr * h +
	       k * skew * w * T * h +
	       k * skew * T * mlp_hidden(a, de_r, w) +
	       k * w * Tr * h +
	       a->shared_experts * T * mlp_hidden(a, de_r, w) +
	       (m->dropout ? Tr * h : 0);
}

void memory_layer_activations(const struct arch *a, const struct layout *l,
                              const struct memory_precision *p,
                              const struct memory_act_model *m, int moe,
                              struct memory_layer_act *out)
{
	double T = micro_tokens(a, l), w = p->act_bytes, h = a->d_model;
	/* token rows of the items tensor parallelism replicates unless
	 * sequence parallelism splits them (Korthikanti Eq. 2 vs Sec. 4.2.2) */
	double Tr = l->sequence_parallel ? T / l->tp : T;

	memset(out, 0, sizeof *out);
	attention_act(a, l, p, m, Tr, out);
	if (moe)
		out->moe = moe_act(a, l, p, m, Tr);
	else
		out->mlp = w * Tr * h + T * mlp_hidden(a, (double)a->d_ff / l->tp, w) +
		           (m->dropout ? Tr * h : 0);
	out->total = out->norms + out->attention + out->scores + out->mlp +
	             out->moe;
}

double memory_states(double nparams, int stage, double n_d,
                     const struct memory_precision *p, double *weights,
                     double *grads, double *optim)
{
	/* ZeRO Sec. 5 and Fig. 1: stage 1 shards K, stage 2 also the
	 * gradients, stage 3 also the weights, each over N_d ranks */
	double wb = nparams * p->weight_bytes / (stage >= 3 ? n_d : 1);
	double gb = nparams * p->grad_bytes / (stage >= 2 ? n_d : 1);
	double ob = nparams * p->optim_bytes / (stage >= 1 ? n_d : 1);

	if (weights != NULL)
		*weights = wb;
	if (grads != NULL)
		*grads = gb;
	if (optim != NULL)
		*optim = ob;
	return wb + gb + ob;
}

void memory_stage_params(const struct arch *a, const struct arch_params *pa,
                         const struct layout *l, int k, double *dense,
                         double *expert)
{
	int n = layout_stage_layers(l, a, k), n_moe = layout_stage_moe_layers(l, a, k);
	int n_moe_all = arch_moe_layers(a), n_dense_all = a->layers - n_moe_all;
	double d = n * ((pa->attention + pa->norms) / a->layers), e = 0, emb;

	if (n_moe > 0) {
		d += n_moe * ((pa->router + pa->shared) / n_moe_all);
		e = n_moe * (pa->experts_total / n_moe_all);
	}
	if (n - n_moe > 0 && n_dense_all > 0)
		d += (n - n_moe) * (pa->mlp / n_dense_all);
	/* the embedding on the first stage, the output layer on the last:
	 * one matrix each when pp > 1 (a tied one is copied), both on one
	 * stage when pp = 1 */
	emb = (double)a->vocab * a->d_model;
	if (l->pp == 1)
		d += pa->embedding;
	else if (k == 0 || k == l->pp - 1)
		d += emb;
	*dense = d / l->tp;
	*expert = e / ((double)l->ep * l->tp);
}

/* Micro-batches of stage k's whole layers held at once: 1F1B, min(m, pp -
 * k) (Narayanan et al. 2021 Sec. 2.2.1).  Interleaved with v > 1 chunks,
 * stage k runs 2 (pp - k - 1) + (v - 1) pp warm-up chunk forwards before
 * its first backward (Megatron-LM's schedules.py,
 * forward_backward_pipelining_with_interleaving), so it holds that plus
 * one of its m v chunks, each 1/v of its layers: on the first stage pp +
 * (pp - 1) / v micro-batches, a factor 1 + (pp - 1) / (pp v) over 1F1B
 * (Korthikanti et al. 2022 Sec. 4.2.3). */
static double micro_batches_in_flight(const struct layout *l, int k)
{
	int v = layout_chunks(l);
	double chunks;

	if (v == 1)
		return l->micro_batches < l->pp - k ? l->micro_batches : l->pp - k;
	chunks = 2.0 * (l->pp - k - 1) + (double)(v - 1) * l->pp + 1;
	return fmin(chunks, (double)l->micro_batches * v) / v;
}

/* Activations of stage k: its layers for each micro-batch in flight
 * (1F1B: the first stage holds min(pp, m), the last one; Narayanan et al.
 * 2021 Sec. 2.2.1, Korthikanti Sec. 4.2.3), and the output layer's input
 * and fp32 logits on the last stage (Korthikanti Sec. 4.3). */
static void stage_activations(const struct arch *a, const struct layout *l,
                              const struct memory_precision *p,
                              const struct memory_act_model *m, int k,
                              struct memory_use *out)
{
	struct memory_layer_act dense, moe;
	int n = layout_stage_layers(l, a, k), n_moe = layout_stage_moe_layers(l, a, k);
	double flight = micro_batches_in_flight(l, k);
	double T = micro_tokens(a, l), per_mb, worst = 0;
	double Tr = l->sequence_parallel ? T / l->tp : T;

	memory_layer_activations(a, l, p, m, 0, &dense);
	memory_layer_activations(a, l, p, m, 1, &moe);
	/* full recomputation keeps each layer's input (Korthikanti Table 2:
	 * 2sbh at 2 bytes) */
	if (l->recompute == LAYOUT_RECOMPUTE_FULL)
		per_mb = n * (p->act_bytes * Tr * a->d_model);
	else
		per_mb = n_moe * moe.total + (n - n_moe) * dense.total;
	if (n_moe > 0)
		worst = moe.total;
	if (n - n_moe > 0 && dense.total > worst)
		worst = dense.total;
	out->in_flight = (int)ceil(flight - 1e-9);
	out->act_layer_dense = dense.total;
	out->act_layer_moe = arch_moe_layers(a) > 0 ? moe.total : 0;
	/* and the one layer being recomputed, whole, in the backward pass */
	out->activations = flight * per_mb +
	                   (l->recompute == LAYOUT_RECOMPUTE_FULL ? worst : 0);
	out->logits = k == l->pp - 1
	              ? p->act_bytes * Tr * a->d_model +
	                4 * T * a->vocab / l->tp
	              : 0;
}

/* Memory of one device of stage k. */
static void stage_memory(const struct arch *a, const struct arch_params *pa,
                         const struct layout *l,
                         const struct memory_precision *p,
                         const struct memory_act_model *m, double device_bytes,
                         int k, struct memory_use *out)
{
	double dense, expert, w, g, o, n_d = (double)l->dp * l->cp;

	memset(out, 0, sizeof *out);
	out->stage = k;
	memory_stage_params(a, pa, l, k, &dense, &expert);
	out->params_dense = dense;
	out->params_expert = expert;
	memory_states(dense, l->zero, n_d, p, &out->weights, &out->grads,
	              &out->optimizer);
	/* expert states shard over the expert-data-parallel ranks */
	memory_states(expert, l->zero, n_d / l->ep, p, &w, &g, &o);
	out->weights += w;
	out->grads += g;
	out->optimizer += o;
	out->states = out->weights + out->grads + out->optimizer;
	stage_activations(a, l, p, m, k, out);
	out->workspace = MEMORY_WORKSPACE_FRACTION * device_bytes;
	out->total = out->states + out->activations + out->logits +
	             out->workspace;
}

void memory_per_device(const struct arch *a, const struct arch_params *pa,
                       const struct layout *l,
                       const struct memory_precision *p,
                       const struct memory_act_model *m, double device_bytes,
                       struct memory_use *out)
{
	struct memory_use last;

	stage_memory(a, pa, l, p, m, device_bytes, 0, out);
	if (l->pp == 1)
		return;
	stage_memory(a, pa, l, p, m, device_bytes, l->pp - 1, &last);
	if (last.total > out->total)
		*out = last;
}
