/*
 * hf_config.c — a Hugging Face config.json (parsed by libyaml through
 * yamldoc: JSON objects, arrays and scalars are YAML flow syntax) into a
 * struct arch_spec, one table of key mappings per family, then built and
 * checked as any architecture file is (see hf_config.h).
 *
 * Each family's keys and their meaning are those of its configuration and
 * modeling classes in Hugging Face transformers (configuration_llama.py,
 * modeling_mixtral.py, modeling_qwen2_moe.py, modeling_qwen3_moe.py,
 * modeling_olmoe.py, modeling_granitemoe.py) and of DeepSeek's
 * modeling_deepseek.py shipped with DeepSeek-V2 and -V3.
 */
#include "config.h"

#include "io/hf_config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arch_spec.h"

#define MAX_KEYS 32           /* >= the entries of arch_keys */

enum hf_rule {
	RULE_ALL,                 /* every layer MoE (or dense without experts) */
	RULE_QWEN,                /* decoder_sparse_step, mlp_only_layers */
	RULE_DEEPSEEK             /* first_k_dense_replace, moe_layer_freq, MLA */
};

/* One config key into one spec key; moe: read only with experts. */
struct hf_map {
	const char *hf, *spec;
	int required, moe;
};

struct hf_family {
	const char *model_type, *class_name;
	enum hf_rule rule;
	const struct hf_map *map;   /* NULL-terminated */
};

#define LLAMA_KEYS \
	{ "num_hidden_layers", "layers", 1, 0 }, \
	{ "hidden_size", "d_model", 1, 0 }, \
	{ "num_attention_heads", "heads", 1, 0 }, \
	{ "num_key_value_heads", "kv_heads", 0, 0 }, \
	{ "vocab_size", "vocab", 1, 0 }, \
	{ "tie_word_embeddings", "tied", 0, 0 }

static const struct hf_map llama_map[] = {
	LLAMA_KEYS,
	{ "head_dim", "head_dim", 0, 0 },
	{ "intermediate_size", "d_ff", 1, 0 },
	{ NULL, NULL, 0, 0 }
};
/* Mixtral, Granite MoE: every expert is an FFN of intermediate_size */
static const struct hf_map mixtral_map[] = {
	LLAMA_KEYS,
	{ "head_dim", "head_dim", 0, 0 },
	{ "intermediate_size", "d_ff", 1, 0 },
	{ "num_local_experts", "experts", 1, 0 },
	{ "num_experts_per_tok", "top_k", 1, 1 },
	{ "intermediate_size", "d_expert", 1, 1 },
	{ NULL, NULL, 0, 0 }
};
static const struct hf_map olmoe_map[] = {
	LLAMA_KEYS,
	{ "intermediate_size", "d_ff", 1, 0 },
	{ "num_experts", "experts", 1, 0 },
	{ "num_experts_per_tok", "top_k", 1, 1 },
	{ "intermediate_size", "d_expert", 1, 1 },
	{ NULL, NULL, 0, 0 }
};
/* Qwen2-MoE, Qwen3-MoE: dense layers (mlp_only_layers) have
 * intermediate_size; Qwen3-MoE has no shared expert */
static const struct hf_map qwen_map[] = {
	LLAMA_KEYS,
	{ "head_dim", "head_dim", 0, 0 },
	{ "intermediate_size", "d_ff", 1, 0 },
	{ "num_experts", "experts", 1, 0 },
	{ "num_experts_per_tok", "top_k", 1, 1 },
	{ "moe_intermediate_size", "d_expert", 1, 1 },
	{ "shared_expert_intermediate_size", "d_shared", 0, 1 },
	{ "decoder_sparse_step", "moe_every", 0, 1 },
	{ NULL, NULL, 0, 0 }
};
/* DeepSeek-V2/V3: the leading dense layers have intermediate_size; head_dim
 * is qk_nope_head_dim + qk_rope_head_dim (read_mla) */
