/*
 * runs_csv.c — the CSV reader of training runs (see runs_csv.h): reads the
 * file whole, hashes it (core/sha256.h), and splits it into a table of
 * text cells with their positions, RFC 4180's grammar.  Owns the table's
 * strings and arrays until runs_csv_free.
 */
#include "config.h"

#include "io/runs_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct parser {
	const char *s;
	size_t n, i;
	int line, col;             /* of s[i] */
	struct runs_csv *t;
	struct mp_error *err;
	char *buf;                 /* the field being read */
	size_t len, cap;
	size_t cells_cap;          /* room in t->cell, t->line, t->col */
	int is_header;
	size_t row_fields;         /* fields of the row being read */
	int row_line;
};

/* ---- fields ------------------------------------------------------------------- */

static int put(struct parser *p, char c)
{
	if (p->len + 1 >= p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		char *b = realloc(p->buf, cap);

		if (b == NULL)
			return mp_error_at(p->err, p->t->file, p->line, p->col,
			                   "out of memory");
		p->buf = b;
		p->cap = cap;
	}
	p->buf[p->len++] = c;
	p->buf[p->len] = '\0';
	return 0;
}

static void advance(struct parser *p)
{
	if (p->s[p->i] == '\n') {
		p->line++;
		p->col = 1;
	} else {
		p->col++;
	}
	p->i++;
}

/* At a field's end: ',', a line break or the end of the text. */
static int at_end(const struct parser *p)
{
	return p->i >= p->n || p->s[p->i] == ',' || p->s[p->i] == '\n' ||
	       (p->s[p->i] == '\r' && p->i + 1 < p->n && p->s[p->i + 1] == '\n');
}

static int quoted(struct parser *p, int line, int col)
{
	advance(p);                                /* the opening quote */
	for (;;) {
		if (p->i >= p->n)
			return mp_error_at(p->err, p->t->file, line, col, "a quoted "
			                   "field is not closed");
		if (p->s[p->i] == '"' && p->i + 1 < p->n && p->s[p->i + 1] == '"') {
			advance(p);
		} else if (p->s[p->i] == '"') {
			advance(p);
			break;
		}
		if (put(p, p->s[p->i]) != 0)
			return -1;
		advance(p);
	}
	if (!at_end(p))
		return mp_error_at(p->err, p->t->file, p->line, p->col, "text after "
		                   "the closing quote of a field");
	return 0;
}

static int unquoted(struct parser *p)
{
	while (!at_end(p)) {
		char c = p->s[p->i];

		if (c == '"' || c == '\r')
			return mp_error_at(p->err, p->t->file, p->line, p->col, "%s "
			                   "inside an unquoted field", c == '"' ?
			                   "a quote" : "a carriage return");
		if (put(p, c) != 0)
			return -1;
		advance(p);
	}
	return 0;
}

/* ---- rows --------------------------------------------------------------------- */

static int grow_cells(struct parser *p)
{
	struct runs_csv *t = p->t;
	size_t cap = p->cells_cap ? 2 * p->cells_cap : 256;
	char **c = realloc(t->cell, cap * sizeof *c);
	int *l, *k;

	if (c != NULL)
		t->cell = c;
	l = c ? realloc(t->line, cap * sizeof *l) : NULL;
	if (l != NULL)
		t->line = l;
	k = l ? realloc(t->col, cap * sizeof *k) : NULL;
	if (k == NULL)
		return mp_error_at(p->err, t->file, p->line, p->col, "out of memory");
	t->col = k;
	p->cells_cap = cap;
	return 0;
}

/* The field just read goes to the header or to the cells. */
static int store(struct parser *p, int line, int col)
{
	struct runs_csv *t = p->t;
	size_t k = t->n_rows * t->n_cols + p->row_fields;
	char *s = strdup(p->buf ? p->buf : "");

	if (s == NULL)
		return mp_error_at(p->err, t->file, line, col, "out of memory");
	if (p->is_header) {
		char **h = realloc(t->header, (t->n_cols + 1) * sizeof *h);

		if (h == NULL || t->n_cols == RUNS_CSV_MAX_COLS) {
			if (h != NULL)
				t->header = h;
			free(s);
			return mp_error_at(p->err, t->file, line, col, h == NULL ?
			                   "out of memory" : "more than %d columns",
			                   RUNS_CSV_MAX_COLS);
		}
		t->header = h;
		t->header[t->n_cols++] = s;
		return 0;
	}
	if (p->row_fields >= t->n_cols) {
		free(s);
		return mp_error_at(p->err, t->file, line, col, "more fields than "
		                   "the header's %zu", t->n_cols);
	}
	if (k >= p->cells_cap && grow_cells(p) != 0) {
		free(s);
		return -1;
	}
	t->cell[k] = s;
	t->line[k] = line;
	t->col[k] = col;
	return 0;
}

static int field(struct parser *p)
{
	int line = p->line, col = p->col;

	p->len = 0;
	if (p->buf != NULL)
		p->buf[0] = '\0';
	if (p->i < p->n && p->s[p->i] == '"') {
		if (quoted(p, line, col) != 0)
			return -1;
	} else if (unquoted(p) != 0) {
		return -1;
	}
	if (store(p, line, col) != 0)
		return -1;
	p->row_fields++;
	return 0;
}

/* Skip the line break after a row (LF or CRLF). */
static void end_row(struct parser *p)
{
	if (p->i < p->n && p->s[p->i] == '\r')
		advance(p);
	if (p->i < p->n && p->s[p->i] == '\n')
		advance(p);
}

