/*
 * test_datacon.c — the data-constrained transform (core/datacon.h) and
 * its constants in models/muennighoff2023.yaml.
 *
 * Against the authors' README (github.com/huggingface/datablations,
 * "Parametric Fit"), which prints its loss for the two models of the
 * paper's Figure 1 (right), 25B unique tokens:
 *   scaling_law(6.34e9, 242e9, 25e9) = 2.2256440889984477  ("better")
 *   scaling_law(8.67e9, 178e9, 25e9) = 2.2269634075087867
 * Against the paper (arXiv:2305.16264): its abstract, "training with up to
 * 4 epochs of repeated data yields negligible changes to loss compared to
 * having unique data", "the value of adding compute eventually decays to
 * zero"; Sec. 3, R_D* = 15.4 and R_N* = 5.3 as rounded there; eq. 5: the
 * marginal worth of a repetition is exp(-R_D / R_D*), 1/e at R_D = R_D*,
 * and D' never exceeds U_D (1 + R_D*).
 * Against eq. 5 and 6 written here again, with U_N by the README's other
 * route (optimal_N(D_to_C(U)) of the notebook, through compute).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/datacon.h"
#include "core/law.h"
#include "core/model.h"
#include "io/datadir.h"
#include "io/model_load.h"
#include "io/report.h"
#include "tap.h"

static struct model *m;
static const struct datacon *dc;
static const struct law *c4;

static double coef(const char *name)
{
	int i = law_coef_index(c4, name);

	return i < 0 ? NAN : c4->coef_value[i];
}

/* The README's scaling_law(N, D, U), through the file and the transform. */
static double loss(double N, double D, double U)
{
	double x[2], Np, Dp;

	if (datacon_apply(dc, N, D, U, &Np, &Dp) != 0)
		return NAN;
	x[law_role_index(c4, ROLE_PARAMS)] = Np;
	x[law_role_index(c4, ROLE_TOKENS)] = Dp;
	return law_loss(c4, x);
}

/* Eq. 5 / 6 again: X' = U + U R* (1 - e^(-R/R*)), R = max(X/U - 1, 0). */
static double decay_here(double X, double U, double R_star)
{
	double R = X / U - 1 > 0 ? X / U - 1 : 0;

	return U + U * R_star * (1 - exp(-R / R_star));
}

/* U_N = min(N, optimal_N(D_to_C(U))) (notebook cell 29). */
static double un_here(double N, double U)
{
	double A = exp(coef("lnA")), B = exp(coef("lnB"));
	double al = coef("alpha"), be = coef("beta");
	double G = pow(al * A / (be * B), 1 / (al + be));
	double C = 6 * pow(G * U, (al + be) / al);      /* D_to_C */
	double opt = G * pow(C / 6, be / (al + be));     /* optimal_N */

	return N < opt ? N : opt;
}

static void test_readme(void)
{
	double l1 = loss(6.34e9, 242e9, 25e9), l2 = loss(8.67e9, 178e9, 25e9);

	check_rel(l1, 2.2256440889984477, 1e-9, "README: L(6.34e9, 242e9, 25e9)");
	check_rel(l2, 2.2269634075087867, 1e-9, "README: L(8.67e9, 178e9, 25e9)");
	check(l1 < l2, "README: the smaller model on more epochs is better");
}

static void test_constants(void)
{
	check_rel(dc->R_D_star, 15.4, 0.005, "R_D* rounds to the paper's 15.4");
	check_rel(dc->R_N_star, 5.3, 0.005, "R_N* rounds to the paper's 5.3");
	check(dc->R_N_star < dc->R_D_star, "excess parameters decay faster");
	check(dc->law != NULL && c4 != NULL, "U_N_law names the file's c4 law");
	check(dc->source != NULL, "the block has a source");
}

static void test_formula(void)
{
	static const double epochs[] = { 1, 1.5, 2, 4, 10, 40, 100, 1000 };
	static const double sizes[] = { 1e8, 1e9, 5e9, 2e10, 1e11 };
	const double U = 25e9;
	char what[96];

	for (size_t i = 0; i < sizeof epochs / sizeof epochs[0]; i++) {
		double D = epochs[i] * U;

		snprintf(what, sizeof what, "D' at %g epochs", epochs[i]);
		check_rel(datacon_tokens(dc, D, U),
		          decay_here(D, U, dc->R_D_star), 1e-12, what);
		check_rel(datacon_epochs(D, U), epochs[i], 1e-15, "epochs = D/U");
		for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
			double N = sizes[k];
			double UN = un_here(N, datacon_unique_tokens(D, U));

			snprintf(what, sizeof what, "U_N at N %g, %g epochs", N,
			         epochs[i]);
			check_rel(datacon_unique_params(dc, N, U < D ? U : D), UN,
			          1e-10, what);
			snprintf(what, sizeof what, "N' at N %g, %g epochs", N,
			         epochs[i]);
			check_rel(datacon_params(dc, N, UN),
			          decay_here(N, UN, dc->R_N_star), 1e-10, what);
		}
	}
}

