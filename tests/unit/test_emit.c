/*
 * test_emit.c — emit.c: the JSON and YAML writer (exact text for a small
 * document, escapes, numbers that read back bit for bit, misuse detected)
 * and atomic file output (commit replaces, abort leaves the old file).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/emit.h"
#include "tap.h"

/* A small document with every kind of value, in either format. */
static void sample(struct emit *e)
{
	emit_object_begin(e);
	emit_kv_string(e, "name", "dense");
	emit_kv_number(e, "flops", 1e22);
	emit_kv_int(e, "layers", 24);
	emit_kv_bool(e, "solved", 1);
	emit_kv_null(e, "best");
	emit_key(e, "list");
	emit_array_begin(e);
	emit_number(e, 0.5);
	emit_object_begin(e);
	emit_kv_string(e, "a", "x");
	emit_kv_string(e, "b", "y");
	emit_object_end(e);
	emit_array_end(e);
	emit_key(e, "empty");
	emit_array_begin(e);
	emit_array_end(e);
	emit_key(e, "none");
	emit_object_begin(e);
	emit_object_end(e);
	emit_object_end(e);
}

/* Run fn into a string (caller frees); *rc gets emit_finish's result. */
static char *render(enum emit_format fmt, void (*fn)(struct emit *), int *rc)
{
	struct emit e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	emit_init(&e, f, fmt);
	fn(&e);
	*rc = emit_finish(&e);
	fclose(f);
	return buf;
}

static void test_json_text(void)
{
	const char *want =
		"{\n"
		"  \"name\": \"dense\",\n"
		"  \"flops\": 1e+22,\n"
		"  \"layers\": 24,\n"
		"  \"solved\": true,\n"
		"  \"best\": null,\n"
		"  \"list\": [\n"
		"    0.5,\n"
		"    {\n"
		"      \"a\": \"x\",\n"
		"      \"b\": \"y\"\n"
		"    }\n"
		"  ],\n"
		"  \"empty\": [],\n"
		"  \"none\": {}\n"
		"}\n";
	int rc;
	char *got = render(EMIT_JSON, sample, &rc);

	check_int(rc, 0, "json finish");
	check_str(got, want, "json text");
	free(got);
}

static void test_yaml_text(void)
{
	const char *want =
		"name: dense\n"
		"flops: 1.0e+22\n"          /* a '.' so YAML 1.1 reads a float */
		"layers: 24\n"
		"solved: true\n"
		"best: null\n"
		"list:\n"
		"  - 0.5\n"
		"  - a: x\n"
		"    b: \"y\"\n"          /* YAML 1.1 would read y as true */
		"empty: []\n"
		"none: {}\n";
	int rc;
	char *got = render(EMIT_YAML, sample, &rc);

	check_int(rc, 0, "yaml finish");
	check_str(got, want, "yaml text");
	free(got);
}

static void escapes(struct emit *e)
{
	emit_array_begin(e);
	emit_string(e, "a\"b\\c\nd\te\x01");
	emit_string(e, "yes");        /* YAML 1.1 would read a boolean */
	emit_string(e, "N");
	emit_string(e, "12");         /* would read as a number */
	emit_string(e, "key: value");
	emit_string(e, "");
	emit_string(e, "liew2025/upcycled");
	emit_string(e, "caf\xc3\xa9");
	emit_array_end(e);
}

static void test_escapes(void)
{
	int rc;
	char *j = render(EMIT_JSON, escapes, &rc), *y;

	check_int(rc, 0, "escapes: json finish");
	check(strstr(j, "\"a\\\"b\\\\c\\nd\\te\\u0001\"") != NULL,
	      "json: quote, backslash, newline, tab, control escaped");
	check(strstr(j, "\"caf\xc3\xa9\"") != NULL, "json: UTF-8 passes through");
	free(j);
	y = render(EMIT_YAML, escapes, &rc);
	check_int(rc, 0, "escapes: yaml finish");
	check(strstr(y, "- \"a\\\"b\\\\c\\nd\\te\\u0001\"\n") != NULL,
	      "yaml: escapes in double quotes");
	check(strstr(y, "- \"yes\"\n") != NULL, "yaml: 'yes' quoted");
	check(strstr(y, "- \"N\"\n") != NULL, "yaml: 'N' quoted");
	check(strstr(y, "- \"12\"\n") != NULL, "yaml: '12' quoted");
	check(strstr(y, "- \"key: value\"\n") != NULL, "yaml: ': ' quoted");
	check(strstr(y, "- \"\"\n") != NULL, "yaml: empty string quoted");
	check(strstr(y, "- liew2025/upcycled\n") != NULL, "yaml: plain name");
	free(y);
}

/* Numbers: shortest text that strtod reads back to the same bits. */
static void test_numbers(void)
{
	const double v[] = { 0.1, 1.0 / 3, 2.0 / 3 * 1e21, 6.02214076e23,
	                     1e22, 3.2e21, -1.5e-7, 5e-324, 1.7976931348623157e308,
	                     0, 70e9, 0.30000000000000004 };
	char buf[EMIT_NUM_LEN], what[96];

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		emit_fmt_number(v[i], buf);
		snprintf(what, sizeof what, "%s reads back exactly", buf);
		check(strtod(buf, NULL) == v[i], what);
	}
	emit_fmt_number(0.1, buf);
	check_str(buf, "0.1", "0.1 shortest");
	emit_fmt_number(1e22, buf);
	check_str(buf, "1e+22", "1e22 shortest");
	emit_fmt_number(2000, buf);
	check_str(buf, "2000", "2000 in full");
	emit_fmt_number(-1.3e9, buf);
	check_str(buf, "-1300000000", "-1.3e9 in full");
	emit_fmt_number(1e15, buf);
	check_str(buf, "1e+15", "1e15 with an exponent");
	emit_fmt_number(2.5e-7, buf);
	check_str(buf, "2.5e-07", "2.5e-7 shortest");
	emit_fmt_number(0.30000000000000004, buf);
	check_str(buf, "0.30000000000000004", "0.1+0.2 needs 17 digits");
	check_int(emit_fmt_number(NAN, buf), -1, "NaN is refused");
	check_str(buf, "", "NaN gives an empty text");
	check_int(emit_fmt_number(-INFINITY, buf), -1, "-Inf is refused");
}

