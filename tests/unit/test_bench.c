/*
 * test_bench.c — the microbenchmark's back-end seam (src/bench/backend.h).
 *
 * - the table: cblas first and found by name, an unknown name not found,
 *   every back end complete and named in the profile format's list;
 * - dtype names against the profile format's;
 * - the timing protocol waits for the device (sync) before every clock
 *   read: counted with a back end made here;
 * - the grid keeps within the limits a back end gives, allocates each
 *   kernel in the device's dtype and frees every handle it allocates;
 * - the CPU back end: opens, refuses other dtypes and devices, runs a
 *   GEMM and each memory-bound kernel;
 * - the memory-bound kernels in C on inputs whose results are worked out
 *   by hand.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/backend.h"
#include "bench/bench.h"
#include "bench/kernels.h"
#include "io/profile.h"
#include "tap.h"

static void test_table(void)
{
	const struct bench_backend *const *b = bench_backend_list();
	char what[128];

	check(b[0] != NULL && strcmp(b[0]->name, "cblas") == 0,
	      "cblas is the first (default) back end");
	check(bench_backend_find("cblas") == b[0], "find cblas");
	check(bench_backend_find("nosuch") == NULL, "an unknown name is not found");
	check(bench_backend_find("") == NULL, "the empty name is not found");
	for (size_t i = 0; b[i] != NULL; i++) {
		const struct bench_backend *x = b[i];

		snprintf(what, sizeof what, "%s: named in io/profile.c", x->name);
		check(profile_backend_known(x->name), what);
		snprintf(what, sizeof what, "%s: every operation and a summary",
		         x->name);
		check(x->summary && x->summary[0] && x->open && x->describe &&
		      x->sync && x->limits && x->gemm_alloc && x->gemm_run &&
		      x->gemm_free && x->mem_alloc && x->mem_run && x->mem_free &&
		      x->close, what);
		snprintf(what, sizeof what, "%s: runs its default dtype", x->name);
		check((x->dtypes & BENCH_DTYPE_BIT(x->dtype)) != 0, what);
	}
	check(!profile_backend_known("nosuch"), "profile: unknown back end");
}

static void test_dtypes(void)
{
	static const char *const names[] = { "fp32", "tf32", "bf16", "fp16",
	                                     "fp8" };

	for (int d = 0; d < BENCH_DTYPES; d++) {
		check_str(bench_dtype_name(d), names[d], "dtype name");
		check_int(bench_dtype_parse(names[d]), d, "dtype parsed");
		check(profile_dtype_bytes(names[d]) > 0, "a profile dtype too");
	}
	check(bench_dtype_parse("int4") == -1, "unknown dtype");
	check(bench_dtype_name(BENCH_DTYPES) == NULL, "dtype out of range");
}

/* ---- a back end that counts (no kernel does any work) ------------------- */

struct counts {
	long syncs, runs, gemm_allocs, gemm_frees, mem_allocs, mem_frees;
	long wrong_dtype, not_rotating;
	struct bench_limits lim;
};
static struct counts cnt;

static int fake_open(const struct bench_open_opts *o, void **state,
                     struct mp_error *err)
{
	(void)o;
	(void)err;
	*state = &cnt;
	return 0;
}

static void fake_describe(void *state, struct bench_device_info *info)
{
	(void)state;
	memset(info, 0, sizeof *info);
}

static void fake_sync(void *state)
{
	((struct counts *)state)->syncs++;
}

static void fake_limits(void *state, struct bench_limits *l)
{
	*l = ((struct counts *)state)->lim;
}

static int fake_gemm_alloc(void *state, const struct bench_gemm_spec *s,
                           void **gemm, struct mp_error *err)
{
	struct counts *c = state;

	(void)err;
	c->gemm_allocs++;
	c->wrong_dtype += s->dtype != BENCH_BF16;
	c->not_rotating += !s->rotate;
	*gemm = c;
	return 0;
}

static int fake_mem_alloc(void *state, const struct bench_mem_spec *s,
                          void **mem, struct mp_error *err)
{
	struct counts *c = state;

	(void)err;
	c->mem_allocs++;
	c->wrong_dtype += s->dtype != BENCH_BF16;
	*mem = c;
	return 0;
}

static void fake_run(void *h)
{
	((struct counts *)h)->runs++;
}

static void fake_gemm_free(void *state, void *h)
{
	(void)h;
	((struct counts *)state)->gemm_frees++;
}

static void fake_mem_free(void *state, void *h)
{
	(void)h;
	((struct counts *)state)->mem_frees++;
}

static void fake_close(void *state)
{
	(void)state;
}

