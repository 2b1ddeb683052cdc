/*
 * profile.c — reading and writing hardware profiles (see profile.h), with
 * the libyaml document helpers of yamldoc.h and the writer of emit.h.
 */
#include "config.h"

#include "profile.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/datadir.h"
#include "io/emit.h"
#include "io/yamldoc.h"

/* The keys of one thread regime (the threaded one at the top of
 * model.gemm, the single-threaded one under model.gemm.single). */
static const char *const gemm_keys[] = {
	"peak_flops", "bandwidth", "overhead", "sat_m", "sat_n", "sat_k", NULL
};
static const char *const corr_dims[] = { "m", "n", "k" };
static const char *const mem_keys[] = {
	"overhead", "bandwidth", "bandwidth_mem", "cache_bytes", NULL
};

/* The parameters in the order of gemm_keys / mem_keys. */
static double *gemm_field(struct cost_gemm_params *g, int i)
{
	double *f[] = { &g->peak_flops, &g->bandwidth, &g->overhead, &g->sat_m,
	                &g->sat_n, &g->sat_k };

	return f[i];
}

static double *regime_field(struct cost_gemm_regime *r, int i)
{
	double *f[] = { &r->peak_flops, &r->bandwidth, &r->overhead, &r->sat_m,
	                &r->sat_n, &r->sat_k };

	return f[i];
}

static int corr_is_zero(const struct cost_gemm_corr *c)
{
	for (int d = 0; d < 3; d++)
		for (int i = 0; i < COST_CORR_KNOTS; i++)
			if (c->c[d][i] != 0)
				return 0;
	return 1;
}

/* The back ends a calibration block may name: every back end of
 * src/bench/backend.c's table, whether this build has it or not, so that a
 * profile made on one machine loads on every other. */
static const char *const backends[] = { "cblas", "cuda", NULL };

static double *mem_field(struct cost_mem_params *m, int i)
{
	double *f[] = { &m->overhead, &m->bandwidth, &m->bandwidth_mem,
	                &m->cache_bytes };

	return f[i];
}

/* The cluster block's keys, in the order of enum profile_cluster_key. */
static const char *const cluster_keys[PROFILE_CL_KEYS + 1] = {
	"memory_bytes", "devices_per_node", "intra_node_bandwidth",
	"inter_node_bandwidth", "intra_node_latency", "inter_node_latency", NULL
};

/* The cluster's number fields in that order (devices_per_node, an int,
 * is NULL here). */
static double *cluster_field(struct hw_cluster *c, int i)
{
	double *f[] = { &c->memory_bytes, NULL, &c->links.intra_bw,
	                &c->links.inter_bw, &c->links.intra_latency,
	                &c->links.inter_latency };

	return f[i];
}

static void cluster_init(struct hw_cluster *c)
{
	memset(c, 0, sizeof *c);
	for (int i = 0; i < PROFILE_CL_KEYS; i++)
		if (cluster_field(c, i) != NULL)
			*cluster_field(c, i) = NAN;
}

void profile_init(struct hw_profile *p)
{
	memset(p, 0, sizeof *p);
	p->price_per_hour = NAN;
	p->bandwidth = NAN;
	cluster_init(&p->cluster);
}

const char *profile_cluster_key_name(int i)
{
	return i >= 0 && i < PROFILE_CL_KEYS ? cluster_keys[i] : NULL;
}

int profile_cluster_has_links(const struct hw_profile *p)
{
	unsigned need = 0;

	for (int i = PROFILE_CL_DEVICES; i <= PROFILE_CL_INTER_LAT; i++)
		need |= 1u << i;
	return (p->cluster.given & need) == need;
}

void profile_free(struct hw_profile *p)
{
	free(p->samples);
	p->samples = NULL;
	p->n_samples = 0;
}

double profile_dtype_bytes(const char *dtype)
{
	static const struct { const char *name; double bytes; } t[] = {
		{ "fp64", 8 }, { "fp32", 4 }, { "tf32", 4 }, { "bf16", 2 },
		{ "fp16", 2 }, { "fp8", 1 },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(dtype, t[i].name) == 0)
			return t[i].bytes;
	return 0;
}

int profile_backend_known(const char *name)
{
	for (size_t i = 0; backends[i] != NULL; i++)
		if (strcmp(name, backends[i]) == 0)
			return 1;
	return 0;
}

double profile_peak(const struct hw_profile *p, const char *dtype)
{
	for (size_t i = 0; i < p->n_peaks; i++)
		if (strcmp(p->peak_dtype[i], dtype) == 0)
			return p->peak_flops[i];
	return NAN;
}

