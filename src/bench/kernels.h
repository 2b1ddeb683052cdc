/*
 * kernels.h — the memory-bound kernels of an MoE layer, written in C for
 * the host (fp32, one thread): softmax and top-k over the router logits,
 * dispatch (gather the tokens of each expert into one block), combine
 * (weighted scatter-add back), the SwiGLU activation, and a STREAM triad
 * (McCalpin 1995); and a context holding one kernel's buffers, which the
 * CPU back end (backend_cblas.c) times.
 *
 * bench_kern_mem_alloc allocates and touches every buffer (so page faults
 * and first touches stay out of the timed region) and returns 0, or -1
 * when memory runs out (then bench_kern_mem_free still releases what was
 * allocated); bench_kern_mem_free releases.  bench_kern_mem_run has the
 * bench_fn signature (timing.h).
 */
#ifndef MP_BENCH_KERNELS_H
#define MP_BENCH_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Host buffers touched with small values (an LCG from seed: no denormals,
 * no NaN): fill p[0..n), or malloc n floats (at least one) and fill them;
 * n ints set to 0.  NULL when memory runs out; free() them. */
void bench_kern_fill(float *p, size_t n, uint32_t seed);
float *bench_kern_falloc(size_t n, uint32_t seed);
int *bench_kern_ialloc(size_t n);

/* One memory-bound kernel's buffers; dims as cost.h names them for each
 * class. */
struct bench_kern_mem {
	int kind;             /* enum cost_kernel */
	int T, E, k, d;       /* softmax_topk: T, E, k; dispatch, combine: T, k, d;
	                         swiglu: T rows, d = f; stream: T elements */
	float *in, *in2, *out, *w;
	int *ids, *slot, *counts, *offsets;
};
int bench_kern_mem_alloc(struct bench_kern_mem *c, int kind,
                         const double dims[3]);
void bench_kern_mem_run(void *c);
void bench_kern_mem_free(struct bench_kern_mem *c);

/* The steps of an MoE layer, shared by the standalone kernels and the
 * layer (moe_layer.h): row-wise softmax of logits [T x E] with the top_k
 * largest probabilities and their expert ids; counting-sort dispatch by
 * expert; weighted scatter-add; out = silu(g) * u (out may be g). */
void bench_kern_softmax_topk(const float *logits, int T, int E, int k,
                             float *w, int *ids);
void bench_kern_dispatch(const float *x, const int *ids, int T, int k, int d,
                         int E, int *counts, int *offsets, int *slot,
                         float *xe);
void bench_kern_combine(const float *ye, const float *w, const int *slot,
                        int T, int k, int d, float *out);
void bench_kern_swiglu(const float *g, const float *u, float *out, size_t n);

#endif
