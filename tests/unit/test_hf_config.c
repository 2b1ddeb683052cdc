/*
 * test_hf_config.c — Hugging Face config.json files as architectures
 * (io/hf_config.c through io/arch_file.c) and the parts of core/arch.c they
 * need: multi-head latent attention, leading dense layers, shared experts
 * of their own width and the families' layer rules.
 *
 * Expected numbers come from the publishers (model cards, papers, the
 * Hugging Face hub), each cited where it is checked, or from formulas
 * written out here term by term from the config's numbers; never from the
 * code under test.
 *
 * Tolerance of a published count: the figure is the exact count rounded
 * to its last digit (within half a unit) or cut there (up to one unit
 * below the count: Qwen3-30B-A3B's 3.353B is published as "3.3B"), so the
 * count lies in [figure - unit/2, figure + unit].  For these figures of 2
 * to 3 significant digits that is 1% to 3% (7% for the one-digit "400M"),
 * while a part counted wrong moves a count by more: DeepSeek-V3 without
 * its shared experts is 2.6B short of 37B active, MLA read as plain
 * attention with 128 heads of 192 adds 32B to 671B, and Qwen1.5-MoE's
 * shared expert of 5632 taken for one of 1408 takes 0.6B from 14.3B.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arch.h"
#include "core/arch_spec.h"
#include "io/arch_file.h"
#include "tap.h"

static const char *top(void)
{
	const char *t = getenv("top_srcdir");

	return t != NULL ? t : MOEPLAN_SRCDIR;
}

/* Load share/arch/NAME (0 on success), with a check that it loads. */
static int load(const char *name, struct arch *a, struct arch_params *p)
{
	char path[1024], what[MP_ERROR_MSG + 1200];
	struct mp_error err;
	int rc;

	snprintf(path, sizeof path, "%s/share/arch/%s", top(), name);
	rc = arch_file_load(path, a, &err);
	snprintf(what, sizeof what, "%s loads%s%s", name, rc ? ": " : "",
	         rc ? err.msg : "");
	check(rc == 0, what);
	if (rc == 0)
		arch_count_params(a, p);
	return rc;
}

/* got lies in [figure - unit/2, figure + unit] (file comment). */
static void check_published(double got, double figure, double unit,
                            const char *what)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s: %.6g against the published %.4g "
	         "(rounded or cut at %.3g)", what, got, figure, unit);
	check(got >= figure - unit / 2 && got <= figure + unit, buf);
}

/* ---- published counts --------------------------------------------------- */

static void test_dense(void)
{
	struct arch a;
	struct arch_params p;

	/* Hugging Face hub, meta-llama/Llama-2-7b-hf: "6.74B params" (the
	 * model page's count of its safetensors weights) */
	if (load("llama-2-7b-hf.json", &a, &p) == 0) {
		check_published(p.total, 6.74e9, 0.01e9, "Llama-2-7B total");
		check_rel(p.active, p.total, 0, "Llama-2-7B: dense, active == total");
	}
	/* Hugging Face hub, mistralai/Mistral-7B-v0.1: "7.24B params" */
	if (load("mistral-7b-v0.1.json", &a, &p) == 0)
		check_published(p.total, 7.24e9, 0.01e9, "Mistral-7B total");
}

