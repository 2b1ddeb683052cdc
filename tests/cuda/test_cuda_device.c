/*
 * test_cuda_device.c — the CUDA back end on a GPU (built with CUDA only).
 * Where no GPU is usable (the back end's probe says why), it skips:
 * exit status 77, automake's SKIP.  Written without a GPU to run it on.
 *
 * On a GPU, for bf16, fp16 and (compute capability 8.9 and later) fp8:
 * the device opens and describes itself (name, SMs and clocks; the cuBLAS
 * and driver versions); its limits are a GPU's (an SM count, no thread
 * ladder); a square GEMM forward and each backward layout, an odd-sized
 * one, and every memory-bound kernel allocate, run and are timed by the
 * events' clock at a positive time within what a GPU can do (a GEMM at
 * most 10 PFLOP/s, at least 1 GFLOP/s); a device the machine does not have
 * is refused naming --device.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench/backend.h"
#include "bench/timing.h"
#include "tap.h"

static const struct bench_protocol proto = { 0.002, 0.005, 3 };

/* Seconds per call of a GEMM on dev, or -1. */
static double time_gemm(struct bench_device *dev, int m, int n, int k, int ta,
                        int tb)
{
	struct bench_gemm_spec g = { m, n, k, ta, tb, dev->dtype, 1 };
	struct bench_timing t;
	struct mp_error err;
	void *h;

	mp_error_clear(&err);
	if (dev->backend->gemm_alloc(dev->state, &g, &h, &err) != 0) {
		printf("# GEMM %dx%dx%d: %s\n", m, n, k, err.msg);
		return -1;
	}
	bench_time(&proto, dev, dev->backend->gemm_run, h, &t);
	dev->backend->gemm_free(dev->state, h);
	return t.median;
}

/* Seconds per call of a memory-bound kernel, or -1. */
static double time_mem(struct bench_device *dev, enum cost_kernel kind,
                       double a, double b, double c)
{
	struct bench_mem_spec s = { kind, { a, b, c }, dev->dtype };
	struct bench_timing t;
	struct mp_error err;
	void *h;

	mp_error_clear(&err);
	if (dev->backend->mem_alloc(dev->state, &s, &h, &err) != 0) {
		printf("# %s: %s\n", cost_kernel_name(kind), err.msg);
		return -1;
	}
	bench_time(&proto, dev, dev->backend->mem_run, h, &t);
	dev->backend->mem_free(dev->state, h);
	return t.median;
}

static void gemms(struct bench_device *dev, const char *dt)
{
	static const int shape[][5] = {
		{ 2048, 2048, 2048, 0, 0 }, { 2048, 2048, 2048, 0, 1 },
		{ 2048, 2048, 2048, 1, 0 }, { 1, 4096, 1024, 0, 0 },
		{ 333, 517, 129, 0, 0 },
	};
	char what[128];

	for (size_t i = 0; i < sizeof shape / sizeof shape[0]; i++) {
		const int *s = shape[i];
		double t = time_gemm(dev, s[0], s[1], s[2], s[3], s[4]);
		double rate = 2.0 * s[0] * s[1] * s[2] / t;

		snprintf(what, sizeof what, "%s GEMM %dx%dx%d ta %d tb %d: %.3g s, "
		         "%.3g FLOP/s", dt, s[0], s[1], s[2], s[3], s[4], t, rate);
		check(t > 0 && rate < 1e16 && rate > 1e9, what);
	}
}

static void kernels(struct bench_device *dev, const char *dt)
{
	static const struct { enum cost_kernel k; double d[3]; } m[] = {
		{ COST_SOFTMAX_TOPK, { 4096, 64, 2 } },
		{ COST_SOFTMAX_TOPK, { 512, 256, 8 } },
		{ COST_DISPATCH, { 4096, 2, 1024 } },
		{ COST_DISPATCH, { 64, 1, 3 } },       /* rows of odd bytes */
		{ COST_COMBINE, { 4096, 2, 1024 } },
		{ COST_SWIGLU, { 256, 1408, 3 } },
		{ COST_STREAM, { 3e7, 0, 0 } },
	};
	char what[128];

	for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
		double t = time_mem(dev, m[i].k, m[i].d[0], m[i].d[1], m[i].d[2]);

		snprintf(what, sizeof what, "%s %s %gx%gx%g: %.3g s", dt,
		         cost_kernel_name(m[i].k), m[i].d[0], m[i].d[1], m[i].d[2], t);
		check(t > 0 && t < 1, what);
	}
}

/* Everything on device 0 in dtype d; 1 if it opened. */
static int run_dtype(const struct bench_backend *b, enum bench_dtype d)
{
	struct bench_open_opts o = { 0, 0, d };
	struct bench_device dev;
	struct bench_device_info info;
	struct bench_limits l;
	struct mp_error err;
	const char *dt = bench_dtype_name(d);

	mp_error_clear(&err);
	if (bench_backend_open(&dev, b, &o, &err) != 0) {
		printf("# %s: %s\n", dt, err.msg);
		check(d == BENCH_FP8 && strstr(err.msg, "--dtype fp8") != NULL,
		      "only fp8 may be refused, naming --dtype and the capability");
		return 0;
	}
	b->describe(dev.state, &info);
	printf("# %s\n# %s\n# %s\n", info.device, info.library, info.method);
	check(strstr(info.device, "SMs") != NULL &&
	      strstr(info.library, "cuBLAS") != NULL, "described");
	b->limits(dev.state, &l);
	check(l.sms > 0 && l.thread_ladder == 0 && l.max_square >= 4096,
	      "a GPU's limits");
	gemms(&dev, dt);
	kernels(&dev, dt);
	bench_backend_close(&dev);
	return 1;
}

int main(void)
{
	const struct bench_backend *b = bench_backend_find("cuda");
	struct bench_open_opts o = { 1023, 0, BENCH_BF16 };
	struct bench_device dev;
	struct mp_error err;
	char why[512];

	if (b == NULL || b->probe == NULL || b->probe(why, sizeof why) != 0) {
		printf("SKIP: no usable GPU: %s\n", b != NULL ? why : "no back end");
		return 77;
	}
	printf("# %s\n", why);
	check(run_dtype(b, BENCH_BF16), "bf16 opened");
	check(run_dtype(b, BENCH_FP16), "fp16 opened");
	run_dtype(b, BENCH_FP8);
	mp_error_clear(&err);
	check(bench_backend_open(&dev, b, &o, &err) == -1 &&
	      strstr(err.msg, "--device 1023") != NULL, "no device 1023");
	return check_done();
}
