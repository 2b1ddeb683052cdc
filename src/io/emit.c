/*
 * emit.c — streaming JSON/YAML writer and atomic file output (see emit.h).
 *
 * Layout state per open container: its kind, how many entries it has, the
 * column its entries start at, and (YAML) whether its first entry shares
 * the line of the "-" that opened it.  JSON and YAML share the call
 * sequence checks; they differ only in what is printed around entries.
 */
#include "config.h"

#include "emit.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

void emit_init(struct emit *e, FILE *f, enum emit_format format)
{
	memset(e, 0, sizeof *e);
	e->f = f;
	e->format = format;
}

static struct emit_level *top(struct emit *e)
{
	return e->depth > 0 ? &e->st[e->depth - 1] : NULL;
}

static void indent(struct emit *e, int n)
{
	for (int i = 0; i < n; i++)
		fputc(' ', e->f);
}

/* Start an entry (a key, or an array item) of container L. */
static void entry_start(struct emit *e, struct emit_level *L)
{
	if (e->format == EMIT_JSON) {
		if (L->n > 0)
			fputc(',', e->f);
		fputc('\n', e->f);
		indent(e, L->indent);
	} else if (L->n == 0 && L->inline_first) {
		fputc(' ', e->f);               /* after the "-" of the parent */
	} else {
		if (e->started)
			fputc('\n', e->f);
		indent(e, L->indent);
	}
	L->n++;
	e->started = 1;
}

/* Where a value goes.  Returns the indent for a container opened here, or
 * -1 on misuse; *inline_first tells whether it opens on a "-" line. */
static int before_value(struct emit *e, int *inline_first)
{
	struct emit_level *L = top(e);

	*inline_first = 0;
	if (L == NULL) {
		if (e->root) {
			e->misuse = 1;   /* a second document root */
			return -1;
		}
		e->root = 1;
		return 0;
	}
	if (L->type == 'o') {
		if (!e->have_key) {
			e->misuse = 1;
			return -1;
		}
		e->have_key = 0;
		return L->indent + 2;
	}
	entry_start(e, L);
	if (e->format == EMIT_YAML) {
		fputc('-', e->f);
		*inline_first = 1;
	}
	return L->indent + 2;
}

/* Separator between "key:" or "-" and a scalar (nothing at the root). */
static void scalar_sep(struct emit *e)
{
	if (e->format == EMIT_YAML && e->depth > 0)
		fputc(' ', e->f);
}

static void begin(struct emit *e, char type)
{
	int inl, ind = before_value(e, &inl);

	if (ind < 0)
		return;
	if (e->depth >= EMIT_MAX_DEPTH) {
		e->misuse = 1;
		return;
	}
	if (e->format == EMIT_JSON) {
		fputc(type == 'o' ? '{' : '[', e->f);
		e->started = 1;
	}
	e->st[e->depth].type = type;
	e->st[e->depth].n = 0;
	e->st[e->depth].indent = e->format == EMIT_JSON ? 2 * (e->depth + 1) : ind;
	e->st[e->depth].inline_first = inl;
	e->depth++;
}

static void end(struct emit *e, char type)
{
	struct emit_level *L = top(e);
	const char *empty = type == 'o' ? "{}" : "[]";

	if (L == NULL || L->type != type || e->have_key) {
		e->misuse = 1;
		return;
	}
	e->depth--;
	if (e->format == EMIT_JSON) {
		if (L->n > 0) {
			fputc('\n', e->f);
			indent(e, 2 * e->depth);
		}
		fputc(type == 'o' ? '}' : ']', e->f);
	} else if (L->n == 0) {
		if (e->depth > 0)
			fputc(' ', e->f);
		fputs(empty, e->f);
	}
	e->started = 1;
}

void emit_object_begin(struct emit *e) { begin(e, 'o'); }
void emit_object_end(struct emit *e) { end(e, 'o'); }
void emit_array_begin(struct emit *e) { begin(e, 'a'); }
void emit_array_end(struct emit *e) { end(e, 'a'); }

/* Words YAML 1.1 or 1.2 would read as something other than a string. */
static int yaml_reserved(const char *s)
{
	static const char *const words[] = {
		"true", "false", "yes", "no", "on", "off", "y", "n", "null", NULL
	};

	for (size_t i = 0; words[i] != NULL; i++)
		if (strcasecmp(s, words[i]) == 0)
			return 1;
	return 0;
}

