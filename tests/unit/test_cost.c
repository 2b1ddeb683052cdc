/*
 * test_cost.c — the kernel cost model, its fit and hardware profiles.
 *
 * - the fit recovers known parameters from synthetic samples within 1%,
 *   and the thread threshold and register blocks exactly (the samples come
 *   from the equations of cost.h written out here by hand, not from
 *   cost.c), with no residual correction left over;
 * - the correction table: values at knots and halfway, by hand;
 * - routing counts against sums done by hand;
 * - a training step with balanced routing costed once per expert equals
 *   the per-expert sum;
 * - a profile written and read back predicts the same seconds, bit for bit;
 * - version 2 calibration blocks load into the generic fields (cpu as
 *   the device, blas as the library, back end cblas); version 3 is
 *   written, and its unknown back ends and dtypes are refused;
 * - corrupt, truncated and wrong-version profiles are errors with
 *   file:line:col; the datasheet profiles load and say they are not
 *   calibrated.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cost.h"
#include "core/fit.h"
#include "io/profile.h"
#include "tap.h"

/* Known parameters the synthetic samples are made from: the threaded
 * regime (P, B, T0, HM, HN, HK), the single-threaded one below X (P1, ...),
 * register blocks BM x BN. */
static const double P = 1.5e11, B = 2.0e10, T0 = 1.2e-5, HM = 24, HN = 12, HK = 40;
static const double P1 = 6e10, B1 = 1.2e10, T01 = 5e-7, HM1 = 6, HN1 = 20, HK1 = 9;
static const double X = 262144, BM = 4, BN = 8;
static const double M_T0 = 1e-6, M_BC = 6e10, M_BM = 1.5e10, M_C = 4e6;

/* x rounded up to a multiple of b. */
static double up(double x, double b)
{
	return ceil(x / b) * b;
}

/* cost.h's GEMM equation, by hand, fp32. */
static double gemm_truth(double m, double n, double k)
{
	double mp = up(m, BM), np = up(n, BN);
	double mem = 4 * (m * k + k * n + m * n);

	if (m * n * k <= X)
		return T01 + 2 * mp * np * k / P1 * (1 + HM1 / mp) * (1 + HN1 / np) *
		       (1 + HK1 / k) + mem / B1;
	return T0 + 2 * mp * np * k / P * (1 + HM / mp) * (1 + HN / np) *
	       (1 + HK / k) + mem / B;
}

/* cost.h's memory-bound equation, by hand, for x bytes. */
static double mem_truth(double x)
{
	return M_T0 + x / M_BC + x * (1 / M_BM - 1 / M_BC) * x / (x + M_C);
}

/* Bytes per class as cost.h documents them, fp32 (w = 4). */
static double bytes_by_hand(int kernel, const double *d)
{
	switch (kernel) {
	case COST_SOFTMAX_TOPK:
		return 4 * d[0] * d[1] + 2 * 8 * d[0] * d[2] * (1 + log(d[1] / d[2]));
	case COST_DISPATCH:
		return 2 * 4 * d[0] * d[1] * d[2];
	case COST_COMBINE:
		return 4 * d[0] * (d[1] + 1) * d[2];
	case COST_SWIGLU:
		return 3 * 4 * d[0] * d[1];
	default:
		return 3 * 4 * d[0];
	}
}

/* Edge tables of the second synthetic machine (test_edges), period 16:
 * e(j) for j = 0..15 of m and n in each regime, written out by hand.  The
 * threaded m is non-monotonic, as OpenBLAS's two-thread split makes it
 * (m = 12 dearer than m = 16); the threaded n pads to 8; the single m
 * repeats a period-4 pattern; the single n costs 2 rows more than it has. */
static const double EDGE_TM[16] = { 0, 5, 9, 12, 16, 16, 17, 17, 18, 21, 25,
                                    29, 32, 27, 22, 19 };
static const double EDGE_TN[16] = { 0, 8, 8, 8, 8, 8, 8, 8, 8, 16, 16, 16, 16,
                                    16, 16, 16 };
static const double EDGE_SM[16] = { 0, 2.5, 3, 5, 4, 6.5, 7, 9, 8, 10.5, 11,
                                    13, 12, 14.5, 15, 17 };
static const double EDGE_SN[16] = { 0, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                    15, 16, 17 };

/* The threaded m's table the truth uses (test_edges swaps in one with a
 * runaway edge). */
static const double *edge_tm = EDGE_TM;
/* e(13) = 100 rows: six periods, more than any profile holds (cost.h) */
static const double EDGE_TM_RUNAWAY[16] = { 0, 5, 9, 12, 16, 16, 17, 17, 18,
                                            21, 25, 29, 32, 100, 22, 19 };

/* R(x) = 16 floor(x / 16) + e(x mod 16), whole x, by hand */
static double rows16(double x, const double *e)
{
	double q = floor(x / 16);
	int j = (int)(x - 16 * q);

	return 16 * q + e[j];
}

