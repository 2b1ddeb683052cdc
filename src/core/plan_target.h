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

#endif
