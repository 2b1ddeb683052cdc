/*
 * model_load.h — reading model files (models/NAME.yaml) into struct model,
 * and finding them by name.
 *
 * The file format is described in man/moeplan-models.5 and in the comment at
 * the top of model_load.c.  Every error carries the file and the line and
 * column of the YAML node that caused it.  Strings returned by model_find,
 * model_list and model_split_spec are malloc'd; the caller frees them.
 */
#ifndef MP_MODEL_LOAD_H
#define MP_MODEL_LOAD_H

#include <stddef.h>

#include "core/error.h"
#include "core/model.h"

/* Load and check one model file; NULL with err filled on any error. */
struct model *model_load(const char *path, struct mp_error *err);

/* 1 if s names a file rather than a model: it contains '/' or ends ".yaml". */
int model_is_path(const char *s);

/*
 * The file for NAME (models_dir/NAME.yaml, which must exist) or FILE (any
 * text with '/' or ending ".yaml", returned as is).  NULL with err filled
 * when NAME is not a valid name or has no file in models_dir.
 */
char *model_find(const char *name_or_file, const char *models_dir,
                 struct mp_error *err);

/* model_find + model_load. */
struct model *model_open(const char *name_or_file, const char *models_dir,
                         struct mp_error *err);

/* Names of the models in dir (files NAME.yaml), sorted; *names is a
 * malloc'd array of malloc'd strings, freed by model_list_free. */
int model_list(const char *dir, char ***names, size_t *n, struct mp_error *err);
void model_list_free(char **names, size_t n);

/*
 * Split "MODEL[:LAW]" ("liew2025:upcycled", "models/x.yaml:dense") at its
 * last ':' (when what follows has no '/').  *law is NULL when no law is
 * named.  Returns -1 with err filled for an empty model or law name.
 */
int model_split_spec(const char *spec, char **model, char **law,
                     struct mp_error *err);

#endif