/* cost.h's GEMM equation with the edge tables above instead of blocks. */
static double gemm_truth_edges(double m, double n, double k)
{
	double mem = 4 * (m * k + k * n + m * n), mp, np;

	if (m * n * k <= X) {
		mp = rows16(m, EDGE_SM);
		np = rows16(n, EDGE_SN);
		return T01 + 2 * mp * np * k / P1 * (1 + HM1 / mp) * (1 + HN1 / np) *
		       (1 + HK1 / k) + mem / B1;
	}
	mp = rows16(m, edge_tm);
	np = rows16(n, EDGE_TN);
	return T0 + 2 * mp * np * k / P * (1 + HM / mp) * (1 + HN / np) *
	       (1 + HK / k) + mem / B;
}

static size_t synthetic_with(struct cost_sample *s,
                             double (*gemm)(double, double, double));

static size_t synthetic(struct cost_sample *s)
{
	return synthetic_with(s, gemm_truth);
}

/* The edge scans of the calibration grid (bench.c): m, then n, from 1 to
 * 40 at (512, 256) and (48, 96). */
static size_t edge_scans(struct cost_sample *s,
                         double (*gemm)(double, double, double))
{
	static const double other[2][2] = { { 512, 256 }, { 48, 96 } };
	size_t n = 0;

	for (int x = 1; x <= 40; x++)
		for (int r = 0; r < 2; r++)
			for (int d = 0; d < 2; d++) {
				s[n].kernel = COST_GEMM;
				s[n].dims[0] = d == 0 ? x : other[r][0];
				s[n].dims[1] = d == 0 ? other[r][0] : x;
				s[n].dims[2] = other[r][1];
				s[n].seconds = gemm(s[n].dims[0], s[n].dims[1], s[n].dims[2]);
				n++;
			}
	return n;
}

static size_t synthetic_with(struct cost_sample *s,
                             double (*gemm)(double, double, double))
{
	static const double mm[] = { 1, 3, 4, 13, 16, 64, 100, 256, 1024 };
	static const double nk[][2] = { { 256, 1024 }, { 1024, 256 }, { 64, 4096 },
	                                { 512, 512 }, { 20, 52 }, { 100, 30 },
	                                { 37, 200 } };
	static const double sizes[] = { 1e3, 1e4, 1e5, 1e6, 1e7, 3e7 };
	size_t n = 0;

	/* the ladder: (m, n, k) and (m, n, k + 1) with m n k = 2^j */
	for (int j = 14; j <= 24; j++)
		for (int up1 = 0; up1 < 2; up1++) {
			double m = ldexp(1, j / 3), nn = ldexp(1, (j + 1) / 3);
			double k = ldexp(1, j - j / 3 - (j + 1) / 3) + up1;

			s[n].kernel = COST_GEMM;
			s[n].dims[0] = m;
			s[n].dims[1] = nn;
			s[n].dims[2] = k;
			s[n].seconds = gemm(m, nn, k);
			n++;
		}
	for (size_t i = 0; i < sizeof mm / sizeof mm[0]; i++)
		for (size_t j = 0; j < sizeof nk / sizeof nk[0]; j++) {
			s[n].kernel = COST_GEMM;
			s[n].dims[0] = mm[i];
			s[n].dims[1] = nk[j][0];
			s[n].dims[2] = nk[j][1];
			s[n].seconds = gemm(mm[i], nk[j][0], nk[j][1]);
			n++;
			s[n].kernel = COST_GEMM;   /* the weight-gradient shape */
			s[n].dims[0] = nk[j][1];
			s[n].dims[1] = nk[j][0];
			s[n].dims[2] = mm[i];
			s[n].seconds = gemm(nk[j][1], nk[j][0], mm[i]);
			n++;
		}
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++)
		for (size_t i = 0; i < 6; i++) {
			double x = sizes[i];

			s[n].kernel = k;
			/* shapes whose byte count is x */
			s[n].dims[0] = k == COST_STREAM ? x / 12 : 64;
			s[n].dims[1] = k == COST_SWIGLU ? x / (12 * 64) : 2;
			s[n].dims[2] = k == COST_SWIGLU ? 3 : k == COST_SOFTMAX_TOPK ? 1 : 16;
			if (k == COST_DISPATCH || k == COST_COMBINE)
				s[n].dims[2] = x / bytes_by_hand(k, s[n].dims) * 16;
			if (k == COST_SOFTMAX_TOPK)
				s[n].dims[1] = x / (4 * 64);   /* k = 1: 4 T E + 16 T (1 + ln E) */
			s[n].seconds = mem_truth(bytes_by_hand(k, s[n].dims));
			n++;
		}
	return n;
}

