/*
 * cost_accuracy.c — how well a calibrated profile predicts kernels it was
 * not fitted on (run by bench_cost.sh after `moeplan calibrate`).
 *
 * Held-out shapes: GEMMs drawn log-uniformly with a seed other than the
 * calibration grid's, plus MoE-shaped GEMMs at sizes the grid lacks; and
 * whole MoE layer forwards (router, softmax/top-k, dispatch, SwiGLU
 * experts, combine) with balanced and Zipf-skewed routing.  Each is
 * measured here with the calibration's protocol and predicted by
 *   model      the profile's fitted cost model (core/cost.h);
 *   roofline   max(FLOPs / peak, bytes / bandwidth) per kernel, with the
 *              profile's measured peak and STREAM bandwidth only;
 *   const-MFU  FLOPs / (MFU x peak), MFU the median of the calibration
 *              GEMM samples: what a FLOPs-only planner assumes.
 * Prints the median and 90th-percentile absolute relative error of each.
 *
 * usage: cost_accuracy PROFILE [-v]
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "bench/kernels.h"
#include "bench/routing.h"
#include "core/cost.h"
#include "io/profile.h"

#define MAX_CASES 128
#define HELDOUT_SEED 777ul

struct errors {
	double model[MAX_CASES], roof[MAX_CASES], mfu[MAX_CASES];
	int n;
};

struct baseline {
	double peak, bw, mfu;   /* measured peak, STREAM bandwidth, median MFU */
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double quantile(const double *v, int n, double q)
{
	double s[MAX_CASES];
	int i;

	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, cmp_double);
	i = (int)ceil(q * n) - 1;
	return s[i < 0 ? 0 : i];
}

static void record(struct errors *e, double meas, double model, double roof,
                   double mfu)
{
	if (e->n == MAX_CASES)
		return;
	e->model[e->n] = fabs(model / meas - 1);
	e->roof[e->n] = fabs(roof / meas - 1);
	e->mfu[e->n] = fabs(mfu / meas - 1);
	e->n++;
}

static void summary(const char *what, const struct errors *e)
{
	printf("%-10s %3d cases  |rel err| median / p90:  model %5.1f%% / %5.1f%%"
	       "   roofline %5.1f%% / %5.1f%%   const-MFU %5.1f%% / %5.1f%%\n",
	       what, e->n, 100 * quantile(e->model, e->n, 0.5),
	       100 * quantile(e->model, e->n, 0.9), 100 * quantile(e->roof, e->n, 0.5),
	       100 * quantile(e->roof, e->n, 0.9), 100 * quantile(e->mfu, e->n, 0.5),
	       100 * quantile(e->mfu, e->n, 0.9));
}

static double roof_gemm(const struct baseline *b, double w, double m, double n,
                        double k)
{
	return fmax(2 * m * n * k / b->peak, w * (m * k + k * n + m * n) / b->bw);
}

/* ---- single GEMMs --------------------------------------------------------- */

static int gemm_case(const struct hw_profile *p, const struct baseline *b,
                     const struct bench_protocol *proto,
                     struct bench_arena *arena, struct errors *e, double m,
                     double n, double k, int verbose)
{
	struct bench_shape sh;
	struct mp_error err;
	double meas, model, roof, mfu;

	memset(&sh, 0, sizeof sh);
	sh.s.kernel = COST_GEMM;
	sh.s.dims[0] = m;
	sh.s.dims[1] = n;
	sh.s.dims[2] = k;
	if (bench_measure(proto, arena, &sh, &err) != 0) {
		fprintf(stderr, "cost_accuracy: %s\n", err.msg);
		return -1;
	}
	meas = sh.s.seconds;
	model = cost_gemm_seconds(&p->model, m, n, k);
	roof = roof_gemm(b, p->model.elem_bytes, m, n, k);
	mfu = 2 * m * n * k / (b->mfu * b->peak);
	record(e, meas, model, roof, mfu);
	if (verbose)
		printf("gemm %5.0f %5.0f %5.0f  measured %.3e  model %+6.1f%%  roofline "
		       "%+6.1f%%  const-MFU %+6.1f%%\n", m, n, k, meas,
		       100 * (model / meas - 1), 100 * (roof / meas - 1),
		       100 * (mfu / meas - 1));
	return 0;
}

