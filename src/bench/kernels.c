/*
 * kernels.c — the timed kernels and their buffers (see kernels.h).
 */
#include "config.h"

#include "kernels.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cost.h"
#include "routing.h"

/* Experts the standalone dispatch and combine kernels spread tokens over. */
#define MEM_EXPERTS 64

/* Touch every element with small values (an LCG: no denormals, no NaN). */
static void fill(float *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		p[i] = (float)((double)(seed >> 8) / 16777216.0 - 0.5);
	}
}

static float *falloc(size_t n, uint32_t seed)
{
	float *p = malloc((n ? n : 1) * sizeof *p);

	if (p != NULL)
		fill(p, n, seed);
	return p;
}

static int *ialloc(size_t n)
{
	return calloc(n ? n : 1, sizeof(int));
}

/* ---- GEMM --------------------------------------------------------------- */

/* Grow *p to n floats (at least floor), touching the new ones. */
static int grow(float **p, size_t *cap, size_t n, size_t floor)
{
	float *q;

	if (n < floor)
		n = floor;
	if (n <= *cap)
		return 0;
	q = realloc(*p, n * sizeof *q);
	if (q == NULL)
		return -1;
	fill(q + *cap, n - *cap, 12345u);
	*p = q;
	*cap = n;
	return 0;
}

int arena_reserve(struct bench_arena *a, size_t n, size_t n_out)
{
	return grow(&a->mem, &a->cap, n, BENCH_ROTATE_BYTES / sizeof(float)) ||
	       grow(&a->out, &a->out_cap, n_out, 1);
}

void arena_free(struct bench_arena *a)
{
	free(a->mem);
	free(a->out);
	memset(a, 0, sizeof *a);
}

int gemm_alloc(struct gemm_ctx *g, struct bench_arena *arena, int m, int n,
               int k, int ta, int tb, int rotate)
{
	size_t set;

	memset(g, 0, sizeof *g);
	g->m = m;
	g->n = n;
	g->k = k;
	g->ta = ta;
	g->tb = tb;
	g->sa = (size_t)m * k;
	g->sb = (size_t)k * n;
	g->sc = (size_t)m * n;
	set = g->sa + g->sb;
	g->copies = 1;
	if (rotate) {
		size_t c = BENCH_ROTATE_BYTES / sizeof(float) / (set + g->sc);

		g->copies = c < 1 ? 1 : c > 256 ? 256 : (int)c;
	}
	if (arena_reserve(arena, set * g->copies, g->sc * g->copies) != 0)
		return -1;
	g->in = arena->mem;
	g->out = arena->out;
	return 0;
}

void gemm_run(void *ctx)
{
	struct gemm_ctx *g = ctx;
	float *a = g->in + (size_t)g->next * (g->sa + g->sb);
	float *b = a + g->sa, *c = g->out + (size_t)g->next * g->sc;

	g->next = (g->next + 1) % g->copies;
	cblas_sgemm(CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans,
	            g->tb ? CblasTrans : CblasNoTrans, g->m, g->n, g->k, 1.0f,
	            a, g->ta ? g->m : g->k, b, g->tb ? g->k : g->n, 0.0f, c, g->n);
}

/* ---- the steps of an MoE layer ------------------------------------------- */

void kern_softmax_topk(const float *logits, int T, int E, int k, float *w,
                       int *ids)
{
	for (int t = 0; t < T; t++) {
		const float *l = logits + (size_t)t * E;
		float *bw = w + (size_t)t * k;
		int *bi = ids + (size_t)t * k, n = 0;
		float mx = l[0], sum = 0;

		for (int e = 1; e < E; e++)
			mx = l[e] > mx ? l[e] : mx;
		for (int e = 0; e < E; e++)
			sum += expf(l[e] - mx);
		/* top k logits by insertion into a sorted list of k */
		for (int e = 0; e < E; e++) {
			int j;

			if (n == k && l[e] <= bw[k - 1])
				continue;
			j = n < k ? n++ : k - 1;
			while (j > 0 && bw[j - 1] < l[e]) {
				bw[j] = bw[j - 1];
				bi[j] = bi[j - 1];
				j--;
			}
			bw[j] = l[e];
			bi[j] = e;
		}
		for (int j = 0; j < k; j++)
			bw[j] = expf(bw[j] - mx) / sum;
	}
}

