/*
 * backend_cuda.c — the CUDA back end (backend.h): one NVIDIA GPU, its
 * GEMMs through cuBLAS (bf16, fp16: cublasGemmEx with fp32 accumulation)
 * or cuBLASLt (fp8 e4m3 in, bf16 out), its memory-bound kernels our own
 * (cuda_kernels.cu, embedded as a fatbin: cuda_fatbin.h), everything on
 * one stream and timed by CUDA events on that stream (now).  The
 * libraries are dlopened (cuda_api.h): without a driver, open and probe
 * fail with what is missing and nothing else changes.
 *
 * This file opens, describes, times and closes the device (struct cuda,
 * cuda_dev.h, which it owns: open allocates it, close frees it and every
 * CUDA object in it) and holds the helpers the GEMM (cuda_gemm.c) and
 * memory-bound (cuda_mem.c) handles share.
 *
 * Written and built without a GPU to run it on: tests/perf/cuda-check.sh
 * is the check to run where there is one.
 */
#include "config.h"

#include "backend.h"
#include "backend_cuda_id.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cuda_api.h"
#include "cuda_dev.h"
#include "cuda_fatbin.h"
#include "gpu_grid.h"

#define LT_WORKSPACE ((size_t)32 << 20)

/* ---- helpers (cuda_dev.h) ------------------------------------------------ */

int cuda_dev_check(const struct cuda *c, CUresult r, const char *what,
                   struct mp_error *err)
{
	char buf[32];

	if (r == CUDA_SUCCESS)
		return 0;
	return mp_error_set(err, "CUDA: %s: %s", what,
	                    cuda_api_error_name(&c->api, r, buf, sizeof buf));
}

int cuda_dev_blas_check(cublasStatus_t s, const char *what,
                        struct mp_error *err)
{
	if (s == CUBLAS_STATUS_SUCCESS)
		return 0;
	return mp_error_set(err, "cuBLAS: %s: status %d", what, (int)s);
}

void cuda_dev_note_failure(struct cuda *c, const char *what, int code)
{
	if (c->failed[0] == '\0')
		snprintf(c->failed, sizeof c->failed, "%s failed (status %d)", what,
		         code);
}

int cuda_dev_take_failure(struct cuda *c, struct mp_error *err)
{
	if (c->failed[0] == '\0')
		return 0;
	mp_error_set(err, "CUDA: %s", c->failed);
	c->failed[0] = '\0';
	return -1;
}

size_t cuda_dev_elem_size(enum bench_dtype d)
{
	return d == BENCH_FP8 ? 1 : 2;
}

unsigned cuda_dev_blocks(const struct cuda *c, size_t n)
{
	size_t b = (n + CUDA_DEV_BLOCK - 1) / CUDA_DEV_BLOCK;
	size_t cap = (size_t)(c->sms > 0 ? c->sms : 1) * 64;

	return (unsigned)(b < 1 ? 1 : b > cap ? cap : b);
}

CUresult cuda_dev_launch(struct cuda *c, enum cuda_kernel k, unsigned grid,
                         void **args)
{
	return c->api.launch(c->fn[k], grid, 1, 1, CUDA_DEV_BLOCK, 1, 1, 0,
	                     c->stream, args, NULL);
}

int cuda_dev_fill(struct cuda *c, CUdeviceptr p, size_t bytes, uint32_t seed,
                  struct mp_error *err)
{
	size_t n = bytes / cuda_dev_elem_size(c->dtype);
	void *args[] = { &p, &n, &seed };

	if (n == 0)
		return 0;
	return cuda_dev_check(c, cuda_dev_launch(c, CUDA_K_FILL,
	                                         cuda_dev_blocks(c, n), args),
	                      "fill", err);
}

int cuda_dev_alloc(struct cuda *c, CUdeviceptr *p, size_t bytes,
                   const char *what, struct mp_error *err)
{
	CUresult r = c->api.mem_alloc(p, bytes > 0 ? bytes : 1);

	*p = r == CUDA_SUCCESS ? *p : 0;
	if (r == CUDA_ERROR_OUT_OF_MEMORY)
		return mp_error_set(err, "out of device memory (%zu bytes) for %s",
		                    bytes, what);
	return cuda_dev_check(c, r, "cuMemAlloc", err);
}

