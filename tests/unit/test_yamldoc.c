/*
 * test_yamldoc.c — the YAML helpers (src/io/yamldoc.c): loading guards,
 * typed getters, key tables, and 1-based positions in every error.
 * Each case writes a small file to a temporary directory.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/yamldoc.h"
#include "tap.h"

static char dir[] = "/tmp/moeplan-yamldoc-XXXXXX";
static char path[256];

static void put(const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(1);
	}
	fputs(text, f);
	fclose(f);
}

/* Load text; on failure, return the error as "line:col: msg" in buf. */
static int load(struct yamldoc *y, const char *text, char *buf, size_t n)
{
	struct mp_error err;

	put(text);
	mp_error_clear(&err);
	if (yamldoc_load(y, path, &err) == 0)
		return 0;
	snprintf(buf, n, "%d:%d: %s", err.line, err.col, err.msg);
	check_str(err.file, path, "error names the file");
	return -1;
}

static void expect_load_error(const char *text, const char *want,
                              const char *what)
{
	struct yamldoc y;
	char buf[600] = "";

	check(load(&y, text, buf, sizeof buf) != 0, what);
	check_str(buf, want, what);
}

static void test_load_guards(void)
{
	char buf[600];
	struct yamldoc y;
	FILE *f;

	expect_load_error("", "1:1: empty file (expected a mapping)", "empty");
	expect_load_error("# only a comment\n",
	                  "1:1: empty file (expected a mapping)", "comments only");
	expect_load_error("a: &x 1\nb: *x\n",
	                  "2:4: aliases are not supported (*x): write the value out",
	                  "alias refused at its position");
	expect_load_error("a: 1\nb:\n  c: 2\n  c: 3\n",
	                  "4:3: duplicate key 'c' (first at line 3)",
	                  "duplicate key");
	expect_load_error("a: 1\n---\nb: 2\n",
	                  "2:1: more than one YAML document in the file",
	                  "two documents");
	expect_load_error("a:\n\tb: 1\n",
	                  "2:1: syntax error: tab character (YAML indents with "
	                  "spaces only)", "tab");
	expect_load_error("a: [1, 2\n",
	                  "2:1: syntax error: while parsing a flow sequence did "
	                  "not find expected ',' or ']'", "unclosed flow sequence");
	expect_load_error("? [1]\n: 2\n",
	                  "1:3: mapping keys must be plain names, not a sequence",
	                  "sequence as a key");

	/* a file over 4 MiB is refused before parsing */
	f = fopen(path, "w");
	for (long i = 0; f && i < YAMLDOC_MAX_BYTES / 8 + 1; i++)
		fputs("#234567\n", f);
	if (f)
		fclose(f);
	{
		struct mp_error err;

		check(yamldoc_load(&y, path, &err) != 0 &&
		      strstr(err.msg, "file too large") != NULL, "huge file refused");
	}
	check(load(&y, "a: 1\n", buf, sizeof buf) == 0, "a small file loads");
	yamldoc_free(&y);
	{
		struct mp_error err;

		check(yamldoc_load(&y, "/nonexistent/x.yaml", &err) != 0 &&
		      strstr(err.msg, "cannot open") != NULL, "missing file");
		check(yamldoc_load(&y, dir, &err) != 0 &&
		      strstr(err.msg, "not a regular file") != NULL, "directory");
	}
}

/* Number getter on the value of key v in "v: TEXT". */
static void number_case(const char *text, int ok, double want,
                        const char *want_err)
{
	struct yamldoc y;
	struct mp_error err;
	char doc[128], buf[600];
	double v = 0;

	snprintf(doc, sizeof doc, "v: %s\n", text);
	if (load(&y, doc, buf, sizeof buf) != 0) {
		check(0, buf);
		return;
	}
	mp_error_clear(&err);
	if (ok) {
		check(yamldoc_number(&y, yamldoc_map_get(&y, yamldoc_root(&y), "v"),
		                     &v, &err) == 0 && v == want, text);
	} else {
		check(yamldoc_number(&y, yamldoc_map_get(&y, yamldoc_root(&y), "v"),
		                     &v, &err) != 0, text);
		snprintf(buf, sizeof buf, "%d:%d: %s", err.line, err.col, err.msg);
		check_str(buf, want_err, text);
	}
	yamldoc_free(&y);
}

static void test_numbers(void)
{
	number_case("1e18", 1, 1e18, NULL);
	number_case("-0.5", 1, -0.5, NULL);
	number_case("7.98e-4", 1, 7.98e-4, NULL);
	number_case("+3", 1, 3, NULL);
	number_case("nan", 0, 0, "1:4: expected a finite number, got 'nan'");
	number_case(".inf", 0, 0, "1:4: expected a finite number, got '.inf'");
	number_case("-.Inf", 0, 0, "1:4: expected a finite number, got '-.Inf'");
	number_case("1e999", 0, 0, "1:4: number '1e999' is out of range");
	number_case("1e-999", 0, 0, "1:4: number '1e-999' is out of range");
	number_case("12abc", 0, 0, "1:4: expected a number, got '12abc'");
	number_case("0x10", 0, 0, "1:4: expected a number, got '0x10'");
	number_case("'1.5'", 0, 0, "1:4: expected a number, got '1.5'");
	number_case("[1]", 0, 0, "1:4: expected a number, got a sequence");
	number_case("~", 0, 0, "1:4: expected a number, got null");
}