static const struct bench_backend fake = {
	.name = "fake", .summary = "counts", .dtypes = BENCH_DTYPE_BIT(BENCH_BF16),
	.dtype = BENCH_BF16, .open = fake_open, .describe = fake_describe,
	.sync = fake_sync, .limits = fake_limits, .gemm_alloc = fake_gemm_alloc,
	.gemm_run = fake_run, .gemm_free = fake_gemm_free,
	.mem_alloc = fake_mem_alloc, .mem_run = fake_run,
	.mem_free = fake_mem_free, .close = fake_close,
};

static void test_sync(void)
{
	struct bench_open_opts o = { 0, 0, BENCH_BF16 };
	struct bench_protocol p = { 0.0005, 0.0005, 5 };
	struct bench_device dev;
	struct bench_timing t;
	struct mp_error err;
	long warm;

	memset(&cnt, 0, sizeof cnt);
	mp_error_clear(&err);
	check(bench_backend_open(&dev, &fake, &o, &err) == 0, "open a back end");
	bench_time(&p, &dev, fake_run, &cnt, &t);
	/* warm-up: a clock read before the first call and after each; then
	 * two per sample */
	warm = cnt.runs - 5 * t.reps;
	check(warm >= 1 && t.reps >= 1, "warm-up and repeats ran");
	check_int(cnt.syncs, 1 + warm + 2 * 5, "a sync before every clock read");
	bench_backend_close(&dev);
	o.dtype = BENCH_FP32;
	check(bench_backend_open(&dev, &fake, &o, &err) == -1 &&
	      strstr(err.msg, "does not run fp32") != NULL,
	      "a dtype the back end does not run is refused");
}

/* Whether sample s keeps within l (quick). */
static int within(const struct cost_sample *s, const struct bench_limits *l)
{
	const double *d = s->dims;

	if (s->kernel == COST_STREAM)
		return d[0] <= l->quick_max_stream;
	if (s->kernel != COST_GEMM)
		return 1;
	if (2 * d[0] * d[1] * d[2] > l->quick_max_flops ||
	    strcmp(s->tag, "ladder") == 0)
		return 0;
	if (strcmp(s->tag, "edge_m") == 0)
		return d[0] <= l->edge_rows;
	if (strcmp(s->tag, "edge_n") == 0)
		return d[1] <= l->edge_rows;
	if (strcmp(s->tag, "up") == 0 || strcmp(s->tag, "down") == 0)
		return d[0] <= l->max_tokens;
	if (strcmp(s->tag, "square") == 0)
		return d[0] <= l->max_square;
	if (strcmp(s->tag, "random") == 0)
		return d[0] <= l->max_dim && d[1] <= l->max_dim && d[2] <= l->max_dim;
	return 1;
}

static void test_grid_limits(void)
{
	struct bench_open_opts o = { 0, 0, BENCH_BF16 };
	struct bench_opts bo;
	struct bench_device dev;
	struct cost_sample *s = NULL;
	struct mp_error err;
	size_t n = 0, outside = 0, gemms = 0, edges = 0, streams = 0;

	memset(&cnt, 0, sizeof cnt);
	cnt.lim.max_flops = cnt.lim.quick_max_flops = 2 * 96.0 * 96 * 96;
	cnt.lim.max_tokens = 4;
	cnt.lim.max_square = 64;
	cnt.lim.max_dim = 64;
	cnt.lim.edge_rows = 3;
	cnt.lim.thread_ladder = 0;
	cnt.lim.max_stream = cnt.lim.quick_max_stream = 1e4;
	memset(&bo, 0, sizeof bo);
	bo.quick = 1;
	mp_error_clear(&err);
	check(bench_backend_open(&dev, &fake, &o, &err) == 0 &&
	      bench_run_grid(&bo, &dev, &s, &n, &err) == 0 && n > 0,
	      "the grid runs on a back end");
	for (size_t i = 0; i < n; i++) {
		outside += !within(&s[i], &cnt.lim);
		gemms += s[i].kernel == COST_GEMM;
		edges += strncmp(s[i].tag, "edge_", 5) == 0;
		streams += s[i].kernel == COST_STREAM;
	}
	check_int((long)outside, 0, "every shape within the back end's limits");
	/* edge scans: m and n from 1 to 3 in two thread regimes, those whose
	 * 2 m n k is within 2 96^3 (all: the largest is 3 x 512 x 256) */
	check_int((long)edges, 3 * 2 * 2, "edge scans to edge_rows");
	check_int((long)streams, 2, "STREAM arrays of 1e3 and 1e4 only");
	check(gemms > 0 && cnt.gemm_allocs > 0, "some GEMMs ran");
	check_int(cnt.gemm_frees, cnt.gemm_allocs, "every GEMM handle freed");
	check_int(cnt.mem_frees, cnt.mem_allocs, "every kernel handle freed");
	check_int(cnt.wrong_dtype, 0, "every kernel in the device's dtype");
	check_int(cnt.not_rotating, 0, "GEMM operands rotate");
	free(s);
	bench_backend_close(&dev);
}

