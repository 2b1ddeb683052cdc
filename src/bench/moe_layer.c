/*
 * moe_layer.c — a whole MoE layer forward on the host (see moe_layer.h).
 * A struct bench_moe owns its buffers, not the routing.
 */
#include "config.h"

#include "moe_layer.h"

#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

int bench_moe_alloc(struct bench_moe *c, int T, int d, int f, int E, int k,
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
	c->x = bench_kern_falloc((size_t)T * d, 21u);
	c->wr = bench_kern_falloc((size_t)d * E, 22u);
	c->logits = bench_kern_falloc((size_t)T * E, 23u);
	c->wg = bench_kern_falloc(wsz, 24u);
	c->wu = bench_kern_falloc(wsz, 25u);
	c->wd = bench_kern_falloc(wsz, 26u);
	c->xe = bench_kern_falloc(rows * d, 27u);
	c->h = bench_kern_falloc(rows * f, 28u);
	c->hu = bench_kern_falloc(rows * f, 29u);
	c->ye = bench_kern_falloc(rows * d, 30u);
	c->out = bench_kern_falloc((size_t)T * d, 31u);
	c->w = bench_kern_falloc(rows, 32u);
	c->ids = bench_kern_ialloc(rows);
	c->slot = bench_kern_ialloc(rows);
	c->counts = bench_kern_ialloc((size_t)E);
	c->offsets = bench_kern_ialloc((size_t)E + 1);
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

void bench_moe_run(void *ctx)
{
	struct bench_moe *c = ctx;
	size_t df = (size_t)c->d * c->f;

	sgemm_nn(c->T, c->E, c->d, c->x, c->wr, c->logits);          /* router */
	bench_kern_softmax_topk(c->logits, c->T, c->E, c->k, c->w, c->ids);
	/* the fixed routing stands in for ids, so counts are known */
	bench_kern_dispatch(c->x, c->assign, c->T, c->k, c->d, c->E, c->counts,
	                    c->offsets, c->slot, c->xe);
	for (int e = 0; e < c->E; e++) {
		int n = c->counts[e];
		size_t o = (size_t)c->offsets[e];

		if (n == 0)
			continue;
		sgemm_nn(n, c->f, c->d, c->xe + o * c->d, c->wg + e * df, c->h + o * c->f);
		sgemm_nn(n, c->f, c->d, c->xe + o * c->d, c->wu + e * df, c->hu + o * c->f);
		bench_kern_swiglu(c->h + o * c->f, c->hu + o * c->f, c->h + o * c->f,
		                  (size_t)n * c->f);
		sgemm_nn(n, c->d, c->f, c->h + o * c->f, c->wd + e * df, c->ye + o * c->d);
	}
	bench_kern_combine(c->ye, c->w, c->slot, c->T, c->k, c->d, c->out);
}

void bench_moe_free(struct bench_moe *c)
{
	void *p[] = { c->x, c->wr, c->logits, c->wg, c->wu, c->wd, c->xe, c->h,
	              c->hu, c->ye, c->out, c->w, c->ids, c->slot, c->counts,
	              c->offsets };

	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		free(p[i]);
	memset(c, 0, sizeof *c);
}
