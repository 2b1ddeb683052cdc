/*
 * hparam_load.c — the batch-size / learning-rate law files (format in
 * hparam_load.h) into struct hparams, every error at its YAML node.
 */
#include "config.h"

#include "io/hparam_load.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/datadir.h"
#include "io/yamldoc.h"

static const struct yamldoc_key top_keys[] = {
	{ "version", 1 }, { "name", 1 }, { "title", 1 }, { "source", 1 },
	{ "provenance", 1 }, { "compute", 1 }, { "batch", 1 },
	{ "learning_rate", 1 }, { "fit", 1 }, { "note", 0 }, { NULL, 0 },
};
static const struct yamldoc_key source_keys[] = {
	{ "authors", 1 }, { "year", 1 }, { "arxiv", 0 }, { "where", 1 },
	{ NULL, 0 },
};
static const struct yamldoc_key batch_keys[] = {
	{ "coefficient", 1 }, { "exponent", 1 }, { "unit", 1 }, { NULL, 0 },
};
static const struct yamldoc_key lr_keys[] = {
	{ "coefficient", 1 }, { "exponent", 1 }, { NULL, 0 },
};
static const struct yamldoc_key fit_keys[] = {
	{ "compute", 1 }, { NULL, 0 },
};

static int set_string(char **field, const char *s, struct mp_error *err)
{
	if ((*field = strdup(s)) == NULL)
		return mp_error_set(err, "out of memory");
	return 0;
}

/* source: as "Authors YEAR, arXiv:ID, WHERE" (model_load.c's form). */
static int load_source(struct yamldoc *y, yaml_node_t *n, struct hparams *h,
                       struct mp_error *err)
{
	const char *authors, *arxiv = NULL, *where;
	char buf[512];
	long year;
	int found;

	if (yamldoc_check_keys(y, n, source_keys, "source", err) != 0 ||
	    yamldoc_get_string(y, n, "authors", &authors, &found, err) != 0 ||
	    yamldoc_get_string(y, n, "arxiv", &arxiv, &found, err) != 0 ||
	    yamldoc_get_string(y, n, "where", &where, &found, err) != 0)
		return -1;
	if (yamldoc_int(y, yamldoc_map_get(y, n, "year"), 1900, 2100, &year,
	                err) != 0) {
		mp_error_prefix(err, "source: year");
		return -1;
	}
	if (arxiv != NULL)
		snprintf(buf, sizeof buf, "%s %ld, arXiv:%s, %s", authors, year,
		         arxiv, where);
	else
		snprintf(buf, sizeof buf, "%s %ld, %s", authors, year, where);
	return set_string(&h->source, buf, err);
}

/* coefficient and exponent of mapping n (what: "batch", "learning_rate"). */
static int load_power(struct yamldoc *y, yaml_node_t *n, const char *what,
                      const struct yamldoc_key *keys, double *coef,
                      double *expo, struct mp_error *err)
{
	int found;

	if (yamldoc_check_keys(y, n, keys, what, err) != 0)
		return -1;
	if (yamldoc_get_number(y, n, "coefficient", coef, &found, err) != 0 ||
	    yamldoc_get_number(y, n, "exponent", expo, &found, err) != 0) {
		mp_error_prefix(err, "%s", what);
		return -1;
	}
	if (!(*coef > 0))
		return yamldoc_error(y, yamldoc_map_get(y, n, "coefficient"), err,
		                     "%s: coefficient must be positive (got %g)",
		                     what, *coef);
	return 0;
}

static int load_batch_unit(struct yamldoc *y, yaml_node_t *n,
                           struct mp_error *err)
{
	static const char *const units[] = { "tokens", NULL };
	int i;

	if (yamldoc_enum(y, yamldoc_map_get(y, n, "unit"), units, &i, err) != 0) {
		mp_error_prefix(err, "batch: unit");
		return -1;
	}
	return 0;
}

static int load_fit(struct yamldoc *y, yaml_node_t *n, double *lo,
                    double *hi, struct mp_error *err)
{
	yaml_node_t *v;
	double *r = NULL;
	size_t len;

	if (yamldoc_check_keys(y, n, fit_keys, "fit", err) != 0)
		return -1;
	v = yamldoc_map_get(y, n, "compute");
	if (yamldoc_number_list(y, v, 2, 2, &r, &len, err) != 0) {
		mp_error_prefix(err, "fit: compute");
		return -1;
	}
	*lo = r[0];
	*hi = r[1];
	free(r);
	if (!(*lo > 0 && *lo <= *hi))
		return yamldoc_error(y, v, err, "fit: compute must be [lo, hi] with "
		                     "0 < lo <= hi (got [%g, %g])", *lo, *hi);
	return 0;
}

