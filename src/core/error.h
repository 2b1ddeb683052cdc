/*
 * error.h — error values for the core library.
 *
 * A failing core function fills a caller-owned struct mp_error and returns -1
 * (or NULL).  Nothing here allocates: the message, file name and subject name
 * are fixed-size buffers inside the struct.  Only front ends (main, the TUI)
 * print errors.
 *
 * The front ends' exit statuses are here too: values, not printing.
 *
 * Besides its text, an error may say what it is about (its subject: the loss
 * expression, a derived quantity, a shape key ...), so that a caller can
 * act on it — the model-file loader points at the YAML node concerned —
 * without reading the message, whose wording is for people.
 */
#ifndef MP_ERROR_H
#define MP_ERROR_H

#include <stddef.h>

#define MP_ERROR_MSG 512
#define MP_ERROR_FILE 256
/* As long as a message, so that any name a message can quote in full is
 * kept whole in what_name. */
#define MP_ERROR_NAME MP_ERROR_MSG

/* Exit statuses of the front ends (DESIGN.md): success, failure (bad input,
 * I/O, no feasible plan), usage error.  MP_ names: identifiers starting
 * with E and an upper-case letter are reserved for <errno.h>. */
#define MP_EXIT_OK 0
#define MP_EXIT_FAIL 1
#define MP_EXIT_USAGE 2

/* What an error is about.  The ones with a name say which one in what_name. */
enum mp_what {
	MP_WHAT_NONE = 0,     /* not said (or the whole object) */
	MP_WHAT_LOSS,         /* a law's loss expression */
	MP_WHAT_FLOPS,        /* a law's flops expression (or its derivative) */
	MP_WHAT_DERIVED,      /* the derived quantity what_name */
	MP_WHAT_COEFFICIENT,  /* the coefficient what_name */
	MP_WHAT_VARIABLE,     /* the variable what_name */
	MP_WHAT_SHAPE_KEY,    /* the shape-policy field what_name */
};

struct mp_error {
	char msg[MP_ERROR_MSG];  /* the message, no trailing newline */
	char file[MP_ERROR_FILE];/* file it concerns, "" if none */
	int line, col;           /* 1-based position in file, 0 if unknown */
	enum mp_what what;       /* its subject, MP_WHAT_NONE if not said */
	char what_name[MP_ERROR_NAME]; /* the subject's name, "" if none;
	                          * cut to MP_ERROR_NAME - 1 bytes */
};

/* Clear an error value (message, position and subject). */
void mp_error_clear(struct mp_error *e);

/* Set message (printf-style); file, line and column are left untouched.
 * The subject is reset to MP_WHAT_NONE: a new message is a new error. */
int mp_error_set(struct mp_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set message and position; the subject is reset as by mp_error_set. */
int mp_error_at(struct mp_error *e, const char *file, int line, int col,
                const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Say what the error just set is about (name may be NULL); call it after
 * the message is set.  Returns -1, so "return mp_error_what(...)" fails. */
int mp_error_what(struct mp_error *e, enum mp_what what, const char *name);

/* 1 if the error is about subject what named name (NULL: any name), else 0.
 * A name longer than what_name holds matches on the part that was kept. */
int mp_error_is_about(const struct mp_error *e, enum mp_what what,
                      const char *name);

/* All three always return -1.  Tell the static analyzer (scan-build), which
 * cannot see into error.c from other files and would otherwise take every
 * "return mp_error_set(...)" for a possible success.  (error.c defines
 * them as (mp_error_set)(...), which the macros leave alone.) */
#ifdef __clang_analyzer__
#define mp_error_set(...) (mp_error_set(__VA_ARGS__), -1)
#define mp_error_at(...) (mp_error_at(__VA_ARGS__), -1)
#define mp_error_what(...) (mp_error_what(__VA_ARGS__), -1)
#endif

/* Prefix the existing message: "prefix: old message"; the subject is kept. */
void mp_error_prefix(struct mp_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set position if none is set yet. */
void mp_error_locate(struct mp_error *e, const char *file, int line, int col);

/* "file:line:col: msg", "file: msg" or "msg" into buf; returns buf. */
const char *mp_error_str(const struct mp_error *e, char *buf, size_t n);

#endif
