/*
 * model_load.c — reads a model file (one paper's fit) into struct model,
 * building each law through the law.h builder; finds model files by name.
 *
 * Format, version 1 (man/moeplan-models.5 has the long form):
 *
 *   version: 1
 *   name: liew2025                       letters, digits, '_', '-'
 *   title: "one line"
 *   source: { authors: "...", year: 2025, arxiv: "2502.03009",
 *             where: "Table 2" }
 *   provenance: paper | extract | derived | fitted
 *   units: { loss: nats, params: count, tokens: count, compute: flops }
 *   note: "caveats"                      optional
 *   shape: { aspect: 128, mlp: swiglu, ... }   optional; struct shape_policy
 *   laws:
 *     NAME:
 *       path: dense | moe | upcycle
 *       params: total | active | nonemb_total | nonemb_active | dense_base
 *       loss: "expression"               libmatheval syntax, log = ln
 *       flops: "expression"              the compute rule of the fit
 *       derived: { Na: "expression" }    optional; each may use earlier ones
 *       coefficients: { A: 8.83, ... }   null = not fitted (form only)
 *       variables:
 *         N: { role: params, fit: [lo, hi], values: [...] }
 *       baseline: LAW                    optional (upcycle)
 *       note: "..."                      optional
 *       fitting: { A: { space: log, start: [...] } }   optional: how
 *                                        moeplan fit fits it (model_fit.h)
 *       fitted: { ... }                  optional: what a fit found
 *   default_variant: NAME                optional; the laws' own reading
 *                                        ("default")
 *   data_constrained:                    optional (core/datacon.h)
 *     R_D_star: 15.4                     positive: decay of repeated tokens
 *     R_N_star: 5.3                      positive: decay of excess params
 *     U_N_law: LAW                       a law of the file with constant
 *                                        A, B, alpha, beta (coefficients
 *                                        or derived): its frontier gives U_N
 *     source: "..."                      where the constants come from
 *     note: "..."                        optional
 *   variants:                            optional; other readings
 *     NAME:
 *       note: "..."                      optional
 *       laws:
 *         LAW: { loss: "...", flops: "...", derived: { Na: "..." } }
 *                                        each optional, one at least: the
 *                                        expressions this reading replaces
 *
 * All names of a law are declared first (coefficients, variables, derived
 * quantities), then the expressions are set, so a derived quantity may be
 * listed before the symbols it uses but may only use derived quantities
 * listed before it.  Every error is given the position of its YAML node;
 * for an error raised by core after a whole law or shape is read, the node
 * of what the error is about (its subject, error.h), never its wording.
 */
#include "config.h"

#include "io/model_load.h"

#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/model_fit.h"
#include "io/resolve.h"
#include "io/yamldoc.h"

struct loader {
	struct yamldoc y;
	struct model *m;
	struct mp_error *err;
	yaml_node_t *baseline[MODEL_MAX_LAWS];
};

/* Names usable in NAME:LAW specs and file names. */
static int valid_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
		      ('0' <= *s && *s <= '9') || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

static int name_at(struct loader *ld, yaml_node_t *n, const char *what,
                   const char **out)
{
	if (yamldoc_string(&ld->y, n, out, ld->err) != 0) {
		mp_error_prefix(ld->err, "%s", what);
		return -1;
	}
	if (!valid_name(*out))
		return yamldoc_error(&ld->y, n, ld->err, "%s '%s' is not a valid "
		                     "name (letters, digits, '_' and '-')", what, *out);
	return 0;
}

/* ---- header ------------------------------------------------------------- */

static const struct yamldoc_key top_keys[] = {
	{ "version", 1 }, { "name", 1 }, { "title", 1 }, { "source", 1 },
	{ "provenance", 1 }, { "units", 1 }, { "note", 0 }, { "shape", 0 },
	{ "laws", 1 }, { "default_variant", 0 }, { "variants", 0 },
	{ "data_constrained", 0 }, { NULL, 0 },
};

static const struct yamldoc_key source_keys[] = {
	{ "authors", 1 }, { "year", 1 }, { "arxiv", 0 }, { "where", 1 },
	{ NULL, 0 },
};

/* source: composed into "Authors YEAR, arXiv:ID, WHERE". */
static int load_source(struct loader *ld, yaml_node_t *n)
{
	struct yamldoc *y = &ld->y;
	const char *authors, *arxiv = NULL, *where;
	char buf[512];
	long year;
	int found;

	if (yamldoc_check_keys(y, n, source_keys, "source", ld->err) != 0 ||
	    yamldoc_get_string(y, n, "authors", &authors, &found, ld->err) != 0 ||
	    yamldoc_get_string(y, n, "arxiv", &arxiv, &found, ld->err) != 0 ||
	    yamldoc_get_string(y, n, "where", &where, &found, ld->err) != 0)
		return -1;
	if (yamldoc_int(y, yamldoc_map_get(y, n, "year"), 1900, 2100, &year,
	                ld->err) != 0) {
		mp_error_prefix(ld->err, "year");
		return -1;
	}
	if (arxiv != NULL)
		snprintf(buf, sizeof buf, "%s %ld, arXiv:%s, %s", authors, year, arxiv,
		         where);
	else
		snprintf(buf, sizeof buf, "%s %ld, %s", authors, year, where);
	return model_set_string(&ld->m->source, buf, ld->err);
}

