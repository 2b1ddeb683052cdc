/*
 * cuda_api.h — the CUDA libraries of the CUDA back end (backend_cuda.c),
 * loaded at run time with dlopen: the driver (libcuda.so.1, the driver
 * API), cuBLAS and cuBLASLt.  Nothing of CUDA is linked into the program,
 * so that a binary built with CUDA starts, and runs every other back end
 * and command, on a machine without a GPU, a driver or the toolkit; only
 * `calibrate --backend cuda` needs them, and says which is missing.
 *
 * The types are the toolkit's (cuda.h, cublas_v2.h, cublasLt.h), so the
 * compiler checks each pointer against the declaration it stands for.
 * The fields are not named after the functions: cuda.h maps many names
 * to versioned ones by macros (cuMemAlloc is cuMemAlloc_v2), and the
 * table in cuda_api.c names the exact symbol each field is loaded from.
 *
 * Ownership: cuda_api_load fills a caller's struct and opens the
 * libraries; cuda_api_unload closes them.  Errors name the library and
 * dlerror()'s words: "no CUDA driver found (libcuda.so.1: cannot open
 * shared object file: No such file or directory)".
 */
#ifndef MP_BENCH_CUDA_API_H
#define MP_BENCH_CUDA_API_H

#include <stddef.h>

#include <cuda.h>
#include <cublasLt.h>
#include <cublas_v2.h>

#include "core/error.h"

/* The default names dlopen is given; cuBLAS is then tried in the
 * toolkit's lib64 that the build used (config.h's MP_CUDA_DIR). */
#define CUDA_API_DRIVER "libcuda.so.1"
#define CUDA_API_CUBLAS_SONAME(major) "libcublas.so." #major
#define CUDA_API_CUBLASLT_SONAME(major) "libcublasLt.so." #major

