/*
 * model.h — a model file: one paper's fit, holding one or more laws, their
 * provenance and the shape policy used to realise architectures.
 *
 * Owns its strings, its laws and its data_constrained block; model_free
 * releases everything.
 */
#ifndef MP_MODEL_H
#define MP_MODEL_H

#include <stddef.h>

#include "datacon.h"
#include "error.h"
#include "law.h"
#include "shape.h"

#define MODEL_MAX_LAWS 16
#define MODEL_MAX_VARIANTS 8
#define MODEL_DEFAULT_VARIANT "default"

/*
 * A variant: an alternative reading of some of the file's laws that their
 * sources leave open (the log base of a term, say).  It holds, for each
 * law it touches, a separate law (law_variant) named as the law it
 * replaces; the laws it does not name are the file's own.
 */
struct model_variant {
	char *name;
	char *note;                        /* why it exists, or NULL */
	size_t n_laws;
	struct law *laws[MODEL_MAX_LAWS];
};

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
	/* the file's own reading is named default_variant ("default" unless
	 * the file says); the others are variant[0..n_variants) */
	char *default_variant;
	size_t n_variants;
	struct model_variant variant[MODEL_MAX_VARIANTS];
	/* the file's data_constrained: block (core/datacon.h): how repeated
	 * tokens and excess parameters decay, for any of its laws; NULL when
	 * the file has none; owned (model_free frees it) */
	struct datacon *data_constrained;
};

struct model *model_new(const char *name);
void model_free(struct model *m);
/* Takes ownership of L (also on failure). */
int model_add_law(struct model *m, struct law *L, struct mp_error *err);
/* Set one of the string fields (duplicates s). */
int model_set_string(char **field, const char *s, struct mp_error *err);

/* A new, empty variant named name; NULL with err when there are too many,
 * the name is taken (the default reading's too) or memory runs out. */
struct model_variant *model_add_variant(struct model *m, const char *name,
                                        struct mp_error *err);
/* Takes ownership of L (also on failure): L replaces the law of its name
 * in variant v, once. */
int model_variant_add_law(struct model_variant *v, struct law *L,
                          struct mp_error *err);
/* The reading named name: -1 for the file's own (default_variant), the
 * index of a variant, or -2 if there is none of that name. */
int model_variant_index(const struct model *m, const char *name);
/* The name of reading v (-1: the file's own). */
const char *model_variant_name(const struct model *m, int v);
/* L (a law of m) as reading v reads it: its variant's law, or L itself
 * when v is -1 or the variant does not touch it; NULL stays NULL. */
const struct law *model_law_in(const struct model *m, int v,
                               const struct law *L);

/* Law by name, or NULL. */
const struct law *model_law(const struct model *m, const char *name);
/* First law for a path, or NULL. */
const struct law *model_law_for_path(const struct model *m, enum law_path p);

#endif
