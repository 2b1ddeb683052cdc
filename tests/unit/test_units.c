/*
 * test_units.c — units.c: parsing numbers and budgets as people type them,
 * every rejection with a message that quotes the text, and the short human
 * formats.  Expected values are the decimal meaning of the text, written
 * out by hand (2.5k = 2500, "2,000" = 2000, ...).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/units.h"
#include "tap.h"

/* units_parse_number(s) == want exactly. */
static void num_ok(const char *s, double want)
{
	struct mp_error err;
	char what[128];
	double v = NAN;
	int rc;

	mp_error_clear(&err);
	rc = units_parse_number(s, &v, &err);
	snprintf(what, sizeof what, "number '%s' parses", s);
	check(rc == 0, what);
	if (rc != 0)
		printf("  error: %s\n", err.msg);
	snprintf(what, sizeof what, "number '%s'", s);
	check_rel(v, want, 0, what);
}

/* Fails, and the message holds each of the fragments (NULL-terminated). */
static void rejected(int rc, const struct mp_error *err, const char *s,
                     const char *const *frag)
{
	char what[1024];

	snprintf(what, sizeof what, "'%s' rejected", s);
	check(rc == -1, what);
	for (size_t i = 0; frag[i] != NULL; i++) {
		snprintf(what, sizeof what, "'%s': message has \"%s\" (got \"%s\")",
		         s, frag[i], err->msg);
		check(strstr(err->msg, frag[i]) != NULL, what);
	}
}

static void num_bad(const char *s, const char *f1, const char *f2)
{
	const char *frag[] = { f1, f2, NULL };
	struct mp_error err;
	double v = 0;

	mp_error_clear(&err);
	rejected(units_parse_number(s, &v, &err), &err, s, frag);
}

static void budget_ok(const char *s, double want, enum budget_unit unit)
{
	struct mp_error err;
	enum budget_unit u = (enum budget_unit)-1;
	char what[128];
	double v = NAN;
	int rc;

	mp_error_clear(&err);
	rc = units_parse_budget(s, &v, &u, &err);
	snprintf(what, sizeof what, "budget '%s' parses", s);
	check(rc == 0, what);
	if (rc != 0)
		printf("  error: %s\n", err.msg);
	snprintf(what, sizeof what, "budget '%s' value", s);
	check_rel(v, want, 0, what);
	snprintf(what, sizeof what, "budget '%s' unit", s);
	check_str(units_unit_name(u), units_unit_name(unit), what);
}

static void budget_bad(const char *s, const char *f1, const char *f2,
                       const char *f3)
{
	const char *frag[] = { f1, f2, f3, NULL };
	struct mp_error err;
	enum budget_unit u;
	double v = 0;

	mp_error_clear(&err);
	rejected(units_parse_budget(s, &v, &u, &err), &err, s, frag);
}

/* 200 digits: rejected, and the message quotes at most 64 characters. */
static void test_long(void)
{
	char s[201];
	struct mp_error err;
	double v;

	memset(s, '7', 200);
	s[200] = '\0';
	mp_error_clear(&err);
	check(units_parse_number(s, &v, &err) == -1 &&
	      strstr(err.msg, "too many digits") != NULL,
	      "200 digits rejected: too many digits");
	check(strlen(err.msg) < 120, "long text quoted in part");
}

static void test_numbers(void)
{
	num_ok("1e22", 1e22);
	num_ok("3.2e+21", 3.2e21);
	num_ok("3.2E21", 3.2e21);
	num_ok("6e-3", 0.006);
	num_ok("2.5k", 2500);
	num_ok("2.5K", 2500);
	num_ok("1.4T", 1.4e12);
	num_ok("70B", 70e9);
	num_ok("7b", 7e9);
	num_ok("1G", 1e9);
	num_ok("300M", 300e6);
	num_ok("2P", 2e15);
	num_ok("1.5E", 1.5e18);        /* exa, not an exponent */
	num_ok("2,000", 2000);
	num_ok("1,234,567.5", 1234567.5);
	num_ok("12", 12);
	num_ok("  42  ", 42);
	num_ok("-3", -3);
	num_ok("+3", 3);
	num_ok(".5", 0.5);
	num_ok("0", 0);
	num_ok("1e3k", 1e6);

	num_bad("", "empty", NULL);
	num_bad("   ", "empty", NULL);
	num_bad("abc", "'abc'", "not a number");
	num_bad("1e22x", "'1e22x'", "unexpected 'x'");
	num_bad("nan", "'nan'", "not a number");
	num_bad("NaN", "'NaN'", "not a number");
	num_bad("inf", "'inf'", "not a number");
	num_bad("-infinity", "'-infinity'", "not a number");
	num_bad("1e400", "'1e400'", "out of range");
	num_bad("1e-400", "'1e-400'", "out of range");
	num_bad("1e306E", "'1e306E'", "out of range");  /* 1e324 */
	num_bad("--5", "'--5'", "not a number");
	num_bad("0x10", "'0x10'", "unexpected 'x10'");
	num_bad("1,00", "'1,00'", "thousands separator");
	num_bad("1234,567", "'1234,567'", "thousands separator");
	num_bad("2,", "'2,'", "thousands separator");
	num_bad("0,123", "'0,123'", "thousands separator");
	num_bad(".", "'.'", "not a number");
	num_bad("1.2.3", "'1.2.3'", "unexpected '.3'");
	num_bad("2.5 k", "'2.5 k'", "unexpected 'k'");
	num_bad("5 flops", "'5 flops'", "unexpected 'flops'");
	test_long();
}

