/*
 * backend_cblas.c — the CPU back end (backend.h): GEMMs through
 * cblas_sgemm (fp32, row major, with the BLAS's own threads, OpenBLAS's
 * set by --threads), the memory-bound kernels in C on one thread
 * (kernels.h).  The device is this machine; sync has nothing to wait for.
 *
 * The device's state owns an arena that every GEMM's operands live in:
 * to keep operands out of cache, as in a layer where each call meets new
 * weights, calls rotate through copies of A and B laid in at least
 * ROTATE_BYTES, allocated and touched once and shared by all shapes; C
 * goes to a separate output region, so results never become inputs
 * (repeated products would drift into denormals, which run many times
 * slower).  A GEMM handle holds offsets into the arena, which may move
 * when a later GEMM grows it; handles are malloc'd, freed by gemm_free.
 */
#include "config.h"

#include "backend.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"

#define ROTATE_BYTES ((size_t)64 << 20)
#define MAX_COPIES 256

struct arena {
	float *mem, *out;
	size_t cap, out_cap;  /* floats */
};

struct cpu {
	struct arena arena;
};

struct bench_gemm {
	const struct arena *arena;
	int m, n, k, ta, tb;
	size_t sa, sb, sc;    /* floats per copy */
	int copies, next;
};

/* ---- the BLAS --------------------------------------------------------- */

/* The BLAS's self-description ("OpenBLAS 0.3.21 ... Haswell") or "cblas". */
static void blas_name(char *buf, size_t n)
{
#ifdef OPENBLAS_VERSION
	const char *c = openblas_get_config();

	while (c != NULL && *c == ' ')
		c++;
	snprintf(buf, n, "%s", c != NULL ? c : "OpenBLAS");
#else
	snprintf(buf, n, "cblas");
#endif
}

/* Set BLAS threads (if n > 0 and the BLAS allows it); return those in use. */
static int blas_threads(int n)
{
#ifdef OPENBLAS_VERSION
	if (n > 0)
		openblas_set_num_threads(n);
	return openblas_get_num_threads();
#else
	(void)n;
	return 1;
#endif
}

/* "model name" of /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, n, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
			colon += 1 + strspn(colon + 1, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, n, "%s", colon);
			break;
		}
	}
	fclose(f);
}

/* ---- the device ------------------------------------------------------- */

static int cpu_open(const struct bench_open_opts *o, void **state,
                    struct mp_error *err)
{
	struct cpu *c;

	if (o->device != 0)
		return mp_error_set(err, "back end 'cblas' has one device, 0 "
		                    "(this machine), not %d", o->device);
	if ((c = calloc(1, sizeof *c)) == NULL)
		return mp_error_set(err, "out of memory");
	blas_threads(o->threads);
	*state = c;
	return 0;
}

static void cpu_describe(void *state, struct bench_device_info *info)
{
	(void)state;
	memset(info, 0, sizeof *info);
	cpu_model(info->device, sizeof info->device);
	blas_name(info->library, sizeof info->library);
	snprintf(info->method, sizeof info->method, "fp32 sgemm through CBLAS");
	info->threads = blas_threads(0);
}

/* CBLAS calls return when their result is there. */
static void cpu_sync(void *state)
{
	(void)state;
}

/* The grid of a CPU: GEMMs to 2e10 FLOPs (a few seconds of a core), edge
 * scans past OpenBLAS's tiles (at most 32 rows) and the thread ladder. */
static void cpu_limits(void *state, struct bench_limits *l)
{
	(void)state;
	l->max_flops = 2e10;
	l->quick_max_flops = 1e9;
	l->max_tokens = 2048;
	l->max_square = 2048;
	l->max_dim = 4096;
	l->edge_rows = 40;
	l->thread_ladder = 1;
	l->max_stream = 3e7;
	l->quick_max_stream = 1e7;
}

static void arena_free(struct arena *a)
{
	free(a->mem);
	free(a->out);
	memset(a, 0, sizeof *a);
}

static void cpu_close(void *state)
{
	struct cpu *c = state;

	if (c == NULL)
		return;
	arena_free(&c->arena);
	free(c);
}

/* ---- GEMM ---------------------------------------------------------------- */

/* Grow *p to n floats (at least floor), touching the new ones. */
static int grow(float **p, size_t *cap, size_t n, size_t floor)
{
	float *q;

	if (n < floor)
		n = floor;
	if (n <= *cap)
		return 0;
	q = realloc(*p, n * sizeof *q);
	if (q == NULL)
		return -1;
	bench_kern_fill(q + *cap, n - *cap, 12345u);
	*p = q;
	*cap = n;
	return 0;
}

