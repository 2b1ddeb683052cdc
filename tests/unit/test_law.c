/*
 * test_law.c — building, checking and evaluating laws (src/core/law.c),
 * and what each error is about (err->what, err->what_name).
 * Expected values are computed here with pow()/log() from the formulas, or
 * are the derived checks of the reference doc.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
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

/* An error value carrying a stale subject, so that a call that should say
 * "none" is seen to reset it. */
static void dirty(struct mp_error *e)
{
	mp_error_clear(e);
	mp_error_set(e, "stale");
	mp_error_what(e, MP_WHAT_SHAPE_KEY, "stale");
}

static const char *what_text(enum mp_what w)
{
	switch (w) {
	case MP_WHAT_NONE: return "none";
	case MP_WHAT_LOSS: return "loss";
	case MP_WHAT_FLOPS: return "flops";
	case MP_WHAT_DERIVED: return "derived";
	case MP_WHAT_COEFFICIENT: return "coefficient";
	case MP_WHAT_VARIABLE: return "variable";
	case MP_WHAT_SHAPE_KEY: return "shape key";
	}
	return "?";
}

/* rc failed, and e is about (want, name) ("" for no name). */
static void expect_about(int rc, const struct mp_error *e, enum mp_what want,
                         const char *name, const char *label)
{
	char buf[2048];
	int ok = rc != 0 && e->what == want && strcmp(e->what_name, name) == 0;

	snprintf(buf, sizeof buf, "%s: about %s '%s' (got %s '%s'; %s)", label,
	         what_text(want), name, what_text(e->what), e->what_name, e->msg);
	check(ok, buf);
}

static int add_values(struct law *L, const char *name, enum law_role r,
                      double *values, size_t n, struct mp_error *e)
{
	struct law_var v = { (char *)name, r, NAN, NAN, values, n };

	return law_add_variable(L, &v, e);
}

