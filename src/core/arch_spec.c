/*
 * arch_spec.c — the key table shared by --arch files and `moeplan flops`
 * options, value parsing, defaults and the spec -> arch translation with
 * granularity (see arch_spec.h).
 */
#include "config.h"

#include "arch_spec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define M 1000000     /* generous upper bounds: sizes above are typos */
#define FIELD(f) offsetof(struct arch_spec, f)

const struct arch_key arch_keys[] = {
	{ "layers", ARCH_KEY_INT, 1, M, FIELD(layers), "L",
	  "transformer blocks (required)" },
	{ "d_model", ARCH_KEY_INT, 1, 100 * M, FIELD(d_model), "d",
	  "residual stream width (required)" },
	{ "heads", ARCH_KEY_INT, 1, M, FIELD(heads), "h",
	  "query heads (default d_model/head_dim)" },
	{ "kv_heads", ARCH_KEY_INT, 1, M, FIELD(kv_heads), "g",
	  "key/value heads, GQA (default heads)" },
	{ "head_dim", ARCH_KEY_INT, 1, M, FIELD(head_dim), "k",
	  "size of one head (default d_model/heads, else 128)" },
	{ "v_head_dim", ARCH_KEY_INT, 1, M, FIELD(v_head_dim), "v",
	  "size of one value head (default head_dim)" },
	{ "q_lora_rank", ARCH_KEY_INT, 0, M, FIELD(q_lora_rank), "r_q",
	  "low-rank query, d -> r_q -> h k (default 0: none)" },
	{ "kv_lora_rank", ARCH_KEY_INT, 0, M, FIELD(kv_lora_rank), "r_kv",
	  "MLA: K and V from a latent of r_kv (default 0: none)" },
	{ "rope_head_dim", ARCH_KEY_INT, 1, M, FIELD(rope_head_dim), "k_r",
	  "MLA: shared RoPE key's part of head_dim" },
	{ "d_ff", ARCH_KEY_INT, 1, 100 * M, FIELD(d_ff), "f",
	  "dense FFN size (default 4d; SwiGLU 8d/3, up to x256)" },
	{ "vocab", ARCH_KEY_INT, 1, 100 * M, FIELD(vocab), "V",
	  "vocabulary size (default 32000)" },
	{ "seq", ARCH_KEY_INT, 1, 100 * M, FIELD(seq), "S",
	  "context length (default 2048)" },
	{ "experts", ARCH_KEY_INT, 0, M, FIELD(experts), "E",
	  "routed experts per MoE layer (default 0: dense)" },
	{ "top_k", ARCH_KEY_INT, 1, M, FIELD(top_k), "k",
	  "routed experts per token (required with experts)" },
	{ "d_expert", ARCH_KEY_INT, 1, 100 * M, FIELD(d_expert), "f_e",
	  "hidden size of one expert (default d_ff)" },
	{ "granularity", ARCH_KEY_INT, 1, 10000, FIELD(granularity), "G",
	  "split each expert G ways (default 1)" },
	{ "shared_experts", ARCH_KEY_INT, 0, M, FIELD(shared_experts), "s",
	  "always-active experts of size d_expert (default 0)" },
	{ "d_shared", ARCH_KEY_INT, 0, 100 * M, FIELD(d_shared), "f_s",
	  "hidden size of one shared expert (default d_expert)" },
	{ "moe_every", ARCH_KEY_INT, 1, M, FIELD(moe_every), "n",
	  "layers i with (i+1) % n == 0 are MoE (default 1)" },
	{ "first_dense", ARCH_KEY_INT, 0, M, FIELD(first_dense), "n_d",
	  "leading dense layers, then the rule (default 0)" },
	{ "dense_extra", ARCH_KEY_INT, 0, M, FIELD(dense_extra), "n_x",
	  "MoE layers by the rule kept dense (default 0)" },
	{ "mlp", ARCH_KEY_MLP, 0, 0, FIELD(mlp_matrices), "KIND",
	  "swiglu (default), geglu, gelu or relu" },
	{ "tied", ARCH_KEY_BOOL, 0, 1, FIELD(tied), NULL,
	  "logits reuse the embedding matrix (default untied)" },
	{ NULL, ARCH_KEY_INT, 0, 0, 0, NULL, NULL }
};

static int *field(struct arch_spec *s, const struct arch_key *k)
{
	return (int *)((char *)s + k->offset);
}

static int field_c(const struct arch_spec *s, const struct arch_key *k)
{
	return *(const int *)((const char *)s + k->offset);
}

void arch_spec_init(struct arch_spec *s)
{
	memset(s, 0, sizeof *s);
	s->shared_experts = -1;
	s->tied = -1;
}