static void test_fit(void)
{
	struct cost_sample s[256];
	struct cost_model cm = { .elem_bytes = 4 };
	struct fit_stats st[COST_KERNELS];
	struct mp_error err;
	size_t n = synthetic(s);

	mp_error_clear(&err);
	check(fit_cost_model(s, n, &cm, st, &err) == 0, "fit succeeds");
	check_rel(cm.gemm.peak_flops, P, 0.01, "fit recovers P");
	check_rel(cm.gemm.bandwidth, B, 0.01, "fit recovers B");
	check_rel(cm.gemm.overhead, T0, 0.01, "fit recovers t0");
	check_rel(cm.gemm.sat_m, HM, 0.01, "fit recovers h_m");
	check_rel(cm.gemm.sat_n, HN, 0.01, "fit recovers h_n");
	check_rel(cm.gemm.sat_k, HK, 0.01, "fit recovers h_k");
	check_rel(cm.gemm.single.peak_flops, P1, 0.01, "fit recovers P single");
	check_rel(cm.gemm.single.bandwidth, B1, 0.01, "fit recovers B single");
	check_rel(cm.gemm.single.overhead, T01, 0.01, "fit recovers t0 single");
	check_rel(cm.gemm.single.sat_m, HM1, 0.01, "fit recovers h_m single");
	check_rel(cm.gemm.single.sat_n, HN1, 0.01, "fit recovers h_n single");
	check_rel(cm.gemm.single.sat_k, HK1, 0.01, "fit recovers h_k single");
	check(cm.gemm.thread_threshold == X, "fit finds the thread threshold 2^18");
	check(cm.gemm.block_m == BM && cm.gemm.block_n == BN,
	      "fit finds the register blocks 4 x 8");
	{
		double mx = 0;

		for (int d = 0; d < 3; d++)
			for (int i = 0; i < COST_CORR_KNOTS; i++)
				mx = fmax(mx, fmax(fabs(cm.gemm.corr.c[d][i]),
				                   fabs(cm.gemm.single.corr.c[d][i])));
		check(mx < 1e-3, "no correction where the equation fits");
	}
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++) {
		const struct cost_mem_params *m = &cm.mem[k - 1];
		char what[64];

		snprintf(what, sizeof what, "fit recovers %s t0", cost_kernel_name(k));
		check_rel(m->overhead, M_T0, 0.01, what);
		snprintf(what, sizeof what, "fit recovers %s Bc", cost_kernel_name(k));
		check_rel(m->bandwidth, M_BC, 0.01, what);
		snprintf(what, sizeof what, "fit recovers %s Bm", cost_kernel_name(k));
		check_rel(m->bandwidth_mem, M_BM, 0.01, what);
		snprintf(what, sizeof what, "fit recovers %s C", cost_kernel_name(k));
		check_rel(m->cache_bytes, M_C, 0.01, what);
	}
	check(st[COST_GEMM].max_abs < 1e-4, "exact samples fit within 0.01%");
	s[0].seconds = 0;
	check(fit_cost_model(s, n, &cm, st, &err) == -1 &&
	      strstr(err.msg, "no positive time") != NULL,
	      "a zero time is an error");
}

/* The edge tables recovered from exact samples of a machine that has
 * them: period 16 chosen (8 cannot follow the pattern, 32 costs more
 * parameters for nothing), each e(j) that a sample sees within 1%, and the
 * rest of the equation as in test_fit. */
static void test_edges(void)
{
	struct cost_sample s[512];
	struct cost_model cm = { .elem_bytes = 4 };
	struct fit_stats st[COST_KERNELS];
	struct mp_error err;
	size_t n = synthetic_with(s, gemm_truth_edges);
	const struct cost_gemm_edge *te = &cm.gemm.edge, *se = &cm.gemm.single.edge;
	double worst = 0, cw;

	n += edge_scans(s + n, gemm_truth_edges);
	mp_error_clear(&err);
	check(fit_cost_model(s, n, &cm, st, &err) == 0, "edges: fit succeeds");
	check_int(te->period, 16, "edges: period 16 chosen (threaded)");
	check_int(se->period, 16, "edges: period 16 chosen (single thread)");
	for (int j = 1; j < 16 && te->period == 16 && se->period == 16; j++) {
		worst = fmax(worst, fabs(te->m[j] / EDGE_TM[j] - 1));
		worst = fmax(worst, fabs(te->n[j] / EDGE_TN[j] - 1));
		worst = fmax(worst, fabs(se->m[j] / EDGE_SM[j] - 1));
		worst = fmax(worst, fabs(se->n[j] / EDGE_SN[j] - 1));
	}
	printf("# edges: largest relative error of e(j), 60 values: %.2e\n", worst);
	check(te->period == 16 && worst < 0.01,
	      "edges: every e(j) of m and n, both regimes, within 1%");
	check_rel(cm.gemm.peak_flops, P, 0.01, "edges: fit recovers P");
	check_rel(cm.gemm.sat_m, HM, 0.01, "edges: fit recovers h_m");
	check_rel(cm.gemm.single.peak_flops, P1, 0.01, "edges: fit recovers P single");
	check_rel(cm.gemm.single.sat_n, HN1, 0.01, "edges: fit recovers h_n single");
	check(st[COST_GEMM].max_abs < 1e-3, "edges: exact samples fit within 0.1%");
	/* and the edge tables through the model: m = 12 dearer than m = 16 */
	cw = cost_gemm_seconds(&cm, 12, 512, 256) / cost_gemm_seconds(&cm, 16, 512, 256);
	check_rel(cw, gemm_truth_edges(12, 512, 256) / gemm_truth_edges(16, 512, 256),
	          0.01, "edges: t(12, 512, 256) / t(16, 512, 256) as the truth's");
	/* an edge whose time runs away (as noise under load makes one): the
	 * fit keeps no table a profile could not hold */
	edge_tm = EDGE_TM_RUNAWAY;
	n = synthetic_with(s, gemm_truth_edges);
	n += edge_scans(s + n, gemm_truth_edges);
	check(fit_cost_model(s, n, &cm, st, &err) == 0, "runaway edge: fit "
	      "succeeds");
	worst = 0;
	for (int j = 1; j < te->period; j++)
		worst = fmax(worst, fmax(te->m[j], te->n[j]) / te->period);
	for (int j = 1; j < se->period; j++)
		worst = fmax(worst, fmax(se->m[j], se->n[j]) / se->period);
	check(worst <= COST_EDGE_MAX_PERIODS, "runaway edge: every e(j) kept is "
	      "at most 4 periods");
	edge_tm = EDGE_TM;
	/* a machine without edges: the scans added, still none chosen */
	n = synthetic(s);
	n += edge_scans(s + n, gemm_truth);
	check(fit_cost_model(s, n, &cm, st, &err) == 0 &&
	      cm.gemm.edge.period == 0 && cm.gemm.single.edge.period == 0,
	      "edges: none chosen where padding to the blocks is exact");
}

