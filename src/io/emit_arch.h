/*
 * emit_arch.h — an architecture, its parameter counts and its per-token
 * FLOPs as JSON/YAML objects, shared by `moeplan flops` and the plan
 * reports so both print the same keys in the same order.
 */
#ifndef MP_EMIT_ARCH_H
#define MP_EMIT_ARCH_H

#include "core/arch.h"
#include "emit.h"

/* key: { layers, d_model, heads, ..., moe_every, moe_layers } */
void emit_arch(struct emit *e, const char *key, const struct arch *a);
/* key: { total, active, nonemb_total, nonemb_active, embedding, ... } */
void emit_arch_params(struct emit *e, const char *key,
                      const struct arch_params *p);
/* key: { attn_qkv, ..., logits, forward, training } */
void emit_arch_flops(struct emit *e, const char *key,
                     const struct arch_flops *f);

#endif
