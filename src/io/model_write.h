/*
 * model_write.h — writing a fitted law as a model file (moeplan fit
 * --output), atomically (emit_atomic_*: a temporary file, fsync, rename,
 * with SIGINT, SIGTERM and SIGHUP held), and only if it loads back.
 *
 * The file holds one law, L, as the loader reads it (model_load.c,
 * man/moeplan-models.5): its form, coefficients, variables (fit ranges as
 * given), its fitting: block and its fitted: block (L->fit), with the
 * source model's shape policy and provenance "fitted".  A baseline is not
 * written (it names a law the file does not hold), nor are variants.
 */
#ifndef MP_MODEL_WRITE_H
#define MP_MODEL_WRITE_H

#include "core/error.h"
#include "core/model.h"

struct model_write_info {
	const char *name;      /* the new model's name */
	const char *title;     /* one line */
	const char *where;     /* source: where ("moeplan fit of X to F") */
	int year;              /* source: year */
	const char *note;      /* the model's note, or NULL */
};

/* Write law L (with L->fit's result) of model src to path.  0, or -1 with
 * err (nothing written, an old file left whole). */
int model_write_fitted(const struct model *src, const struct law *L,
                       const struct model_write_info *info, const char *path,
                       struct mp_error *err);

#endif