int profile_derive(struct hw_profile *p, struct mp_error *err)
{
	p->model.elem_bytes = profile_dtype_bytes(p->dtype);
	if (p->model.elem_bytes == 0)
		return mp_error_set(err, "unknown dtype '%s' (expected fp64, fp32, "
		                    "tf32, bf16, fp16 or fp8)", p->dtype);
	p->model.mfu_peak = profile_peak(p, p->dtype);
	if (isnan(p->model.mfu_peak))
		return mp_error_set(err, "peak_flops has no entry for dtype '%s'",
		                    p->dtype);
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

/* correction: { m: [...], n: [...], k: [...] }, if not all zero. */
static void emit_corr(struct emit *e, const struct cost_gemm_corr *c)
{
	if (corr_is_zero(c))
		return;
	emit_key(e, "correction");
	emit_object_begin(e);
	for (int d = 0; d < 3; d++) {
		emit_key(e, corr_dims[d]);
		emit_array_begin(e);
		for (int i = 0; i < COST_CORR_KNOTS; i++)
			emit_number(e, c->c[d][i]);
		emit_array_end(e);
	}
	emit_object_end(e);
}

/* edges: { period: Q, m: [e(1) ... e(Q-1)], n: [...] }, if there are
 * tables (cost.h). */
static void emit_edge(struct emit *e, const struct cost_gemm_edge *t)
{
	if (t->period <= 1)
		return;
	emit_key(e, "edges");
	emit_object_begin(e);
	emit_kv_number(e, "period", t->period);
	for (int d = 0; d < 2; d++) {
		const double *col = d == 0 ? t->m : t->n;

		emit_key(e, d == 0 ? "m" : "n");
		emit_array_begin(e);
		for (int j = 1; j < t->period; j++)
			emit_number(e, col[j]);
		emit_array_end(e);
	}
	emit_object_end(e);
}

/* model.attention: the fused attention's measured efficiency and how it
 * was had (core/cost.h), only when measured. */
static void emit_attention(struct emit *e, const struct cost_model *cm,
                           const char *source)
{
	if (!(cm->attn_efficiency > 0))
		return;
	emit_key(e, "attention");
	emit_object_begin(e);
	emit_kv_number(e, "efficiency", cm->attn_efficiency);
	if (source[0] != '\0')
		emit_kv_string(e, "source", source);
	emit_object_end(e);
}

static void emit_model(struct emit *e, const struct cost_model *cm,
                       const char *attention_source)
{
	struct cost_model m = *cm;

	emit_key(e, "model");
	emit_object_begin(e);
	emit_key(e, "gemm");
	emit_object_begin(e);
	for (int i = 0; gemm_keys[i] != NULL; i++)
		emit_kv_number(e, gemm_keys[i], *gemm_field(&m.gemm, i));
	if (m.gemm.block_m > 1)
		emit_kv_number(e, "block_m", m.gemm.block_m);
	if (m.gemm.block_n > 1)
		emit_kv_number(e, "block_n", m.gemm.block_n);
	if (m.gemm.sms > 0)   /* a GPU's wave term (core/cost.h) */
		emit_kv_number(e, "sms", m.gemm.sms);
	emit_edge(e, &m.gemm.edge);
	emit_corr(e, &m.gemm.corr);
	if (m.gemm.thread_threshold > 0) {
		emit_kv_number(e, "thread_threshold", m.gemm.thread_threshold);
		emit_key(e, "single");
		emit_object_begin(e);
		for (int i = 0; gemm_keys[i] != NULL; i++)
			emit_kv_number(e, gemm_keys[i], *regime_field(&m.gemm.single, i));
		emit_edge(e, &m.gemm.single.edge);
		emit_corr(e, &m.gemm.single.corr);
		emit_object_end(e);
	}
	emit_object_end(e);
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++) {
		emit_key(e, cost_kernel_name(k));
		emit_object_begin(e);
		for (int i = 0; mem_keys[i] != NULL; i++)
			emit_kv_number(e, mem_keys[i], *mem_field(&m.mem[k - 1], i));
		emit_object_end(e);
	}
	emit_attention(e, &m, attention_source);
	emit_object_end(e);
}

static void emit_samples(struct emit *e, const struct hw_profile *p)
{
	emit_key(e, "fit");
	emit_object_begin(e);
	for (int k = 0; k < COST_KERNELS; k++) {
		emit_key(e, cost_kernel_name(k));
		emit_object_begin(e);
		emit_kv_int(e, "samples", (long long)p->fit[k].n);
		emit_kv_number(e, "rms", p->fit[k].rms);
		emit_kv_number(e, "median_abs", p->fit[k].median_abs);
		emit_kv_number(e, "max_abs", p->fit[k].max_abs);
		emit_object_end(e);
	}
	emit_object_end(e);
	emit_kv_int(e, "sample_count", (long long)p->n_samples);
	emit_key(e, "samples");
	emit_array_begin(e);
	for (size_t i = 0; i < p->n_samples; i++) {
		const struct cost_sample *s = &p->samples[i];

		emit_object_begin(e);
		emit_kv_string(e, "kernel", cost_kernel_name(s->kernel));
		emit_kv_string(e, "tag", s->tag);
		emit_key(e, "dims");
		emit_array_begin(e);
		for (int j = 0; j < 3; j++)
			emit_number(e, s->dims[j]);
		emit_array_end(e);
		emit_kv_number(e, "seconds", s->seconds);
		emit_kv_number(e, "spread", s->spread);
		emit_kv_number(e, "residual", s->residual);
		emit_object_end(e);
	}
	emit_array_end(e);
}

static void emit_calibration(struct emit *e, const struct hw_profile *p)
{
	const struct hw_calibration *c = &p->calibration;

	emit_key(e, "calibration");
	emit_object_begin(e);
	emit_kv_string(e, "date", c->date);
	emit_kv_string(e, "host", c->host);
	emit_kv_string(e, "backend", c->backend);
	emit_kv_string(e, "device", c->device);
	emit_kv_string(e, "library", c->library);
	emit_kv_string(e, "dtype", c->dtype);
	emit_kv_int(e, "threads", c->threads);
	emit_kv_bool(e, "quick", c->quick);
	emit_kv_string(e, "moeplan_version", c->version);
	emit_samples(e, p);
	emit_object_end(e);
}