/* R(x) between whole numbers: e linear, e(0) = 0 and e(Q) = Q. */
static void test_rows(void)
{
	double e[COST_EDGE_MAX] = { 0, 6, 7, 3 };
	int j;
	double w[2];

	check_rel(cost_gemm_rows(5, 1, e, 4, NULL, NULL), 4 + 6, 1e-12,
	          "rows: 5 = 4 + 1 costs 4 + e(1)");
	check_rel(cost_gemm_rows(2.5, 1, e, 4, &j, w), 0.5 * 7 + 0.5 * 3, 1e-12,
	          "rows: halfway between e(2) and e(3)");
	check(j == 2 && w[0] == 0.5 && w[1] == 0.5, "rows: the weights of e(2), e(3)");
	check_rel(cost_gemm_rows(3.5, 1, e, 4, NULL, NULL), 0.5 * 3 + 0.5 * 4, 1e-12,
	          "rows: between e(3) and e(4) = 4");
	check_rel(cost_gemm_rows(0.25, 1, e, 4, NULL, NULL), 0.25 * 6, 1e-12,
	          "rows: a quarter of a row costs a quarter of e(1)");
	check_rel(cost_gemm_rows(8, 1, e, 4, NULL, NULL), 8, 1e-12,
	          "rows: a whole number of periods costs itself");
	check_rel(cost_gemm_rows(13, 8, NULL, 0, NULL, NULL), 16, 1e-12,
	          "rows: no table: padded to the block");
}

/* The correction table: linear in log2 x between knots 1/2 apart. */
static void test_corr(void)
{
	struct cost_gemm_corr c;

	memset(&c, 0, sizeof c);
	c.c[0][4] = 0.2;    /* m: knot log2 m = 2 (m = 4) */
	c.c[0][5] = 0.4;    /* m = 2^2.5 */
	c.c[1][0] = -0.1;   /* n: knot at n = 1 */
	c.c[2][COST_CORR_KNOTS - 1] = 0.3;   /* k: last knot, k = 4096 */
	check_rel(cost_corr_log(&c, 4, 2, 1), 0.2, 1e-12, "corr at a knot");
	check_rel(cost_corr_log(&c, pow(2, 2.25), 2, 1), 0.3, 1e-12,
	          "corr halfway between knots");
	check_rel(cost_corr_log(&c, 4, 1, 1), 0.1, 1e-12, "corr sums over dims");
	check_rel(cost_corr_log(&c, 1000, 2, 1e6), 0.3, 1e-12,
	          "corr constant beyond the last knot");
	check_rel(cost_corr_log(&c, 1000, 0.5, 2), -0.1, 1e-12,
	          "corr constant below the first knot");
}

static void test_routing(void)
{
	double c[4];

	/* skew 1: weights 1, 1/2, 1/3, 1/4 (sum 25/12) of T k = 200 */
	cost_routing_counts(100, 4, 2, 1, c);
	check_rel(c[0], 96, 1e-12, "zipf(1) expert 0: 200 * 12/25");
	check_rel(c[3], 24, 1e-12, "zipf(1) expert 3: 200 * 3/25");
	/* skew 2: expert 0 would get 200/1.4236 > T = 100, so it is capped and
	 * the other 100 go by 1/4 : 1/9 : 1/16 */
	cost_routing_counts(100, 4, 2, 2, c);
	check_rel(c[0], 100, 1e-12, "zipf(2) expert 0 capped at T");
	check_rel(c[1], 100 * (1 / 4.0) / (1 / 4.0 + 1 / 9.0 + 1 / 16.0), 1e-12,
	          "zipf(2) expert 1 shares the rest");
	cost_routing_counts(100, 4, 2, 0, c);
	check_rel(c[2], 50, 1e-12, "balanced: T k / E");
}

