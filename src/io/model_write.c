/*
 * model_write.c — a fitted law as a model file (see model_write.h),
 * through the YAML writer of emit.h.  The keys are model_load.c's and
 * model_fit.c's; a file that does not load back is not renamed into
 * place.
 */
#include "config.h"

#include "io/model_write.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/lawfit.h"
#include "io/emit.h"
#include "io/model_load.h"

static void emit_header(struct emit *e, const struct model_write_info *w)
{
	emit_kv_int(e, "version", 1);
	emit_kv_string(e, "name", w->name);
	emit_kv_string(e, "title", w->title);
	emit_key(e, "source");
	emit_object_begin(e);
	emit_kv_string(e, "authors", "moeplan fit");
	emit_kv_int(e, "year", w->year);
	emit_kv_string(e, "where", w->where);
	emit_object_end(e);
	emit_kv_string(e, "provenance", "fitted");
	emit_key(e, "units");
	emit_object_begin(e);
	emit_kv_string(e, "loss", "nats");
	emit_kv_string(e, "params", "count");
	emit_kv_string(e, "tokens", "count");
	emit_kv_string(e, "compute", "flops");
	emit_object_end(e);
	if (w->note != NULL)
		emit_kv_string(e, "note", w->note);
}

/* The shape policy's keys, as model_load.c's shape_fields reads them. */
static void emit_shape(struct emit *e, const struct shape_policy *s)
{
	emit_key(e, "shape");
	emit_object_begin(e);
	emit_kv_number(e, "aspect", s->aspect);
	emit_kv_int(e, "d_multiple", s->d_multiple);
	emit_kv_int(e, "head_dim", s->head_dim);
	emit_kv_int(e, "kv_group", s->kv_group);
	emit_kv_string(e, "mlp", s->mlp_matrices == 3 ? "swiglu" : "gelu");
	emit_kv_number(e, "ffn_mult", s->ffn_mult);
	emit_kv_int(e, "ffn_multiple", s->ffn_multiple);
	emit_kv_int(e, "vocab", s->vocab);
	emit_kv_int(e, "seq", s->seq);
	emit_kv_bool(e, "tied", s->tied);
	emit_kv_int(e, "experts", s->experts);
	emit_kv_int(e, "top_k", s->top_k);
	emit_kv_int(e, "shared_experts", s->shared_experts);
	emit_kv_int(e, "moe_every", s->moe_every);
	emit_kv_number(e, "granularity", s->granularity);
	emit_object_end(e);
}

static void emit_numbers(struct emit *e, const char *key, const double *v,
                         size_t n)
{
	if (key != NULL)
		emit_key(e, key);
	emit_array_begin(e);
	for (size_t i = 0; i < n; i++)
		emit_number(e, v[i]);
	emit_array_end(e);
}

static void emit_variables(struct emit *e, const struct law *L)
{
	emit_key(e, "variables");
	emit_object_begin(e);
	for (size_t i = 0; i < L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];

		emit_key(e, v->name);
		emit_object_begin(e);
		emit_kv_string(e, "role", law_role_name(v->role));
		if (!isnan(v->fit_lo)) {
			double r[2] = { v->fit_lo, v->fit_hi };

			emit_numbers(e, "fit", r, 2);
		}
		if (v->n_values > 0)
			emit_numbers(e, "values", v->values, v->n_values);
		emit_object_end(e);
	}
	emit_object_end(e);
}

static void emit_fitting(struct emit *e, const struct law *L,
                         const struct lawfit_spec *s)
{
	emit_key(e, "fitting");
	emit_object_begin(e);
	for (size_t j = 0; j < s->n_par; j++) {
		const struct lawfit_param *p = &s->par[j];

		emit_key(e, L->coef_name[p->coef]);
		emit_object_begin(e);
		emit_kv_string(e, "space", lawfit_space_name(p->space));
		emit_numbers(e, "start", p->start, p->n_start);
		if (!isnan(p->lo)) {
			double r[2] = { p->lo, p->hi };

			emit_numbers(e, "range", r, 2);
		}
		emit_object_end(e);
	}
	emit_object_end(e);
}

