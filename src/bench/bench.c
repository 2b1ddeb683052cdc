/*
 * bench.c — the calibration grid and the measurement of one sample
 * (see bench.h).
 */
#include "config.h"

#include "bench.h"

#include <cblas.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

/* Largest GEMM of the grid, FLOPs (full and quick runs). */
#define MAX_FLOPS 2e10
#define QUICK_MAX_FLOPS 1e9
#define RANDOM_SEED 20250101ul

void bench_blas_name(char *buf, size_t n)
{
#ifdef OPENBLAS_VERSION
	const char *c = openblas_get_config();

	while (c != NULL && *c == ' ')
		c++;
	snprintf(buf, n, "%s", c != NULL ? c : "OpenBLAS");
#else
	snprintf(buf, n, "cblas");
#endif
}

int bench_threads(int n)
{
#ifdef OPENBLAS_VERSION
	if (n > 0)
		openblas_set_num_threads(n);
	return openblas_get_num_threads();
#else
	(void)n;
	return 1;
#endif
}

void bench_protocol_for(int quick, struct bench_protocol *p)
{
	/* operands rotate through copies (kernels.h), so a few milliseconds
	 * of warm-up reach the steady state; the time goes to more shapes */
	p->warmup = quick ? 0.001 : 0.003;
	p->min_sample = quick ? 0.002 : 0.008;
	p->samples = quick ? 3 : 5;
}

/* Time one shape once (one sample of the protocol) into *t. */
static int measure_once(const struct bench_protocol *p, struct bench_arena *arena,
                        const struct bench_shape *sh, struct bench_timing *t,
                        struct mp_error *err)
{
	const struct cost_sample *s = &sh->s;

	if (s->kernel == COST_GEMM) {
		struct gemm_ctx g;

		if (gemm_alloc(&g, arena, (int)s->dims[0], (int)s->dims[1],
		               (int)s->dims[2], sh->ta, sh->tb, 1) != 0)
			return mp_error_set(err, "out of memory for GEMM %gx%gx%g",
			                    s->dims[0], s->dims[1], s->dims[2]);
		bench_time(p, gemm_run, &g, t);
	} else {
		struct mem_ctx c;

		if (mem_alloc(&c, s->kernel, s->dims) != 0) {
			mem_free(&c);
			return mp_error_set(err, "out of memory for %s %gx%gx%g",
			                    cost_kernel_name(s->kernel), s->dims[0],
			                    s->dims[1], s->dims[2]);
		}
		bench_time(p, mem_run, &c, t);
		mem_free(&c);
	}
	return 0;
}

int bench_measure(const struct bench_protocol *p, struct bench_arena *arena,
                  struct bench_shape *sh, struct mp_error *err)
{
	struct bench_timing t;

	if (measure_once(p, arena, sh, &t, err) != 0)
		return -1;
	sh->s.seconds = t.median;
	sh->s.spread = (t.max - t.min) / t.median;
	return 0;
}

/* ---- the grid ------------------------------------------------------------- */

struct grid {
	struct bench_shape *v;
	size_t n, cap;
	double max_flops;
};

