/*
 * test_gpu_grid.c — a GPU's tiles, waves and grid (src/bench/gpu_grid.h),
 * which need no GPU:
 *
 * - tile and wave quantization against counts worked out by hand for an
 *   H100 SXM (132 SMs) and an A100 (108 SMs): the tiles of a shape, the
 *   waves they take, the jump from one wave to two at the 129th tile
 *   row block, the share of useful slots;
 * - the wave scan's rows, by hand;
 * - a GPU's grid limits from its memory (square GEMMs to 16384, fewer on
 *   a small card), no thread ladder, the SM count passed on;
 * - the grid on a back end that gives an SM count has the wave scan (and
 *   none without), timed by the back end's own clock (now), with no sync.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/backend.h"
#include "bench/bench.h"
#include "bench/gpu_grid.h"
#include "tap.h"

static void test_tiles(void)
{
	/* C 1000 x 4096 in 128 x 128 tiles: ceil(1000/128) = 8 row blocks,
	 * 4096/128 = 32 column blocks */
	check_rel(bench_gpu_tiles(1000, 4096, 128, 128), 256, 0, "8 x 32 tiles");
	check_rel(bench_gpu_tiles(300, 300, 256, 128), 6, 0,
	          "256 x 128 tiles: 2 x 3");
	check_rel(bench_gpu_tiles(64, 64, 64, 64), 1, 0, "one whole tile");
	check_rel(bench_gpu_tiles(65, 64, 64, 64), 2, 0, "one row over: two");
	check_rel(bench_gpu_tiles(0, 64, 64, 64), 0, 0, "no rows, no tiles");
	check_rel(bench_gpu_tiles(64, 64, 0, 64), 0, 0, "no tile width");
	/* 256 tiles on 132 SMs: 132 + 124 */
	check_rel(bench_gpu_waves(256, 132), 2, 0, "256 tiles, 132 SMs: 2 waves");
	check_rel(bench_gpu_waves(132, 132), 1, 0, "132 tiles: 1 wave");
	check_rel(bench_gpu_waves(133, 132), 2, 0, "133 tiles: 2 waves");
	check_rel(bench_gpu_waves(216, 108), 2, 0, "A100: 216 tiles, 2 waves");
	check_rel(bench_gpu_waves(217, 108), 3, 0, "A100: 217 tiles, 3 waves");
	check_rel(bench_gpu_waves(0, 132), 0, 0, "no tiles, no waves");
	check_rel(bench_gpu_waves(10, 0), 0, 0, "no SMs, no waves");
}

static void test_useful(void)
{
	/* 1000 x 4096 on 132 SMs in 128-tiles: 2 waves of 132 slots of
	 * 128 x 128: 4096000 / (2 132 16384) */
	check_rel(bench_gpu_useful(1000, 4096, 128, 128, 132),
	          4096000.0 / 4325376.0, 1e-12, "useful share, 1000 x 4096");
	/* m = 512: 4 x 32 = 128 tiles, one wave; m = 513: 160 tiles, two */
	check_rel(bench_gpu_useful(512, 4096, 128, 128, 132),
	          2097152.0 / 2162688.0, 1e-12, "512 rows: one wave");
	check_rel(bench_gpu_useful(513, 4096, 128, 128, 132),
	          2101248.0 / 4325376.0, 1e-12, "513 rows: a second wave");
	check_rel(bench_gpu_useful(132 * 128, 128, 128, 128, 132), 1, 1e-12,
	          "132 whole tiles fill one wave");
	check_rel(bench_gpu_useful(0, 128, 128, 128, 132), 0, 0, "empty shape");
}

static void test_wave_rows(void)
{
	int m[128], n;

	/* 4096 columns: 32 column blocks of 128; three waves of 132 SMs are
	 * 396 tiles, 12.375 row blocks, 1584 rows: 16, 32, ..., 1584 */
	n = bench_gpu_wave_rows(132, 4096, 16, m, 128);
	check_int(n, 99, "H100: 99 rows in steps of 16");
	check_int(m[0], 16, "the first row count");
	check_int(m[98], 1584, "the last: three waves");
	/* A100: 324 tiles, 10.125 row blocks, 1296 rows; steps of 64 */
	n = bench_gpu_wave_rows(108, 4096, 64, m, 128);
	check_int(n, 20, "A100: 20 rows in steps of 64");
	check_int(m[19], 1280, "the last, at most 1296");
	n = bench_gpu_wave_rows(132, 4096, 16, m, 10);
	check_int(n, 99, "the count when the buffer is shorter");
	check_int(m[9], 160, "the buffer's last row");
	n = bench_gpu_wave_rows(0, 4096, 16, m, 128);
	check(n == 1 && m[0] == 16, "no SMs: one step");
}

