/*
 * plan_target.h — the dual of a budget plan: for a target loss, the least
 * budget (FLOPs, or device-seconds in time) at which each path's optimal
 * plan reaches it, and the cheapest path.
 *
 * The optimal loss of a path falls as its budget grows, so the least
 * budget reaching loss L is the root of L*(C) = L, found per path in log C
 * (a bracket by decades, then the Illinois variant of regula falsi, Dowell
 * and Jarratt 1971) over plan_solve_path; the path's plan at that budget
 * is a budget plan's, with every output.  A serving demand in the request
 * (plan.h) makes it the least training-plus-serving cost.  Plans are
 * plain values.
 */
#ifndef MP_PLAN_TARGET_H
#define MP_PLAN_TARGET_H

#include "error.h"
#include "plan.h"

/* The root's tolerance: the budget to 1e-9 relative, or the loss to 1e-10
 * relative, whichever comes first. */
#define PLAN_TARGET_REL 1e-9
#define PLAN_TARGET_LOSS_REL 1e-10

/* Solve req (its budget is ignored) for target loss `loss`: out is a plan
 * whose path i has budget (path[i].budget) the least that reaches the loss
 * and the rest of that budget's plan; out->budget is the best path's; a
 * path whose law cannot reach the loss inside the solver's box is
 * unsolved, saying why.  best is the cheapest path that reaches it (and
 * beats a checkpoint); keep as in plan.h.  -1 with err on a malformed
 * request or a loss that is not a positive finite number. */
int plan_target_solve(const struct plan_request *req, double loss,
                      struct plan *out, struct mp_error *err);

/* One target of a range: each path's least budget to it. */
struct target_point {
	double loss;                       /* the target, nats */
	int solved[PATH_COUNT];
	double budget[PATH_COUNT];         /* FLOPs, or device-seconds */
	double params[PATH_COUNT], tokens[PATH_COUNT];
	int extrap[PATH_COUNT];            /* outside its law's fit ranges */
	int best;                          /* the cheapest path, -1: none */
	int keep;                          /* the checkpoint reaches it */
};

/* A target loss where the cheapest path changes: `from` is cheapest just
 * above it (an easier target), `to` just below. */
struct target_crossover {
	double loss;
	int from, to;                      /* paths, or PLAN_KEEP */
};

struct target_frontier {
	size_t n;
	struct target_point *pt;
	size_t n_cross;
	struct target_crossover *cross;
};

/* Crossovers are refined by bisection in the loss to this many nats. */
#define PLAN_TARGET_CROSS_TOL 1e-5

/* Targets from..to (nats, either order) in `steps` equal steps (steps >= 2,
 * or 1 for from alone), each solved as plan_target_solve, and between two
 * neighbouring targets whose cheapest paths differ, the loss where it
 * changes (one per step).  0, or -1 with err; free with
 * plan_target_frontier_free. */
int plan_target_frontier(const struct plan_request *req, double from,
                         double to, size_t steps, struct target_frontier *out,
                         struct mp_error *err);
void plan_target_frontier_free(struct target_frontier *f);

#endif