/* Make room for n input and n_out output floats (inputs at least
 * ROTATE_BYTES), touching new ones. */
static int arena_reserve(struct arena *a, size_t n, size_t n_out)
{
	return grow(&a->mem, &a->cap, n, ROTATE_BYTES / sizeof(float)) ||
	       grow(&a->out, &a->out_cap, n_out, 1);
}

static int cpu_gemm_alloc(void *state, const struct bench_gemm_spec *s,
                          void **gemm, struct mp_error *err)
{
	struct cpu *c = state;
	struct bench_gemm *g;
	size_t set;

	if (s->dtype != BENCH_FP32)
		return mp_error_set(err, "back end 'cblas' runs fp32 GEMMs only");
	if ((g = calloc(1, sizeof *g)) == NULL)
		return mp_error_set(err, "out of memory for GEMM %dx%dx%d", s->m,
		                    s->n, s->k);
	g->arena = &c->arena;
	g->m = s->m;
	g->n = s->n;
	g->k = s->k;
	g->ta = s->ta;
	g->tb = s->tb;
	g->sa = (size_t)s->m * s->k;
	g->sb = (size_t)s->k * s->n;
	g->sc = (size_t)s->m * s->n;
	set = g->sa + g->sb;
	g->copies = 1;
	if (s->rotate) {
		size_t n = ROTATE_BYTES / sizeof(float) / (set + g->sc);

		g->copies = n < 1 ? 1 : n > MAX_COPIES ? MAX_COPIES : (int)n;
	}
	if (arena_reserve(&c->arena, set * g->copies, g->sc * g->copies) != 0) {
		free(g);
		return mp_error_set(err, "out of memory for GEMM %dx%dx%d", s->m,
		                    s->n, s->k);
	}
	*gemm = g;
	return 0;
}

static void cpu_gemm_run(void *gemm)
{
	struct bench_gemm *g = gemm;
	float *a = g->arena->mem + (size_t)g->next * (g->sa + g->sb);
	float *b = a + g->sa, *c = g->arena->out + (size_t)g->next * g->sc;

	g->next = (g->next + 1) % g->copies;
	cblas_sgemm(CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans,
	            g->tb ? CblasTrans : CblasNoTrans, g->m, g->n, g->k, 1.0f,
	            a, g->ta ? g->m : g->k, b, g->tb ? g->k : g->n, 0.0f, c, g->n);
}

static void cpu_gemm_free(void *state, void *gemm)
{
	(void)state;
	free(gemm);
}

/* ---- memory-bound kernels ------------------------------------------------ */

static int cpu_mem_alloc(void *state, const struct bench_mem_spec *s,
                         void **mem, struct mp_error *err)
{
	struct bench_kern_mem *c;

	(void)state;
	if (s->dtype != BENCH_FP32)
		return mp_error_set(err, "back end 'cblas' runs fp32 kernels only");
	if ((c = malloc(sizeof *c)) == NULL ||
	    bench_kern_mem_alloc(c, s->kind, s->dims) != 0) {
		if (c != NULL)
			bench_kern_mem_free(c);
		free(c);
		return mp_error_set(err, "out of memory for %s %gx%gx%g",
		                    cost_kernel_name(s->kind), s->dims[0], s->dims[1],
		                    s->dims[2]);
	}
	*mem = c;
	return 0;
}

static void cpu_mem_free(void *state, void *mem)
{
	(void)state;
	bench_kern_mem_free(mem);
	free(mem);
}

const struct bench_backend bench_backend_cblas = {
	.name = "cblas",
	.summary = "this machine's CPU: fp32 GEMMs through the CBLAS, "
	           "memory-bound kernels in C",
	.dtypes = BENCH_DTYPE_BIT(BENCH_FP32),
	.dtype = BENCH_FP32,
	.open = cpu_open,
	.describe = cpu_describe,
	.sync = cpu_sync,
	.limits = cpu_limits,
	.gemm_alloc = cpu_gemm_alloc,
	.gemm_run = cpu_gemm_run,
	.gemm_free = cpu_gemm_free,
	.mem_alloc = cpu_mem_alloc,
	.mem_run = bench_kern_mem_run,
	.mem_free = cpu_mem_free,
	.close = cpu_close,
};
