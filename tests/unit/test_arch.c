/*
 * test_arch.c — parameter counts and itemised FLOPs (src/core/arch.c), the
 * spec -> arch translation (arch_spec.c) and the share/arch files
 * (io/arch_file.c).
 *
 * Expected values come from published figures (Mistral AI, AllenAI, Qwen,
 * Meta), from Kaplan et al. 2020's forward rule, or from hand formulas
 * written out here term by term, never from the code under test.  One
 * regression test per counting bug listed in reference section 4.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/arch.h"
#include "core/arch_spec.h"
#include "io/arch_file.h"
#include "tap.h"

/* Published configs (Hugging Face config.json of each model). */
static const struct arch mixtral = {
	.layers = 32, .d_model = 4096, .heads = 32, .kv_heads = 8,
	.head_dim = 128, .d_ff = 14336, .mlp_matrices = 3, .vocab = 32000,
	.seq = 32768, .tied = 0, .experts = 8, .top_k = 2, .d_expert = 14336,
	.shared_experts = 0, .moe_every = 1
};
static const struct arch olmoe = {
	.layers = 16, .d_model = 2048, .heads = 16, .kv_heads = 16,
	.head_dim = 128, .d_ff = 1024, .mlp_matrices = 3, .vocab = 50304,
	.seq = 4096, .tied = 0, .experts = 64, .top_k = 8, .d_expert = 1024,
	.shared_experts = 0, .moe_every = 1
};
static const struct arch qwen = {
	.layers = 24, .d_model = 2048, .heads = 16, .kv_heads = 16,
	.head_dim = 128, .d_ff = 5632, .mlp_matrices = 3, .vocab = 151936,
	.seq = 8192, .tied = 0, .experts = 60, .top_k = 4, .d_expert = 1408,
	.shared_experts = 4, .moe_every = 1
};
static const struct arch llama2_7b = {
	.layers = 32, .d_model = 4096, .heads = 32, .kv_heads = 32,
	.head_dim = 128, .d_ff = 11008, .mlp_matrices = 3, .vocab = 32000,
	.seq = 4096, .tied = 0, .moe_every = 1
};

/* A published figure rounded to `unit`: the exact value lies within half
 * a unit of it. */
static void check_rounded(double got, double published, double unit,
                          const char *what)
{
	char buf[160];

	snprintf(buf, sizeof buf, "%s: %.6g rounds to %.4g (+-%.3g)", what, got,
	         published, unit / 2);
	check(got >= published - unit / 2 && got <= published + unit / 2, buf);
}

static void test_published(void)
{
	struct arch_params p;

	/* Mistral AI, "Mixtral of experts" announcement (2023-12-11):
	 * 46.7B total parameters, 12.9B used per token */
	arch_count_params(&mixtral, &p);
	check_rounded(p.total, 46.7e9, 0.1e9, "Mixtral 8x7B total");
	check_rounded(p.active, 12.9e9, 0.1e9, "Mixtral 8x7B active");
	/* Muennighoff et al. 2024 (OLMoE): 6.9B total, 1.3B active */
	arch_count_params(&olmoe, &p);
	check_rounded(p.total, 6.9e9, 0.1e9, "OLMoE-1B-7B total");
	check_rounded(p.active, 1.3e9, 0.1e9, "OLMoE-1B-7B active");
	/* Qwen team 2024: 14.3B total, 2.7B activated.  (The blog's "2.0B
	 * non-embedding" reads as truncated: 2.7B activated minus 0.62B of
	 * embeddings is 2.07B, so it is not checked as a rounded figure.) */
	arch_count_params(&qwen, &p);
	check_rounded(p.total, 14.3e9, 0.1e9, "Qwen1.5-MoE-A2.7B total");
	check_rounded(p.active, 2.7e9, 0.1e9, "Qwen1.5-MoE-A2.7B active");
	/* Llama 2 7B: 6.74B on its model card */
	arch_count_params(&llama2_7b, &p);
	check_rounded(p.total, 6.74e9, 0.01e9, "Llama-2-7B total");
	check_rel(p.active, p.total, 0, "dense: active == total");
}

/* Llama-2-7B term by term: embeddings in and out, per layer Q,K,V,O
 * (4 d^2), SwiGLU (3 d f), two RMSNorm gains, and a final norm. */
