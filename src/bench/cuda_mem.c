/*
 * cuda_mem.c — the CUDA back end's memory-bound kernels (cuda_dev.h):
 * one handle per kernel of core/cost.h, with its device buffers
 * allocated and filled, its launch arguments laid out, and one launch
 * run and waited for in alloc so that a kernel the device cannot run is
 * an error there.  The kernels are cuda_kernels.cu's (what each measures
 * is said there); the shapes are the grid's, as cost.h names them.
 *
 * Dispatch and combine route T tokens to k of 64 experts, balanced
 * (routing.h), as the CPU's kernels do; the slots of the expert-sorted
 * rows (a counting sort by expert) are computed here, on the host, once.
 * Ownership: alloc makes the handle and its buffers, free releases both.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_dev.h"
#include "routing.h"

#define MEM_EXPERTS 64
#define N_BUF 6

struct cuda_mem {
	struct cuda *c;
	enum cuda_kernel k;
	unsigned grid;
	CUdeviceptr buf[N_BUF];   /* kernel-dependent; 0: unused */
	int i[3];
	size_t z[3];
	float s;
	void *args[8];
};

/* Slots of the T k routed rows sorted by expert (stable counting sort). */
static int expert_slots(const int *ids, int n, int E, int *slot)
{
	int *next = calloc((size_t)E + 1, sizeof *next);

	if (next == NULL)
		return -1;
	for (int i = 0; i < n; i++)
		next[ids[i] + 1]++;
	for (int e = 0; e < E; e++)
		next[e + 1] += next[e];
	for (int i = 0; i < n; i++)
		slot[i] = next[ids[i]]++;
	free(next);
	return 0;
}

/* Upload the balanced routing's slots of T tokens, top k, into buf. */
static int upload_slots(struct cuda *c, int T, int k, CUdeviceptr buf,
                        struct mp_error *err)
{
	int n = T * k, E = k > MEM_EXPERTS ? k : MEM_EXPERTS, rc;
	int *ids = malloc((size_t)n * sizeof *ids);
	int *slot = malloc((size_t)n * sizeof *slot);

	rc = ids == NULL || slot == NULL ||
	     bench_route(T, E, k, 0, 0, ids, NULL) != 0 ||
	     expert_slots(ids, n, E, slot) != 0
	     ? mp_error_set(err, "out of memory for the routing of %d tokens", T)
	     : cuda_dev_check(c, c->api.memcpy_htod(buf, slot, (size_t)n *
	                                            sizeof *slot), "cuMemcpyHtoD",
	                      err);
	free(ids);
	free(slot);
	return rc;
}

/* Allocate buffer i of bytes, filled with the dtype's values if fill. */
static int buffer(struct cuda_mem *h, int i, size_t bytes, int fill,
                  struct mp_error *err)
{
	if (cuda_dev_alloc(h->c, &h->buf[i], bytes, "a memory-bound kernel",
	                   err) != 0)
		return -1;
	return fill ? cuda_dev_fill(h->c, h->buf[i], bytes, 100u + (unsigned)i,
	                            err) : 0;
}

/* softmax_topk(logits, T, E, k, w, ids): one warp per token. */
static int setup_softmax(struct cuda_mem *h, const double *dims, size_t w,
                         struct mp_error *err)
{
	size_t T = (size_t)dims[0], E = (size_t)dims[1], k = (size_t)dims[2];

	if (k < 1 || k > 16 || k > E)
		return mp_error_set(err, "softmax_topk: top-k %zu of %zu experts "
		                    "(the CUDA kernel takes 1 to 16)", k, E);
	h->k = CUDA_K_SOFTMAX;
	h->i[0] = (int)T;
	h->i[1] = (int)E;
	h->i[2] = (int)k;
	h->grid = (unsigned)((T + 7) / 8);
	h->args[0] = &h->buf[0];
	h->args[1] = &h->i[0];
	h->args[2] = &h->i[1];
	h->args[3] = &h->i[2];
	h->args[4] = &h->buf[1];
	h->args[5] = &h->buf[2];
	return buffer(h, 0, T * E * w, 1, err) || buffer(h, 1, T * k * 4, 0, err) ||
	       buffer(h, 2, T * k * 4, 0, err) ? -1 : 0;
}

/* dispatch(x, slot, T k, k, words, xe): rows in 16-byte words if whole. */
static int setup_dispatch(struct cuda_mem *h, const double *dims, size_t w,
                          struct mp_error *err)
{
	size_t T = (size_t)dims[0], k = (size_t)dims[1], d = (size_t)dims[2];
	size_t row = d * w, words = row % 16 == 0 ? row / 16 : row;

	h->k = row % 16 == 0 ? CUDA_K_DISPATCH16 : CUDA_K_DISPATCH1;
	h->z[0] = T * k;
	h->i[0] = (int)k;
	h->z[1] = words;
	h->grid = cuda_dev_blocks(h->c, T * k * words);
	h->args[0] = &h->buf[0];
	h->args[1] = &h->buf[1];
	h->args[2] = &h->z[0];
	h->args[3] = &h->i[0];
	h->args[4] = &h->z[1];
	h->args[5] = &h->buf[2];
	return buffer(h, 0, T * row, 1, err) ||
	       buffer(h, 1, T * k * sizeof(int), 0, err) ||
	       buffer(h, 2, T * k * row, 0, err) ||
	       upload_slots(h->c, (int)T, (int)k, h->buf[1], err) ? -1 : 0;
}