int cuda_dev_finish(struct cuda *c, const char *what, struct mp_error *err)
{
	return cuda_dev_check(c, c->api.stream_sync(c->stream), what, err);
}

/* ---- kernels ------------------------------------------------------------- */

static const char *dtype_suffix(enum bench_dtype d)
{
	return d == BENCH_FP8 ? "fp8" : d == BENCH_FP16 ? "fp16" : "bf16";
}

/* Look up the kernels of the module for the device's dtype. */
static int load_functions(struct cuda *c, struct mp_error *err)
{
	static const char *const base[CUDA_K_COUNT] = {
		"mp_fill", "mp_softmax_topk", "mp_combine", "mp_swiglu", "mp_triad",
		"mp_dispatch_w16", "mp_dispatch_w1"
	};
	char name[64];

	for (int i = 0; i < CUDA_K_COUNT; i++) {
		if (i >= CUDA_K_DISPATCH16)
			snprintf(name, sizeof name, "%s", base[i]);
		else
			snprintf(name, sizeof name, "%s_%s", base[i],
			         dtype_suffix(c->dtype));
		if (cuda_dev_check(c, c->api.module_function(&c->fn[i], c->module,
		                                              name), name, err) != 0)
			return -1;
	}
	return 0;
}

/* ---- the device ---------------------------------------------------------- */

static int attribute(struct cuda *c, CUdevice_attribute a)
{
	int v = 0;

	return c->api.device_attribute(&v, a, c->dev) == CUDA_SUCCESS ? v : 0;
}

