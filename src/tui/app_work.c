/*
 * app_work.c — the work of the interactive planner that does not have to
 * wait for a key: the chart's frontier, computed a budget at a time, and
 * the plans one budget step up and down, solved ahead so that + and -
 * answer at once, and the compared law set's frontier at the chart's
 * budgets, and with the bands on (b) the draws of the laws' coefficients
 * at each of those budgets (core/uncertainty.h), a plan a step.  Part of
 * app.h.
 *
 * With a cost model a plan takes the solver tens of milliseconds (every
 * trial point realises an architecture and times it), a frontier of 25
 * budgets about half a second: done in one piece it would freeze the
 * screen.  term.c calls app_idle while no key is waiting; the tests and
 * the benchmark call it until app_busy says there is nothing left.
 *
 * The frontier is the one plan_frontier computes (plan.h): optimal plans
 * at log-spaced budgets, and where the winning path changes, the budget of
 * the change by bisection in log budget on the gap between the two paths'
 * losses, to a width of CROSS_TOL (0.1% of the budget, finer than the
 * two-digit label shown).
 */
#include "config.h"

#include "app.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/plan_target.h"

#define CROSS_TOL 1e-3            /* bracket width in ln budget */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return 1e3 * (double)ts.tv_sec + 1e-6 * (double)ts.tv_nsec;
}

int app_work_init(struct app *a)
{
	a->fr.pt = calloc(APP_FR_POINTS, sizeof *a->fr.pt);
	a->fr.cross = calloc(APP_FR_POINTS * PLAN_CROSS_PER_STEP,
	                     sizeof *a->fr.cross);
	a->job.next = APP_FR_POINTS;
	a->cmp_fr.pt = calloc(APP_FR_POINTS, sizeof *a->cmp_fr.pt);
	a->cmp_job.next = APP_FR_POINTS;
	a->cmp_job.model = -1;
	a->band.draws = a->cfg.spec.unc_draws > 0 ? (size_t)a->cfg.spec.unc_draws
	                                          : APP_BAND_DRAWS;
	a->band.u = calloc(1, sizeof *a->band.u);
	a->band.smp = calloc(a->band.draws, sizeof *a->band.smp);
	return a->fr.pt && a->fr.cross && a->cmp_fr.pt && a->band.u &&
	       a->band.smp ? 0 : -1;
}

void app_work_free(struct app *a)
{
	plan_frontier_free(&a->fr);
	plan_frontier_free(&a->cmp_fr);
	if (a->band.u != NULL)
		unc_free(a->band.u);
	free(a->band.u);
	free(a->band.smp);
	a->band.u = NULL;
	a->band.smp = NULL;
}

void app_plan_key_of(const struct app *a, struct app_plan_key *k)
{
	memset(k, 0, sizeof *k);
	k->gen = a->session->gen;
	k->paths = a->in.paths;
	k->n1 = a->req.has_checkpoint ? a->req.ckpt_params : 0;
	k->d1 = a->req.has_checkpoint ? a->req.ckpt_tokens : 0;
	k->paid = a->req.has_checkpoint && a->req.ckpt_paid;
	k->timed = a->req.budget_is_time;
	k->devices = a->req.devices;
	k->within_fit = a->req.within_fit;
	k->target = a->in.target;
	k->inference = a->in.inference;
	k->unique = a->in.unique;
	k->pin = a->req.cluster != NULL ? a->req.cluster->pin : k->pin;
}

static int key_eq(const struct app_plan_key *x, const struct app_plan_key *y)
{
	return x->gen == y->gen && x->paths == y->paths &&
	       x->n1 == y->n1 && x->d1 == y->d1 && x->paid == y->paid &&
	       x->timed == y->timed && x->devices == y->devices &&
	       x->within_fit == y->within_fit &&
	       (x->target == y->target || (isnan(x->target) && isnan(y->target))) &&
	       x->inference == y->inference && x->unique == y->unique &&
	       memcmp(&x->pin, &y->pin, sizeof x->pin) == 0;
}

/* ---- plans solved ahead ------------------------------------------------ */

/* Index of the plan kept for (k, budget), or -1. */
static int cache_find(const struct app *a, const struct app_plan_key *k,
                      double budget)
{
	for (int i = 0; i < APP_CACHE; i++) {
		const struct app_cached *c = &a->cache[i];

		if (c->valid && key_eq(&c->key, k) &&
		    fabs(c->budget - budget) <= 1e-12 * budget)
			return i;
	}
	return -1;
}

static void cache_put(struct app *a, const struct app_plan_key *k,
                      double budget, const struct plan *pl)
{
	struct app_cached *c = &a->cache[0];

	for (int i = 1; i < APP_CACHE; i++)     /* the least recently used */
		if (!a->cache[i].valid ||
		    (c->valid && a->cache[i].used < c->used))
			c = &a->cache[i];
	c->valid = 1;
	c->failed = pl == NULL;
	c->key = *k;
	c->budget = budget;
	c->used = ++a->clock;
	if (pl != NULL)
		c->pl = *pl;
}