static int add(struct grid *g, enum cost_kernel kernel, const char *tag,
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
static int grid_router(struct grid *g, int quick)
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
 * octave apart, c = round(2^(j/2)) from 1 to 2048 (quick: every third):
 * skewed routing gives any count, and OpenBLAS's time is not monotonic in
 * a small m (edge tiles, the split across threads), so the counts between
 * the powers of two matter.
 */
static int grid_experts(struct grid *g, int quick)
{
	/* the last pair's weights (3.3 MB) make even c = 1 multi-threaded */
	static const int d[] = { 256, 512, 1024, 640 }, f[] = { 704, 512, 256, 1280 };
	int rc = 0, prev = 0;

	for (int j = 0; j <= 22; j += quick ? 3 : 1) {
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
static int grid_ladder(struct grid *g)
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
 * Edge scans: m and then n from 1 to 40, every residue modulo 32 and some
 * twice, the other dimensions fixed, in each thread regime (the threaded
 * one at n k = 2^17, the single-threaded one at n k = 4608, both sides of
 * OpenBLAS's 2^18 for every m): what the last, partial blocks of rows cost
 * (cost.h's edge tables), which is not monotonic in the rows.
 */
static int grid_edges(struct grid *g)
{
	static const double other[2][2] = { { 512, 256 }, { 48, 96 } };
	int rc = 0;

	for (int x = 1; x <= 40; x++)
		for (size_t r = 0; r < N_OF(other); r++) {
			rc |= add(g, COST_GEMM, "edge_m", x, other[r][0], other[r][1], 0, 0);
			rc |= add(g, COST_GEMM, "edge_n", other[r][0], x, other[r][1], 0, 0);
		}
	return rc;
}

/* Square GEMMs (the largest gives the achievable peak) and random shapes,
 * log-uniform in m in [1, 4096], n and k in [16, 4096]. */
static int grid_other(struct grid *g, int quick)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0, count = quick ? 32 : 96;

	if (r == NULL)
		return -1;
	for (int s = 64; s <= 2048; s *= 2)
		rc |= add(g, COST_GEMM, "square", s, s, s, 0, 0);
	gsl_rng_set(r, RANDOM_SEED);
	for (int i = 0; i < count; i++) {
		double m = round(exp(gsl_rng_uniform(r) * log(4096.0)));
		double n = round(16 * exp(gsl_rng_uniform(r) * log(256.0)));
		double k = round(16 * exp(gsl_rng_uniform(r) * log(256.0)));

		rc |= add(g, COST_GEMM, "random", m, n, k, 0, 0);
	}
	gsl_rng_free(r);
	return rc;
}

static int grid_memory(struct grid *g, int quick)
{
	static const int T[] = { 64, 512, 4096 }, E[] = { 8, 64, 256 };
	static const int k[] = { 1, 2, 8 }, d[] = { 256, 1024 };
	static const int rows[] = { 1, 16, 256, 4096 }, f[] = { 256, 1408 };
	static const double n[] = { 1e3, 1e4, 1e5, 1e6, 1e7, 3e7 };
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
		if (!quick || n[i] <= 1e7)
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
static int run_passes(const struct bench_protocol *p, struct grid *g,
                      const struct bench_opts *o, double *t,
                      struct mp_error *err)
{
	struct bench_protocol one = *p;
	struct bench_arena arena = { NULL, NULL, 0, 0 };
	int passes = p->samples, rc = 0, total = passes * (int)g->n;

	one.samples = 1;
	for (int pass = 0; pass < passes && rc == 0; pass++)
		for (size_t i = 0; i < g->n && rc == 0; i++) {
			struct bench_timing bt;

			if ((rc = measure_once(&one, &arena, &g->v[i], &bt, err)) != 0)
				break;
			t[i * passes + pass] = bt.median;
			if (o->progress != NULL)
				o->progress(o->progress_ctx, pass * (int)g->n + (int)i + 1,
				            total);
			if (o->interleave != NULL)
				o->interleave(o->interleave_ctx,
				              total - pass * (int)g->n - (int)i - 1);
		}
	arena_free(&arena);
	return rc;
}

int bench_calibrate(const struct bench_opts *o, struct cost_sample **samples,
                    size_t *n, struct mp_error *err)
{
	struct grid g = { NULL, 0, 0, o->quick ? QUICK_MAX_FLOPS : MAX_FLOPS };
	struct bench_protocol p;
	struct cost_sample *out = NULL;
	double *t = NULL;
	int rc = -1;

	*samples = NULL;
	*n = 0;
	bench_protocol_for(o->quick, &p);
	if (grid_router(&g, o->quick) || grid_experts(&g, o->quick) ||
	    grid_ladder(&g) || grid_edges(&g) || grid_other(&g, o->quick) ||
	    grid_memory(&g, o->quick) ||
	    (out = malloc(g.n * sizeof *out)) == NULL ||
	    (t = malloc(g.n * (size_t)p.samples * sizeof *t)) == NULL) {
		mp_error_set(err, "out of memory building the grid");
		goto done;
	}
	bench_threads(o->threads);
	if (run_passes(&p, &g, o, t, err) != 0)
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