static void test_llama_by_hand(void)
{
	struct arch_params p;
	double d = 4096, f = 11008, V = 32000, L = 32;
	double want = 2 * V * d + L * (4 * d * d + 3 * d * f + 2 * d) + d;

	arch_count_params(&llama2_7b, &p);
	check_rel(p.total, want, 0, "Llama-2-7B total by hand");
	check_rel(p.embedding, 2 * V * d, 0, "Llama-2-7B embedding (untied)");
	check_rel(p.nonemb_total, want - 2 * V * d, 0,
	          "Llama-2-7B non-embedding");
}

/*
 * Kaplan et al. 2020, Table 1 / sec. 2.1: C_forward = 2N + 2 n_layer n_ctx
 * d_attn with N = 2 d n_layer (2 d_attn + d_ff) non-embedding parameters
 * (biases, norms, embeddings left out).  Kaplan counts the attention
 * context once (QK^T); our QKV + scores + output + FFN terms must equal it.
 */
static void test_kaplan(void)
{
	struct arch a = {
		.layers = 12, .d_model = 768, .heads = 12, .kv_heads = 12,
		.head_dim = 64, .d_ff = 3072, .mlp_matrices = 2, .vocab = 50257,
		.seq = 1024, .tied = 1, .moe_every = 1
	};
	struct arch_flops f;
	struct arch_params p;
	double n_layer = 12, d = 768, d_attn = 768, d_ff = 3072, n_ctx = 1024;
	double N = 2 * d * n_layer * (2 * d_attn + d_ff);
	double C = 2 * N + 2 * n_layer * n_ctx * d_attn;

	arch_count_flops(&a, &f);
	arch_count_params(&a, &p);
	check_rel(N, 12 * n_layer * d * d, 1e-15, "Kaplan N = 12 n_layer d^2");
	check_rel(f.attn_qkv + f.attn_scores + f.attn_out + f.mlp, C, 1e-15,
	          "Kaplan 2N + 2 n_layer n_ctx d_attn");
	/* our non-embedding count differs from Kaplan's N by the norm gains */
	check_rel(p.nonemb_total, N + 2 * n_layer * d + d, 1e-15,
	          "non-embedding params = Kaplan N + norms");
	check_rel(f.training, 3 * f.forward, 1e-15, "training = 3 x forward");
}

/*
 * Hoffmann et al. 2022, Appendix F, per sequence of S tokens, then / S:
 * QKV 2*3 S d (h k); K@Q 2 S^2 (h k); softmax 3 h S^2; softmax@V 2 S^2
 * (h k); output 2 S (h k) d; dense 2 S (2 d f); logits 2 S d V.  The
 * appendix's embedding term 2 S V d is a lookup, not a matmul: left out.
 */
static void test_chinchilla_appendix_f(void)
{
	struct arch a = {
		.layers = 10, .d_model = 1024, .heads = 8, .kv_heads = 8,
		.head_dim = 128, .d_ff = 4096, .mlp_matrices = 2, .vocab = 32000,
		.seq = 2048, .tied = 0, .moe_every = 1
	};
	struct arch_flops f;
	double S = 2048, d = 1024, hk = 8 * 128, h = 8, ff = 4096, V = 32000;
	double L = 10, per_seq;

	arch_count_flops(&a, &f);
	check_rel(f.attn_qkv, L * 2 * 3 * S * d * hk / S, 1e-15, "App. F QKV");
	check_rel(f.attn_scores, L * 2 * S * S * hk / S, 1e-15, "App. F K@Q");
	check_rel(f.attn_softmax, L * 3 * h * S * S / S, 1e-15, "App. F softmax");
	check_rel(f.attn_values, L * 2 * S * S * hk / S, 1e-15,
	          "App. F softmax@V");
	check_rel(f.attn_out, L * 2 * S * hk * d / S, 1e-15, "App. F output");
	check_rel(f.mlp, L * 2 * S * (2 * d * ff) / S, 1e-15, "App. F dense");
	check_rel(f.logits, 2 * S * d * V / S, 1e-15, "App. F logits");
	per_seq = L * (2 * 3 * S * d * hk + 2 * S * S * hk + 3 * h * S * S +
	               2 * S * S * hk + 2 * S * hk * d + 2 * S * 2 * d * ff) +
	          2 * S * d * V;
	check_rel(f.forward, per_seq / S, 1e-15, "App. F forward per token");
}

