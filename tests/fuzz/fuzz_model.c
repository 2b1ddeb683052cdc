/*
 * fuzz_model.c — fuzz target: the model-file loader (io/model_load.c over
 * io/yamldoc.c and core/law.c).  The input is a model file.  A file that
 * loads has each of its laws evaluated at the corners and middle of its
 * fitted box, and, when FUZZ_PLAN is set in the environment, is planned
 * at one budget.
 *
 * Invariants: a failed load says why (a non-empty message); a loaded
 * law that is fitted gives finite loss and compute inside its fit ranges
 * (the loader promises that); a solved plan has a finite loss, size and
 * token count; a data_constrained: block that loads is ready and never
 * makes more of N or D than they are (0 < N' <= N, 0 < D' <= D).
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/datacon.h"
#include "core/law.h"
#include "core/model.h"
#include "core/plan.h"
#include "io/model_load.h"

/* The candidate values of variable v: its list, else its fit range's
 * ends and geometric middle, else 1e9. */
static size_t candidates(const struct law_var *v, double c[3])
{
	if (v->n_values > 0) {
		c[0] = v->values[0];
		c[1] = v->values[v->n_values - 1];
		return 2;
	}
	if (!isnan(v->fit_lo)) {
		c[0] = v->fit_lo;
		c[1] = v->fit_hi;
		c[2] = v->fit_lo > 0 ? sqrt(v->fit_lo) * sqrt(v->fit_hi)
		                     : v->fit_hi / 2;
		return 3;
	}
	c[0] = 1e9;
	return 1;
}

static void exercise_law(const struct law *L)
{
	double cand[LAW_MAX_VARS][3], x[LAW_MAX_VARS];
	size_t n[LAW_MAX_VARS], total = 1, inside;

	for (size_t i = 0; i < L->n_vars; i++) {
		n[i] = candidates(&L->vars[i], cand[i]);
		total *= n[i];
	}
	for (size_t k = 0; k < total; k++) {
		size_t r = k;

		inside = 1;
		for (size_t i = 0; i < L->n_vars; i++) {
			x[i] = cand[i][r % n[i]];
			r /= n[i];
			inside &= !isnan(L->vars[i].fit_lo) || L->vars[i].n_values > 0;
		}
		double loss = law_loss(L, x), flops = law_flops(L, x);

		(void)law_dflops(L, x);
		for (size_t d = 0; d < L->n_derived; d++)
			(void)law_derived(L, d, x);
		if (L->fitted && inside && !(isfinite(loss) && isfinite(flops)))
			fuzz_fail("law %s: loss %g, flops %g inside the fit range",
			          L->name, loss, flops);
	}
}

/* The transform at a few runs: from one epoch to a million. */
static void exercise_datacon(const struct datacon *dc)
{
	static const double runs[][3] = {   /* N, D, U */
		{ 1e9, 2e10, 4e10 }, { 1e9, 2e10, 2e10 }, { 7e9, 1e12, 2.5e10 },
		{ 1e12, 1e15, 1e9 }, { 1e6, 1e16, 1e10 },
	};
	double Np, Dp;

	if (!dc->ready)
		fuzz_fail("data_constrained loaded but not ready");
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		const double *r = runs[i];

		if (datacon_apply(dc, r[0], r[1], r[2], &Np, &Dp) != 0)
			continue;   /* an extreme U_N rule may overflow: NAN, said */
		if (!(Np > 0 && Np <= r[0] * (1 + 1e-12) && Dp > 0 &&
		      Dp <= r[1] * (1 + 1e-12)))
			fuzz_fail("data_constrained: N' %g of N %g, D' %g of D %g",
			          Np, r[0], Dp, r[1]);
	}
}

static void plan_once(const struct model *m)
{
	struct plan_request req;
	struct plan pl;
	struct mp_error err;
	const struct law *up;

	memset(&req, 0, sizeof req);
	req.budget = 1e21;
	req.shape = &m->shape;
	req.price = NAN;
	for (int p = 0; p < PATH_COUNT; p++)
		req.laws[p] = model_law_for_path(m, (enum law_path)p);
	up = req.laws[PATH_UPCYCLE];
	if (up != NULL && up->baseline != NULL)
		req.baseline = model_law(m, up->baseline);
	if (plan_solve(&req, &pl, &err) != 0) {
		if (err.msg[0] == '\0')
			fuzz_fail("plan_solve failed without a message");
		return;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &pl.path[p];

		if (pp->law != NULL && pp->solved &&
		    !(isfinite(pp->loss) && isfinite(pp->params) &&
		      isfinite(pp->tokens)))
			fuzz_fail("path %d solved with loss %g, params %g, tokens %g",
			          p, pp->loss, pp->params, pp->tokens);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int plan = -1;
	struct mp_error err;
	struct model *m;

	if (plan < 0)
		plan = getenv("FUZZ_PLAN") != NULL;
	mp_error_clear(&err);
	m = model_load(fuzz_file(data, size), &err);
	if (m == NULL) {
		if (err.msg[0] == '\0')
			fuzz_fail("model_load failed without a message");
		return 0;
	}
	for (size_t i = 0; i < m->n_laws; i++)
		exercise_law(m->laws[i]);
	if (m->data_constrained != NULL)
		exercise_datacon(m->data_constrained);
	if (plan)
		plan_once(m);
	model_free(m);
	return 0;
}