static const struct yamldoc_key unit_keys[] = {
	{ "loss", 1 }, { "params", 1 }, { "tokens", 1 }, { "compute", 1 },
	{ NULL, 0 },
};

/* units: moeplan works in nats, raw counts and FLOPs; say so if not. */
static int load_units(struct loader *ld, yaml_node_t *n)
{
	static const char *const want[][2] = {
		{ "loss", "nats" }, { "params", "count" }, { "tokens", "count" },
		{ "compute", "flops" },
	};
	const char *s;

	if (yamldoc_check_keys(&ld->y, n, unit_keys, "units", ld->err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		yaml_node_t *v = yamldoc_map_get(&ld->y, n, want[i][0]);

		if (yamldoc_string(&ld->y, v, &s, ld->err) != 0) {
			mp_error_prefix(ld->err, "units: %s", want[i][0]);
			return -1;
		}
		if (strcmp(s, want[i][1]) != 0)
			return yamldoc_error(&ld->y, v, ld->err, "units: %s must be '%s' "
			                     "(got '%s'); convert the fit first",
			                     want[i][0], want[i][1], s);
	}
	return 0;
}

/* ---- shape policy ------------------------------------------------------ */

enum field_type { F_NUMBER, F_INT, F_BOOL, F_MLP };

/* One table drives parsing of shape: (the key, its type, where it goes). */
static const struct shape_field {
	const char *name;
	enum field_type type;
	size_t offset;
} shape_fields[] = {
	{ "aspect", F_NUMBER, offsetof(struct shape_policy, aspect) },
	{ "d_multiple", F_INT, offsetof(struct shape_policy, d_multiple) },
	{ "head_dim", F_INT, offsetof(struct shape_policy, head_dim) },
	{ "kv_group", F_INT, offsetof(struct shape_policy, kv_group) },
	{ "mlp", F_MLP, offsetof(struct shape_policy, mlp_matrices) },
	{ "ffn_mult", F_NUMBER, offsetof(struct shape_policy, ffn_mult) },
	{ "ffn_multiple", F_INT, offsetof(struct shape_policy, ffn_multiple) },
	{ "vocab", F_INT, offsetof(struct shape_policy, vocab) },
	{ "seq", F_INT, offsetof(struct shape_policy, seq) },
	{ "tied", F_BOOL, offsetof(struct shape_policy, tied) },
	{ "experts", F_INT, offsetof(struct shape_policy, experts) },
	{ "top_k", F_INT, offsetof(struct shape_policy, top_k) },
	{ "shared_experts", F_INT, offsetof(struct shape_policy, shared_experts) },
	{ "moe_every", F_INT, offsetof(struct shape_policy, moe_every) },
	{ "granularity", F_NUMBER, offsetof(struct shape_policy, granularity) },
	{ NULL, F_NUMBER, 0 },
};

static int load_shape_field(struct loader *ld, const struct shape_field *f,
                            yaml_node_t *v)
{
	static const char *const mlp_names[] = { "gelu", "swiglu", NULL };
	char *dst = (char *)&ld->m->shape + f->offset;
	long l;
	int i, rc;

	switch (f->type) {
	case F_NUMBER:
		rc = yamldoc_number(&ld->y, v, (double *)(void *)dst, ld->err);
		break;
	case F_INT:
		rc = yamldoc_int(&ld->y, v, 0, INT_MAX, &l, ld->err);
		if (rc == 0)
			*(int *)(void *)dst = (int)l;
		break;
	case F_BOOL:
		rc = yamldoc_bool(&ld->y, v, (int *)(void *)dst, ld->err);
		break;
	default:   /* mlp: gelu (2 matrices) or swiglu (3: gate, up, down) */
		rc = yamldoc_enum(&ld->y, v, mlp_names, &i, ld->err);
		if (rc == 0)
			*(int *)(void *)dst = i == 0 ? 2 : 3;
		break;
	}
	if (rc != 0)
		mp_error_prefix(ld->err, "shape: %s", f->name);
	return rc;
}

/* The value of the key shape_policy_check's error is about, else (a field
 * left at its default, or one not spelled as its key) the whole mapping. */
static yaml_node_t *shape_blame(struct loader *ld, yaml_node_t *n)
{
	struct yamldoc_pair p;

	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(&ld->y, n, i, &p);
		if (mp_error_is_about(ld->err, MP_WHAT_SHAPE_KEY, p.key))
			return p.value;
	}
	return n;
}

