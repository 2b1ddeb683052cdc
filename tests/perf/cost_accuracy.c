/*
 * cost_accuracy.c — how well a calibrated profile predicts kernels it was
 * not fitted on (run by bench_cost.sh after `moeplan calibrate`).
 *
 * Held-out shapes: GEMMs drawn log-uniformly with a seed other than the
 * calibration grid's, plus MoE-shaped GEMMs at sizes the grid lacks; and
 * whole MoE layer forwards (router, softmax/top-k, dispatch, SwiGLU
 * experts, combine) with balanced and Zipf-skewed routing.  Each is
 * measured here with the calibration's protocol, in passes over all the
 * cases (one sample of each per pass, the median over PASSES passes) so
 * that a burst of load from elsewhere spoils one sample of many cases
 * rather than every sample of a few, and predicted by
 *   model      the profile's fitted cost model (core/cost.h);
 *   roofline   max(FLOPs / peak, bytes / bandwidth) per kernel, with the
 *              profile's measured peak and STREAM bandwidth only;
 *   const-MFU  FLOPs / (MFU x peak), MFU the median of the calibration
 *              GEMM samples: what a FLOPs-only planner assumes.
 * Prints the median and 90th-percentile absolute relative error of each.
 * Last, the harness check: the largest square GEMM of the calibration
 * timed by the calibration's protocol and by a plain loop of cblas_sgemm
 * on fixed operands, alternately (HARNESS_ROUNDS each), and the ratio of
 * the medians (1 = the harness adds nothing).
 *
 * With --interleaved it calibrates itself, as `moeplan calibrate [--quick]`
 * does (the same grid, protocol and fit), and takes the held-out samples
 * between the calibration's own, spread evenly over its passes: load from
 * elsewhere on the machine then hits the model's samples and the held-out
 * measurements alike, which is what makes the comparison mean something
 * on a shared machine.
 *
 * usage: cost_accuracy PROFILE [-v]
 *        cost_accuracy --interleaved [--quick] [-v]
 */
#include "config.h"

#include <cblas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/backend.h"
#include "bench/bench.h"
#include "bench/calibrate.h"
#include "bench/moe_layer.h"
#include "bench/routing.h"
#include "core/cost.h"
#include "io/profile.h"

#define MAX_CASES 128
#define HELDOUT_SEED 777ul
#define PASSES 7
#define HARNESS_ROUNDS 7

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
	if (e->n == 0)
		return;
	printf("%-10s %3d cases  |rel err| median / p90:  model %5.1f%% / %5.1f%%"
	       "   roofline %5.1f%% / %5.1f%%   const-MFU %5.1f%% / %5.1f%%\n",
	       what, e->n, 100 * quantile(e->model, e->n, 0.5),
	       100 * quantile(e->model, e->n, 0.9), 100 * quantile(e->roof, e->n, 0.5),
	       100 * quantile(e->roof, e->n, 0.9), 100 * quantile(e->mfu, e->n, 0.5),
	       100 * quantile(e->mfu, e->n, 0.9));
}

/* The same, one line for scripts: "summary WHAT n model_med model_p90
 * roof_med roof_p90 mfu_med mfu_p90" (percent). */
static void summary_line(const char *what, const struct errors *e)
{
	if (e->n == 0)
		return;
	printf("summary %s %d %.2f %.2f %.2f %.2f %.2f %.2f\n", what, e->n,
	       100 * quantile(e->model, e->n, 0.5), 100 * quantile(e->model, e->n, 0.9),
	       100 * quantile(e->roof, e->n, 0.5), 100 * quantile(e->roof, e->n, 0.9),
	       100 * quantile(e->mfu, e->n, 0.5), 100 * quantile(e->mfu, e->n, 0.9));
}

static double roof_gemm(const struct baseline *b, double w, double m, double n,
                        double k)
{
	return fmax(2 * m * n * k / b->peak, w * (m * k + k * n + m * n) / b->bw);
}

/* ---- the cases ------------------------------------------------------------- */

struct layer_case {
	int T, d, f, E, k;
	double skew;
};

