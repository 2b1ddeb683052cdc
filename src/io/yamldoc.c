/*
 * yamldoc.c — loading a YAML file into a libyaml document with moeplan's
 * guards, and typed, position-reporting getters over it (see yamldoc.h).
 */
#include "config.h"

#include "io/yamldoc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* ---- positions and messages -------------------------------------------- */

int yamldoc_line(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.line + 1 : 0;
}

int yamldoc_col(const yaml_node_t *n)
{
	return n ? (int)n->start_mark.column + 1 : 0;
}

int (yamldoc_error)(const struct yamldoc *y, const yaml_node_t *n,
                    struct mp_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	snprintf(err->file, sizeof err->file, "%s", y->file ? y->file : "");
	err->line = yamldoc_line(n);
	err->col = yamldoc_col(n);
	mp_error_what(err, MP_WHAT_NONE, NULL);
	return -1;
}

void yamldoc_locate(const struct yamldoc *y, const yaml_node_t *n,
                    struct mp_error *err)
{
	mp_error_locate(err, y->file, yamldoc_line(n), yamldoc_col(n));
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static int is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

int yamldoc_is_null(const yaml_node_t *n)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };

	if (n == NULL)
		return 1;
	if (!is_plain(n))
		return 0;
	for (const char *const *p = nulls; *p; p++)
		if (strcmp(scalar(n), *p) == 0)
			return 1;
	return 0;
}

const char *yamldoc_describe(const yaml_node_t *n, char *buf, size_t size)
{
	if (n == NULL || yamldoc_is_null(n))
		snprintf(buf, size, "null");
	else if (n->type == YAML_MAPPING_NODE)
		snprintf(buf, size, "a mapping");
	else if (n->type == YAML_SEQUENCE_NODE)
		snprintf(buf, size, "a sequence");
	else if (strlen(scalar(n)) > 40)
		snprintf(buf, size, "'%.37s...'", scalar(n));
	else
		snprintf(buf, size, "'%s'", scalar(n));
	return buf;
}

/* ---- loading ------------------------------------------------------------ */

/*
 * Read a regular file of at most YAMLDOC_MAX_BYTES into a malloc'd buffer.
 * Opened non-blocking, so that a FIFO is refused instead of waiting for a
 * writer; read to the end rather than to st_size (which /proc files and
 * files changing underneath get wrong).
 */
static int read_file(const char *path, unsigned char **buf, size_t *len,
                     struct mp_error *err)
{
	struct stat st;
	size_t cap, got = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags;

	*buf = NULL;
	memset(&st, 0, sizeof st);
	if (fd < 0)
		return mp_error_at(err, path, 0, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return mp_error_at(err, path, 0, 0, "not a regular file%s",
		                   S_ISDIR(st.st_mode) ? " (a directory)" : "");
	}
	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) == -1) {
		close(fd);
		return mp_error_at(err, path, 0, 0, "cannot read: %s", strerror(errno));
	}
	if (st.st_size > YAMLDOC_MAX_BYTES) {
		close(fd);
		return mp_error_at(err, path, 0, 0, "file too large (%lld bytes, at "
		                   "most %ld)", (long long)st.st_size,
		                   (long)YAMLDOC_MAX_BYTES);
	}
	cap = (size_t)st.st_size + 1;   /* room to see the end of the file */
	if (cap < 4096)
		cap = 4096;
	if ((*buf = malloc(cap)) == NULL) {
		close(fd);
		return mp_error_at(err, path, 0, 0, "out of memory");
	}
	for (;;) {
		if (got == cap) {
			unsigned char *tmp;

			if (cap > YAMLDOC_MAX_BYTES) {
				close(fd);
				free(*buf);
				*buf = NULL;
				return mp_error_at(err, path, 0, 0, "file too large (more "
				                   "than %ld bytes)", (long)YAMLDOC_MAX_BYTES);
			}
			cap = 2 * cap > YAMLDOC_MAX_BYTES + 1 ? YAMLDOC_MAX_BYTES + 1
			                                      : 2 * cap;
			if ((tmp = realloc(*buf, cap)) == NULL) {
				close(fd);
				free(*buf);
				*buf = NULL;
				return mp_error_at(err, path, 0, 0, "out of memory");
			}
			*buf = tmp;
		}
		r = read(fd, *buf + got, cap - got);
		if (r == 0)
			break;
		if (r < 0) {
			int saved = errno;

			if (saved == EINTR)
				continue;
			close(fd);
			free(*buf);
			*buf = NULL;
			return mp_error_at(err, path, 0, 0, "read error: %s",
			                   strerror(saved));
		}
		got += (size_t)r;
	}
	close(fd);
	if (got > YAMLDOC_MAX_BYTES) {
		free(*buf);
		*buf = NULL;
		return mp_error_at(err, path, 0, 0, "file too large (more than %ld "
		                   "bytes)", (long)YAMLDOC_MAX_BYTES);
	}
	*len = got;
	return 0;
}