/* GQA: K and V projections are g k wide, Q and O h k. */
static void test_gqa(void)
{
	struct arch_flops f;
	struct arch_params p;
	double d = 4096, hk = 32 * 128, gk = 8 * 128, L = 32;

	arch_count_flops(&mixtral, &f);
	arch_count_params(&mixtral, &p);
	check_rel(p.attention, L * (2 * d * hk + 2 * d * gk), 0,
	          "GQA attention params (Mixtral)");
	check_rel(f.attn_qkv, L * 2 * d * (hk + 2 * gk), 0, "GQA QKV FLOPs");
}

/* A small MoE used by the regression tests; fields set per test. */
static struct arch small_moe(void)
{
	struct arch a = {
		.layers = 6, .d_model = 256, .heads = 4, .kv_heads = 4,
		.head_dim = 64, .d_ff = 1024, .mlp_matrices = 3, .vocab = 1000,
		.seq = 128, .tied = 0, .experts = 8, .top_k = 2, .d_expert = 512,
		.shared_experts = 0, .moe_every = 1
	};
	return a;
}

/* Bug: top-k factor dropped (expert FLOPs of one expert per token). */
static void test_bug_top_k(void)
{
	struct arch a = small_moe();
	struct arch_flops f;
	double L = 6, k = 2, d = 256, fe = 512;

	arch_count_flops(&a, &f);
	check_rel(f.experts, L * k * 2 * 3 * d * fe, 0,
	          "bug top-k dropped: expert FLOPs = n_moe k 2 m d f_e");
	check(f.experts != L * 2 * 3 * d * fe, "bug top-k dropped: not k = 1");
}

/* Bug: total instead of active experts in the active count and FLOPs. */
static void test_bug_active(void)
{
	struct arch a = small_moe();
	struct arch_params p;
	struct arch_flops f;
	double L = 6, E = 8, k = 2, d = 256, fe = 512, V = 1000;
	double attn = L * 4 * d * d, router = L * d * E, norms = 2 * L * d + d;
	double emb = 2 * V * d;

	arch_count_params(&a, &p);
	arch_count_flops(&a, &f);
	check_rel(p.active, emb + attn + router + L * k * 3 * d * fe + norms, 0,
	          "bug total-for-active: active params use top_k experts");
	check_rel(p.total, emb + attn + router + L * E * 3 * d * fe + norms, 0,
	          "bug total-for-active: total params use all experts");
	check(f.experts < L * E * 2 * 3 * d * fe,
	      "bug total-for-active: expert FLOPs below all-experts FLOPs");
}

/* Bug: MoE FFN size confused with the dense FFN size. */
static void test_bug_ffn_size(void)
{
	struct arch a = small_moe();
	struct arch_params p;
	struct arch_flops f;
	double d = 256, ff = 1024, fe = 512, k = 2, E = 8;
	double n_moe = 3, n_dense = 3;   /* 6 layers, every 2nd MoE */

	a.moe_every = 2;
	arch_count_params(&a, &p);
	arch_count_flops(&a, &f);
	check_rel(p.mlp, n_dense * 3 * d * ff, 0,
	          "bug FFN size: dense layers use d_ff");
	check_rel(p.experts_total, n_moe * E * 3 * d * fe, 0,
	          "bug FFN size: experts use d_expert");
	check_rel(f.mlp, n_dense * 2 * 3 * d * ff, 0,
	          "bug FFN size: dense FLOPs use d_ff");
	check_rel(f.experts, n_moe * k * 2 * 3 * d * fe, 0,
	          "bug FFN size: expert FLOPs use d_expert");
}

/* Layers i (0-based) with (i + 1) % n == 0, counted one by one. */
static int moe_layers_by_loop(int layers, int n)
{
	int c = 0;

	for (int i = 0; i < layers; i++)
		c += (i + 1) % n == 0;
	return c;
}

/* Bug: MoE-every-n-layers pattern ignored. */
static void test_bug_moe_every(void)
{
	struct arch a = small_moe();
	struct arch_params p;
	double d = 256, ff = 1024, fe = 512, E = 8, V = 1000;
	static const int cases[][2] = { { 6, 1 }, { 6, 2 }, { 6, 3 }, { 5, 2 },
	                                { 7, 4 }, { 24, 6 }, { 1, 1 } };

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char what[96];
		int L = cases[i][0], n = cases[i][1];
		double n_moe = moe_layers_by_loop(L, n), n_dense = L - n_moe;

		a.layers = L;
		a.moe_every = n;
		snprintf(what, sizeof what, "bug moe-every ignored: %d layers, "
		         "every %d", L, n);
		check_int(arch_moe_layers(&a), (long)n_moe, what);
		arch_count_params(&a, &p);
		check_rel(p.total, 2 * V * d + L * 4 * d * d + n_dense * 3 * d * ff +
		          n_moe * (d * E + E * 3 * d * fe) + 2 * L * d + d, 0, what);
	}
	a = small_moe();
	a.experts = 0;
	check_int(arch_moe_layers(&a), 0, "dense: no MoE layers");
}

