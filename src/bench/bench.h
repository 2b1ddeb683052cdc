/*
 * bench.h — the calibration microbenchmark: which shapes `moeplan
 * calibrate` times, and how one sample is measured.
 *
 * The grid follows an MoE layer (DESIGN.md, "Kernel cost model and
 * calibration"): the router GEMM [T x d]·[d x E] for E up to 256; the
 * expert GEMMs (up/gate [c x d]·[d x f], down [c x f]·[f x d]) for token
 * counts c from 1 to 2048 half an octave apart, as balanced and skewed
 * routing produce them; their backward shapes (input gradient with B
 * transposed, weight gradient with A transposed); a ladder of pairs
 * (m, n, k), (m, n, k + 1) with m n k = 2^j that shows where the BLAS
 * starts its threads; square GEMMs up to the achievable peak; random
 * log-uniform shapes (seeded) in between; softmax/top-k, dispatch, combine,
 * SwiGLU and a STREAM triad over a range of sizes; on a GPU, a scan of
 * rows across its tile and wave boundaries (gpu_grid.h).  The kernels run on a
 * device of a back end (backend.h), within the grid limits it gives for
 * its class of device.  The grid and the samples are malloc'd here and
 * handed to the caller, who frees them.
 */
#ifndef MP_BENCH_H
#define MP_BENCH_H

#include <stddef.h>

#include "core/cost.h"
#include "core/error.h"
#include "backend.h"
#include "timing.h"

struct bench_opts {
	int quick;            /* smaller grid, shorter samples (about 10 s) */
	/* called after each shape (may be NULL) */
	void (*progress)(void *ctx, int done, int total);
	void *progress_ctx;
	/* called after each shape too (may be NULL), with the number of calls
	 * to come: tests/perf/cost_accuracy measures its held-out kernels
	 * there, interleaved with the grid, so that load from elsewhere hits
	 * the model's samples and the held-out measurements alike */
	void (*interleave)(void *ctx, int remaining);
	void *interleave_ctx;
};

/* One shape of the grid; ta/tb mark transposed GEMM operands. */
struct bench_shape {
	struct cost_sample s;
	int ta, tb;
};

/* The protocol of a full or quick run. */
void bench_protocol_for(int quick, struct bench_protocol *p);

/* Time one shape on dev (GEMMs in dev's dtype, operands rotating); fills
 * sh->s.seconds and spread.  Returns 0 or -1 with err when buffers cannot
 * be allocated. */
int bench_measure(const struct bench_protocol *p, struct bench_device *dev,
                  struct bench_shape *sh, struct mp_error *err);

/*
 * Run the calibration grid on dev.  *samples (free() it) gets *n measured
 * samples.  Returns 0 or -1 with err.
 */
int bench_run_grid(const struct bench_opts *o, struct bench_device *dev,
                   struct cost_sample **samples, size_t *n,
                   struct mp_error *err);

#endif
