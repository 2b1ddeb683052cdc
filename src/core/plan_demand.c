/*
 * plan_demand.c — the winner against the serving demand (plan_demand.h).
 */
#include "config.h"

#include "plan_demand.h"

#include <math.h>
#include <string.h>

#include "plan_target.h"

/* What wins at demand T: a path, PLAN_KEEP, or -1. */
static int winner_at(const struct plan_request *req, double target, double T,
                     int *w, struct mp_error *err)
{
	struct plan_request r = *req;
	struct plan pl;
	int rc;

	r.serve.tokens = T;
	r.lean = 1;
	r.flat_tol = -1;
	rc = isnan(target) ? plan_solve(&r, &pl, err)
	                   : plan_target_solve(&r, target, &pl, err);
	if (rc != 0)
		return -1;
	*w = pl.keep ? PLAN_KEEP : pl.best;
	return 0;
}

int plan_demand_sweep(const struct plan_request *req, double target,
                      struct plan_demand *out, struct mp_error *err)
{
	double T0 = req->serve.tokens, a;
	int n = (int)lround(PLAN_DEMAND_PER_DECADE *
	                    log10(PLAN_DEMAND_HI / PLAN_DEMAND_LO));
	int wa, wb, wm;

	memset(out, 0, sizeof *out);
	out->tokens = T0;
	if (!(T0 > 0))
		return mp_error_set(err, "no serving demand to sweep");
	out->lo = T0 * PLAN_DEMAND_LO;
	out->hi = T0 * PLAN_DEMAND_HI;
	if (winner_at(req, target, 0, &out->best_none, err) != 0 ||
	    winner_at(req, target, T0, &out->best, err) != 0 ||
	    winner_at(req, target, out->lo, &wa, err) != 0)
		return -1;
	a = log(out->lo);
	for (int k = 1; k <= n; k++) {
		double lb = log(out->lo) + k * log(10) / PLAN_DEMAND_PER_DECADE;

		if (winner_at(req, target, exp(lb), &wb, err) != 0)
			return -1;
		if (wb != wa && out->n_cross < PLAN_DEMAND_MAX_CROSS) {
			double lo = a, hi = lb;
			int to = wb;

			/* the first demand above lo where wa stops winning */
			while (hi - lo > PLAN_DEMAND_TOL) {
				double m = (lo + hi) / 2;

				if (winner_at(req, target, exp(m), &wm, err) != 0)
					return -1;
				if (wm == wa) {
					lo = m;
				} else {
					hi = m;
					to = wm;
				}
			}
			out->cross[out->n_cross].tokens = exp((lo + hi) / 2);
			out->cross[out->n_cross].from = wa;
			out->cross[out->n_cross].to = to;
			out->n_cross++;
		}
		a = lb;
		wa = wb;
	}
	return 0;
}
