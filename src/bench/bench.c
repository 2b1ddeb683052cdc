/*
 * bench.c — the calibration grid and the measurement of one sample
 * (see bench.h), on a device of any back end.  Each kernel handle is
 * allocated, timed and freed here within one measurement.
 */
#include "config.h"

#include "bench.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu_grid.h"

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

#define RANDOM_SEED 20250101ul

void bench_protocol_for(int quick, struct bench_protocol *p)
{
	/* operands rotate through copies (kernels.h), so a few milliseconds
	 * of warm-up reach the steady state; the time goes to more shapes */
	p->warmup = quick ? 0.001 : 0.003;
	p->min_sample = quick ? 0.002 : 0.008;
	p->samples = quick ? 3 : 5;
}

/* Time one GEMM shape once into *t. */
static int measure_gemm(const struct bench_protocol *p, struct bench_device *dev,
                        const struct bench_shape *sh, struct bench_timing *t,
                        struct mp_error *err)
{
	const struct bench_backend *b = dev->backend;
	struct bench_gemm_spec g;
	void *h;

	memset(&g, 0, sizeof g);
	g.m = (int)sh->s.dims[0];
	g.n = (int)sh->s.dims[1];
	g.k = (int)sh->s.dims[2];
	g.ta = sh->ta;
	g.tb = sh->tb;
	g.dtype = dev->dtype;
	g.rotate = 1;
	if (b->gemm_alloc(dev->state, &g, &h, err) != 0)
		return -1;
	bench_time(p, dev, b->gemm_run, h, t);
	b->gemm_free(dev->state, h);
	return 0;
}

/* Time one memory-bound shape once into *t. */
static int measure_mem(const struct bench_protocol *p, struct bench_device *dev,
                       const struct bench_shape *sh, struct bench_timing *t,
                       struct mp_error *err)
{
	const struct bench_backend *b = dev->backend;
	struct bench_mem_spec m;
	void *h;

	memset(&m, 0, sizeof m);
	m.kind = sh->s.kernel;
	memcpy(m.dims, sh->s.dims, sizeof m.dims);
	m.dtype = dev->dtype;
	if (b->mem_alloc(dev->state, &m, &h, err) != 0)
		return -1;
	bench_time(p, dev, b->mem_run, h, t);
	b->mem_free(dev->state, h);
	return 0;
}

/* Time one shape once (one sample of the protocol) into *t. */
static int measure_once(const struct bench_protocol *p, struct bench_device *dev,
                        const struct bench_shape *sh, struct bench_timing *t,
                        struct mp_error *err)
{
	return sh->s.kernel == COST_GEMM ? measure_gemm(p, dev, sh, t, err)
	                                 : measure_mem(p, dev, sh, t, err);
}

int bench_measure(const struct bench_protocol *p, struct bench_device *dev,
                  struct bench_shape *sh, struct mp_error *err)
{
	struct bench_timing t;

	if (measure_once(p, dev, sh, &t, err) != 0)
		return -1;
	sh->s.seconds = t.median;
	sh->s.spread = (t.max - t.min) / t.median;
	return 0;
}

/* ---- the grid ------------------------------------------------------------- */

struct bench_grid {
	struct bench_shape *v;
	size_t n, cap;
	double max_flops;
	const struct bench_limits *lim;
};

static int add(struct bench_grid *g, enum cost_kernel kernel, const char *tag,
               double a, double b, double c, int ta, int tb)
{
	struct bench_shape *sh;

	if (kernel == COST_GEMM && 2 * a * b * c > g->max_flops)
		return 0;
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 256;
		struct bench_shape *v = realloc(g->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		g->v = v;
		g->cap = cap;
	}
	sh = &g->v[g->n++];
	memset(sh, 0, sizeof *sh);
	sh->s.kernel = kernel;
	snprintf(sh->s.tag, sizeof sh->s.tag, "%s", tag);
	sh->s.dims[0] = a;
	sh->s.dims[1] = b;
	sh->s.dims[2] = c;
	sh->ta = ta;
	sh->tb = tb;
	return 0;
}

/* Router [T x d]·[d x E]. */
static int grid_router(struct bench_grid *g, int quick)
{
	static const int T[] = { 64, 512, 4096 }, E[] = { 4, 16, 64, 256 };
	static const int d[] = { 256, 1024 };
	int rc = 0;

	for (size_t i = 0; i < N_OF(T); i++)
		for (size_t j = 0; j < N_OF(E); j++)
			for (size_t l = 0; l < N_OF(d); l++)
				if (!quick || (i + j + l) % 2 == 0)
					rc |= add(g, COST_GEMM, "router", T[i], E[j], d[l], 0, 0);
	return rc;
}

/*
 * Expert GEMMs forward and backward for token counts c per expert, half an
 * octave apart, c = round(2^(j/2)) from 1 to the device's max_tokens
 * (2048 on a CPU; quick: every third j):
 * skewed routing gives any count, and OpenBLAS's time is not monotonic in
 * a small m (edge tiles, the split across threads), so the counts between
 * the powers of two matter.
 */
