/*
 * units.c — parsing and formatting of numbers with SI suffixes and budget
 * units (see units.h).
 *
 * Parsing is strict and hand-written: the number is scanned against
 *     [+-] digits [, ddd]... [. digits] [e [+-] digits] [suffix]
 * before strtod sees it, so strtod's extras ("nan", "inf", hex floats,
 * locale) never get through.  Thousands separators must group exactly three
 * digits.  Suffixes are decimal: k/K = 1e3, M/m = 1e6, B/b/G/g = 1e9,
 * T/t = 1e12, P/p = 1e15, E = 1e18 (upper case only, lower case e is the
 * exponent).  A budget may add a unit: a leading '$', or a word after the
 * number ("usd", "flops", "hours", "h", "gpu-hours", any "<device>-hours").
 *
 * Formatting never allocates: the caller passes the buffer, which is
 * returned.  Non-finite values format as "n/a" (a bug upstream: reports
 * must not show them).
 */
#include "config.h"

#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define UNITS_VALID "flops, hours, h, gpu-hours, <device>-hours, usd " \
	"or a leading $"

/* Longest text quoted in a message. */
#define QUOTE_MAX 64

struct suffix { char c; double mult; };

static const struct suffix suffixes[] = {
	{ 'k', 1e3 }, { 'K', 1e3 }, { 'M', 1e6 }, { 'm', 1e6 },
	{ 'B', 1e9 }, { 'b', 1e9 }, { 'G', 1e9 }, { 'g', 1e9 },
	{ 'T', 1e12 }, { 't', 1e12 }, { 'P', 1e15 }, { 'p', 1e15 },
	{ 'E', 1e18 },
};

