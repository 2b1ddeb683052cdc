/*
 * cuda_api.c — dlopen the CUDA driver, cuBLAS and cuBLASLt and look up
 * the functions of struct cuda_api (see cuda_api.h).  One table per
 * library gives each field its symbol (and an older name to fall back
 * on); a missing library or symbol is an error naming it.  Owns the
 * library handles in the caller's struct until cuda_api_unload.
 */
#include "config.h"

#include "cuda_api.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#define STR_(x) #x
#define STR(x) STR_(x)

/* A field of struct cuda_api and the symbols it may come from. */
struct sym {
	size_t offset;
	const char *name, *fallback;
};
#define SYM(field, name) { offsetof(struct cuda_api, field), name, NULL }
#define SYM2(field, name, old) { offsetof(struct cuda_api, field), name, old }

static const struct sym driver_syms[] = {
	SYM(init, "cuInit"),
	SYM(driver_version, "cuDriverGetVersion"),
	SYM(error_name, "cuGetErrorName"),
	SYM(device_count, "cuDeviceGetCount"),
	SYM(device_get, "cuDeviceGet"),
	SYM(device_name, "cuDeviceGetName"),
	SYM(device_attribute, "cuDeviceGetAttribute"),
	SYM(device_total_mem, "cuDeviceTotalMem_v2"),
	SYM(primary_retain, "cuDevicePrimaryCtxRetain"),
	SYM(primary_release, "cuDevicePrimaryCtxRelease_v2"),
	SYM(ctx_set_current, "cuCtxSetCurrent"),
	SYM(stream_create, "cuStreamCreate"),
	SYM(stream_destroy, "cuStreamDestroy_v2"),
	SYM(stream_sync, "cuStreamSynchronize"),
	SYM(event_create, "cuEventCreate"),
	SYM(event_destroy, "cuEventDestroy_v2"),
	SYM(event_record, "cuEventRecord"),
	SYM(event_sync, "cuEventSynchronize"),
	/* drivers before 12.8 have only the first version */
	SYM2(event_elapsed, "cuEventElapsedTime_v2", "cuEventElapsedTime"),
	SYM(mem_alloc, "cuMemAlloc_v2"),
	SYM(mem_free, "cuMemFree_v2"),
	SYM(memcpy_htod, "cuMemcpyHtoD_v2"),
	SYM(module_load, "cuModuleLoadData"),
	SYM(module_unload, "cuModuleUnload"),
	SYM(module_function, "cuModuleGetFunction"),
	SYM(launch, "cuLaunchKernel"),
};

static const struct sym blas_syms[] = {
	SYM(blas_create, "cublasCreate_v2"),
	SYM(blas_destroy, "cublasDestroy_v2"),
	SYM(blas_set_stream, "cublasSetStream_v2"),
	SYM(blas_property, "cublasGetProperty"),
	SYM(gemm_ex, "cublasGemmEx"),
};

static const struct sym blaslt_syms[] = {
	SYM(lt_create, "cublasLtCreate"),
	SYM(lt_destroy, "cublasLtDestroy"),
	SYM(lt_desc_create, "cublasLtMatmulDescCreate"),
	SYM(lt_desc_destroy, "cublasLtMatmulDescDestroy"),
	SYM(lt_desc_set, "cublasLtMatmulDescSetAttribute"),
	SYM(lt_layout_create, "cublasLtMatrixLayoutCreate"),
	SYM(lt_layout_destroy, "cublasLtMatrixLayoutDestroy"),
	SYM(lt_pref_create, "cublasLtMatmulPreferenceCreate"),
	SYM(lt_pref_destroy, "cublasLtMatmulPreferenceDestroy"),
	SYM(lt_pref_set, "cublasLtMatmulPreferenceSetAttribute"),
	SYM(lt_heuristic, "cublasLtMatmulAlgoGetHeuristic"),
	SYM(lt_matmul, "cublasLtMatmul"),
};

#define N_OF(a) (sizeof (a) / sizeof (a)[0])

/* Look up every symbol of t in lib into a; -1 with err naming the first
 * missing one. */
static int lookup(void *lib, const char *what, const struct sym *t, size_t n,
                  struct cuda_api *a, struct mp_error *err)
{
	for (size_t i = 0; i < n; i++) {
		void *f = dlsym(lib, t[i].name);

		if (f == NULL && t[i].fallback != NULL)
			f = dlsym(lib, t[i].fallback);
		if (f == NULL)
			return mp_error_set(err, "%s lacks %s (too old a version?)",
			                    what, t[i].name);
		/* POSIX: a function's address comes back from dlsym as void * */
		memcpy((char *)a + t[i].offset, &f, sizeof f);
	}
	return 0;
}

