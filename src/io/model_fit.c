/*
 * model_fit.c — reads a law's `fitting:` and `fitted:` keys (see
 * model_fit.h) into a struct lawfit_info that the law owns.  Every error
 * points at the YAML node to blame.
 */
#include "config.h"

#include "io/model_fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/lawfit.h"

int model_fit_param(const struct law *L, const char *name, int *coef,
                    int *space)
{
	if ((*coef = law_coef_index(L, name)) >= 0) {
		*space = LAWFIT_LINEAR;
		return 0;
	}
	if (strncmp(name, "log_", 4) == 0 &&
	    (*coef = law_coef_index(L, name + 4)) >= 0) {
		*space = LAWFIT_LOG;
		return 0;
	}
	return -1;
}

/* ---- fitting: ----------------------------------------------------------------- */

static const struct yamldoc_key param_keys[] = {
	{ "space", 0 }, { "start", 1 }, { "range", 0 }, { NULL, 0 },
};

static int load_range(struct yamldoc *y, yaml_node_t *n,
                      struct lawfit_param *p, struct mp_error *err)
{
	double *v;
	size_t len;

	if (n == NULL)
		return 0;
	if (yamldoc_number_list(y, n, 2, 2, &v, &len, err) != 0) {
		mp_error_prefix(err, "range");
		return -1;
	}
	p->lo = v[0];
	p->hi = v[1];
	free(v);
	if (!(p->lo < p->hi))
		return yamldoc_error(y, n, err, "range: [%g, %g] must have lo < hi",
		                     p->lo, p->hi);
	if (p->space == LAWFIT_LOG && p->lo < 0)
		return yamldoc_error(y, n, err, "range: a coefficient fitted as its "
		                     "log has a range within [0, ...)");
	return 0;
}

static int load_start(struct yamldoc *y, yaml_node_t *n,
                      struct lawfit_param *p, struct mp_error *err)
{
	double *v;
	size_t len;

	if (yamldoc_number_list(y, n, 1, LAWFIT_MAX_START, &v, &len, err) != 0) {
		mp_error_prefix(err, "start");
		return -1;
	}
	memcpy(p->start, v, len * sizeof *v);
	p->n_start = len;
	free(v);
	return 0;
}

static int load_param(struct yamldoc *y, struct law *L,
                      const struct yamldoc_pair *q, struct lawfit_param *p,
                      struct mp_error *err)
{
	static const char *const spaces[] = { "linear", "log", NULL };
	yaml_node_t *space = yamldoc_map_get(y, q->value, "space");
	int s = LAWFIT_LINEAR;

	if ((p->coef = law_coef_index(L, q->key)) < 0)
		return yamldoc_error(y, q->key_node, err, "'%s' is not a "
		                     "coefficient of this law", q->key);
	if (yamldoc_check_keys(y, q->value, param_keys, "fitting entry", err) != 0)
		return -1;
	if (space != NULL && yamldoc_enum(y, space, spaces, &s, err) != 0) {
		mp_error_prefix(err, "space");
		return -1;
	}
	p->space = (enum lawfit_space)s;
	p->lo = p->hi = NAN;
	if (load_start(y, yamldoc_map_get(y, q->value, "start"), p, err) != 0 ||
	    load_range(y, yamldoc_map_get(y, q->value, "range"), p, err) != 0)
		return -1;
	return 0;
}

static int load_fitting(struct yamldoc *y, struct law *L, yaml_node_t *n,
                        struct mp_error *err)
{
	struct lawfit_spec *s = &L->fit->spec;
	struct yamldoc_pair q;

	if (yamldoc_expect_map(y, n, "fitting", err) != 0)
		return -1;
	if (yamldoc_map_size(n) == 0 || yamldoc_map_size(n) > LAWFIT_MAX_PAR)
		return yamldoc_error(y, n, err, "fitting: 1 to %d coefficients",
		                     LAWFIT_MAX_PAR);
	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(y, n, i, &q);
		if (load_param(y, L, &q, &s->par[i], err) != 0) {
			mp_error_prefix(err, "fitting: '%s'", q.key);
			return -1;
		}
	}
	s->n_par = yamldoc_map_size(n);
	L->fit->has_spec = 1;
	return 0;
}

