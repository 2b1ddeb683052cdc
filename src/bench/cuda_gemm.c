/*
 * cuda_gemm.c — the CUDA back end's GEMMs (cuda_dev.h): C[m x n] =
 * op(A)[m x k] op(B)[k x n], row major as backend.h has them, through
 * cublasGemmEx (bf16, fp16; fp32 accumulation) or cublasLtMatmul (fp8).
 *
 * cuBLAS is column major: the row-major product C = op(A) op(B) is the
 * column-major C^T = op(B)^T op(A)^T, so B goes first, with n and m
 * swapped and each operand's leading dimension its row-major row length
 * (the CPU back end's lda = ta ? m : k, ldb = tb ? k : n).
 *
 * fp8 (e4m3, bf16 out): cuBLASLt runs fp8 GEMMs only in its "TN" layout
 * (the first operand transposed; cuBLAS documentation, cublasLtMatmul,
 * "FP8 requirements") with 16-byte-aligned leading dimensions, so every
 * fp8 GEMM runs as row-major A [m x k] times B stored [n x k] (the layout
 * Transformer Engine casts operands to, backward too), whatever ta and
 * tb say, with m, n and k padded to multiples of 16; the sample keeps the
 * shape asked for, so the padding's cost is in it.
 *
 * Operands live in the device's arena (struct cuda_arena): inputs in at
 * least ROTATE_BYTES, calls rotating through copies of A and B, so that
 * each call meets them in memory (512 MiB, several times any GPU's L2);
 * outputs in a region of their own.  A handle holds offsets; gemm_free
 * frees it, cuda_gemm_arena_free the arena.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_dev.h"

#define ROTATE_BYTES ((size_t)512 << 20)
#define MAX_COPIES 1024

struct cuda_gemm {
	struct cuda *c;
	int m, n, k, ta, tb;      /* as run (fp8: padded) */
	size_t sa, sb, sc;        /* bytes per copy */
	int copies, next;
	/* fp8 */
	cublasLtMatmulDesc_t desc;
	cublasLtMatrixLayout_t la, lb, lc;
	cublasLtMatmulAlgo_t algo;
};

static int pad16(int x)
{
	return (x + 15) / 16 * 16;
}

/* Grow the region at *p to n bytes (and at least floor), filled anew. */
static int grow(struct cuda *c, CUdeviceptr *p, size_t *cap, size_t n,
                size_t floor, struct mp_error *err)
{
	if (n < floor)
		n = floor;
	if (n <= *cap)
		return 0;
	if (*p) {
		c->api.stream_sync(c->stream);   /* nothing may still read it */
		c->api.mem_free(*p);
	}
	*p = 0;
	*cap = 0;
	if (cuda_dev_alloc(c, p, n, "the GEMMs' operands", err) != 0 ||
	    cuda_dev_fill(c, *p, n, 12345u, err) != 0)
		return -1;
	*cap = n;
	return 0;
}

void cuda_gemm_arena_free(struct cuda *c)
{
	if (c->arena.in)
		c->api.mem_free(c->arena.in);
	if (c->arena.out)
		c->api.mem_free(c->arena.out);
	memset(&c->arena, 0, sizeof c->arena);
}

/* The shape as run, the bytes of one copy and the copies. */
static void gemm_shape(struct cuda_gemm *g, const struct bench_gemm_spec *s)
{
	size_t w = cuda_dev_elem_size(s->dtype), wc = 2, set;
	int fp8 = s->dtype == BENCH_FP8;

	g->m = fp8 ? pad16(s->m) : s->m;
	g->n = fp8 ? pad16(s->n) : s->n;
	g->k = fp8 ? pad16(s->k) : s->k;
	g->ta = fp8 ? 0 : s->ta;
	g->tb = fp8 ? 1 : s->tb;
	/* bf16 and fp16 write their own type; fp8 writes bf16 */
	g->sa = (size_t)g->m * g->k * w;
	g->sb = (size_t)g->k * g->n * w;
	g->sc = (size_t)g->m * g->n * wc;
	/* copies start 256-byte aligned, as cuBLAS prefers */
	g->sa = (g->sa + 255) / 256 * 256;
	g->sb = (g->sb + 255) / 256 * 256;
	g->sc = (g->sc + 255) / 256 * 256;
	set = g->sa + g->sb;
	g->copies = 1;
	if (s->rotate) {
		size_t n = ROTATE_BYTES / (set + g->sc);

		g->copies = n < 1 ? 1 : n > MAX_COPIES ? MAX_COPIES : (int)n;
	}
}