static void test_moe(void)
{
	struct arch a;
	struct arch_params p;

	/* Mistral AI, "Mixtral of experts" (2023-12-11): 46.7B total
	 * parameters, 12.9B used per token */
	if (load("mixtral-8x7b-v0.1.json", &a, &p) == 0) {
		check_published(p.total, 46.7e9, 0.1e9, "Mixtral 8x7B total");
		check_published(p.active, 12.9e9, 0.1e9, "Mixtral 8x7B active");
	}
	/* Muennighoff et al. 2024, "OLMoE", arXiv:2409.02060, Table 1: 6.9B
	 * total, 1.3B active */
	if (load("olmoe-1b-7b-0924.json", &a, &p) == 0) {
		check_published(p.total, 6.9e9, 0.1e9, "OLMoE-1B-7B total");
		check_published(p.active, 1.3e9, 0.1e9, "OLMoE-1B-7B active");
	}
	/* IBM, model cards of granite-3.0-1b-a400m-base and -3b-a800m-base
	 * ("# Parameters", "# Active Parameters"): 1.3B / 400M, 3.3B / 800M */
	if (load("granite-3.0-1b-a400m.json", &a, &p) == 0) {
		check_published(p.total, 1.3e9, 0.1e9, "Granite-3.0-1B-A400M total");
		check_published(p.active, 400e6, 100e6, "Granite-3.0-1B-A400M active");
	}
	if (load("granite-3.0-3b-a800m.json", &a, &p) == 0) {
		check_published(p.total, 3.3e9, 0.1e9, "Granite-3.0-3B-A800M total");
		check_published(p.active, 800e6, 100e6, "Granite-3.0-3B-A800M active");
	}
}

static void test_qwen(void)
{
	struct arch a;
	struct arch_params p;

	/* Qwen team, "Qwen1.5-MoE: Matching 7B Model Performance with 1/3
	 * Activated Parameters" (2024-03-28): 14.3B total, 2.7B activated,
	 * 2.0B non-embedding activated */
	if (load("qwen1.5-moe-a2.7b-chat.json", &a, &p) == 0) {
		check_published(p.total, 14.3e9, 0.1e9, "Qwen1.5-MoE-A2.7B total");
		check_published(p.active, 2.7e9, 0.1e9, "Qwen1.5-MoE-A2.7B active");
		check_published(p.nonemb_active, 2.0e9, 0.1e9,
		                "Qwen1.5-MoE-A2.7B non-embedding active");
		check_int(a.shared_experts, 1, "Qwen1.5-MoE: one shared expert");
		check_int(a.d_shared, 5632, "Qwen1.5-MoE: of 5632, not 1408");
	}
	/* Qwen/Qwen3-30B-A3B model card: "Number of Parameters: 30.5B in total
	 * and 3.3B activated; Number of Parameters (Non-Embedding): 29.9B" */
	if (load("qwen3-30b-a3b.json", &a, &p) == 0) {
		check_published(p.total, 30.5e9, 0.1e9, "Qwen3-30B-A3B total");
		check_published(p.active, 3.3e9, 0.1e9, "Qwen3-30B-A3B active");
		check_published(p.nonemb_total, 29.9e9, 0.1e9,
		                "Qwen3-30B-A3B non-embedding total");
	}
}

/*
 * DeepSeek's "activated" counts leave out the input embedding table (a
 * lookup): DeepSeek-V2-Lite's 2.4B is its 2.45B without it and 2.66B with
 * it; V2's 21B and V3's 37B fit either way.  Checked without it, V d.
 */
static void check_deepseek(const char *file, const char *what, double total,
                           double total_unit, double active, double unit)
{
	struct arch a;
	struct arch_params p;
	char buf[128];

	if (load(file, &a, &p) != 0)
		return;
	snprintf(buf, sizeof buf, "%s total", what);
	check_published(p.total, total, total_unit, buf);
	snprintf(buf, sizeof buf, "%s activated (without the input embedding)",
	         what);
	check_published(p.active - (double)a.vocab * a.d_model, active, unit, buf);
}

static void test_deepseek(void)
{
	/* DeepSeek-AI 2024, "DeepSeek-V2", arXiv:2405.04434, abstract: 236B
	 * total, 21B activated for each token; Appendix B: DeepSeek-V2-Lite
	 * 15.7B total, 2.4B activated */
	check_deepseek("deepseek-v2.json", "DeepSeek-V2", 236e9, 1e9, 21e9, 1e9);
	check_deepseek("deepseek-v2-lite.json", "DeepSeek-V2-Lite", 15.7e9, 0.1e9,
	               2.4e9, 0.1e9);
	/* DeepSeek-AI 2024, "DeepSeek-V3 Technical Report", arXiv:2412.19437,
	 * abstract: 671B total, 37B activated for each token (the 14B of its
	 * multi-token-prediction module aside, Sec. 4.2) */
	check_deepseek("deepseek-v3.json", "DeepSeek-V3", 671e9, 1e9, 37e9, 1e9);
}