static int load_shape(struct loader *ld, yaml_node_t *n)
{
	struct yamldoc_key keys[sizeof shape_fields / sizeof shape_fields[0]];
	size_t k = 0;

	for (const struct shape_field *f = shape_fields; f->name; f++)
		keys[k++] = (struct yamldoc_key){ f->name, 0 };
	keys[k] = (struct yamldoc_key){ NULL, 0 };
	if (yamldoc_check_keys(&ld->y, n, keys, "shape", ld->err) != 0)
		return -1;
	for (const struct shape_field *f = shape_fields; f->name; f++) {
		yaml_node_t *v = yamldoc_map_get(&ld->y, n, f->name);

		if (v != NULL && load_shape_field(ld, f, v) != 0)
			return -1;
	}
	if (shape_policy_check(&ld->m->shape, ld->err) != 0) {
		yamldoc_locate(&ld->y, shape_blame(ld, n), ld->err);
		return -1;
	}
	return 0;
}

/* ---- one law ------------------------------------------------------------ */

static const struct yamldoc_key law_keys[] = {
	{ "path", 1 }, { "params", 1 }, { "loss", 1 }, { "flops", 1 },
	{ "derived", 0 }, { "coefficients", 1 }, { "variables", 1 },
	{ "baseline", 0 }, { "note", 0 }, { "fitting", 0 }, { "fitted", 0 },
	{ NULL, 0 },
};

static const struct yamldoc_key var_keys[] = {
	{ "role", 1 }, { "fit", 0 }, { "values", 0 }, { NULL, 0 },
};

static int declare_coefficients(struct loader *ld, struct law *L,
                                yaml_node_t *n)
{
	struct yamldoc_pair p;
	double v;
	int is_null;

	if (yamldoc_expect_map(&ld->y, n, "coefficients", ld->err) != 0)
		return -1;
	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(&ld->y, n, i, &p);
		if (yamldoc_number_or_null(&ld->y, p.value, &v, &is_null,
		                           ld->err) != 0) {
			mp_error_prefix(ld->err, "coefficient '%s'", p.key);
			return -1;
		}
		if (law_add_coefficient(L, p.key, v, ld->err) != 0) {
			yamldoc_locate(&ld->y, p.key_node, ld->err);
			return -1;
		}
	}
	return 0;
}

/* fit: [lo, hi] with 0 < lo < hi. */
static int load_fit(struct loader *ld, const char *name, yaml_node_t *n,
                    struct law_var *v)
{
	double *r;
	size_t len;

	if (yamldoc_number_list(&ld->y, n, 2, 2, &r, &len, ld->err) != 0) {
		mp_error_prefix(ld->err, "variable '%s': fit", name);
		return -1;
	}
	v->fit_lo = r[0];
	v->fit_hi = r[1];
	free(r);
	if (!(v->fit_lo > 0 && v->fit_lo < v->fit_hi)) {
		char lo[48], hi[48];

		return yamldoc_error(&ld->y, n, ld->err, "variable '%s': fit range "
		                     "[%s, %s] must have 0 < lo < hi", name,
		                     yamldoc_fmt_number(v->fit_lo, 10, lo, sizeof lo),
		                     yamldoc_fmt_number(v->fit_hi, 10, hi, sizeof hi));
	}
	return 0;
}

static int declare_variable(struct loader *ld, struct law *L,
                            const struct yamldoc_pair *p)
{
	struct yamldoc *y = &ld->y;
	struct law_var v = { .name = (char *)p->key, .fit_lo = NAN, .fit_hi = NAN };
	yaml_node_t *role = yamldoc_map_get(y, p->value, "role");
	yaml_node_t *fit = yamldoc_map_get(y, p->value, "fit");
	yaml_node_t *values = yamldoc_map_get(y, p->value, "values");
	char what[96];
	const char *s;
	int rc;

	snprintf(what, sizeof what, "variable '%s'", p->key);
	if (yamldoc_check_keys(y, p->value, var_keys, what, ld->err) != 0)
		return -1;
	if (yamldoc_string(y, role, &s, ld->err) != 0 ||
	    law_role_parse(s, &v.role, ld->err) != 0) {
		mp_error_prefix(ld->err, "%s: role", what);
		yamldoc_locate(y, role, ld->err);
		return -1;
	}
	if (fit == NULL && values == NULL)
		return yamldoc_error(y, p->value, ld->err, "%s: needs a fit range "
		                     "(fit: [lo, hi]) or a list of values", what);
	if (fit != NULL && load_fit(ld, p->key, fit, &v) != 0)
		return -1;
	if (values != NULL && yamldoc_number_list(y, values, 1, 0, &v.values,
	                                          &v.n_values, ld->err) != 0) {
		mp_error_prefix(ld->err, "%s: values", what);
		return -1;
	}
	rc = law_add_variable(L, &v, ld->err);
	if (rc != 0)
		yamldoc_locate(y, values != NULL ? values : p->key_node, ld->err);
	free(v.values);
	return rc;
}

static int declare_variables(struct loader *ld, struct law *L, yaml_node_t *n)
{
	struct yamldoc_pair p;

	if (yamldoc_expect_map(&ld->y, n, "variables", ld->err) != 0)
		return -1;
	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(&ld->y, n, i, &p);
		if (declare_variable(ld, L, &p) != 0)
			return -1;
	}
	return 0;
}