/* cluster: the keys given, and the assumptions, if there is a block. */
static void emit_cluster(struct emit *e, const struct hw_profile *p)
{
	struct hw_cluster c = p->cluster;

	if (!c.present)
		return;
	emit_key(e, "cluster");
	emit_object_begin(e);
	for (int i = 0; i < PROFILE_CL_KEYS; i++) {
		if (!(c.given & 1u << i))
			continue;
		if (i == PROFILE_CL_DEVICES)
			emit_kv_int(e, cluster_keys[i], c.links.devices_per_node);
		else
			emit_kv_number(e, cluster_keys[i], *cluster_field(&c, i));
	}
	if (c.assumed != 0) {
		emit_key(e, "assumptions");
		emit_array_begin(e);
		for (int i = 0; i < PROFILE_CL_KEYS; i++)
			if (c.assumed & 1u << i)
				emit_string(e, cluster_keys[i]);
		emit_array_end(e);
	}
	emit_object_end(e);
}

static void emit_profile(struct emit *e, const struct hw_profile *p)
{
	emit_object_begin(e);
	emit_kv_int(e, "version", PROFILE_VERSION);
	emit_kv_string(e, "name", p->name);
	emit_kv_bool(e, "calibrated", p->calibrated);
	emit_kv_string(e, "label", p->label);
	if (p->device[0] != '\0')
		emit_kv_string(e, "device", p->device);
	if (p->source[0] != '\0')
		emit_kv_string(e, "source", p->source);
	if (isfinite(p->price_per_hour))
		emit_kv_number(e, "price_per_hour", p->price_per_hour);
	emit_kv_string(e, "dtype", p->dtype);
	emit_key(e, "peak_flops");
	emit_object_begin(e);
	for (size_t i = 0; i < p->n_peaks; i++)
		emit_kv_number(e, p->peak_dtype[i], p->peak_flops[i]);
	emit_object_end(e);
	if (isfinite(p->bandwidth))
		emit_kv_number(e, "bandwidth", p->bandwidth);
	emit_cluster(e, p);
	emit_model(e, &p->model, p->attention_source);
	if (p->calibrated)
		emit_calibration(e, p);
	emit_object_end(e);
}

/* A profile is renamed into place only if it reads back: a fit that
 * produced something the reader refuses is an error now, not a profile
 * that every later command fails on. */
static int check_written(const char *tmp, const char *path,
                         struct mp_error *err)
{
	struct hw_profile back;
	struct mp_error why;
	int rc;

	profile_init(&back);
	rc = profile_load(tmp, &back, &why);
	profile_free(&back);
	if (rc != 0)
		return mp_error_set(err, "not writing '%s': it would not load "
		                    "(%s)", path, why.msg);
	return 0;
}

int profile_write(const struct hw_profile *p, const char *path,
                  struct mp_error *err)
{
	struct emit_atomic a;
	struct emit e;

	if (emit_atomic_open(&a, path, err) != 0)
		return -1;
	fprintf(a.f, "# moeplan hardware profile (see moeplan-models(5))\n");
	emit_init(&e, a.f, EMIT_YAML);
	emit_profile(&e, p);
	if (emit_finish(&e) != 0 || fflush(a.f) != 0) {
		int saved = errno;

		emit_atomic_abort(&a);
		return mp_error_set(err, "cannot write '%s': %s", path,
		                    saved ? strerror(saved) : "write error");
	}
	if (!a.direct && check_written(a.tmp, path, err) != 0) {
		emit_atomic_abort(&a);
		return -1;
	}
	return emit_atomic_commit(&a, err);
}

int profile_check_writable(const char *path, struct mp_error *err)
{
	struct emit_atomic a;
	struct stat st;

	/* a device or FIFO is written in place: opening a FIFO would wait
	 * for its reader now, and again when the profile is written */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
		return 0;
	if (emit_atomic_open(&a, path, err) != 0)
		return -1;
	emit_atomic_abort(&a);
	return 0;
}

/* ---- reading -------------------------------------------------------------- */

static const struct yamldoc_key top_keys[] = {
	{ "version", 1 }, { "name", 1 }, { "calibrated", 1 }, { "label", 1 },
	{ "device", 0 }, { "source", 0 }, { "price_per_hour", 0 },
	{ "dtype", 1 }, { "peak_flops", 1 }, { "bandwidth", 0 }, { "cluster", 0 },
	{ "model", 1 }, { "calibration", 0 }, { NULL, 0 }
};
static const struct yamldoc_key calib_keys[] = {
	{ "date", 1 }, { "host", 1 }, { "backend", 1 }, { "device", 1 },
	{ "library", 1 }, { "dtype", 1 }, { "threads", 1 }, { "quick", 1 },
	{ "moeplan_version", 1 }, { "fit", 0 }, { "sample_count", 1 },
	{ "samples", 1 }, { NULL, 0 }
};
/* Version 2: the CPU back end's facts under their own names. */
static const struct yamldoc_key calib_keys_v2[] = {
	{ "date", 1 }, { "host", 1 }, { "cpu", 1 }, { "blas", 1 },
	{ "threads", 1 }, { "quick", 1 }, { "moeplan_version", 1 }, { "fit", 0 },
	{ "sample_count", 1 }, { "samples", 1 }, { NULL, 0 }
};
static const struct yamldoc_key fit_keys[] = {
	{ "samples", 1 }, { "rms", 1 }, { "median_abs", 1 }, { "max_abs", 1 },
	{ NULL, 0 }
};
static const struct yamldoc_key sample_keys[] = {
	{ "kernel", 1 }, { "tag", 1 }, { "dims", 1 }, { "seconds", 1 },
	{ "spread", 1 }, { "residual", 1 }, { NULL, 0 }
};