/* ---- MLA and the layer rule by hand ------------------------------------- */

/* One DeepSeek-V3 layer's attention from its config's numbers, DeepSeek-V2
 * Sec. 2.1 eqs. (9)-(19): W_DQ, W_UQ (with the RoPE part), W_DKV with W_KR,
 * W_UK with W_UV, W_O; and the two latent norms. */
static void test_mla_by_hand(void)
{
	double d = 7168, h = 128, rq = 1536, rkv = 512, nope = 128, rope = 64;
	double v = 128, L = 61, S = 4096, V = 129280, E = 256, fe = 2048;
	double attn = d * rq + rq * h * (nope + rope) + d * (rkv + rope) +
	              rkv * h * (nope + v) + h * v * d;
	double dense = 3 * d * 18432, expert = 3 * d * fe;
	double total = 2 * V * d + L * (attn + 2 * d + rq + rkv) + d +
	               3 * dense + 58 * (E * expert + expert + d * E);
	struct arch a;
	struct arch_params p;
	struct arch_flops f;

	if (load("deepseek-v3.json", &a, &p) != 0)
		return;
	arch_count_flops(&a, &f);
	check_rel(p.attention, L * attn, 0, "DeepSeek-V3 MLA weights by hand");
	check_rel(p.total, total, 0, "DeepSeek-V3 total by hand");
	check_rel(f.attn_qkv + f.attn_out, 2 * L * attn, 0,
	          "MLA projections: 2 FLOPs per weight");
	check_rel(f.attn_scores, L * 2 * S * h * (nope + rope), 0,
	          "MLA scores over q/k heads of nope + rope");
	check_rel(f.attn_values, L * 2 * S * h * v, 0,
	          "MLA values over heads of v_head_dim");
	check_int(arch_moe_layers(&a), 58, "DeepSeek-V3: 3 dense, then 58 MoE");
}

/* DeepSeek-V2-Lite has no query compression (q_lora_rank null): one
 * d x h (nope + rope) query projection. */
static void test_mla_no_q_rank(void)
{
	double d = 2048, h = 16, rkv = 512, nope = 128, rope = 64, v = 128;
	double attn = d * h * (nope + rope) + d * (rkv + rope) +
	              rkv * h * (nope + v) + h * v * d;
	struct arch a;
	struct arch_params p;

	if (load("deepseek-v2-lite.json", &a, &p) != 0)
		return;
	check_int(a.q_lora_rank, 0, "V2-Lite: q_lora_rank null is none");
	check_rel(p.attention, 27 * attn, 0, "V2-Lite attention by hand");
}

