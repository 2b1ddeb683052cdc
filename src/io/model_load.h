/*
 * model_load.h — reading model files (models/NAME.yaml) into struct model,
 * by name or file (io/resolve.h finds them).
 *
 * The file format is described in man/moeplan-models.5 and in the comment at
 * the top of model_load.c.  Every error carries the file and the line and
 * column of the YAML node that caused it.  Strings returned by
 * model_split_spec are malloc'd; the caller frees them.
 */
#ifndef MP_MODEL_LOAD_H
#define MP_MODEL_LOAD_H

#include <stddef.h>

#include "core/error.h"
#include "core/model.h"

/* Load and check one model file; NULL with err filled on any error. */
struct model *model_load(const char *path, struct mp_error *err);

/* The model file of a NAME or FILE argument (resolve.h; models_dir is
 * --models-dir, or NULL for the data directories), loaded. */
struct model *model_open(const char *name_or_file, const char *models_dir,
                         struct mp_error *err);

/*
 * Split "MODEL[:LAW]" ("liew2025:upcycled", "models/x.yaml:dense") at its
 * last ':' (when what follows has no '/').  *law is NULL when no law is
 * named.  Returns -1 with err filled for an empty model or law name.
 */
int model_split_spec(const char *spec, char **model, char **law,
                     struct mp_error *err);

#endif