void kern_dispatch(const float *x, const int *ids, int T, int k, int d, int E,
                   int *counts, int *offsets, int *slot, float *xe)
{
	int n = T * k;

	memset(counts, 0, (size_t)E * sizeof *counts);
	for (int i = 0; i < n; i++)
		counts[ids[i]]++;
	offsets[0] = 0;
	for (int e = 0; e < E; e++) {
		offsets[e + 1] = offsets[e] + counts[e];
		counts[e] = 0;
	}
	for (int i = 0; i < n; i++) {
		int e = ids[i];

		slot[i] = offsets[e] + counts[e]++;
		memcpy(xe + (size_t)slot[i] * d, x + (size_t)(i / k) * d,
		       (size_t)d * sizeof *xe);
	}
}

void kern_combine(const float *ye, const float *w, const int *slot, int T,
                  int k, int d, float *out)
{
	memset(out, 0, (size_t)T * d * sizeof *out);
	for (int t = 0; t < T; t++) {
		float *o = out + (size_t)t * d;

		for (int j = 0; j < k; j++) {
			const float *y = ye + (size_t)slot[t * k + j] * d;
			float wt = w[t * k + j];

			for (int i = 0; i < d; i++)
				o[i] += wt * y[i];
		}
	}
}

/* SwiGLU (Shazeer 2020): silu(g) * u, silu(g) = g / (1 + e^-g). */
void kern_swiglu(const float *g, const float *u, float *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

/* ---- standalone memory-bound kernels --------------------------------------- */

int mem_alloc(struct mem_ctx *c, int kind, const double dims[3])
{
	size_t T, a, b;

	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->T = (int)dims[0];
	T = (size_t)c->T;
	switch (kind) {
	case COST_SOFTMAX_TOPK:
		c->E = (int)dims[1];
		c->k = (int)dims[2];
		c->in = falloc(T * c->E, 1u);
		c->w = falloc(T * c->k, 2u);
		c->ids = ialloc(T * c->k);
		return c->in && c->w && c->ids ? 0 : -1;
	case COST_DISPATCH:
	case COST_COMBINE:
		c->k = (int)dims[1];
		c->d = (int)dims[2];
		c->E = c->k > MEM_EXPERTS ? c->k : MEM_EXPERTS;
		a = T * c->d;
		b = T * c->k * c->d;
		c->in = falloc(kind == COST_DISPATCH ? a : b, 3u);
		c->out = falloc(kind == COST_DISPATCH ? b : a, 4u);
		c->w = falloc(T * c->k, 5u);
		c->ids = ialloc(T * c->k);
		c->slot = ialloc(T * c->k);
		c->counts = ialloc((size_t)c->E);
		c->offsets = ialloc((size_t)c->E + 1);
		if (!(c->in && c->out && c->w && c->ids && c->slot && c->counts &&
		      c->offsets) || bench_route(c->T, c->E, c->k, 0, 0, c->ids, NULL))
			return -1;
		/* the slots a dispatch assigns, for combine to read */
		kern_dispatch(kind == COST_DISPATCH ? c->in : c->out, c->ids, c->T,
		              c->k, c->d, c->E, c->counts, c->offsets, c->slot,
		              kind == COST_DISPATCH ? c->out : c->in);
		return 0;
	case COST_SWIGLU:
		c->d = (int)dims[1];
		c->in = falloc(T * c->d, 6u);
		c->in2 = falloc(T * c->d, 7u);
		c->out = falloc(T * c->d, 8u);
		return c->in && c->in2 && c->out ? 0 : -1;
	case COST_STREAM:
		c->in = falloc(T, 9u);
		c->in2 = falloc(T, 10u);
		c->out = falloc(T, 11u);
		return c->in && c->in2 && c->out ? 0 : -1;
	default:
		return -1;
	}
}

void mem_run(void *ctx)
{
	struct mem_ctx *c = ctx;

	switch (c->kind) {
	case COST_SOFTMAX_TOPK:
		kern_softmax_topk(c->in, c->T, c->E, c->k, c->w, c->ids);
		break;
	case COST_DISPATCH:
		kern_dispatch(c->in, c->ids, c->T, c->k, c->d, c->E, c->counts,
		              c->offsets, c->slot, c->out);
		break;
	case COST_COMBINE:
		kern_combine(c->in, c->w, c->slot, c->T, c->k, c->d, c->out);
		break;
	case COST_SWIGLU:
		kern_swiglu(c->in, c->in2, c->out, (size_t)c->T * c->d);
		break;
	case COST_STREAM: {
		/* STREAM triad: a = b + s c */
		const float s = 3.0f, *b = c->in, *cc = c->in2;
		float *a = c->out;

		for (int i = 0; i < c->T; i++)
			a[i] = b[i] + s * cc[i];
		break;
	}
	default:
		break;
	}
}

void mem_free(struct mem_ctx *c)
{
	free(c->in);
	free(c->in2);
	free(c->out);
	free(c->w);
	free(c->ids);
	free(c->slot);
	free(c->counts);
	free(c->offsets);
	memset(c, 0, sizeof *c);
}

/* ---- a whole MoE layer --------------------------------------------------------- */

int moe_alloc(struct moe_ctx *c, int T, int d, int f, int E, int k,
              const int *assign)
{
	size_t rows = (size_t)T * k, wsz = (size_t)E * d * f;

	memset(c, 0, sizeof *c);
	c->T = T;
	c->d = d;
	c->f = f;
	c->E = E;
	c->k = k;
	c->assign = assign;
	c->x = falloc((size_t)T * d, 21u);
	c->wr = falloc((size_t)d * E, 22u);
	c->logits = falloc((size_t)T * E, 23u);
	c->wg = falloc(wsz, 24u);
	c->wu = falloc(wsz, 25u);
	c->wd = falloc(wsz, 26u);
	c->xe = falloc(rows * d, 27u);
	c->h = falloc(rows * f, 28u);
	c->hu = falloc(rows * f, 29u);
	c->ye = falloc(rows * d, 30u);
	c->out = falloc((size_t)T * d, 31u);
	c->w = falloc(rows, 32u);
	c->ids = ialloc(rows);
	c->slot = ialloc(rows);
	c->counts = ialloc((size_t)E);
	c->offsets = ialloc((size_t)E + 1);
	return c->x && c->wr && c->logits && c->wg && c->wu && c->wd && c->xe &&
	       c->h && c->hu && c->ye && c->out && c->w && c->ids && c->slot &&
	       c->counts && c->offsets ? 0 : -1;
}

static void sgemm_nn(int m, int n, int k, const float *a, const float *b,
                     float *c)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k,
	            b, n, 0.0f, c, n);
}

