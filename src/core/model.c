/*
 * model.c — the container of a model file's laws (see model.h).
 */
#include "config.h"

#include "model.h"

#include <stdlib.h>
#include <string.h>

struct model *model_new(const char *name)
{
	struct model *m = calloc(1, sizeof *m);

	if (m == NULL)
		return NULL;
	m->name = strdup(name ? name : "");
	if (m->name == NULL) {
		free(m);
		return NULL;
	}
	shape_policy_default(&m->shape);
	return m;
}

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_laws; i++)
		law_free(m->laws[i]);
	for (size_t v = 0; v < m->n_variants; v++) {
		for (size_t i = 0; i < m->variant[v].n_laws; i++)
			law_free(m->variant[v].laws[i]);
		free(m->variant[v].name);
		free(m->variant[v].note);
	}
	datacon_free(m->data_constrained);
	free(m->default_variant);
	free(m->name);
	free(m->file);
	free(m->title);
	free(m->source);
	free(m->provenance);
	free(m->note);
	free(m);
}

int model_add_law(struct model *m, struct law *L, struct mp_error *err)
{
	if (m->n_laws == MODEL_MAX_LAWS) {
		law_free(L);
		return mp_error_set(err, "too many laws (at most %d)", MODEL_MAX_LAWS);
	}
	if (model_law(m, L->name) != NULL) {
		mp_error_set(err, "duplicate law '%s'", L->name);
		law_free(L);
		return -1;
	}
	m->laws[m->n_laws++] = L;
	return 0;
}

int model_set_string(char **field, const char *s, struct mp_error *err)
{
	char *copy = strdup(s);

	if (copy == NULL)
		return mp_error_set(err, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

const struct law *model_law(const struct model *m, const char *name)
{
	for (size_t i = 0; i < m->n_laws; i++)
		if (strcmp(m->laws[i]->name, name) == 0)
			return m->laws[i];
	return NULL;
}

const struct law *model_law_for_path(const struct model *m, enum law_path p)
{
	for (size_t i = 0; i < m->n_laws; i++)
		if (m->laws[i]->path == p)
			return m->laws[i];
	return NULL;
}

/* ---- variants ------------------------------------------------------------ */

struct model_variant *model_add_variant(struct model *m, const char *name,
                                        struct mp_error *err)
{
	struct model_variant *v;

	if (m->n_variants == MODEL_MAX_VARIANTS) {
		mp_error_set(err, "too many variants (at most %d)",
		             MODEL_MAX_VARIANTS);
		return NULL;
	}
	if (model_variant_index(m, name) != -2) {
		mp_error_set(err, "the name is taken%s",
		             model_variant_index(m, name) == -1 ?
		             " by the file's own reading (default_variant)" : "");
		return NULL;
	}
	v = &m->variant[m->n_variants];
	memset(v, 0, sizeof *v);
	if ((v->name = strdup(name)) == NULL) {
		mp_error_set(err, "out of memory");
		return NULL;
	}
	m->n_variants++;
	return v;
}

int model_variant_add_law(struct model_variant *v, struct law *L,
                          struct mp_error *err)
{
	for (size_t i = 0; i < v->n_laws; i++)
		if (strcmp(v->laws[i]->name, L->name) == 0) {
			mp_error_set(err, "variant '%s': law '%s' twice", v->name,
			             L->name);
			law_free(L);
			return -1;
		}
	if (v->n_laws == MODEL_MAX_LAWS) {
		law_free(L);
		return mp_error_set(err, "too many laws (at most %d)", MODEL_MAX_LAWS);
	}
	v->laws[v->n_laws++] = L;
	return 0;
}

int model_variant_index(const struct model *m, const char *name)
{
	if (strcmp(name, model_variant_name(m, -1)) == 0)
		return -1;
	for (size_t v = 0; v < m->n_variants; v++)
		if (strcmp(m->variant[v].name, name) == 0)
			return (int)v;
	return -2;
}

const char *model_variant_name(const struct model *m, int v)
{
	if (v >= 0 && (size_t)v < m->n_variants)
		return m->variant[v].name;
	return m->default_variant ? m->default_variant : MODEL_DEFAULT_VARIANT;
}

const struct law *model_law_in(const struct model *m, int v,
                               const struct law *L)
{
	const struct model_variant *mv;

	if (L == NULL || v < 0 || (size_t)v >= m->n_variants)
		return L;
	mv = &m->variant[v];
	for (size_t i = 0; i < mv->n_laws; i++)
		if (strcmp(mv->laws[i]->name, L->name) == 0)
			return mv->laws[i];
	return L;
}