/* Declare derived names (pass 0) or set their expressions (pass 1). */
static int derived_pass(struct loader *ld, struct law *L, yaml_node_t *n,
                        int pass)
{
	struct yamldoc_pair p;
	const char *expr;

	if (n == NULL)
		return 0;
	if (yamldoc_expect_map(&ld->y, n, "derived", ld->err) != 0)
		return -1;
	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(&ld->y, n, i, &p);
		if (pass == 0) {
			if (law_add_derived(L, p.key, ld->err) != 0) {
				yamldoc_locate(&ld->y, p.key_node, ld->err);
				return -1;
			}
			continue;
		}
		if (yamldoc_string(&ld->y, p.value, &expr, ld->err) != 0) {
			mp_error_prefix(ld->err, "derived '%s'", p.key);
			return -1;
		}
		if (law_set_derived_expr(L, i, expr, ld->err) != 0) {
			yamldoc_locate(&ld->y, p.value, ld->err);
			return -1;
		}
	}
	return 0;
}

static int set_expr(struct loader *ld, struct law *L, yaml_node_t *law_node,
                    enum law_expr which)
{
	const char *key = which == LAW_LOSS ? "loss" : "flops", *expr;
	yaml_node_t *n = yamldoc_map_get(&ld->y, law_node, key);

	if (yamldoc_string(&ld->y, n, &expr, ld->err) != 0) {
		mp_error_prefix(ld->err, "%s", key);
		return -1;
	}
	if (law_set_expr(L, which, expr, ld->err) != 0) {
		yamldoc_locate(&ld->y, n, ld->err);
		return -1;
	}
	return 0;
}

/* path and params: which law this is and how it counts N. */
static struct law *new_law(struct loader *ld, const char *name, yaml_node_t *n)
{
	yaml_node_t *path = yamldoc_map_get(&ld->y, n, "path");
	yaml_node_t *count = yamldoc_map_get(&ld->y, n, "params");
	enum law_path p;
	enum law_count c;
	const char *s;
	struct law *L;

	if (yamldoc_string(&ld->y, path, &s, ld->err) != 0 ||
	    law_path_parse(s, &p, ld->err) != 0) {
		mp_error_prefix(ld->err, "path");
		yamldoc_locate(&ld->y, path, ld->err);
		return NULL;
	}
	if (yamldoc_string(&ld->y, count, &s, ld->err) != 0 ||
	    law_count_parse(s, &c, ld->err) != 0) {
		mp_error_prefix(ld->err, "params");
		yamldoc_locate(&ld->y, count, ld->err);
		return NULL;
	}
	if ((L = law_new(ld->m->name, name, p, c)) == NULL)
		mp_error_at(ld->err, ld->y.file, yamldoc_line(n), yamldoc_col(n),
		            "out of memory");
	return L;
}

/* Optional string fields of a law: baseline (checked later) and note. */
static int law_strings(struct loader *ld, struct law *L, yaml_node_t *n)
{
	yaml_node_t *base = yamldoc_map_get(&ld->y, n, "baseline");
	const char *s;
	int found;

	if (yamldoc_get_string(&ld->y, n, "note", &s, &found, ld->err) != 0)
		return -1;
	if (found && law_set_note(L, s, ld->err) != 0)
		return -1;
	if (base == NULL)
		return 0;
	if (name_at(ld, base, "baseline", &s) != 0 ||
	    law_set_baseline(L, s, ld->err) != 0)
		return -1;
	ld->baseline[ld->m->n_laws] = base;
	return 0;
}

static int build_law(struct loader *ld, struct law *L, yaml_node_t *n)
{
	yaml_node_t *derived = yamldoc_map_get(&ld->y, n, "derived");

	if (declare_coefficients(ld, L, yamldoc_map_get(&ld->y, n,
	                                                "coefficients")) != 0 ||
	    declare_variables(ld, L, yamldoc_map_get(&ld->y, n, "variables")) != 0 ||
	    derived_pass(ld, L, derived, 0) != 0 ||
	    derived_pass(ld, L, derived, 1) != 0 ||
	    set_expr(ld, L, n, LAW_LOSS) != 0 ||
	    set_expr(ld, L, n, LAW_FLOPS) != 0 ||
	    law_strings(ld, L, n) != 0 ||
	    model_fit_load(&ld->y, L, yamldoc_map_get(&ld->y, n, "fitting"),
	                   yamldoc_map_get(&ld->y, n, "fitted"), ld->err) != 0)
		return -1;
	return 0;
}

/* The key of the variable law_finish's error is about, else (an error about
 * the law as a whole, or about its flops) the law's key. */
static yaml_node_t *finish_blame(struct loader *ld,
                                 const struct yamldoc_pair *law)
{
	yaml_node_t *vars = yamldoc_map_get(&ld->y, law->value, "variables");
	struct yamldoc_pair p;

	for (size_t i = 0; i < yamldoc_map_size(vars); i++) {
		yamldoc_map_pair(&ld->y, vars, i, &p);
		if (mp_error_is_about(ld->err, MP_WHAT_VARIABLE, p.key))
			return p.key_node;
	}
	return law->key_node;
}