/* Bug: shared experts forgotten. */
static void test_bug_shared(void)
{
	struct arch a = small_moe();
	struct arch_params p;
	struct arch_flops f;
	double L = 6, s = 2, k = 2, d = 256, fe = 512;

	a.shared_experts = 2;
	arch_count_params(&a, &p);
	arch_count_flops(&a, &f);
	check_rel(p.shared, L * s * 3 * d * fe, 0, "bug shared forgotten: params");
	check_rel(p.active - p.embedding - p.attention - p.router - p.norms,
	          L * (k + s) * 3 * d * fe, 0,
	          "bug shared forgotten: active FFN = (k + s) experts");
	check_rel(f.shared, L * s * 2 * 3 * d * fe, 0,
	          "bug shared forgotten: FLOPs");
}

/* Bug: router omitted (Megatron-LM, llm-analysis). */
static void test_bug_router(void)
{
	struct arch a = small_moe();
	struct arch_params p;
	struct arch_flops f;
	double d = 256, E = 8, n_moe = 3;

	a.moe_every = 2;
	arch_count_params(&a, &p);
	arch_count_flops(&a, &f);
	check_rel(p.router, n_moe * d * E, 0, "bug router omitted: params d E");
	check_rel(f.router, n_moe * 2 * d * E, 0,
	          "bug router omitted: FLOPs 2 d E per MoE layer");
	check_rel(f.forward, f.attn_qkv + f.attn_scores + f.attn_softmax +
	          f.attn_values + f.attn_out + f.mlp + n_moe * 2 * d * E +
	          f.experts + f.shared + f.logits, 0,
	          "bug router omitted: router in the forward sum");
}

/* Bug: embedding lookup counted as a matmul. */
static void test_bug_embedding(void)
{
	struct arch a = small_moe();
	struct arch_flops f, ft;
	struct arch_params p, pt;
	double d = 256, V = 1000, L = 6, S = 128, hk = 256, h = 4, k = 2;
	double fe = 512, E = 8;
	double by_hand = L * (2 * d * 3 * hk + 2 * S * hk + 3 * h * S +
	                      2 * S * hk + 2 * hk * d + 2 * d * E +
	                      k * 2 * 3 * d * fe) + 2 * d * V;

	arch_count_flops(&a, &f);
	check_rel(f.logits, 2 * d * V, 0, "bug embedding matmul: logits 2 d V");
	check_rel(f.forward, by_hand, 1e-15,
	          "bug embedding matmul: forward has one 2 d V, not two");
	a.tied = 1;
	arch_count_flops(&a, &ft);
	arch_count_params(&a, &pt);
	a.tied = 0;
	arch_count_params(&a, &p);
	check_rel(ft.forward, f.forward, 0, "tied: same FLOPs");
	check_rel(pt.embedding, V * d, 0, "tied: embedding V d");
	check_rel(p.embedding, 2 * V * d, 0, "untied: embedding 2 V d");
}

static void test_check(void)
{
	struct mp_error err;
	struct arch a = small_moe();

	mp_error_clear(&err);
	check(arch_check(&mixtral, &err) == 0, "Mixtral passes arch_check");
	check(arch_check(&llama2_7b, &err) == 0, "Llama passes arch_check");
	a.kv_heads = 3;
	check(arch_check(&a, &err) != 0 && strstr(err.msg, "kv_heads") != NULL,
	      "kv_heads must divide heads");
	a = small_moe();
	a.top_k = 9;
	check(arch_check(&a, &err) != 0 && strstr(err.msg, "top_k") != NULL,
	      "top_k <= experts");
	a = small_moe();
	a.moe_every = 7;
	check(arch_check(&a, &err) != 0 && strstr(err.msg, "moe_every") != NULL,
	      "moe_every <= layers");
	a = small_moe();
	a.mlp_matrices = 4;
	check(arch_check(&a, &err) != 0, "mlp_matrices 2 or 3");
	a = small_moe();
	a.layers = 0;
	check(arch_check(&a, &err) != 0 && strstr(err.msg, "layers") != NULL,
	      "layers positive");
}

