/*
 * test_memory.c — memory per device (src/core/memory.c): model states by
 * ZeRO stage, activations per layer by parallelism and recomputation, the
 * adaptations to GQA, SwiGLU, fused attention and MoE, the sharding of
 * dense and expert parameters, the pipeline's in-flight micro-batches and
 * the workspace margin.
 *
 * Expected values come from the papers or from formulas written out here,
 * never from the code under test:
 *   - Rajbhandari et al. 2020 (ZeRO), Fig. 1: Psi = 7.5B, N_d = 64,
 *     K = 12: 120 GB (baseline), 31.4 GB (P_os), 16.6 GB (P_os+g),
 *     1.88 GB (P_os+g+p), and the equations printed in that figure;
 *   - Korthikanti et al. 2022, Table 2: activations per layer
 *     sbh(34 + 5as/h), sbh(10 + 24/t + 5as/(ht)), sbh(34/t + 5as/(ht)),
 *     sbh(10 + 24/t), sbh(34/t), and 2sbh with full recomputation, for the
 *     22B, 175B, 530B and 1T configurations of their Table 3 (heads,
 *     hidden size, layers, t = 8, s = 2048; b = 1 here, the formulas being
 *     linear in b);
 *   - for the adaptations, the items of memory.h added up by hand below.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/arch.h"
#include "core/layout.h"
#include "core/memory.h"
#include "tap.h"

#define GB 1e9

/* A GPT-3-style layer (Korthikanti's setting): MHA, 4h GeLU MLP. */
static struct arch gpt(int heads, int hidden, int layers)
{
	struct arch a;

	memset(&a, 0, sizeof a);
	a.layers = layers;
	a.d_model = hidden;
	a.heads = heads;
	a.kv_heads = heads;
	a.head_dim = hidden / heads;
	a.d_ff = 4 * hidden;
	a.mlp_matrices = 2;
	a.vocab = 51200;
	a.seq = 2048;
	return a;
}

static struct layout layout1(void)
{
	struct layout l = { .tp = 1, .pp = 1, .dp = 1, .ep = 1, .cp = 1,
	                    .zero = 0, .recompute = LAYOUT_RECOMPUTE_NONE,
	                    .sequence_parallel = 0, .micro_batch = 1,
	                    .micro_batches = 1 };
	return l;
}

/* ZeRO Fig. 1, to the figure's printed digits, and its equations. */
static void test_zero(void)
{
	struct memory_precision p;
	double psi = 7.5e9, nd = 64, w, g, o;
	static const double fig1[4] = { 120, 31.4, 16.6, 1.88 };
	static const double half_digit[4] = { 0.5, 0.05, 0.05, 0.005 };
	/* Fig. 1: (2 + 2 + K) Psi; 2Psi + 2Psi + K Psi/N_d; 2Psi + (2 + K)
	 * Psi/N_d; (2 + 2 + K) Psi/N_d */
	double eq[4] = { 16 * psi, 4 * psi + 12 * psi / nd,
	                 2 * psi + 14 * psi / nd, 16 * psi / nd };
	char what[96];

	memory_precision_adam_mixed(&p);
	check_rel(p.weight_bytes + p.grad_bytes + p.optim_bytes, 16, 0,
	          "mixed-precision Adam: 16 bytes/param (ZeRO Sec. 3.1)");
	check_rel(p.optim_bytes, 12, 0, "K = 12 (fp32 master, m, v)");
	for (int z = 0; z < 4; z++) {
		double got = memory_states(psi, z, nd, &p, NULL, NULL, NULL);

		snprintf(what, sizeof what, "ZeRO stage %d, 7.5B, N_d 64: %.3g GB "
		         "(Fig. 1)", z, fig1[z]);
		check(fabs(got / GB - fig1[z]) <= half_digit[z], what);
		snprintf(what, sizeof what, "ZeRO stage %d: Fig. 1's equation", z);
		check_rel(got, eq[z], 1e-12, what);
	}
	memory_states(psi, 2, nd, &p, &w, &g, &o);
	check_rel(w, 2 * psi, 1e-12, "stage 2: weights whole");
	check_rel(g, 2 * psi / nd, 1e-12, "stage 2: gradients sharded");
	check_rel(o, 12 * psi / nd, 1e-12, "stage 2: optimizer sharded");
	memory_precision_adam_fp32(&p);
	check_rel(memory_states(1e9, 0, 1, &p, NULL, NULL, NULL), 16e9, 1e-12,
	          "fp32 Adam: 4 + 4 + 8 bytes/param");
}

