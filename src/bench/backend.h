/*
 * backend.h — the seam between the calibration microbenchmark and the
 * machine it measures.  A back end opens a device, says what it is, waits
 * for the device's work before the clock is read, gives the grid's limits
 * for its class of device, and allocates, runs and frees the kernels the
 * grid times: a GEMM of a given shape, dtype and transposition, and each
 * memory-bound kernel of core/cost.h.
 *
 * The back ends are one table (backend.c): a new one is a file defining a
 * const struct bench_backend and one line in that table (and its name in
 * the profile format's list, io/profile.c, so that its profiles load
 * everywhere; tests/unit/test_bench checks both).  The CPU back end,
 * fp32 GEMMs through the CBLAS and the memory-bound kernels in C
 * (backend_cblas.c), is the first and the default; the CUDA back end
 * (backend_cuda.c, or backend_nocuda.c in a build without CUDA, which
 * only says so) is the second.
 *
 * Ownership: bench_backend_open makes the device (the back end's state),
 * bench_backend_close frees it.  Each *_alloc makes a kernel handle with
 * its buffers allocated and touched (page faults and first touches stay
 * out of the timed region), or returns -1 with err and leaves nothing to
 * free; *_free releases the handle, which must be freed before its device
 * is closed.  *_run may return before the device has finished; sync waits.
 */
#ifndef MP_BENCH_BACKEND_H
#define MP_BENCH_BACKEND_H

#include <stddef.h>

#include "core/cost.h"
#include "core/error.h"

/* Element types, named as hardware profiles name them (io/profile.h). */
enum bench_dtype { BENCH_FP32, BENCH_TF32, BENCH_BF16, BENCH_FP16, BENCH_FP8,
                   BENCH_DTYPES };
#define BENCH_DTYPE_BIT(d) (1u << (d))

/* "fp32", ...; NULL for a value out of range. */
const char *bench_dtype_name(enum bench_dtype d);
/* The dtype called name, or -1. */
int bench_dtype_parse(const char *name);

/* What to open. */
struct bench_open_opts {
	int device;              /* device index, 0 the first */
	int threads;             /* host threads for the library; 0 its default */
	enum bench_dtype dtype;  /* what the GEMMs run in */
};

/* What was opened, for the profile's calibration block. */
struct bench_device_info {
	char device[256];        /* the CPU model or the GPU's name */
	char library[256];       /* the BLAS's self-description, cuBLAS version */
	char method[128];        /* what is timed: "fp32 sgemm through CBLAS" */
	int threads;             /* host threads in use */
	int sms;                 /* a GPU's streaming multiprocessors, for
	                            the fit's wave term (core/cost.h); 0: a
	                            CPU */
};

/* The calibration grid's limits for a class of device (bench.c). */
struct bench_limits {
	double max_flops;        /* largest GEMM of the grid, FLOPs */
	double quick_max_flops;  /* the same for --quick */
	int max_tokens;          /* expert GEMMs for token counts 1..max_tokens */
	int max_square;          /* square GEMMs 64, 128, ..., max_square */
	int max_dim;             /* random shapes: m in [1, max_dim], n and k
	                            in [16, max_dim] */
	int edge_rows;           /* tile hint: edge scans run m and n from 1 to
	                            edge_rows, past every residue of the
	                            largest tile the fit looks for */
	int thread_ladder;       /* 1: the pairs that show where the library
	                            starts its threads (a CPU BLAS) */
	double max_stream;       /* STREAM triad elements, at most */
	double quick_max_stream; /* the same for --quick */
	int sms;                 /* a GPU's streaming multiprocessors: the
	                            grid's wave scan (gpu_grid.h); 0: none */
};

/* A GEMM C[m x n] = op(A)[m x k] op(B)[k x n]. */
struct bench_gemm_spec {
	int m, n, k;
	int ta, tb;              /* op = transpose (dX = dY W^T has tb,
	                            dW = X^T dY has ta) */
	enum bench_dtype dtype;
	int rotate;              /* 1: operands rotate through copies so that
	                            calls meet them out of cache, as a layer
	                            meets new weights; 0: the same operands */
};

/* A memory-bound kernel; dims as core/cost.h names them for its kind. */
struct bench_mem_spec {
	enum cost_kernel kind;   /* not COST_GEMM */
	double dims[3];
	enum bench_dtype dtype;
};

struct bench_backend {
	const char *name;        /* --backend NAME; calibration.backend */
	const char *summary;     /* one line, for --list-backends */
	unsigned dtypes;         /* BENCH_DTYPE_BIT of each dtype it runs */
	enum bench_dtype dtype;  /* the default */
	int (*open)(const struct bench_open_opts *o, void **state,
	            struct mp_error *err);
	void (*describe)(void *state, struct bench_device_info *info);
	/* wait until the work of every *_run so far has finished */
	void (*sync)(void *state);
	void (*limits)(void *state, struct bench_limits *l);
	int (*gemm_alloc)(void *state, const struct bench_gemm_spec *s,
	                  void **gemm, struct mp_error *err);
	void (*gemm_run)(void *gemm);
	void (*gemm_free)(void *state, void *gemm);
	int (*mem_alloc)(void *state, const struct bench_mem_spec *s, void **mem,
	                 struct mp_error *err);
	void (*mem_run)(void *mem);
	void (*mem_free)(void *state, void *mem);
	void (*close)(void *state);
	/* optional: the device's own clock in seconds, read once its work so
	 * far has finished (a GPU's events); NULL: sync, then the host's
	 * monotonic clock (timing.h) */
	double (*now)(void *state);
	/* optional: whether this machine can open the back end: 0, with what
	 * was found in why, or -1, with what is missing (for
	 * --list-backends); NULL: always */
	int (*probe)(char *why, size_t n);
};

/* An open device of a back end. */
struct bench_device {
	const struct bench_backend *backend;
	void *state;
	enum bench_dtype dtype;  /* the GEMMs' dtype, from the open options */
};

/* Every back end, NULL-terminated; the first is the default. */
const struct bench_backend *const *bench_backend_list(void);
/* The back end called name, or NULL. */
const struct bench_backend *bench_backend_find(const char *name);

/* Open a device of b; -1 with err (also when b does not run o->dtype). */
int bench_backend_open(struct bench_device *d, const struct bench_backend *b,
                       const struct bench_open_opts *o, struct mp_error *err);
void bench_backend_close(struct bench_device *d);
/* The back end's sync; nothing for d == NULL (host code). */
void bench_backend_sync(const struct bench_device *d);

#endif
