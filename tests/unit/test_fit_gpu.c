/*
 * test_fit_gpu.c — the GEMM cost model's wave term for a GPU (core/cost.h,
 * gemm.sms > 0) and its fit (core/fit.c): the time steps at exactly the
 * rows where a new wave of tiles starts, S = 0 is the CPU equation bit for
 * bit, a sample set made from known parameters with the wave term is
 * fitted back (tiles recovered, parameters within a few per cent), and the
 * profile keeps gemm.sms and model.attention through a write and a read,
 * and the cluster model takes a measured attention efficiency in place of
 * its assumption (CLUSTER_ATTN_EFFICIENCY).
 *
 * The truth is written here from NVIDIA's "Matrix Multiplication
 * Background User's Guide" (tile and wave quantization), independently of
 * cost.c: with integer tile counts,
 *
 *   row_tiles = (m + tm - 1) / tm,  col_tiles = (n + tn - 1) / tn
 *   waves     = (row_tiles col_tiles + S - 1) / S
 *   t = t0 + 2 waves S tm tn k / P (1 + hm / m') (1 + hn / n') (1 + hk / k)
 *          + w (m k + k n + m n) / B,   m' = row_tiles tm, n' = col_tiles tn
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cluster.h"
#include "core/cost.h"
#include "core/error.h"
#include "core/fit.h"
#include "io/profile.h"
#include "tap.h"

/* An H100-like truth: 132 SMs, 128 x 256 tiles, bf16. */
#define S 132
#define TM 128
#define TN 256
#define P 7.0e14
#define B 2.5e12
#define T0 6e-6
#define HM 40.0
#define HN 24.0
#define HK 96.0
#define W 2.0

static long waves_of(long m, long n, long tm, long tn, long sms)
{
	long tiles = ((m + tm - 1) / tm) * ((n + tn - 1) / tn);

	return (tiles + sms - 1) / sms;
}

static double truth(double m, double n, double k)
{
	long mi = (long)m, ni = (long)n;
	double mp = (double)(((mi + TM - 1) / TM) * TM);
	double np = (double)(((ni + TN - 1) / TN) * TN);
	double w = (double)waves_of(mi, ni, TM, TN, S);

	return T0 + 2 * w * S * TM * TN * k / P * (1 + HM / mp) * (1 + HN / np) *
	       (1 + HK / k) + W * (m * k + k * n + m * n) / B;
}

static void add(struct cost_sample *s, size_t *n, enum cost_kernel kind,
                double a, double b, double c, double t)
{
	memset(&s[*n], 0, sizeof s[*n]);
	s[*n].kernel = kind;
	s[*n].dims[0] = a;
	s[*n].dims[1] = b;
	s[*n].dims[2] = c;
	s[*n].seconds = t;
	(*n)++;
}

/* The calibration grid's kinds of GEMM (bench.c) from the truth, and the
 * memory-bound classes at one bandwidth (not what is tested here). */
static size_t synthetic(struct cost_sample *s)
{
	static const double nk[][2] = { { 4096, 4096 }, { 1024, 7168 },
	                                { 7168, 2048 }, { 256, 512 },
	                                { 12288, 1536 } };
	struct cost_model unit = { .elem_bytes = W };
	size_t n = 0;

	for (double x = 64; x <= 16384; x *= 2)          /* squares */
		add(s, &n, COST_GEMM, x, x, x, truth(x, x, x));
	for (double m = 16; m <= 2400; m += 48)          /* the wave scan */
		add(s, &n, COST_GEMM, m, 4096, 4096, truth(m, 4096, 4096));
	for (size_t j = 0; j < sizeof nk / sizeof nk[0]; j++)   /* experts */
		for (double m = 1; m <= 8192; m *= 4)
			add(s, &n, COST_GEMM, m, nk[j][0], nk[j][1],
			    truth(m, nk[j][0], nk[j][1]));
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++)
		for (double x = 1e4; x <= 3e10; x *= 3) {
			double d[3] = { k == COST_STREAM ? x : 64, 64, 3 };

			if (k == COST_SOFTMAX_TOPK)
				d[2] = 2;
			double b = cost_mem_bytes(&unit, k, d);

			/* cost.h's cache equation: 6 TB/s in a 1 GB cache (large,
			 * so that the samples tell the two bandwidths apart), 3
			 * TB/s from memory */
			add(s, &n, k, d[0], d[1], d[2], 2e-6 + b / 6e12 +
			    b * (1 / 3e12 - 1 / 6e12) * b / (b + 1e9));
		}
	return n;
}