static double suffix_mult(char c)
{
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
		if (suffixes[i].c == c)
			return suffixes[i].mult;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Number of digits at s. */
static size_t span_digits(const char *s)
{
	size_t n = 0;

	while (is_digit(s[n]))
		n++;
	return n;
}

/*
 * Scan a number at s (no leading space).  Copies the part strtod should see,
 * without separators, into buf; sets *mult from the suffix (1 if none) and
 * *end past the number and suffix.  Returns 0, or -1 with a reason in *why
 * (a static string) when no number starts at s.
 */
static int scan_number(const char *s, char *buf, size_t n, double *mult,
                       const char **end, const char **why)
{
	const char *p = s;
	size_t len = 0, d, int_digits = 0, frac_digits = 0;

#define PUT(c) do { if (len + 1 < n) buf[len++] = (c); } while (0)
	*why = NULL;
	if (*p == '+' || *p == '-') {
		PUT(*p);
		p++;
	}
	d = span_digits(p);
	if (d > 0 && p[d] == ',') {
		/* thousands separators: 1-3 digits, then groups of exactly 3 */
		if (d > 3 || p[0] == '0') {
			*why = "misplaced thousands separator";
			return -1;
		}
		while (d > 0) {
			for (size_t i = 0; i < d; i++)
				PUT(p[i]);
			int_digits += d;
			p += d;
			if (*p != ',')
				break;
			p++;
			d = span_digits(p);
			if (d != 3) {
				*why = "misplaced thousands separator";
				return -1;
			}
		}
	} else {
		for (size_t i = 0; i < d; i++)
			PUT(p[i]);
		int_digits = d;
		p += d;
	}
	if (*p == '.') {
		PUT(*p);
		p++;
		frac_digits = span_digits(p);
		for (size_t i = 0; i < frac_digits; i++)
			PUT(p[i]);
		p += frac_digits;
	}
	if (int_digits + frac_digits == 0)
		return -1;
	if ((*p == 'e' || *p == 'E') &&
	    (is_digit(p[1]) || ((p[1] == '+' || p[1] == '-') && is_digit(p[2])))) {
		PUT(*p);
		p++;
		if (*p == '+' || *p == '-') {
			PUT(*p);
			p++;
		}
		d = span_digits(p);
		for (size_t i = 0; i < d; i++)
			PUT(p[i]);
		p += d;
	}
#undef PUT
	buf[len] = '\0';
	if (len + 1 >= n) {
		*why = "too many digits";
		return -1;
	}
	*mult = 1;
	if (*p != '\0' && suffix_mult(*p) > 0) {
		*mult = suffix_mult(*p);
		p++;
	}
	*end = p;
	return 0;
}

/* Convert a scanned number; -1 with err if out of range. */
static int convert(const char *text, const char *buf, double mult,
                   double *out, struct mp_error *err)
{
	double v;

	errno = 0;
	v = strtod(buf, NULL);
	if (errno == ERANGE || !isfinite(v) || !isfinite(v * mult))
		return mp_error_set(err, "'%.*s' is out of range", QUOTE_MAX, text);
	*out = v * mult;
	return 0;
}

static const char *skip_space(const char *s)
{
	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	return s;
}

/* Length of s without trailing white space. */
static size_t trimmed_len(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

static int not_a_number(const char *text, const char *why, struct mp_error *err)
{
	if (why != NULL)
		return mp_error_set(err, "'%.*s' is not a number: %s", QUOTE_MAX,
		                    text, why);
	return mp_error_set(err, "'%.*s' is not a number", QUOTE_MAX, text);
}

int units_parse_number(const char *s, double *out, struct mp_error *err)
{
	char buf[128];
	const char *p, *end, *why;
	double mult;

	if (s == NULL || *skip_space(s) == '\0')
		return mp_error_set(err, "empty number");
	p = skip_space(s);
	if (scan_number(p, buf, sizeof buf, &mult, &end, &why) != 0)
		return not_a_number(s, why, err);
	if (*skip_space(end) != '\0') {
		const char *junk = skip_space(end);
		return mp_error_set(err, "'%.*s' is not a number: unexpected '%.*s'",
		                    QUOTE_MAX, s, (int)trimmed_len(junk), junk);
	}
	return convert(s, buf, mult, out, err);
}

/* Case-insensitive comparison of the n bytes at s with the word w. */
static int word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* The unit a word names, or UNIT_NONE. */
static enum budget_unit unit_of_word(const char *s, size_t n)
{
	static const char *const flops[] = { "flops", "flop", NULL };
	static const char *const hours[] = { "hours", "hour", "h", "hrs", "hr",
	                                     NULL };
	static const char *const usd[] = { "usd", "$", "dollars", "dollar", NULL };
	const char *dash;

	for (size_t i = 0; flops[i] != NULL; i++)
		if (word_is(s, n, flops[i]))
			return UNIT_FLOPS;
	for (size_t i = 0; hours[i] != NULL; i++)
		if (word_is(s, n, hours[i]))
			return UNIT_HOURS;
	for (size_t i = 0; usd[i] != NULL; i++)
		if (word_is(s, n, usd[i]))
			return UNIT_USD;
	/* "<device>-hours", "<device>-hour": gpu-hours, h100-hours, ... */
	dash = memchr(s, '-', n);
	if (dash != NULL && dash > s) {
		size_t rest = n - (size_t)(dash + 1 - s);

		for (const char *p = s; p < dash; p++)
			if (!isalnum((unsigned char)*p) && *p != '_')
				return UNIT_NONE;
		if (word_is(dash + 1, rest, "hours") || word_is(dash + 1, rest, "hour"))
			return UNIT_HOURS;
	}
	return UNIT_NONE;
}

int units_parse_unit(const char *s, enum budget_unit *unit, struct mp_error *err)
{
	const char *p;
	size_t n;

	if (s == NULL || *skip_space(s) == '\0')
		return mp_error_set(err, "empty unit (expected " UNITS_VALID ")");
	p = skip_space(s);
	n = trimmed_len(p);
	*unit = unit_of_word(p, n);
	if (*unit == UNIT_NONE)
		return mp_error_set(err, "unknown unit '%.*s' (expected " UNITS_VALID ")",
		                    (int)(n < QUOTE_MAX ? n : QUOTE_MAX), p);
	return 0;
}

const char *units_unit_name(enum budget_unit u)
{
	switch (u) {
	case UNIT_FLOPS: return "flops";
	case UNIT_HOURS: return "hours";
	case UNIT_USD:   return "usd";
	case UNIT_NONE:  break;
	}
	return "none";
}

double units_budget_scale(enum budget_unit u, double price)
{
	switch (u) {
	case UNIT_HOURS:
		return 1.0 / 3600;                 /* device-seconds -> hours */
	case UNIT_USD:                         /* device-hours x price */
		return isfinite(price) && price > 0 ? price / 3600 : NAN;
	case UNIT_FLOPS:
	case UNIT_NONE:
		break;
	}
	return 1;
}

/* (The two below are written out rather than through the scale, so that
 * a budget converts the same way, to the last bit, everywhere.) */
double units_budget_to_solver(enum budget_unit u, double value, double price)
{
	switch (u) {
	case UNIT_HOURS:
		return value * 3600;
	case UNIT_USD:
		return isfinite(price) && price > 0 ? value / price * 3600 : NAN;
	case UNIT_FLOPS:
	case UNIT_NONE:
		break;
	}
	return value;
}

double units_budget_from_solver(enum budget_unit u, double budget,
                                double price)
{
	switch (u) {
	case UNIT_HOURS:
		return budget / 3600;
	case UNIT_USD:
		return isfinite(price) && price > 0 ? budget / 3600 * price : NAN;
	case UNIT_FLOPS:
	case UNIT_NONE:
		break;
	}
	return budget;
}

/* The unit word after a budget's number: rest of the text, trimmed. */
static int budget_unit_word(const char *text, const char *w,
                            enum budget_unit *unit, struct mp_error *err)
{
	size_t n;

	w = skip_space(w);
	n = trimmed_len(w);
	if (n == 0) {
		*unit = UNIT_NONE;
		return 0;
	}
	*unit = unit_of_word(w, n);
	if (*unit == UNIT_NONE || word_is(w, n, "$"))
		return mp_error_set(err, "'%.*s': unknown unit '%.*s' (expected "
		                    UNITS_VALID ")", QUOTE_MAX, text,
		                    (int)(n < QUOTE_MAX ? n : QUOTE_MAX), w);
	return 0;
}

int units_parse_budget(const char *s, double *value, enum budget_unit *unit,
                       struct mp_error *err)
{
	char buf[128];
	const char *p, *end, *why;
	enum budget_unit dollar = UNIT_NONE, word;
	double mult, v;

	if (s == NULL || *skip_space(s) == '\0')
		return mp_error_set(err, "empty budget");
	p = skip_space(s);
	if (*p == '$') {
		dollar = UNIT_USD;
		p = skip_space(p + 1);
	}
	if (scan_number(p, buf, sizeof buf, &mult, &end, &why) != 0)
		return not_a_number(s, why, err);
	if (budget_unit_word(s, end, &word, err) != 0)
		return -1;
	if (dollar == UNIT_USD && word != UNIT_NONE && word != UNIT_USD)
		return mp_error_set(err, "'%.*s': '$' and '%s' name different units",
		                    QUOTE_MAX, s, units_unit_name(word));
	if (convert(s, buf, mult, &v, err) != 0)
		return -1;
	if (!(v > 0))
		return mp_error_set(err, "budget '%.*s' must be greater than zero",
		                    QUOTE_MAX, s);
	*value = v;
	*unit = dollar != UNIT_NONE ? dollar : word;
	return 0;
}

/* Remove a trailing ".0" from a decimal with one fraction digit. */
static void strip_point_zero(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[n - 1] == '0' && s[n - 2] == '.')
		s[n - 2] = '\0';
}

/*
 * |v| with an SI suffix: mantissa m in [1, 1000) has one decimal below 100
 * (".0" dropped) and none from 100: 1.3B, 70M, 46.7B, 175B.  Rounding is
 * done before choosing the suffix so that 999.96M prints as 1B.
 */
static void fmt_si(double a, char *out, size_t n)
{
	static const struct { double scale; const char *sfx; } si[] = {
		{ 1e12, "T" }, { 1e9, "B" }, { 1e6, "M" }, { 1e3, "k" }, { 1, "" },
	};
	char num[64];

	if (a >= 999.5e12) {     /* beyond T: scientific */
		units_fmt_sci(a, out, n);
		return;
	}
	if (a < 1) {
		snprintf(out, n, "%.2g", a);
		return;
	}
	for (size_t i = 0; i < sizeof si / sizeof si[0]; i++) {
		double m = a / si[i].scale;

		if (m < 0.9995 && si[i].scale > 1)
			continue;
		if (m < 99.95)
			snprintf(num, sizeof num, "%.1f", m);
		else
			snprintf(num, sizeof num, "%.0f", m);
		if (strcmp(num, "1000") == 0 && i > 0) {  /* rounded up a step */
			snprintf(out, n, "1%s", si[i - 1].sfx);
			return;
		}
		strip_point_zero(num);
		snprintf(out, n, "%s%s", num, si[i].sfx);
		return;
	}
}

const char *units_fmt_count(double v, char *buf, size_t n)
{
	char body[64];

	if (n == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, n, "n/a");
		return buf;
	}
	fmt_si(fabs(v), body, sizeof body);
	snprintf(buf, n, "%s%s", v < 0 ? "-" : "", body);
	return buf;
}