/* A libyaml parser failure as "file:line:col: syntax error: ...". */
static int parser_error(const yaml_parser_t *p, const char *path,
                        const unsigned char *buf, size_t len,
                        struct mp_error *err)
{
	const yaml_mark_t *m = &p->problem_mark;

	if (p->error == YAML_READER_ERROR)
		return mp_error_at(err, path, 0, 0, "%s at byte %zu",
		                   p->problem ? p->problem : "unreadable input",
		                   p->problem_offset);
	if (p->error == YAML_MEMORY_ERROR)
		return mp_error_at(err, path, 0, 0, "out of memory");
	if (m->index < len && buf[m->index] == '\t')
		return mp_error_at(err, path, (int)m->line + 1, (int)m->column + 1,
		                   "syntax error: tab character (YAML indents with "
		                   "spaces only)");
	if (p->context != NULL)
		return mp_error_at(err, path, (int)m->line + 1, (int)m->column + 1,
		                   "syntax error: %s %s", p->context,
		                   p->problem ? p->problem : "");
	return mp_error_at(err, path, (int)m->line + 1, (int)m->column + 1,
	                   "syntax error: %s", p->problem ? p->problem : "?");
}

/*
 * First pass over the event stream: syntax errors, aliases, the node
 * budget and the document count, each with the exact position.
 */