static void emit_fit_stats(struct emit *e, const struct lawfit_info *fi)
{
	emit_kv_string(e, "data", fi->data);
	emit_kv_string(e, "data_sha256", fi->data_sha256);
	emit_kv_string(e, "date", fi->date);
	emit_kv_string(e, "moeplan_version", fi->version);
	emit_kv_int(e, "points", (long long)fi->n_points);
	emit_kv_number(e, "delta", fi->delta);
	emit_kv_number(e, "objective", fi->objective);
	emit_kv_number(e, "rms", fi->rms);
}

static void emit_fitted(struct emit *e, const struct law *L,
                        const struct lawfit_info *fi)
{
	size_t p = fi->n_par;
	char name[96];

	emit_key(e, "fitted");
	emit_object_begin(e);
	emit_fit_stats(e, fi);
	emit_key(e, "parameters");
	emit_array_begin(e);
	for (size_t j = 0; j < p; j++) {
		struct lawfit_param q = { .coef = fi->coef[j], .space = fi->space[j] };

		emit_string(e, lawfit_param_name(L, &q, name, sizeof name));
	}
	emit_array_end(e);
	if (fi->has_cov) {
		emit_numbers(e, "se", fi->se, p);
		emit_key(e, "covariance");
		emit_array_begin(e);
		for (size_t a = 0; a < p; a++)
			emit_numbers(e, NULL, fi->cov + a * p, p);
		emit_array_end(e);
		emit_kv_int(e, "resamples", (long long)fi->resamples);
		emit_kv_int(e, "failed", (long long)fi->failed);
		emit_kv_int(e, "seed", (long long)fi->seed);
	}
	emit_object_end(e);
}

static void emit_law(struct emit *e, const struct law *L)
{
	emit_key(e, L->name);
	emit_object_begin(e);
	emit_kv_string(e, "path", law_path_name(L->path));
	emit_kv_string(e, "params", law_count_name(L->count));
	emit_kv_string(e, "loss", L->loss_src);
	emit_kv_string(e, "flops", L->flops_src);
	if (L->n_derived > 0) {
		emit_key(e, "derived");
		emit_object_begin(e);
		for (size_t i = 0; i < L->n_derived; i++)
			emit_kv_string(e, L->derived_name[i], L->derived_src[i]);
		emit_object_end(e);
	}
	emit_key(e, "coefficients");
	emit_object_begin(e);
	for (size_t i = 0; i < L->n_coef; i++)
		emit_kv_number(e, L->coef_name[i], L->coef_value[i]);
	emit_object_end(e);
	emit_variables(e, L);
	if (L->note != NULL)
		emit_kv_string(e, "note", L->note);
	if (L->fit != NULL && L->fit->has_spec)
		emit_fitting(e, L, &L->fit->spec);
	if (L->fit != NULL && L->fit->has_result)
		emit_fitted(e, L, L->fit);
	emit_object_end(e);
}

static void emit_model(struct emit *e, const struct model *src,
                       const struct law *L, const struct model_write_info *w)
{
	emit_object_begin(e);
	emit_header(e, w);
	emit_shape(e, &src->shape);
	emit_key(e, "laws");
	emit_object_begin(e);
	emit_law(e, L);
	emit_object_end(e);
	emit_object_end(e);
}

/* Renamed into place only if it loads back (as profile.c does). */
static int check_written(const char *tmp, const char *path,
                         struct mp_error *err)
{
	struct mp_error why;
	struct model *m = model_load(tmp, &why);

	if (m == NULL)
		return mp_error_set(err, "not writing '%s': it would not load (%s)",
		                    path, why.msg);
	model_free(m);
	return 0;
}

int model_write_fitted(const struct model *src, const struct law *L,
                       const struct model_write_info *info, const char *path,
                       struct mp_error *err)
{
	struct emit_atomic a;
	struct emit e;

	if (emit_atomic_open(&a, path, err) != 0)
		return -1;
	fprintf(a.f, "# moeplan model file, written by moeplan fit "
	        "(see moeplan-models(5))\n");
	emit_init(&e, a.f, EMIT_YAML);
	emit_model(&e, src, L, info);
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