/* dlopen name, else (if dir is not NULL) dir/name; NULL with *why set to
 * the first attempt's dlerror() words. */
static void *open_lib(const char *name, const char *dir, char *why, size_t n)
{
	void *h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
	char path[512];
	const char *e;

	if (h != NULL)
		return h;
	e = dlerror();
	snprintf(why, n, "%s", e != NULL ? e : name);
	if (dir == NULL || strchr(name, '/') != NULL)
		return NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		dlerror();
	return h;
}

/* The toolkit's lib64 of the build, searched after the loader's path. */
static const char *toolkit_lib(char *buf, size_t n)
{
#ifdef MP_CUDA_DIR
	snprintf(buf, n, "%s/lib64", MP_CUDA_DIR);
	return buf;
#else
	(void)n;
	(void)buf;
	return NULL;
#endif
}

/* The names to load, defaults filled in. */
static void names_or_defaults(const struct cuda_api_names *in,
                              struct cuda_api_names *out)
{
	out->driver = in && in->driver ? in->driver : CUDA_API_DRIVER;
	out->blas = in && in->blas ? in->blas
	                           : CUDA_API_CUBLAS_SONAME(CUBLAS_VER_MAJOR);
	out->blaslt = in && in->blaslt ? in->blaslt
	                               : CUDA_API_CUBLASLT_SONAME(CUBLAS_VER_MAJOR);
}

/* What cuBLAS may lack: left NULL then (cuda_api.h). */
static void optional_blas(struct cuda_api *a)
{
	void *f = dlsym(a->blas_lib, "cublasGemmGroupedBatchedEx");

	if (f != NULL)
		memcpy(&a->gemm_grouped, &f, sizeof f);
}

/* cuBLAS and cuBLASLt, after the driver. */
static int load_blas(struct cuda_api *a, const struct cuda_api_names *nm,
                     struct mp_error *err)
{
	char why[512], dir[512];
	const char *lib = toolkit_lib(dir, sizeof dir);

	/* cuBLAS needs cuBLASLt: opened first, the toolkit's copy is found
	 * even where the loader's path lacks it */
	if ((a->blaslt_lib = open_lib(nm->blaslt, lib, why, sizeof why)) == NULL)
		return mp_error_set(err, "no cuBLASLt found (%s; cuBLAS %s is "
		                    "what this build needs)", why,
		                    STR(CUBLAS_VER_MAJOR));
	if ((a->blas_lib = open_lib(nm->blas, lib, why, sizeof why)) == NULL)
		return mp_error_set(err, "no cuBLAS found (%s; cuBLAS %s is what "
		                    "this build needs)", why, STR(CUBLAS_VER_MAJOR));
	if (lookup(a->blas_lib, nm->blas, blas_syms, N_OF(blas_syms), a, err) ||
	    lookup(a->blaslt_lib, nm->blaslt, blaslt_syms, N_OF(blaslt_syms), a,
	           err))
		return -1;
	optional_blas(a);
	return 0;
}

int cuda_api_load(struct cuda_api *a, const struct cuda_api_names *names,
                  struct mp_error *err)
{
	struct cuda_api_names nm;
	char why[512];

	memset(a, 0, sizeof *a);
	names_or_defaults(names, &nm);
	if ((a->driver_lib = open_lib(nm.driver, NULL, why, sizeof why)) == NULL)
		return mp_error_set(err, "no CUDA driver found (%s)", why);
	if (lookup(a->driver_lib, nm.driver, driver_syms, N_OF(driver_syms), a,
	           err) != 0 || load_blas(a, &nm, err) != 0) {
		cuda_api_unload(a);
		return -1;
	}
	return 0;
}

void cuda_api_unload(struct cuda_api *a)
{
	if (a->blas_lib != NULL)
		dlclose(a->blas_lib);
	if (a->blaslt_lib != NULL)
		dlclose(a->blaslt_lib);
	if (a->driver_lib != NULL)
		dlclose(a->driver_lib);
	memset(a, 0, sizeof *a);
}

const char *cuda_api_error_name(const struct cuda_api *a, CUresult r,
                                char *buf, size_t n)
{
	const char *s = NULL;

	if (a->error_name != NULL && a->error_name(r, &s) == CUDA_SUCCESS &&
	    s != NULL)
		return s;
	snprintf(buf, n, "CUresult %d", (int)r);
	return buf;
}
