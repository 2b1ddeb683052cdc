/*
 * error.c — formatting of error values (see error.h).
 */
#include "config.h"

#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void mp_error_clear(struct mp_error *e)
{
	if (e == NULL)
		return;
	e->msg[0] = '\0';
	e->file[0] = '\0';
	e->line = e->col = 0;
	e->what = MP_WHAT_NONE;
	e->what_name[0] = '\0';
}

int (mp_error_what)(struct mp_error *e, enum mp_what what, const char *name)
{
	if (e == NULL)
		return -1;
	e->what = what;
	snprintf(e->what_name, sizeof e->what_name, "%s", name ? name : "");
	return -1;
}

int mp_error_is_about(const struct mp_error *e, enum mp_what what,
                      const char *name)
{
	size_t kept;

	if (e == NULL || e->what != what)
		return 0;
	if (name == NULL)
		return 1;
	kept = strlen(e->what_name);
	if (kept == sizeof e->what_name - 1)   /* full: perhaps cut */
		return strncmp(e->what_name, name, kept) == 0;
	return strcmp(e->what_name, name) == 0;
}

int (mp_error_set)(struct mp_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	(mp_error_what)(e, MP_WHAT_NONE, NULL);
	return -1;
}

int (mp_error_at)(struct mp_error *e, const char *file, int line, int col,
                  const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	(mp_error_what)(e, MP_WHAT_NONE, NULL);
	return -1;
}

/* dst = a ": " b, truncated to n bytes (messages may be cut, never overrun). */
static void join(char *dst, size_t n, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), len = 0;

	if (n == 0)
		return;
	la = la < n - 1 ? la : n - 1;
	memcpy(dst, a, la);
	len = la;
	if (len + 2 < n) {
		memcpy(dst + len, ": ", 2);
		len += 2;
	}
	lb = lb < n - 1 - len ? lb : n - 1 - len;
	memcpy(dst + len, b, lb);
	dst[len + lb] = '\0';
}

void mp_error_prefix(struct mp_error *e, const char *fmt, ...)
{
	char head[MP_ERROR_MSG], old[MP_ERROR_MSG];
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof old);
	join(e->msg, sizeof e->msg, head, old);
}

void mp_error_locate(struct mp_error *e, const char *file, int line, int col)
{
	if (e == NULL || e->file[0] != '\0')
		return;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
}

const char *mp_error_str(const struct mp_error *e, char *buf, size_t n)
{
	if (e->file[0] != '\0' && e->line > 0)
		snprintf(buf, n, "%s:%d:%d: %s", e->file, e->line, e->col, e->msg);
	else if (e->file[0] != '\0')
		snprintf(buf, n, "%s: %s", e->file, e->msg);
	else
		snprintf(buf, n, "%s", e->msg);
	return buf;
}
