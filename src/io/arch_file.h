/*
 * arch_file.h — reading an architecture from a small YAML file (the
 * `--arch FILE` of `moeplan flops` and `moeplan cost`).
 *
 * The file is one mapping whose keys are those of arch_keys (arch_spec.h):
 *
 *     # Mixtral 8x7B (mistralai/Mixtral-8x7B-v0.1, config.json)
 *     layers: 32
 *     d_model: 4096
 *     heads: 32
 *     kv_heads: 8
 *     d_ff: 14336
 *     experts: 8
 *     top_k: 2
 *
 * Unknown or repeated keys, values that do not parse and inconsistent sizes
 * are errors carrying the file, line and column (1-based) of the key or
 * value at fault.  Nothing is kept open or allocated after return.
 *
 * A Hugging Face config.json is read too (io/hf_config.h): a file ending
 * in .json, or one whose mapping has a model_type or architectures key.
 */
#ifndef MP_ARCH_FILE_H
#define MP_ARCH_FILE_H

#include <stddef.h>

#include "core/arch.h"
#include "core/error.h"

/* Load path into *a (which then passed arch_check); -1 with err set. */
int arch_file_load(const char *path, struct arch *a, struct mp_error *err);

/* The architecture of an --arch NAME or FILE argument (io/resolve.h:
 * "mixtral-8x7b" is share/arch/mixtral-8x7b.yaml, "deepseek-v3" is
 * share/arch/deepseek-v3.json), loaded. */
int arch_file_open(const char *name_or_file, struct arch *a,
                   struct mp_error *err);

/* The same, with note (n bytes) set to "" or to one line a front end
 * should show: how a config of an unknown family was read. */
int arch_file_load_noted(const char *path, struct arch *a, char *note,
                         size_t n, struct mp_error *err);
int arch_file_open_noted(const char *name_or_file, struct arch *a, char *note,
                         size_t n, struct mp_error *err);

#endif