/* One held-out case: a GEMM (layer == NULL) or an MoE layer forward. */
struct acase {
	double m, n, k;                  /* GEMM */
	const struct layer_case *layer;
	struct bench_moe ctx;            /* the layer's buffers */
	int *assign, *counts;
	double model, roof, mfu;         /* predictions, seconds */
	double t[PASSES];                /* measured, one sample per pass */
};

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void gemm_predict(const struct hw_profile *p, const struct baseline *b,
                         struct acase *c)
{
	c->model = cost_gemm_seconds(&p->model, c->m, c->n, c->k);
	c->roof = roof_gemm(b, p->model.elem_bytes, c->m, c->n, c->k);
	c->mfu = 2 * c->m * c->n * c->k / (b->mfu * b->peak);
}

/* Single GEMMs: MoE-shaped sizes absent from the grid (d 384, f 768;
 * d 768, E 32) and log-uniform random shapes. */
static int gemm_cases(struct acase *cs, int n)
{
	static const double c[] = { 3, 12, 48, 96, 384, 1536 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	double shapes[64][3];
	int m = 0;

	if (r == NULL)
		return -1;
	gsl_rng_set(r, HELDOUT_SEED);
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		double s3[3][3] = { { c[i], 768, 384 }, { c[i], 384, 768 },
		                    { 384, 768, c[i] } };

		memcpy(shapes[m], s3, sizeof s3);
		m += 3;
	}
	shapes[m][0] = 200, shapes[m][1] = 32, shapes[m][2] = 768, m++;
	shapes[m][0] = 1500, shapes[m][1] = 128, shapes[m][2] = 768, m++;
	for (int i = 0; i < 24; i++, m++) {
		shapes[m][0] = round(exp(gsl_rng_uniform(r) * log(2048.0)));
		shapes[m][1] = round(32 * exp(gsl_rng_uniform(r) * log(64.0)));
		shapes[m][2] = round(32 * exp(gsl_rng_uniform(r) * log(64.0)));
	}
	gsl_rng_free(r);
	for (int i = 0; i < m && n + i < MAX_CASES; i++) {
		struct acase *a = &cs[n + i];

		memset(a, 0, sizeof *a);
		a->m = shapes[i][0];
		a->n = shapes[i][1];
		a->k = shapes[i][2];
	}
	return m;
}

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

/* Route and allocate one layer case. */
static int layer_setup(const struct layer_case *c, struct acase *a)
{
	memset(a, 0, sizeof *a);
	a->layer = c;
	a->assign = malloc((size_t)c->T * c->k * sizeof *a->assign);
	a->counts = malloc((size_t)c->E * sizeof *a->counts);
	if (!a->assign || !a->counts ||
	    bench_route(c->T, c->E, c->k, c->skew, HELDOUT_SEED, a->assign,
	                a->counts) ||
	    bench_moe_alloc(&a->ctx, c->T, c->d, c->f, c->E, c->k, a->assign) != 0)
		return -1;
	return 0;
}

/* The model's and the baselines' predictions of every case. */
static int predict(const struct hw_profile *p, const struct baseline *b,
                   struct acase *cs, int n)
{
	for (int i = 0; i < n; i++) {
		struct acase *a = &cs[i];
		const struct layer_case *c = a->layer;
		struct cost_moe_layer L;
		double *dc;

		if (c == NULL) {
			gemm_predict(p, b, a);
			continue;
		}
		L.tokens = c->T;
		L.d_model = c->d;
		L.d_ff = c->f;
		L.experts = c->E;
		L.top_k = c->k;
		L.mlp_matrices = 3;
		if ((dc = malloc((size_t)c->E * sizeof *dc)) == NULL)
			return -1;
		for (int e = 0; e < c->E; e++)
			dc[e] = a->counts[e];
		a->model = cost_moe_layer_seconds(&p->model, &L, dc, NULL);
		layer_baselines(p, b, c, a->counts, &a->roof, &a->mfu);
		free(dc);
	}
	return 0;
}

static void layer_free(struct acase *a)
{
	bench_moe_free(&a->ctx);
	free(a->assign);
	free(a->counts);
}