static void test_getters(void)
{
	static const char text[] =
		"n: 42\n"
		"big: 5000000000\n"
		"f: 1.5\n"
		"t: true\n"
		"x: maybe\n"
		"s: \"quoted\"\n"
		"nul: null\n"
		"list: [1, 2e3, 3]\n"
		"badlist: [1, x]\n"
		"m: { a: 1 }\n";
	struct yamldoc y;
	struct mp_error err;
	char buf[600];
	yaml_node_t *r;
	const char *s;
	double *v;
	size_t len;
	long l;
	int b, is_null;
	double d;

	if (load(&y, text, buf, sizeof buf) != 0) {
		check(0, buf);
		return;
	}
	r = yamldoc_root(&y);
	check(yamldoc_int(&y, yamldoc_map_get(&y, r, "n"), 0, 100, &l, &err) == 0
	      && l == 42, "int");
	check(yamldoc_int(&y, yamldoc_map_get(&y, r, "n"), 0, 10, &l, &err) != 0
	      && err.line == 1 && err.col == 4, "int out of range, at 1:4");
	check(yamldoc_int(&y, yamldoc_map_get(&y, r, "f"), 0, 10, &l, &err) != 0,
	      "1.5 is not an integer");
	check(yamldoc_bool(&y, yamldoc_map_get(&y, r, "t"), &b, &err) == 0 && b,
	      "bool true");
	check(yamldoc_bool(&y, yamldoc_map_get(&y, r, "x"), &b, &err) != 0 &&
	      err.line == 5, "'maybe' is not a bool");
	check(yamldoc_string(&y, yamldoc_map_get(&y, r, "s"), &s, &err) == 0,
	      "string");
	check_str(s, "quoted", "quoted string value");
	check(yamldoc_string(&y, yamldoc_map_get(&y, r, "nul"), &s, &err) != 0,
	      "null is not a string");
	check(yamldoc_number_or_null(&y, yamldoc_map_get(&y, r, "nul"), &d,
	                             &is_null, &err) == 0 && is_null && isnan(d),
	      "number_or_null: null -> NAN");
	check(yamldoc_number_list(&y, yamldoc_map_get(&y, r, "list"), 1, 0, &v,
	                          &len, &err) == 0 && len == 3 && v[1] == 2e3,
	      "number list");
	free(v);
	check(yamldoc_number_list(&y, yamldoc_map_get(&y, r, "list"), 2, 2, &v,
	                          &len, &err) != 0 && strstr(err.msg, "of 2"),
	      "list length bounds");
	check(yamldoc_number_list(&y, yamldoc_map_get(&y, r, "badlist"), 0, 0, &v,
	                          &len, &err) != 0 && err.line == 9 &&
	      err.col == 14, "bad list item located at the item (9:14)");
	check(yamldoc_expect_map(&y, yamldoc_map_get(&y, r, "m"), "m", &err) == 0,
	      "mapping");
	check(yamldoc_expect_map(&y, yamldoc_map_get(&y, r, "list"), "list",
	                         &err) != 0, "a sequence is not a mapping");
	check_int((long)yamldoc_map_size(r), 10, "map size");
	yamldoc_free(&y);
}

static void test_keys(void)
{
	static const struct yamldoc_key table[] = {
		{ "name", 1 }, { "size", 0 }, { NULL, 0 },
	};
	struct yamldoc y;
	struct mp_error err;
	char buf[600];

	if (load(&y, "name: x\nsize: 1\n", buf, sizeof buf) == 0) {
		check(yamldoc_check_keys(&y, yamldoc_root(&y), table, "thing",
		                         &err) == 0, "known keys pass");
		yamldoc_free(&y);
	}
	if (load(&y, "name: x\nsise: 1\n", buf, sizeof buf) == 0) {
		check(yamldoc_check_keys(&y, yamldoc_root(&y), table, "thing",
		                         &err) != 0, "unknown key");
		snprintf(buf, sizeof buf, "%d:%d: %s", err.line, err.col, err.msg);
		check_str(buf, "2:1: unknown key 'sise' in thing (expected one of: "
		          "name, size)", "unknown key named, at the key");
		yamldoc_free(&y);
	}
	if (load(&y, "size: 1\n", buf, sizeof buf) == 0) {
		check(yamldoc_check_keys(&y, yamldoc_root(&y), table, "thing",
		                         &err) != 0, "missing key");
		check_str(err.msg, "missing key 'name' in thing", "missing key named");
		yamldoc_free(&y);
	}
}

int main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/t.yaml", dir);
	test_load_guards();
	test_numbers();
	test_getters();
	test_keys();
	unlink(path);
	rmdir(dir);
	return check_done();
}