static struct cost_model some_model(void)
{
	struct cost_model cm = { .elem_bytes = 2, .mfu_peak = 1e15,
		.gemm = { .peak_flops = 7e14, .bandwidth = 2.5e12,
		          .overhead = 5e-6, .sat_m = 100, .sat_n = 90,
		          .sat_k = 60 } };

	cm.gemm.thread_threshold = 1 << 20;
	cm.gemm.single.peak_flops = 1e14;
	cm.gemm.single.bandwidth = 1e12;
	cm.gemm.single.overhead = 1e-6;
	cm.gemm.single.sat_m = cm.gemm.single.sat_n = cm.gemm.single.sat_k = 7;
	cm.gemm.block_m = 4;
	cm.gemm.block_n = 16;
	for (int i = 0; i < COST_CORR_KNOTS; i++) {
		cm.gemm.corr.c[0][i] = 0.01 * i;
		cm.gemm.single.corr.c[2][i] = -0.3 + 1.0 / (i + 3);
	}
	for (int k = 0; k < COST_MEM_KERNELS; k++) {
		cm.mem[k].overhead = 3e-6 + 1e-7 * k;
		cm.mem[k].bandwidth = 6e12;
		cm.mem[k].bandwidth_mem = 2e12 - 1e11 * k;
		cm.mem[k].cache_bytes = 5e7;
	}
	return cm;
}

static struct arch some_arch(void)
{
	struct arch a = { .layers = 12, .d_model = 1024, .heads = 16, .kv_heads = 4,
	                  .head_dim = 64, .d_ff = 4096, .mlp_matrices = 3,
	                  .vocab = 32000, .seq = 2048, .tied = 0, .experts = 64,
	                  .top_k = 4, .d_expert = 512, .shared_experts = 1,
	                  .moe_every = 2 };

	return a;
}

static void test_step(void)
{
	struct cost_model cm = some_model();
	struct arch a = some_arch();
	struct cost_breakdown bd;
	double balanced = cost_step_seconds(&cm, &a, 16384, 0, &bd);
	double per_expert = cost_step_seconds(&cm, &a, 16384, 1e-12, NULL);
	double sum = 0;

	check_rel(per_expert, balanced, 1e-9,
	          "balanced step costed once per expert = per-expert sum");
	for (int i = 0; i < bd.n; i++)
		sum += bd.item[i].seconds;
	check_rel(sum, balanced, 1e-12, "items add up to the step");
	check_rel(cost_seconds_per_token(&cm, &a, 16384, NULL), balanced / 16384,
	          1e-12, "seconds per token = step / tokens");
	check(cost_step_seconds(&cm, &a, 16384, 1.2, NULL) > balanced,
	      "skewed routing costs more than balanced");
}

/* A profile with samples, as calibrate would write it. */
static void fill_profile(struct hw_profile *p)
{
	static struct cost_sample s[3] = {
		{ COST_GEMM, "router", { 4096, 64, 1024 }, 1.25e-3, 0.02, 0.031 },
		{ COST_DISPATCH, "moe", { 512, 2, 256 }, 3.1e-5, 0.1, -0.2 },
		{ COST_STREAM, "triad", { 1e6, 0, 0 }, 3.3e-4, 0.05, 1.0 / 3 },
	};

	profile_init(p);
	snprintf(p->name, sizeof p->name, "testhost");
	p->calibrated = 1;
	snprintf(p->label, sizeof p->label, "calibrated on testhost");
	snprintf(p->dtype, sizeof p->dtype, "bf16");
	p->n_peaks = 2;
	snprintf(p->peak_dtype[0], sizeof p->peak_dtype[0], "fp32");
	snprintf(p->peak_dtype[1], sizeof p->peak_dtype[1], "bf16");
	p->peak_flops[0] = 1.0 / 3 * 1e14;
	p->peak_flops[1] = 0.1 + 9.9e14;
	p->price_per_hour = 2.7;
	p->model = some_model();
	p->model.gemm.peak_flops = 2.0 / 3 * 1e15;   /* not short in decimal */
	p->model.mem[2].cache_bytes = M_PI * 1e7;
	/* edge tables in both regimes, values not short in decimal */
	p->model.gemm.edge.period = 8;
	p->model.gemm.single.edge.period = 4;
	for (int j = 1; j < 8; j++) {
		p->model.gemm.edge.m[j] = j + 1.0 / 3;
		p->model.gemm.edge.n[j] = 8 + M_E / j;
		if (j < 4) {
			p->model.gemm.single.edge.m[j] = 4.0 / 7 * j;
			p->model.gemm.single.edge.n[j] = 1 + M_PI / 7 * j;
		}
	}
	snprintf(p->calibration.host, sizeof p->calibration.host, "testhost");
	snprintf(p->calibration.backend, sizeof p->calibration.backend, "cblas");
	snprintf(p->calibration.device, sizeof p->calibration.device,
	         "Test CPU: \"quoted\" #1");
	snprintf(p->calibration.library, sizeof p->calibration.library,
	         "OpenBLAS 0.3.21");
	snprintf(p->calibration.dtype, sizeof p->calibration.dtype, "bf16");
	snprintf(p->calibration.date, sizeof p->calibration.date,
	         "2025-01-01T00:00:00Z");
	snprintf(p->calibration.version, sizeof p->calibration.version, "0.1.0");
	p->calibration.threads = 2;
	p->calibration.quick = 1;
	p->samples = malloc(sizeof s);
	memcpy(p->samples, s, sizeof s);
	p->n_samples = 3;
}