/* Errors while declaring and setting expressions. */
static void test_subjects_build(void)
{
	struct law *L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	struct mp_error e;
	double twice[] = { 2, 1, 2 }, neg[] = { 1, -1 };
	int rc;

	fix_coef(L, "A", 1);
	fix_coef(L, "B", 1);
	dirty(&e);
	rc = law_add_coefficient(L, "B", 2, &e);
	expect_about(rc, &e, MP_WHAT_COEFFICIENT, "B", "coefficient twice");
	dirty(&e);
	rc = law_add_coefficient(L, "pi", 2, &e);
	expect_about(rc, &e, MP_WHAT_COEFFICIENT, "pi", "reserved coefficient");
	dirty(&e);
	rc = law_add_coefficient(L, "a-b", 2, &e);
	expect_about(rc, &e, MP_WHAT_COEFFICIENT, "a-b", "bad coefficient name");
	dirty(&e);
	rc = law_add_coefficient(L, "C", -INFINITY, &e);
	expect_about(rc, &e, MP_WHAT_COEFFICIENT, "C", "infinite coefficient");

	fix_var(L, "N", ROLE_PARAMS, 1e8, 1e9);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	dirty(&e);
	rc = add_values(L, "A", ROLE_EXPERTS, twice, 1, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "A", "variable named as a "
	             "coefficient");
	{
		struct law_var v = { "F", ROLE_PARAMS, 5, 1, NULL, 0 };

		dirty(&e);
		rc = law_add_variable(L, &v, &e);
		expect_about(rc, &e, MP_WHAT_VARIABLE, "F", "variable fit range");
		v.fit_lo = NAN;
		v.fit_hi = NAN;
		v.role = ROLE_COUNT;
		dirty(&e);
		rc = law_add_variable(L, &v, &e);
		expect_about(rc, &e, MP_WHAT_VARIABLE, "F", "variable role");
	}
	dirty(&e);
	rc = add_values(L, "G", ROLE_EXPERTS, neg, 2, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "G", "variable value negative");
	dirty(&e);
	rc = add_values(L, "H", ROLE_EXPERTS, twice, 3, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "H", "variable value twice");

	law_add_derived(L, "a", &e);
	law_add_derived(L, "b", &e);
	law_add_derived(L, "c", &e);
	dirty(&e);
	rc = law_add_derived(L, "N", &e);
	expect_about(rc, &e, MP_WHAT_DERIVED, "N", "derived named as a variable");
	check(law_set_derived_expr(L, 0, "N", &e) == 0, "derived a set");
	dirty(&e);
	rc = law_set_derived_expr(L, 1, "a * c", &e);
	expect_about(rc, &e, MP_WHAT_DERIVED, "b", "derived uses a later one");
	dirty(&e);
	rc = law_set_derived_expr(L, 2, "a +* 2", &e);
	expect_about(rc, &e, MP_WHAT_DERIVED, "c", "derived does not parse");
	dirty(&e);
	rc = law_set_derived_expr(L, 2, "", &e);
	expect_about(rc, &e, MP_WHAT_DERIVED, "c", "derived empty");
	dirty(&e);
	rc = law_set_derived_expr(L, 3, "a", &e);
	expect_about(rc, &e, MP_WHAT_NONE, "", "no derived quantity #3");

	dirty(&e);
	rc = law_set_expr(L, LAW_LOSS, "A / N + Q", &e);
	expect_about(rc, &e, MP_WHAT_LOSS, "", "loss: undefined symbol");
	dirty(&e);
	rc = law_set_expr(L, LAW_FLOPS, "6 * N * (D", &e);
	expect_about(rc, &e, MP_WHAT_FLOPS, "", "flops: does not parse");
	dirty(&e);
	rc = law_set_expr(L, LAW_FLOPS, "((((((((((((((((((((((((((((((((((((((("
	                  "((((((((((((((((((((((((((((N))))))))))))))))))))))))"
	                  "))))))))))))))))))))))))))))))))))))))))))", &e);
	expect_about(rc, &e, MP_WHAT_FLOPS, "", "flops: nested too deeply");
	fix_expr(L, LAW_LOSS, "A / N + B / D");
	dirty(&e);
	rc = law_set_expr(L, LAW_LOSS, "A / N", &e);
	expect_about(rc, &e, MP_WHAT_LOSS, "", "loss set twice");
	law_free(L);
}

/* A dense law with N, D and the variables extra (role, values) added; no
 * expressions. */
static struct law *roles_law(enum law_path p)
{
	struct law *L = law_new("t", "t", p, COUNT_TOTAL);

	fix_coef(L, "A", 1);
	fix_var(L, "N", ROLE_PARAMS, 1e8, 1e9);
	return L;
}

/* Errors of law_finish. */
static void test_subjects_finish(void)
{
	struct mp_error e;
	double two[] = { 1, 2 };
	struct law *L;
	int rc;

	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_LOSS, "", "no loss");
	law_free(L);

	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_FLOPS, "", "no flops");
	law_free(L);

	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	law_add_derived(L, "a", &e);
	law_add_derived(L, "b", &e);
	check(law_set_derived_expr(L, 0, "N", &e) == 0, "derived a set");
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_DERIVED, "b", "derived b has no expression");
	law_free(L);

	/* two variables with a role the path does not take: the first */
	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	fix_var(L, "X", ROLE_TOKENS_DENSE, 1e10, 1e11);
	fix_var(L, "Y", ROLE_TOKENS_MOE, 1e10, 1e11);
	fix_var(L, "Z", ROLE_TOKENS_MOE, 1e10, 1e11);
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "X", "role tokens_dense does not "
	             "fit dense: X");
	law_free(L);
	L = roles_law(PATH_MOE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	fix_var(L, "Y", ROLE_TOKENS_MOE, 1e10, 1e11);
	fix_var(L, "Z", ROLE_TOKENS_MOE, 1e10, 1e11);
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "Y", "role tokens_moe does not "
	             "fit moe: the first, Y");
	law_free(L);

	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	fix_var(L, "E", ROLE_EXPERTS, 1, 8);
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "E", "experts without values");
	law_free(L);

	L = roles_law(PATH_DENSE);
	check(add_values(L, "D", ROLE_TOKENS, two, 2, &e) == 0, "D with values");
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_VARIABLE, "D", "tokens with values");
	law_free(L);

	/* about the law as a whole */
	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_PARAMS, 1e10, 1e11);
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_NONE, "", "two params variables");
	law_free(L);

	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	check(add_values(L, "E", ROLE_EXPERTS, two, 2, &e) == 0 &&
	      add_values(L, "F", ROLE_EXPERTS, two, 2, &e) == 0, "E, F experts");
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_NONE, "", "two experts variables");
	law_free(L);

	L = roles_law(PATH_DENSE);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	fix_expr(L, LAW_LOSS, "A / N + A / D");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	check(law_set_baseline(L, "other", &e) == 0, "baseline set");
	dirty(&e);
	rc = law_finish(L, &e);
	expect_about(rc, &e, MP_WHAT_NONE, "", "baseline on a dense law");
	law_free(L);
}