static int grid_experts(struct bench_grid *g, int quick)
{
	/* the last pair's weights (3.3 MB) make even c = 1 multi-threaded */
	static const int d[] = { 256, 512, 1024, 640 }, f[] = { 704, 512, 256, 1280 };
	int rc = 0, prev = 0;

	for (int j = 0; lround(pow(2, j / 2.0)) <= g->lim->max_tokens;
	     j += quick ? 3 : 1) {
		int c = (int)lround(pow(2, j / 2.0)), bwd = j % 2 == 0;

		if (c == prev)
			continue;
		prev = c;
		for (size_t p = 0; p < N_OF(d); p++) {
			/* quick: two pairs; the big pair at whole octaves only */
			if ((quick && (p == 1 || p == 2)) || (p == 3 && !quick && !bwd))
				continue;
			rc |= add(g, COST_GEMM, "up", c, f[p], d[p], 0, 0);
			rc |= add(g, COST_GEMM, "down", c, d[p], f[p], 0, 0);
			if (!bwd && !quick)
				continue;
			/* dX = dY W^T; dW = X^T dY (k = tokens) */
			rc |= add(g, COST_GEMM, "up_dx", c, d[p], f[p], 0, 1);
			rc |= add(g, COST_GEMM, "up_dw", d[p], f[p], c, 1, 0);
			rc |= add(g, COST_GEMM, "down_dx", c, f[p], d[p], 0, 1);
			rc |= add(g, COST_GEMM, "down_dw", f[p], d[p], c, 1, 0);
		}
	}
	return rc;
}

/*
 * The thread-threshold ladder: pairs (m, n, k) and (m, n, k + 1) with
 * m n k = 2^j, near cubes, j = 14..24.  Where the BLAS starts a GEMM's
 * threads (OpenBLAS: m n k > 2^18 by default) the second call of a pair
 * pays their wake-up and the first does not (fit.c finds the jump).
 */
static int grid_ladder(struct bench_grid *g)
{
	int rc = 0;

	for (int j = 14; j <= 24; j++) {
		int em = j / 3, en = (j + 1) / 3, ek = j - em - en;
		double m = ldexp(1, em), n = ldexp(1, en), k = ldexp(1, ek);

		rc |= add(g, COST_GEMM, "ladder", m, n, k, 0, 0);
		rc |= add(g, COST_GEMM, "ladder", m, n, k + 1, 0, 0);
	}
	return rc;
}

/*
 * Edge scans: m and then n from 1 to the device's edge_rows (40 on a CPU:
 * every residue modulo 32 and some twice), the other dimensions fixed, in each thread regime (the threaded
 * one at n k = 2^17, the single-threaded one at n k = 4608, both sides of
 * OpenBLAS's 2^18 for every m): what the last, partial blocks of rows cost
 * (cost.h's edge tables), which is not monotonic in the rows.
 */
static int grid_edges(struct bench_grid *g)
{
	static const double other[2][2] = { { 512, 256 }, { 48, 96 } };
	int rc = 0;

	for (int x = 1; x <= g->lim->edge_rows; x++)
		for (size_t r = 0; r < N_OF(other); r++) {
			rc |= add(g, COST_GEMM, "edge_m", x, other[r][0], other[r][1], 0, 0);
			rc |= add(g, COST_GEMM, "edge_n", other[r][0], x, other[r][1], 0, 0);
		}
	return rc;
}

/* Square GEMMs (the largest gives the achievable peak) and random shapes,
 * log-uniform in m in [1, max_dim], n and k in [16, max_dim] (max_dim 4096
 * on a CPU). */
static int grid_other(struct bench_grid *g, int quick)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0, count = quick ? 32 : 96;
	double top = g->lim->max_dim;

	if (r == NULL)
		return -1;
	for (int s = 64; s <= g->lim->max_square; s *= 2)
		rc |= add(g, COST_GEMM, "square", s, s, s, 0, 0);
	gsl_rng_set(r, RANDOM_SEED);
	for (int i = 0; i < count; i++) {
		double m = round(exp(gsl_rng_uniform(r) * log(top)));
		double n = round(16 * exp(gsl_rng_uniform(r) * log(top / 16)));
		double k = round(16 * exp(gsl_rng_uniform(r) * log(top / 16)));

		rc |= add(g, COST_GEMM, "random", m, n, k, 0, 0);
	}
	gsl_rng_free(r);
	return rc;
}

