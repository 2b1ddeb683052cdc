/*
 * yamldoc.h — thin helpers over libyaml's document API for moeplan's data
 * files (model files, hardware profiles).
 *
 * yamldoc_load reads a whole regular file (at most YAMLDOC_MAX_BYTES; a
 * FIFO or device is refused without blocking) into one yaml_document_t.
 * It refuses aliases (no alias bombs, no cycles, and every error points at
 * the text that caused it), more than YAMLDOC_MAX_NODES nodes, nesting
 * deeper than YAMLDOC_MAX_DEPTH, more than one document, non-scalar
 * mapping keys and duplicate keys.
 * After that the document is a plain tree of scalars, sequences and mappings.
 *
 * Every getter reports errors through struct mp_error with the position of
 * the offending node, "file:line:col" 1-based (libyaml's marks are 0-based).
 * Callers add context with mp_error_prefix ("coefficient 'A': expected ...").
 *
 * Scalars are typed by the getters, not by YAML tags: a number is a plain
 * (unquoted) scalar that strtod reads completely and that is finite
 * ("1e18", "-0.5"; not "nan", ".inf", "1e999", "0x10", "12abc").  null is a
 * plain "", "~", "null", "Null" or "NULL".  Strings returned point into the
 * document and live until yamldoc_free.
 */
#ifndef MP_YAMLDOC_H
#define MP_YAMLDOC_H

#include <stddef.h>
#include <yaml.h>

#include "core/error.h"

#define YAMLDOC_MAX_BYTES (4L * 1024 * 1024)
#define YAMLDOC_MAX_NODES 1000000
#define YAMLDOC_MAX_DEPTH 64       /* nested sequences and mappings */

struct yamldoc {
	yaml_document_t doc;
	char *file;           /* the path as given, for messages */
	int loaded;
};

/* Load path.  On failure err holds "file:line:col: message" parts and the
 * yamldoc needs no freeing (yamldoc_free is harmless all the same). */
int yamldoc_load(struct yamldoc *y, const char *path, struct mp_error *err);
void yamldoc_free(struct yamldoc *y);

/* The root node (never NULL after a successful load). */
yaml_node_t *yamldoc_root(struct yamldoc *y);

/* Error at node n (the node's position); returns -1. */
int yamldoc_error(const struct yamldoc *y, const yaml_node_t *n,
                  struct mp_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#ifdef __clang_analyzer__     /* always -1: see core/error.h */
#define yamldoc_error(...) (yamldoc_error(__VA_ARGS__), -1)
#endif
/* Give err the position of n if it has none yet. */
void yamldoc_locate(const struct yamldoc *y, const yaml_node_t *n,
                    struct mp_error *err);
/* 1-based line and column of n. */
int yamldoc_line(const yaml_node_t *n);
int yamldoc_col(const yaml_node_t *n);

/* What a node is, for messages: "a mapping", "a sequence", "null",
 * or the scalar quoted ('abc'). */
const char *yamldoc_describe(const yaml_node_t *n, char *buf, size_t size);
int yamldoc_is_null(const yaml_node_t *n);

/* ---- mappings ---------------------------------------------------------- */

struct yamldoc_pair {
	const char *key;
	yaml_node_t *key_node;
	yaml_node_t *value;
};

/* -1 with "expected a mapping, got ..." unless n is a mapping
 * (what names the thing expected, e.g. "law 'dense'"). */
int yamldoc_expect_map(const struct yamldoc *y, const yaml_node_t *n,
                       const char *what, struct mp_error *err);
/* Number of pairs of a mapping (0 for anything else). */
size_t yamldoc_map_size(const yaml_node_t *map);
/* Pair i (document order) of a mapping.  Keys are scalars (checked at load). */
void yamldoc_map_pair(struct yamldoc *y, const yaml_node_t *map, size_t i,
                      struct yamldoc_pair *out);
/* Value of key, or NULL. */
yaml_node_t *yamldoc_map_get(struct yamldoc *y, const yaml_node_t *map,
                             const char *key);

/* A key table: the keys a mapping may have.  Terminated by { NULL, 0 }. */
struct yamldoc_key {
	const char *name;
	int required;
};
/* Checks that map is a mapping, has no key outside table ("unknown key
 * 'x' in WHAT (expected one of: ...)", at the key) and every required key
 * ("missing key 'x' in WHAT", at the mapping). */
int yamldoc_check_keys(struct yamldoc *y, const yaml_node_t *map,
                       const struct yamldoc_key *table, const char *what,
                       struct mp_error *err);

/* ---- typed scalars ----------------------------------------------------- */

int yamldoc_number(const struct yamldoc *y, const yaml_node_t *n,
                   double *out, struct mp_error *err);
/* A number, or null (-> *out = NAN, *is_null = 1). */
int yamldoc_number_or_null(const struct yamldoc *y, const yaml_node_t *n,
                           double *out, int *is_null, struct mp_error *err);
/* Any non-null scalar, quoted or not. */
int yamldoc_string(const struct yamldoc *y, const yaml_node_t *n,
                   const char **out, struct mp_error *err);
/* A plain integer in [lo, hi]. */
int yamldoc_int(const struct yamldoc *y, const yaml_node_t *n, long lo,
                long hi, long *out, struct mp_error *err);
/* true/false (also True/TRUE/False/FALSE). */
int yamldoc_bool(const struct yamldoc *y, const yaml_node_t *n, int *out,
                 struct mp_error *err);
/* A sequence of numbers; *out is malloc'd (NULL when empty), caller frees.
 * min_len/max_len bound the length (max_len 0 = no bound). */
int yamldoc_number_list(const struct yamldoc *y, const yaml_node_t *n,
                        size_t min_len, size_t max_len, double **out,
                        size_t *len, struct mp_error *err);
/* A scalar that must be one of names (NULL-terminated); *out is its index. */
int yamldoc_enum(const struct yamldoc *y, const yaml_node_t *n,
                 const char *const *names, int *out, struct mp_error *err);

/* v as a data file would write it: the shortest %g form of at most
 * `digits` significant digits, exponent trimmed ("7e9", "1.5852e21",
 * "0.088", "-2.5e-4", "4096"); returns buf. */
const char *yamldoc_fmt_number(double v, int digits, char *buf, size_t size);

/* Getters by key: 0 and *found = 0 when the key is absent. */
int yamldoc_get_number(struct yamldoc *y, const yaml_node_t *map,
                       const char *key, double *out, int *found,
                       struct mp_error *err);
int yamldoc_get_string(struct yamldoc *y, const yaml_node_t *map,
                       const char *key, const char **out, int *found,
                       struct mp_error *err);

#endif