/* ---- the CPU back end ---------------------------------------------------- */

static void test_cblas(void)
{
	const struct bench_backend *b = bench_backend_find("cblas");
	struct bench_open_opts o = { 0, 0, BENCH_FP32 };
	struct bench_gemm_spec g = { 24, 16, 8, 1, 1, BENCH_FP32, 1 };
	struct bench_mem_spec m;
	struct bench_device dev;
	struct bench_device_info info;
	struct mp_error err;
	void *h;
	int ok = 1;

	mp_error_clear(&err);
	o.device = 1;
	check(bench_backend_open(&dev, b, &o, &err) == -1, "cblas: no device 1");
	o.device = 0;
	o.dtype = BENCH_BF16;
	check(bench_backend_open(&dev, b, &o, &err) == -1 &&
	      strstr(err.msg, "does not run bf16") != NULL, "cblas: no bf16");
	o.dtype = BENCH_FP32;
	if (bench_backend_open(&dev, b, &o, &err) != 0) {
		check(0, "cblas opens");
		return;
	}
	b->describe(dev.state, &info);
	check(info.device[0] && info.library[0] && info.threads >= 1,
	      "cblas describes this machine");
	check(b->gemm_alloc(dev.state, &g, &h, &err) == 0, "cblas: a GEMM");
	b->gemm_run(h);
	b->gemm_run(h);
	b->sync(dev.state);
	b->gemm_free(dev.state, h);
	g.dtype = BENCH_FP16;
	check(b->gemm_alloc(dev.state, &g, &h, &err) == -1, "cblas: no fp16 GEMM");
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++) {
		memset(&m, 0, sizeof m);
		m.kind = k;
		m.dims[0] = 32;
		m.dims[1] = 4;
		m.dims[2] = 2;
		m.dtype = BENCH_FP32;
		if (b->mem_alloc(dev.state, &m, &h, &err) != 0) {
			ok = 0;
			continue;
		}
		b->mem_run(h);
		b->mem_free(dev.state, h);
	}
	check(ok, "cblas: each memory-bound kernel");
	bench_backend_close(&dev);
}

/* ---- the kernels in C, by hand --------------------------------------------- */

static void test_kernels(void)
{
	/* probabilities 1/10, 3/10, 2/10, 4/10 */
	const float logits[4] = { 0, logf(3), logf(2), logf(4) };
	const float x[2 * 2] = { 1, 2, 3, 4 };      /* tokens 0 and 1, d = 2 */
	const int ids[2 * 2] = { 1, 0, 1, 1 };      /* top-2 experts per token */
	float w[2], xe[4 * 2], out[2 * 2];
	const float wt[4] = { 0.5f, 0.25f, 1, 2 };
	int top[2], counts[2], offsets[3], slot[4];
	float g[2] = { 0, 1 }, u[2] = { 5, 2 }, h[2];

	bench_kern_softmax_topk(logits, 1, 4, 2, w, top);
	check(top[0] == 3 && top[1] == 1, "top-2 experts 3 and 1");
	check_rel(w[0], 0.4, 1e-5, "their probabilities: 4/10");
	check_rel(w[1], 0.3, 1e-5, "3/10");
	bench_kern_dispatch(x, ids, 2, 2, 2, 2, counts, offsets, slot, xe);
	/* expert 0 gets token 0 (slot 0); expert 1 tokens 0, 1, 1 (1..3) */
	check(offsets[1] == 1 && offsets[2] == 4, "dispatch: offsets");
	check(slot[0] == 1 && slot[1] == 0 && slot[2] == 2 && slot[3] == 3,
	      "dispatch: slots in token order within an expert");
	check(xe[0] == 1 && xe[1] == 2 && xe[4] == 3 && xe[7] == 4,
	      "dispatch: rows gathered");
	bench_kern_combine(xe, wt, slot, 2, 2, 2, out);
	/* token 0: 0.5 x row 1 + 0.25 x row 0 = 0.75 (1, 2); token 1:
	 * (1 + 2) x (3, 4) */
	check(out[0] == 0.75f && out[1] == 1.5f && out[2] == 9 && out[3] == 12,
	      "combine: weighted sums");
	bench_kern_swiglu(g, u, h, 2);
	check(h[0] == 0, "swiglu: silu(0) = 0");
	check_rel(h[1], 2 / (1 + exp(-1.0)), 1e-6, "swiglu: silu(1) x 2");
}

int main(void)
{
	test_table();
	test_dtypes();
	test_sync();
	test_grid_limits();
	test_cblas();
	test_kernels();
	return check_done();
}