static int grid_memory(struct bench_grid *g, int quick)
{
	static const int T[] = { 64, 512, 4096 }, E[] = { 8, 64, 256 };
	static const int k[] = { 1, 2, 8 }, d[] = { 256, 1024 };
	static const int rows[] = { 1, 16, 256, 4096 }, f[] = { 256, 1408 };
	static const double n[] = { 1e3, 1e4, 1e5, 1e6, 1e7, 3e7 };
	double n_max = quick ? g->lim->quick_max_stream : g->lim->max_stream;
	int rc = 0;

	for (size_t i = 0; i < N_OF(T); i++)
		for (size_t j = 0; j < N_OF(k); j++) {
			if (quick && j == 1)
				continue;
			for (size_t l = 0; l < N_OF(E); l++)
				rc |= add(g, COST_SOFTMAX_TOPK, "router", T[i], E[l], k[j], 0, 0);
			for (size_t l = 0; l < N_OF(d); l++) {
				/* quick: not the 134 MB one, allocated and touched anew
				 * in every pass */
				if (quick && T[i] * k[j] * d[l] > (1 << 24))
					continue;
				rc |= add(g, COST_DISPATCH, "moe", T[i], k[j], d[l], 0, 0);
				rc |= add(g, COST_COMBINE, "moe", T[i], k[j], d[l], 0, 0);
			}
		}
	for (size_t i = 0; i < N_OF(rows); i++)
		for (size_t j = 0; j < N_OF(f); j++)
			rc |= add(g, COST_SWIGLU, "expert", rows[i], f[j], 3, 0, 0);
	for (size_t i = 0; i < N_OF(n); i++)
		if (n[i] <= n_max)
			rc |= add(g, COST_STREAM, "triad", n[i], 0, 0, 0, 0);
	return rc;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * Samples are taken in passes over the whole grid, one sample of each shape
 * per pass, so that a burst of load from elsewhere on the machine spoils
 * one sample of many shapes rather than every sample of a few; the median
 * over passes is the shape's time.
 */
static int run_passes(const struct bench_protocol *p, struct bench_grid *g,
                      const struct bench_opts *o, struct bench_device *dev,
                      double *t, struct mp_error *err)
{
	struct bench_protocol one = *p;
	int passes = p->samples, rc = 0, total = passes * (int)g->n;

	one.samples = 1;
	for (int pass = 0; pass < passes && rc == 0; pass++)
		for (size_t i = 0; i < g->n && rc == 0; i++) {
			struct bench_timing bt;

			if ((rc = measure_once(&one, dev, &g->v[i], &bt, err)) != 0)
				break;
			t[i * passes + pass] = bt.median;
			if (o->progress != NULL)
				o->progress(o->progress_ctx, pass * (int)g->n + (int)i + 1,
				            total);
			if (o->interleave != NULL)
				o->interleave(o->interleave_ctx,
				              total - pass * (int)g->n - (int)i - 1);
		}
	return rc;
}

/*
 * A GPU's wave scan (gpu_grid.h): GEMMs m x 4096 x 4096 with m stepping
 * by 16 rows (quick: 64) across the tile and wave boundaries of three
 * waves of 128 x 128 tiles over the device's SMs.
 */
static int grid_waves(struct bench_grid *g, int quick)
{
	int m[512], n, rc = 0;

	n = bench_gpu_wave_rows(g->lim->sms, BENCH_GPU_SCAN_N, quick ? 64 : 16,
	                        m, (int)N_OF(m));
	for (int i = 0; i < n && i < (int)N_OF(m); i++)
		rc |= add(g, COST_GEMM, "wave", m[i], BENCH_GPU_SCAN_N,
		          BENCH_GPU_SCAN_K, 0, 0);
	return rc;
}

/* The whole grid of the device's class, into g. */
static int grid_build(struct bench_grid *g, int quick)
{
	return grid_router(g, quick) || grid_experts(g, quick) ||
	       (g->lim->thread_ladder && grid_ladder(g)) || grid_edges(g) ||
	       grid_other(g, quick) || (g->lim->sms > 0 && grid_waves(g, quick)) ||
	       grid_memory(g, quick) ? -1 : 0;
}

int bench_run_grid(const struct bench_opts *o, struct bench_device *dev,
                   struct cost_sample **samples, size_t *n,
                   struct mp_error *err)
{
	struct bench_limits lim;
	struct bench_grid g = { NULL, 0, 0, 0, &lim };
	struct bench_protocol p;
	struct cost_sample *out = NULL;
	double *t = NULL;
	int rc = -1;

	*samples = NULL;
	*n = 0;
	bench_protocol_for(o->quick, &p);
	dev->backend->limits(dev->state, &lim);
	g.max_flops = o->quick ? lim.quick_max_flops : lim.max_flops;
	if (grid_build(&g, o->quick) != 0 ||
	    (out = malloc(g.n * sizeof *out)) == NULL ||
	    (t = malloc(g.n * (size_t)p.samples * sizeof *t)) == NULL) {
		mp_error_set(err, "out of memory building the grid");
		goto done;
	}
	if (run_passes(&p, &g, o, dev, t, err) != 0)
		goto done;
	for (size_t i = 0; i < g.n; i++) {
		double *ti = t + i * (size_t)p.samples;
		int m = p.samples;

		qsort(ti, (size_t)m, sizeof *ti, cmp_double);
		out[i] = g.v[i].s;
		out[i].seconds = m % 2 ? ti[m / 2] : 0.5 * (ti[m / 2 - 1] + ti[m / 2]);
		out[i].spread = (ti[m - 1] - ti[0]) / out[i].seconds;
	}
	*samples = out;
	*n = g.n;
	out = NULL;
	rc = 0;
done:
	free(out);
	free(t);
	free(g.v);
	return rc;
}