/* A required positive, finite number under key. */
static int get_positive(struct yamldoc *y, const yaml_node_t *map,
                        const char *key, double *out, struct mp_error *err)
{
	yaml_node_t *v = yamldoc_map_get(y, map, key);

	if (v == NULL)
		return yamldoc_error(y, map, err, "missing key '%s'", key);
	if (yamldoc_number(y, v, out, err) != 0) {
		mp_error_prefix(err, "%s", key);
		return -1;
	}
	if (!(*out > 0))
		return yamldoc_error(y, v, err, "%s: expected a positive number", key);
	return 0;
}

/* A string under key into buf (absent: buf untouched unless required). */
static int get_string(struct yamldoc *y, const yaml_node_t *map,
                      const char *key, char *buf, size_t size,
                      struct mp_error *err)
{
	const char *s;
	int found;

	if (yamldoc_get_string(y, map, key, &s, &found, err) != 0)
		return -1;
	if (found)
		snprintf(buf, size, "%s", s);
	return 0;
}

static int table_keys(const char *const *names, struct yamldoc_key *t)
{
	int n = 0;

	for (; names[n] != NULL; n++) {
		t[n].name = names[n];
		t[n].required = 1;
	}
	t[n].name = NULL;
	t[n].required = 0;
	return n;
}

/* A correction table under key "correction" of map, if there is one. */
static int read_corr(struct yamldoc *y, yaml_node_t *map,
                     struct cost_gemm_corr *c, const char *what,
                     struct mp_error *err)
{
	static const struct yamldoc_key keys[] = {
		{ "m", 1 }, { "n", 1 }, { "k", 1 }, { NULL, 0 }
	};
	yaml_node_t *t = yamldoc_map_get(y, map, "correction");
	char where[64];

	memset(c, 0, sizeof *c);
	if (t == NULL)
		return 0;
	snprintf(where, sizeof where, "%s.correction", what);
	if (yamldoc_check_keys(y, t, keys, where, err) != 0)
		return -1;
	for (int d = 0; d < 3; d++) {
		yaml_node_t *v = yamldoc_map_get(y, t, corr_dims[d]);
		double *vals = NULL;
		size_t len;

		if (yamldoc_number_list(y, v, COST_CORR_KNOTS, COST_CORR_KNOTS, &vals,
		                        &len, err) != 0) {
			mp_error_prefix(err, "%s.%s (%d knots)", where, corr_dims[d],
			                COST_CORR_KNOTS);
			return -1;
		}
		memcpy(c->c[d], vals, sizeof c->c[d]);
		free(vals);
		for (int i = 0; i < COST_CORR_KNOTS; i++)
			if (!isfinite(c->c[d][i]) || fabs(c->c[d][i]) > 20)
				return yamldoc_error(y, v, err, "%s.%s: expected numbers in "
				                     "[-20, 20]", where, corr_dims[d]);
	}
	return 0;
}

/* Edge tables under key "edges" of map, if there are any (cost.h). */
static int read_edge(struct yamldoc *y, yaml_node_t *map,
                     struct cost_gemm_edge *t, const char *what,
                     struct mp_error *err)
{
	static const struct yamldoc_key keys[] = {
		{ "period", 1 }, { "m", 1 }, { "n", 1 }, { NULL, 0 }
	};
	yaml_node_t *node = yamldoc_map_get(y, map, "edges"), *v;
	char where[64];
	double q;

	memset(t, 0, sizeof *t);
	if (node == NULL)
		return 0;
	snprintf(where, sizeof where, "%s.edges", what);
	if (yamldoc_check_keys(y, node, keys, where, err) != 0)
		return -1;
	v = yamldoc_map_get(y, node, "period");
	if (yamldoc_number(y, v, &q, err) != 0) {
		mp_error_prefix(err, "%s.period", where);
		return -1;
	}
	if (!(q >= 2 && q <= COST_EDGE_MAX) || q != floor(q))
		return yamldoc_error(y, v, err, "%s.period: expected a whole number "
		                     "from 2 to %d", where, COST_EDGE_MAX);
	t->period = (int)q;
	for (int d = 0; d < 2; d++) {
		const char *key = d == 0 ? "m" : "n";
		double *col = d == 0 ? t->m : t->n, *vals = NULL;
		size_t len;

		v = yamldoc_map_get(y, node, key);
		if (yamldoc_number_list(y, v, (size_t)t->period - 1,
		                        (size_t)t->period - 1, &vals, &len, err) != 0) {
			mp_error_prefix(err, "%s.%s (period - 1 = %d values)", where, key,
			                t->period - 1);
			return -1;
		}
		col[0] = 0;
		memcpy(col + 1, vals, len * sizeof *vals);
		free(vals);
		for (int j = 1; j < t->period; j++)
			if (!isfinite(col[j]) || !(col[j] > 0) ||
			    col[j] > (double)COST_EDGE_MAX_PERIODS * t->period)
				return yamldoc_error(y, v, err, "%s.%s: expected numbers in "
				                     "(0, %d] (rows, at most %d periods)", where,
				                     key, COST_EDGE_MAX_PERIODS * t->period,
				                     COST_EDGE_MAX_PERIODS);
	}
	return 0;
}

