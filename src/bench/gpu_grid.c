/*
 * gpu_grid.c — tiles, waves and a GPU's grid limits (see gpu_grid.h).
 * Nothing here allocates.
 */
#include "config.h"

#include "gpu_grid.h"

#include <math.h>
#include <string.h>

const int bench_gpu_tile_sizes[BENCH_GPU_TILES] = { 64, 128, 256 };

/* Tile quantization (NVIDIA's GEMM guide): whole tiles cover C. */
double bench_gpu_tiles(double m, double n, int tm, int tn)
{
	if (m <= 0 || n <= 0 || tm <= 0 || tn <= 0)
		return 0;
	return ceil(m / tm) * ceil(n / tn);
}

/* Wave quantization (NVIDIA's GEMM guide): one tile per SM at a time. */
double bench_gpu_waves(double tiles, int sms)
{
	if (tiles <= 0 || sms <= 0)
		return 0;
	return ceil(tiles / sms);
}

double bench_gpu_useful(double m, double n, int tm, int tn, int sms)
{
	double w = bench_gpu_waves(bench_gpu_tiles(m, n, tm, tn), sms);

	return w > 0 ? m * n / (w * sms * (double)tm * tn) : 0;
}

int bench_gpu_wave_rows(int sms, int n, int step, int *m, int max)
{
	double t = BENCH_GPU_SCAN_TILE, cols = n > 0 ? ceil(n / t) : 1;
	/* three waves hold 3 S tiles: 3 S / cols row blocks of t rows */
	double top = 3.0 * (sms > 0 ? sms : 1) / cols * t;
	int count = 0;

	if (step < 1)
		step = 1;
	for (double r = step; r <= top || count == 0; r += step) {
		if (count < max)
			m[count] = (int)r;
		count++;
	}
	return count;
}

/* The largest power of two s <= cap with 3 s^2 w <= mem / 8. */
static int square_cap(double mem_bytes, double w, int cap)
{
	int s = cap;

	while (s > 64 && 3.0 * s * s * w > mem_bytes / 8)
		s /= 2;
	return s;
}

void bench_gpu_limits(int sms, double mem_bytes, double elem_bytes,
                      struct bench_limits *l)
{
	int s = square_cap(mem_bytes, elem_bytes > 0 ? elem_bytes : 2, 16384);

	(void)sms;
	memset(l, 0, sizeof *l);
	/* 2 s^3 FLOPs, with room for rounding */
	l->max_flops = 2.02 * s * (double)s * s;
	l->quick_max_flops = 2.02 * (s / 2) * (double)(s / 2) * (s / 2);
	l->max_tokens = s;
	l->max_square = s;
	l->max_dim = s;
	l->edge_rows = 40;
	l->thread_ladder = 0;
	l->max_stream = 3e7;
	l->quick_max_stream = 3e7;
	l->sms = sms;
}