static const struct hf_map deepseek_map[] = {
	LLAMA_KEYS,
	{ "intermediate_size", "d_ff", 1, 0 },
	{ "q_lora_rank", "q_lora_rank", 0, 0 },
	{ "kv_lora_rank", "kv_lora_rank", 1, 0 },
	{ "qk_rope_head_dim", "rope_head_dim", 1, 0 },
	{ "v_head_dim", "v_head_dim", 1, 0 },
	{ "n_routed_experts", "experts", 0, 0 },
	{ "num_experts_per_tok", "top_k", 1, 1 },
	{ "moe_intermediate_size", "d_expert", 1, 1 },
	{ "n_shared_experts", "shared_experts", 0, 1 },
	{ NULL, NULL, 0, 0 }
};

static const struct hf_family families[] = {
	{ "llama", "LlamaForCausalLM", RULE_ALL, llama_map },
	{ "mistral", "MistralForCausalLM", RULE_ALL, llama_map },
	{ "mixtral", "MixtralForCausalLM", RULE_ALL, mixtral_map },
	{ "qwen2_moe", "Qwen2MoeForCausalLM", RULE_QWEN, qwen_map },
	{ "qwen3_moe", "Qwen3MoeForCausalLM", RULE_QWEN, qwen_map },
	{ "olmoe", "OlmoeForCausalLM", RULE_ALL, olmoe_map },
	{ "deepseek_v2", "DeepseekV2ForCausalLM", RULE_DEEPSEEK, deepseek_map },
	{ "deepseek_v3", "DeepseekV3ForCausalLM", RULE_DEEPSEEK, deepseek_map },
	{ "granitemoe", "GraniteMoeForCausalLM", RULE_ALL, mixtral_map },
	{ NULL, NULL, RULE_ALL, NULL }
};

/* Keys that say a config has experts or latent attention: an unknown
 * family with one cannot be read with Llama's keys. */
static const char *const moe_words[] = {
	"num_local_experts", "num_experts", "n_routed_experts", "kv_lora_rank",
	"moe_intermediate_size", NULL
};

/* The reading in progress: the spec, and the node that set each key. */
struct hf_read {
	struct yamldoc *y;
	yaml_node_t *root;
	const struct hf_family *fam;
	const char *name;             /* model_type (or class) as written */
	struct arch_spec spec;
	const yaml_node_t *at[MAX_KEYS];
};

static size_t key_index(const struct arch_key *k)
{
	return (size_t)(k - arch_keys);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n >= m && strcmp(s + n - m, tail) == 0;
}

int hf_config_wanted(const char *path, struct yamldoc *y)
{
	yaml_node_t *root = yamldoc_root(y);

	if (ends_with(path, ".json"))
		return 1;
	return root->type == YAML_MAPPING_NODE &&
	       (yamldoc_map_get(y, root, "model_type") != NULL ||
	        yamldoc_map_get(y, root, "architectures") != NULL);
}

/* The value of key in the config, NULL when absent or null. */
static yaml_node_t *get(const struct hf_read *r, const char *key)
{
	yaml_node_t *n = yamldoc_map_get(r->y, r->root, key);

	return n != NULL && !yamldoc_is_null(n) ? n : NULL;
}

static int missing(const struct hf_read *r, const char *key,
                   struct mp_error *err)
{
	return yamldoc_error(r->y, r->root, err, "missing key '%s' (Hugging Face "
	                     "config, model_type '%s')", key, r->name);
}

/* Set spec key `spec` from node n (an integer or a boolean, by the key's
 * kind), remembering n for messages. */
static int set_from(struct hf_read *r, const char *hf, const char *spec,
                    const yaml_node_t *n, struct mp_error *err)
{
	const struct arch_key *k = arch_key_find(spec);
	char text[32];
	long v;
	int b;

	if (k->kind == ARCH_KEY_BOOL) {
		if (yamldoc_bool(r->y, n, &b, err) != 0)
			goto fail;
		snprintf(text, sizeof text, "%s", b ? "true" : "false");
	} else {
		if (yamldoc_int(r->y, n, k->lo, k->hi, &v, err) != 0)
			goto fail;
		snprintf(text, sizeof text, "%ld", v);
	}
	if (arch_spec_set(&r->spec, k, text, err) != 0)
		goto fail;
	r->at[key_index(k)] = n;
	return 0;
fail:
	yamldoc_locate(r->y, n, err);
	mp_error_prefix(err, "%s", hf);
	return -1;
}