static void nonfinite(struct emit *e)
{
	emit_object_begin(e);
	emit_kv_number(e, "nan", NAN);
	emit_kv_number(e, "inf", INFINITY);
	emit_object_end(e);
}

static void test_nonfinite(void)
{
	int rc;
	char *j = render(EMIT_JSON, nonfinite, &rc), *y;

	check(strstr(j, "\"nan\": null") && strstr(j, "\"inf\": null") &&
	      !strstr(j, "nan,") && !strstr(j, "inf\n"), "json: NaN/Inf -> null");
	free(j);
	y = render(EMIT_YAML, nonfinite, &rc);
	check_str(y, "nan: null\ninf: null\n", "yaml: NaN/Inf -> null");
	free(y);
}

static void bad_key_in_array(struct emit *e)
{
	emit_array_begin(e);
	emit_key(e, "k");
	emit_array_end(e);
}

static void bad_value_without_key(struct emit *e)
{
	emit_object_begin(e);
	emit_int(e, 1);
	emit_object_end(e);
}

static void bad_unclosed(struct emit *e)
{
	emit_object_begin(e);
	emit_key(e, "a");
	emit_array_begin(e);
}

static void bad_mismatch(struct emit *e)
{
	emit_object_begin(e);
	emit_array_end(e);
}

static void bad_two_roots(struct emit *e)
{
	emit_int(e, 1);
	emit_int(e, 2);
}

static void deep(struct emit *e)
{
	for (int i = 0; i < EMIT_MAX_DEPTH + 1; i++)
		emit_array_begin(e);
}

static void test_misuse(void)
{
	void (*bad[])(struct emit *) = { bad_key_in_array, bad_value_without_key,
	                                 bad_unclosed, bad_mismatch, bad_two_roots,
	                                 deep };
	const char *name[] = { "key in array", "value without key", "unclosed",
	                       "mismatched end", "two roots", "too deep" };

	for (int fmt = EMIT_JSON; fmt <= EMIT_YAML; fmt++)
		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			int rc;
			char what[96];

			free(render((enum emit_format)fmt, bad[i], &rc));
			snprintf(what, sizeof what, "%s: %s detected",
			         fmt == EMIT_JSON ? "json" : "yaml", name[i]);
			check_int(rc, -1, what);
		}
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return NULL;
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Temporary files left next to path (name.tmpXXXXXX). */
static int leftovers(const char *dir)
{
	char cmd[512];
	FILE *p;
	int n = 0, c;

	snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c tmp", dir);
	p = popen(cmd, "r");
	if (p == NULL)
		return -1;
	if (fscanf(p, "%d", &n) != 1)
		n = -1;
	while ((c = fgetc(p)) != EOF)
		;
	pclose(p);
	return n;
}

static void test_atomic(void)
{
	char dir[] = "/tmp/test_emit.XXXXXX", path[256];
	struct emit_atomic a;
	struct mp_error err;
	struct stat st;

	umask(022);
	if (mkdtemp(dir) == NULL) {
		check(0, "mkdtemp");
		return;
	}
	snprintf(path, sizeof path, "%s/out.yaml", dir);
	mp_error_clear(&err);

	check_int(emit_atomic_open(&a, path, &err), 0, "atomic open");
	fputs("first\n", a.f);
	check(slurp(path) == NULL, "target not there before commit");
	check_int(emit_atomic_commit(&a, &err), 0, "atomic commit");
	check_str(slurp(path), "first\n", "committed content");
	check(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644,
	      "mode 0644 from umask 022, not mkstemp's 0600");

	check_int(emit_atomic_open(&a, path, &err), 0, "second open");
	fputs("second, interrupted\n", a.f);
	check_int(emit_atomic_abort(&a), 0, "abort");
	check_str(slurp(path), "first\n", "abort leaves the old file");
	check_int(leftovers(dir), 0, "no temporary file left after abort");
	check_int(emit_atomic_abort(&a), 0, "abort twice is harmless");

	check_int(emit_atomic_open(&a, path, &err), 0, "third open");
	fputs("third\n", a.f);
	check_int(emit_atomic_commit(&a, &err), 0, "third commit");
	check_str(slurp(path), "third\n", "commit replaces");
	check_int(leftovers(dir), 0, "no temporary file left after commit");

	check_int(emit_atomic_open(&a, "/nonexistent-dir/x.yaml", &err), -1,
	          "open in a missing directory fails");
	check(strstr(err.msg, "/nonexistent-dir/x.yaml") != NULL,
	      "message names the file");
	check_int(emit_atomic_abort(&a), 0, "abort after a failed open");

	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_json_text();
	test_yaml_text();
	test_escapes();
	test_numbers();
	test_nonfinite();
	test_misuse();
	test_atomic();
	return check_done();
}