static void test_paper_claims(void)
{
	const double U = 1e10, R = dc->R_D_star;
	double N = un_here(1e12, 4 * U), h = 1e-4;
	double d4 = datacon_tokens(dc, 4 * U, U);
	double slope;

	check(datacon_tokens(dc, 0.5 * U, U) == 0.5 * U,
	      "D <= U: D' = D (no repetition)");
	check(datacon_tokens(dc, U, U) == U, "one epoch: D' = D");
	check(d4 > 0.9 * 4 * U, "4 epochs are worth over 90% of fresh data");
	check(loss(N, 4 * U, U) < 1.02 * loss(N, 4 * U, 4 * U),
	      "4 epochs: loss within 2% of unique data (abstract: negligible)");
	check(datacon_tokens(dc, 40 * U, U) < 0.4 * 40 * U,
	      "40 epochs are worth under 40% of fresh data");
	check(datacon_tokens(dc, 1e6 * U, U) <= U * (1 + R) &&
	      datacon_tokens(dc, 1e6 * U, U) > 0.999 * U * (1 + R),
	      "D' tends to U (1 + R_D*) and never passes it");
	/* eq. 5: dD'/dD = exp(-R_D / R_D*): 1/e at R_D = R_D* */
	slope = (datacon_tokens(dc, (R + 1 + h) * U, U) -
	         datacon_tokens(dc, (R + 1 - h) * U, U)) / (2 * h * U);
	check_rel(slope, exp(-1), 1e-6, "repetition R_D* is worth 1/e");
}

static void test_nan_safe(void)
{
	struct datacon *d = datacon_new();
	struct mp_error err;
	double Np, Dp;

	check(isnan(datacon_tokens(d, 1e10, 1e9)), "not ready: NAN");
	check(datacon_set(d, 0, 5, &err) == -1 && err.msg[0] != '\0',
	      "R_D* = 0 refused");
	check(datacon_set(d, 15, NAN, &err) == -1, "R_N* = NAN refused");
	check(datacon_set_un(d, 1, -1, 0.3, 0.3, &err) == -1, "B < 0 refused");
	check(datacon_set(d, 15, 5, &err) == 0 && !d->ready,
	      "constants alone: not ready");
	check(datacon_set_un(d, 500, 1500, 0.35, 0.35, &err) == 0 && d->ready,
	      "with the U_N rule: ready");
	check(isnan(datacon_tokens(d, NAN, 1e9)), "D NAN: NAN");
	check(isnan(datacon_tokens(d, 1e10, 0)), "U 0: NAN");
	check(isnan(datacon_tokens(d, INFINITY, 1e9)), "D inf: NAN");
	check(isnan(datacon_params(d, -1, 1e9)), "N < 0: NAN");
	check(isnan(datacon_unique_params(d, 1e9, NAN)), "U_D NAN: NAN");
	check(isnan(datacon_epochs(1e9, 0)), "epochs over 0 tokens: NAN");
	check(datacon_apply(d, 1e9, NAN, 1e9, &Np, &Dp) == -1 && isnan(Np) &&
	      isnan(Dp), "apply with a bad D: -1, both NAN");
	check(datacon_apply(NULL, 1e9, 1e10, 1e9, &Np, &Dp) == -1,
	      "apply without a datacon: -1");
	datacon_free(d);
	datacon_free(NULL);
}

/* The `laws show` text of the block names its keys and values. */
static void test_text(void)
{
	char buf[2048];
	FILE *f = tmpfile();
	size_t n;

	check(f != NULL && report_laws_datacon_text(f, m) == 0, "block as text");
	if (f == NULL)
		return;
	rewind(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	check(strstr(buf, "R_D_star    15.387756") != NULL &&
	      strstr(buf, "R_N_star    5.309743") != NULL &&
	      strstr(buf, "U_N_law     c4") != NULL, "text names R_D*, R_N*, law");
}

int main(void)
{
	struct mp_error err;
	char *dir = datadir_find("models", NULL, &err);

	m = dir ? model_open("muennighoff2023", dir, &err) : NULL;
	free(dir);
	if (m == NULL || m->data_constrained == NULL ||
	    (c4 = model_law(m, "c4")) == NULL) {
		printf("FAIL: cannot load muennighoff2023: %s\n",
		       m ? "no data_constrained block or c4 law" : err.msg);
		model_free(m);
		return 1;
	}
	dc = m->data_constrained;
	test_readme();
	test_constants();
	test_formula();
	test_paper_claims();
	test_nan_safe();
	test_text();
	model_free(m);
	return check_done();
}
