/*
 * backend_nocuda.c — the CUDA back end of a build without CUDA
 * (configure found no toolkit, or --without-cuda): listed, so that
 * --list-backends and --backend cuda say what is missing the same way in
 * every build, but it never opens.  backend_cuda.c is the back end.
 * Owns nothing.
 */
#include "config.h"

#include "backend.h"
#include "backend_cuda_id.h"

#include <stdio.h>

#define WHY "this moeplan was built without CUDA (configure --with-cuda=DIR " \
            "with the CUDA toolkit in DIR)"

static int nocuda_open(const struct bench_open_opts *o, void **state,
                       struct mp_error *err)
{
	(void)o;
	*state = NULL;
	return mp_error_set(err, "back end 'cuda': %s", WHY);
}

static int nocuda_probe(char *why, size_t n)
{
	snprintf(why, n, "%s", WHY);
	return -1;
}

/* Never called: open fails. */
static void nocuda_describe(void *state, struct bench_device_info *info)
{
	(void)state;
	(void)info;
}

static void nocuda_state(void *state)
{
	(void)state;
}

static void nocuda_limits(void *state, struct bench_limits *l)
{
	(void)state;
	(void)l;
}

static int nocuda_gemm_alloc(void *state, const struct bench_gemm_spec *s,
                             void **gemm, struct mp_error *err)
{
	(void)state;
	(void)s;
	(void)gemm;
	return mp_error_set(err, "%s", WHY);
}

static int nocuda_mem_alloc(void *state, const struct bench_mem_spec *s,
                            void **mem, struct mp_error *err)
{
	(void)state;
	(void)s;
	(void)mem;
	return mp_error_set(err, "%s", WHY);
}

static void nocuda_free(void *state, void *handle)
{
	(void)state;
	(void)handle;
}

const struct bench_backend bench_backend_cuda = {
	BENCH_CUDA_IDENTITY,
	.open = nocuda_open,
	.describe = nocuda_describe,
	.sync = nocuda_state,
	.limits = nocuda_limits,
	.gemm_alloc = nocuda_gemm_alloc,
	.gemm_run = nocuda_state,
	.gemm_free = nocuda_free,
	.mem_alloc = nocuda_mem_alloc,
	.mem_run = nocuda_state,
	.mem_free = nocuda_free,
	.close = nocuda_state,
	.probe = nocuda_probe,
};