static void test_budgets(void)
{
	budget_ok("1e22", 1e22, UNIT_NONE);
	budget_ok("1e22 flops", 1e22, UNIT_FLOPS);
	budget_ok("1e22 FLOPs", 1e22, UNIT_FLOPS);
	budget_ok("3.2e+21flops", 3.2e21, UNIT_FLOPS);
	budget_ok("$300k", 300e3, UNIT_USD);
	budget_ok("$ 1.5M", 1.5e6, UNIT_USD);
	budget_ok("300k usd", 300e3, UNIT_USD);
	budget_ok("300k USD", 300e3, UNIT_USD);
	budget_ok("$300k usd", 300e3, UNIT_USD);
	budget_ok("$2,000", 2000, UNIT_USD);
	budget_ok("2.5k hours", 2500, UNIT_HOURS);
	budget_ok("2.5k h", 2500, UNIT_HOURS);
	budget_ok("2.5kh", 2500, UNIT_HOURS);
	budget_ok("2000 h100-hours", 2000, UNIT_HOURS);
	budget_ok("2,000 H100-hours", 2000, UNIT_HOURS);
	budget_ok("10 gpu-hours", 10, UNIT_HOURS);
	budget_ok("1 gpu-hour", 1, UNIT_HOURS);
	budget_ok("750 a100_80gb-hours", 750, UNIT_HOURS);

	budget_bad("", "empty budget", NULL, NULL);
	budget_bad("junk", "'junk'", "not a number", NULL);
	budget_bad("1e22x", "'1e22x'", "unknown unit 'x'", "flops");
	budget_bad("1e22 flop5", "'1e22 flop5'", "unknown unit 'flop5'",
	           "flops, hours");
	budget_bad("1e22 flop5", "<device>-hours", "usd", NULL);
	budget_bad("2 gpu hours", "unknown unit 'gpu hours'", NULL, NULL);
	budget_bad("2 -hours", "unknown unit '-hours'", NULL, NULL);
	budget_bad("nan", "'nan'", "not a number", NULL);
	budget_bad("inf flops", "'inf flops'", "not a number", NULL);
	budget_bad("1e400", "'1e400'", "out of range", NULL);
	budget_bad("--5", "'--5'", "not a number", NULL);
	budget_bad("0", "'0'", "greater than zero", NULL);
	budget_bad("-5 hours", "'-5 hours'", "greater than zero", NULL);
	budget_bad("$-5", "'$-5'", "greater than zero", NULL);
	budget_bad("$5 hours", "'$5 hours'", "different units", NULL);
	budget_bad("$", "'$'", "not a number", NULL);
	budget_bad("5 $", "unknown unit '$'", NULL, NULL);
}

static void test_unit_words(void)
{
	static const struct { const char *s; enum budget_unit u; } ok[] = {
		{ "flops", UNIT_FLOPS }, { "FLOPS", UNIT_FLOPS },
		{ "hours", UNIT_HOURS }, { "h", UNIT_HOURS },
		{ "gpu-hours", UNIT_HOURS }, { "h100-hours", UNIT_HOURS },
		{ "usd", UNIT_USD }, { "$", UNIT_USD }, { " usd ", UNIT_USD },
	};
	struct mp_error err;
	enum budget_unit u;
	char what[128];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		u = UNIT_NONE;
		snprintf(what, sizeof what, "unit '%s'", ok[i].s);
		check(units_parse_unit(ok[i].s, &u, &err) == 0 && u == ok[i].u, what);
	}
	mp_error_clear(&err);
	check(units_parse_unit("parsecs", &u, &err) == -1 &&
	      strstr(err.msg, "unknown unit 'parsecs'") != NULL &&
	      strstr(err.msg, "flops") != NULL && strstr(err.msg, "usd") != NULL,
	      "unit 'parsecs' rejected, valid units listed");
	check(units_parse_unit("", &u, &err) == -1, "empty unit rejected");
	check_str(units_unit_name(UNIT_FLOPS), "flops", "name flops");
	check_str(units_unit_name(UNIT_HOURS), "hours", "name hours");
	check_str(units_unit_name(UNIT_USD), "usd", "name usd");
	check_str(units_unit_name(UNIT_NONE), "none", "name none");
}