/* Write text to a temporary file named NAME.json; its path in path. */
static void scratch(char *path, size_t n, const char *name, const char *text)
{
	const char *dir = getenv("TMPDIR");
	FILE *f;

	snprintf(path, n, "%s/moeplan-test-hf-%ld-%s",
	         dir != NULL && dir[0] == '/' ? dir : "/tmp", (long)getpid(), name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) == EOF ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* Load text as a config (0 or -1) into a, err, and note. */
static int load_text(const char *name, const char *text, struct arch *a,
                     struct mp_error *err, char *note, size_t n)
{
	char path[1024];
	int rc;

	scratch(path, sizeof path, name, text);
	rc = arch_file_load_noted(path, a, note, n, err);
	unlink(path);
	return rc;
}

#define TINY "\"hidden_size\": 64, \"num_attention_heads\": 4, " \
	"\"intermediate_size\": 256, \"vocab_size\": 100, "

/* The families' rules written as the modeling code has them, against
 * arch_moe_layers: Qwen2-MoE (i + 1) % step == 0 and i not in
 * mlp_only_layers; DeepSeek i >= first_k_dense_replace, i % freq == 0. */
static void test_layer_rules(void)
{
	static const int only[] = { 1, 2, 3, 3, 5 };
	struct arch a;
	struct mp_error err;
	int want = 0, rc;

	for (int i = 0; i < 8; i++) {
		int listed = 0;

		for (size_t j = 0; j < sizeof only / sizeof only[0]; j++)
			listed |= only[j] == i;
		want += (i + 1) % 2 == 0 && !listed;
	}
	rc = load_text("qwen.json", "{\"model_type\": \"qwen2_moe\", " TINY
	               "\"num_hidden_layers\": 8, \"num_experts\": 4, "
	               "\"num_experts_per_tok\": 2, \"moe_intermediate_size\": 32, "
	               "\"decoder_sparse_step\": 2, "
	               "\"mlp_only_layers\": [1, 2, 3, 3, 5]}", &a, &err, NULL, 0);
	check(rc == 0, rc == 0 ? "qwen2_moe rule loads" : err.msg);
	check_int(rc == 0 ? arch_moe_layers(&a) : -1, want,
	          "Qwen2-MoE: step 2, mlp_only_layers [1, 2, 3, 3, 5] of 8");
	want = 0;
	for (int i = 0; i < 10; i++)
		want += i >= 3 && i % 2 == 0;
	rc = load_text("ds.json", "{\"model_type\": \"deepseek_v3\", " TINY
	               "\"num_hidden_layers\": 10, \"n_routed_experts\": 4, "
	               "\"num_experts_per_tok\": 2, \"moe_intermediate_size\": 32, "
	               "\"kv_lora_rank\": 16, \"qk_nope_head_dim\": 8, "
	               "\"qk_rope_head_dim\": 8, \"v_head_dim\": 8, "
	               "\"first_k_dense_replace\": 3, \"moe_layer_freq\": 2}",
	               &a, &err, NULL, 0);
	check(rc == 0, rc == 0 ? "deepseek rule loads" : err.msg);
	check_int(rc == 0 ? arch_moe_layers(&a) : -1, want,
	          "DeepSeek: first_k_dense_replace 3, moe_layer_freq 2 of 10");
}

/* The YAML keys say what a config says: DeepSeek-V2-Lite written by hand
 * counts as its config.json does. */
static void test_yaml_keys(void)
{
	struct arch a, b;
	struct arch_params p, q;
	struct mp_error err;
	char path[1024];
	int rc;

	scratch(path, sizeof path, "lite.yaml",
	        "layers: 27\nd_model: 2048\nheads: 16\nhead_dim: 192\n"
	        "v_head_dim: 128\nkv_lora_rank: 512\nrope_head_dim: 64\n"
	        "d_ff: 10944\nvocab: 102400\nseq: 4096\nexperts: 64\ntop_k: 6\n"
	        "d_expert: 1408\nshared_experts: 2\nfirst_dense: 1\n");
	rc = arch_file_load(path, &a, &err);
	unlink(path);
	check(rc == 0, rc == 0 ? "V2-Lite as YAML loads" : err.msg);
	if (rc != 0 || load("deepseek-v2-lite.json", &b, &q) != 0)
		return;
	arch_count_params(&a, &p);
	check_rel(p.total, q.total, 0, "V2-Lite: YAML total == config.json's");
	check_rel(p.active, q.active, 0, "V2-Lite: YAML active == config.json's");
}

/* ---- errors -------------------------------------------------------------- */

/* A config that fails with a message containing want at line:col. */
static void check_error(const char *name, const char *text, const char *want,
                        int line, int col)
{
	struct arch a;
	struct mp_error err;
	char what[MP_ERROR_MSG + 256];
	int rc = load_text(name, text, &a, &err, NULL, 0);

	snprintf(what, sizeof what, "%s: fails at %d:%d with '%s' (got %d:%d "
	         "'%s')", name, line, col, want, rc ? err.line : 0,
	         rc ? err.col : 0, rc ? err.msg : "no error");
	check(rc != 0 && strstr(err.msg, want) != NULL && err.line == line &&
	      err.col == col && strstr(err.file, name) != NULL, what);
}

static void test_errors(void)
{
	check_error("missing.json", "{\"model_type\": \"mixtral\", " TINY
	            "\"num_hidden_layers\": 2}",
	            "missing key 'num_local_experts'", 1, 1);
	check_error("type.json", "{\n  \"model_type\": \"llama\",\n"
	            "  \"num_hidden_layers\": \"32\",\n  " TINY "\"x\": 0}",
	            "num_hidden_layers: expected an integer", 3, 24);
	check_error("range.json", "{\"model_type\": \"llama\", " TINY
	            "\"num_hidden_layers\": -2}",
	            "num_hidden_layers: -2 is out of range", 1, 136);
	check_error("notjson.json", "model_type: llama\nhidden_size: 64\n",
	            "expected a JSON object", 1, 1);
	check_error("scalar.json", "\"just text\"\n", "expected a JSON object", 1, 1);
	check_error("syntax.json", "{\"model_type\": \"llama\",\n \"x\": [1, 2\n",
	            "syntax error", 3, 1);
	check_error("nofamily.json", "{" TINY "\"num_hidden_layers\": 2}",
	            "needs 'architectures' or 'model_type'", 1, 1);
	check_error("moe.json", "{\"model_type\": \"jamba\", " TINY
	            "\"num_hidden_layers\": 2, \"num_experts\": 4}",
	            "'num_experts' needs one", 1, 16);
	check_error("only.json", "{\"model_type\": \"qwen3_moe\", " TINY
	            "\"num_hidden_layers\": 4, \"num_experts\": 4, "
	            "\"num_experts_per_tok\": 2, \"moe_intermediate_size\": 8, "
	            "\"mlp_only_layers\": [0, 9]}",
	            "mlp_only_layers: 9 is out of range", 1, 238);
	check_error("arches.json", "{\"architectures\": \"LlamaForCausalLM\"}",
	            "architectures: expected a list", 1, 19);
	check_error("heads.json", "{\"model_type\": \"llama\", \"hidden_size\": 60,"
	            " \"num_attention_heads\": 8, \"intermediate_size\": 256, "
	            "\"vocab_size\": 100, \"num_hidden_layers\": 2}",
	            "heads (8) does not divide d_model (60)", 1, 67);
}

/* An unknown family with Llama's keys is read as Llama, with a note. */
static void test_unknown_family(void)
{
	struct arch a;
	struct mp_error err;
	char note[512];
	int rc = load_text("yi.json", "{\"model_type\": \"yi\", " TINY
	                   "\"num_hidden_layers\": 2}", &a, &err, note,
	                   sizeof note);

	check(rc == 0, rc == 0 ? "unknown Llama-like family loads" : err.msg);
	check(rc == 0 && strstr(note, "model_type 'yi'") != NULL &&
	      strstr(note, "Llama's keys") != NULL, note);
	rc = load_text("llama.json", "{\"model_type\": \"llama\", " TINY
	               "\"num_hidden_layers\": 2}", &a, &err, note, sizeof note);
	check(rc == 0 && note[0] == '\0', "a known family: no note");
}

/* --arch NAME finds share/arch/NAME.json. */
static void test_by_name(void)
{
	struct arch a;
	struct mp_error err;
	int rc = arch_file_open("qwen3-30b-a3b", &a, &err);

	check(rc == 0, rc == 0 ? "qwen3-30b-a3b by name" : err.msg);
	check_int(rc == 0 ? a.experts : -1, 128, "qwen3-30b-a3b: 128 experts");
}

int main(void)
{
	test_dense();
	test_moe();
	test_qwen();
	test_deepseek();
	test_mla_by_hand();
	test_mla_no_q_rank();
	test_layer_rules();
	test_yaml_keys();
	test_errors();
	test_unknown_family();
	test_by_name();
	return check_done();
}