/* Can s be written as a YAML plain scalar and read back as this string? */
static int yaml_plain_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || !((s[0] >= 'A' && s[0] <= 'Z') ||
	                (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return 0;
	if (s[n - 1] == ' ' || yaml_reserved(s))
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '.' ||
		      c == '/' || c == '-' || c == ' '))
			return 0;
	}
	return 1;
}

/* Double-quoted string; the escapes are valid in JSON and in YAML. */
static void put_quoted(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void put_string(struct emit *e, const char *s)
{
	if (e->format == EMIT_YAML && yaml_plain_ok(s))
		fputs(s, e->f);
	else
		put_quoted(e->f, s);
}

void emit_key(struct emit *e, const char *key)
{
	struct emit_level *L = top(e);

	if (L == NULL || L->type != 'o' || e->have_key || key == NULL) {
		e->misuse = 1;
		return;
	}
	entry_start(e, L);
	put_string(e, key);
	fputs(e->format == EMIT_JSON ? ": " : ":", e->f);
	e->have_key = 1;
}

/* Write a scalar's text where a value goes. */
static void scalar(struct emit *e, const char *text, int quoted)
{
	int inl;

	if (before_value(e, &inl) < 0)
		return;
	scalar_sep(e);
	if (quoted)
		put_string(e, text);
	else
		fputs(text, e->f);
	e->started = 1;
}

void emit_string(struct emit *e, const char *s)
{
	if (s == NULL)
		scalar(e, "null", 0);
	else
		scalar(e, s, 1);
}

int emit_fmt_number(double v, char *buf)
{
	if (!isfinite(v)) {
		buf[0] = '\0';
		return -1;
	}
	/* whole numbers below 1e15 in full: 2000, not 2e+03 */
	if (v == floor(v) && fabs(v) < 1e15) {
		snprintf(buf, EMIT_NUM_LEN, "%.0f", v);
		return 0;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, EMIT_NUM_LEN, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return 0;
	}
	return 0;       /* %.17g always round-trips */
}

void emit_number(struct emit *e, double v)
{
	char buf[EMIT_NUM_LEN + 2];

	if (emit_fmt_number(v, buf) != 0) {
		scalar(e, "null", 0);
		return;
	}
	if (e->format == EMIT_YAML) {
		/* YAML 1.1 floats need a '.' ("1e+22" would read as a string) */
		char *x = strchr(buf, 'e');

		if (x != NULL && strchr(buf, '.') == NULL) {
			memmove(x + 2, x, strlen(x) + 1);
			x[0] = '.';
			x[1] = '0';
		}
	}
	scalar(e, buf, 0);
}

void emit_int(struct emit *e, long long v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", v);
	scalar(e, buf, 0);
}

void emit_bool(struct emit *e, int b) { scalar(e, b ? "true" : "false", 0); }
void emit_null(struct emit *e) { scalar(e, "null", 0); }

void emit_kv_string(struct emit *e, const char *key, const char *s)
{
	emit_key(e, key);
	emit_string(e, s);
}

void emit_kv_number(struct emit *e, const char *key, double v)
{
	emit_key(e, key);
	emit_number(e, v);
}

void emit_kv_int(struct emit *e, const char *key, long long v)
{
	emit_key(e, key);
	emit_int(e, v);
}

void emit_kv_bool(struct emit *e, const char *key, int b)
{
	emit_key(e, key);
	emit_bool(e, b);
}

void emit_kv_null(struct emit *e, const char *key)
{
	emit_key(e, key);
	emit_null(e);
}

int emit_finish(struct emit *e)
{
	if (e->depth != 0 || e->have_key)
		e->misuse = 1;
	if (e->started)
		fputc('\n', e->f);
	if (e->misuse || ferror(e->f))
		return -1;
	return 0;
}

/* --- atomic output ------------------------------------------------------- */

/* Mode for a new file: the target's if it exists, else 0666 & ~umask. */
static mode_t target_mode(const char *path)
{
	struct stat st;
	mode_t mask;

	if (stat(path, &st) == 0)
		return st.st_mode & 07777;
	mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

/* An existing target that is not a regular file: a directory is refused,
 * anything else (a device, a FIFO) is written in place. */
static int open_direct(struct emit_atomic *a, const struct stat *st,
                       struct mp_error *err)
{
	int fd;

	if (S_ISDIR(st->st_mode))
		return mp_error_set(err, "cannot write '%s': it is a directory",
		                    a->path);
	fd = open(a->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || (a->f = fdopen(fd, "w")) == NULL) {
		int saved = errno;

		if (fd >= 0)
			close(fd);
		return mp_error_set(err, "cannot write '%s': %s", a->path,
		                    strerror(saved));
	}
	a->direct = 1;
	return 0;
}

/* Hold SIGINT, SIGTERM and SIGHUP while a temporary file exists (emit.h). */
static void hold_signals(struct emit_atomic *a)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	a->held = sigprocmask(SIG_BLOCK, &block, &a->saved_mask) == 0;
}

/* Deliver what arrived meanwhile: a termination signal ends the program
 * here, with the temporary file gone. */
static void release_signals(struct emit_atomic *a)
{
	if (a->held) {
		a->held = 0;
		sigprocmask(SIG_SETMASK, &a->saved_mask, NULL);
	}
}

int emit_atomic_open(struct emit_atomic *a, const char *path,
                     struct mp_error *err)
{
	int fd;

	struct stat st;
	char *real = NULL;

	a->f = NULL;
	a->tmp[0] = '\0';
	a->direct = 0;
	a->held = 0;
	if (path == NULL || *path == '\0')
		return mp_error_set(err, "empty output file name");
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (real = realpath(path, NULL)) != NULL)
		path = real;             /* replace the link's target */
	if (strlen(path) >= sizeof a->path) {
		mp_error_set(err, "output file name too long: '%.64s...'", path);
		free(real);
		return -1;
	}
	snprintf(a->path, sizeof a->path, "%s", path);
	free(real);
	path = a->path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return open_direct(a, &st, err);
	snprintf(a->tmp, sizeof a->tmp, "%s.tmpXXXXXX", path);
	hold_signals(a);
	fd = mkstemp(a->tmp);
	if (fd < 0) {
		int saved = errno;

		a->tmp[0] = '\0';
		release_signals(a);
		return mp_error_set(err, "cannot create a temporary file for '%s': %s",
		                    path, strerror(saved));
	}
	if (fchmod(fd, target_mode(path)) != 0 ||
	    (a->f = fdopen(fd, "w")) == NULL) {
		int saved = errno;

		close(fd);
		unlink(a->tmp);
		a->tmp[0] = '\0';
		release_signals(a);
		return mp_error_set(err, "cannot write '%s': %s", path,
		                    strerror(saved));
	}
	return 0;
}