static void fmt(const char *(*f)(double, char *, size_t), double v,
                const char *want)
{
	char buf[64], what[96];

	snprintf(what, sizeof what, "format %.17g", v);
	check_str(f(v, buf, sizeof buf), want, what);
}

static void test_format(void)
{
	char small[4];

	fmt(units_fmt_count, 1.3e9, "1.3B");
	fmt(units_fmt_count, 1.34e9, "1.3B");
	fmt(units_fmt_count, 70e6, "70M");
	fmt(units_fmt_count, 2.1e12, "2.1T");
	fmt(units_fmt_count, 46.7e9, "46.7B");
	fmt(units_fmt_count, 175e9, "175B");
	fmt(units_fmt_count, 7e9, "7B");
	fmt(units_fmt_count, 950, "950");
	fmt(units_fmt_count, 8, "8");
	fmt(units_fmt_count, 2500, "2.5k");
	fmt(units_fmt_count, 999.96e6, "1B");       /* rounds up a step */
	fmt(units_fmt_count, 999.4e6, "999M");
	fmt(units_fmt_count, 99.96e6, "100M");
	fmt(units_fmt_count, 1.5e15, "1.5e15");     /* beyond T */
	fmt(units_fmt_count, -2.5e9, "-2.5B");
	fmt(units_fmt_count, 0, "0");
	fmt(units_fmt_count, 0.25, "0.25");
	fmt(units_fmt_count, NAN, "n/a");

	fmt(units_fmt_sci, 3.4e21, "3.4e21");
	fmt(units_fmt_sci, 3.44e21, "3.4e21");
	fmt(units_fmt_sci, 1e22, "1.0e22");
	fmt(units_fmt_sci, 9.96e21, "1.0e22");
	fmt(units_fmt_sci, 5.5e-5, "5.5e-5");
	fmt(units_fmt_sci, 0, "0");
	fmt(units_fmt_sci, INFINITY, "n/a");

	fmt(units_fmt_usd, 1.2e6, "$1.2M");
	fmt(units_fmt_usd, 300e3, "$300k");
	fmt(units_fmt_usd, 950, "$950");
	fmt(units_fmt_usd, 12.5, "$12.50");
	fmt(units_fmt_usd, 0.42, "$0.42");
	fmt(units_fmt_usd, 2e9, "$2B");

	fmt(units_fmt_hours, 1500, "1.5k h");
	fmt(units_fmt_hours, 12, "12.0 h");
	fmt(units_fmt_hours, 0.5, "0.5 h");
	fmt(units_fmt_hours, 2e6, "2M h");

	/* a short buffer truncates, never overflows */
	units_fmt_count(1.3e9, small, sizeof small);
	check_str(small, "1.3", "truncated to the buffer");
}

/* The solver counts FLOPs or device-seconds: an hour is 3600 of them, a
 * dollar at $3 per device-hour is 1200. */
static void test_budget_units(void)
{
	check_rel(units_budget_scale(UNIT_FLOPS, NAN), 1, 0, "FLOPs: scale 1");
	check_rel(units_budget_scale(UNIT_HOURS, NAN), 1.0 / 3600, 1e-15,
	          "hours: 1/3600 per device-second");
	check_rel(units_budget_scale(UNIT_USD, 3.0), 3.0 / 3600, 1e-15,
	          "USD at $3/h: 3/3600 per device-second");
	check(isnan(units_budget_scale(UNIT_USD, NAN)), "USD without a price: NAN");
	check_rel(units_budget_to_solver(UNIT_FLOPS, 1e22, NAN), 1e22, 0,
	          "1e22 FLOPs are 1e22 to the solver");
	check_rel(units_budget_to_solver(UNIT_HOURS, 2000, NAN), 7.2e6, 1e-15,
	          "2000 device-hours are 7.2e6 device-seconds");
	check_rel(units_budget_to_solver(UNIT_USD, 300e3, 3.0), 3.6e8, 1e-15,
	          "$300k at $3/h: 1e5 device-hours, 3.6e8 device-seconds");
	check(isnan(units_budget_to_solver(UNIT_USD, 1, 0)),
	      "USD at a zero price cannot be converted");
	check_rel(units_budget_from_solver(UNIT_USD, 3.6e8, 3.0), 300e3, 1e-15,
	          "3.6e8 device-seconds at $3/h cost $300k");
	check_rel(units_budget_from_solver(UNIT_HOURS, 7.2e6, NAN), 2000, 1e-15,
	          "7.2e6 device-seconds are 2000 device-hours");
}

int main(void)
{
	test_budget_units();
	test_numbers();
	test_budgets();
	test_unit_words();
	test_format();
	return check_done();
}
