/*
 * plan_target.c — the least budget that reaches a target loss, per path
 * (plan_target.h).
 */
#include "config.h"

#include "plan_target.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regula.h"

#define TARGET_ITER 200      /* root steps, bracket and refinement */
#define TARGET_FLOPS0 1e21   /* the first budget tried, FLOPs */
#define TARGET_MIN_BUDGET 1.0 /* FLOPs or device-seconds: below this no
                                 search goes */

/* One path's optimal loss at budget exp(u), INFINITY where it has no plan
 * (too small a budget); -1 with err on a malformed request. */
static int loss_at(const struct plan_request *base, int p, double u,
                   struct plan_path *pp, double *loss, struct mp_error *err)
{
	struct plan_request req = *base;

	req.budget = exp(u);
	req.lean = 1;
	if (plan_solve_path(&req, p, pp, err) != 0)
		return -1;
	*loss = pp->solved && isfinite(pp->loss) ? pp->loss : INFINITY;
	return 0;
}

/* The first budget a search tries: TARGET_FLOPS0 FLOPs, in time at the
 * cost model's peak. */
static double first_budget(const struct plan_request *req)
{
	if (req->budget_is_time && req->cost != NULL && req->cost->mfu_peak > 0)
		return TARGET_FLOPS0 / req->cost->mfu_peak;
	return TARGET_FLOPS0;
}

/*
 * Path p's least budget with loss <= L into *u (log budget): -1 with err on
 * a malformed request, 1 with pp unsolved (and why) when no budget up to
 * the laws' limit reaches it or every budget does, else 0.
 */
static int least_budget(const struct plan_request *req, int p, double L,
                        double limit, struct plan_path *pp, double *u,
                        struct mp_error *err)
{
	double lo, hi, flo, fhi, f, top = log(limit), bottom = log(TARGET_MIN_BUDGET);
	struct regula r;
	int it = 0;

	hi = fmin(log(first_budget(req)), top);
	if (loss_at(req, p, hi, pp, &fhi, err) != 0)
		return -1;
	lo = hi;
	flo = fhi;
	/* bracket: lo misses the target, hi reaches it, a decade at a time */
	for (; fhi > L && it < TARGET_ITER; it++) {
		lo = hi;
		flo = fhi;
		if (hi >= top) {
			if (isinf(fhi))
				return 1;   /* pp says why */
			plan_unsolved(pp, "the target loss %.4f is out of reach: the "
			              "largest budget the law can be asked about "
			              "(%.3g) gives %.4f", L, limit, fhi);
			return 1;
		}
		hi = fmin(hi + log(10), top);
		if (loss_at(req, p, hi, pp, &fhi, err) != 0)
			return -1;
	}
	for (; flo <= L && it < TARGET_ITER; it++) {
		hi = lo;
		fhi = flo;
		if (lo <= bottom) {
			plan_unsolved(pp, "the target loss %.4f is above the loss of the "
			              "smallest plan considered (%.4f): any budget "
			              "reaches it", L, flo);
			return 1;
		}
		lo = fmax(lo - log(10), bottom);
		if (loss_at(req, p, lo, pp, &flo, err) != 0)
			return -1;
	}
	/* refine: Illinois regula falsi where both ends have a loss,
	 * bisection where the low end has no plan (regula.h) */
	regula_init(&r, L, hi, fhi, lo, flo);
	for (; it < TARGET_ITER && fabs(r.in - r.out) > PLAN_TARGET_REL &&
	       fabs(r.v_in - L) > PLAN_TARGET_LOSS_REL * L; it++) {
		double m = regula_next(&r);

		if (loss_at(req, p, m, pp, &f, err) != 0)
			return -1;
		regula_take(&r, m, f);
	}
	*u = r.in;
	return 0;
}

int plan_target_solve(const struct plan_request *req, double loss,
                      struct plan *out, struct mp_error *err)
{
	struct plan_request r = *req;
	double limit;