static int spec_set(struct arch_spec *s, const char *key, const char *v)
{
	struct mp_error err;

	return arch_spec_set(s, arch_key_find(key), v, &err);
}

/* Granularity G (Krajewski et al. 2024): E*G experts of size f_e/G with
 * top_k*G active keep expert parameters and FLOPs; the router grows G x. */
static void test_spec_granularity(void)
{
	struct arch_spec s;
	struct arch a;
	struct mp_error err;
	const char *bad;
	struct arch_params p;
	double d = 512, E = 8, G = 4, fe = 2048, L = 4;

	arch_spec_init(&s);
	spec_set(&s, "layers", "4");
	spec_set(&s, "d_model", "512");
	spec_set(&s, "experts", "8");
	spec_set(&s, "top_k", "2");
	spec_set(&s, "d_expert", "2048");
	spec_set(&s, "granularity", "4");
	spec_set(&s, "shared_experts", "1");
	check(arch_spec_build(&s, &a, &bad, &err) == 0, "spec with G = 4 builds");
	check_int(a.experts, 32, "G = 4: 8 x 4 experts");
	check_int(a.top_k, 8, "G = 4: top 2 x 4");
	check_int(a.shared_experts, 4, "G = 4: 1 x 4 shared");
	check_int(a.d_expert, 512, "G = 4: size 2048 / 4");
	arch_count_params(&a, &p);
	check_rel(p.experts_total, L * E * 3 * d * fe, 0,
	          "G = 4: expert params unchanged");
	check_rel(p.router, L * d * E * G, 0, "G = 4: router d E G");
	spec_set(&s, "granularity", "3");
	check(arch_spec_build(&s, &a, &bad, &err) != 0 && bad != NULL &&
	      strcmp(bad, "granularity") == 0, "G = 3 does not split 2048");
}

static void test_spec_defaults(void)
{
	struct arch_spec s;
	struct arch a;
	struct mp_error err;
	const char *bad = NULL;

	arch_spec_init(&s);
	spec_set(&s, "layers", "32");
	spec_set(&s, "d_model", "4096");
	check(arch_spec_build(&s, &a, &bad, &err) == 0, "defaults build");
	/* Touvron et al. 2023 (Llama): SwiGLU 2/3 4d rounded to 256 = 11008 */
	check_int(a.d_ff, 11008, "default SwiGLU d_ff for d = 4096");
	check_int(a.heads, 32, "default heads: head_dim 128");
	check_int(a.kv_heads, 32, "default kv_heads = heads");
	check_int(a.experts, 0, "default dense");
	spec_set(&s, "mlp", "gelu");
	check(arch_spec_build(&s, &a, &bad, &err) == 0 && a.d_ff == 4 * 4096,
	      "default GELU d_ff 4d");
	spec_set(&s, "top_k", "2");
	check(arch_spec_build(&s, &a, &bad, &err) != 0 && bad != NULL &&
	      strcmp(bad, "top_k") == 0, "top_k without experts is an error");
	arch_spec_init(&s);
	spec_set(&s, "layers", "4");
	spec_set(&s, "d_model", "512");
	spec_set(&s, "experts", "8");
	check(arch_spec_build(&s, &a, &bad, &err) != 0 && bad != NULL &&
	      strcmp(bad, "top_k") == 0, "experts without top_k is an error");
	spec_set(&s, "heads", "7");
	spec_set(&s, "top_k", "1");
	check(arch_spec_build(&s, &a, &bad, &err) != 0 && bad != NULL &&
	      strcmp(bad, "heads") == 0, "heads must divide d_model");
	check(spec_set(&s, "layers", "0") != 0, "layers 0 rejected");
	check(spec_set(&s, "layers", "12x") != 0, "layers 12x rejected");
	check(spec_set(&s, "mlp", "swish") != 0, "mlp swish rejected");
	check(spec_set(&s, "tied", "yes") != 0, "tied yes rejected");
}

/* The shipped arch files hold the published configs. */
static void test_files(void)
{
	static const struct {
		const char *file;
		const struct arch *want;
	} files[] = {
		{ "share/arch/mixtral-8x7b.yaml", &mixtral },
		{ "share/arch/olmoe-1b-7b.yaml", &olmoe },
		{ "share/arch/qwen1.5-moe-a2.7b.yaml", &qwen },
		{ "share/arch/llama-2-7b.yaml", &llama2_7b },
	};
	const char *top = getenv("top_srcdir");

	if (top == NULL)
		top = MOEPLAN_SRCDIR;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[1024], what[MP_ERROR_MSG + 128];
		struct mp_error err;
		struct arch a;
		int rc;

		snprintf(path, sizeof path, "%s/%s", top, files[i].file);
		rc = arch_file_load(path, &a, &err);
		snprintf(what, sizeof what, "%s loads%s%s", files[i].file,
		         rc ? ": " : "", rc ? err.msg : "");
		check(rc == 0, what);
		snprintf(what, sizeof what, "%s = published config", files[i].file);
		check(rc == 0 && memcmp(&a, files[i].want, sizeof a) == 0, what);
	}
}