static void test_fit_back(void)
{
	struct cost_sample *s = calloc(512, sizeof *s);
	struct cost_model cm = { .elem_bytes = W };
	struct fit_stats st[COST_KERNELS];
	struct mp_error err;
	size_t n;

	if (s == NULL) {
		check(0, "allocation");
		return;
	}
	n = synthetic(s);
	cm.gemm.sms = S;
	mp_error_clear(&err);
	check(fit_cost_model(s, n, &cm, st, &err) == 0, "gpu fit succeeds");
	if (err.msg[0])
		printf("# %s\n", err.msg);
	check_rel(cm.gemm.sms, S, 0, "the fit keeps the SM count");
	check_rel(cm.gemm.block_m, TM, 0, "the fit recovers the tile's rows");
	check_rel(cm.gemm.block_n, TN, 0, "the fit recovers the tile's columns");
	check_rel(cm.gemm.thread_threshold, 0, 0, "one regime on a GPU");
	check_int(cm.gemm.edge.period, 0, "no edge tables on a GPU");
	check_rel(cm.gemm.peak_flops, P, 0.03, "fit recovers P");
	check_rel(cm.gemm.bandwidth, B, 0.05, "fit recovers B");
	check_rel(cm.gemm.overhead, T0, 0.05, "fit recovers t0");
	check_rel(cm.gemm.sat_m, HM, 0.05, "fit recovers h_m");
	check_rel(cm.gemm.sat_n, HN, 0.05, "fit recovers h_n");
	check_rel(cm.gemm.sat_k, HK, 0.05, "fit recovers h_k");
	check(st[COST_GEMM].max_abs < 0.01, "every GEMM sample within 1%");
	printf("# gemm fit: max |error| %.3g\n", st[COST_GEMM].max_abs);
	free(s);
}

/* The steps of t(m) at n = k = 4096 on 128 x 128 tiles over 132 SMs. */
static void test_wave_steps(void)
{
	struct cost_model cm = { .elem_bytes = W };
	int ok = 1, steps = 0;
	double t513, want;

	cm.gemm.peak_flops = P;
	cm.gemm.bandwidth = B;
	cm.gemm.overhead = T0;
	cm.gemm.sat_m = HM;
	cm.gemm.sat_n = HN;
	cm.gemm.sat_k = HK;
	cm.gemm.block_m = cm.gemm.block_n = 128;
	cm.gemm.sms = S;
	for (long m = 2; m <= 2400; m++) {
		double ratio = cost_gemm_seconds(&cm, m, 4096, 4096) /
		               cost_gemm_seconds(&cm, m - 1, 4096, 4096);
		int wave = waves_of(m, 4096, 128, 128, S) !=
		           waves_of(m - 1, 4096, 128, 128, S);

		/* a new wave adds a whole wave's time (> 10% here); elsewhere
		 * the time moves by the memory term and the saturation alone */
		if (wave != (ratio > 1.1)) {
			printf("# m = %ld: ratio %.6g, new wave %d\n", m, ratio, wave);
			ok = 0;
		}
		steps += wave;
	}
	check(ok, "t(m) steps exactly where a new wave starts");
	/* 32 column tiles: 5 row tiles (m = 513) need 160 > 132 slots */
	check_int(steps, 4, "four new waves to m = 2400 (at 513, 1025, 1537, "
	          "2049)");
	check_int(waves_of(513, 4096, 128, 128, S) -
	          waves_of(512, 4096, 128, 128, S), 1, "m = 513 starts a wave");
	t513 = cost_gemm_seconds(&cm, 513, 4096, 4096);
	want = T0 + 2.0 * 2 * S * 128 * 128 * 4096 / P * (1 + HM / 640) *
	       (1 + HN / 4096) * (1 + HK / 4096) +
	       W * (513.0 * 4096 + 4096.0 * 4096 + 513.0 * 4096) / B;
	check_rel(t513, want, 1e-12, "t(513, 4096, 4096): two waves");
}

/* S = 0: the padded CPU equation, bit for bit. */
static void test_no_waves(void)
{
	struct cost_model cm = { .elem_bytes = 4 };
	double m = 37, n = 100, k = 300, mp = 40, np = 112, want;

	cm.gemm.peak_flops = 1e11;
	cm.gemm.bandwidth = 2e10;
	cm.gemm.overhead = 1e-6;
	cm.gemm.sat_m = 3;
	cm.gemm.sat_n = 5;
	cm.gemm.sat_k = 7;
	cm.gemm.block_m = 8;
	cm.gemm.block_n = 16;
	want = (1e-6 + 2.0 * mp * np * k / 1e11 * (1 + 3 / mp) * (1 + 5 / np) *
	        (1 + 7 / k) + 4 * (m * k + k * n + m * n) / 2e10) * exp(0);
	check(cost_gemm_seconds(&cm, m, n, k) == want, "sms = 0: the CPU "
	      "equation, bit for bit");
}