static int scan_events(const char *path, const unsigned char *buf, size_t len,
                       struct mp_error *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	long nodes = 0, docs = 0, depth = 0;
	int rc = 0, done = 0;

	if (!yaml_parser_initialize(&p))
		return mp_error_at(err, path, 0, 0, "out of memory");
	yaml_parser_set_input_string(&p, buf, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&p, path, buf, len, err);
			break;
		}
		int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;

		switch (ev.type) {
		case YAML_ALIAS_EVENT:
			rc = mp_error_at(err, path, line, col, "aliases are not supported "
			                 "(*%s): write the value out",
			                 (const char *)ev.data.alias.anchor);
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				rc = mp_error_at(err, path, line, col, "more than one YAML "
				                 "document in the file");
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			/* libyaml's scanner takes time linear in the depth for
			 * each token: stop before that becomes quadratic */
			if (++depth > YAMLDOC_MAX_DEPTH) {
				rc = mp_error_at(err, path, line, col, "nested too deeply "
				                 "(more than %d levels)", YAMLDOC_MAX_DEPTH);
				break;
			}
			/* fall through */
		case YAML_SCALAR_EVENT:
			if (++nodes > YAMLDOC_MAX_NODES)
				rc = mp_error_at(err, path, line, col, "too many nodes (at "
				                 "most %d)", YAMLDOC_MAX_NODES);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

struct key_ref {
	const char *key;
	size_t index;         /* pair index: document order */
	yaml_node_t *node;
};

static int cmp_key(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/* Keys of one mapping: scalars, each once (sorted, so n log n). */
static int check_mapping_keys(struct yamldoc *y, const yaml_node_t *map,
                              struct mp_error *err)
{
	size_t n = yamldoc_map_size(map);
	struct key_ref *v;
	int rc = 0;

	if ((v = malloc((n ? n : 1) * sizeof *v)) == NULL)
		return mp_error_at(err, y->file, 0, 0, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		const yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);

		if (k->type != YAML_SCALAR_NODE)
			rc = yamldoc_error(y, k, err, "mapping keys must be plain names, "
			                   "not %s", k->type == YAML_MAPPING_NODE
			                   ? "a mapping" : "a sequence");
		v[i] = (struct key_ref){ rc == 0 ? scalar(k) : "", i, k };
	}
	if (rc == 0 && n > 1)
		qsort(v, n, sizeof *v, cmp_key);
	for (size_t i = 1; i < n && rc == 0; i++)
		if (strcmp(v[i - 1].key, v[i].key) == 0)
			rc = yamldoc_error(y, v[i].node, err, "duplicate key '%s' (first "
			                   "at line %d)", v[i].key,
			                   yamldoc_line(v[i - 1].node));
	free(v);
	return rc;
}

static int check_all_keys(struct yamldoc *y, struct mp_error *err)
{
	for (yaml_node_t *n = y->doc.nodes.start; n < y->doc.nodes.top; n++)
		if (n->type == YAML_MAPPING_NODE && check_mapping_keys(y, n, err) != 0)
			return -1;
	return 0;
}

static int load_document(struct yamldoc *y, const unsigned char *buf,
                         size_t len, struct mp_error *err)
{
	yaml_parser_t p;
	int ok;

	if (!yaml_parser_initialize(&p))
		return mp_error_at(err, y->file, 0, 0, "out of memory");
	yaml_parser_set_input_string(&p, buf, len);
	ok = yaml_parser_load(&p, &y->doc);
	if (!ok)
		parser_error(&p, y->file, buf, len, err);
	yaml_parser_delete(&p);
	if (!ok)
		return -1;
	y->loaded = 1;
	if (yaml_document_get_root_node(&y->doc) == NULL)
		return mp_error_at(err, y->file, 1, 1, "empty file (expected a "
		                   "mapping)");
	return check_all_keys(y, err);
}

int yamldoc_load(struct yamldoc *y, const char *path, struct mp_error *err)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc;

	memset(y, 0, sizeof *y);
	if (read_file(path, &buf, &len, err) != 0)
		return -1;
	if ((y->file = strdup(path)) == NULL) {
		free(buf);
		return mp_error_at(err, path, 0, 0, "out of memory");
	}
	rc = scan_events(path, buf, len, err);
	if (rc == 0)
		rc = load_document(y, buf, len, err);
	free(buf);
	if (rc != 0)
		yamldoc_free(y);
	return rc;
}

void yamldoc_free(struct yamldoc *y)
{
	if (y == NULL)
		return;
	if (y->loaded)
		yaml_document_delete(&y->doc);
	free(y->file);
	memset(y, 0, sizeof *y);
}

yaml_node_t *yamldoc_root(struct yamldoc *y)
{
	return y->loaded ? yaml_document_get_root_node(&y->doc) : NULL;
}

/* ---- mappings ------------------------------------------------------------ */

int yamldoc_expect_map(const struct yamldoc *y, const yaml_node_t *n,
                       const char *what, struct mp_error *err)
{
	char got[64];

	if (n != NULL && n->type == YAML_MAPPING_NODE)
		return 0;
	return yamldoc_error(y, n, err, "%s: expected a mapping, got %s", what,
	                     yamldoc_describe(n, got, sizeof got));
}