/* The device's facts: name, compute capability, SMs, memory, clocks. */
static int query_device(struct cuda *c, int ordinal, struct mp_error *err)
{
	int count = 0;

	if (cuda_dev_check(c, c->api.device_count(&count), "cuDeviceGetCount",
	                   err))
		return -1;
	if (ordinal >= count)
		return mp_error_set(err, "--device %d: this machine has %d CUDA "
		                    "device%s", ordinal, count, count == 1 ? "" : "s");
	if (cuda_dev_check(c, c->api.device_get(&c->dev, ordinal), "cuDeviceGet",
	                   err) ||
	    cuda_dev_check(c, c->api.device_name(c->name, (int)sizeof c->name,
	                                         c->dev), "cuDeviceGetName", err) ||
	    cuda_dev_check(c, c->api.device_total_mem(&c->mem, c->dev),
	                   "cuDeviceTotalMem", err))
		return -1;
	c->name[sizeof c->name - 1] = '\0';
	c->cc_major = attribute(c, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
	c->cc_minor = attribute(c, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
	c->sms = attribute(c, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
	c->clock_khz = attribute(c, CU_DEVICE_ATTRIBUTE_CLOCK_RATE);
	c->mem_clock_khz = attribute(c, CU_DEVICE_ATTRIBUTE_MEMORY_CLOCK_RATE);
	if (c->api.driver_version(&c->driver) != CUDA_SUCCESS)
		c->driver = 0;
	if (c->dtype == BENCH_FP8 && c->cc_major * 10 + c->cc_minor < 89)
		return mp_error_set(err, "--dtype fp8: %s is compute capability "
		                    "%d.%d; fp8 GEMMs need 8.9 or later", c->name,
		                    c->cc_major, c->cc_minor);
	return 0;
}

/* The primary context, made current, a stream and two events. */
static int make_stream(struct cuda *c, struct mp_error *err)
{
	struct cuda_api *a = &c->api;

	if (cuda_dev_check(c, a->primary_retain(&c->ctx, c->dev),
	                   "cuDevicePrimaryCtxRetain", err) ||
	    cuda_dev_check(c, a->ctx_set_current(c->ctx), "cuCtxSetCurrent",
	                   err) ||
	    cuda_dev_check(c, a->stream_create(&c->stream, CU_STREAM_NON_BLOCKING),
	                   "cuStreamCreate", err))
		return -1;
	for (int i = 0; i < 2; i++)
		if (cuda_dev_check(c, a->event_create(&c->ev[i], CU_EVENT_DEFAULT),
		                   "cuEventCreate", err) != 0)
			return -1;
	return 0;
}

/* The kernels' module: nvcc's fatbin, or the driver's error with the
 * versions that may explain it. */
static int load_module(struct cuda *c, struct mp_error *err)
{
	char buf[32];
	CUresult r = c->api.module_load(&c->module, bench_cuda_fatbin);

	if (r == CUDA_SUCCESS)
		return load_functions(c, err);
	c->module = NULL;
	return mp_error_set(err, "CUDA: loading the kernels (built with CUDA "
	                    "%d.%d for sm_80, sm_90 and PTX) failed: %s (the "
	                    "driver is %d.%d)", CUDA_VERSION / 1000,
	                    CUDA_VERSION % 1000 / 10,
	                    cuda_api_error_name(&c->api, r, buf, sizeof buf),
	                    c->driver / 1000, c->driver % 1000 / 10);
}

/* Stream, kernels, cuBLAS (and cuBLASLt with its workspace for fp8). */
static int make_objects(struct cuda *c, struct mp_error *err)
{
	struct cuda_api *a = &c->api;

	if (make_stream(c, err) != 0 || load_module(c, err) != 0 ||
	    cuda_dev_blas_check(a->blas_create(&c->blas), "cublasCreate", err) ||
	    cuda_dev_blas_check(a->blas_set_stream(c->blas, c->stream),
	                        "cublasSetStream", err))
		return -1;
	if (c->dtype != BENCH_FP8)
		return 0;
	if (cuda_dev_blas_check(a->lt_create(&c->lt), "cublasLtCreate", err) ||
	    cuda_dev_alloc(c, &c->ws, LT_WORKSPACE, "cuBLASLt's workspace", err))
		return -1;
	c->ws_bytes = LT_WORKSPACE;
	return 0;
}

static void cuda_close(void *state);

/* Load the libraries and start the driver: the steps probe and open share. */
static int start_driver(struct cuda *c, struct mp_error *err)
{
	CUresult r;
	char buf[32];

	if (cuda_api_load(&c->api, NULL, err) != 0)
		return -1;
	if ((r = c->api.init(0)) != CUDA_SUCCESS)
		return mp_error_set(err, "the CUDA driver found no usable GPU (cuInit: "
		                    "%s)", cuda_api_error_name(&c->api, r, buf,
		                                               sizeof buf));
	return 0;
}

static int cuda_open(const struct bench_open_opts *o, void **state,
                     struct mp_error *err)
{
	struct cuda *c = calloc(1, sizeof *c);

	if (c == NULL)
		return mp_error_set(err, "out of memory");
	c->dtype = o->dtype;
	if (start_driver(c, err) != 0 || query_device(c, o->device, err) != 0 ||
	    make_objects(c, err) != 0) {
		char msg[sizeof err->msg];

		snprintf(msg, sizeof msg, "%s", err->msg);
		mp_error_set(err, "back end 'cuda': %s", msg);
		cuda_close(c);
		return -1;
	}
	*state = c;
	return 0;
}

static void cuda_describe(void *state, struct bench_device_info *info)
{
	const struct cuda *c = state;
	int v[3] = { 0, 0, 0 };
	char clocks[64];

	memset(info, 0, sizeof *info);
	c->api.blas_property(MAJOR_VERSION, &v[0]);
	c->api.blas_property(MINOR_VERSION, &v[1]);
	c->api.blas_property(PATCH_LEVEL, &v[2]);
	/* the clocks the driver reports (their peaks; 0 where a driver no
	 * longer reports them) */
	clocks[0] = '\0';
	if (c->clock_khz > 0)
		snprintf(clocks, sizeof clocks, ", SM clock %d MHz, memory clock %d "
		         "MHz", c->clock_khz / 1000, c->mem_clock_khz / 1000);
	snprintf(info->device, sizeof info->device, "%.120s (sm_%d%d, %d SMs, %.0f "
	         "GiB%s)", c->name, c->cc_major, c->cc_minor, c->sms,
	         (double)c->mem / (1u << 30), clocks);
	snprintf(info->library, sizeof info->library, "cuBLAS %d.%d.%d, CUDA "
	         "driver %d.%d, kernels built with CUDA %d.%d", v[0], v[1], v[2],
	         c->driver / 1000, c->driver % 1000 / 10, CUDA_VERSION / 1000,
	         CUDA_VERSION % 1000 / 10);
	snprintf(info->method, sizeof info->method, "%s GEMMs through %s (fp32 "
	         "accumulation), memory-bound kernels in CUDA, CUDA events",
	         bench_dtype_name(c->dtype),
	         c->dtype == BENCH_FP8 ? "cublasLtMatmul" : "cublasGemmEx");
	info->threads = 1;
	info->sms = c->sms;
}

static void cuda_sync(void *state)
{
	struct cuda *c = state;
	CUresult r = c->api.stream_sync(c->stream);

	if (r != CUDA_SUCCESS)
		cuda_dev_note_failure(c, "cuStreamSynchronize", (int)r);
}

/* The events' clock: record one, wait for it, add the time since the last
 * (two events take turns; each interval is short, so float ms suffice). */
static double cuda_now(void *state)
{
	struct cuda *c = state;
	CUevent ev = c->ev[c->ev_cur], prev = c->ev[!c->ev_cur];
	float ms = 0;

	if (c->api.event_record(ev, c->stream) != CUDA_SUCCESS ||
	    c->api.event_sync(ev) != CUDA_SUCCESS) {
		cuda_dev_note_failure(c, "cuEventRecord", 0);
		return c->clock;
	}
	if (c->ev_primed && c->api.event_elapsed(&ms, prev, ev) == CUDA_SUCCESS)
		c->clock += 1e-3 * (double)ms;
	c->ev_primed = 1;
	c->ev_cur = !c->ev_cur;
	return c->clock;
}

static void cuda_limits(void *state, struct bench_limits *l)
{
	const struct cuda *c = state;

	bench_gpu_limits(c->sms, (double)c->mem, (double)cuda_dev_elem_size(c->dtype), l);
}

/* The libraries stay loaded: cuBLAS and the driver keep threads and exit
 * handlers that must not outlive a dlclose. */
static void cuda_close(void *state)
{
	struct cuda *c = state;
	struct cuda_api *a;

	if (c == NULL)
		return;
	a = &c->api;
	if (c->ctx != NULL) {
		if (c->stream != NULL)
			a->stream_sync(c->stream);
		cuda_gemm_arena_free(c);
		if (c->ws)
			a->mem_free(c->ws);
		if (c->lt != NULL)
			a->lt_destroy(c->lt);
		if (c->blas != NULL)
			a->blas_destroy(c->blas);
		if (c->module != NULL)
			a->module_unload(c->module);
		for (int i = 0; i < 2; i++)
			if (c->ev[i] != NULL)
				a->event_destroy(c->ev[i]);
		if (c->stream != NULL)
			a->stream_destroy(c->stream);
		a->primary_release(c->dev);
	}
	free(c);
}

/* ---- probe (--list-backends) ----------------------------------------------- */

static int cuda_probe(char *why, size_t n)
{
	struct cuda c;
	struct mp_error err;
	int count = 0;

	memset(&c, 0, sizeof c);
	mp_error_clear(&err);
	if (start_driver(&c, &err) != 0) {
		snprintf(why, n, "%s", err.msg);
		return -1;
	}
	if (c.api.device_count(&count) != CUDA_SUCCESS || count < 1) {
		snprintf(why, n, "the CUDA driver reports no device");
		return -1;
	}
	if (c.api.device_get(&c.dev, 0) != CUDA_SUCCESS ||
	    c.api.device_name(c.name, (int)sizeof c.name, c.dev) != CUDA_SUCCESS)
		snprintf(c.name, sizeof c.name, "unnamed");
	c.name[sizeof c.name - 1] = '\0';
	snprintf(why, n, "%d device%s, 0: %s", count, count == 1 ? "" : "s", c.name);
	return 0;
}


const struct bench_backend bench_backend_cuda = {
	BENCH_CUDA_IDENTITY,
	.open = cuda_open,
	.describe = cuda_describe,
	.sync = cuda_sync,
	.limits = cuda_limits,
	.gemm_alloc = cuda_gemm_alloc,
	.gemm_run = cuda_gemm_run,
	.gemm_free = cuda_gemm_free,
	.mem_alloc = cuda_mem_alloc,
	.mem_run = cuda_mem_run,
	.mem_free = cuda_mem_free,
	.close = cuda_close,
	.now = cuda_now,
	.probe = cuda_probe,
};