const char *units_fmt_sci(double v, char *buf, size_t n)
{
	char tmp[64], *e;
	int exp10;

	if (n == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, n, "n/a");
		return buf;
	}
	if (v == 0) {
		snprintf(buf, n, "0");
		return buf;
	}
	/* "%.1e" gives "3.4e+21"; drop the '+' and leading exponent zeros */
	snprintf(tmp, sizeof tmp, "%.1e", v);
	e = strchr(tmp, 'e');
	if (e == NULL) {
		snprintf(buf, n, "%s", tmp);
		return buf;
	}
	*e = '\0';
	exp10 = atoi(e + 1);
	snprintf(buf, n, "%se%d", tmp, exp10);
	return buf;
}

const char *units_fmt_usd(double v, char *buf, size_t n)
{
	char body[64];

	if (n == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, n, "n/a");
		return buf;
	}
	if (fabs(v) < 99.995 && v != 0)
		snprintf(body, sizeof body, "%.2f", fabs(v));   /* cents */
	else
		fmt_si(fabs(v), body, sizeof body);
	snprintf(buf, n, "%s$%s", v < 0 ? "-" : "", body);
	return buf;
}

const char *units_fmt_hours(double v, char *buf, size_t n)
{
	char body[64];
	double a = fabs(v);

	if (n == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, n, "n/a");
		return buf;
	}
	if (a < 0.95)
		snprintf(body, sizeof body, "%.2g", a);
	else if (a < 999.95)
		snprintf(body, sizeof body, "%.1f", a);
	else
		fmt_si(a, body, sizeof body);
	snprintf(buf, n, "%s%s h", v < 0 ? "-" : "", body);
	return buf;
}