struct cuda_api {
	void *driver_lib, *blas_lib, *blaslt_lib;
	/* the driver API */
	CUresult (*init)(unsigned flags);
	CUresult (*driver_version)(int *v);
	CUresult (*error_name)(CUresult r, const char **s);
	CUresult (*device_count)(int *n);
	CUresult (*device_get)(CUdevice *d, int ordinal);
	CUresult (*device_name)(char *name, int len, CUdevice d);
	CUresult (*device_attribute)(int *v, CUdevice_attribute a, CUdevice d);
	CUresult (*device_total_mem)(size_t *bytes, CUdevice d);
	CUresult (*primary_retain)(CUcontext *c, CUdevice d);
	CUresult (*primary_release)(CUdevice d);
	CUresult (*ctx_set_current)(CUcontext c);
	CUresult (*stream_create)(CUstream *s, unsigned flags);
	CUresult (*stream_destroy)(CUstream s);
	CUresult (*stream_sync)(CUstream s);
	CUresult (*event_create)(CUevent *e, unsigned flags);
	CUresult (*event_destroy)(CUevent e);
	CUresult (*event_record)(CUevent e, CUstream s);
	CUresult (*event_sync)(CUevent e);
	CUresult (*event_elapsed)(float *ms, CUevent start, CUevent end);
	CUresult (*mem_alloc)(CUdeviceptr *p, size_t bytes);
	CUresult (*mem_free)(CUdeviceptr p);
	CUresult (*memcpy_htod)(CUdeviceptr dst, const void *src, size_t bytes);
	CUresult (*module_load)(CUmodule *m, const void *image);
	CUresult (*module_unload)(CUmodule m);
	CUresult (*module_function)(CUfunction *f, CUmodule m, const char *name);
	CUresult (*launch)(CUfunction f, unsigned gx, unsigned gy, unsigned gz,
	                   unsigned bx, unsigned by, unsigned bz, unsigned shmem,
	                   CUstream s, void **params, void **extra);
	/* cuBLAS */
	cublasStatus_t (*blas_create)(cublasHandle_t *h);
	cublasStatus_t (*blas_destroy)(cublasHandle_t h);
	cublasStatus_t (*blas_set_stream)(cublasHandle_t h, cudaStream_t s);
	cublasStatus_t (*blas_property)(libraryPropertyType t, int *v);
	cublasStatus_t (*gemm_ex)(cublasHandle_t h, cublasOperation_t ta,
	                          cublasOperation_t tb, int m, int n, int k,
	                          const void *alpha, const void *A,
	                          cudaDataType at, int lda, const void *B,
	                          cudaDataType bt, int ldb, const void *beta,
	                          void *C, cudaDataType ct, int ldc,
	                          cublasComputeType_t compute,
	                          cublasGemmAlgo_t algo);
	/* optional: cuBLAS 12.5 and later; NULL where the library lacks it
	 * (the grouped expert GEMMs are then not timed, never an error).
	 * Declared here, not taken from cublas_api.h, so that a build
	 * against an older toolkit still compiles; the prototype is
	 * cuBLAS 12.5's (cublas_api.h).  The pointer arrays are in device
	 * memory, the sizes and group_size on the host. */
	cublasStatus_t (*gemm_grouped)(cublasHandle_t h,
	                               const cublasOperation_t ta[],
	                               const cublasOperation_t tb[],
	                               const int m[], const int n[],
	                               const int k[], const void *alpha,
	                               const void *const A[], cudaDataType at,
	                               const int lda[], const void *const B[],
	                               cudaDataType bt, const int ldb[],
	                               const void *beta, void *const C[],
	                               cudaDataType ct, const int ldc[],
	                               int groups, const int group_size[],
	                               cublasComputeType_t compute);
	/* cuBLASLt (fp8 GEMMs) */
	cublasStatus_t (*lt_create)(cublasLtHandle_t *h);
	cublasStatus_t (*lt_destroy)(cublasLtHandle_t h);
	cublasStatus_t (*lt_desc_create)(cublasLtMatmulDesc_t *d,
	                                 cublasComputeType_t c, cudaDataType s);
	cublasStatus_t (*lt_desc_destroy)(cublasLtMatmulDesc_t d);
	cublasStatus_t (*lt_desc_set)(cublasLtMatmulDesc_t d,
	                              cublasLtMatmulDescAttributes_t a,
	                              const void *buf, size_t n);
	cublasStatus_t (*lt_layout_create)(cublasLtMatrixLayout_t *l,
	                                   cudaDataType t, uint64_t rows,
	                                   uint64_t cols, int64_t ld);
	cublasStatus_t (*lt_layout_destroy)(cublasLtMatrixLayout_t l);
	cublasStatus_t (*lt_pref_create)(cublasLtMatmulPreference_t *p);
	cublasStatus_t (*lt_pref_destroy)(cublasLtMatmulPreference_t p);
	cublasStatus_t (*lt_pref_set)(cublasLtMatmulPreference_t p,
	                              cublasLtMatmulPreferenceAttributes_t a,
	                              const void *buf, size_t n);
	cublasStatus_t (*lt_heuristic)(cublasLtHandle_t h, cublasLtMatmulDesc_t d,
	                               cublasLtMatrixLayout_t a,
	                               cublasLtMatrixLayout_t b,
	                               cublasLtMatrixLayout_t c,
	                               cublasLtMatrixLayout_t dd,
	                               cublasLtMatmulPreference_t p, int want,
	                               cublasLtMatmulHeuristicResult_t *r,
	                               int *got);
	cublasStatus_t (*lt_matmul)(cublasLtHandle_t h, cublasLtMatmulDesc_t d,
	                            const void *alpha, const void *A,
	                            cublasLtMatrixLayout_t al, const void *B,
	                            cublasLtMatrixLayout_t bl, const void *beta,
	                            const void *C, cublasLtMatrixLayout_t cl,
	                            void *D, cublasLtMatrixLayout_t dl,
	                            const cublasLtMatmulAlgo_t *algo, void *ws,
	                            size_t ws_bytes, cudaStream_t s);
};

/* Where to load from; NULL fields take the defaults above. */
struct cuda_api_names {
	const char *driver;
	const char *blas, *blaslt;
};

/*
 * Open the driver (names->driver) and look up its functions, then cuBLAS
 * and cuBLASLt; names may be NULL.  Returns 0, or -1 with err naming what
 * is missing (and then nothing is left open).  Does not call cuInit.
 */
int cuda_api_load(struct cuda_api *a, const struct cuda_api_names *names,
                  struct mp_error *err);
void cuda_api_unload(struct cuda_api *a);

/* r's name ("CUDA_ERROR_NO_DEVICE"), or "CUresult N" if the driver has
 * none for it. */
const char *cuda_api_error_name(const struct cuda_api *a, CUresult r,
                                char *buf, size_t n);

#endif