/* The expression law_check_range's error is about (a derived quantity's,
 * the loss, the flops), else the law's coefficients. */
static yaml_node_t *range_blame(struct loader *ld, yaml_node_t *law)
{
	yaml_node_t *derived = yamldoc_map_get(&ld->y, law, "derived");
	struct yamldoc_pair p;

	for (size_t i = 0; i < yamldoc_map_size(derived); i++) {
		yamldoc_map_pair(&ld->y, derived, i, &p);
		if (mp_error_is_about(ld->err, MP_WHAT_DERIVED, p.key))
			return p.value;
	}
	if (mp_error_is_about(ld->err, MP_WHAT_LOSS, NULL))
		return yamldoc_map_get(&ld->y, law, "loss");
	if (mp_error_is_about(ld->err, MP_WHAT_FLOPS, NULL))
		return yamldoc_map_get(&ld->y, law, "flops");
	return yamldoc_map_get(&ld->y, law, "coefficients");
}

static int load_law(struct loader *ld, const struct yamldoc_pair *p)
{
	char what[96];
	const char *name;
	struct law *L;

	snprintf(what, sizeof what, "law '%s'", p->key);
	if (name_at(ld, p->key_node, "law name", &name) != 0 ||
	    yamldoc_check_keys(&ld->y, p->value, law_keys, what, ld->err) != 0 ||
	    (L = new_law(ld, name, p->value)) == NULL)
		return -1;
	ld->baseline[ld->m->n_laws] = NULL;
	if (build_law(ld, L, p->value) != 0) {
		law_free(L);
		return -1;
	}
	if (law_finish(L, ld->err) != 0) {
		yamldoc_locate(&ld->y, finish_blame(ld, p), ld->err);
		law_free(L);
		mp_error_prefix(ld->err, "%s", what);
		return -1;
	}
	if (law_check_range(L, ld->err) != 0) {
		yamldoc_locate(&ld->y, range_blame(ld, p->value), ld->err);
		law_free(L);
		mp_error_prefix(ld->err, "%s", what);
		return -1;
	}
	if (model_add_law(ld->m, L, ld->err) != 0) {
		yamldoc_locate(&ld->y, p->key_node, ld->err);
		return -1;
	}
	return 0;
}

/* A baseline names another law of the same model. */
static int check_baselines(struct loader *ld)
{
	for (size_t i = 0; i < ld->m->n_laws; i++) {
		const struct law *L = ld->m->laws[i];

		if (L->baseline == NULL)
			continue;
		if (strcmp(L->baseline, L->name) == 0 ||
		    model_law(ld->m, L->baseline) == NULL)
			return yamldoc_error(&ld->y, ld->baseline[i], ld->err,
			                     "baseline '%s' is not another law of this "
			                     "model", L->baseline);
	}
	return 0;
}

static int load_laws(struct loader *ld, yaml_node_t *n)
{
	struct yamldoc_pair p;

	if (yamldoc_expect_map(&ld->y, n, "laws", ld->err) != 0)
		return -1;
	if (yamldoc_map_size(n) == 0)
		return yamldoc_error(&ld->y, n, ld->err, "laws: no law defined");
	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(&ld->y, n, i, &p);
		if (load_law(ld, &p) != 0)
			return -1;
	}
	return check_baselines(ld);
}

/* ---- variants ------------------------------------------------------------ */

static const struct yamldoc_key variant_keys[] = {
	{ "note", 0 }, { "laws", 1 }, { NULL, 0 },
};

static const struct yamldoc_key variant_law_keys[] = {
	{ "loss", 0 }, { "flops", 0 }, { "derived", 0 }, { NULL, 0 },
};

/* The expressions a variant's law replaces: loss, flops (NULL: kept) and
 * derived[i] for derived quantity i of B. */
struct overrides {
	const char *loss, *flops;
	const char *derived[LAW_MAX_SYMS];
};

static int optional_string(struct loader *ld, yaml_node_t *n, const char *key,
                           const char **out)
{
	yaml_node_t *v = yamldoc_map_get(&ld->y, n, key);

	*out = NULL;
	if (v != NULL && yamldoc_string(&ld->y, v, out, ld->err) != 0) {
		mp_error_prefix(ld->err, "%s", key);
		return -1;
	}
	return 0;
}