/* Set spec key `spec` to v, blaming node n (config key hf) for it. */
static int set_value(struct hf_read *r, const char *hf, const char *spec,
                     long v, const yaml_node_t *n, struct mp_error *err)
{
	const struct arch_key *k = arch_key_find(spec);
	char text[32];

	snprintf(text, sizeof text, "%ld", v);
	if (arch_spec_set(&r->spec, k, text, err) != 0) {
		yamldoc_locate(r->y, n, err);
		mp_error_prefix(err, "%s", hf);
		return -1;
	}
	r->at[key_index(k)] = n;
	return 0;
}

/* The family's key table; rows marked moe only when there are experts. */
static int read_map(struct hf_read *r, struct mp_error *err)
{
	for (const struct hf_map *m = r->fam->map; m->hf != NULL; m++) {
		yaml_node_t *n = get(r, m->hf);

		if (m->moe && r->spec.experts == 0)
			continue;
		if (n == NULL) {
			if (m->required)
				return missing(r, m->hf, err);
			continue;
		}
		if (set_from(r, m->hf, m->spec, n, err) != 0)
			return -1;
	}
	return 0;
}

/* The context length: the one trained at before a RoPE extension, if the
 * config names it (rope_scaling.original_max_position_embeddings). */
static int read_seq(struct hf_read *r, struct mp_error *err)
{
	yaml_node_t *rs = get(r, "rope_scaling"), *n = NULL;
	const char *key = "max_position_embeddings";

	if (rs != NULL && rs->type == YAML_MAPPING_NODE) {
		n = yamldoc_map_get(r->y, rs, "original_max_position_embeddings");
		if (n != NULL && yamldoc_is_null(n))
			n = NULL;
		if (n != NULL)
			key = "rope_scaling.original_max_position_embeddings";
	}
	if (n == NULL)
		n = get(r, "max_position_embeddings");
	return n == NULL ? 0 : set_from(r, key, "seq", n, err);
}

/* MLA: head_dim = qk_nope_head_dim + qk_rope_head_dim (DeepSeek-V2 Sec.
 * 2.1.3: each query and key head is [nope part; RoPE part]). */
static int read_mla(struct hf_read *r, struct mp_error *err)
{
	yaml_node_t *n = get(r, "qk_nope_head_dim");
	long nope;

	if (n == NULL)
		return missing(r, "qk_nope_head_dim", err);
	if (yamldoc_int(r->y, n, 1, 1000000, &nope, err) != 0) {
		mp_error_prefix(err, "qk_nope_head_dim");
		return -1;
	}
	return set_value(r, "qk_nope_head_dim", "head_dim",
	                 nope + r->spec.rope_head_dim, n, err);
}

/* An optional integer key >= lo: *v stays as it is when absent. */
static int opt_int(struct hf_read *r, const char *key, long lo, long *v,
                   yaml_node_t **node, struct mp_error *err)
{
	*node = get(r, key);
	if (*node != NULL && yamldoc_int(r->y, *node, lo, 1000000, v, err) != 0) {
		mp_error_prefix(err, "%s", key);
		return -1;
	}
	return 0;
}

/*
 * DeepSeek's rule (modeling_deepseek.py, DeepseekV2DecoderLayer): layer i
 * is MoE when i >= k = first_k_dense_replace and i % f == 0, f =
 * moe_layer_freq.  Those are m0, m0 + f, ... from m0 = k rounded up to a
 * multiple of f: arch.h's rule with first_dense = m0 - (f - 1), moe_every
 * = f.  (With f > 1 and m0 = 0 that would be negative.)
 */