int app_solve(struct app *a, struct plan *pl, struct mp_error *err)
{
	int i;

	app_plan_key_of(a, &a->key);
	i = a->cold ? -1 : cache_find(a, &a->key, a->req.budget);
	if (i >= 0 && !a->cache[i].failed) {
		a->cache[i].used = ++a->clock;
		*pl = a->cache[i].pl;
		return 0;
	}
	if ((isfinite(a->in.target) ? plan_target_solve(&a->req, a->in.target, pl,
	                                                err)
	                            : plan_solve(&a->req, pl, err)) != 0)
		return -1;
	cache_put(a, &a->key, a->req.budget, pl);
	return 0;
}

/* The solver's budget one + or - away. */
static double neighbour(const struct app *a, int dir)
{
	return a->req.budget * view_budget_step(a->in.budget, dir) / a->in.budget;
}

/* Solve one neighbour not yet tried; 1 if there was one. */
static int prefetch_step(struct app *a)
{
	if (a->cold)
		return 0;
	for (int dir = 1; dir >= -1; dir -= 2) {
		struct plan_request r = a->req;
		struct mp_error e;
		struct plan pl;

		r.budget = neighbour(a, dir);
		if (cache_find(a, &a->key, r.budget) >= 0)
			continue;
		/* a failure is kept too (not tried again); the key press that
		 * needs it solves again and says why */
		cache_put(a, &a->key, r.budget, plan_solve(&r, &pl, &e) == 0 ? &pl :
		          NULL);
		return 1;
	}
	return 0;
}

static int prefetch_pending(const struct app *a)
{
	if (a->cold)
		return 0;
	return cache_find(a, &a->key, neighbour(a, 1)) < 0 ||
	       cache_find(a, &a->key, neighbour(a, -1)) < 0;
}

/* ---- the frontier ------------------------------------------------------ */

/* The chart's range for the current budget: APP_DECADES each side of its
 * decade in the unit shown, kept while the budget stays a decade inside. */
static void frontier_range(const struct app *a, double *lo, double *hi)
{
	double scale = units_budget_scale(a->in.unit, a->req.price);
	double shown = a->req.budget * scale, k = floor(log10(shown));

	if (key_eq(&a->job.key, &a->key) && a->job.lo > 0 &&
	    shown >= a->job.lo * scale * 10 * (1 - 1e-9) &&
	    shown <= a->job.hi * scale / 10 * (1 + 1e-9)) {
		*lo = a->job.lo;
		*hi = a->job.hi;
		return;
	}
	*lo = pow(10, k - APP_DECADES) / scale;
	*hi = pow(10, k + APP_DECADES) / scale;
}

void app_schedule(struct app *a)
{
	double lo, hi;

	frontier_range(a, &lo, &hi);
	if (key_eq(&a->job.key, &a->key) && lo == a->job.lo && hi == a->job.hi)
		return;
	memset(&a->job, 0, sizeof a->job);
	a->job.key = a->key;
	a->job.lo = lo;
	a->job.hi = hi;
	a->fr.n = a->fr.n_cross = 0;
}

/* One bisection step of the crossover being refined. */
static int bisect_step(struct app *a, struct mp_error *err)
{
	struct app_job *j = &a->job;
	int rc = plan_crossover_step(&a->req, &j->cs, err);

	if (rc < 0)
		return -1;
	if (rc == 1) {
		a->fr.cross[a->fr.n_cross++] = plan_crossover_result(&j->cs);
		/* another winner between this crossover and the next point? */
		j->bisect = a->fr.n_cross < APP_FR_POINTS * PLAN_CROSS_PER_STEP &&
		            plan_crossover_next(&j->cs);
	}
	return 0;
}

/* One point of the frontier, or one step of a crossover's bisection. */
static int job_step(struct app *a, struct mp_error *err)
{
	struct app_job *j = &a->job;
	struct plan_request r = a->req;
	struct frontier_point *pt;
	struct plan pl;

	if (j->bisect)
		return bisect_step(a, err);
	r.budget = plan_frontier_budget(j->lo, j->hi, APP_FR_POINTS, j->next);
	r.lean = 1;      /* a frontier point records no flatness, no within-fit plan */
	if (plan_solve(&r, &pl, err) != 0)
		return -1;
	pt = &a->fr.pt[j->next];
	plan_frontier_record(pt, &pl);
	a->fr.n = ++j->next;
	if (j->next >= 2 && plan_point_winner(pt) != -1 &&
	    plan_point_winner(&pt[-1]) != -1 &&
	    plan_point_winner(pt) != plan_point_winner(&pt[-1])) {
		j->bisect = 1;
		plan_crossover_begin(&j->cs, &pt[-1], pt, CROSS_TOL);
	}
	return 0;
}

static int job_pending(const struct app *a)
{
	return a->job.next < APP_FR_POINTS || a->job.bisect;
}

/* ---- the compared law set's frontier ----------------------------------- */