/* An optional number >= lo under key (absent: *out = dflt). */
static int get_optional(struct yamldoc *y, const yaml_node_t *map,
                        const char *key, double lo, double dflt, double *out,
                        struct mp_error *err)
{
	int found;

	*out = dflt;
	if (yamldoc_get_number(y, map, key, out, &found, err) != 0)
		return -1;
	if (found && (!(*out >= lo) || !isfinite(*out)))
		return yamldoc_error(y, yamldoc_map_get(y, map, key), err,
		                     "%s: expected a number >= %g", key, lo);
	return 0;
}

static int read_gemm(struct yamldoc *y, yaml_node_t *g,
                     struct cost_gemm_params *gp, struct mp_error *err)
{
	static const struct yamldoc_key keys[] = {
		{ "peak_flops", 1 }, { "bandwidth", 1 }, { "overhead", 1 },
		{ "sat_m", 1 }, { "sat_n", 1 }, { "sat_k", 1 },
		{ "block_m", 0 }, { "block_n", 0 }, { "sms", 0 }, { "edges", 0 },
		{ "correction", 0 }, { "thread_threshold", 0 }, { "single", 0 },
		{ NULL, 0 }
	};
	static const struct yamldoc_key single_keys[] = {
		{ "peak_flops", 1 }, { "bandwidth", 1 }, { "overhead", 1 },
		{ "sat_m", 1 }, { "sat_n", 1 }, { "sat_k", 1 },
		{ "edges", 0 }, { "correction", 0 }, { NULL, 0 }
	};
	yaml_node_t *sg;

	if (yamldoc_check_keys(y, g, keys, "model.gemm", err) != 0)
		return -1;
	for (int i = 0; gemm_keys[i] != NULL; i++)
		if (get_positive(y, g, gemm_keys[i], gemm_field(gp, i), err) != 0)
			return -1;
	if (get_optional(y, g, "block_m", 1, 1, &gp->block_m, err) ||
	    get_optional(y, g, "block_n", 1, 1, &gp->block_n, err) ||
	    get_optional(y, g, "sms", 0, 0, &gp->sms, err) ||
	    get_optional(y, g, "thread_threshold", 0, 0, &gp->thread_threshold,
	                 err) ||
	    read_edge(y, g, &gp->edge, "model.gemm", err) ||
	    read_corr(y, g, &gp->corr, "model.gemm", err))
		return -1;
	sg = yamldoc_map_get(y, g, "single");
	if ((sg != NULL) != (gp->thread_threshold > 0))
		return yamldoc_error(y, sg != NULL ? sg : g, err, "model.gemm: "
		                     "'single' and a positive 'thread_threshold' go "
		                     "together");
	if (sg == NULL)
		return 0;
	if (yamldoc_check_keys(y, sg, single_keys, "model.gemm.single", err) != 0)
		return -1;
	for (int i = 0; gemm_keys[i] != NULL; i++)
		if (get_positive(y, sg, gemm_keys[i], regime_field(&gp->single, i),
		                 err) != 0)
			return -1;
	if (read_edge(y, sg, &gp->single.edge, "model.gemm.single", err) != 0)
		return -1;
	return read_corr(y, sg, &gp->single.corr, "model.gemm.single", err);
}

/* model.attention (optional): efficiency in (0, 1], source a string. */
static int read_attention(struct yamldoc *y, yaml_node_t *map,
                          struct cost_model *cm, char *source, size_t size,
                          struct mp_error *err)
{
	static const struct yamldoc_key keys[] = {
		{ "efficiency", 1 }, { "source", 0 }, { NULL, 0 }
	};

	cm->attn_efficiency = 0;
	if (map == NULL)
		return 0;
	if (yamldoc_check_keys(y, map, keys, "model.attention", err) != 0 ||
	    get_positive(y, map, "efficiency", &cm->attn_efficiency, err) != 0 ||
	    get_string(y, map, "source", source, size, err) != 0)
		return -1;
	if (cm->attn_efficiency > 1)
		return yamldoc_error(y, yamldoc_map_get(y, map, "efficiency"), err,
		                     "efficiency: expected a share of the peak, in "
		                     "(0, 1]");
	return 0;
}

static int read_model(struct yamldoc *y, yaml_node_t *map, struct cost_model *cm,
                      char *attention_source, size_t size,
                      struct mp_error *err)
{
	struct yamldoc_key kernels[COST_KERNELS + 2], keys[8];
	int n;

	n = table_keys((const char *const[]){ "gemm", "softmax_topk", "dispatch",
	                                      "combine", "swiglu", "stream", NULL },
	               kernels);
	kernels[n].name = "attention";   /* optional: a measured fused kernel */
	kernels[n].required = 0;
	kernels[n + 1].name = NULL;
	if (yamldoc_check_keys(y, map, kernels, "model", err) != 0 ||
	    read_gemm(y, yamldoc_map_get(y, map, "gemm"), &cm->gemm, err) != 0)
		return -1;
	n = table_keys(mem_keys, keys);
	for (int k = COST_GEMM + 1; k < COST_KERNELS; k++) {
		yaml_node_t *m = yamldoc_map_get(y, map, cost_kernel_name(k));
		char what[64];

		snprintf(what, sizeof what, "model.%s", cost_kernel_name(k));
		if (yamldoc_check_keys(y, m, keys, what, err) != 0)
			return -1;
		for (int i = 0; i < n; i++)
			if (get_positive(y, m, mem_keys[i], mem_field(&cm->mem[k - 1], i),
			                 err) != 0)
				return -1;
	}
	return read_attention(y, yamldoc_map_get(y, map, "attention"), cm,
	                      attention_source, size, err);
}