/* Korthikanti Table 3's configurations: heads, hidden, layers. */
static const struct { const char *name; int a, h, L; } korth[] = {
	{ "22B", 64, 6144, 48 }, { "175B", 96, 12288, 96 },
	{ "530B", 128, 20480, 105 }, { "1T", 160, 25600, 128 },
};

/* One layer's activations under tp t, sequence parallelism sp and
 * policy r, in Korthikanti's setting (unfused scores, dropout). */
static double korth_layer(const struct arch *a, int t, int sp,
                          enum layout_recompute r)
{
	struct layout l = layout1();
	struct memory_precision p;
	struct memory_act_model m = { .fused_attention = 0, .dropout = 1,
	                              .expert_skew = 1 };
	struct memory_layer_act x;

	l.tp = t;
	l.sequence_parallel = sp;
	l.recompute = r;
	memory_precision_adam_mixed(&p);
	memory_layer_activations(a, &l, &p, &m, 0, &x);
	return x.total;
}

static void test_korthikanti(void)
{
	char what[128];

	for (size_t i = 0; i < sizeof korth / sizeof korth[0]; i++) {
		struct arch a = gpt(korth[i].a, korth[i].h, korth[i].L);
		double s = 2048, b = 1, h = korth[i].h, A = korth[i].a, t = 8;
		double sbh = s * b * h;
		struct { int t, sp; enum layout_recompute r; double want;
		         const char *row; } rows[] = {
			{ 1, 0, LAYOUT_RECOMPUTE_NONE, sbh * (34 + 5 * A * s / h),
			  "no parallelism sbh(34 + 5as/h)" },
			{ 8, 0, LAYOUT_RECOMPUTE_NONE,
			  sbh * (10 + 24 / t + 5 * A * s / (h * t)),
			  "tensor parallel sbh(10 + 24/t + 5as/(ht))" },
			{ 8, 1, LAYOUT_RECOMPUTE_NONE,
			  sbh * (34 / t + 5 * A * s / (h * t)),
			  "tensor + sequence parallel sbh(34/t + 5as/(ht))" },
			{ 8, 0, LAYOUT_RECOMPUTE_SELECTIVE, sbh * (10 + 24 / t),
			  "tensor parallel + selective sbh(10 + 24/t)" },
			{ 8, 1, LAYOUT_RECOMPUTE_SELECTIVE, sbh * (34 / t),
			  "tensor + sequence parallel + selective sbh(34/t)" },
		};

		for (size_t j = 0; j < sizeof rows / sizeof rows[0]; j++) {
			snprintf(what, sizeof what, "%s: %s (Table 2)", korth[i].name,
			         rows[j].row);
			check_rel(korth_layer(&a, rows[j].t, rows[j].sp, rows[j].r),
			          rows[j].want, 1e-12, what);
		}
	}
}

/* Full recomputation (Table 2: 2sbh per layer) plus the one layer being
 * recomputed; and 1F1B's in-flight micro-batches on the first stage
 * (Korthikanti Sec. 4.2.3: the first stage holds pp micro-batches of L/pp
 * layers, L layers' worth). */