const struct arch_key *arch_key_find(const char *name)
{
	for (const struct arch_key *k = arch_keys; k->name != NULL; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

int arch_spec_given(const struct arch_spec *s, const struct arch_key *k)
{
	int v = field_c(s, k);

	if (k->offset == FIELD(shared_experts) || k->kind == ARCH_KEY_BOOL)
		return v >= 0;
	return v != 0;
}

static int parse_int(const char *text, int lo, int hi, int *out,
                     struct mp_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || *end != '\0' || errno != 0 || v < lo || v > hi)
		return mp_error_set(err, "expected an integer from %d to %d, got '%s'",
		                    lo, hi, text);
	*out = (int)v;
	return 0;
}

static int parse_mlp(const char *text, int *out, struct mp_error *err)
{
	if (strcmp(text, "swiglu") == 0 || strcmp(text, "geglu") == 0)
		*out = 3;
	else if (strcmp(text, "gelu") == 0 || strcmp(text, "relu") == 0)
		*out = 2;
	else
		return mp_error_set(err, "expected swiglu, geglu, gelu or relu, "
		                    "got '%s'", text);
	return 0;
}

static int parse_bool(const char *text, int *out, struct mp_error *err)
{
	if (strcmp(text, "true") == 0)
		*out = 1;
	else if (strcmp(text, "false") == 0)
		*out = 0;
	else
		return mp_error_set(err, "expected true or false, got '%s'", text);
	return 0;
}

int arch_spec_set(struct arch_spec *s, const struct arch_key *k,
                  const char *text, struct mp_error *err)
{
	switch (k->kind) {
	case ARCH_KEY_INT:
		return parse_int(text, k->lo, k->hi, field(s, k), err);
	case ARCH_KEY_MLP:
		return parse_mlp(text, field(s, k), err);
	case ARCH_KEY_BOOL:
		return parse_bool(text, field(s, k), err);
	}
	return mp_error_set(err, "unknown kind of key");
}

/* Fail naming key. */
static int fail(const char **key, const char *name)
{
	*key = name;
	return -1;
}

/* Heads and head size: either given, or the other divides d_model. */
static int build_heads(const struct arch_spec *s, struct arch *a,
                       const char **key, struct mp_error *err)
{
	int d = s->d_model;

	if (s->heads > 0 && s->head_dim > 0) {
		a->heads = s->heads;
		a->head_dim = s->head_dim;
	} else if (s->heads > 0) {
		if (d % s->heads != 0) {
			mp_error_set(err, "heads (%d) does not divide d_model (%d); "
			             "give head_dim too", s->heads, d);
			return fail(key, "heads");
		}
		a->heads = s->heads;
		a->head_dim = d / s->heads;
	} else if (s->head_dim > 0) {
		if (d % s->head_dim != 0) {
			mp_error_set(err, "head_dim (%d) does not divide d_model (%d); "
			             "give heads too", s->head_dim, d);
			return fail(key, "head_dim");
		}
		a->head_dim = s->head_dim;
		a->heads = d / s->head_dim;
	} else {
		a->head_dim = d % 128 == 0 ? 128 : d % 64 == 0 ? 64 : d;
		a->heads = d / a->head_dim;
	}
	a->kv_heads = s->kv_heads > 0 ? s->kv_heads : a->heads;
	if (a->kv_heads > a->heads || a->heads % a->kv_heads != 0) {
		mp_error_set(err, "kv_heads (%d) does not divide heads (%d)",
		             a->kv_heads, a->heads);
		return fail(key, "kv_heads");
	}
	return 0;
}

/* Default FFN size: 4d (Vaswani et al. 2017) for two matrices; for gated
 * units 2/3 of that rounded up to a multiple of 256 (Llama's rule,
 * Touvron et al. 2023: 4096 -> 11008). */
static long default_d_ff(long d, int matrices)
{
	long f = 4 * d;

	if (matrices == 3)
		f = ((8 * d + 2) / 3 + 255) / 256 * 256;
	return f;
}

/* The MoE keys of a dense spec must be absent. */
static int build_dense(const struct arch_spec *s, struct arch *a,
                       const char **key, struct mp_error *err)
{
	static const char *const moe_keys[] = {
		"top_k", "d_expert", "granularity", "shared_experts", "moe_every",
		"d_shared", "first_dense", "dense_extra"
	};

	for (size_t i = 0; i < sizeof moe_keys / sizeof moe_keys[0]; i++)
		if (arch_spec_given(s, arch_key_find(moe_keys[i])) &&
		    !(i == 3 && s->shared_experts == 0)) {
			mp_error_set(err, "%s needs experts", moe_keys[i]);
			return fail(key, moe_keys[i]);
		}
	a->experts = a->top_k = a->d_expert = a->shared_experts = 0;
	a->moe_every = 1;
	return 0;
}

/* The layer rule: first_dense leading dense layers, then every moe_every-th
 * layer MoE, less dense_extra; at least one MoE layer is left. */
static int build_layer_rule(const struct arch_spec *s, struct arch *a,
                            const char **key, struct mp_error *err)
{
	long rule;

	a->moe_every = s->moe_every > 0 ? s->moe_every : 1;
	a->first_dense = s->first_dense;
	a->dense_extra = s->dense_extra;
	if (a->first_dense >= a->layers) {
		mp_error_set(err, "first_dense (%d) leaves none of the %d layers "
		             "for experts", a->first_dense, a->layers);
		return fail(key, "first_dense");
	}
	rule = (a->layers - a->first_dense) / a->moe_every;
	if (rule < 1) {
		mp_error_set(err, "moe_every (%d) exceeds layers (%d)", a->moe_every,
		             a->layers - a->first_dense);
		return fail(key, "moe_every");
	}
	if (a->dense_extra >= rule) {
		mp_error_set(err, "dense_extra (%d) leaves none of the %ld MoE "
		             "layers", a->dense_extra, rule);
		return fail(key, "dense_extra");
	}
	return 0;
}

static int build_moe(const struct arch_spec *s, struct arch *a,
                     const char **key, struct mp_error *err)
{
	long G = s->granularity > 0 ? s->granularity : 1;
	long f_e = s->d_expert > 0 ? s->d_expert : a->d_ff;
	long shared = s->shared_experts > 0 ? s->shared_experts : 0;

	if (s->top_k == 0) {
		mp_error_set(err, "top_k is required with experts");
		return fail(key, "top_k");
	}
	if (s->top_k > s->experts) {
		mp_error_set(err, "top_k (%d) exceeds experts (%d)", s->top_k,
		             s->experts);
		return fail(key, "top_k");
	}
	if (f_e % G != 0 || s->d_shared % G != 0 ||
	    (long)s->experts * G > 100L * M || shared * G > 100L * M) {
		mp_error_set(err, "granularity %ld does not split %ld experts of "
		             "size %ld into whole experts", G, (long)s->experts,
		             s->d_shared % G != 0 ? (long)s->d_shared : f_e);
		return fail(key, "granularity");
	}
	a->experts = (int)(s->experts * G);
	a->top_k = (int)(s->top_k * G);
	a->shared_experts = (int)(shared * G);
	a->d_expert = (int)(f_e / G);
	a->d_shared = (int)(s->d_shared / G);
	return build_layer_rule(s, a, key, err);
}

/* Value heads, low-rank queries and MLA (arch.h). */
static int build_latent(const struct arch_spec *s, struct arch *a,
                        const char **key, struct mp_error *err)
{
	a->v_head_dim = s->v_head_dim;
	a->q_lora_rank = s->q_lora_rank;
	a->kv_lora_rank = s->kv_lora_rank;
	a->rope_head_dim = s->rope_head_dim;
	if (s->rope_head_dim > 0 && s->kv_lora_rank == 0) {
		mp_error_set(err, "rope_head_dim needs kv_lora_rank (MLA)");
		return fail(key, "rope_head_dim");
	}
	if (s->kv_lora_rank > 0 && s->rope_head_dim >= a->head_dim) {
		mp_error_set(err, "rope_head_dim (%d) must be less than head_dim (%d)",
		             s->rope_head_dim, a->head_dim);
		return fail(key, "rope_head_dim");
	}
	return 0;
}

int arch_spec_build(const struct arch_spec *s, struct arch *a,
                    const char **key, struct mp_error *err)
{
	long f;

	*key = NULL;
	memset(a, 0, sizeof *a);
	if (s->layers <= 0) {
		mp_error_set(err, "layers is required");
		return fail(key, "layers");
	}
	if (s->d_model <= 0) {
		mp_error_set(err, "d_model is required");
		return fail(key, "d_model");
	}
	a->layers = s->layers;
	a->d_model = s->d_model;
	if (build_heads(s, a, key, err) != 0 || build_latent(s, a, key, err) != 0)
		return -1;
	a->mlp_matrices = s->mlp_matrices > 0 ? s->mlp_matrices : 3;
	f = s->d_ff > 0 ? s->d_ff : default_d_ff(s->d_model, a->mlp_matrices);
	if (f > 100L * M) {
		mp_error_set(err, "default d_ff %ld is too large", f);
		return fail(key, "d_model");
	}
	a->d_ff = (int)f;
	a->vocab = s->vocab > 0 ? s->vocab : ARCH_SPEC_VOCAB;
	a->seq = s->seq > 0 ? s->seq : ARCH_SPEC_SEQ;
	a->tied = s->tied > 0;
	if ((s->experts > 0 ? build_moe(s, a, key, err)
	                    : build_dense(s, a, key, err)) != 0)
		return -1;
	return arch_check(a, err);
}
