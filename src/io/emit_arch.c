/*
 * emit_arch.c — architecture objects for JSON and YAML (see emit_arch.h).
 */
#include "config.h"

#include "emit_arch.h"

void emit_arch(struct emit *e, const char *key, const struct arch *a)
{
	emit_key(e, key);
	emit_object_begin(e);
	emit_kv_int(e, "layers", a->layers);
	emit_kv_int(e, "d_model", a->d_model);
	emit_kv_int(e, "heads", a->heads);
	emit_kv_int(e, "kv_heads", a->kv_heads);
	emit_kv_int(e, "head_dim", a->head_dim);
	emit_kv_int(e, "d_ff", a->d_ff);
	emit_kv_int(e, "mlp_matrices", a->mlp_matrices);
	emit_kv_int(e, "vocab", a->vocab);
	emit_kv_int(e, "seq", a->seq);
	emit_kv_bool(e, "tied", a->tied);
	emit_kv_int(e, "experts", a->experts);
	emit_kv_int(e, "top_k", a->top_k);
	emit_kv_int(e, "d_expert", a->d_expert);
	emit_kv_int(e, "shared_experts", a->shared_experts);
	emit_kv_int(e, "moe_every", a->moe_every);
	emit_kv_int(e, "moe_layers", arch_moe_layers(a));
	emit_object_end(e);
}

void emit_arch_params(struct emit *e, const char *key,
                      const struct arch_params *p)
{
	emit_key(e, key);
	emit_object_begin(e);
	emit_kv_number(e, "total", p->total);
	emit_kv_number(e, "active", p->active);
	emit_kv_number(e, "nonemb_total", p->nonemb_total);
	emit_kv_number(e, "nonemb_active", p->nonemb_active);
	emit_kv_number(e, "embedding", p->embedding);
	emit_kv_number(e, "attention", p->attention);
	emit_kv_number(e, "mlp", p->mlp);
	emit_kv_number(e, "router", p->router);
	emit_kv_number(e, "experts_total", p->experts_total);
	emit_kv_number(e, "experts_active", p->experts_active);
	emit_kv_number(e, "shared", p->shared);
	emit_kv_number(e, "norms", p->norms);
	emit_object_end(e);
}

void emit_arch_flops(struct emit *e, const char *key,
                     const struct arch_flops *f)
{
	emit_key(e, key);
	emit_object_begin(e);
	emit_kv_number(e, "attn_qkv", f->attn_qkv);
	emit_kv_number(e, "attn_scores", f->attn_scores);
	emit_kv_number(e, "attn_softmax", f->attn_softmax);
	emit_kv_number(e, "attn_values", f->attn_values);
	emit_kv_number(e, "attn_out", f->attn_out);
	emit_kv_number(e, "mlp", f->mlp);
	emit_kv_number(e, "router", f->router);
	emit_kv_number(e, "experts", f->experts);
	emit_kv_number(e, "shared", f->shared);
	emit_kv_number(e, "logits", f->logits);
	emit_kv_number(e, "forward", f->forward);
	emit_kv_number(e, "training", f->training);
	emit_object_end(e);
}
