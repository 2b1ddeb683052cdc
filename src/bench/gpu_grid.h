/*
 * gpu_grid.h — the arithmetic of a GPU's GEMM tiles and waves, and the
 * calibration grid's limits for a GPU (bench_limits, backend.h).  Pure
 * arithmetic, no CUDA: built in every configuration and unit-tested
 * without a GPU (tests/unit/test_gpu_grid.c).
 *
 * A GPU GEMM library splits C[m x n] into tiles of tm x tn (64 to 256
 * wide: the thread-block tiles of CUTLASS and cuBLAS kernels) and runs
 * them on S streaming multiprocessors, one tile per SM at a time, in
 * waves (NVIDIA, "Matrix Multiplication Background User's Guide", the
 * sections on tile and wave quantization):
 *
 *   tiles  = ceil(m / tm) ceil(n / tn)
 *   waves  = ceil(tiles / S)
 *   useful = m n / (waves S tm tn)     the share of the SM-tile slots of
 *                                      all waves that holds C's elements
 *
 * so one tile past a whole wave costs a whole wave more.  The grid's wave
 * scan (bench.c, tag "wave") times GEMMs whose rows step across tile and
 * wave boundaries, so the profile's raw samples show both.
 */
#ifndef MP_BENCH_GPU_GRID_H
#define MP_BENCH_GPU_GRID_H

#include "backend.h"

/* The tile widths the wave scan and the tests consider. */
#define BENCH_GPU_TILES 3
extern const int bench_gpu_tile_sizes[BENCH_GPU_TILES];   /* 64, 128, 256 */

/* The tile the wave scan is laid out for (cuBLAS's common bf16 tile on
 * A100 and H100 is 128 x 128 or wider). */
#define BENCH_GPU_SCAN_TILE 128
/* The columns and depth of the wave scan's GEMMs. */
#define BENCH_GPU_SCAN_N 4096
#define BENCH_GPU_SCAN_K 4096

/* ceil(m / tm) ceil(n / tn); 0 for an empty shape or tile. */
double bench_gpu_tiles(double m, double n, int tm, int tn);
/* ceil(tiles / sms); 0 for no tiles or no SMs. */
double bench_gpu_waves(double tiles, int sms);
/* m n / (waves sms tm tn): in (0, 1]; 0 for an empty shape. */
double bench_gpu_useful(double m, double n, int tm, int tn, int sms);

/*
 * The wave scan's rows: m = step, 2 step, ... up to the rows that fill
 * three waves of BENCH_GPU_SCAN_TILE-square tiles over n columns on sms
 * SMs (at least one step).  Writes at most max values to m; returns how
 * many the scan has (which may exceed max).
 */
int bench_gpu_wave_rows(int sms, int n, int step, int *m, int max);

/*
 * The grid's limits for a GPU of sms SMs and mem_bytes of memory, GEMMs
 * of elem_bytes per element: square GEMMs to 16384 (the achievable peak
 * needs them large), fewer where three operands of that size would take
 * more than an eighth of the memory; expert GEMMs to as many tokens;
 * edge scans of 40 rows (the fit's edge tables, core/fit.c, look for
 * periods to 32); no thread ladder; the STREAM triad to 3e7 elements,
 * past the L2 cache of any GPU so far.
 */
void bench_gpu_limits(int sms, double mem_bytes, double elem_bytes,
                      struct bench_limits *l);

#endif