static double predict_all(const struct cost_model *cm)
{
	struct arch a = some_arch();
	double t = cost_gemm_seconds(cm, 3, 7, 11) + cost_gemm_seconds(cm, 4096, 4096, 4096) +
	           cost_gemm_seconds(cm, 33, 70, 130);
	double d[3] = { 4096, 8, 1024 };

	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++)
		t += cost_mem_seconds(cm, k, d);
	return t + cost_step_seconds(cm, &a, 8192, 0.7, NULL);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	fputs(text, f);
	fclose(f);
}

/* Load path expecting an error that contains want and a position. */
static void check_bad(const char *path, const char *want, int line,
                      const char *what)
{
	struct hw_profile p;
	struct mp_error err;
	char buf[1024];
	int rc;

	mp_error_clear(&err);
	rc = profile_load(path, &p, &err);
	mp_error_str(&err, buf, sizeof buf);
	printf("# %s\n", buf);
	check(rc == -1 && strstr(err.msg, want) != NULL && err.line > 0 &&
	      err.col > 0 && (line == 0 || err.line == line), what);
}

static void test_profile(const char *dir)
{
	struct hw_profile p, q;
	struct mp_error err;
	char path[512], bad[512], *text;
	FILE *f;
	long len;

	mp_error_clear(&err);
	snprintf(path, sizeof path, "%s/p.yaml", dir);
	fill_profile(&p);
	check(profile_derive(&p, &err) == 0, "derive dtype");
	check(profile_write(&p, path, &err) == 0, "write profile");
	check(profile_load(path, &q, &err) == 0, "read it back");
	check(predict_all(&q.model) == predict_all(&p.model),
	      "identical predictions after the round trip");
	check(memcmp(&q.model, &p.model, sizeof p.model) == 0,
	      "identical parameters after the round trip");
	check_int((long)q.n_samples, 3, "samples read back");
	check(q.n_samples == 3 && q.samples[2].residual == 1.0 / 3 &&
	      q.samples[1].kernel == COST_DISPATCH, "sample values read back");
	check_str(q.calibration.device, "Test CPU: \"quoted\" #1",
	          "quoted strings read back");
	check_str(q.calibration.backend, "cblas", "v3: backend read back");
	check_str(q.calibration.library, "OpenBLAS 0.3.21", "v3: library read back");
	check_str(q.calibration.dtype, "bf16", "v3: dtype read back");
	check_str(q.calibration.host, "testhost", "v3: host read back");
	check_str(q.calibration.date, "2025-01-01T00:00:00Z", "v3: date read back");
	check_str(q.calibration.version, "0.1.0", "v3: moeplan_version read back");
	check(q.calibrated == 1 && q.calibration.threads == 2 &&
	      q.calibration.quick == 1, "calibration facts read back");
	profile_free(&q);

	/* an unwritable target leaves nothing behind and fails cleanly */
	snprintf(bad, sizeof bad, "%s/no/such/dir/p.yaml", dir);
	check(profile_write(&p, bad, &err) == -1, "write to a missing dir fails");

	/* a profile the reader would refuse (an edge of 7 rows costing 40
	 * rows, five periods of 8) is not written: the old file stays */
	p.model.gemm.edge.m[7] = 40;
	check(profile_write(&p, path, &err) == -1 &&
	      strstr(err.msg, "would not load") != NULL &&
	      strstr(err.msg, "edges") != NULL,
	      "a profile that would not load is not written");
	check(profile_load(path, &q, &err) == 0 && q.model.gemm.edge.m[7] ==
	      7 + 1.0 / 3, "and the profile written before is still there");
	profile_free(&q);
	profile_free(&p);

	/* truncated: half the file */
	f = fopen(path, "r");
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc((size_t)len + 1, 1);
	check(fread(text, 1, (size_t)len, f) == (size_t)len, "read the file");
	fclose(f);
	check(strstr(text, "\nversion: 3\n") != NULL, "written as version 3");
	text[len * 3 / 4] = '\0';
	snprintf(bad, sizeof bad, "%s/trunc.yaml", dir);
	write_text(bad, text);
	free(text);
	mp_error_clear(&err);
	check(profile_load(bad, &q, &err) == -1 && err.line > 0,
	      "a truncated profile is an error with a position");

	snprintf(bad, sizeof bad, "%s/v4.yaml", dir);
	write_text(bad, "# newer\nversion: 4\nname: x\n");
	check_bad(bad, "unsupported profile version 4", 2, "wrong version");
	write_text(bad, "version: 1\nname: x\ncalibrated: true\n");
	check_bad(bad, "re-run moeplan calibrate", 1, "version 1: re-run calibrate");
	write_text(bad, "version: 2\nname: x\ncalibrated: false\nlabel: l\n"
	           "dtype: bf16\npeak_flops: {bf16: 1e15}\nmodel:\n  gemm: {peak_flops: 1, "
	           "bandwidth: 1, overhead: 1, sat_m: 1, sat_n: 1, sat_k: 1, "
	           "thread_threshold: 100}\n"
#define MEM_KEYS " {overhead: 1, bandwidth: 1, bandwidth_mem: 1, cache_bytes: 1}\n"
	           "  softmax_topk:" MEM_KEYS "  dispatch:" MEM_KEYS "  combine:" MEM_KEYS
	           "  swiglu:" MEM_KEYS "  stream:" MEM_KEYS);
#undef MEM_KEYS
	check_bad(bad, "go together", 8, "threshold without the single regime");
	write_text(bad, "version: 2\nname: [x\n");
	check_bad(bad, "", 0, "YAML syntax error");
	write_text(bad, "version: 2\nname: x\ncalibrated: false\nlabel: l\n"
	           "dtype: bf16\npeak_flops: {bf16: 1e15}\nmodel:\n  gemm: {}\n");
	check_bad(bad, "missing key 'softmax_topk'", 8, "incomplete model");
	write_text(bad, "version: 2\nname: x\ncalibrated: false\nlabel: l\n"
	           "dtype: bf16\npeak_flops: {bf16: -1e15}\nmodel: {}\n");
	check_bad(bad, "expected a positive number", 6, "negative peak");
	write_text(bad, "version: 2\nname: x\ncalibrated: false\nlabel: l\n"
	           "dtype: int4\npeak_flops: {bf16: 1e15}\nmodel: {}\n");
	check_bad(bad, "unknown dtype 'int4'", 5, "unknown dtype");
#define MEM_KEYS " {overhead: 1, bandwidth: 1, bandwidth_mem: 1, cache_bytes: 1}\n"
#define EDGE_PROFILE(edges) "version: 2\nname: x\ncalibrated: false\nlabel: l\n" \
	"dtype: bf16\npeak_flops: {bf16: 1e15}\nmodel:\n  gemm:\n    peak_flops: 1\n" \
	"    bandwidth: 1\n    overhead: 1\n    sat_m: 1\n    sat_n: 1\n" \
	"    sat_k: 1\n    edges: " edges "\n" \
	"  softmax_topk:" MEM_KEYS "  dispatch:" MEM_KEYS "  combine:" MEM_KEYS \
	"  swiglu:" MEM_KEYS "  stream:" MEM_KEYS
	write_text(bad, EDGE_PROFILE("{period: 1, m: [], n: []}"));
	check_bad(bad, "edges.period: expected a whole number from 2 to 32", 15,
	          "an edge period of 1");
	write_text(bad, EDGE_PROFILE("{period: 4, m: [1, 2], n: [1, 2, 3]}"));
	check_bad(bad, "edges.m (period - 1 = 3 values)", 15, "an edge table too short");
	write_text(bad, EDGE_PROFILE("{period: 4, m: [1, 2, 3], n: [1, 0, 3]}"));
	check_bad(bad, "expected numbers in (0, 16]", 15, "an edge of 0 rows");
	write_text(bad, EDGE_PROFILE("{period: 4, m: [1, 2, 3], n: [1, 2, 3], k: [1]}"));
	check_bad(bad, "unknown key 'k'", 15, "an edge table of k");
#undef EDGE_PROFILE
#undef MEM_KEYS
}