int emit_atomic_commit(struct emit_atomic *a, struct mp_error *err)
{
	int bad = 0, saved = 0;

	if (a->f == NULL)
		return mp_error_set(err, "'%s' is not open", a->path);
	if (a->direct) {                      /* a device: no sync, no rename */
		bad = fflush(a->f) != 0 || ferror(a->f);
		saved = bad ? errno : 0;
		if (fclose(a->f) != 0 && !bad) {
			bad = 1;
			saved = errno;
		}
		a->f = NULL;
		if (bad)
			return mp_error_set(err, "cannot write '%s': %s", a->path,
			                    saved ? strerror(saved) : "write error");
		return 0;
	}
	if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0) {
		bad = 1;
		saved = errno;
	}
	if (fclose(a->f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	a->f = NULL;
	if (!bad && rename(a->tmp, a->path) != 0) {
		bad = 1;
		saved = errno;
	}
	if (bad) {
		unlink(a->tmp);
		a->tmp[0] = '\0';
		release_signals(a);
		return mp_error_set(err, "cannot write '%s': %s", a->path,
		                    saved ? strerror(saved) : "write error");
	}
	a->tmp[0] = '\0';
	release_signals(a);
	return 0;
}

int emit_atomic_abort(struct emit_atomic *a)
{
	int rc = 0;

	if (a->f != NULL) {
		fclose(a->f);
		a->f = NULL;
	}
	if (a->tmp[0] != '\0') {
		if (unlink(a->tmp) != 0 && errno != ENOENT)
			rc = -1;
		a->tmp[0] = '\0';
	}
	release_signals(a);
	return rc;
}
