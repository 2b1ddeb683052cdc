/*
 * emit_arch.h — an architecture, its parameter counts and its per-token
 * FLOPs as JSON/YAML objects, shared by `moeplan flops` and the plan
 * reports so both print the same keys in the same order.  The keys are
 * tables (emit_arch_keys, ...), so that a flat format (the CSV of
 * report_arch.c) writes the same keys in the same order too.
 */
#ifndef MP_EMIT_ARCH_H
#define MP_EMIT_ARCH_H

#include <stddef.h>

#include "core/arch.h"
#include "emit.h"

/* One key of an object: an int, a boolean or a double at off in its
 * struct, or (EMIT_ARCH_MOE_LAYERS) arch_moe_layers of a struct arch. */
enum emit_arch_type {
	EMIT_ARCH_INT, EMIT_ARCH_BOOL, EMIT_ARCH_NUM, EMIT_ARCH_MOE_LAYERS
};

struct emit_arch_key {
	const char *key;
	size_t off;
	enum emit_arch_type type;
};

/* NULL-key-terminated, in the order written. */
extern const struct emit_arch_key emit_arch_keys[];         /* struct arch */
extern const struct emit_arch_key emit_arch_params_keys[];  /* arch_params */
extern const struct emit_arch_key emit_arch_flops_keys[];   /* arch_flops */

/* The value of key k in obj (a struct of k's table), as a double. */
double emit_arch_value(const struct emit_arch_key *k, const void *obj);

/* key: { layers, d_model, heads, ..., moe_every, moe_layers } */
void emit_arch(struct emit *e, const char *key, const struct arch *a);
/* key: { total, active, nonemb_total, nonemb_active, embedding, ... } */
void emit_arch_params(struct emit *e, const char *key,
                      const struct arch_params *p);
/* key: { attn_qkv, ..., logits, forward, training } */
void emit_arch_flops(struct emit *e, const char *key,
                     const struct arch_flops *f);

#endif