static const struct layer_case layer_cases[] = {
	{ 512, 384, 768, 8, 2, 0 }, { 512, 384, 768, 8, 2, 1.2 },
	{ 1024, 256, 512, 32, 2, 0 }, { 1024, 256, 512, 32, 2, 1.2 },
	{ 2048, 512, 256, 64, 4, 0 }, { 2048, 512, 256, 64, 4, 1.0 },
	{ 256, 768, 1536, 16, 1, 0 }, { 256, 768, 1536, 16, 1, 1.5 },
	{ 1536, 320, 640, 128, 8, 0 }, { 1536, 320, 640, 128, 8, 1.1 },
};

/* One sample (one = the protocol with samples = 1) of case c into t. */
static int measure_one(const struct bench_protocol *one,
                       struct bench_device *dev, struct acase *c, double *t)
{
	struct mp_error err;

	if (c->layer == NULL) {
		struct bench_shape sh;

		memset(&sh, 0, sizeof sh);
		sh.s.kernel = COST_GEMM;
		sh.s.dims[0] = c->m;
		sh.s.dims[1] = c->n;
		sh.s.dims[2] = c->k;
		if (bench_measure(one, dev, &sh, &err) != 0) {
			fprintf(stderr, "cost_accuracy: %s\n", err.msg);
			return -1;
		}
		*t = sh.s.seconds;
	} else {
		struct bench_timing bt;

		bench_time(one, dev, bench_moe_run, &c->ctx, &bt);
		*t = bt.median;
	}
	return 0;
}

/* PASSES passes over all cases, one sample of each per pass. */
static int measure_all(const struct bench_protocol *proto,
                       struct bench_device *dev, struct acase *cs, int n)
{
	struct bench_protocol one = *proto;
	int rc = 0;

	one.samples = 1;
	for (int pass = 0; pass < PASSES && rc == 0; pass++)
		for (int i = 0; i < n && rc == 0; i++)
			rc = measure_one(&one, dev, &cs[i], &cs[i].t[pass]);
	return rc;
}

/*
 * Interleaved with a calibration (bench_opts.interleave): the held-out
 * samples, pass by pass, spread evenly over the calibration's calls.
 */
struct interleave {
	struct bench_protocol one;
	struct bench_device *dev;
	struct acase *cs;
	int n, next, total, rc;
};

static void interleave_step(void *ctx, int remaining)
{
	struct interleave *v = ctx;
	double want;

	if (v->total == 0)
		v->total = remaining + 1;
	/* samples due after this call: all of them by the last call */
	want = (double)v->n * PASSES * (v->total - remaining) / v->total;
	while (v->rc == 0 && v->next < v->n * PASSES && v->next < want) {
		struct acase *c = &v->cs[v->next % v->n];

		v->rc = measure_one(&v->one, v->dev, c, &c->t[v->next / v->n]);
		v->next++;
	}
}

static void report(const struct acase *c, double meas)
{
	if (c->layer == NULL) {
		printf("gemm %5.0f %5.0f %5.0f  measured %.3e  model %+6.1f%%  roofline "
		       "%+6.1f%%  const-MFU %+6.1f%%\n", c->m, c->n, c->k, meas,
		       100 * (c->model / meas - 1), 100 * (c->roof / meas - 1),
		       100 * (c->mfu / meas - 1));
	} else {
		const struct layer_case *l = c->layer;
		int zero = 0, one = 0;

		for (int i = 0; i < l->E; i++) {
			zero += c->counts[i] == 0;
			one += c->counts[i] == 1;
		}
		printf("layer T %4d d %3d f %4d E %3d k %d skew %.1f (%d experts with 0 "
		       "tokens, %d with 1)  measured %.3e  model %+6.1f%%  roofline "
		       "%+6.1f%%  const-MFU %+6.1f%%\n", l->T, l->d, l->f, l->E, l->k,
		       l->skew, zero, one, meas, 100 * (c->model / meas - 1),
		       100 * (c->roof / meas - 1), 100 * (c->mfu / meas - 1));
	}
}

/* ---- the harness check ------------------------------------------------------- */

struct plain {
	int n;
	float *a, *b, *c;
};