size_t yamldoc_map_size(const yaml_node_t *map)
{
	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return 0;
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

void yamldoc_map_pair(struct yamldoc *y, const yaml_node_t *map, size_t i,
                      struct yamldoc_pair *out)
{
	const yaml_node_pair_t *p = &map->data.mapping.pairs.start[i];

	out->key_node = yaml_document_get_node(&y->doc, p->key);
	out->value = yaml_document_get_node(&y->doc, p->value);
	out->key = scalar(out->key_node);
}

yaml_node_t *yamldoc_map_get(struct yamldoc *y, const yaml_node_t *map,
                             const char *key)
{
	struct yamldoc_pair p;
	size_t n = yamldoc_map_size(map);

	for (size_t i = 0; i < n; i++) {
		yamldoc_map_pair(y, map, i, &p);
		if (strcmp(p.key, key) == 0)
			return p.value;
	}
	return NULL;
}

int yamldoc_check_keys(struct yamldoc *y, const yaml_node_t *map,
                       const struct yamldoc_key *table, const char *what,
                       struct mp_error *err)
{
	struct yamldoc_pair p;
	size_t n = yamldoc_map_size(map);
	char list[256];
	size_t len = 0;

	if (yamldoc_expect_map(y, map, what, err) != 0)
		return -1;
	list[0] = '\0';
	for (const struct yamldoc_key *k = table; k->name; k++)
		if (len + strlen(k->name) + 3 < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
			                        len ? ", " : "", k->name);
	for (size_t i = 0; i < n; i++) {
		const struct yamldoc_key *k;

		yamldoc_map_pair(y, map, i, &p);
		for (k = table; k->name; k++)
			if (strcmp(k->name, p.key) == 0)
				break;
		if (k->name == NULL)
			return yamldoc_error(y, p.key_node, err, "unknown key '%s' in %s "
			                     "(expected one of: %s)", p.key, what, list);
	}
	for (const struct yamldoc_key *k = table; k->name; k++)
		if (k->required && yamldoc_map_get(y, map, k->name) == NULL)
			return yamldoc_error(y, map, err, "missing key '%s' in %s",
			                     k->name, what);
	return 0;
}

/* ---- typed scalars ---------------------------------------------------- */

enum { NUM_OK, NUM_NOT_A_NUMBER, NUM_RANGE, NUM_NOT_FINITE };

/* strtod over the whole text: finite, in range, nothing left over. */
static int parse_number(const char *s, double *out)
{
	static const char *const special[] = {
		".inf", "+.inf", "-.inf", ".nan", "nan", "inf", "+inf", "-inf",
		"infinity", "+infinity", "-infinity", NULL,
	};
	char *end;
	double v;

	for (const char *const *p = special; *p; p++)
		if (strcasecmp(s, *p) == 0)
			return NUM_NOT_FINITE;
	if (*s == '\0' || strchr("+-.0123456789", *s) == NULL ||
	    strpbrk(s, "xXpPnN") != NULL)      /* no hex floats, no nan(...) */
		return NUM_NOT_A_NUMBER;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0')
		return NUM_NOT_A_NUMBER;
	if (errno == ERANGE)
		return NUM_RANGE;
	if (!isfinite(v))
		return NUM_NOT_FINITE;
	*out = v;
	return NUM_OK;
}

int yamldoc_number(const struct yamldoc *y, const yaml_node_t *n,
                   double *out, struct mp_error *err)
{
	char got[64];

	if (n == NULL || !is_plain(n) || yamldoc_is_null(n))
		return yamldoc_error(y, n, err, "expected a number, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	switch (parse_number(scalar(n), out)) {
	case NUM_OK:
		return 0;
	case NUM_RANGE:
		return yamldoc_error(y, n, err, "number '%s' is out of range",
		                     scalar(n));
	case NUM_NOT_FINITE:
		return yamldoc_error(y, n, err, "expected a finite number, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	default:
		return yamldoc_error(y, n, err, "expected a number, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	}
}

int yamldoc_number_or_null(const struct yamldoc *y, const yaml_node_t *n,
                           double *out, int *is_null, struct mp_error *err)
{
	*is_null = n == NULL || yamldoc_is_null(n);
	if (*is_null) {
		*out = NAN;
		return 0;
	}
	return yamldoc_number(y, n, out, err);
}

int yamldoc_string(const struct yamldoc *y, const yaml_node_t *n,
                   const char **out, struct mp_error *err)
{
	char got[64];

	if (n == NULL || n->type != YAML_SCALAR_NODE || yamldoc_is_null(n))
		return yamldoc_error(y, n, err, "expected a string, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	*out = scalar(n);
	return 0;
}

int yamldoc_int(const struct yamldoc *y, const yaml_node_t *n, long lo,
                long hi, long *out, struct mp_error *err)
{
	char got[64], *end;
	const char *s;
	long v;

	if (n == NULL || !is_plain(n) || yamldoc_is_null(n))
		return yamldoc_error(y, n, err, "expected an integer, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	s = scalar(n);
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || isspace((unsigned char)*s))
		return yamldoc_error(y, n, err, "expected an integer, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	if (v < lo || v > hi)
		return yamldoc_error(y, n, err, "%ld is out of range (%ld to %ld)", v,
		                     lo, hi);
	*out = v;
	return 0;
}

int yamldoc_bool(const struct yamldoc *y, const yaml_node_t *n, int *out,
                 struct mp_error *err)
{
	static const char *const yes[] = { "true", "True", "TRUE", NULL };
	static const char *const no[] = { "false", "False", "FALSE", NULL };
	char got[64];

	if (n != NULL && is_plain(n)) {
		for (const char *const *p = yes; *p; p++)
			if (strcmp(scalar(n), *p) == 0)
				return *out = 1, 0;
		for (const char *const *p = no; *p; p++)
			if (strcmp(scalar(n), *p) == 0)
				return *out = 0, 0;
	}
	return yamldoc_error(y, n, err, "expected true or false, got %s",
	                     yamldoc_describe(n, got, sizeof got));
}

int yamldoc_number_list(const struct yamldoc *y, const yaml_node_t *n,
                        size_t min_len, size_t max_len, double **out,
                        size_t *len, struct mp_error *err)
{
	char got[64];
	size_t count;
	double *v;

	*out = NULL;
	*len = 0;
	if (n == NULL || n->type != YAML_SEQUENCE_NODE)
		return yamldoc_error(y, n, err, "expected a list of numbers, got %s",
		                     yamldoc_describe(n, got, sizeof got));
	count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count < min_len || (max_len > 0 && count > max_len)) {
		if (min_len == max_len)
			return yamldoc_error(y, n, err, "expected a list of %zu numbers, "
			                     "got %zu", min_len, count);
		return yamldoc_error(y, n, err, "expected a list of at least %zu "
		                     "numbers, got %zu", min_len, count);
	}
	if (count == 0)
		return 0;
	if ((v = malloc(count * sizeof *v)) == NULL)
		return yamldoc_error(y, n, err, "out of memory");
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *item = yaml_document_get_node(
			(yaml_document_t *)&y->doc, n->data.sequence.items.start[i]);

		if (yamldoc_number(y, item, &v[i], err) != 0) {
			free(v);
			return -1;
		}
	}
	*out = v;
	*len = count;
	return 0;
}

int yamldoc_enum(const struct yamldoc *y, const yaml_node_t *n,
                 const char *const *names, int *out, struct mp_error *err)
{
	char list[256];
	const char *s;
	size_t len = 0;

	if (yamldoc_string(y, n, &s, err) != 0)
		return -1;
	list[0] = '\0';
	for (int i = 0; names[i]; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = i;
			return 0;
		}
		if (len + strlen(names[i]) + 3 < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
			                        len ? ", " : "", names[i]);
	}
	return yamldoc_error(y, n, err, "unknown value '%s' (expected one of: %s)",
	                     s, list);
}

int yamldoc_get_number(struct yamldoc *y, const yaml_node_t *map,
                       const char *key, double *out, int *found,
                       struct mp_error *err)
{
	yaml_node_t *v = yamldoc_map_get(y, map, key);

	*found = v != NULL;
	if (v == NULL)
		return 0;
	if (yamldoc_number(y, v, out, err) != 0) {
		mp_error_prefix(err, "%s", key);
		return -1;
	}
	return 0;
}

int yamldoc_get_string(struct yamldoc *y, const yaml_node_t *map,
                       const char *key, const char **out, int *found,
                       struct mp_error *err)
{
	yaml_node_t *v = yamldoc_map_get(y, map, key);

	*found = v != NULL;
	if (v == NULL)
		return 0;
	if (yamldoc_string(y, v, out, err) != 0) {
		mp_error_prefix(err, "%s", key);
		return -1;
	}
	return 0;
}

const char *yamldoc_fmt_number(double v, int digits, char *buf, size_t size)
{
	char tmp[48], *e;
	const char *x;
	int neg;

	if (digits < 1 || digits > 17)
		digits = 17;
	for (int p = 1; p <= digits; p++) {   /* the shortest form that is v */
		snprintf(tmp, sizeof tmp, "%.*g", p, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if ((e = strchr(tmp, 'e')) == NULL) {
		snprintf(buf, size, "%s", tmp);
		return buf;
	}
	*e = '\0';
	x = e + 1;
	neg = *x == '-';
	if (*x == '+' || *x == '-')
		x++;
	while (*x == '0' && x[1] != '\0')
		x++;
	snprintf(buf, size, "%se%s%s", tmp, neg ? "-" : "", x);
	return buf;
}
