/*
 * moe_layer.h — one whole MoE layer forward on the host, fp32 through the
 * CBLAS: tests/perf/cost_accuracy's held-out cases, which the cost model
 * predicts kernel by kernel.  Not a back-end kernel (backend.h): a device
 * back end would time its own layer (grouped GEMM).
 *
 * bench_moe_alloc allocates and touches every buffer and returns 0, or -1
 * when memory runs out (then bench_moe_free still releases what was
 * allocated); bench_moe_free releases them.  The routing (assign) stays
 * the caller's.  bench_moe_run has the bench_fn signature (timing.h).
 */
#ifndef MP_BENCH_MOE_LAYER_H
#define MP_BENCH_MOE_LAYER_H

/* One MoE layer forward (SwiGLU experts) on T tokens with a fixed routing
 * (assign: T x k expert ids, from bench_route) so that the token counts per
 * expert are known; the router and softmax/top-k still run. */
struct bench_moe {
	int T, d, f, E, k;
	const int *assign;
	float *x, *wr, *logits, *wg, *wu, *wd, *xe, *h, *hu, *ye, *out, *w;
	int *ids, *slot, *counts, *offsets;
};
int bench_moe_alloc(struct bench_moe *c, int T, int d, int f, int E, int k,
                    const int *assign);
void bench_moe_run(void *c);
void bench_moe_free(struct bench_moe *c);

#endif
