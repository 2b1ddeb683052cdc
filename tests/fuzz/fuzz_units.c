/*
 * fuzz_units.c — fuzz target: the budget and number parser (core/units.c).
 * The input is the text typed after --budget (or --unit, or any number
 * option); it goes through units_parse_number, units_parse_budget and
 * units_parse_unit, and every value parsed is formatted back, into a
 * roomy buffer and into tiny ones.
 *
 * Invariants: a failure says why; a parsed number is finite; a parsed
 * budget is finite and > 0; formatting never writes "nan" or "inf" for a
 * finite value, and always NUL-terminates.
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

static void format_all(double v)
{
	static const size_t sizes[] = { 64, 8, 2, 1 };
	char buf[64];

	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		const char *(*fmt[])(double, char *, size_t) = {
			units_fmt_count, units_fmt_sci, units_fmt_usd, units_fmt_hours,
		};

		for (size_t f = 0; f < sizeof fmt / sizeof fmt[0]; f++) {
			memset(buf, 'x', sizeof buf);
			fmt[f](v, buf, sizes[i]);
			if (memchr(buf, '\0', sizes[i]) == NULL)
				fuzz_fail("format %zu of %g into %zu bytes: no NUL", f, v,
				          sizes[i]);
			if (sizes[i] == 64 && (strstr(buf, "nan") || strstr(buf, "inf")))
				fuzz_fail("format %zu of %g gave '%s'", f, v, buf);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct mp_error err;
	enum budget_unit unit;
	double v;

	mp_error_clear(&err);
	if (units_parse_number(s, &v, &err) == 0) {
		if (!isfinite(v))
			fuzz_fail("number '%s' parsed as %g", s, v);
		format_all(v);
	} else if (err.msg[0] == '\0') {
		fuzz_fail("units_parse_number failed without a message");
	}
	mp_error_clear(&err);
	if (units_parse_budget(s, &v, &unit, &err) == 0) {
		if (!isfinite(v) || !(v > 0))
			fuzz_fail("budget '%s' parsed as %g", s, v);
		if (strcmp(units_unit_name(unit), "") == 0)
			fuzz_fail("budget '%s': unit without a name", s);
		format_all(v);
	} else if (err.msg[0] == '\0') {
		fuzz_fail("units_parse_budget failed without a message");
	}
	mp_error_clear(&err);
	if (units_parse_unit(s, &unit, &err) != 0 && err.msg[0] == '\0')
		fuzz_fail("units_parse_unit failed without a message");
	free(s);
	return 0;
}
