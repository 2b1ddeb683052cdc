/*
 * emit_arch.c — architecture objects for JSON and YAML, and the key tables
 * they are written from (see emit_arch.h).
 */
#include "config.h"

#include "emit_arch.h"

#include <stddef.h>

#define A(k) { #k, offsetof(struct arch, k), EMIT_ARCH_INT }
const struct emit_arch_key emit_arch_keys[] = {
	A(layers), A(d_model), A(heads), A(kv_heads), A(head_dim), A(d_ff),
	A(mlp_matrices), A(vocab), A(seq),
	{ "tied", offsetof(struct arch, tied), EMIT_ARCH_BOOL },
	A(experts), A(top_k), A(d_expert), A(shared_experts), A(moe_every),
	{ "moe_layers", 0, EMIT_ARCH_MOE_LAYERS },
	{ NULL, 0, EMIT_ARCH_INT }
};
#undef A

#define P(k) { #k, offsetof(struct arch_params, k), EMIT_ARCH_NUM }
const struct emit_arch_key emit_arch_params_keys[] = {
	P(total), P(active), P(nonemb_total), P(nonemb_active), P(embedding),
	P(attention), P(mlp), P(router), P(experts_total), P(experts_active),
	P(shared), P(norms),
	{ NULL, 0, EMIT_ARCH_NUM }
};
#undef P

#define F(k) { #k, offsetof(struct arch_flops, k), EMIT_ARCH_NUM }
const struct emit_arch_key emit_arch_flops_keys[] = {
	F(attn_qkv), F(attn_scores), F(attn_softmax), F(attn_values),
	F(attn_out), F(mlp), F(router), F(experts), F(shared), F(logits),
	F(forward), F(training),
	{ NULL, 0, EMIT_ARCH_NUM }
};
#undef F

double emit_arch_value(const struct emit_arch_key *k, const void *obj)
{
	const char *base = obj;

	switch (k->type) {
	case EMIT_ARCH_NUM:
		return *(const double *)(const void *)(base + k->off);
	case EMIT_ARCH_MOE_LAYERS:
		return arch_moe_layers(obj);
	default:
		return *(const int *)(const void *)(base + k->off);
	}
}

static void emit_keys(struct emit *e, const char *key,
                      const struct emit_arch_key *keys, const void *obj)
{
	emit_key(e, key);
	emit_object_begin(e);
	for (const struct emit_arch_key *k = keys; k->key != NULL; k++) {
		double v = emit_arch_value(k, obj);

		if (k->type == EMIT_ARCH_NUM)
			emit_kv_number(e, k->key, v);
		else if (k->type == EMIT_ARCH_BOOL)
			emit_kv_bool(e, k->key, v != 0);
		else
			emit_kv_int(e, k->key, (long long)v);
	}
	emit_object_end(e);
}

void emit_arch(struct emit *e, const char *key, const struct arch *a)
{
	emit_keys(e, key, emit_arch_keys, a);
}

void emit_arch_params(struct emit *e, const char *key,
                      const struct arch_params *p)
{
	emit_keys(e, key, emit_arch_params_keys, p);
}

void emit_arch_flops(struct emit *e, const char *key,
                     const struct arch_flops *f)
{
	emit_keys(e, key, emit_arch_flops_keys, f);
}