static int load_strings(struct yamldoc *y, yaml_node_t *root,
                        struct hparams *h, struct mp_error *err)
{
	static const char *const provenances[] = { "paper", "extract", "derived",
	                                           "fitted", NULL };
	const char *s;
	int found, i;

	if (yamldoc_get_string(y, root, "name", &s, &found, err) != 0 ||
	    set_string(&h->name, s, err) != 0 ||
	    yamldoc_get_string(y, root, "title", &s, &found, err) != 0 ||
	    yamldoc_get_string(y, root, "compute", &s, &found, err) != 0 ||
	    set_string(&h->compute, s, err) != 0 ||
	    yamldoc_get_string(y, root, "note", &s, &found, err) != 0 ||
	    (found && set_string(&h->note, s, err) != 0))
		return -1;
	if (yamldoc_enum(y, yamldoc_map_get(y, root, "provenance"), provenances,
	                 &i, err) != 0) {
		mp_error_prefix(err, "provenance");
		return -1;
	}
	return 0;
}

static int load_root(struct yamldoc *y, struct hparams *h,
                     struct mp_error *err)
{
	yaml_node_t *root = yamldoc_root(y), *version;
	double bc, be, lc, le, lo, hi;
	long v;

	if (yamldoc_check_keys(y, root, top_keys, "hparams file", err) != 0)
		return -1;
	version = yamldoc_map_get(y, root, "version");
	if (yamldoc_int(y, version, LONG_MIN, LONG_MAX, &v, err) != 0) {
		mp_error_prefix(err, "version");
		return -1;
	}
	if (v != 1)
		return yamldoc_error(y, version, err, "unsupported hparams file "
		                     "version %ld (this moeplan reads version 1)", v);
	if (load_strings(y, root, h, err) != 0 ||
	    load_source(y, yamldoc_map_get(y, root, "source"), h, err) != 0 ||
	    load_power(y, yamldoc_map_get(y, root, "batch"), "batch", batch_keys,
	               &bc, &be, err) != 0 ||
	    load_batch_unit(y, yamldoc_map_get(y, root, "batch"), err) != 0 ||
	    load_power(y, yamldoc_map_get(y, root, "learning_rate"),
	               "learning_rate", lr_keys, &lc, &le, err) != 0 ||
	    load_fit(y, yamldoc_map_get(y, root, "fit"), &lo, &hi, err) != 0)
		return -1;
	if (hparams_set(h, bc, be, lc, le, lo, hi, err) != 0) {
		yamldoc_locate(y, root, err);
		return -1;
	}
	return 0;
}

struct hparams *hparam_load(const char *path, struct mp_error *err)
{
	struct yamldoc y;
	struct hparams *h;

	memset(&y, 0, sizeof y);
	mp_error_clear(err);
	if (yamldoc_load(&y, path, err) != 0)
		return NULL;
	if ((h = hparams_new()) == NULL) {
		mp_error_at(err, path, 0, 0, "out of memory");
	} else if (load_root(&y, h, err) != 0) {
		yamldoc_locate(&y, yamldoc_root(&y), err);
		hparams_free(h);
		h = NULL;
	}
	yamldoc_free(&y);
	return h;
}

struct hparams *hparam_open(const char *name_or_file, const char *dir,
                            struct mp_error *err)
{
	size_t len = strlen(name_or_file);
	struct hparams *h;
	char *d, *path;

	if (strchr(name_or_file, '/') != NULL ||
	    (len > 5 && strcmp(name_or_file + len - 5, ".yaml") == 0))
		return hparam_load(name_or_file, err);
	if ((d = datadir_find("hparams", dir, err)) == NULL)
		return NULL;
	path = malloc(strlen(d) + len + 7);
	if (path == NULL) {
		free(d);
		mp_error_set(err, "out of memory");
		return NULL;
	}
	sprintf(path, "%s/%s.yaml", d, name_or_file);
	free(d);
	h = hparam_load(path, err);
	free(path);
	return h;
}