/* combine(ye, w, slot, T, k, d, out). */
static int setup_combine(struct cuda_mem *h, const double *dims, size_t w,
                         struct mp_error *err)
{
	size_t T = (size_t)dims[0], k = (size_t)dims[1], d = (size_t)dims[2];
	float *wt = malloc(T * k * sizeof *wt);
	int rc;

	h->k = CUDA_K_COMBINE;
	h->z[0] = T;
	h->i[0] = (int)k;
	h->z[1] = d;
	h->grid = cuda_dev_blocks(h->c, T * d);
	h->args[0] = &h->buf[0];
	h->args[1] = &h->buf[1];
	h->args[2] = &h->buf[2];
	h->args[3] = &h->z[0];
	h->args[4] = &h->i[0];
	h->args[5] = &h->z[1];
	h->args[6] = &h->buf[3];
	for (size_t i = 0; wt != NULL && i < T * k; i++)
		wt[i] = 1.0f / (float)k;
	rc = wt == NULL ? mp_error_set(err, "out of memory") :
	     buffer(h, 0, T * k * d * w, 1, err) ||
	     buffer(h, 1, T * k * sizeof *wt, 0, err) ||
	     buffer(h, 2, T * k * sizeof(int), 0, err) ||
	     buffer(h, 3, T * d * w, 0, err) ||
	     cuda_dev_check(h->c, h->c->api.memcpy_htod(h->buf[1], wt, T * k *
	                                                sizeof *wt),
	                    "cuMemcpyHtoD", err) ||
	     upload_slots(h->c, (int)T, (int)k, h->buf[2], err) ? -1 : 0;
	free(wt);
	return rc;
}

/* swiglu(g, u, out, rows f) and triad(a, b, c, n, s): elementwise. */
static int setup_elementwise(struct cuda_mem *h, enum cost_kernel kind,
                             const double *dims, size_t w,
                             struct mp_error *err)
{
	size_t n = kind == COST_SWIGLU ? (size_t)dims[0] * (size_t)dims[1]
	                               : (size_t)dims[0];
	int out = kind == COST_SWIGLU ? 2 : 0, in = kind == COST_SWIGLU ? 0 : 1;

	h->k = kind == COST_SWIGLU ? CUDA_K_SWIGLU : CUDA_K_TRIAD;
	h->z[0] = n;
	h->s = 3.0f;
	h->grid = cuda_dev_blocks(h->c, n);
	h->args[0] = &h->buf[0];
	h->args[1] = &h->buf[1];
	h->args[2] = &h->buf[2];
	h->args[3] = &h->z[0];
	h->args[4] = &h->s;       /* triad's s; swiglu takes four arguments */
	return buffer(h, out, n * w, 0, err) || buffer(h, in, n * w, 1, err) ||
	       buffer(h, in + 1, n * w, 1, err) ? -1 : 0;
}

/* The handle's buffers and arguments for s. */
static int setup(struct cuda_mem *h, const struct bench_mem_spec *s,
                 struct mp_error *err)
{
	size_t w = cuda_dev_elem_size(h->c->dtype);

	switch (s->kind) {
	case COST_SOFTMAX_TOPK:
		return setup_softmax(h, s->dims, w, err);
	case COST_DISPATCH:
		return setup_dispatch(h, s->dims, w, err);
	case COST_COMBINE:
		return setup_combine(h, s->dims, w, err);
	case COST_SWIGLU:
	case COST_STREAM:
		return setup_elementwise(h, s->kind, s->dims, w, err);
	default:
		return mp_error_set(err, "the CUDA back end has no kernel %s",
		                    cost_kernel_name(s->kind));
	}
}

int cuda_mem_alloc(void *state, const struct bench_mem_spec *s, void **mem,
                   struct mp_error *err)
{
	struct cuda *c = state;
	struct cuda_mem *h;
	char what[96];

	if (cuda_dev_take_failure(c, err) != 0)
		return -1;
	if ((h = calloc(1, sizeof *h)) == NULL)
		return mp_error_set(err, "out of memory");
	h->c = c;
	snprintf(what, sizeof what, "%s %gx%gx%g", cost_kernel_name(s->kind),
	         s->dims[0], s->dims[1], s->dims[2]);
	if (setup(h, s, err) != 0 ||
	    cuda_dev_check(c, cuda_dev_launch(c, h->k, h->grid, h->args), what,
	                   err) != 0 ||
	    cuda_dev_finish(c, what, err) != 0) {
		cuda_mem_free(c, h);
		return -1;
	}
	*mem = h;
	return 0;
}

void cuda_mem_run(void *mem)
{
	struct cuda_mem *h = mem;
	CUresult r = cuda_dev_launch(h->c, h->k, h->grid, h->args);

	if (r != CUDA_SUCCESS)
		cuda_dev_note_failure(h->c, "a memory-bound kernel", (int)r);
}

void cuda_mem_free(void *state, void *mem)
{
	struct cuda *c = state;
	struct cuda_mem *h = mem;

	if (h == NULL)
		return;
	c->api.stream_sync(c->stream);
	for (int i = 0; i < N_BUF; i++)
		if (h->buf[i])
			c->api.mem_free(h->buf[i]);
	free(h);
}
