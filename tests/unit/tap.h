/*
 * tap.h — a tiny check harness for the unit tests.
 *
 * Each check prints one line ("ok" or "FAIL" with the values); check_done
 * prints "N passed, N failed" and returns the exit status for main.
 * Relative-tolerance comparisons in the GSL manner.
 */
#ifndef MP_TAP_H
#define MP_TAP_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int tap_pass, tap_fail;

static inline void check(int ok, const char *what)
{
	if (ok)
		tap_pass++;
	else
		tap_fail++;
	printf("%s: %s\n", ok ? "ok" : "FAIL", what);
}

/* |got - want| <= rel * |want| (or <= rel when want == 0). */
static inline void check_rel(double got, double want, double rel,
                             const char *what)
{
	double tol = want == 0 ? rel : rel * fabs(want);
	int ok = isfinite(got) && fabs(got - want) <= tol;

	if (ok)
		tap_pass++;
	else
		tap_fail++;
	printf("%s: %s: got %.10g, want %.10g (rel tol %g, rel err %.3g)\n",
	       ok ? "ok" : "FAIL", what, got, want, rel,
	       want == 0 ? fabs(got) : fabs(got - want) / fabs(want));
}

static inline void check_int(long got, long want, const char *what)
{
	int ok = got == want;

	if (ok)
		tap_pass++;
	else
		tap_fail++;
	printf("%s: %s: got %ld, want %ld\n", ok ? "ok" : "FAIL", what, got, want);
}

static inline void check_str(const char *got, const char *want, const char *what)
{
	int ok = got != NULL && strcmp(got, want) == 0;

	if (ok)
		tap_pass++;
	else
		tap_fail++;
	printf("%s: %s: got \"%s\", want \"%s\"\n", ok ? "ok" : "FAIL", what,
	       got ? got : "(null)", want);
}

static inline int check_done(void)
{
	printf("%d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail == 0 ? 0 : 1;
}

#endif
