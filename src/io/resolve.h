/*
 * resolve.h — the one rule that turns a NAME or FILE argument into a file,
 * for every kind of data file moeplan reads by name: model files (--laws),
 * hardware profiles (--hardware) and architectures (--arch); and the list
 * of what is installed, by the same search.
 *
 * The rule:
 *   - an argument with a '/' or ending in ".yaml" or ".json" is a file,
 *     used as given; it must be a regular file (a directory, FIFO or device is
 *     refused here, before a loader could block on it);
 *   - anything else is a NAME (letters, digits, '.', '_' and '-'), found as
 *     NAME.yaml in the kind's directories, first match wins:
 *       models:   --models-dir DIR if given (only it), else
 *                 datadir_find("models") (datadir.h);
 *       hardware: datadir_find("hardware"), then the calibrated profiles
 *                 (profile_dir(), profile.h);
 *       arch:     datadir_find("arch"), NAME.yaml and then NAME.json (a
 *                 Hugging Face config.json, io/hf_config.h); resolve_list
 *                 lists the .yaml ones.
 * An unknown name is an error naming every directory searched.
 *
 * Returned paths and lists are malloc'd; the caller frees them
 * (resolve_list_free for lists).
 */
#ifndef MP_RESOLVE_H
#define MP_RESOLVE_H

#include <stddef.h>

#include "core/error.h"

enum resolve_kind { RESOLVE_MODEL, RESOLVE_HARDWARE, RESOLVE_ARCH,
                    RESOLVE_KINDS };

/* "model", "hardware", "arch": the kind as messages and `moeplan list`
 * name it; resolve_kind_parse takes those and "models". 0 or -1. */
const char *resolve_kind_name(enum resolve_kind k);
int resolve_kind_parse(const char *s, enum resolve_kind *k);

/* 1 if arg is a FILE by the rule above, 0 if it is a NAME. */
int resolve_is_file(const char *arg);

/* The file for arg; override is --models-dir (models only, else NULL).
 * NULL with err when arg is not a regular file, not a valid name, or no
 * directory has NAME.yaml. */
char *resolve_find(enum resolve_kind k, const char *arg, const char *override,
                   struct mp_error *err);

/* What is installed: each NAME.yaml of the kind's directories in search
 * order, sorted by name within a directory; a name found again in a later
 * directory is left out (the first one is what resolve_find gives).
 * Missing directories add nothing.  0, or -1 with err. */
struct resolve_entry {
	char *name;
	char *path;
};
int resolve_list(enum resolve_kind k, const char *override,
                 struct resolve_entry **out, size_t *n, struct mp_error *err);
void resolve_list_free(struct resolve_entry *list, size_t n);

#endif
