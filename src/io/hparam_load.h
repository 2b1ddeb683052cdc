/*
 * hparam_load.h — reads a batch-size / learning-rate law file
 * (share/hparams/NAME.yaml) into struct hparams (core/hparams.h).
 *
 *   version: 1
 *   name: deepseek2024                      letters, digits, '_', '-'
 *   title: "one line"
 *   source: { authors: "...", year: 2024, arxiv: "...", where: "..." }
 *   provenance: paper | extract | derived | fitted
 *   compute: "what C means"                 the source's compute definition
 *   batch: { coefficient: 0.2920, exponent: 0.3271, unit: tokens }
 *   learning_rate: { coefficient: 0.3118, exponent: -0.1250 }
 *   fit: { compute: [lo, hi] }              FLOPs the law was fitted on
 *   note: "..."                             optional
 *
 * Errors name file:line:col of the node at fault.  The caller owns the
 * returned struct (hparams_free).
 */
#ifndef MP_HPARAM_LOAD_H
#define MP_HPARAM_LOAD_H

#include "core/error.h"
#include "core/hparams.h"

/* Load path; NULL with err on failure. */
struct hparams *hparam_load(const char *path, struct mp_error *err);

/* name_or_file: a path (it has a '/' or ends in .yaml) or a NAME looked up
 * as DIR/NAME.yaml, DIR from datadir_find("hparams", dir) (dir: an
 * override or NULL). */
struct hparams *hparam_open(const char *name_or_file, const char *dir,
                            struct mp_error *err);

#endif