/* Whether the comparison frontier is for the chart and law set shown. */
static int cmp_current(const struct app *a)
{
	const struct app_cmp_job *c = &a->cmp_job;

	return key_eq(&c->key, &a->job.key) && c->lo == a->job.lo &&
	       c->hi == a->job.hi && c->model == a->in.compare &&
	       c->gen == a->cmp->gen;
}

static int cmp_pending(const struct app *a)
{
	return a->has_cmp && (!cmp_current(a) || a->cmp_job.next < APP_FR_POINTS);
}

/* One point of it, after the chart's own frontier (the same budgets, in
 * the same unit: the two sessions share the hardware and the unit). */
static void cmp_step(struct app *a)
{
	struct app_cmp_job *c = &a->cmp_job;
	struct plan_request r = a->cmp->req;
	struct mp_error err;
	struct plan pl;

	if (!cmp_current(a)) {
		c->key = a->job.key;
		c->lo = a->job.lo;
		c->hi = a->job.hi;
		c->model = a->in.compare;
		c->gen = a->cmp->gen;
		c->next = 0;
		a->cmp_fr.n = 0;
	}
	r.budget = plan_frontier_budget(c->lo, c->hi, APP_FR_POINTS, c->next);
	r.lean = 1;
	/* a budget the other set cannot be asked about is a gap in its curve */
	if (plan_solve(&r, &pl, &err) == 0)
		plan_frontier_record(&a->cmp_fr.pt[c->next], &pl);
	else {
		memset(&a->cmp_fr.pt[c->next], 0, sizeof a->cmp_fr.pt[0]);
		a->cmp_fr.pt[c->next].budget = r.budget;
		a->cmp_fr.pt[c->next].best = -1;
	}
	a->cmp_fr.n = ++c->next;
}

/* ---- the chart's uncertainty bands --------------------------------------- */

static int band_current(const struct app *a)
{
	const struct app_band_job *b = &a->band;

	return b->ready && key_eq(&b->key, &a->job.key) && b->lo == a->job.lo &&
	       b->hi == a->job.hi;
}

int app_bands_pending(const struct app *a)
{
	return a->in.bands && !job_pending(a) &&
	       (!band_current(a) || (a->band.u->n_laws > 0 &&
	                             a->band.next < APP_FR_POINTS * a->band.draws));
}

const struct unc_bands *app_bands(const struct app *a, size_t *n)
{
	*n = 0;
	if (!a->in.bands || !band_current(a) || a->band.u->n_laws == 0)
		return NULL;
	*n = a->band.n_bands;
	return a->band.bands;
}

/* Set the job up for the chart shown: the draws of a->req's laws. */
static int band_reset(struct app *a, struct mp_error *err)
{
	struct app_band_job *b = &a->band;

	unc_free(b->u);
	b->ready = 0;
	if (unc_init(b->u, &a->req, err) != 0)
		return -1;
	b->key = a->job.key;
	b->lo = a->job.lo;
	b->hi = a->job.hi;
	b->next = b->n_bands = 0;
	b->ready = 1;
	return 0;
}

/* One draw at one budget; a budget's bands once its last draw is in. */
static int band_step(struct app *a, struct mp_error *err)
{
	struct app_band_job *b = &a->band;
	size_t k, i;
	double budget;

	if (!band_current(a) && band_reset(a, err) != 0)
		return -1;
	if (b->u->n_laws == 0)
		return 0;
	k = b->next / b->draws;
	i = b->next % b->draws;
	budget = plan_frontier_budget(b->lo, b->hi, APP_FR_POINTS, k);
	if (unc_draw(b->u, budget, a->cfg.spec.unc_seed, i, &b->smp[i], err) != 0)
		return -1;
	b->next++;
	if (i + 1 == b->draws) {
		if (unc_summarise(b->u, budget, a->cfg.spec.unc_seed, b->smp,
		                  b->draws, &b->bands[k], err) != 0)
			return -1;
		b->n_bands = k + 1;
	}
	return 0;
}

int app_busy(const struct app *a)
{
	return job_pending(a) || prefetch_pending(a) || cmp_pending(a) ||
	       app_bands_pending(a);
}

int app_idle(struct app *a, double ms)
{
	double t0 = now_ms();
	int changed = 0;
	struct mp_error e;

	do {
		if (prefetch_step(a))
			continue;
		if (job_pending(a)) {
			if (job_step(a, &e) != 0) {
				a->job.next = APP_FR_POINTS;  /* give up; say why */
				a->job.bisect = 0;
				app_status(a, 1, "frontier: %s", e.msg);
			}
		} else if (cmp_pending(a))
			cmp_step(a);
		else if (app_bands_pending(a)) {
			if (band_step(a, &e) != 0) {
				a->in.bands = 0;              /* give up; say why */
				app_status(a, 1, "bands: %s", e.msg);
			}
		} else
			break;
		changed = 1;
	} while (now_ms() - t0 < ms);
	if (changed && app_view(a, &e) != 0)
		app_status(a, 1, "%s", e.msg);
	return changed;
}
