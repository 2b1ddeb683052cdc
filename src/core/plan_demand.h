/*
 * plan_demand.h — how the verdict moves with the serving demand: the best
 * path of a request (a budget plan's lowest loss, or a target's cheapest
 * path) planned again at inference-token counts from PLAN_DEMAND_LO to
 * PLAN_DEMAND_HI times the request's, half a decade apart, and with none;
 * where the winner changes between two of them, the demand at which it
 * does, by bisection in log T.
 */
#ifndef MP_PLAN_DEMAND_H
#define MP_PLAN_DEMAND_H

#include <stddef.h>

#include "error.h"
#include "plan.h"

#define PLAN_DEMAND_LO 1e-3
#define PLAN_DEMAND_HI 1e2
#define PLAN_DEMAND_PER_DECADE 2
#define PLAN_DEMAND_TOL 1e-3      /* relative, in T */
#define PLAN_DEMAND_MAX_CROSS 8

struct demand_crossover {
	double tokens;                 /* inference tokens */
	int from, to;                  /* winner below and above: a path,
	                                  PLAN_KEEP, or -1 (no plan) */
};

struct plan_demand {
	double tokens;                 /* the request's demand */
	int best_none;                 /* the winner without serving */
	int best;                      /* with the request's demand */
	double lo, hi;                 /* the demands swept */
	size_t n_cross;
	struct demand_crossover cross[PLAN_DEMAND_MAX_CROSS];
};

/* Sweep the demand of req (req->serve.tokens > 0) for a budget plan
 * (target_loss NAN) or a target.  0, or -1 with err. */
int plan_demand_sweep(const struct plan_request *req, double target_loss,
                      struct plan_demand *out, struct mp_error *err);

#endif
