/*
 * emit.h — a small streaming writer for JSON and YAML, and atomic file
 * output.
 *
 * One call sequence writes either format: begin/end objects and arrays,
 * keys, strings, numbers, booleans, null.  JSON is indented by two spaces;
 * YAML is block style (empty containers as {} and []), strings plain when
 * that is unambiguous, double-quoted with JSON-style escapes otherwise.
 * Numbers are written in the shortest form that reads back to the same
 * double (at most %.17g; whole numbers below 1e15 in full); in YAML they always read as numbers under both
 * YAML 1.1 and 1.2 ("1.0e+22", never "1e+22").  Non-finite numbers are
 * written as null — callers must not pass them.
 *
 * The writer holds no allocation: a struct emit lives on the caller's
 * stack.  Misuse (a key inside an array, a value without a key inside an
 * object, unbalanced ends, nesting deeper than EMIT_MAX_DEPTH) is recorded
 * and reported by emit_finish, as is a stream error.
 *
 * emit_atomic_*: write a file through a temporary file in the same
 * directory, renamed over the target on commit; abort (or a failed commit)
 * removes the temporary file and leaves the old target intact.  A symlink
 * is followed (its target is replaced, not the link); a directory is
 * refused; a device or FIFO (/dev/null, /dev/stdout) is written in place,
 * never renamed over.  From the temporary file's creation to the rename
 * (or its removal), SIGINT, SIGTERM and SIGHUP are held: one that arrives
 * meanwhile is delivered after, so that no signal leaves a temporary file
 * behind or the target half-replaced (a write in place is not held: a FIFO
 * with no reader must stay interruptible).
 */
#ifndef MP_EMIT_H
#define MP_EMIT_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "core/error.h"

#define EMIT_MAX_DEPTH 32
/* Room for any number emit_fmt_number writes. */
#define EMIT_NUM_LEN 32

enum emit_format { EMIT_JSON, EMIT_YAML };

struct emit_level {
	char type;      /* 'o' object, 'a' array */
	int inline_first; /* YAML: first entry goes on the "- " line */
	size_t n;       /* entries written so far */
	int indent;     /* column of the entries */
};

struct emit {
	FILE *f;
	enum emit_format format;
	int depth;              /* open containers */
	int have_key;           /* a key was written, its value is due */
	int root;               /* the document's root value was begun */
	int started;            /* anything written yet */
	int misuse;             /* the call sequence was wrong */
	struct emit_level st[EMIT_MAX_DEPTH];
};

void emit_init(struct emit *e, FILE *f, enum emit_format format);

void emit_object_begin(struct emit *e);
void emit_object_end(struct emit *e);
void emit_array_begin(struct emit *e);
void emit_array_end(struct emit *e);
void emit_key(struct emit *e, const char *key);

void emit_string(struct emit *e, const char *s);   /* NULL writes null */
void emit_number(struct emit *e, double v);        /* non-finite: null */
void emit_int(struct emit *e, long long v);
void emit_bool(struct emit *e, int b);
void emit_null(struct emit *e);

/* key + value in one call. */
void emit_kv_string(struct emit *e, const char *key, const char *s);
void emit_kv_number(struct emit *e, const char *key, double v);
void emit_kv_int(struct emit *e, const char *key, long long v);
void emit_kv_bool(struct emit *e, const char *key, int b);
void emit_kv_null(struct emit *e, const char *key);

/* Ends the document with a newline.  0, or -1 if the call sequence was
 * wrong, containers are left open, or the stream has an error. */
int emit_finish(struct emit *e);

/*
 * The shortest decimal form of v that strtod reads back exactly, at most
 * 17 significant digits ("0.1", "1e+22", "3.0000000000000004"); whole
 * numbers below 1e15 are written in full ("2000", "1300000000").  buf must
 * hold EMIT_NUM_LEN bytes.  Returns 0, or -1 (buf = "") if v is not finite.
 */
int emit_fmt_number(double v, char *buf);

/* Atomic output to a file. */
struct emit_atomic {
	FILE *f;                      /* write here between open and commit */
	char path[1024];              /* target (a symlink's target) */
	char tmp[1024 + 16];          /* temporary file next to it */
	int direct;                   /* target is a device or FIFO: written
	                                 in place, no temporary file */
	int held;                     /* the signals below are held */
	sigset_t saved_mask;          /* the mask to restore */
};

/* Create the temporary file; 0, or -1 with err naming the path. */
int emit_atomic_open(struct emit_atomic *a, const char *path,
                     struct mp_error *err);
/* Flush, sync, close and rename over the target; on failure the temporary
 * file is removed.  0, or -1 with err. */
int emit_atomic_commit(struct emit_atomic *a, struct mp_error *err);
/* Close and remove the temporary file.  0, or -1 if it could not be
 * removed.  Safe to call after a failed open or commit. */
int emit_atomic_abort(struct emit_atomic *a);

#endif
