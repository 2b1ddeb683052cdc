/*
 * cuda_dev.h — the CUDA back end's device, shared by its three files:
 * backend_cuda.c (open, describe, clock, close, probe, and the helpers
 * below), cuda_gemm.c (GEMM handles) and cuda_mem.c (memory-bound kernel
 * handles).  Internal to the back end; backend.h is its interface.
 *
 * struct cuda owns the CUDA objects of an open device (primary context,
 * stream, two events, the kernels' module, cuBLAS handles, the cuBLASLt
 * workspace) and the GEMM arena (cuda_gemm.c).  A failed run (run
 * functions return nothing) is kept in failed and returned by the next
 * alloc (cuda_dev_take_failure).
 */
#ifndef MP_BENCH_CUDA_DEV_H
#define MP_BENCH_CUDA_DEV_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "cuda_api.h"

/* Threads per block of every kernel launch. */
#define CUDA_DEV_BLOCK 256

/* The kernels of cuda_kernels.cu, by storage type. */
enum cuda_kernel { CUDA_K_FILL, CUDA_K_SOFTMAX, CUDA_K_COMBINE, CUDA_K_SWIGLU,
                   CUDA_K_TRIAD, CUDA_K_DISPATCH16, CUDA_K_DISPATCH1,
                   CUDA_K_COUNT };

/* Device memory that every GEMM's operands live in (cuda_gemm.c). */
struct cuda_arena {
	CUdeviceptr in, out;
	size_t in_cap, out_cap;   /* bytes */
};

struct cuda {
	struct cuda_api api;
	CUdevice dev;
	CUcontext ctx;
	CUstream stream;
	CUevent ev[2];
	int ev_cur, ev_primed;
	double clock;             /* seconds between the events so far */
	CUmodule module;
	CUfunction fn[CUDA_K_COUNT];
	cublasHandle_t blas;
	cublasLtHandle_t lt;
	CUdeviceptr ws;           /* cuBLASLt's workspace (fp8) */
	size_t ws_bytes;
	enum bench_dtype dtype;
	int sms, cc_major, cc_minor, clock_khz, mem_clock_khz, driver;
	size_t mem;
	char name[160];
	struct cuda_arena arena;
	char failed[256];         /* the first failed run, "" if none */
};

/* -1 with err "CUDA: what: CUDA_ERROR_..." unless r is CUDA_SUCCESS. */
int cuda_dev_check(const struct cuda *c, CUresult r, const char *what,
                   struct mp_error *err);
/* -1 with err "cuBLAS: what: status N" unless s is a success. */
int cuda_dev_blas_check(cublasStatus_t s, const char *what,
                        struct mp_error *err);
/* Keep the first failure of a run; return (and clear) it as an error. */
void cuda_dev_note_failure(struct cuda *c, const char *what, int code);
int cuda_dev_take_failure(struct cuda *c, struct mp_error *err);

/* Bytes per element the device's dtype stores (fp8 1, bf16 and fp16 2). */
size_t cuda_dev_elem_size(enum bench_dtype d);
/* Blocks of CUDA_DEV_BLOCK threads for n work items (grid-stride loops
 * beyond 64 blocks per SM). */
unsigned cuda_dev_blocks(const struct cuda *c, size_t n);
/* Launch kernel k on the stream with grid blocks and args. */
CUresult cuda_dev_launch(struct cuda *c, enum cuda_kernel k, unsigned grid,
                         void **args);
/* Fill bytes at p with small values of the dtype (cuda_kernels.cu). */
int cuda_dev_fill(struct cuda *c, CUdeviceptr p, size_t bytes, uint32_t seed,
                  struct mp_error *err);
/* Allocate bytes (at least 1) of device memory into *p. */
int cuda_dev_alloc(struct cuda *c, CUdeviceptr *p, size_t bytes,
                   const char *what, struct mp_error *err);
/* Run the stream dry and return its status as an error. */
int cuda_dev_finish(struct cuda *c, const char *what, struct mp_error *err);

/* The GEMM and memory-bound handles (cuda_gemm.c, cuda_mem.c), with the
 * signatures of struct bench_backend. */
int cuda_gemm_alloc(void *state, const struct bench_gemm_spec *s, void **gemm,
                    struct mp_error *err);
void cuda_gemm_run(void *gemm);
void cuda_gemm_free(void *state, void *gemm);
void cuda_gemm_arena_free(struct cuda *c);
int cuda_mem_alloc(void *state, const struct bench_mem_spec *s, void **mem,
                   struct mp_error *err);
void cuda_mem_run(void *mem);
void cuda_mem_free(void *state, void *mem);

#endif
