/*
 * kernels.c — the memory-bound kernels in C and their buffers (see
 * kernels.h).  A struct bench_kern_mem owns its buffers.
 */
#include "config.h"

#include "kernels.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cost.h"
#include "routing.h"

/* Experts the standalone dispatch and combine kernels spread tokens over. */
#define MEM_EXPERTS 64

void bench_kern_fill(float *p, size_t n, uint32_t seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1664525u + 1013904223u;
		p[i] = (float)((double)(seed >> 8) / 16777216.0 - 0.5);
	}
}

float *bench_kern_falloc(size_t n, uint32_t seed)
{
	float *p = malloc((n ? n : 1) * sizeof *p);

	if (p != NULL)
		bench_kern_fill(p, n, seed);
	return p;
}

int *bench_kern_ialloc(size_t n)
{
	return calloc(n ? n : 1, sizeof(int));
}

/* ---- the steps of an MoE layer ------------------------------------------- */

void bench_kern_softmax_topk(const float *logits, int T, int E, int k,
                             float *w, int *ids)
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

void bench_kern_dispatch(const float *x, const int *ids, int T, int k, int d,
                         int E, int *counts, int *offsets, int *slot,
                         float *xe)
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

void bench_kern_combine(const float *ye, const float *w, const int *slot,
                        int T, int k, int d, float *out)
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
void bench_kern_swiglu(const float *g, const float *u, float *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = g[i] / (1.0f + expf(-g[i])) * u[i];
}

/* ---- standalone memory-bound kernels --------------------------------------- */

int bench_kern_mem_alloc(struct bench_kern_mem *c, int kind,
                         const double dims[3])
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
		c->in = bench_kern_falloc(T * c->E, 1u);
		c->w = bench_kern_falloc(T * c->k, 2u);
		c->ids = bench_kern_ialloc(T * c->k);
		return c->in && c->w && c->ids ? 0 : -1;
	case COST_DISPATCH:
	case COST_COMBINE:
		c->k = (int)dims[1];
		c->d = (int)dims[2];
		c->E = c->k > MEM_EXPERTS ? c->k : MEM_EXPERTS;
		a = T * c->d;
		b = T * c->k * c->d;
		c->in = bench_kern_falloc(kind == COST_DISPATCH ? a : b, 3u);
		c->out = bench_kern_falloc(kind == COST_DISPATCH ? b : a, 4u);
		c->w = bench_kern_falloc(T * c->k, 5u);
		c->ids = bench_kern_ialloc(T * c->k);
		c->slot = bench_kern_ialloc(T * c->k);
		c->counts = bench_kern_ialloc((size_t)c->E);
		c->offsets = bench_kern_ialloc((size_t)c->E + 1);
		if (!(c->in && c->out && c->w && c->ids && c->slot && c->counts &&
		      c->offsets) || bench_route(c->T, c->E, c->k, 0, 0, c->ids, NULL))
			return -1;
		/* the slots a dispatch assigns, for combine to read */
		bench_kern_dispatch(kind == COST_DISPATCH ? c->in : c->out, c->ids,
		                    c->T, c->k, c->d, c->E, c->counts, c->offsets,
		                    c->slot, kind == COST_DISPATCH ? c->out : c->in);
		return 0;
	case COST_SWIGLU:
		c->d = (int)dims[1];
		c->in = bench_kern_falloc(T * c->d, 6u);
		c->in2 = bench_kern_falloc(T * c->d, 7u);
		c->out = bench_kern_falloc(T * c->d, 8u);
		return c->in && c->in2 && c->out ? 0 : -1;
	case COST_STREAM:
		c->in = bench_kern_falloc(T, 9u);
		c->in2 = bench_kern_falloc(T, 10u);
		c->out = bench_kern_falloc(T, 11u);
		return c->in && c->in2 && c->out ? 0 : -1;
	default:
		return -1;
	}
}

void bench_kern_mem_run(void *ctx)
{
	struct bench_kern_mem *c = ctx;

	switch (c->kind) {
	case COST_SOFTMAX_TOPK:
		bench_kern_softmax_topk(c->in, c->T, c->E, c->k, c->w, c->ids);
		break;
	case COST_DISPATCH:
		bench_kern_dispatch(c->in, c->ids, c->T, c->k, c->d, c->E, c->counts,
		              c->offsets, c->slot, c->out);
		break;
	case COST_COMBINE:
		bench_kern_combine(c->in, c->w, c->slot, c->T, c->k, c->d, c->out);
		break;
	case COST_SWIGLU:
		bench_kern_swiglu(c->in, c->in2, c->out, (size_t)c->T * c->d);
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

void bench_kern_mem_free(struct bench_kern_mem *c)
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