static int read_peaks(struct yamldoc *y, yaml_node_t *map, struct hw_profile *p,
                      struct mp_error *err)
{
	size_t n = yamldoc_map_size(map);

	if (yamldoc_expect_map(y, map, "peak_flops", err) != 0)
		return -1;
	if (n == 0 || n > PROFILE_MAX_DTYPES)
		return yamldoc_error(y, map, err, "peak_flops: expected 1 to %d dtypes",
		                     PROFILE_MAX_DTYPES);
	for (size_t i = 0; i < n; i++) {
		struct yamldoc_pair pr;

		yamldoc_map_pair(y, map, i, &pr);
		if (profile_dtype_bytes(pr.key) == 0)
			return yamldoc_error(y, pr.key_node, err, "peak_flops: unknown "
			                     "dtype '%s'", pr.key);
		snprintf(p->peak_dtype[i], sizeof p->peak_dtype[i], "%s", pr.key);
		if (get_positive(y, map, pr.key, &p->peak_flops[i], err) != 0)
			return -1;
	}
	p->n_peaks = n;
	return 0;
}

/* One number of the cluster block: positive (memory, bandwidths) or
 * >= 0 (latencies), finite; devices_per_node a whole number from 1. */
static int read_cluster_key(struct yamldoc *y, yaml_node_t *map, int i,
                            struct hw_cluster *c, struct mp_error *err)
{
	yaml_node_t *v = yamldoc_map_get(y, map, cluster_keys[i]);
	int latency = i == PROFILE_CL_INTRA_LAT || i == PROFILE_CL_INTER_LAT;
	double *f = cluster_field(c, i);
	long n;

	if (v == NULL)
		return 0;
	c->given |= 1u << i;
	if (i == PROFILE_CL_DEVICES) {
		if (yamldoc_int(y, v, 1, 65536, &n, err) != 0) {
			mp_error_prefix(err, "cluster.%s", cluster_keys[i]);
			return -1;
		}
		c->links.devices_per_node = (int)n;
		return 0;
	}
	if (yamldoc_number(y, v, f, err) != 0) {
		mp_error_prefix(err, "cluster.%s", cluster_keys[i]);
		return -1;
	}
	if (!isfinite(*f) || (latency ? !(*f >= 0) : !(*f > 0)))
		return yamldoc_error(y, v, err, "cluster.%s: expected %s",
		                     cluster_keys[i], latency ? "a finite number >= 0"
		                     : "a positive, finite number");
	return 0;
}

/* cluster.assumptions: a list of keys the block gives. */
static int read_assumptions(struct yamldoc *y, yaml_node_t *map,
                            struct hw_cluster *c, struct mp_error *err)
{
	yaml_node_t *seq = yamldoc_map_get(y, map, "assumptions");
	size_t n;

	if (seq == NULL)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return yamldoc_error(y, seq, err, "cluster.assumptions: expected a "
		                     "list of the block's keys");
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	for (size_t j = 0; j < n; j++) {
		yaml_node_t *it = yaml_document_get_node(&y->doc,
		                                         seq->data.sequence.items.start[j]);
		int i;

		if (yamldoc_enum(y, it, cluster_keys, &i, err) != 0) {
			mp_error_prefix(err, "cluster.assumptions");
			return -1;
		}
		if (!(c->given & 1u << i))
			return yamldoc_error(y, it, err, "cluster.assumptions: '%s' is "
			                     "not given in the block", cluster_keys[i]);
		c->assumed |= 1u << i;
	}
	return 0;
}

static int read_cluster(struct yamldoc *y, yaml_node_t *map,
                        struct hw_cluster *c, struct mp_error *err)
{
	struct yamldoc_key keys[PROFILE_CL_KEYS + 2];

	if (map == NULL)
		return 0;
	for (int i = 0; i < PROFILE_CL_KEYS; i++)
		keys[i] = (struct yamldoc_key){ cluster_keys[i], 0 };
	keys[PROFILE_CL_KEYS] = (struct yamldoc_key){ "assumptions", 0 };
	keys[PROFILE_CL_KEYS + 1] = (struct yamldoc_key){ NULL, 0 };
	if (yamldoc_check_keys(y, map, keys, "cluster", err) != 0)
		return -1;
	c->present = 1;
	for (int i = 0; i < PROFILE_CL_KEYS; i++)
		if (read_cluster_key(y, map, i, c, err) != 0)
			return -1;
	return read_assumptions(y, map, c, err);
}

static int read_sample(struct yamldoc *y, yaml_node_t *n, struct cost_sample *s,
                       struct mp_error *err)
{
	yaml_node_t *kn;
	double *dims = NULL;
	size_t len;
	const char *kname;
	int k, found;

	if (yamldoc_check_keys(y, n, sample_keys, "sample", err) != 0)
		return -1;
	kn = yamldoc_map_get(y, n, "kernel");
	if (yamldoc_string(y, kn, &kname, err) != 0)
		return -1;
	if ((k = cost_kernel_from_name(kname)) < 0)
		return yamldoc_error(y, kn, err, "unknown kernel '%s'", kname);
	s->kernel = k;
	if (get_string(y, n, "tag", s->tag, sizeof s->tag, err) != 0 ||
	    yamldoc_number_list(y, yamldoc_map_get(y, n, "dims"), 3, 3, &dims,
	                        &len, err) != 0)
		return -1;
	memcpy(s->dims, dims, sizeof s->dims);
	free(dims);
	if (get_positive(y, n, "seconds", &s->seconds, err) != 0 ||
	    yamldoc_get_number(y, n, "spread", &s->spread, &found, err) != 0 ||
	    yamldoc_get_number(y, n, "residual", &s->residual, &found, err) != 0)
		return -1;
	return 0;
}