static void test_recompute_pipeline(void)
{
	struct arch a = gpt(96, 12288, 96);            /* 175B */
	struct arch_params pa;
	struct layout l = layout1();
	struct memory_precision p;
	struct memory_act_model m = { 0, 1, 1 };
	struct memory_use u;
	double s = 2048, h = 12288, A = 96, sbh = s * h, t = 8;
	double layer = sbh * (34 + 5 * A * s / h);

	arch_count_params(&a, &pa);
	memory_precision_adam_mixed(&p);
	l.recompute = LAYOUT_RECOMPUTE_FULL;
	memory_per_device(&a, &pa, &l, &p, &m, 0, &u);
	check_rel(u.activations, 96 * 2 * sbh + layer, 1e-12,
	          "175B full recompute: L 2sbh (Table 2) + one layer");
	l.recompute = LAYOUT_RECOMPUTE_NONE;
	l.tp = 8;
	l.sequence_parallel = 1;
	l.pp = 8;
	l.dp = 1;
	l.micro_batches = 8;
	memory_per_device(&a, &pa, &l, &p, &m, 0, &u);
	check_int(u.stage, 0, "175B pp 8: the first stage is the busiest");
	check_int(u.in_flight, 8, "1F1B: the first stage holds pp micro-batches");
	check_rel(u.activations, 96 * sbh * (34 / t + 5 * A * s / (h * t)), 1e-12,
	          "175B t 8 pp 8: first stage L sbh(34/t + 5as/(ht)) (Sec. 4.2.3)");
	l.micro_batches = 2;
	memory_per_device(&a, &pa, &l, &p, &m, 0, &u);
	check_int(u.in_flight, 2, "1F1B with m = 2 < pp: 2 in flight");
	check_rel(u.activations, 2 * 12 * sbh * (34 / t + 5 * A * s / (h * t)),
	          1e-12, "m = 2: two micro-batches of 12 layers");
	/* interleaved over v = 2 chunks, m = 16: Korthikanti Sec. 4.2.3, the
	 * first stage holds 1 + (p - 1)/(p v) times 1F1B's p micro-batches */
	l.micro_batches = 16;
	l.vpp = 2;
	memory_per_device(&a, &pa, &l, &p, &m, 0, &u);
	check_rel(u.activations, 8 * (1 + 7.0 / (8 * 2)) * 12 * sbh *
	          (34 / t + 5 * A * s / (h * t)), 1e-12,
	          "interleaved v 2: p (1 + (p - 1)/(p v)) micro-batches' worth");
	check_int(u.in_flight, 12, "... 11.5 micro-batches, rounded up");
}

/* Llama-2-70B's shape: GQA (64 heads, 8 kv heads, head_dim 128), SwiGLU
 * f = 28672, s = 4096; fused attention, no dropout. */
static struct arch llama70b(void)
{
	struct arch a;

	memset(&a, 0, sizeof a);
	a.layers = 80;
	a.d_model = 8192;
	a.heads = 64;
	a.kv_heads = 8;
	a.head_dim = 128;
	a.d_ff = 28672;
	a.mlp_matrices = 3;
	a.vocab = 32000;
	a.seq = 4096;
	return a;
}

static void test_adapted(void)
{
	struct arch a = llama70b();
	struct layout l = layout1();
	struct memory_precision p;
	struct memory_act_model m;
	struct memory_layer_act x;
	double s = 4096, b = 1, h = 8192, qd = 64 * 128, kvd = 8 * 128;
	double f = 28672, sb = s * b, want;

	memory_precision_adam_mixed(&p);
	memory_act_model_default(&m);
	/* norms 4sbh; QKV input 2sbh, Q and O 2sb qd each, K and V 2sb kvd
	 * each; softmax statistics 4 a s b (fp32); MLP input 2sbh, gate and
	 * up 4sbf, down input 2sbf */
	want = 4 * sb * h + 2 * sb * h + 4 * sb * qd + 4 * sb * kvd +
	       4 * 64 * sb + 2 * sb * h + 6 * sb * f;
	memory_layer_activations(&a, &l, &p, &m, 0, &x);
	check_rel(x.total, want, 1e-12, "Llama-2-70B layer, t 1: GQA, SwiGLU, "
	          "fused attention");
	check_rel(x.scores, 4 * 64 * sb, 1e-12, "fused: softmax statistics only");
	l.tp = 8;
	l.sequence_parallel = 1;
	memory_layer_activations(&a, &l, &p, &m, 0, &x);
	check_rel(x.total, want / 8, 1e-12, "t 8 with sequence parallelism: /t");
	l.recompute = LAYOUT_RECOMPUTE_SELECTIVE;
	memory_layer_activations(&a, &l, &p, &m, 0, &x);
	check_rel(x.total, want / 8, 1e-12, "fused: selective changes nothing");
	/* t = 16 > 8 kv heads: each rank keeps one kv head whole */
	l.tp = 16;
	memory_layer_activations(&a, &l, &p, &m, 0, &x);
	check_rel(x.attention, 2 * sb / 16 * h + 4 * sb * qd / 16 +
	          4 * sb * 128, 1e-12, "t 16 > kv heads: K, V one head per rank");
}

/* Mixtral-8x7B's shape: 32 layers, all MoE, 8 experts, top 2,
 * d_expert 14336, GQA 32/8. */
