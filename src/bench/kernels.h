/*
 * kernels.h — the kernels the microbenchmark times, each with a context
 * holding its buffers: GEMM through cblas_sgemm (fp32, row major), and the
 * memory-bound kernels of an MoE layer written in C: softmax and top-k over
 * the router logits, dispatch (gather the tokens of each expert into one
 * block), combine (weighted scatter-add back), the SwiGLU activation, and
 * a STREAM triad (McCalpin 1995).  Plus a whole MoE layer forward.
 *
 * *_alloc allocates and touches every buffer (so page faults and first
 * touches stay out of the timed region) and returns 0, or -1 when memory
 * runs out; *_free releases.  The *_run functions have the bench_fn
 * signature (timing.h).  The memory-bound kernels run on one thread.
 */
#ifndef MP_BENCH_KERNELS_H
#define MP_BENCH_KERNELS_H

#include <stddef.h>

/*
 * C[m x n] = op(A)·op(B); op = transpose when ta/tb (the backward shapes:
 * dX = dY·W^T has tb, dW = X^T·dY has ta).  To keep operands out of cache,
 * as in a layer where each call meets new weights, calls rotate through
 * copies of A and B laid in an arena of at least BENCH_ROTATE_BYTES,
 * allocated and touched once and shared by all shapes; C goes to a separate
 * output region, so results never become inputs (repeated products would
 * drift into denormals, which run many times slower).
 */
#define BENCH_ROTATE_BYTES ((size_t)64 << 20)
struct bench_arena {
	float *mem, *out;
	size_t cap, out_cap;  /* floats */
};
/* Make room for n input and n_out output floats (inputs at least
 * BENCH_ROTATE_BYTES), touching new ones. */
int arena_reserve(struct bench_arena *a, size_t n, size_t n_out);
void arena_free(struct bench_arena *a);

struct gemm_ctx {
	int m, n, k, ta, tb;
	size_t sa, sb, sc;    /* floats per copy */
	int copies, next;
	float *in, *out;      /* copies x (A, B) and copies x C, in the arena */
};
/* rotate = 0: one copy (a plain loop on the same operands). */
int gemm_alloc(struct gemm_ctx *g, struct bench_arena *arena, int m, int n,
               int k, int ta, int tb, int rotate);
void gemm_run(void *g);

/* Memory-bound kernels; dims as cost.h names them for each class. */
struct mem_ctx {
	int kind;             /* enum cost_kernel */
	int T, E, k, d;       /* softmax_topk: T, E, k; dispatch, combine: T, k, d;
	                         swiglu: T rows, d = f; stream: T elements */
	float *in, *in2, *out, *w;
	int *ids, *slot, *counts, *offsets;
};
int mem_alloc(struct mem_ctx *c, int kind, const double dims[3]);
void mem_run(void *c);
void mem_free(struct mem_ctx *c);

/* The steps of an MoE layer, shared by the standalone kernels and the
 * layer: row-wise softmax of logits [T x E] with the top_k largest
 * probabilities and their expert ids; counting-sort dispatch by expert;
 * weighted scatter-add; out = silu(g) * u (out may be g). */
void kern_softmax_topk(const float *logits, int T, int E, int k, float *w,
                       int *ids);
void kern_dispatch(const float *x, const int *ids, int T, int k, int d, int E,
                   int *counts, int *offsets, int *slot, float *xe);
void kern_combine(const float *ye, const float *w, const int *slot, int T,
                  int k, int d, float *out);
void kern_swiglu(const float *g, const float *u, float *out, size_t n);

/* One MoE layer forward (SwiGLU experts) on T tokens with a fixed routing
 * (assign: T x k expert ids, from bench_route) so that the token counts per
 * expert are known; the router and softmax/top-k still run. */
struct moe_ctx {
	int T, d, f, E, k;
	const int *assign;
	float *x, *wr, *logits, *wg, *wu, *wd, *xe, *h, *hu, *ye, *out, *w;
	int *ids, *slot, *counts, *offsets;
};
int moe_alloc(struct moe_ctx *c, int T, int d, int f, int E, int k,
              const int *assign);
void moe_run(void *c);
void moe_free(struct moe_ctx *c);

#endif