static void plain_run(void *ctx)
{
	struct plain *q = ctx;

	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, q->n, q->n, q->n,
	            1.0f, q->a, q->n, q->b, q->n, 0.0f, q->c, q->n);
}

/* Median seconds of the calibration's protocol and of a plain loop (the
 * same calls on fixed operands, no warm-up logic), alternately. */
static int harness(const struct bench_protocol *proto, struct bench_device *dev,
                   int n, double *t_cal, double *t_plain)
{
	struct bench_protocol one = *proto;
	struct plain q = { n, NULL, NULL, NULL };
	size_t nn = (size_t)n * n;
	double tc[HARNESS_ROUNDS], tp[HARNESS_ROUNDS];
	struct mp_error err;
	int rc = 0;

	one.samples = 1;
	q.a = malloc(nn * sizeof *q.a);
	q.b = malloc(nn * sizeof *q.b);
	q.c = malloc(nn * sizeof *q.c);
	if (!q.a || !q.b || !q.c)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < nn; i++) {
		q.a[i] = (float)(i % 7) * 0.1f;
		q.b[i] = (float)(i % 5) * 0.1f;
		q.c[i] = 0;
	}
	for (int r = 0; rc == 0 && r < HARNESS_ROUNDS; r++) {
		struct bench_shape sh;
		double start;

		memset(&sh, 0, sizeof sh);
		sh.s.kernel = COST_GEMM;
		sh.s.dims[0] = sh.s.dims[1] = sh.s.dims[2] = n;
		rc = bench_measure(&one, dev, &sh, &err);
		tc[r] = sh.s.seconds;
		plain_run(&q);
		start = bench_now();
		plain_run(&q);
		plain_run(&q);
		tp[r] = (bench_now() - start) / 2;
	}
	if (rc == 0) {
		*t_cal = median(tc, HARNESS_ROUNDS);
		*t_plain = median(tp, HARNESS_ROUNDS);
	}
	free(q.a);
	free(q.b);
	free(q.c);
	return rc;
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

/*
 * --interleaved: calibrate here, as `moeplan calibrate [--quick]` does (the
 * same grid, protocol and fit: bench/calibrate.h), with the held-out
 * samples taken between the calibration's own (bench_opts.interleave).
 */
static int calibrate_interleaved(int quick, struct bench_device *dev,
                                 struct hw_profile *p, struct acase *cs, int n)
{
	struct bench_opts o;
	struct interleave v;
	struct mp_error err;

	memset(&o, 0, sizeof o);
	memset(&v, 0, sizeof v);
	bench_protocol_for(0, &v.one);
	v.one.samples = 1;
	v.dev = dev;
	v.cs = cs;
	v.n = n;
	o.quick = quick;
	o.interleave = interleave_step;
	o.interleave_ctx = &v;
	mp_error_clear(&err);
	profile_init(p);
	bench_calibrate_describe(dev, quick, p);
	if (bench_run_grid(&o, dev, &p->samples, &p->n_samples, &err) != 0 ||
	    v.rc != 0 || bench_calibrate_fit(p, &err) != 0) {
		fprintf(stderr, "cost_accuracy: %s\n", v.rc ? "held-out sample failed"
		                                              : err.msg);
		return -1;
	}
	return 0;
}

/* The CPU back end with threads (0: the BLAS's default). */
static int open_cpu(struct bench_device *dev, int threads)
{
	struct bench_open_opts o = { 0, threads, BENCH_FP32 };
	struct mp_error err;

	mp_error_clear(&err);
	if (bench_backend_open(dev, bench_backend_find("cblas"), &o, &err) == 0)
		return 0;
	fprintf(stderr, "cost_accuracy: %s\n", err.msg);
	return -1;
}

