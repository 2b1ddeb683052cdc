/*
 * test_cuda_loader.c — the CUDA back end's loader (src/bench/cuda_api.h)
 * and its refusals, which need no GPU (built with CUDA only):
 *
 * - a driver library that is not there: "no CUDA driver found (NAME:
 *   dlerror's words)", nothing left loaded;
 * - a library that is there but is no driver (libm): the first missing
 *   function named;
 * - the toolkit's stub driver (lib64/stubs/libcuda.so, where the build's
 *   toolkit has one) with a cuBLASLt that is not there: "no cuBLASLt
 *   found (...)", after the driver's symbols were all found;
 * - the back end in the table: a dtype it does not run is refused before
 *   any library is loaded; its probe and open agree on what is missing,
 *   where no GPU is usable.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench/backend.h"
#include "bench/cuda_api.h"
#include "tap.h"

#define NO_LIB "libmoeplan-no-such-library.so.1"

static void test_no_driver(void)
{
	struct cuda_api_names nm = { NO_LIB, NULL, NULL };
	struct cuda_api a;
	struct mp_error err;
	const char *want = "no CUDA driver found (" NO_LIB ": ";

	mp_error_clear(&err);
	check(cuda_api_load(&a, &nm, &err) == -1, "a missing driver fails");
	check(strncmp(err.msg, want, strlen(want)) == 0 &&
	      strstr(err.msg, "No such file") != NULL &&
	      err.msg[strlen(err.msg) - 1] == ')',
	      "no CUDA driver found (NAME: dlerror's words)");
	printf("# %s\n", err.msg);
	check(a.driver_lib == NULL && a.blas_lib == NULL && a.init == NULL,
	      "nothing left loaded");
}

static void test_not_a_driver(void)
{
	struct cuda_api_names nm = { "libm.so.6", NULL, NULL };
	struct cuda_api a;
	struct mp_error err;

	mp_error_clear(&err);
	check(cuda_api_load(&a, &nm, &err) == -1, "libm is no driver");
	check(strcmp(err.msg, "libm.so.6 lacks cuInit (too old a version?)") == 0,
	      "the first missing function named");
	printf("# %s\n", err.msg);
	check(a.driver_lib == NULL, "and libm closed again");
}

static void test_stub_driver(void)
{
	char stub[512];
	struct cuda_api_names nm = { stub, NULL, NO_LIB };
	struct cuda_api a;
	struct mp_error err;
	const char *want = "no cuBLASLt found (" NO_LIB ": ";

	snprintf(stub, sizeof stub, "%s/lib64/stubs/libcuda.so", MP_CUDA_DIR);
	if (access(stub, R_OK) != 0) {
		printf("# skipped: no stub driver %s\n", stub);
		return;
	}
	mp_error_clear(&err);
	check(cuda_api_load(&a, &nm, &err) == -1 &&
	      strncmp(err.msg, want, strlen(want)) == 0,
	      "the stub driver loads; a missing cuBLASLt is named");
	printf("# %s\n", err.msg);
	check(a.driver_lib == NULL && a.blaslt_lib == NULL, "nothing left loaded");
}

static void test_backend(void)
{
	const struct bench_backend *b = bench_backend_find("cuda");
	struct bench_open_opts o = { 0, 0, BENCH_FP32 };
	struct bench_device dev;
	struct mp_error err;
	char why[512], want[600];

	check(b != NULL && b->probe != NULL && b->now != NULL,
	      "cuda: in the table, with a probe and a clock");
	if (b == NULL)
		return;
	check(b->dtype == BENCH_BF16, "bf16 by default");
	mp_error_clear(&err);
	check(bench_backend_open(&dev, b, &o, &err) == -1 &&
	      strcmp(err.msg, "back end 'cuda' does not run fp32") == 0,
	      "fp32 refused");
	if (b->probe(why, sizeof why) == 0) {
		printf("# a GPU is usable here (%s): tests/cuda/test_cuda_device "
		       "runs on it\n", why);
		return;
	}
	o.dtype = BENCH_BF16;
	snprintf(want, sizeof want, "back end 'cuda': %s", why);
	check(bench_backend_open(&dev, b, &o, &err) == -1 &&
	      strcmp(err.msg, want) == 0, "open fails as the probe says");
	printf("# %s\n", err.msg);
}

int main(void)
{
	test_no_driver();
	test_not_a_driver();
	test_stub_driver();
	test_backend();
	return check_done();
}
