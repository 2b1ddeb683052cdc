/*
 * arch_spec.h — an architecture as a person writes it: the keys of an
 * --arch YAML file and the options of `moeplan flops`, one table for both,
 * with defaults, and its translation into a struct arch.
 *
 * A spec holds sizes *before* granularity G: it names E experts, top_k,
 * shared experts and d_expert, and the architecture built from it has
 * E*G routed experts, top_k*G active and s*G shared ones, each of hidden
 * size d_expert/G (Krajewski et al. 2024: splitting every expert G ways
 * keeps parameters and FLOPs, and only changes the router).  Plain values;
 * nothing allocates.
 */
#ifndef MP_ARCH_SPEC_H
#define MP_ARCH_SPEC_H

#include <stddef.h>

#include "arch.h"
#include "error.h"

/* Integer fields are 0 when not given (shared_experts: -1). */
struct arch_spec {
	int layers, d_model, heads, kv_heads, head_dim, d_ff, vocab, seq;
	int experts, top_k, d_expert, granularity, shared_experts, moe_every;
	int v_head_dim, q_lora_rank, kv_lora_rank, rope_head_dim;  /* arch.h */
	int d_shared, first_dense, dense_extra;                     /* arch.h */
	int mlp_matrices;    /* 2 (gelu, relu) or 3 (swiglu, geglu); 0 = unset */
	int tied;            /* 0 or 1; -1 = unset (untied) */
};

enum arch_key_kind {
	ARCH_KEY_INT,        /* a decimal integer from lo to hi */
	ARCH_KEY_MLP,        /* swiglu | geglu | gelu | relu */
	ARCH_KEY_BOOL        /* true | false (options: --NAME, --unNAME) */
};

struct arch_key {
	const char *name;    /* YAML key; the option is --NAME with '_' -> '-' */
	enum arch_key_kind kind;
	int lo, hi;          /* range of an ARCH_KEY_INT */
	size_t offset;       /* its int field in struct arch_spec */
	const char *arg;     /* placeholder in help texts */
	const char *help;    /* one line, with the default */
};

/* The keys, terminated by an entry with name == NULL. */
extern const struct arch_key arch_keys[];

/* Defaults of a spec written in the help texts. */
#define ARCH_SPEC_VOCAB 32000
#define ARCH_SPEC_SEQ 2048

void arch_spec_init(struct arch_spec *s);
/* Key by YAML name, or NULL. */
const struct arch_key *arch_key_find(const char *name);
/* Parse text as the value of key k into s.  -1 with err ("expected ...,
 * got 'text'", no key name: callers add it their own way). */
int arch_spec_set(struct arch_spec *s, const struct arch_key *k,
                  const char *text, struct mp_error *err);
/* 1 if key k was given. */
int arch_spec_given(const struct arch_spec *s, const struct arch_key *k);

/*
 * Fill in defaults, apply granularity and check: on success *a passed
 * arch_check.  Defaults: head_dim 128 (64, or d_model, when 128 does not
 * divide d_model) unless heads is given; kv_heads = heads; mlp swiglu;
 * d_ff = 4 d for 2-matrix FFNs and 8d/3 rounded up to a multiple of 256
 * for SwiGLU (Llama's rule); vocab 32000; seq 2048; untied; dense unless
 * experts is given, then top_k is required, d_expert = d_ff, granularity 1,
 * shared_experts 0, d_shared = d_expert, moe_every 1, first_dense 0,
 * dense_extra 0; v_head_dim = head_dim; no low-rank query and no MLA.
 * Granularity splits shared experts as it splits routed ones.  On failure
 * *key names the key at fault (NULL if none does) and err says why.
 */
int arch_spec_build(const struct arch_spec *s, struct arch *a,
                    const char **key, struct mp_error *err);

#endif