static void test_profile_sms(const char *dir)
{
	struct hw_profile p, q;
	struct mp_error err;
	char path[512], in[1024];
	const char *t = getenv("top_srcdir");

	snprintf(in, sizeof in, "%s/share/hardware/h100-sxm.yaml",
	         t ? t : MOEPLAN_SRCDIR);
	snprintf(path, sizeof path, "%s/gpu.yaml", dir);
	if (profile_load(in, &p, &err) != 0) {
		printf("# %s: %s\n", in, err.msg);
		check(0, "h100-sxm loads");
		return;
	}
	check_rel(p.model.gemm.sms, 0, 0, "a datasheet profile has no wave term");
	p.model.gemm.sms = S;
	p.model.gemm.block_m = TM;
	p.model.gemm.block_n = TN;
	check(profile_write(&p, path, &err) == 0, "written with sms");
	check(profile_load(path, &q, &err) == 0, "... and read back");
	check_rel(q.model.gemm.sms, S, 0, "... gemm.sms kept");
	check_rel(q.model.gemm.block_n, TN, 0, "... the tile kept");
	check_rel(q.model.attn_efficiency, 0, 0, "... no attention measured");
	profile_free(&q);
	p.model.attn_efficiency = 0.42;
	snprintf(p.attention_source, sizeof p.attention_source, "measured");
	check(profile_write(&p, path, &err) == 0, "written with attention");
	check(profile_load(path, &q, &err) == 0, "... and read back");
	check_rel(q.model.attn_efficiency, 0.42, 0, "... attention efficiency kept");
	check_str(q.attention_source, "measured", "... and its source");
	profile_free(&q);
	p.model.attn_efficiency = 1.5;
	check(profile_write(&p, path, &err) == -1 ||
	      profile_load(path, &q, &err) == -1, "an efficiency over 1 is "
	      "refused");
	printf("# %s\n", err.msg);
	profile_free(&p);
}

/* A dense toy on 8 devices: the step with no measured efficiency is the
 * step at the assumption, and a lower measured one makes it slower. */
static double cluster_step(double eff)
{
	static const struct arch toy = {
		.layers = 4, .d_model = 1024, .heads = 8, .kv_heads = 8,
		.head_dim = 128, .d_ff = 4096, .mlp_matrices = 3, .vocab = 32000,
		.seq = 2048, .tied = 0, .moe_every = 1,
	};
	struct cost_model cm;
	struct cluster_spec c;
	struct cluster_run r;
	struct mp_error err;

	memset(&cm, 0, sizeof cm);
	cm.elem_bytes = 2;
	cm.mfu_peak = cm.gemm.peak_flops = 1e14;
	cm.gemm.bandwidth = 1e300;
	for (int k = 0; k < COST_MEM_KERNELS; k++) {
		cm.mem[k].bandwidth = cm.mem[k].bandwidth_mem = 1e12;
		cm.mem[k].cache_bytes = 1;
	}
	cm.attn_efficiency = eff;
	cluster_spec_init(&c);
	c.devices = 8;
	c.device_bytes = 80e9;
	c.links = (struct comm_links){ 8, 450e9, 50e9, 3.4e-6, 9.6e-6 };
	c.cost = &cm;
	c.peak = 1e14;
	c.batch_tokens = 8 * 2048.0;
	if (cluster_best(&c, &toy, &r, &err) != 0) {
		printf("# %s\n", err.msg);
		return NAN;
	}
	return r.step;
}

static void test_cluster_attention(void)
{
	double none = cluster_step(0);

	check(isfinite(none), "the toy has a layout");
	check(none == cluster_step(CLUSTER_ATTN_EFFICIENCY), "no measurement: "
	      "the assumed efficiency");
	check(cluster_step(0.5 * CLUSTER_ATTN_EFFICIENCY) > none, "a lower "
	      "measured efficiency: a slower step");
}

int main(void)
{
	char dir[] = "/tmp/test_fit_gpu.XXXXXX";
	char cmd[96];

	if (mkdtemp(dir) == NULL)
		return 1;
	test_no_waves();
	test_wave_steps();
	test_fit_back();
	test_profile_sms(dir);
	test_cluster_attention();
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return check_done();
}