static int read_overrides(struct loader *ld, const struct law *B,
                          yaml_node_t *n, struct overrides *o)
{
	yaml_node_t *derived = yamldoc_map_get(&ld->y, n, "derived");
	struct yamldoc_pair p;
	size_t i;

	memset(o, 0, sizeof *o);
	if (optional_string(ld, n, "loss", &o->loss) != 0 ||
	    optional_string(ld, n, "flops", &o->flops) != 0)
		return -1;
	if (derived != NULL &&
	    yamldoc_expect_map(&ld->y, derived, "derived", ld->err) != 0)
		return -1;
	for (size_t k = 0; k < yamldoc_map_size(derived); k++) {
		yamldoc_map_pair(&ld->y, derived, k, &p);
		for (i = 0; i < B->n_derived; i++)
			if (strcmp(B->derived_name[i], p.key) == 0)
				break;
		if (i == B->n_derived)
			return yamldoc_error(&ld->y, p.key_node, ld->err, "law '%s' has "
			                     "no derived quantity '%s' to replace",
			                     B->name, p.key);
		if (yamldoc_string(&ld->y, p.value, &o->derived[i], ld->err) != 0) {
			mp_error_prefix(ld->err, "derived '%s'", p.key);
			return -1;
		}
	}
	if (o->loss == NULL && o->flops == NULL && yamldoc_map_size(derived) == 0)
		return yamldoc_error(&ld->y, n, ld->err, "law '%s': a variant "
		                     "replaces its loss, flops or derived "
		                     "expressions; none given", B->name);
	return 0;
}

/* The node a variant law's error is about: the expression it names,
 * else the law's entry in the variant. */
static yaml_node_t *variant_blame(struct loader *ld, yaml_node_t *n)
{
	yaml_node_t *derived = yamldoc_map_get(&ld->y, n, "derived"), *v = NULL;
	struct yamldoc_pair p;

	for (size_t i = 0; i < yamldoc_map_size(derived); i++) {
		yamldoc_map_pair(&ld->y, derived, i, &p);
		if (mp_error_is_about(ld->err, MP_WHAT_DERIVED, p.key))
			return p.value;
	}
	if (mp_error_is_about(ld->err, MP_WHAT_LOSS, NULL))
		v = yamldoc_map_get(&ld->y, n, "loss");
	else if (mp_error_is_about(ld->err, MP_WHAT_FLOPS, NULL))
		v = yamldoc_map_get(&ld->y, n, "flops");
	return v != NULL ? v : n;
}

/* One law of variant v: B's reading with the given expressions, checked
 * inside its fit ranges as the file's own laws are. */
static int load_variant_law(struct loader *ld, struct model_variant *v,
                            const struct yamldoc_pair *p)
{
	const struct law *B = model_law(ld->m, p->key);
	struct overrides o;
	struct law *L;

	if (B == NULL)
		return yamldoc_error(&ld->y, p->key_node, ld->err, "no law '%s' in "
		                     "this model", p->key);
	if (yamldoc_check_keys(&ld->y, p->value, variant_law_keys, "variant law",
	                       ld->err) != 0 ||
	    read_overrides(ld, B, p->value, &o) != 0)
		return -1;
	L = law_variant(B, v->name, o.loss, o.flops, o.derived, ld->err);
	if (L == NULL || law_check_range(L, ld->err) != 0) {
		yamldoc_locate(&ld->y, variant_blame(ld, p->value), ld->err);
		law_free(L);
		mp_error_prefix(ld->err, "law '%s'", p->key);
		return -1;
	}
	if (model_variant_add_law(v, L, ld->err) != 0) {
		yamldoc_locate(&ld->y, p->key_node, ld->err);
		return -1;
	}
	return 0;
}

static int load_variant(struct loader *ld, const struct yamldoc_pair *p)
{
	yaml_node_t *laws = yamldoc_map_get(&ld->y, p->value, "laws");
	struct model_variant *v;
	struct yamldoc_pair q;
	const char *name, *note;
	int found;

	if (name_at(ld, p->key_node, "variant name", &name) != 0 ||
	    yamldoc_check_keys(&ld->y, p->value, variant_keys, "variant",
	                       ld->err) != 0 ||
	    yamldoc_get_string(&ld->y, p->value, "note", &note, &found,
	                       ld->err) != 0)
		return -1;
	if ((v = model_add_variant(ld->m, name, ld->err)) == NULL) {
		yamldoc_locate(&ld->y, p->key_node, ld->err);
		return -1;
	}
	if (found && model_set_string(&v->note, note, ld->err) != 0)
		return -1;
	if (yamldoc_expect_map(&ld->y, laws, "laws", ld->err) != 0)
		return -1;
	if (yamldoc_map_size(laws) == 0)
		return yamldoc_error(&ld->y, laws, ld->err, "laws: the variant "
		                     "replaces no law");
	for (size_t i = 0; i < yamldoc_map_size(laws); i++) {
		yamldoc_map_pair(&ld->y, laws, i, &q);
		if (load_variant_law(ld, v, &q) != 0)
			return -1;
	}
	return 0;
}

/* default_variant: and variants:, after the laws they read. */
static int load_variants(struct loader *ld, yaml_node_t *root)
{
	yaml_node_t *def = yamldoc_map_get(&ld->y, root, "default_variant");
	yaml_node_t *n = yamldoc_map_get(&ld->y, root, "variants");
	struct yamldoc_pair p;
	const char *name;

	if (def != NULL && (name_at(ld, def, "default_variant", &name) != 0 ||
	                    model_set_string(&ld->m->default_variant, name,
	                                     ld->err) != 0))
		return -1;
	if (n == NULL)
		return 0;
	if (yamldoc_expect_map(&ld->y, n, "variants", ld->err) != 0)
		return -1;
	for (size_t i = 0; i < yamldoc_map_size(n); i++) {
		yamldoc_map_pair(&ld->y, n, i, &p);
		if (load_variant(ld, &p) != 0) {
			mp_error_prefix(ld->err, "variant '%s'", p.key);
			return -1;
		}
	}
	return 0;
}