/* A sealed dense law N in [1e8, 1e9], D in [1e10, 1e11] with derived a, b,
 * c and the given expressions for b, loss and flops. */
static struct law *range_law(const char *b, const char *loss,
                             const char *flops)
{
	struct law *L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	struct mp_error e;

	fix_coef(L, "A", 1);
	fix_var(L, "N", ROLE_PARAMS, 1e8, 1e9);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 1e11);
	if (law_add_derived(L, "a", &e) != 0 || law_add_derived(L, "b", &e) != 0 ||
	    law_add_derived(L, "c", &e) != 0 ||
	    law_set_derived_expr(L, 0, "N", &e) != 0 ||
	    law_set_derived_expr(L, 1, b, &e) != 0 ||
	    law_set_derived_expr(L, 2, "D", &e) != 0)
		fix_die(&e);
	fix_expr(L, LAW_LOSS, loss);
	fix_expr(L, LAW_FLOPS, flops);
	fix_finish(L);
	return L;
}

/* Errors of law_check_range. */
static void test_subjects_range(void)
{
	static const struct {
		const char *b, *loss, *flops;
		enum mp_what want;
		const char *name, *label;
	} cases[] = {
		{ "a", "A / a + A / c", "6 * N * D", MP_WHAT_NONE, "", "fine" },
		{ "1 / (a - N)", "A / a + A / c", "6 * N * D", MP_WHAT_DERIVED, "b",
		  "derived b infinite (a and c fine)" },
		{ "log(-a)", "A / a + A / c", "6 * N * D", MP_WHAT_DERIVED, "b",
		  "derived b not a number" },
		{ "a", "A / (N - a)", "6 * N * D", MP_WHAT_LOSS, "", "loss infinite" },
		{ "a", "-A / N", "6 * N * D", MP_WHAT_LOSS, "", "loss negative" },
		{ "a", "1e4 + A / N", "6 * N * D", MP_WHAT_LOSS, "", "loss too big" },
		{ "a", "A / N", "1 / (N - a)", MP_WHAT_FLOPS, "", "flops infinite" },
		{ "a", "A / N", "-6 * N * D", MP_WHAT_FLOPS, "", "flops negative" },
		{ "a", "A / N", "6 * N * abs(D - c)^0.5 + 1", MP_WHAT_FLOPS, "",
		  "d flops / dD not a number" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct law *L = range_law(cases[i].b, cases[i].loss, cases[i].flops);
		struct mp_error e;
		int rc;

		dirty(&e);
		rc = law_check_range(L, &e);
		if (cases[i].want == MP_WHAT_NONE)
			check(rc == 0, cases[i].label);
		else
			expect_about(rc, &e, cases[i].want, cases[i].name,
			             cases[i].label);
		law_free(L);
	}
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
	test_subjects_build();
	test_subjects_finish();
	test_subjects_range();
	test_unfitted();
	return check_done();
}