static int blank_line(const struct parser *p)
{
	return p->s[p->i] == '\n' ||
	       (p->s[p->i] == '\r' && p->i + 1 < p->n && p->s[p->i + 1] == '\n');
}

static int row(struct parser *p)
{
	p->row_fields = 0;
	p->row_line = p->line;
	for (;;) {
		if (field(p) != 0)
			return -1;
		if (p->i >= p->n || p->s[p->i] != ',')
			break;
		advance(p);
	}
	end_row(p);
	if (p->is_header) {
		p->is_header = 0;
		return 0;
	}
	if (p->row_fields != p->t->n_cols)
		return mp_error_at(p->err, p->t->file, p->row_line, 1, "%zu fields, "
		                   "the header has %zu", p->row_fields, p->t->n_cols);
	p->t->n_rows++;
	return 0;
}

static int parse_rows(struct parser *p)
{
	if (memchr(p->s, '\0', p->n) != NULL)
		return mp_error_at(p->err, p->t->file, 0, 0, "a NUL byte: not a "
		                   "text file");
	while (p->i < p->n) {
		if (blank_line(p)) {
			end_row(p);
			continue;
		}
		if (row(p) != 0)
			return -1;
	}
	if (p->is_header)
		return mp_error_at(p->err, p->t->file, 0, 0, "no header row (the "
		                   "file is empty)");
	return 0;
}

int runs_csv_parse(const char *text, size_t len, const char *name,
                   struct runs_csv *t, struct mp_error *err)
{
	struct parser p;
	struct sha256 h;
	int rc;

	memset(t, 0, sizeof *t);
	memset(&p, 0, sizeof p);
	if ((t->file = strdup(name)) == NULL)
		return mp_error_set(err, "out of memory");
	p.s = text;
	p.n = len;
	p.line = p.col = 1;
	p.t = t;
	p.err = err;
	p.is_header = 1;
	rc = parse_rows(&p);
	free(p.buf);
	if (rc != 0) {
		size_t k = t->n_rows * t->n_cols;

		for (size_t f = 0; !p.is_header && f < p.row_fields; f++)
			free(t->cell[k + f]);   /* the row that failed */
		runs_csv_free(t);
		return -1;
	}
	sha256_init(&h);
	sha256_update(&h, text, len);
	sha256_final(&h, NULL, t->sha256);
	return 0;
}

void runs_csv_free(struct runs_csv *t)
{
	size_t filled = t->n_rows * t->n_cols;

	for (size_t i = 0; i < t->n_cols; i++)
		free(t->header[i]);
	for (size_t i = 0; t->cell != NULL && i < filled; i++)
		free(t->cell[i]);
	free(t->header);
	free(t->cell);
	free(t->line);
	free(t->col);
	free(t->file);
	memset(t, 0, sizeof *t);
}

/* ---- the file ----------------------------------------------------------------- */

/* Read a regular file of at most RUNS_CSV_MAX_BYTES (a FIFO is refused,
 * not waited on) into a malloc'd buffer. */
static int read_all(const char *path, char **buf, size_t *len,
                    struct mp_error *err)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	size_t got = 0, cap;
	ssize_t r;

	*buf = NULL;
	if (fd < 0)
		return mp_error_at(err, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > RUNS_CSV_MAX_BYTES) {
		close(fd);
		return mp_error_at(err, path, 0, 0, S_ISREG(st.st_mode) ?
		                   "file too large (at most %ld bytes)" :
		                   "not a regular file", (long)RUNS_CSV_MAX_BYTES);
	}
	cap = (size_t)st.st_size + 1;
	if ((*buf = malloc(cap)) == NULL) {
		close(fd);
		return mp_error_at(err, path, 0, 0, "out of memory");
	}
	while (got < cap && (r = read(fd, *buf + got, cap - got)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int saved = errno;

			close(fd);
			free(*buf);
			*buf = NULL;
			return mp_error_at(err, path, 0, 0, "read error: %s",
			                   strerror(saved));
		}
		got += (size_t)r;
	}
	close(fd);
	if (got == cap) {               /* it grew while being read */
		free(*buf);
		*buf = NULL;
		return mp_error_at(err, path, 0, 0, "changed while being read");
	}
	*len = got;
	return 0;
}

int runs_csv_load(const char *path, struct runs_csv *t, struct mp_error *err)
{
	char *buf;
	size_t len = 0;
	int rc;

	memset(t, 0, sizeof *t);
	mp_error_clear(err);
	if (read_all(path, &buf, &len, err) != 0)
		return -1;
	rc = runs_csv_parse(buf, len, path, t, err);
	free(buf);
	return rc;
}

/* ---- reading cells ------------------------------------------------------------ */

int runs_csv_column(const struct runs_csv *t, const char *header)
{
	int found = -1;

	for (size_t i = 0; i < t->n_cols; i++)
		if (strcmp(t->header[i], header) == 0) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	return found;
}

int runs_csv_number(const struct runs_csv *t, size_t row, size_t col,
                    double *out, struct mp_error *err)
{
	size_t k = row * t->n_cols + col;
	const char *s = t->cell[k];
	char *end;

	s += strspn(s, " \t");
	errno = 0;
	*out = strtod(s, &end);
	if (end != s)
		end += strspn(end, " \t");
	if (end == s || *end != '\0')
		return mp_error_at(err, t->file, t->line[k], t->col[k], "column "
		                   "'%.100s': '%.60s' is not a number", t->header[col],
		                   t->cell[k]);
	if (!isfinite(*out))
		return mp_error_at(err, t->file, t->line[k], t->col[k], "column "
		                   "'%.100s': %.60s is not a finite number",
		                   t->header[col], t->cell[k]);
	return 0;
}