/* ---- data_constrained: -------------------------------------------------- */

static const struct yamldoc_key datacon_keys[] = {
	{ "R_D_star", 1 }, { "R_N_star", 1 }, { "U_N_law", 1 }, { "source", 1 },
	{ "note", 0 }, { NULL, 0 },
};

/* A positive number under key of n, or -1 at its node. */
static int positive_at(struct loader *ld, yaml_node_t *n, const char *key,
                       double *out)
{
	yaml_node_t *v = yamldoc_map_get(&ld->y, n, key);

	if (yamldoc_number(&ld->y, v, out, ld->err) != 0) {
		mp_error_prefix(ld->err, "data_constrained: %s", key);
		return -1;
	}
	if (!(*out > 0))
		return yamldoc_error(&ld->y, v, ld->err, "data_constrained: %s must "
		                     "be positive (got %g)", key, *out);
	return 0;
}

/* Symbol name of law L as a constant: a coefficient's value, or a derived
 * quantity that is the same at both ends of the fit box.  -1 if L has no
 * such constant. */
static int law_constant(const struct law *L, const char *name, double *out)
{
	double lo[LAW_MAX_VARS], hi[LAW_MAX_VARS], a, b;
	int i = law_coef_index(L, name);

	if (i >= 0) {
		*out = L->coef_value[i];
		return isfinite(*out) ? 0 : -1;
	}
	for (size_t k = 0; k < L->n_derived; k++) {
		if (strcmp(L->derived_name[k], name) != 0)
			continue;
		for (size_t v = 0; v < L->n_vars; v++) {
			lo[v] = isnan(L->vars[v].fit_lo) ? 1 : L->vars[v].fit_lo;
			hi[v] = isnan(L->vars[v].fit_hi) ? 2 : L->vars[v].fit_hi;
		}
		a = law_derived(L, k, lo);
		b = law_derived(L, k, hi);
		if (!isfinite(a) || a != b)
			return -1;
		*out = a;
		return 0;
	}
	return -1;
}

/* U_N_law: the law whose Chinchilla frontier gives U_N. */
static int load_un_law(struct loader *ld, struct datacon *dc, yaml_node_t *v)
{
	static const char *const names[] = { "A", "B", "alpha", "beta" };
	double c[4];
	const struct law *L;
	const char *name;

	if (name_at(ld, v, "data_constrained: U_N_law", &name) != 0)
		return -1;
	if ((L = model_law(ld->m, name)) == NULL)
		return yamldoc_error(&ld->y, v, ld->err, "data_constrained: U_N_law "
		                     "'%s' is not a law of this file", name);
	for (size_t i = 0; i < 4; i++)
		if (law_constant(L, names[i], &c[i]) != 0)
			return yamldoc_error(&ld->y, v, ld->err, "data_constrained: "
			                     "U_N_law '%s' has no constant '%s' (the "
			                     "U_N rule needs Chinchilla's A, B, alpha, "
			                     "beta)", name, names[i]);
	if (datacon_set_un(dc, c[0], c[1], c[2], c[3], ld->err) != 0) {
		yamldoc_locate(&ld->y, v, ld->err);
		mp_error_prefix(ld->err, "data_constrained: U_N_law '%s'", name);
		return -1;
	}
	return model_set_string(&dc->law, name, ld->err);
}

static int load_datacon_into(struct loader *ld, struct datacon *dc,
                             yaml_node_t *n)
{
	struct yamldoc *y = &ld->y;
	double rd, rn;
	const char *s;
	int found;

	if (yamldoc_check_keys(y, n, datacon_keys, "data_constrained",
	                       ld->err) != 0 ||
	    positive_at(ld, n, "R_D_star", &rd) != 0 ||
	    positive_at(ld, n, "R_N_star", &rn) != 0)
		return -1;
	if (datacon_set(dc, rd, rn, ld->err) != 0) {
		yamldoc_locate(y, n, ld->err);
		mp_error_prefix(ld->err, "data_constrained");
		return -1;
	}
	if (load_un_law(ld, dc, yamldoc_map_get(y, n, "U_N_law")) != 0)
		return -1;
	if (yamldoc_get_string(y, n, "source", &s, &found, ld->err) != 0 ||
	    model_set_string(&dc->source, s, ld->err) != 0) {
		mp_error_prefix(ld->err, "data_constrained: source");
		return -1;
	}
	if (yamldoc_get_string(y, n, "note", &s, &found, ld->err) != 0 ||
	    (found && model_set_string(&dc->note, s, ld->err) != 0)) {
		mp_error_prefix(ld->err, "data_constrained: note");
		return -1;
	}
	return 0;
}

