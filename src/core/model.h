/*
 * model.h — a model file: one paper's fit, holding one or more laws, their
 * provenance and the shape policy used to realise architectures.
 *
 * Owns its strings and its laws; model_free releases everything.
 */
#ifndef MP_MODEL_H
#define MP_MODEL_H

#include <stddef.h>

#include "error.h"
#include "law.h"
#include "shape.h"

#define MODEL_MAX_LAWS 16

struct model {
	char *name;          /* e.g. "liew2025" */
	char *file;          /* path it was loaded from */
	char *title;         /* one line */
	char *source;        /* citation: authors, year, arXiv id, table/eq. */
	char *provenance;    /* "paper", "extract" or "derived" */
	char *note;          /* caveats, or NULL */
	struct shape_policy shape;
	size_t n_laws;
	struct law *laws[MODEL_MAX_LAWS];
};

struct model *model_new(const char *name);
void model_free(struct model *m);
/* Takes ownership of L (also on failure). */
int model_add_law(struct model *m, struct law *L, struct mp_error *err);
/* Set one of the string fields (duplicates s). */
int model_set_string(char **field, const char *s, struct mp_error *err);

/* Law by name, or NULL. */
const struct law *model_law(const struct model *m, const char *name);
/* First law for a path, or NULL. */
const struct law *model_law_for_path(const struct model *m, enum law_path p);

#endif