static int gemms(const struct hw_profile *p, const struct baseline *b,
                 const struct bench_protocol *proto, struct errors *e,
                 int verbose)
{
	/* MoE-shaped sizes absent from the grid: d 384, f 768; d 768, E 32 */
	static const double c[] = { 3, 12, 48, 96, 384, 1536 };
	struct bench_arena arena = { NULL, NULL, 0, 0 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	int rc = 0;

	gsl_rng_set(r, HELDOUT_SEED);
	for (size_t i = 0; i < sizeof c / sizeof c[0] && rc == 0; i++)
		rc = gemm_case(p, b, proto, &arena, e, c[i], 768, 384, verbose) ||
		     gemm_case(p, b, proto, &arena, e, c[i], 384, 768, verbose) ||
		     gemm_case(p, b, proto, &arena, e, 384, 768, c[i], verbose);
	rc = rc || gemm_case(p, b, proto, &arena, e, 200, 32, 768, verbose) ||
	     gemm_case(p, b, proto, &arena, e, 1500, 128, 768, verbose);
	for (int i = 0; i < 24 && rc == 0; i++) {
		double m = round(exp(gsl_rng_uniform(r) * log(2048.0)));
		double n = round(32 * exp(gsl_rng_uniform(r) * log(64.0)));
		double k = round(32 * exp(gsl_rng_uniform(r) * log(64.0)));

		rc = gemm_case(p, b, proto, &arena, e, m, n, k, verbose);
	}
	gsl_rng_free(r);
	arena_free(&arena);
	return rc;
}

/* ---- whole MoE layers --------------------------------------------------------- */

struct layer_case {
	int T, d, f, E, k;
	double skew;
};

/* The baselines for a layer: kernel by kernel (roofline), FLOPs (MFU). */
static void layer_baselines(const struct hw_profile *p, const struct baseline *b,
                            const struct layer_case *c, const int *counts,
                            double *roof, double *mfu)
{
	double w = p->model.elem_bytes, flops = 2.0 * c->T * c->E * c->d;
	double dims[3];

	*roof = roof_gemm(b, w, c->T, c->E, c->d);
	for (int e = 0; e < c->E; e++) {
		if (counts[e] == 0)
			continue;
		*roof += 2 * roof_gemm(b, w, counts[e], c->f, c->d) +
		         roof_gemm(b, w, counts[e], c->d, c->f);
		dims[0] = counts[e];
		dims[1] = c->f;
		dims[2] = 3;
		*roof += cost_mem_bytes(&p->model, COST_SWIGLU, dims) / b->bw;
		flops += 6.0 * counts[e] * c->f * c->d;
	}
	dims[0] = c->T;
	dims[1] = c->E;
	dims[2] = c->k;
	*roof += cost_mem_bytes(&p->model, COST_SOFTMAX_TOPK, dims) / b->bw;
	dims[1] = c->k;
	dims[2] = c->d;
	*roof += (cost_mem_bytes(&p->model, COST_DISPATCH, dims) +
	          cost_mem_bytes(&p->model, COST_COMBINE, dims)) / b->bw;
	*mfu = flops / (b->mfu * b->peak);
}

static int layer(const struct hw_profile *p, const struct baseline *b,
                 const struct bench_protocol *proto, const struct layer_case *c,
                 struct errors *e, int verbose)
{
	struct cost_moe_layer L = { c->T, c->d, c->f, c->E, c->k, 3 };
	int *assign = malloc((size_t)c->T * c->k * sizeof *assign);
	int *counts = malloc((size_t)c->E * sizeof *counts);
	double *dc = malloc((size_t)c->E * sizeof *dc), model, roof, mfu;
	struct bench_timing t;
	struct moe_ctx m;
	int zero = 0, one = 0;

	if (!assign || !counts || !dc ||
	    bench_route(c->T, c->E, c->k, c->skew, HELDOUT_SEED, assign, counts) ||
	    moe_alloc(&m, c->T, c->d, c->f, c->E, c->k, assign) != 0) {
		fprintf(stderr, "cost_accuracy: out of memory\n");
		return -1;
	}
	bench_time(proto, moe_run, &m, &t);
	moe_free(&m);
	for (int i = 0; i < c->E; i++) {
		dc[i] = counts[i];
		zero += counts[i] == 0;
		one += counts[i] == 1;
	}
	model = cost_moe_layer_seconds(&p->model, &L, dc, NULL);
	layer_baselines(p, b, c, counts, &roof, &mfu);
	record(e, t.median, model, roof, mfu);
	if (verbose)
		printf("layer T %4d d %3d f %4d E %3d k %d skew %.1f (%d experts with 0 "
		       "tokens, %d with 1)  measured %.3e  model %+6.1f%%  roofline "
		       "%+6.1f%%  const-MFU %+6.1f%%\n", c->T, c->d, c->f, c->E, c->k,
		       c->skew, zero, one, t.median, 100 * (model / t.median - 1),
		       100 * (roof / t.median - 1), 100 * (mfu / t.median - 1));
	free(assign);
	free(counts);
	free(dc);
	return 0;
}

static int layers(const struct hw_profile *p, const struct baseline *b,
                  const struct bench_protocol *proto, struct errors *e,
                  int verbose)
{
	static const struct layer_case cases[] = {
		{ 512, 384, 768, 8, 2, 0 }, { 512, 384, 768, 8, 2, 1.2 },
		{ 1024, 256, 512, 32, 2, 0 }, { 1024, 256, 512, 32, 2, 1.2 },
		{ 2048, 512, 256, 64, 4, 0 }, { 2048, 512, 256, 64, 4, 1.0 },
		{ 256, 768, 1536, 16, 1, 0 }, { 256, 768, 1536, 16, 1, 1.5 },
		{ 1536, 320, 640, 128, 8, 0 }, { 1536, 320, 640, 128, 8, 1.1 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (layer(p, b, proto, &cases[i], e, verbose) != 0)
			return -1;
	return 0;
}

/* Median MFU of the calibration's GEMM samples. */
static double median_mfu(const struct hw_profile *p)
{
	double v[4096];
	int n = 0;

	for (size_t i = 0; i < p->n_samples && n < 4096; i++)
		if (p->samples[i].kernel == COST_GEMM)
			v[n++] = cost_sample_flops(&p->samples[i]) / p->samples[i].seconds /
			         p->model.mfu_peak;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n ? v[n / 2] : 1;
}

int main(int argc, char **argv)
{
	struct hw_profile p;
	struct mp_error err;
	struct bench_protocol proto;
	struct baseline b;
	struct errors eg = { .n = 0 }, el = { .n = 0 };
	int verbose = argc > 2 && strcmp(argv[2], "-v") == 0;

	gsl_set_error_handler_off();
	if (argc < 2) {
		fprintf(stderr, "usage: cost_accuracy PROFILE [-v]\n");
		return 2;
	}
	mp_error_clear(&err);
	if (profile_load(argv[1], &p, &err) != 0) {
		fprintf(stderr, "cost_accuracy: %s:%d:%d: %s\n", err.file, err.line,
		        err.col, err.msg);
		return 1;
	}
	if (!p.calibrated || !isfinite(p.bandwidth)) {
		fprintf(stderr, "cost_accuracy: %s is not a calibrated profile\n", argv[1]);
		return 1;
	}
	bench_threads(p.threads);
	bench_protocol_for(0, &proto);
	b.peak = p.model.mfu_peak;
	b.bw = p.bandwidth;
	b.mfu = median_mfu(&p);
	printf("profile %s: peak %.4g FLOP/s, STREAM %.4g B/s, median MFU %.2f, "
	       "%d threads\n", argv[1], b.peak, b.bw, b.mfu, p.threads);
	if (gemms(&p, &b, &proto, &eg, verbose) != 0 ||
	    layers(&p, &b, &proto, &el, verbose) != 0)
		return 1;
	summary("gemm", &eg);
	summary("moe layer", &el);
	{
		const struct cost_sample *sq = NULL;

		for (size_t i = 0; i < p.n_samples; i++)
			if (strcmp(p.samples[i].tag, "square") == 0 &&
			    (sq == NULL || p.samples[i].dims[0] > sq->dims[0]))
				sq = &p.samples[i];
		if (sq != NULL)
			printf("square %.0f calibrate %.6g FLOP/s\n", sq->dims[0],
			       cost_sample_flops(sq) / sq->seconds);
	}
	profile_free(&p);
	return 0;
}