/* data_constrained:, after the laws it names. */
static int load_datacon(struct loader *ld, yaml_node_t *root)
{
	yaml_node_t *n = yamldoc_map_get(&ld->y, root, "data_constrained");

	if (n == NULL)
		return 0;
	if ((ld->m->data_constrained = datacon_new()) == NULL)
		return yamldoc_error(&ld->y, n, ld->err, "out of memory");
	return load_datacon_into(ld, ld->m->data_constrained, n);
}

/* ---- the file ------------------------------------------------------------ */

static int load_strings(struct loader *ld, yaml_node_t *root)
{
	static const char *const provenances[] = { "paper", "extract", "derived",
	                                           "fitted", NULL };
	struct yamldoc *y = &ld->y;
	yaml_node_t *prov = yamldoc_map_get(y, root, "provenance");
	const char *s;
	int found, i;

	if (yamldoc_get_string(y, root, "title", &s, &found, ld->err) != 0 ||
	    model_set_string(&ld->m->title, s, ld->err) != 0)
		return -1;
	if (yamldoc_get_string(y, root, "note", &s, &found, ld->err) != 0 ||
	    (found && model_set_string(&ld->m->note, s, ld->err) != 0))
		return -1;
	if (yamldoc_enum(y, prov, provenances, &i, ld->err) != 0) {
		mp_error_prefix(ld->err, "provenance");
		return -1;
	}
	return model_set_string(&ld->m->provenance, provenances[i], ld->err);
}

static int load_root(struct loader *ld, const char *path)
{
	struct yamldoc *y = &ld->y;
	yaml_node_t *root = yamldoc_root(y), *shape;
	const char *name;
	long version;

	if (yamldoc_check_keys(y, root, top_keys, "model file", ld->err) != 0)
		return -1;
	if (yamldoc_int(y, yamldoc_map_get(y, root, "version"), LONG_MIN, LONG_MAX,
	                &version, ld->err) != 0) {
		mp_error_prefix(ld->err, "version");
		return -1;
	}
	if (version != 1)
		return yamldoc_error(y, yamldoc_map_get(y, root, "version"), ld->err,
		                     "unsupported model file version %ld (this "
		                     "moeplan reads version 1)", version);
	if (name_at(ld, yamldoc_map_get(y, root, "name"), "name", &name) != 0)
		return -1;
	if ((ld->m = model_new(name)) == NULL)
		return mp_error_at(ld->err, path, 0, 0, "out of memory");
	if (model_set_string(&ld->m->file, path, ld->err) != 0 ||
	    load_strings(ld, root) != 0 ||
	    load_source(ld, yamldoc_map_get(y, root, "source")) != 0 ||
	    load_units(ld, yamldoc_map_get(y, root, "units")) != 0)
		return -1;
	shape = yamldoc_map_get(y, root, "shape");
	if (shape != NULL && load_shape(ld, shape) != 0)
		return -1;
	if (load_laws(ld, yamldoc_map_get(y, root, "laws")) != 0 ||
	    load_datacon(ld, root) != 0)
		return -1;
	return load_variants(ld, root);
}

struct model *model_load(const char *path, struct mp_error *err)
{
	struct loader ld;

	memset(&ld, 0, sizeof ld);
	ld.err = err;
	mp_error_clear(err);
	if (yamldoc_load(&ld.y, path, err) != 0)
		return NULL;
	if (load_root(&ld, path) != 0) {
		yamldoc_locate(&ld.y, yamldoc_root(&ld.y), err);
		model_free(ld.m);
		ld.m = NULL;
	}
	yamldoc_free(&ld.y);
	return ld.m;
}

/* ---- finding model files ------------------------------------------------- */

struct model *model_open(const char *name_or_file, const char *models_dir,
                         struct mp_error *err)
{
	char *path = resolve_find(RESOLVE_MODEL, name_or_file, models_dir, err);
	struct model *m;

	if (path == NULL)
		return NULL;
	m = model_load(path, err);
	free(path);
	return m;
}

int model_split_spec(const char *spec, char **model, char **law,
                     struct mp_error *err)
{
	const char *colon = strrchr(spec, ':');

	*model = *law = NULL;
	if (colon != NULL && strchr(colon, '/') != NULL)
		colon = NULL;   /* a ':' inside a directory name */
	if (colon == NULL) {
		*model = strdup(spec);
	} else {
		if (colon == spec || colon[1] == '\0')
			return mp_error_set(err, "'%s': expected MODEL or MODEL:LAW",
			                    spec);
		*model = strndup(spec, (size_t)(colon - spec));
		*law = strdup(colon + 1);
	}
	if (*model == NULL || (colon != NULL && *law == NULL)) {
		free(*model);
		free(*law);
		*model = *law = NULL;
		return mp_error_set(err, "out of memory");
	}
	if (**model == '\0') {
		free(*model);
		*model = NULL;
		return mp_error_set(err, "empty model name");
	}
	return 0;
}