static int read_fit(struct yamldoc *y, yaml_node_t *map, struct hw_profile *p,
                    struct mp_error *err)
{
	for (int k = 0; k < COST_KERNELS; k++) {
		yaml_node_t *m = yamldoc_map_get(y, map, cost_kernel_name(k));
		long n;
		int found;

		if (m == NULL)
			continue;
		if (yamldoc_check_keys(y, m, fit_keys, "fit", err) != 0 ||
		    yamldoc_int(y, yamldoc_map_get(y, m, "samples"), 0, 1000000, &n,
		                err) != 0 ||
		    yamldoc_get_number(y, m, "rms", &p->fit[k].rms, &found, err) ||
		    yamldoc_get_number(y, m, "median_abs", &p->fit[k].median_abs,
		                       &found, err) ||
		    yamldoc_get_number(y, m, "max_abs", &p->fit[k].max_abs, &found, err))
			return -1;
		p->fit[k].n = (size_t)n;
	}
	return 0;
}

static int check_dtype(const struct yamldoc *y, const yaml_node_t *n,
                       const char *dtype, struct mp_error *err)
{
	if (profile_dtype_bytes(dtype) > 0)
		return 0;
	return yamldoc_error(y, n, err, "unknown dtype '%s' (expected fp64, fp32, "
	                     "tf32, bf16, fp16 or fp8)", dtype);
}

/* "cblas", "cblas or cuda", "a, b or c" into buf. */
static const char *backend_names(char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; backends[i] != NULL && len < n; i++)
		len += (size_t)snprintf(buf + len, n - len, "%s%s",
		                        i == 0 ? "" : backends[i + 1] ? ", " : " or ",
		                        backends[i]);
	return buf;
}

/* Version 3's facts: back end, device, library and dtype by name. */
static int read_facts(struct yamldoc *y, yaml_node_t *map,
                      struct hw_calibration *c, struct mp_error *err)
{
	yaml_node_t *b = yamldoc_map_get(y, map, "backend");
	char names[128];

	if (yamldoc_check_keys(y, map, calib_keys, "calibration", err) != 0 ||
	    get_string(y, map, "backend", c->backend, sizeof c->backend, err) ||
	    get_string(y, map, "device", c->device, sizeof c->device, err) ||
	    get_string(y, map, "library", c->library, sizeof c->library, err) ||
	    get_string(y, map, "dtype", c->dtype, sizeof c->dtype, err))
		return -1;
	if (!profile_backend_known(c->backend))
		return yamldoc_error(y, b, err, "calibration.backend: unknown back "
		                     "end '%s' (expected %s)", c->backend,
		                     backend_names(names, sizeof names));
	return check_dtype(y, yamldoc_map_get(y, map, "dtype"), c->dtype, err);
}

/* Version 2's: the CPU back end's, the profile's dtype. */
static int read_facts_v2(struct yamldoc *y, yaml_node_t *map,
                         const struct hw_profile *p, struct hw_calibration *c,
                         struct mp_error *err)
{
	if (yamldoc_check_keys(y, map, calib_keys_v2, "calibration", err) != 0 ||
	    get_string(y, map, "cpu", c->device, sizeof c->device, err) ||
	    get_string(y, map, "blas", c->library, sizeof c->library, err))
		return -1;
	snprintf(c->backend, sizeof c->backend, "cblas");
	snprintf(c->dtype, sizeof c->dtype, "%s", p->dtype);
	return 0;
}

/* The samples and their count. */
static int read_samples(struct yamldoc *y, yaml_node_t *map,
                        struct hw_profile *p, struct mp_error *err)
{
	yaml_node_t *seq = yamldoc_map_get(y, map, "samples");
	long count;
	size_t n;

	if (yamldoc_int(y, yamldoc_map_get(y, map, "sample_count"), 0, 10000000,
	                &count, err) != 0)
		return -1;
	if (seq->type != YAML_SEQUENCE_NODE)
		return yamldoc_error(y, seq, err, "samples: expected a sequence");
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (n != (size_t)count)
		return yamldoc_error(y, seq, err, "%zu samples where sample_count says "
		                     "%ld (truncated file?)", n, count);
	p->samples = calloc(n ? n : 1, sizeof *p->samples);
	if (p->samples == NULL)
		return mp_error_set(err, "out of memory");
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *it = yaml_document_get_node(&y->doc,
		                                         seq->data.sequence.items.start[i]);

		if (read_sample(y, it, &p->samples[i], err) != 0)
			return -1;
	}
	p->n_samples = n;
	return 0;
}

static int read_calibration(struct yamldoc *y, yaml_node_t *map, long version,
                            struct hw_profile *p, struct mp_error *err)
{
	struct hw_calibration *c = &p->calibration;
	yaml_node_t *fit;
	long threads;

