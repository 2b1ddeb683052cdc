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