/*
 * The layer rule layer by layer: DeepSeek-V3's config (num_hidden_layers
 * 61, first_k_dense_replace 3, moe_layer_freq 1) makes layers 3..60 MoE,
 * 58 of them; Mixtral-like moe_every 2 over 32 layers makes the odd ones
 * MoE; two layers kept dense of a 24-layer rule leave 22.
 */
static void test_layer_rule(void)
{
	struct arch v3 = { .layers = 61, .experts = 256, .top_k = 8,
	                   .moe_every = 1, .first_dense = 3 };
	struct arch alt = { .layers = 32, .experts = 8, .top_k = 2, .moe_every = 2 };
	struct arch qw = { .layers = 24, .experts = 60, .top_k = 4, .moe_every = 1,
	                   .dense_extra = 2 };
	int n = 0, dense_first = 1, odd = 1, nq = 0;

	for (int i = 0; i < v3.layers; i++) {
		n += arch_layer_is_moe(&v3, i);
		if (i < 3)
			dense_first &= !arch_layer_is_moe(&v3, i);
	}
	check_int(n, 58, "DeepSeek-V3: 58 MoE layers, layer by layer");
	check(dense_first, "DeepSeek-V3: its first 3 layers dense");
	check_int(arch_moe_layers(&v3), 58, "DeepSeek-V3: arch_moe_layers agrees");
	for (int i = 0; i < alt.layers; i++)
		odd &= arch_layer_is_moe(&alt, i) == (i % 2 == 1);
	check(odd, "moe_every 2: layers 1, 3, 5, ... are MoE");
	for (int i = 0; i < qw.layers; i++)
		nq += arch_layer_is_moe(&qw, i);
	check_int(nq, 22, "two of 24 kept dense: 22 MoE layers, layer by layer");
}

/* arch_moe_layers_below against the rule written out here: layer i is
 * MoE when i >= first_dense, (i - first_dense + 1) is a multiple of
 * moe_every, and it is not among the rule's last dense_extra. */
static int rule_below(const struct arch *a, int j)
{
	int n_rule = a->experts > 0 ? (a->layers - a->first_dense) / a->moe_every
	                            : 0, k = 0, n = 0;

	for (int i = 0; i < j; i++)
		if (a->experts > 0 && i >= a->first_dense &&
		    (i - a->first_dense + 1) % a->moe_every == 0) {
			n += k < n_rule - a->dense_extra;
			k++;
		}
	return n;
}

static void test_layers_below(void)
{
	const struct arch as[] = {
		{ .layers = 61, .experts = 256, .top_k = 8, .moe_every = 1,
		  .first_dense = 3 },
		{ .layers = 32, .experts = 8, .top_k = 2, .moe_every = 2 },
		{ .layers = 24, .experts = 60, .top_k = 4, .moe_every = 1,
		  .dense_extra = 2 },
		{ .layers = 20, .experts = 16, .top_k = 2, .moe_every = 3,
		  .first_dense = 1, .dense_extra = 1 },
		{ .layers = 12, .moe_every = 1 },            /* dense */
	};
	int bad = 0;

	for (size_t c = 0; c < sizeof as / sizeof as[0]; c++)
		for (int j = 0; j <= as[c].layers; j++)
			bad += arch_moe_layers_below(&as[c], j) != rule_below(&as[c], j);
	check_int(bad, 0, "MoE layers below each j, in closed form, as the rule "
	          "counts them layer by layer");
}

int main(void)
{
	test_published();
	test_layer_rule();
	test_layers_below();
	test_llama_by_hand();
	test_kaplan();
	test_chinchilla_appendix_f();
	test_gqa();
	test_bug_top_k();
	test_bug_active();
	test_bug_ffn_size();
	test_bug_moe_every();
	test_bug_shared();
	test_bug_router();
	test_bug_embedding();
	test_check();
	test_spec_granularity();
	test_spec_defaults();
	test_files();
	return check_done();
}