/* A calibrated profile of format version V whose calibration block begins
 * with FACTS (lines indented by two), one sample. */
#define MEM_KEYS " {overhead: 1, bandwidth: 1, bandwidth_mem: 1, cache_bytes: 1}\n"
#define CALIBRATED(V, FACTS) "version: " V "\nname: x\ncalibrated: true\n" \
	"label: l\ndtype: fp32\npeak_flops: {fp32: 1e12}\nmodel:\n" \
	"  gemm: {peak_flops: 1, bandwidth: 1, overhead: 1, sat_m: 1, sat_n: 1, " \
	"sat_k: 1}\n" \
	"  softmax_topk:" MEM_KEYS "  dispatch:" MEM_KEYS "  combine:" MEM_KEYS \
	"  swiglu:" MEM_KEYS "  stream:" MEM_KEYS "calibration:\n" FACTS \
	"  date: 2024-06-01T00:00:00Z\n  host: oldhost\n  threads: 4\n" \
	"  quick: false\n  moeplan_version: 0.0.9\n  sample_count: 1\n" \
	"  samples:\n    - {kernel: gemm, tag: square, dims: [64, 64, 64], " \
	"seconds: 1e-5, spread: 0.1, residual: 0}\n"

/* Version 2 calibration blocks load into the generic fields; version 3
 * refuses a back end it does not know, at its position. */