static void test_limits(void)
{
	struct bench_limits l;

	/* 80 GiB: 3 x 16384^2 x 2 bytes = 1.6 GB, within a tenth */
	bench_gpu_limits(132, 80.0 * (1u << 30), 2, &l);
	check_int(l.max_square, 16384, "80 GiB: squares to 16384");
	check(l.max_flops >= 2 * pow(16384, 3), "the largest square fits");
	check(l.quick_max_flops >= 2 * pow(8192, 3) &&
	      l.quick_max_flops < 2 * pow(16384, 3), "quick: squares to 8192");
	check_int(l.sms, 132, "the SM count, for the wave scan");
	check_int(l.thread_ladder, 0, "no thread ladder on a GPU");
	check_int(l.edge_rows, 40, "edge scans of 40 rows");
	check(l.max_stream >= 3e7, "STREAM arrays past any L2");
	/* 8 GiB: 3 s^2 2 <= 2^30 bytes: s <= 13377, so 8192 */
	bench_gpu_limits(46, 8.0 * (1u << 30), 2, &l);
	check_int(l.max_square, 8192, "8 GiB: squares to 8192");
	/* 1 GiB of fp8: 3 s^2 <= 2^27: s <= 6689, so 4096 */
	bench_gpu_limits(10, 1.0 * (1u << 30), 1, &l);
	check_int(l.max_square, 4096, "1 GiB of fp8: squares to 4096");
	check_int(l.max_tokens, 4096, "tokens no more than the squares");
}

/* ---- a back end with a clock of its own ---------------------------------- */

struct fake {
	int sms;
	long nows, syncs;
	double clock;
};
static struct fake fk;

static int f_open(const struct bench_open_opts *o, void **state,
                  struct mp_error *err)
{
	(void)o;
	(void)err;
	*state = &fk;
	return 0;
}

static void f_describe(void *state, struct bench_device_info *info)
{
	(void)state;
	memset(info, 0, sizeof *info);
}

static void f_sync(void *state)
{
	((struct fake *)state)->syncs++;
}

/* A small grid but for the wave scan's 4096 x 4096 GEMMs. */
static void f_limits(void *state, struct bench_limits *l)
{
	memset(l, 0, sizeof *l);
	l->max_flops = l->quick_max_flops = 2 * 1600.0 * 4096 * 4096;
	l->max_tokens = 4;
	l->max_square = 64;
	l->max_dim = 64;
	l->edge_rows = 2;
	l->max_stream = l->quick_max_stream = 1e3;
	l->sms = ((struct fake *)state)->sms;
}

static int f_gemm_alloc(void *state, const struct bench_gemm_spec *s,
                        void **h, struct mp_error *err)
{
	(void)s;
	(void)err;
	*h = state;
	return 0;
}

static int f_mem_alloc(void *state, const struct bench_mem_spec *s, void **h,
                       struct mp_error *err)
{
	(void)s;
	(void)err;
	*h = state;
	return 0;
}

static void f_run(void *h)
{
	(void)h;
}

static void f_free(void *state, void *h)
{
	(void)state;
	(void)h;
}

static void f_close(void *state)
{
	(void)state;
}

/* Each read moves the clock 10 ms: warm-up and samples end at once. */
static double f_now(void *state)
{
	struct fake *f = state;

	f->nows++;
	return f->clock += 0.01;
}

static const struct bench_backend fake_gpu = {
	.name = "fakegpu", .summary = "counts", .dtypes = BENCH_DTYPE_BIT(BENCH_BF16),
	.dtype = BENCH_BF16, .open = f_open, .describe = f_describe,
	.sync = f_sync, .limits = f_limits, .gemm_alloc = f_gemm_alloc,
	.gemm_run = f_run, .gemm_free = f_free, .mem_alloc = f_mem_alloc,
	.mem_run = f_run, .mem_free = f_free, .close = f_close,
	.now = f_now,
};

/* The wave GEMMs of a quick grid on a back end of sms SMs; -1 on error. */
static long wave_gemms(int sms)
{
	struct bench_open_opts o = { 0, 0, BENCH_BF16 };
	struct bench_opts bo;
	struct bench_device dev;
	struct cost_sample *s = NULL;
	struct mp_error err;
	size_t n = 0;
	long tagged = 0;

	memset(&fk, 0, sizeof fk);
	fk.sms = sms;
	memset(&bo, 0, sizeof bo);
	bo.quick = 1;
	mp_error_clear(&err);
	if (bench_backend_open(&dev, &fake_gpu, &o, &err) != 0 ||
	    bench_run_grid(&bo, &dev, &s, &n, &err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		tagged += strcmp(s[i].tag, "wave") == 0;
	free(s);
	bench_backend_close(&dev);
	return tagged;
}

static void test_grid(void)
{
	/* quick: steps of 64 rows to three waves of 132 SMs (1584 rows) */
	check_int(wave_gemms(132), 24, "132 SMs: 24 wave GEMMs, 64 to 1536 rows");
	check(fk.nows > 0, "timed by the back end's clock");
	check_int(fk.syncs, 0, "no sync besides the clock's own");
	check_int(wave_gemms(0), 0, "no SM count: no wave scan");
}

int main(void)
{
	test_tiles();
	test_useful();
	test_wave_rows();
	test_limits();
	test_grid();
	return check_done();
}