	if (!isfinite(loss) || loss <= 0)
		return mp_error_set(err, "target loss must be a positive finite number "
		                    "of nats (got %g)", loss);
	r.budget = first_budget(req);
	limit = plan_budget_limit(&r);
	if (r.budget > limit)
		r.budget = limit;
	if (plan_begin(&r, out, err) != 0)
		return -1;
	out->is_target = 1;
	out->target_loss = loss;
	if (out->has_baseline && out->baseline_loss <= loss) {
		for (int p = 0; p < PATH_COUNT; p++) {
			memset(&out->path[p], 0, sizeof out->path[p]);
			out->path[p].law = req->laws[p];
			out->path[p].budget = NAN;
			if (req->laws[p] != NULL)
				plan_unsolved(&out->path[p], "the checkpoint already reaches the "
				              "target (loss %.4f)", out->baseline_loss);
		}
		out->keep = 1;
		out->budget = NAN;
		return 0;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		struct plan_path *pp = &out->path[p];
		double u;
		int rc;

		if (req->laws[p] == NULL) {
			if (plan_solve_path(&r, p, pp, err) != 0)
				return -1;
			continue;
		}
		rc = least_budget(req, p, loss, limit, pp, &u, err);
		if (rc < 0)
			return -1;
		if (rc > 0) {
			pp->budget = NAN;
			continue;
		}
		r.budget = exp(u);
		if (plan_solve_path(&r, p, pp, err) != 0)
			return -1;
	}
	/* the cheapest path that reaches the target */
	out->best = -1;
	for (int p = 0, any = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &out->path[p];

		if (pp->solved && plan_beats_baseline(out, pp->loss) &&
		    (out->best < 0 || pp->budget < out->path[out->best].budget))
			out->best = p;
		any |= pp->solved;
		out->keep = out->has_baseline && out->best < 0 && any;
	}
	out->budget = out->best >= 0 ? out->path[out->best].budget : NAN;
	return 0;
}

/* ---- a range of targets ----------------------------------------------------- */

static int winner(const struct target_point *pt)
{
	return pt->keep ? PLAN_KEEP : pt->best;
}

static void record(struct target_point *pt, const struct plan *pl)
{
	pt->loss = pl->target_loss;
	pt->best = pl->best;
	pt->keep = pl->keep;
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &pl->path[p];

		pt->solved[p] = pp->solved;
		pt->budget[p] = pp->solved ? pp->budget : NAN;
		pt->params[p] = pp->solved ? pp->params : NAN;
		pt->tokens[p] = pp->solved ? pp->tokens : NAN;
		pt->extrap[p] = pp->solved && pp->extrapolated;
	}
}

/* The point of target loss L, lean (no flatness or within-fit plans). */
static int point(const struct plan_request *req, double L,
                 struct target_point *pt, struct mp_error *err)
{
	struct plan_request r = *req;
	struct plan pl;

	r.lean = 1;
	r.flat_tol = -1;
	if (plan_target_solve(&r, L, &pl, err) != 0)
		return -1;
	record(pt, &pl);
	return 0;
}

/* Between a (winner wa) and b (winner wb != wa), the loss where the
 * cheapest path stops being wa, by bisection. */
static int crossover(const struct plan_request *req, double a, double b,
                     int wa, int wb, struct target_crossover *c,
                     struct mp_error *err)
{
	struct target_point m;

	while (fabs(b - a) > PLAN_TARGET_CROSS_TOL) {
		double mid = (a + b) / 2;

		if (point(req, mid, &m, err) != 0)
			return -1;
		if (winner(&m) == wa) {
			a = mid;
		} else {
			b = mid;
			wb = winner(&m);
		}
	}
	c->loss = (a + b) / 2;
	c->from = wa;
	c->to = wb;
	return 0;
}

int plan_target_frontier(const struct plan_request *req, double from,
                         double to, size_t steps, struct target_frontier *out,
                         struct mp_error *err)
{
	memset(out, 0, sizeof *out);
	if (steps < 1 || steps > 100000)
		return mp_error_set(err, "steps must be from 1 to 100000");
	if (!(isfinite(from) && from > 0 && isfinite(to) && to > 0))
		return mp_error_set(err, "target losses must be positive finite "
		                    "numbers of nats");
	out->pt = calloc(steps, sizeof *out->pt);
	out->cross = calloc(steps, sizeof *out->cross);
	if (out->pt == NULL || out->cross == NULL) {
		plan_target_frontier_free(out);
		return mp_error_set(err, "out of memory");
	}
	for (size_t i = 0; i < steps; i++) {
		double L = steps < 2 ? from :
		           i == steps - 1 ? to :
		           from + (to - from) * (double)i / (double)(steps - 1);

		if (point(req, L, &out->pt[i], err) != 0) {
			plan_target_frontier_free(out);
			return -1;
		}
		out->n++;
		if (i == 0)
			continue;
		{
			int wa = winner(&out->pt[i - 1]), wb = winner(&out->pt[i]);

			if (wa == wb || wa == -1 || wb == -1)
				continue;
			if (crossover(req, out->pt[i - 1].loss, L, wa, wb,
			              &out->cross[out->n_cross], err) != 0) {
				plan_target_frontier_free(out);
				return -1;
			}
			out->n_cross++;
		}
	}
	return 0;
}

void plan_target_frontier_free(struct target_frontier *f)
{
	free(f->pt);
	free(f->cross);
	f->pt = NULL;
	f->cross = NULL;
	f->n = f->n_cross = 0;
}