static int read_deepseek_rule(struct hf_read *r, struct mp_error *err)
{
	yaml_node_t *kn, *fn;
	long k = 0, f = 1, m0;

	if (opt_int(r, "first_k_dense_replace", 0, &k, &kn, err) != 0 ||
	    opt_int(r, "moe_layer_freq", 1, &f, &fn, err) != 0)
		return -1;
	m0 = (k + f - 1) / f * f;
	if (m0 < f - 1)
		return yamldoc_error(r->y, fn, err, "moe_layer_freq: %ld with "
		                     "first_k_dense_replace 0 makes layer 0 MoE, "
		                     "which moeplan's layer rule cannot say", f);
	if (set_value(r, "first_k_dense_replace", "first_dense", m0 - (f - 1),
	              kn != NULL ? kn : r->root, err) != 0)
		return -1;
	return set_value(r, "moe_layer_freq", "moe_every", f,
	                 fn != NULL ? fn : r->root, err);
}

/* Qwen's mlp_only_layers: the distinct layers listed that the rule would
 * make MoE are dense_extra.  Each must be a layer of the model. */
static int read_mlp_only(struct hf_read *r, struct mp_error *err)
{
	yaml_node_t *list = get(r, "mlp_only_layers");
	long L = r->spec.layers, step = r->spec.moe_every > 0 ?
	         r->spec.moe_every : 1, extra = 0, i;
	unsigned char *seen;
	size_t n;

	if (list == NULL)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return yamldoc_error(r->y, list, err, "mlp_only_layers: expected a "
		                     "list of layer numbers");
	if ((seen = calloc((size_t)L, 1)) == NULL)
		return mp_error_set(err, "out of memory");
	n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	for (size_t j = 0; j < n; j++) {
		yaml_node_t *e = yaml_document_get_node(&r->y->doc,
		                                        list->data.sequence.items.start[j]);

		if (yamldoc_int(r->y, e, 0, L - 1, &i, err) != 0) {
			free(seen);
			mp_error_prefix(err, "mlp_only_layers");
			return -1;
		}
		extra += !seen[i] && (i + 1) % step == 0;
		seen[i] = 1;
	}
	free(seen);
	return extra == 0 ? 0 : set_value(r, "mlp_only_layers", "dense_extra",
	                                  extra, list, err);
}

/* Qwen2-MoE's one shared expert of shared_expert_intermediate_size
 * (Qwen2MoeSparseMoeBlock), and mlp_only_layers. */
static int read_qwen_rule(struct hf_read *r, struct mp_error *err)
{
	const yaml_node_t *at = r->at[key_index(arch_key_find("d_shared"))];

	if (r->spec.d_shared > 0 &&
	    set_value(r, "shared_expert_intermediate_size", "shared_experts", 1,
	              at, err) != 0)
		return -1;
	return read_mlp_only(r, err);
}

/* The first entry of architectures, or NULL (err set if it is malformed). */
static int class_name(struct hf_read *r, const char **out, struct mp_error *err)
{
	yaml_node_t *a = get(r, "architectures"), *first;

	*out = NULL;
	if (a == NULL)
		return 0;
	if (a->type != YAML_SEQUENCE_NODE ||
	    a->data.sequence.items.top == a->data.sequence.items.start)
		return yamldoc_error(r->y, a, err, "architectures: expected a list "
		                     "of class names");
	first = yaml_document_get_node(&r->y->doc,
	                               a->data.sequence.items.start[0]);
	if (yamldoc_string(r->y, first, out, err) != 0) {
		mp_error_prefix(err, "architectures");
		return -1;
	}
	return 0;
}

/* An unknown family: Llama's keys if it has no experts or latent attention,
 * with a note; else an error at model_type. */
