/*
 * test_law.c — building, checking and evaluating laws (src/core/law.c).
 * Expected values are computed here with pow()/log() from the formulas, or
 * are the derived checks of the reference doc.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "core/law.h"
#include "lawfix.h"
#include "tap.h"

static void test_eval(void)
{
	struct law *L = fix_chinchilla(1.69, 406.4, 410.7, 0.34, 0.28);
	double x[2] = { 1e9, 2e10 };
	double want = 1.69 + 406.4 / pow(1e9, 0.34) + 410.7 / pow(2e10, 0.28);

	check_rel(law_loss(L, x), want, 1e-12, "chinchilla loss at N=1e9 D=2e10");
	check_rel(law_flops(L, x), 6 * 1e9 * 2e10, 1e-12, "6ND");
	check_rel(law_dflops(L, x), 6 * 1e9, 1e-12, "d(6ND)/dD = 6N");
	check_int(L->elim, 1, "tokens variable is eliminated");
	law_free(L);
}

static void test_liew_reference(void)
{
	/* reference doc, section 1, "derived checks (natural log)" */
	struct law *d = fix_liew(PATH_DENSE, 8.83, 12.3, 0.088, 0.116, 1);
	struct law *m = fix_liew(PATH_MOE, 32.0, 7.05, 0.161, 0.080, 1);
	struct law *u = fix_liew_upcycled(1);
	double x[2] = { 1e9, 1e11 }, xu[3] = { 1e9, 1e11, 1e11 };
	double xs[3] = { 1e9, 1e11, 1e10 };

	check_rel(law_loss(d, x), 2.2270, 5e-5, "liew dense(1e9, 1e11)");
	check_rel(law_loss(m, x), 2.0505, 5e-5, "liew moe(1e9, 1e11)");
	check_rel(law_loss(u, xu), 2.0654, 5e-5, "liew upcycled(1e9, 1e11, 1e11)");
	check_rel(law_loss(u, xs), 2.236, 5e-4, "liew upcycled(1e9,1e11,1e10), ln");
	law_free(d);
	law_free(m);
	law_free(u);
}

static void test_log10_and_derived(void)
{
	struct law *L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	struct mp_error e;
	double x[2] = { 1e9, 1e3 };

	fix_var(L, "N", ROLE_PARAMS, NAN, NAN);
	fix_var(L, "D", ROLE_TOKENS, NAN, NAN);
	law_add_derived(L, "a", &e);
	law_add_derived(L, "b", &e);
	check(law_set_derived_expr(L, 0, "log10(N) + log10((D))", &e) == 0,
	      "log10 accepted");
	check(law_set_derived_expr(L, 1, "2 * a^(1/2)", &e) == 0,
	      "derived uses an earlier derived");
	fix_expr(L, LAW_LOSS, "b + log10(log10(N)*log10(D)) * 0");
	fix_expr(L, LAW_FLOPS, "N * D");
	fix_finish(L);
	check_rel(law_derived(L, 0, x), 12, 1e-12, "log10(1e9) + log10(1e3)");
	check_rel(law_loss(L, x), 2 * sqrt(12.0), 1e-12, "derived chain");
	law_free(L);
}

static void expect_error(int rc, const struct mp_error *e, const char *want,
                         const char *what)
{
	check(rc != 0, what);
	check_str(e->msg, want, what);
}

static void test_errors(void)
{
	struct law *L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	struct mp_error e;
	int rc;

	fix_coef(L, "A", 1);
	rc = law_add_coefficient(L, "A", 2, &e);
	expect_error(rc, &e, "'A' is declared twice", "duplicate name");
	rc = law_add_coefficient(L, "e", 2, &e);
	expect_error(rc, &e, "'e' is reserved in expressions and cannot name a "
	             "symbol", "reserved name");
	rc = law_add_coefficient(L, "2x", 2, &e);
	expect_error(rc, &e, "'2x' is not a valid name (letters, digits and '_', "
	             "starting with a letter)", "bad name");
	rc = law_add_coefficient(L, "big", INFINITY, &e);
	expect_error(rc, &e, "coefficient 'big' is not finite", "infinite coef");
	fix_var(L, "N", ROLE_PARAMS, NAN, NAN);
	rc = law_set_expr(L, LAW_LOSS, "A * N +* 2", &e);
	expect_error(rc, &e, "loss: cannot parse expression \"A * N +* 2\"",
	             "parse error");
	rc = law_set_expr(L, LAW_LOSS, "A * N^Q", &e);
	expect_error(rc, &e, "loss: undefined symbol 'Q' (not a coefficient, "
	             "variable or derived quantity)", "undefined symbol");
	rc = law_set_expr(L, LAW_LOSS, "   ", &e);
	expect_error(rc, &e, "loss: empty expression", "empty expression");
	fix_expr(L, LAW_LOSS, "A / N");
	fix_expr(L, LAW_FLOPS, "6 * N");
	rc = law_finish(L, &e);
	expect_error(rc, &e, "a law for path 'dense' needs exactly one variable "
	             "with role 'tokens' (it has 0)", "missing tokens role");
	law_free(L);

	L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	fix_var(L, "N", ROLE_PARAMS, NAN, NAN);
	fix_var(L, "D", ROLE_TOKENS, NAN, NAN);
	fix_var(L, "D2", ROLE_TOKENS_MOE, NAN, NAN);
	fix_expr(L, LAW_LOSS, "1/N + 1/D + 1/D2");
	fix_expr(L, LAW_FLOPS, "6*N*D");
	rc = law_finish(L, &e);
	expect_error(rc, &e, "role 'tokens_moe' does not fit path 'dense'",
	             "role not fitting the path");
	law_free(L);

	L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	{
		struct law_var v = { "N", ROLE_PARAMS, 10, 5, NULL, 0 };

		rc = law_add_variable(L, &v, &e);
		expect_error(rc, &e, "variable 'N': fit range [10, 5] must have 0 <= "
		             "lo < hi", "fit range lo >= hi");
	}
	law_free(L);
}

static void test_unfitted(void)
{
	struct law *L = law_new("abnar2025", "moe", PATH_DENSE, COUNT_TOTAL);
	struct mp_error e;
	double x[2] = { 1e9, 1e10 };

	fix_coef(L, "a", NAN);
	fix_coef(L, "b", NAN);
	fix_var(L, "N", ROLE_PARAMS, NAN, NAN);
	fix_var(L, "D", ROLE_TOKENS, NAN, NAN);
	fix_expr(L, LAW_LOSS, "a/N + b/D");
	fix_expr(L, LAW_FLOPS, "6*N*D");
	fix_finish(L);
	check(isnan(law_loss(L, x)), "unfitted law evaluates to NaN internally");
	check(law_check_fitted(L, &e) != 0, "unfitted law is reported");
	check_str(e.msg, "law abnar2025:moe is not fitted: coefficients a, b have "
	          "no values; fit them and add them to the model file",
	          "unfitted message");
	law_free(L);
}

int main(void)
{
	test_eval();
	test_liew_reference();
	test_log10_and_derived();
	test_errors();
	test_unfitted();
	return check_done();
}
