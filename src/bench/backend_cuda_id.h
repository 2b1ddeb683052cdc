/*
 * backend_cuda_id.h — what the cuda back end is, the same whether the
 * build has the toolkit (backend_cuda.c) or not (backend_nocuda.c, whose
 * every call says why it cannot run): its name, summary and dtypes, the
 * first members of struct bench_backend.
 */
#ifndef MP_BACKEND_CUDA_ID_H
#define MP_BACKEND_CUDA_ID_H

#include "backend.h"

#define BENCH_CUDA_IDENTITY \
	.name = "cuda", \
	.summary = "an NVIDIA GPU: bf16, fp16 or fp8 GEMMs through cuBLAS, " \
	           "memory-bound kernels in CUDA, timed by CUDA events", \
	.dtypes = BENCH_DTYPE_BIT(BENCH_BF16) | BENCH_DTYPE_BIT(BENCH_FP16) | \
	          BENCH_DTYPE_BIT(BENCH_FP8), \
	.dtype = BENCH_BF16

#endif