	if ((version == 2 ? read_facts_v2(y, map, p, c, err)
	                  : read_facts(y, map, c, err)) != 0 ||
	    get_string(y, map, "date", c->date, sizeof c->date, err) ||
	    get_string(y, map, "host", c->host, sizeof c->host, err) ||
	    get_string(y, map, "moeplan_version", c->version, sizeof c->version,
	               err) ||
	    yamldoc_int(y, yamldoc_map_get(y, map, "threads"), 0, 100000, &threads,
	                err) ||
	    yamldoc_bool(y, yamldoc_map_get(y, map, "quick"), &c->quick, err))
		return -1;
	c->threads = (int)threads;
	fit = yamldoc_map_get(y, map, "fit");
	if (fit != NULL && (yamldoc_expect_map(y, fit, "fit", err) != 0 ||
	                    read_fit(y, fit, p, err) != 0))
		return -1;
	return read_samples(y, map, p, err);
}

/* The version first, so that a newer file fails on its version. */
static int read_version(struct yamldoc *y, yaml_node_t *root, long *version,
                        struct mp_error *err)
{
	yaml_node_t *v = yamldoc_map_get(y, root, "version");

	if (v == NULL)
		return yamldoc_error(y, root, err, "missing key 'version'");
	if (yamldoc_int(y, v, 0, 1000000, version, err) != 0)
		return -1;
	if (*version >= 1 && *version < PROFILE_VERSION_OLDEST)
		return yamldoc_error(y, v, err, "profile version %ld is from an older "
		                     "moeplan (this one reads versions %d to %d): "
		                     "re-run moeplan calibrate", *version,
		                     PROFILE_VERSION_OLDEST, PROFILE_VERSION);
	if (*version < PROFILE_VERSION_OLDEST || *version > PROFILE_VERSION)
		return yamldoc_error(y, v, err, "unsupported profile version %ld "
		                     "(this moeplan reads versions %d to %d)", *version,
		                     PROFILE_VERSION_OLDEST, PROFILE_VERSION);
	return 0;
}

static int read_profile(struct yamldoc *y, struct hw_profile *p,
                        struct mp_error *err)
{
	yaml_node_t *root = yamldoc_root(y), *cal;
	long version;
	int found;

	if (yamldoc_expect_map(y, root, "a hardware profile", err) != 0 ||
	    read_version(y, root, &version, err) != 0)
		return -1;
	if (yamldoc_check_keys(y, root, top_keys, "a hardware profile", err) != 0 ||
	    get_string(y, root, "name", p->name, sizeof p->name, err) ||
	    yamldoc_bool(y, yamldoc_map_get(y, root, "calibrated"), &p->calibrated,
	                 err) ||
	    get_string(y, root, "label", p->label, sizeof p->label, err) ||
	    get_string(y, root, "device", p->device, sizeof p->device, err) ||
	    get_string(y, root, "source", p->source, sizeof p->source, err) ||
	    get_string(y, root, "dtype", p->dtype, sizeof p->dtype, err) ||
	    check_dtype(y, yamldoc_map_get(y, root, "dtype"), p->dtype, err) ||
	    yamldoc_get_number(y, root, "price_per_hour", &p->price_per_hour,
	                       &found, err) ||
	    yamldoc_get_number(y, root, "bandwidth", &p->bandwidth, &found, err) ||
	    read_peaks(y, yamldoc_map_get(y, root, "peak_flops"), p, err) ||
	    read_cluster(y, yamldoc_map_get(y, root, "cluster"), &p->cluster,
	                 err) ||
	    read_model(y, yamldoc_map_get(y, root, "model"), &p->model,
	               p->attention_source, sizeof p->attention_source, err))
		return -1;
	if (profile_derive(p, err) != 0) {
		yamldoc_locate(y, yamldoc_map_get(y, root, "dtype"), err);
		return -1;
	}
	cal = yamldoc_map_get(y, root, "calibration");
	if (p->calibrated && cal == NULL)
		return yamldoc_error(y, root, err, "calibrated profile without "
		                     "'calibration'");
	if (cal != NULL && read_calibration(y, cal, version, p, err) != 0)
		return -1;
	return 0;
}

int profile_load(const char *path, struct hw_profile *p, struct mp_error *err)
{
	struct yamldoc y;
	int rc;

	profile_init(p);
	if (yamldoc_load(&y, path, err) != 0)
		return -1;
	rc = read_profile(&y, p, err);
	yamldoc_free(&y);
	if (rc != 0)
		profile_free(p);
	return rc;
}

/* ---- where profiles live ------------------------------------------------------ */

char *profile_dir(struct mp_error *err)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	char *dir = NULL;
	int n;

	if (xdg != NULL && xdg[0] == '/')
		n = asprintf(&dir, "%s/moeplan/profiles", xdg);
	else if (home != NULL && home[0] != '\0')
		n = asprintf(&dir, "%s/.local/share/moeplan/profiles", home);
	else {
		mp_error_set(err, "neither XDG_DATA_HOME nor HOME is set: "
		             "use --output FILE");
		return NULL;
	}
	if (n < 0) {
		mp_error_set(err, "out of memory");
		return NULL;
	}
	return dir;
}

int profile_mkdirs(const char *path, struct mp_error *err)
{
	char buf[4096];
	char *slash;

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return mp_error_set(err, "path too long: '%.64s...'", path);
	slash = strrchr(buf, '/');
	if (slash == NULL || slash == buf)
		return 0;
	*slash = '\0';
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(buf, 0777) != 0 && errno != EEXIST)
				return mp_error_set(err, "cannot create directory '%s': %s",
				                    buf, strerror(errno));
			*p = c;
			if (c == '\0')
				break;
		}
	}
	return 0;
}
