/*
 * cuda_fatbin.h — the CUDA back end's device kernels (cuda_kernels.cu)
 * as nvcc compiled them: a fatbin image that cuModuleLoadData takes.
 * cuda_fatbin.c, which defines it, is written at build time by
 * src/bench/embed.sh from nvcc's output; it is not in the source tree.
 */
#ifndef MP_BENCH_CUDA_FATBIN_H
#define MP_BENCH_CUDA_FATBIN_H

#include <stddef.h>

extern const unsigned char bench_cuda_fatbin[];
extern const size_t bench_cuda_fatbin_size;

#endif