static int unknown_family(struct hf_read *r, const char *cls, const char *mt,
                          char *note, size_t n, struct mp_error *err)
{
	yaml_node_t *at = get(r, "model_type");
	const char *name = mt != NULL ? mt : cls;

	for (const char *const *w = moe_words; *w != NULL; w++)
		if (get(r, *w) != NULL)
			return yamldoc_error(r->y, at != NULL ? at : r->root, err,
			                     "model_type '%s' is not a family moeplan "
			                     "reads, and its '%s' needs one (known: "
			                     "llama, mistral, mixtral, qwen2_moe, "
			                     "qwen3_moe, olmoe, deepseek_v2, deepseek_v3, "
			                     "granitemoe)", name, *w);
	r->fam = &families[0];
	if (note != NULL)
		snprintf(note, n, "%s: model_type '%s' is not a family moeplan "
		         "knows: read with Llama's keys", r->y->file, name);
	return 0;
}

/* The family by class name first, else model_type. */
static int find_family(struct hf_read *r, char *note, size_t n,
                       struct mp_error *err)
{
	yaml_node_t *mtn = get(r, "model_type");
	const char *cls, *mt = NULL;

	if (class_name(r, &cls, err) != 0)
		return -1;
	if (mtn != NULL && yamldoc_string(r->y, mtn, &mt, err) != 0) {
		mp_error_prefix(err, "model_type");
		return -1;
	}
	if (cls == NULL && mt == NULL)
		return yamldoc_error(r->y, r->root, err, "a Hugging Face config needs "
		                     "'architectures' or 'model_type'");
	r->name = mt != NULL ? mt : cls;
	for (const struct hf_family *f = families; f->model_type != NULL; f++)
		if (cls != NULL && strcmp(cls, f->class_name) == 0)
			return (r->fam = f, 0);
	for (const struct hf_family *f = families; f->model_type != NULL; f++)
		if (mt != NULL && strcmp(mt, f->model_type) == 0)
			return (r->fam = f, 0);
	return unknown_family(r, cls, mt, note, n, err);
}

/* A .json file must hold one JSON object; any file, a mapping. */
static int check_root(struct hf_read *r, struct mp_error *err)
{
	char got[64];

	if (r->root->type == YAML_MAPPING_NODE &&
	    (r->root->data.mapping.style == YAML_FLOW_MAPPING_STYLE ||
	     !ends_with(r->y->file, ".json")))
		return 0;
	return yamldoc_error(r->y, r->root, err, "expected a JSON object "
	                     "({ ... }), got %s",
	                     r->root->type == YAML_MAPPING_NODE ?
	                     "a YAML block mapping" :
	                     yamldoc_describe(r->root, got, sizeof got));
}

/* Build and check; a build error is placed at the config key that set the
 * spec key it blames, else at the top-level object. */
static int build(struct hf_read *r, struct arch *a, struct mp_error *err)
{
	const char *bad;
	const yaml_node_t *at = r->root;

	if (arch_spec_build(&r->spec, a, &bad, err) == 0)
		return 0;
	if (bad != NULL && r->at[key_index(arch_key_find(bad))] != NULL)
		at = r->at[key_index(arch_key_find(bad))];
	yamldoc_locate(r->y, at, err);
	return -1;
}

int hf_config_read(struct yamldoc *y, struct arch *a, char *note, size_t n,
                   struct mp_error *err)
{
	struct hf_read r;

	memset(&r, 0, sizeof r);
	r.y = y;
	r.root = yamldoc_root(y);
	arch_spec_init(&r.spec);
	if (note != NULL && n > 0)
		note[0] = '\0';
	if (check_root(&r, err) != 0 || find_family(&r, note, n, err) != 0)
		return -1;
	/* experts first: without them the rows marked moe are not read */
	if (read_map(&r, err) != 0 || read_seq(&r, err) != 0)
		return -1;
	if (r.fam->rule == RULE_DEEPSEEK &&
	    (read_mla(&r, err) != 0 ||
	     (r.spec.experts > 0 && read_deepseek_rule(&r, err) != 0)))
		return -1;
	if (r.fam->rule == RULE_QWEN && r.spec.experts > 0 &&
	    read_qwen_rule(&r, err) != 0)
		return -1;
	return build(&r, a, err);
}