/* ---- fitted: ------------------------------------------------------------------ */

static const struct yamldoc_key fitted_keys[] = {
	{ "data", 1 }, { "data_sha256", 1 }, { "date", 1 },
	{ "moeplan_version", 1 }, { "points", 1 }, { "delta", 1 },
	{ "objective", 1 }, { "rms", 1 }, { "parameters", 1 }, { "se", 0 },
	{ "covariance", 0 }, { "resamples", 0 }, { "failed", 0 }, { "seed", 0 },
	{ NULL, 0 },
};

static int dup_string(struct yamldoc *y, yaml_node_t *map, const char *key,
                      char **out, struct mp_error *err)
{
	const char *s;
	int found;

	if (yamldoc_get_string(y, map, key, &s, &found, err) != 0)
		return -1;
	if ((*out = strdup(s)) == NULL)
		return yamldoc_error(y, map, err, "out of memory");
	return 0;
}

static int check_sha(struct yamldoc *y, yaml_node_t *map, const char *hex,
                     struct mp_error *err)
{
	if (strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64)
		return 0;
	return yamldoc_error(y, yamldoc_map_get(y, map, "data_sha256"), err,
	                     "data_sha256: expected 64 lower-case hex digits");
}

static int get_count(struct yamldoc *y, yaml_node_t *map, const char *key,
                     size_t *out, struct mp_error *err)
{
	yaml_node_t *n = yamldoc_map_get(y, map, key);
	long v;

	if (n == NULL)
		return 0;
	if (yamldoc_int(y, n, 0, 1000000000L, &v, err) != 0) {
		mp_error_prefix(err, "%s", key);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/* A number that must be finite and >= 0 (points are counted apart). */
static int get_stat(struct yamldoc *y, yaml_node_t *map, const char *key,
                    double *out, struct mp_error *err)
{
	yaml_node_t *n = yamldoc_map_get(y, map, key);

	if (yamldoc_number(y, n, out, err) != 0) {
		mp_error_prefix(err, "%s", key);
		return -1;
	}
	if (!(*out >= 0))
		return yamldoc_error(y, n, err, "%s: %g must not be negative", key,
		                     *out);
	return 0;
}

static yaml_node_t *item(struct yamldoc *y, yaml_node_t *seq, size_t i)
{
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

static size_t seq_len(const yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return 0;
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static int load_parameters(struct yamldoc *y, struct law *L, yaml_node_t *n,
                           struct mp_error *err)
{
	struct lawfit_info *fi = L->fit;
	size_t p = seq_len(n);
	const char *s;
	int sp;

	if (p == 0 || p > LAWFIT_MAX_PAR)
		return yamldoc_error(y, n, err, "parameters: a list of 1 to %d "
		                     "names", LAWFIT_MAX_PAR);
	for (size_t j = 0; j < p; j++) {
		if (yamldoc_string(y, item(y, n, j), &s, err) != 0) {
			mp_error_prefix(err, "parameters");
			return -1;
		}
		if (model_fit_param(L, s, &fi->coef[j], &sp) != 0)
			return yamldoc_error(y, item(y, n, j), err, "parameters: '%s' is "
			                     "not a coefficient (or log_ and one)", s);
		fi->space[j] = (enum lawfit_space)sp;
		for (size_t k = 0; k < j; k++)
			if (fi->coef[k] == fi->coef[j])
				return yamldoc_error(y, item(y, n, j), err, "parameters: "
				                     "'%s' twice", s);
	}
	fi->n_par = p;
	return 0;
}

static int load_se(struct yamldoc *y, struct lawfit_info *fi, yaml_node_t *n,
                   struct mp_error *err)
{
	double *v;
	size_t len;

	if (yamldoc_number_list(y, n, fi->n_par, fi->n_par, &v, &len, err) != 0) {
		mp_error_prefix(err, "se (one per parameter)");
		return -1;
	}
	memcpy(fi->se, v, len * sizeof *v);
	free(v);
	for (size_t j = 0; j < len; j++)
		if (!(fi->se[j] >= 0))
			return yamldoc_error(y, n, err, "se: %g must not be negative",
			                     fi->se[j]);
	return 0;
}

/* covariance: p rows of p numbers, symmetric, its diagonal >= 0. */
static int load_cov(struct yamldoc *y, struct lawfit_info *fi, yaml_node_t *n,
                    struct mp_error *err)
{
	size_t p = fi->n_par;
	double *row;
	size_t len;

	if (seq_len(n) != p)
		return yamldoc_error(y, n, err, "covariance: expected %zu rows", p);
	for (size_t a = 0; a < p; a++) {
		if (yamldoc_number_list(y, item(y, n, a), p, p, &row, &len, err)) {
			mp_error_prefix(err, "covariance row %zu", a + 1);
			return -1;
		}
		memcpy(fi->cov + a * p, row, p * sizeof *row);
		free(row);
	}
	for (size_t a = 0; a < p; a++)
		for (size_t b = 0; b <= a; b++) {
			double u = fi->cov[a * p + b], v = fi->cov[b * p + a];

			if ((a == b && !(u >= 0)) ||
			    fabs(u - v) > 1e-9 * (fabs(u) + fabs(v)))
				return yamldoc_error(y, item(y, n, a), err, "covariance: "
				                     "not symmetric with a diagonal >= 0 "
				                     "(row %zu, column %zu)", a + 1, b + 1);
		}
	fi->has_cov = 1;
	return 0;
}

static int load_stats(struct yamldoc *y, struct lawfit_info *fi,
                      yaml_node_t *n, struct mp_error *err)
{
	if (get_count(y, n, "points", &fi->n_points, err) != 0 ||
	    get_count(y, n, "resamples", &fi->resamples, err) != 0 ||
	    get_count(y, n, "failed", &fi->failed, err) != 0 ||
	    get_count(y, n, "seed", &fi->seed, err) != 0 ||
	    get_stat(y, n, "delta", &fi->delta, err) != 0 ||
	    get_stat(y, n, "objective", &fi->objective, err) != 0 ||
	    get_stat(y, n, "rms", &fi->rms, err) != 0)
		return -1;
	if (fi->failed > fi->resamples)
		return yamldoc_error(y, yamldoc_map_get(y, n, "failed"), err,
		                     "failed: more than the %zu resamples",
		                     fi->resamples);
	return 0;
}

static int load_fitted(struct yamldoc *y, struct law *L, yaml_node_t *n,
                       struct mp_error *err)
{
	struct lawfit_info *fi = L->fit;
	yaml_node_t *se = yamldoc_map_get(y, n, "se");
	yaml_node_t *cov = yamldoc_map_get(y, n, "covariance");

	if (yamldoc_check_keys(y, n, fitted_keys, "fitted", err) != 0 ||
	    dup_string(y, n, "data", &fi->data, err) != 0 ||
	    dup_string(y, n, "data_sha256", &fi->data_sha256, err) != 0 ||
	    check_sha(y, n, fi->data_sha256, err) != 0 ||
	    dup_string(y, n, "date", &fi->date, err) != 0 ||
	    dup_string(y, n, "moeplan_version", &fi->version, err) != 0 ||
	    load_stats(y, fi, n, err) != 0 ||
	    load_parameters(y, L, yamldoc_map_get(y, n, "parameters"), err) != 0)
		return -1;
	if ((se != NULL && load_se(y, fi, se, err) != 0) ||
	    (cov != NULL && load_cov(y, fi, cov, err) != 0))
		return -1;
	fi->has_result = 1;
	return 0;
}

int model_fit_load(struct yamldoc *y, struct law *L, yaml_node_t *fitting,
                   yaml_node_t *fitted, struct mp_error *err)
{
	if (fitting == NULL && fitted == NULL)
		return 0;
	if ((L->fit = lawfit_info_new()) == NULL)
		return yamldoc_error(y, fitting ? fitting : fitted, err,
		                     "out of memory");
	if (fitting != NULL && load_fitting(y, L, fitting, err) != 0)
		return -1;
	if (fitted != NULL && load_fitted(y, L, fitted, err) != 0) {
		mp_error_prefix(err, "fitted");
		return -1;
	}
	return 0;
}