int main(int argc, char **argv)
{
	struct hw_profile p;
	struct mp_error err;
	struct bench_protocol proto;
	struct baseline b;
	struct bench_device dev;
	struct errors eg = { .n = 0 }, el = { .n = 0 }, eb = { .n = 0 };
	struct errors es = { .n = 0 };
	static struct acase cs[MAX_CASES];
	int verbose = 0, interleaved = 0, quick = 0, n, rc = 0;
	const char *path = NULL;
	const struct cost_sample *sq = NULL;

	gsl_set_error_handler_off();
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0)
			verbose = 1;
		else if (strcmp(argv[i], "--interleaved") == 0)
			interleaved = 1;
		else if (strcmp(argv[i], "--quick") == 0)
			quick = 1;
		else
			path = argv[i];
	}
	if ((path == NULL) == !interleaved) {
		fprintf(stderr, "usage: cost_accuracy PROFILE [-v]\n"
		        "       cost_accuracy --interleaved [--quick] [-v]\n");
		return 2;
	}
	bench_protocol_for(0, &proto);
	n = gemm_cases(cs, 0);
	if (n < 0)
		return 1;
	for (size_t i = 0; i < sizeof layer_cases / sizeof layer_cases[0]; i++, n++)
		if (layer_setup(&layer_cases[i], &cs[n]) != 0) {
			fprintf(stderr, "cost_accuracy: out of memory\n");
			return 1;
		}
	if (interleaved) {
		if (open_cpu(&dev, 0) != 0 ||
		    calibrate_interleaved(quick, &dev, &p, cs, n) != 0)
			return 1;
		path = quick ? "(calibrated here, --quick)" : "(calibrated here)";
	} else {
		mp_error_clear(&err);
		if (profile_load(path, &p, &err) != 0) {
			fprintf(stderr, "cost_accuracy: %s:%d:%d: %s\n", err.file, err.line,
			        err.col, err.msg);
			return 1;
		}
		if (!p.calibrated || !isfinite(p.bandwidth)) {
			fprintf(stderr, "cost_accuracy: %s is not a calibrated profile\n",
			        path);
			return 1;
		}
		if (open_cpu(&dev, p.calibration.threads) != 0)
			return 1;
	}
	b.peak = p.model.mfu_peak;
	b.bw = p.bandwidth;
	b.mfu = median_mfu(&p);
	printf("profile %s: peak %.4g FLOP/s, STREAM %.4g B/s, median MFU %.2f, "
	       "%d threads; %d passes%s\n", path, b.peak, b.bw, b.mfu,
	       p.calibration.threads,
	       PASSES, interleaved ? ", interleaved with the calibration" : "");
	if (predict(&p, &b, cs, n) != 0 ||
	    (!interleaved && measure_all(&proto, &dev, cs, n) != 0))
		rc = 1;
	for (int i = 0; rc == 0 && i < n; i++) {
		double meas = median(cs[i].t, PASSES);

		record(cs[i].layer ? &el : &eg, meas, cs[i].model, cs[i].roof,
		       cs[i].mfu);
		if (cs[i].layer != NULL)
			record(cs[i].layer->skew > 0 ? &es : &eb, meas, cs[i].model,
			       cs[i].roof, cs[i].mfu);
		if (verbose)
			report(&cs[i], meas);
	}
	for (int i = 0; i < n; i++)
		if (cs[i].layer != NULL)
			layer_free(&cs[i]);
	if (rc != 0) {
		bench_backend_close(&dev);
		return rc;
	}
	summary("gemm", &eg);
	summary("moe layer", &el);
	summary("  balanced", &eb);
	summary("  skewed", &es);
	summary_line("gemm", &eg);
	summary_line("moe", &el);
	summary_line("moe_balanced", &eb);
	summary_line("moe_skewed", &es);
	for (size_t i = 0; i < p.n_samples; i++)
		if (strcmp(p.samples[i].tag, "square") == 0 &&
		    (sq == NULL || p.samples[i].dims[0] > sq->dims[0]))
			sq = &p.samples[i];
	if (sq != NULL) {
		double tc, tp;
		int s = (int)sq->dims[0];

		printf("square %d calibrate %.6g FLOP/s\n", s,
		       cost_sample_flops(sq) / sq->seconds);
		if (harness(&proto, &dev, s, &tc, &tp) == 0)
			printf("harness %d: protocol %.4g s, plain loop %.4g s, "
			       "ratio (loop / protocol) %.3f\n", s, tc, tp, tp / tc);
	}
	bench_backend_close(&dev);
	profile_free(&p);
	return 0;
}