static void test_profile_versions(const char *dir)
{
	struct hw_profile p;
	struct mp_error err;
	char path[512];

	snprintf(path, sizeof path, "%s/v2.yaml", dir);
	write_text(path, CALIBRATED("2", "  cpu: Old CPU @ 2.0GHz\n"
	                            "  blas: OpenBLAS 0.3.20 NO_AFFINITY\n"));
	mp_error_clear(&err);
	if (profile_load(path, &p, &err) != 0) {
		check(0, "a version 2 calibrated profile loads");
		printf("# %s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
	} else {
		check(1, "a version 2 calibrated profile loads");
		check_str(p.calibration.device, "Old CPU @ 2.0GHz", "v2: cpu -> device");
		check_str(p.calibration.library, "OpenBLAS 0.3.20 NO_AFFINITY",
		          "v2: blas -> library");
		check_str(p.calibration.backend, "cblas", "v2: backend cblas");
		check_str(p.calibration.dtype, "fp32", "v2: dtype the profile's");
		check_str(p.calibration.host, "oldhost", "v2: host");
		check(p.calibration.threads == 4 && p.n_samples == 1 &&
		      p.samples[0].seconds == 1e-5, "v2: threads and samples");
		profile_free(&p);
	}
	write_text(path, CALIBRATED("2", "  backend: cblas\n  cpu: c\n  blas: b\n"));
	check_bad(path, "unknown key 'backend'", 15, "v2 has no backend key");
	write_text(path, CALIBRATED("3", "  cpu: c\n  blas: b\n"));
	check_bad(path, "unknown key 'cpu'", 15, "v3 has no cpu key");
	write_text(path, CALIBRATED("3", "  backend: fortran77\n  device: d\n"
	                            "  library: l\n  dtype: fp32\n"));
	check_bad(path, "unknown back end 'fortran77'", 15, "v3: unknown backend");
	write_text(path, CALIBRATED("3", "  backend: cblas\n  device: d\n"
	                            "  library: l\n  dtype: int3\n"));
	check_bad(path, "unknown dtype 'int3'", 18, "v3: unknown calibration dtype");
	write_text(path, CALIBRATED("3", "  backend: cblas\n  device: d\n"
	                            "  library: l\n  dtype: fp32\n"));
	mp_error_clear(&err);
	check(profile_load(path, &p, &err) == 0 &&
	      strcmp(p.calibration.device, "d") == 0 &&
	      strcmp(p.calibration.library, "l") == 0, "a version 3 profile by hand");
	profile_free(&p);
}
#undef CALIBRATED
#undef MEM_KEYS

static void test_datasheets(void)
{
	static const char *const names[] = { "h100-sxm", "h200", "a100-80gb",
	                                     "mi300x", "generic-cpu" };
	const char *top = getenv("top_srcdir");

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct hw_profile p;
		struct mp_error err;
		char path[1024], what[128];
		double s, mfu;

		snprintf(path, sizeof path, "%s/share/hardware/%s.yaml",
		         top ? top : MOEPLAN_SRCDIR, names[i]);
		mp_error_clear(&err);
		snprintf(what, sizeof what, "%s loads", names[i]);
		if (profile_load(path, &p, &err) != 0) {
			check(0, what);
			printf("# %s: %s\n", path, err.msg);
			continue;
		}
		check(1, what);
		snprintf(what, sizeof what, "%s says it is not calibrated", names[i]);
		check(!p.calibrated && strcmp(p.label, PROFILE_DATASHEET_LABEL) == 0, what);
		/* an 8192^3 GEMM reaches most, not all, of the dense peak */
		s = cost_gemm_seconds(&p.model, 8192, 8192, 8192);
		mfu = 2.0 * 8192 * 8192 * 8192 / s / p.model.mfu_peak;
		snprintf(what, sizeof what, "%s large-GEMM MFU %.2f in [0.5, 0.85]",
		         names[i], mfu);
		check(mfu > 0.5 && mfu < 0.85, what);
		profile_free(&p);
	}
}

int main(void)
{
	char dir[] = "/tmp/test_cost.XXXXXX";

	gsl_set_error_handler_off();
	if (mkdtemp(dir) == NULL)
		return 1;
	test_fit();
	test_edges();
	test_rows();
	test_corr();
	test_routing();
	test_step();
	test_profile(dir);
	test_profile_versions(dir);
	test_datasheets();
	{
		char cmd[64];

		snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", dir);
	}
	return check_done();
}