void moe_run(void *ctx)
{
	struct moe_ctx *c = ctx;
	size_t df = (size_t)c->d * c->f;

	sgemm_nn(c->T, c->E, c->d, c->x, c->wr, c->logits);          /* router */
	kern_softmax_topk(c->logits, c->T, c->E, c->k, c->w, c->ids);
	/* the fixed routing stands in for ids, so counts are known */
	kern_dispatch(c->x, c->assign, c->T, c->k, c->d, c->E, c->counts,
	              c->offsets, c->slot, c->xe);
	for (int e = 0; e < c->E; e++) {
		int n = c->counts[e];
		size_t o = (size_t)c->offsets[e];

		if (n == 0)
			continue;
		sgemm_nn(n, c->f, c->d, c->xe + o * c->d, c->wg + e * df, c->h + o * c->f);
		sgemm_nn(n, c->f, c->d, c->xe + o * c->d, c->wu + e * df, c->hu + o * c->f);
		kern_swiglu(c->h + o * c->f, c->hu + o * c->f, c->h + o * c->f,
		            (size_t)n * c->f);
		sgemm_nn(n, c->d, c->f, c->h + o * c->f, c->wd + e * df, c->ye + o * c->d);
	}
	kern_combine(c->ye, c->w, c->slot, c->T, c->k, c->d, c->out);
}

void moe_free(struct moe_ctx *c)
{
	void *p[] = { c->x, c->wr, c->logits, c->wg, c->wu, c->wd, c->xe, c->h,
	              c->hu, c->ye, c->out, c->w, c->ids, c->slot, c->counts,
	              c->offsets };

	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		free(p[i]);
	memset(c, 0, sizeof *c);
}