static struct arch mixtral(void)
{
	struct arch a = llama70b();

	a.layers = 32;
	a.d_model = 4096;
	a.heads = 32;
	a.kv_heads = 8;
	a.d_ff = 14336;
	a.experts = 8;
	a.top_k = 2;
	a.d_expert = 14336;
	a.moe_every = 1;
	return a;
}

static void test_moe(void)
{
	struct arch a = mixtral();
	struct layout l = layout1();
	struct memory_precision p;
	struct memory_act_model m;
	struct memory_layer_act x;
	double sb = 4096, h = 4096, de = 14336, k = 2, attn, want;

	memory_precision_adam_mixed(&p);
	memory_act_model_default(&m);
	/* norms, attention (32 heads, 8 kv heads of 128), statistics */
	attn = 4 * sb * h + 2 * sb * h + 4 * sb * 4096 + 4 * sb * 1024 +
	       4 * 32 * sb;
	/* router fp32 probabilities 4sbE; input 2sbh; dispatch k 2sbh;
	 * experts k 6sb d_e; combine k 2sbh */
	want = attn + 4 * sb * 8 + 2 * sb * h + k * 2 * sb * h +
	       k * 6 * sb * de + k * 2 * sb * h;
	memory_layer_activations(&a, &l, &p, &m, 1, &x);
	check_rel(x.total, want, 1e-12, "Mixtral MoE layer: router, dispatch "
	          "(top_k copies), expert hidden, combine");
	m.expert_skew = 1.5;
	memory_layer_activations(&a, &l, &p, &m, 1, &x);
	check_rel(x.total, want + 0.5 * (k * 2 * sb * h + k * 6 * sb * de),
	          1e-12, "skew 1.5: the busiest rank's dispatch and experts");
	a.shared_experts = 1;
	m.expert_skew = 1;
	memory_layer_activations(&a, &l, &p, &m, 1, &x);
	check_rel(x.total, want + 6 * sb * de, 1e-12, "one shared expert");
}

/* Dense weights by tp and pp, expert weights by ep and tp: the stages add
 * up to the model; ZeRO shards expert states over dp cp / ep. */
static void test_sharding(void)
{
	struct arch a = mixtral();
	struct arch_params pa;
	struct layout l = layout1();
	struct memory_precision p;
	struct memory_act_model m;
	struct memory_use u;
	double dense_sum = 0, expert_sum = 0, dense, expert, nonexp;

	arch_count_params(&a, &pa);
	memory_precision_adam_mixed(&p);
	memory_act_model_default(&m);
	nonexp = pa.total - pa.experts_total;
	l.tp = 2;
	l.pp = 4;
	l.ep = 4;
	l.dp = 4;
	for (int k = 0; k < l.pp; k++) {
		memory_stage_params(&a, &pa, &l, k, &dense, &expert);
		dense_sum += dense * l.tp;
		expert_sum += expert * l.tp * l.ep;
	}
	check_rel(dense_sum, nonexp, 1e-12, "untied: dense shares x tp over the "
	          "stages = all non-expert parameters");
	check_rel(expert_sum, pa.experts_total, 1e-12, "expert shares x ep tp = "
	          "all experts (total, not active)");
	l = layout1();
	l.ep = 8;
	l.dp = 8;
	l.zero = 1;
	memory_per_device(&a, &pa, &l, &p, &m, 80e9, &u);
	check_rel(u.weights, 2 * nonexp + 2 * pa.experts_total / 8, 1e-12,
	          "ep 8: bf16 weights, experts / 8");
	check_rel(u.optimizer, 12 * nonexp / 8 + 12 * pa.experts_total / 8 / 1,
	          1e-12, "ZeRO-1, dp 8, ep 8: dense K/8, experts K/(8 x 1)");
	check_rel(u.workspace, 8e9, 1e-12, "workspace: 10% of 80 GB");
	check_rel(u.logits, 2 * 4096.0 * 4096 + 4 * 4096.0 * 32000, 1e-12,
	          "logits: output input 2sbh + fp32 logits 4sbV");
	check_rel(u.total, u.states + u.activations + u.logits + u.workspace,
	          1e-12, "total = the items");
}

int main(void)
{
	test_zero();
	test_korthikanti();
	test_recompute_pipeline();
	test_adapted();
	test_moe();
	test_sharding();
	return check_done();
}
