/*
 * error.h — error values for the core library.
 *
 * A failing core function fills a caller-owned struct mp_error and returns -1
 * (or NULL).  Nothing here allocates: the message and file name are fixed-size
 * buffers inside the struct.  Only front ends (main, the TUI) print errors.
 */
#ifndef MP_ERROR_H
#define MP_ERROR_H

#include <stddef.h>

#define MP_ERROR_MSG 512
#define MP_ERROR_FILE 256

struct mp_error {
	char msg[MP_ERROR_MSG];  /* the message, no trailing newline */
	char file[MP_ERROR_FILE];/* file it concerns, "" if none */
	int line, col;           /* 1-based position in file, 0 if unknown */
};

/* Clear an error value. */
void mp_error_clear(struct mp_error *e);

/* Set message (printf-style); file, line and column are left untouched. */
int mp_error_set(struct mp_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set message and position. */
int mp_error_at(struct mp_error *e, const char *file, int line, int col,
                const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Both always return -1.  Tell the static analyzer (scan-build), which
 * cannot see into error.c from other files and would otherwise take every
 * "return mp_error_set(...)" for a possible success.  (error.c defines
 * them as (mp_error_set)(...), which the macros leave alone.) */
#ifdef __clang_analyzer__
#define mp_error_set(...) (mp_error_set(__VA_ARGS__), -1)
#define mp_error_at(...) (mp_error_at(__VA_ARGS__), -1)
#endif

/* Prefix the existing message: "prefix: old message". */
void mp_error_prefix(struct mp_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set position if none is set yet. */
void mp_error_locate(struct mp_error *e, const char *file, int line, int col);

/* "file:line:col: msg", "file: msg" or "msg" into buf; returns buf. */
const char *mp_error_str(const struct mp_error *e, char *buf, size_t n);

#endif