/* cuBLASLt's descriptors and its first algorithm for an fp8 GEMM (TN). */
static int lt_plan(struct cuda_gemm *g, struct mp_error *err)
{
	struct cuda_api *a = &g->c->api;
	cublasOperation_t t = CUBLAS_OP_T, nt = CUBLAS_OP_N;
	cublasLtMatmulPreference_t pref = NULL;
	cublasLtMatmulHeuristicResult_t r;
	size_t ws = g->c->ws_bytes;
	int got = 0, rc;

	/* column major: first B (k x n, transposed), then A (k x m), D n x m */
	rc = cuda_dev_blas_check(a->lt_desc_create(&g->desc, CUBLAS_COMPUTE_32F,
	                                           CUDA_R_32F), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_desc_set(g->desc, CUBLASLT_MATMUL_DESC_TRANSA,
	                                        &t, sizeof t), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_desc_set(g->desc, CUBLASLT_MATMUL_DESC_TRANSB,
	                                        &nt, sizeof nt), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_layout_create(&g->la, CUDA_R_8F_E4M3,
	                                             (uint64_t)g->k, (uint64_t)g->n,
	                                             g->k), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_layout_create(&g->lb, CUDA_R_8F_E4M3,
	                                             (uint64_t)g->k, (uint64_t)g->m,
	                                             g->k), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_layout_create(&g->lc, CUDA_R_16BF,
	                                             (uint64_t)g->n, (uint64_t)g->m,
	                                             g->n), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_pref_create(&pref), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_pref_set(pref,
	                         CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &ws,
	                         sizeof ws), "fp8 GEMM", err) ||
	     cuda_dev_blas_check(a->lt_heuristic(g->c->lt, g->desc, g->la, g->lb,
	                                         g->lc, g->lc, pref, 1, &r, &got),
	                         "fp8 GEMM: no algorithm", err) ? -1 : 0;
	if (pref != NULL)
		a->lt_pref_destroy(pref);
	if (rc == 0 && got < 1)
		rc = mp_error_set(err, "cuBLASLt has no fp8 algorithm for %dx%dx%d",
		                  g->m, g->n, g->k);
	if (rc == 0)
		g->algo = r.algo;
	return rc;
}

/* The call's operands: A, B and C of copy next. */
static void operands(const struct cuda_gemm *g, CUdeviceptr *pa,
                     CUdeviceptr *pb, CUdeviceptr *pc)
{
	const struct cuda_arena *ar = &g->c->arena;

	*pa = ar->in + (size_t)g->next * (g->sa + g->sb);
	*pb = *pa + g->sa;
	*pc = ar->out + (size_t)g->next * g->sc;
}

/* One call; a cuBLAS status. */
static cublasStatus_t gemm_call(struct cuda_gemm *g)
{
	struct cuda *c = g->c;
	CUdeviceptr pa, pb, pc;
	const float one = 1.0f, zero = 0.0f;
	cudaDataType t = c->dtype == BENCH_FP16 ? CUDA_R_16F : CUDA_R_16BF;

	operands(g, &pa, &pb, &pc);
	g->next = (g->next + 1) % g->copies;
	if (c->dtype == BENCH_FP8)
		return c->api.lt_matmul(c->lt, g->desc, &one, (void *)pb, g->la,
		                        (void *)pa, g->lb, &zero, (void *)pc, g->lc,
		                        (void *)pc, g->lc, &g->algo, (void *)c->ws,
		                        c->ws_bytes, c->stream);
	return c->api.gemm_ex(c->blas, g->tb ? CUBLAS_OP_T : CUBLAS_OP_N,
	                      g->ta ? CUBLAS_OP_T : CUBLAS_OP_N, g->n, g->m, g->k,
	                      &one, (void *)pb, t, g->tb ? g->k : g->n,
	                      (void *)pa, t, g->ta ? g->m : g->k, &zero,
	                      (void *)pc, t, g->n, CUBLAS_COMPUTE_32F,
	                      CUBLAS_GEMM_DEFAULT);
}

int cuda_gemm_alloc(void *state, const struct bench_gemm_spec *s, void **gemm,
                    struct mp_error *err)
{
	struct cuda *c = state;
	struct cuda_gemm *g;
	char what[64];

	if (cuda_dev_take_failure(c, err) != 0)
		return -1;
	if ((g = calloc(1, sizeof *g)) == NULL)
		return mp_error_set(err, "out of memory for GEMM %dx%dx%d", s->m,
		                    s->n, s->k);
	g->c = c;
	gemm_shape(g, s);
	snprintf(what, sizeof what, "GEMM %dx%dx%d", s->m, s->n, s->k);
	/* the arena, then one call to see that the library runs the shape */
	if (grow(c, &c->arena.in, &c->arena.in_cap, (g->sa + g->sb) * g->copies,
	         ROTATE_BYTES, err) != 0 ||
	    grow(c, &c->arena.out, &c->arena.out_cap, g->sc * g->copies, 1, err) ||
	    (c->dtype == BENCH_FP8 && lt_plan(g, err) != 0) ||
	    cuda_dev_blas_check(gemm_call(g), what, err) ||
	    cuda_dev_finish(c, what, err) != 0) {
		cuda_gemm_free(c, g);
		return -1;
	}
	*gemm = g;
	return 0;
}

void cuda_gemm_run(void *gemm)
{
	struct cuda_gemm *g = gemm;
	cublasStatus_t s = gemm_call(g);

	if (s != CUBLAS_STATUS_SUCCESS)
		cuda_dev_note_failure(g->c, "a GEMM", (int)s);
}

void cuda_gemm_free(void *state, void *gemm)
{
	struct cuda *c = state;
	struct cuda_gemm *g = gemm;

	if (g == NULL)
		return;
	if (g->desc != NULL)
		c->api.lt_desc_destroy(g->desc);
	if (g->la != NULL)
		c->api.lt_layout_destroy(g->la);
	if (g->lb != NULL)
		c->api.lt_layout_destroy(g->lb);
	if (g->lc != NULL)
		c->api.lt_layout_destroy(g->lc);
	free(g);
}
