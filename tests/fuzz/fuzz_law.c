/*
 * fuzz_law.c — fuzz target: law expressions (core/law.c over libmatheval):
 * law_set_expr, law_set_derived_expr, law_finish and evaluation.
 *
 * The input is up to three lines: the loss expression, the compute
 * expression and the expression of a derived quantity Q (which loss and
 * compute may use).  The law is Chinchilla-shaped: coefficients A, B, E,
 * alpha, beta; N (params, fit [1e8, 1e10]) and D (tokens, fit [1e9,
 * 1e12]).  A law that seals is evaluated at points inside its fit box and
 * at hostile ones (0, negative, 1e300, NaN).
 *
 * Invariants: a failure says why; evaluation returns a finite number or
 * NaN, never an infinity (law.h).
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/law.h"

/* The next line of *s (NUL-terminated in place), or NULL at the end. */
static char *next_line(char **s)
{
	char *line = *s, *nl;

	if (line == NULL)
		return NULL;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = NULL;
	}
	return line;
}

static struct law *chinchilla(void)
{
	static const char *const coef[] = { "A", "B", "E", "alpha", "beta" };
	static const double value[] = { 406.4, 410.7, 1.69, 0.34, 0.28 };
	struct law_var N = { .name = "N", .role = ROLE_PARAMS, .fit_lo = 1e8,
	                     .fit_hi = 1e10 };
	struct law_var D = { .name = "D", .role = ROLE_TOKENS, .fit_lo = 1e9,
	                     .fit_hi = 1e12 };
	struct mp_error err;
	struct law *L = law_new("fuzz", "law", PATH_DENSE, COUNT_TOTAL);

	if (L == NULL)
		abort();
	for (size_t i = 0; i < sizeof coef / sizeof coef[0]; i++)
		if (law_add_coefficient(L, coef[i], value[i], &err) != 0)
			abort();
	if (law_add_variable(L, &N, &err) != 0 ||
	    law_add_variable(L, &D, &err) != 0 ||
	    law_add_derived(L, "Q", &err) != 0)
		abort();
	return L;
}

static void check_value(double v, const char *what)
{
	if (isinf(v))
		fuzz_fail("%s evaluated to %g", what, v);
}

static void evaluate(const struct law *L)
{
	static const double pts[][2] = {
		{ 1e8, 1e9 }, { 1e10, 1e12 }, { 1e9, 2e10 }, { 0, 0 },
		{ -1, 1e12 }, { 1e300, 1e300 }, { 1e-300, 5e-324 }, { NAN, 1e9 },
	};

	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		check_value(law_loss(L, pts[i]), "loss");
		check_value(law_flops(L, pts[i]), "flops");
		check_value(law_dflops(L, pts[i]), "dflops");
		check_value(law_derived(L, 0, pts[i]), "derived");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size), *rest = text;
	char *loss = next_line(&rest), *flops = next_line(&rest);
	char *derived = next_line(&rest);
	struct law *L = chinchilla();
	struct mp_error err;
	int rc;

	mp_error_clear(&err);
	rc = law_set_derived_expr(L, 0, derived != NULL ? derived : "N", &err);
	if (rc == 0)
		rc = law_set_expr(L, LAW_LOSS, loss, &err);
	if (rc == 0)
		rc = law_set_expr(L, LAW_FLOPS, flops != NULL ? flops : "6*N*D", &err);
	if (rc == 0)
		rc = law_finish(L, &err);
	if (rc != 0 && err.msg[0] == '\0')
		fuzz_fail("a law failed to build without a message");
	if (rc == 0)
		evaluate(L);
	law_free(L);
	free(text);
	return 0;
}
