/*
 * plan.c — the compute-optimal allocation of each path (see plan.h).
 *
 * For one law and a FLOPs target C:
 *   1. pinned variables (request pins, a checkpoint) and one combination of
 *      the discrete choices (experts, granularity, ...) are fixed;
 *   2. the token variable t is eliminated by solving compute(x, t) = C
 *      (monotone in t: Newton on the symbolic derivative, which is exact
 *      in one step for the papers' linear rules 6ND);
 *   3. the loss is minimised over the remaining continuous variables in
 *      log space: a coarse grid finds the basin, then GSL's Brent minimiser
 *      (one variable) or Nelder-Mead simplex (several) polishes it;
 *   4. discrete combinations are enumerated and the lowest loss kept.
 * Nothing here knows a particular law: Chinchilla's closed form is a test
 * oracle only.
 */
#include "config.h"

#include "plan.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regula.h"

#define MIN_COUNT PLAN_MIN_COUNT  /* the box of the free variables */
#define MAX_COUNT PLAN_MAX_COUNT  /* (parameters, tokens, experts...) */
#define EDGE_TOL 1e-6      /* log units: an optimum this near a box bound
                              is at the edge of the box */
#define PENALTY 1e6        /* objective of an infeasible point, for the
                              * optimisers; feasibility itself is the flag
                              * solve.feasible, never this value */
#define MAX_COMBOS 512     /* discrete combinations enumerated */
#define SIMPLEX_TOL 1e-6   /* simplex size in log units: 1e-6 relative in x,
                              far below any planning question; at 1e-7 the
                              loss differences across the simplex reach the
                              double-precision noise floor (dL ~ u^2 ~ 1e-14
                              of L) and Nelder-Mead stalls */
#define SIMPLEX_ITER 500   /* per round; convergence takes about 100 */

/* State of one continuous solve. */
struct solve {
	const struct plan_request *req;
	const struct law *L;
	double target;             /* compute(x) must equal this */
	double x[LAW_MAX_VARS];    /* current point; free entries overwritten */
	int free_var[LAW_MAX_VARS];/* indices of the chosen continuous vars */
	int n_free;
	double lo[LAW_MAX_VARS], hi[LAW_MAX_VARS];  /* log bounds per free var */
	double elim_lo, elim_hi;   /* bounds of x[elim] (0, INFINITY: none) */
	unsigned pinned_mask;      /* bit i: variable i is pinned */
	int fit;                   /* the box is the fit ranges' too */
	int feasible;              /* whether the last objective() was */
};

/* ---- step 2: eliminate the token variable --------------------------------- */

/*
 * Solve compute(x) = target for x[elim] = t > 0; compute is increasing in t.
 * If the fixed part alone (t = 0) reaches the target there is no root.
 * The first guess is a Newton step on the symbolic derivative, exact for the
 * papers' linear rules (6ND, 6 N1 D1 + 6 Na D2); secant steps follow, so
 * the answer never depends on that derivative being right (it is not when
 * a derived quantity depends on t).  Returns 0 and sets x[elim], or -1.
 */
static int eliminate(const struct law *L, double target, double *x)
{
	int e = L->elim;
	double t0 = 0, t1, f0, f1, d;

	x[e] = 0;
	f0 = law_flops(L, x);
	if (!isfinite(f0)) {              /* rule undefined at t = 0 */
		t0 = 1;
		x[e] = t0;
		f0 = law_flops(L, x);
		if (!isfinite(f0))
			return -1;
	}
	if (f0 >= target)
		return t0 > 0 && f0 == target ? 0 : -1;
	d = law_dflops(L, x);
	t1 = isfinite(d) && d > 0 ? t0 + (target - f0) / d : t0 + 1;
	for (int it = 0; it < 200; it++) {
		double slope, t2;

		x[e] = t1;
		f1 = law_flops(L, x);
		if (!isfinite(f1))
			return -1;
		if (fabs(f1 - target) <= 1e-12 * target)
			return 0;
		slope = (f1 - f0) / (t1 - t0);
		if (!(slope > 0) || !isfinite(slope))
			return -1;
		t2 = t1 + (target - f1) / slope;
		if (t2 <= 0)
			t2 = t1 / 2;
		t0 = t1;
		f0 = f1;
		t1 = t2;
	}
	return -1;
}

/* ---- the realised architecture and its time ------------------------------ */

static double var_of_role(const struct law *L, const double *x, enum law_role r)
{
	int i = law_role_index(L, r);

	return i >= 0 ? x[i] : NAN;
}

/* The architecture the shape policy realises for L at x.  A law in
 * sparsity S = (E - K) / E (Abnar et al. 2025) sets the expert count
 * E = K / (1 - S) with the policy's K; S = 0 is the dense model. */
static int arch_at(const struct plan_request *req, const struct law *L,
                   const double *x, struct arch *a, struct mp_error *err)
{
	double E = var_of_role(L, x, ROLE_EXPERTS);
	double G = var_of_role(L, x, ROLE_GRANULARITY);
	double S = var_of_role(L, x, ROLE_SPARSITY);

	if (isnan(E) && isfinite(S) && req->shape->top_k > 0) {
		E = round(req->shape->top_k / (1 - S));
		if (E <= req->shape->top_k)
			return shape_realise(req->shape, L->count,
			                     var_of_role(L, x, ROLE_PARAMS), 0, 0, 0, a,
			                     err);
	}

	/* a checkpoint given as an architecture is upcycled as it is */
	if (L->path == PATH_UPCYCLE && req->has_checkpoint && req->has_ckpt_arch)
		return shape_upcycle(req->shape, &req->ckpt_arch,
		                     isnan(E) ? 0 : (int)lround(E), isnan(G) ? 0 : G,
		                     a, err);
	return shape_realise(req->shape, L->count, var_of_role(L, x, ROLE_PARAMS),
	                     L->path != PATH_DENSE, isnan(E) ? 0 : (int)lround(E),
	                     isnan(G) ? 0 : G, a, err);
}

/* The dense model an upcycled MoE starts from: the same, without experts. */
static struct arch dense_base(const struct arch *moe)
{
	struct arch b = *moe;

	b.experts = b.top_k = b.d_expert = b.shared_experts = 0;
	return b;
}

void plan_cluster_cache_reset(struct plan_cluster_cache *c)
{
	if (c == NULL)
		return;
	c->clock = 0;
	for (int i = 0; i < PLAN_CLUSTER_CACHE; i++)
		c->e[i].valid = c->e[i].ok = 0, c->e[i].used = 0;
}

/* The cluster model's run of a (cluster_best), through the cache: 0, or
 * -1 when no layout fits. */
static int cluster_run_of(const struct plan_request *req,
                          const struct arch *a, struct cluster_run *out)
{
	struct plan_cluster_cache *c = req->cluster_cache;
	struct mp_error e;
	int i, old = 0, ok;

	for (i = 0; c != NULL && i < PLAN_CLUSTER_CACHE; i++) {
		if (c->e[i].valid && memcmp(&c->e[i].a, a, sizeof *a) == 0) {
			c->e[i].used = ++c->clock;
			*out = c->e[i].r;
			return c->e[i].ok ? 0 : -1;
		}
		/* the first free entry, else the least recently used */
		if (c->e[old].valid &&
		    (!c->e[i].valid || c->e[i].used < c->e[old].used))
			old = i;
	}
	ok = cluster_best(req->cluster, a, out, &e) == 0;
	if (c != NULL) {
		c->e[old].valid = 1;
		c->e[old].ok = ok;
		c->e[old].used = ++c->clock;
		c->e[old].a = *a;
		c->e[old].r = *out;
	}
	return ok ? 0 : -1;
}

/* Device-seconds per training token of a on the request's cost model: on
 * its cluster (at the goodput), or one device at tokens_per_step. */
static double seconds_per_token(const struct plan_request *req,
                                const struct arch *a)
{
	int tps = req->tokens_per_step > 0 ? req->tokens_per_step : 8 * a->seq;
	struct cluster_run r;

	if (req->cluster != NULL)
		return cluster_run_of(req, a, &r) == 0 ?
		       r.seconds_per_token / CLUSTER_GOODPUT : NAN;
	return cost_seconds_per_token(req->cost, a, tps, NULL);
}

static void warnf(struct plan_path *pp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- unique tokens --------------------------------------------------------- */

/* 1 if the request prices repeated tokens (plan.h). */
static int data_constrained(const struct plan_request *req)
{
	return req->unique_tokens > 0 && req->datacon != NULL &&
	       req->datacon->ready;
}

/* x with the effective parameters and tokens of Muennighoff et al. 2023
 * (datacon.h) in place of the real ones, into xe; the tokens of upcycling
 * are D1 + D2, D' shared between the phases in proportion.  -1 if the
 * transform is undefined there. */
static int effective_x(const struct plan_request *req, const struct law *L,
                       const double *x, double *xe)
{
	int n = law_role_index(L, ROLE_PARAMS), t = law_role_index(L, ROLE_TOKENS);
	int d1 = law_role_index(L, ROLE_TOKENS_DENSE);
	int d2 = law_role_index(L, ROLE_TOKENS_MOE);
	double N = n >= 0 ? x[n] : NAN, D, Np, Dp;

	memcpy(xe, x, L->n_vars * sizeof *x);
	D = t >= 0 ? x[t] : d1 >= 0 && d2 >= 0 ? x[d1] + x[d2] : NAN;
	if (datacon_apply(req->datacon, N, D, req->unique_tokens, &Np, &Dp) != 0)
		return -1;
	if (n >= 0)
		xe[n] = Np;
	if (t >= 0) {
		xe[t] = Dp;
	} else {
		xe[d1] = x[d1] * (Dp / D);
		xe[d2] = x[d2] * (Dp / D);
	}
	return 0;
}

/* The loss the plan is judged by: the law's, at the effective parameters
 * and tokens when the request prices repeated tokens. */
static double plan_loss(const struct plan_request *req, const struct law *L,
                        const double *x)
{
	double xe[LAW_MAX_VARS];

	if (!data_constrained(req))
		return law_loss(L, x);
	return effective_x(req, L, x, xe) == 0 ? law_loss(L, xe) : NAN;
}

/* A solved path's epochs and effective counts, and the assumption's
 * label where its law is not the one the constants were fitted with. */
static void set_epochs(const struct plan_request *req, struct plan_path *pp)
{
	const struct law *L = pp->law;
	double xe[LAW_MAX_VARS], U = req->unique_tokens;
	int n = law_role_index(L, ROLE_PARAMS), t = law_role_index(L, ROLE_TOKENS);

	pp->epochs = pp->epochs_dense = pp->epochs_moe = NAN;
	pp->tokens_effective = pp->params_effective = NAN;
	if (!data_constrained(req))
		return;
	pp->epochs = datacon_epochs(pp->tokens, U);
	if (L->path == PATH_UPCYCLE) {
		pp->epochs_dense = datacon_epochs(pp->tokens_dense, U);
		pp->epochs_moe = datacon_epochs(pp->tokens_moe, U);
	}
	if (effective_x(req, L, pp->x, xe) == 0) {
		pp->params_effective = n >= 0 ? xe[n] : NAN;
		pp->tokens_effective = t >= 0 ? xe[t] :
		    xe[law_role_index(L, ROLE_TOKENS_DENSE)] +
		    xe[law_role_index(L, ROLE_TOKENS_MOE)];
	}
	if (L != req->datacon_law)
		warnf(pp, "assumption: repeated tokens priced with the "
		      "data-constrained transform of Muennighoff et al. 2023 "
		      "(fitted on dense C4 runs%s%s), applied to this law",
		      req->datacon->law ? ", law " : "",
		      req->datacon->law ? req->datacon->law : "");
	if (pp->epochs > 1 + req->datacon->R_D_star)
		warnf(pp, "%.1f epochs over %.3g unique tokens: past R_D* = %.1f "
		      "repetitions, more epochs add almost nothing", pp->epochs, U,
		      req->datacon->R_D_star);
}

/* ---- batch size and learning rate ----------------------------------------- */

/* A solved path's suggested global batch and peak learning rate from the
 * request's law (hparams.h) at the run's compute, C = M D with M the
 * realised architecture's non-embedding (no logits) training FLOPs per
 * token (DeepSeek-AI 2024, Sec. 3.1); a layout whose data parallelism
 * alone asks for more than that batch warns. */
static void set_hparams(const struct plan_request *req, struct plan_path *pp)
{
	struct hparams_pick pick;
	struct mp_error e;
	double M = pp->arch_flops.training - 3 * pp->arch_flops.logits;

	pp->hp_compute = pp->hp_batch_tokens = pp->hp_lr = NAN;
	pp->hp_extrapolated = 0;
	if (req->hparams == NULL || pp->arch.layers == 0 || !(M > 0))
		return;
	pp->hp_compute = M * pp->tokens;
	if (hparams_suggest(req->hparams, pp->hp_compute, &pick, &e) != 0)
		return;
	pp->hp_batch_tokens = pick.batch_tokens;
	pp->hp_lr = pick.lr;
	pp->hp_extrapolated = pick.extrapolated;
	if (pp->has_run) {
		const struct layout *l = &pp->run.layout;
		double least = (double)l->dp * l->micro_batch * pp->arch.seq;

		if (least > pick.batch_tokens)
			warnf(pp, "the layout's data parallelism asks for at least %.3g "
			      "tokens a step (dp %d x micro-batch %d x %d), above the "
			      "suggested batch of %.3g (%s)", least, l->dp,
			      l->micro_batch, pp->arch.seq, pick.batch_tokens,
			      req->hparams->name ? req->hparams->name : "batch law");
	}
}

/* ---- serving ----------------------------------------------------------------- */

/* The parameters a served token uses: a dense law's size variable (the
 * Chinchilla convention Sardana et al. 2024 plan with), else the realised
 * architecture's active parameters; NAN if none is realised. */
static double serve_active(const struct plan_request *req, const struct law *L,
                           const double *x, const struct arch *a)
{
	struct arch_params pa;
	struct arch b;

	if (L->path == PATH_DENSE)
		return var_of_role(L, x, ROLE_PARAMS);
	if (a == NULL) {
		if (arch_at(req, L, x, &b, NULL) != 0)
			return NAN;
		a = &b;
	}
	arch_count_params(a, &pa);
	return pa.active;
}

/* Device-seconds of the demand on a: on the cost model (one device). */
static double serve_time(const struct plan_request *req, const struct arch *a)
{
	int tps = req->tokens_per_step > 0 ? req->tokens_per_step : 8 * a->seq;

	return serve_seconds(req->cost, a, &req->serve, tps);
}

/* What serving the request's demand costs a plan at x, in the budget's
 * unit (FLOPs, or device-seconds); 0 without a demand, NAN if unknown.
 * a: the architecture served, NULL: the one realised at x. */
static double serve_cost(const struct plan_request *req, const struct law *L,
                         const double *x, const struct arch *a)
{
	struct arch b;

	if (!(req->serve.tokens > 0))
		return 0;
	if (!req->budget_is_time)
		return serve_flops(serve_active(req, L, x, a), req->serve.tokens);
	if (a == NULL) {
		if (arch_at(req, L, x, &b, NULL) != 0)
			return NAN;
		a = &b;
	}
	return serve_time(req, a);
}

/* A solved path's serving figures (serve.h). */
static void set_serving(const struct plan_request *req, struct plan_path *pp,
                        const struct arch *a)
{
	double T = req->serve.tokens;

	pp->serve_flops = pp->serve_active = 0;
	pp->serve_seconds = pp->serve_hours = pp->serve_usd = 0;
	if (!(T > 0))
		return;
	pp->serve_active = serve_active(req, pp->law, pp->x, a);
	pp->serve_flops = serve_flops(pp->serve_active, T);
	pp->serve_seconds = pp->serve_hours = pp->serve_usd = NAN;
	if (req->cost == NULL || a == NULL || a->layers == 0)
		return;
	pp->serve_seconds = serve_time(req, a);
	pp->serve_hours = pp->serve_seconds / 3600;
	pp->serve_usd = isfinite(req->price) ? pp->serve_hours * req->price : NAN;
}

/*
 * Device-seconds of the run at x, split into the part fixed by the other
 * variables (the dense phase of upcycling: D1 s_dense) and the seconds per
 * token of the eliminated variable (s_moe or s_dense):
 *     time(x) = fixed + x[elim] * per_token.
 */
static int exact_time_terms(const struct plan_request *req,
                            const struct law *L, const double *x,
                            double *fixed, double *per_token)
{
	struct arch a, base;

	if (arch_at(req, L, x, &a, NULL) != 0)
		return -1;
	*per_token = seconds_per_token(req, &a);
	*fixed = 0;
	if (L->path == PATH_UPCYCLE) {
		base = dense_base(&a);
		*fixed = var_of_role(L, x, ROLE_TOKENS_DENSE) *
		         seconds_per_token(req, &base);
	}
	return isfinite(*per_token) && *per_token > 0 && isfinite(*fixed) ? 0 : -1;
}

/* a, b at weight t of the way from a to b, in log (both > 0), else a. */
static double log_lerp(double a, double b, double t)
{
	return a > 0 && b > 0 ? exp((1 - t) * log(a) + t * log(b)) : a;
}

/*
 * The time terms on a cluster, smoothed in the size variable: the layout
 * and the MFU of a realised architecture jump from one shape to the next
 * (a d_model whose heads split better, a layout that just fits), and a
 * solver spending a budget of time against them picks a smaller model for
 * a larger budget.  So the seconds per token (and the fixed part) are
 * those of the architectures realised at the two sizes N_lo <= N < N_hi
 * of a grid of PLAN_SMOOTH_PER_DECADE a decade, interpolated in log N, log
 * seconds.  Where N_hi fits no layout but N does, N's own; where N_lo
 * fits none, none.
 */
static int time_terms(const struct plan_request *req, const struct law *L,
                      const double *x, double *fixed, double *per_token)
{
	int i = law_role_index(L, ROLE_PARAMS);
	double xl[LAW_MAX_VARS], xh[LAW_MAX_VARS], fl, fh, pl, ph, k, t;

	if (req->cluster == NULL || i < 0 || !(x[i] > 0) ||
	    (L->path == PATH_UPCYCLE && req->has_checkpoint))
		return exact_time_terms(req, L, x, fixed, per_token);
	k = floor(PLAN_SMOOTH_PER_DECADE * log10(x[i]));
	memcpy(xl, x, L->n_vars * sizeof *x);
	memcpy(xh, x, L->n_vars * sizeof *x);
	xl[i] = pow(10, k / PLAN_SMOOTH_PER_DECADE);
	xh[i] = pow(10, (k + 1) / PLAN_SMOOTH_PER_DECADE);
	t = log(x[i] / xl[i]) / log(xh[i] / xl[i]);
	if (exact_time_terms(req, L, xl, &fl, &pl) != 0)
		return -1;
	if (exact_time_terms(req, L, xh, &fh, &ph) != 0)
		return exact_time_terms(req, L, x, fixed, per_token);
	*per_token = log_lerp(pl, ph, t);
	*fixed = log_lerp(fl, fh, t);
	return 0;
}

/* Like eliminate(), against calibrated time: time(x) = target, linear in
 * the token variable once the architecture is fixed. */
static int eliminate_time(const struct plan_request *req, const struct law *L,
                          double target, double *x)
{
	double fixed, per_token, t;

	if (time_terms(req, L, x, &fixed, &per_token) != 0)
		return -1;
	t = (target - fixed) / per_token;
	if (!(t > 0))
		return -1;
	x[L->elim] = t;
	return 0;
}

/* Loss at the current point with free variables exp(u). */
static double objective(struct solve *s, const double *u)
{
	double loss;

	double target = s->target;

	s->feasible = 0;
	for (int i = 0; i < s->n_free; i++)
		s->x[s->free_var[i]] = exp(u[i]);
	/* the budget pays for serving too: what is left trains */
	if (s->req->serve.tokens > 0) {
		double serve = serve_cost(s->req, s->L, s->x, NULL);

		if (!(serve >= 0) || !((target -= serve) > 0))
			return PENALTY;
	}
	if ((s->req->budget_is_time ? eliminate_time(s->req, s->L, target, s->x)
	                            : eliminate(s->L, target, s->x)) != 0)
		return PENALTY;
	if (s->x[s->L->elim] < s->elim_lo * (1 - 1e-12) ||
	    s->x[s->L->elim] > s->elim_hi * (1 + 1e-12))
		return PENALTY;
	loss = plan_loss(s->req, s->L, s->x);
	if (!isfinite(loss))
		return PENALTY;
	s->feasible = 1;
	return loss;
}

static double objective_1d(double u, void *p)
{
	struct solve *s = p;

	/* Brent's bracket may reach past the box; it is penalised there */
	if (!(u >= s->lo[0] && u <= s->hi[0])) {
		s->feasible = 0;
		return PENALTY;
	}
	return objective(p, &u);
}

static double objective_nd(const gsl_vector *v, void *p)
{
	struct solve *s = p;
	double u[LAW_MAX_VARS];

	/* the simplex may step outside the box; it is penalised there */
	for (int i = 0; i < s->n_free; i++) {
		u[i] = gsl_vector_get(v, (size_t)i);
		if (!(u[i] >= s->lo[i] && u[i] <= s->hi[i])) {
			s->feasible = 0;
			return PENALTY;
		}
	}
	return objective(s, u);
}

/* ---- step 3: minimise over the free variables ----------------------------- */

/* Coarse grid over the box; the best feasible point into u, returns its
 * loss, or INFINITY if no point of the grid is feasible. */
static double grid_search(struct solve *s, int per_dim, double *u)
{
	int idx[LAW_MAX_VARS] = { 0 };
	double best = INFINITY, v[LAW_MAX_VARS];

	for (;;) {
		double f;
		int d;

		for (int i = 0; i < s->n_free; i++)
			v[i] = s->lo[i] + (s->hi[i] - s->lo[i]) * idx[i] / (per_dim - 1);
		f = objective(s, v);
		if (s->feasible && f < best) {
			best = f;
			memcpy(u, v, (size_t)s->n_free * sizeof *u);
		}
		for (d = 0; d < s->n_free && ++idx[d] == per_dim; d++)
			idx[d] = 0;
		if (d == s->n_free)
			break;
	}
	return best;
}

/* Brent's bracket, log units, at which a 1-D polish stops: a loss flat
 * to rounding near its minimum (f - f_min ~ c du^2 below f eps) cannot
 * place it closer than about 1e-6, and Brent asked for less spins to its
 * iteration cap; 2e-6 in log size is 2e-6 relative in N or D, far below
 * what a table shows or a flat range of 0.1% spans. */
#define POLISH_TOL 2e-6

static double polish_1d(struct solve *s, double *u, double step)
{
	gsl_function F = { objective_1d, s };
	gsl_min_fminimizer *m;
	double a = u[0] - step, b = u[0] + step, fa, fb, fm = objective(s, u);
	double best = fm;

	fa = objective_1d(a, s);
	fb = objective_1d(b, s);
	if (!(fm < fa && fm < fb))
		return fm;             /* optimum at the grid's edge: keep it */
	m = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
	if (m == NULL)
		return fm;
	if (gsl_min_fminimizer_set_with_values(m, &F, u[0], fm, a, fa, b, fb) ==
	    GSL_SUCCESS) {
		for (int it = 0; it < 200; it++) {
			if (gsl_min_fminimizer_iterate(m) != GSL_SUCCESS)
				break;
			a = gsl_min_fminimizer_x_lower(m);
			b = gsl_min_fminimizer_x_upper(m);
			if (gsl_min_test_interval(a, b, POLISH_TOL, 0) == GSL_SUCCESS)
				break;
		}
		if (gsl_min_fminimizer_f_minimum(m) <= best) {
			u[0] = gsl_min_fminimizer_x_minimum(m);
			best = gsl_min_fminimizer_f_minimum(m);
		}
	}
	gsl_min_fminimizer_free(m);
	return best;
}

static double polish_nd(struct solve *s, double *u, double step)
{
	const gsl_multimin_fminimizer_type *T = gsl_multimin_fminimizer_nmsimplex2;
	gsl_multimin_function F = { objective_nd, (size_t)s->n_free, s };
	gsl_multimin_fminimizer *m;
	gsl_vector *x0, *dx;
	double best = objective(s, u);
	size_t n = (size_t)s->n_free;

	m = gsl_multimin_fminimizer_alloc(T, n);
	x0 = gsl_vector_alloc(n);
	dx = gsl_vector_alloc(n);
	if (m == NULL || x0 == NULL || dx == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		gsl_vector_set(x0, i, u[i]);
		gsl_vector_set(dx, i, step / 2);
	}
	/* Two rounds: a restart guards against a collapsed simplex. */
	for (int round = 0; round < 2; round++) {
		if (gsl_multimin_fminimizer_set(m, &F, x0, dx) != GSL_SUCCESS)
			break;
		for (int it = 0; it < SIMPLEX_ITER; it++) {
			if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
				break;
			if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(m),
			                           SIMPLEX_TOL) == GSL_SUCCESS)
				break;
		}
		if (m->fval <= best) {
			best = m->fval;
			for (size_t i = 0; i < n; i++)
				u[i] = gsl_vector_get(m->x, i);
		}
		gsl_vector_memcpy(x0, m->x);
		gsl_vector_set_all(dx, 0.05);
	}
out:
	gsl_vector_free(dx);
	gsl_vector_free(x0);
	gsl_multimin_fminimizer_free(m);
	return best;
}

/* Minimise the loss over s->free_var; on return s->x holds the optimum
 * and s->feasible says whether one was found.  Returns the loss. */
static double minimise(struct solve *s)
{
	double u[LAW_MAX_VARS] = { 0 }, grid[LAW_MAX_VARS], loss;
	int per_dim = s->n_free == 1 ? 32 : s->n_free == 2 ? 12 : 6;

	if (s->n_free == 0)
		return objective(s, u);
	if (isinf(grid_search(s, per_dim, u))) {
		s->feasible = 0;
		return PENALTY;
	}
	memcpy(grid, u, sizeof grid);
	if (s->n_free == 1)
		polish_1d(s, u, (s->hi[0] - s->lo[0]) / (per_dim - 1));
	else
		polish_nd(s, u, (s->hi[0] - s->lo[0]) / (per_dim - 1));
	loss = objective(s, u);   /* leaves s->x at the optimum */
	/* the polish compares losses with PENALTY: should a law's loss exceed
	 * it, the polish may prefer an infeasible point; the grid's stands */
	if (!s->feasible)
		loss = objective(s, grid);
	return loss;
}

/* ---- steps 1 and 4: pins and discrete choices ------------------------------ */

static void warnf(struct plan_path *pp, const char *fmt, ...)
{
	va_list ap;

	if (pp->n_warn == PLAN_MAX_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(pp->warn[pp->n_warn++], PLAN_WARN_LEN, fmt, ap);
	va_end(ap);
}

void plan_unsolved(struct plan_path *pp, const char *fmt, ...)
{
	va_list ap;

	pp->solved = 0;
	va_start(ap, fmt);
	vsnprintf(pp->why, sizeof pp->why, fmt, ap);
	va_end(ap);
}

/* The checkpoint's N1 in L's convention: its architecture's count when
 * it has one, else N1 as given. */
static double ckpt_n(const struct plan_request *req, const struct law *L)
{
	return req->has_ckpt_arch ? shape_count(&req->ckpt_arch, L->count)
	                          : req->ckpt_params;
}

/* Value pinned for variable i of L by the request, if any.  A variable
 * with a single declared value is the law's own constant and takes no pin. */
static int pinned(const struct plan_request *req, const struct law *L, int i,
                  double *v)
{
	const struct law_var *var = &L->vars[i];

	if (L->path == PATH_UPCYCLE && req->has_checkpoint) {
		if (var->role == ROLE_PARAMS) {
			*v = ckpt_n(req, L);
			return 1;
		}
		if (var->role == ROLE_TOKENS_DENSE) {
			*v = req->ckpt_tokens;
			return 1;
		}
	}
	if (var->n_values == 1)
		return 0;     /* a constant of this law (E = 1 of a dense law) */
	for (size_t k = 0; k < req->n_pins; k++)
		if (strcmp(req->pin_name[k], var->name) == 0) {
			*v = req->pin_value[k];
			return 1;
		}
	return 0;
}

/* Classify the variables of L; fills s (free vars and bounds) and the
 * discrete list.  Returns -1 with err on a pin the law cannot take. */
static int setup(const struct plan_request *req, const struct law *L,
                 struct solve *s, int *disc, int *n_disc, struct mp_error *err)
{
	memset(s, 0, sizeof *s);
	s->L = L;
	*n_disc = 0;
	for (int i = 0; i < (int)L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];
		double pin;

		if (pinned(req, L, i, &pin)) {
			if (i == L->elim)
				return mp_error_set(err, "cannot pin %s: the budget sets it",
				                    v->name);
			if (v->role == ROLE_SPARSITY && !(pin >= 0 && pin < 1))
				return mp_error_set(err, "%s = %g: a sparsity is from 0 up to "
				                    "(not including) 1", v->name, pin);
			if (v->role != ROLE_SPARSITY && !(isfinite(pin) && pin > 0))
				return mp_error_set(err, "%s = %g: must be a positive number",
				                    v->name, pin);
			s->x[i] = pin;
			s->pinned_mask |= 1u << i;
		} else if (i == L->elim) {
			s->x[i] = 1;
		} else if (v->n_values > 0) {
			disc[(*n_disc)++] = i;
			s->x[i] = v->values[0];
		} else {
			s->free_var[s->n_free++] = i;
		}
	}
	return 0;
}

/* Number of combinations of the discrete variables (capped). */
static size_t n_combos(const struct law *L, const int *disc, int n_disc)
{
	size_t n = 1;

	for (int d = 0; d < n_disc; d++) {
		n *= L->vars[disc[d]].n_values;
		if (n > MAX_COMBOS)
			return MAX_COMBOS + 1;
	}
	return n;
}

/* Set the discrete variables to combination c (mixed radix). */
static void set_combo(const struct law *L, const int *disc, int n_disc,
                      size_t c, double *x)
{
	for (int d = 0; d < n_disc; d++) {
		const struct law_var *v = &L->vars[disc[d]];

		x[disc[d]] = v->values[c % v->n_values];
		c /= v->n_values;
	}
}

/* ---- results ------------------------------------------------------------- */

/* Bit i: variable i of L at x is outside its fit range. */
static unsigned outside_fit(const struct law *L, const double *x)
{
	unsigned m = 0;

	for (size_t i = 0; i < L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];

		if (!isnan(v->fit_lo) &&
		    (x[i] < v->fit_lo * (1 - 1e-9) || x[i] > v->fit_hi * (1 + 1e-9)))
			m |= 1u << i;
	}
	return m;
}

/* A sparsity the realised architecture cannot have: E = K / (1 - S) is a
 * whole number of experts with the shape policy's K. */
static void warn_sparsity(const struct plan_request *req, struct plan_path *pp)
{
	double S = var_of_role(pp->law, pp->x, ROLE_SPARSITY), got;
	int K = req->shape->top_k, E = pp->arch.experts;

	if (!isfinite(S))
		return;
	got = E > 0 ? (double)(E - pp->arch.top_k) / E : 0;
	if (fabs(got - S) > 1e-9)
		warnf(pp, "S = %g is realised as %d experts, top-%d (S = %.3g): the "
		      "shape policy's top_k %d cannot give it exactly", S, E,
		      E > 0 ? pp->arch.top_k : K, got, K);
}

/* The critical batch at the path's loss (Kaplan et al. 2020, eq. 5.1:
 * B_crit(L) = B* / L^(1 / alpha_B), B* = 2e8 tokens, alpha_B = 0.21, in
 * their tokenizer's nats: a rough guide for other laws): a global batch
 * above it buys little for its compute, so data parallelism beyond it is
 * waste. */
static void warn_critical_batch(struct plan_path *pp)
{
	double b = PLAN_BCRIT_STAR * pow(pp->loss, -1 / PLAN_BCRIT_ALPHA);

	if (pp->loss > 0 && pp->run.tokens_per_step > b)
		warnf(pp, "the global batch of %.3g tokens is above the critical "
		      "batch, about %.3g at loss %.2f (Kaplan et al. 2020, eq. 5.1): "
		      "data parallelism beyond it wastes compute",
		      pp->run.tokens_per_step, b, pp->loss);
}

static void warn_fit_ranges(struct plan_path *pp)
{
	const struct law *L = pp->law;

	pp->extrap_mask = outside_fit(L, pp->x);
	pp->extrapolated = pp->extrap_mask != 0;
	for (size_t i = 0; i < L->n_vars; i++)
		if (pp->extrap_mask & (1u << i))
			warnf(pp, "%s = %.3g is outside the fitted range [%.3g, %.3g]: "
			      "extrapolation", L->vars[i].name, pp->x[i],
			      L->vars[i].fit_lo, L->vars[i].fit_hi);
}

/*
 * The search box's edges: a chosen variable within EDGE_TOL (log) of
 * MIN_COUNT or of its upper bound (MAX_COUNT, or the FLOPs it costs), or
 * the variable the budget sets above MAX_COUNT, is at the edge, and the
 * true optimum may lie beyond it.
 */
static void mark_box_edges(const struct plan_request *req,
                           const struct solve *s, struct plan_path *pp)
{
	const struct law *L = pp->law;
	double hi = log(req->budget_is_time ? MAX_COUNT : fmin(s->target,
	                                                        MAX_COUNT));

	for (int k = 0; k < s->n_free; k++) {
		int i = s->free_var[k];
		double u = log(pp->x[i]);

		if (fabs(u - log(MIN_COUNT)) <= EDGE_TOL || fabs(u - hi) <= EDGE_TOL)
			pp->edge_mask |= 1u << i;
	}
	if (pp->x[L->elim] > MAX_COUNT * (1 + 1e-9))
		pp->edge_mask |= 1u << L->elim;
	pp->at_box_edge = pp->edge_mask != 0;
	for (size_t i = 0; i < L->n_vars; i++)
		if (pp->edge_mask & (1u << i))
			warnf(pp, "%s = %.3g is at the edge of the solver's search box "
			      "[%.3g, %.3g]: the optimum may lie beyond it",
			      L->vars[i].name, pp->x[i], MIN_COUNT,
			      (int)i == L->elim ? MAX_COUNT : exp(hi));
}

static void set_time(const struct plan_request *req, struct plan_path *pp,
                     double fixed, double moving, int sunk);

/* Realise the architecture, count its itemised training FLOPs, and with a
 * cost model its device-seconds and money (new spend and sunk) and MFU. */
static void realise(const struct plan_request *req, struct plan_path *pp)
{
	const struct law *L = pp->law;
	struct arch_flops dense_f;
	struct arch base;
	struct mp_error err;
	double fixed, per_token;
	int sunk;

	pp->flops_itemised = pp->seconds = pp->wall_seconds = pp->hours = NAN;
	pp->usd = pp->mfu = pp->seconds_sunk = pp->hours_sunk = NAN;
	pp->usd_sunk = NAN;
	mp_error_clear(&err);
	if (arch_at(req, L, pp->x, &pp->arch, &err) != 0) {
		warnf(pp, "no architecture realised: %s", err.msg);
		memset(&pp->arch, 0, sizeof pp->arch);
		return;
	}
	arch_count_params(&pp->arch, &pp->arch_params);
	arch_count_flops(&pp->arch, &pp->arch_flops);
	set_serving(req, pp, &pp->arch);
	warn_sparsity(req, pp);
	if (L->path != PATH_UPCYCLE) {
		pp->flops_itemised = pp->arch_flops.training * pp->tokens;
	} else {
		/* the dense phase trains the base model, without experts */
		base = dense_base(&pp->arch);
		arch_count_flops(&base, &dense_f);
		pp->flops_itemised = dense_f.training * pp->tokens_dense +
		                     pp->arch_flops.training * pp->tokens_moe;
	}
	if (req->cluster != NULL)
		pp->has_run = cluster_run_of(req, &pp->arch, &pp->run) == 0;
	if (pp->has_run)
		warn_critical_batch(pp);
	if (req->cluster != NULL && !pp->has_run)
		warnf(pp, "%s fits no parallel layout of %d device%s of %.0f GB: "
		      "no time for it", L->path == PATH_UPCYCLE ? "the MoE" :
		      "the model", req->cluster->devices,
		      req->cluster->devices > 1 ? "s" : "",
		      req->cluster->device_bytes / 1e9);
	if (req->cost == NULL || time_terms(req, L, pp->x, &fixed, &per_token) != 0)
		return;
	/* a sunk checkpoint's dense phase (fixed) was paid before the run */
	sunk = L->path == PATH_UPCYCLE && req->has_checkpoint && !req->ckpt_paid;
	set_time(req, pp, fixed, pp->x[L->elim] * per_token, sunk);
}

/*
 * Time and money of a run whose device-seconds are fixed (a checkpoint's
 * dense phase) + moving (what the budget sets); with sunk, the fixed part
 * was paid before: seconds, hours, usd are the new spend.
 */
static void set_time(const struct plan_request *req, struct plan_path *pp,
                     double fixed, double moving, int sunk)
{
	pp->seconds_sunk = sunk ? fixed : 0;
	pp->seconds = (sunk ? 0 : fixed) + moving;
	pp->wall_seconds = pp->seconds / (req->devices > 1 ? req->devices : 1);
	pp->hours = pp->seconds / 3600;
	pp->hours_sunk = pp->seconds_sunk / 3600;
	pp->usd = isfinite(req->price) ? pp->hours * req->price : NAN;
	pp->usd_sunk = isfinite(req->price) ? pp->hours_sunk * req->price : NAN;
	/* the whole run's utilisation: all its FLOPs over all its seconds */
	if (req->cost != NULL && req->cost->mfu_peak > 0)
		pp->mfu = pp->flops_itemised /
		          ((pp->seconds + pp->seconds_sunk) * req->cost->mfu_peak);
	if (pp->wall_seconds > PLAN_WARN_WALL_SECONDS)
		warnf(pp, "the run takes %.1f years of wall clock on %d device%s",
		      pp->wall_seconds / (365.25 * 86400),
		      req->devices > 1 ? req->devices : 1,
		      req->devices > 1 ? "s" : "");
}

int plan_runner_up(const struct plan *p)
{
	int r = -1;

	if (p->best < 0)
		return -1;
	for (int i = 0; i < PATH_COUNT; i++) {
		const struct plan_path *pp = &p->path[i];

		if (i == p->best || pp->law == NULL || !pp->solved)
			continue;
		if (r < 0 || pp->loss < p->path[r].loss)
			r = i;
	}
	return r;
}

double plan_path_fit_loss(const struct plan_path *pp)
{
	if (pp->law == NULL || !pp->solved)
		return NAN;
	if (!pp->has_within)
		return pp->loss;
	return pp->within_solved ? pp->within_loss : NAN;
}

int plan_best_within_fit(const struct plan *p)
{
	int b = -1;

	for (int i = 0; i < PATH_COUNT; i++) {
		double l = plan_path_fit_loss(&p->path[i]);

		if (isfinite(l) && plan_beats_baseline(p, l) &&
		    (b < 0 || l < plan_path_fit_loss(&p->path[b])))
			b = i;
	}
	return b;
}

/* Compute (or device-seconds) of L at the top corner of the box. */
static double corner(const struct plan_request *req, const struct law *L)
{
	double x[LAW_MAX_VARS], fixed, per_token;

	for (int i = 0; i < (int)L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];

		if (!pinned(req, L, i, &x[i]))
			x[i] = v->n_values > 0 ? v->values[v->n_values - 1] : MAX_COUNT;
	}
	x[L->elim] = MAX_COUNT;
	if (!req->budget_is_time)
		return law_flops(L, x);
	if (req->cost == NULL || time_terms(req, L, x, &fixed, &per_token) != 0)
		return NAN;
	return fixed + MAX_COUNT * per_token;
}

double plan_budget_limit(const struct plan_request *req)
{
	double limit = -INFINITY;

	for (int p = 0; p < PATH_COUNT; p++) {
		double c;

		if (req->laws[p] == NULL || !req->laws[p]->fitted)
			continue;
		c = corner(req, req->laws[p]);
		if (isfinite(c) && c > limit)
			limit = c;
	}
	return limit > 0 ? limit : INFINITY;
}

/* Loss of the dense checkpoint the upcycled run starts from. */
static double baseline_loss(const struct plan_request *req,
                            const struct plan_path *pp)
{
	const struct law *B = req->baseline;
	double x[LAW_MAX_VARS];

	if (B == NULL || B->path == PATH_UPCYCLE)
		return NAN;
	for (size_t i = 0; i < B->n_vars; i++) {
		const struct law_var *v = &B->vars[i];

		x[i] = v->role == ROLE_PARAMS ? pp->params :
		       v->role == ROLE_TOKENS ? pp->tokens_dense :
		       v->n_values > 0 ? v->values[0] : NAN;
	}
	return plan_loss(req, B, x);
}

/* ---- upcycling from a checkpoint: the MoE phase that beats it ----------- */

struct min_d2 {
	const struct plan_request *req;
	const struct law *L;
	double x[LAW_MAX_VARS];
	int d2;                 /* index of D2 in x */
	double target;          /* the checkpoint's loss */
};

/* L_up(x with D2 = e^u) - baseline */
static double min_d2_f(double u, void *p)
{
	struct min_d2 *m = p;

	m->x[m->d2] = exp(u);
	return plan_loss(m->req, m->L, m->x) - m->target;
}

/*
 * The smallest D2 with L_up(N1, D1, D2) < baseline, the plan's other
 * variables kept: a scan up the box in steps of e^0.25 finds the first
 * bracket, then Brent's method (GSL) the root of L_up = baseline in log D2.
 * NAN if no D2 in the box beats the baseline.
 */
static double min_tokens_moe(const struct plan_request *req,
                             const struct law *L, const double *x,
                             double baseline)
{
	struct min_d2 m = { req, L, { 0 }, law_role_index(L, ROLE_TOKENS_MOE),
	                    baseline };
	gsl_function F = { min_d2_f, &m };
	gsl_root_fsolver *r;
	double a = log(MIN_COUNT), b, fa, fb, root;

	memcpy(m.x, x, sizeof m.x);
	fa = min_d2_f(a, &m);
	if (isfinite(fa) && fa < 0)
		return MIN_COUNT;
	for (b = a + 0.25; b <= log(MAX_COUNT) + 1e-9; a = b, fa = fb, b += 0.25) {
		fb = min_d2_f(b, &m);
		if (isfinite(fb) && fb < 0 && isfinite(fa))
			break;
	}
	if (!(b <= log(MAX_COUNT) + 1e-9))
		return NAN;
	r = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
	if (r == NULL || gsl_root_fsolver_set(r, &F, a, b) != GSL_SUCCESS) {
		gsl_root_fsolver_free(r);
		return exp(b);
	}
	for (int it = 0; it < 100; it++) {
		if (gsl_root_fsolver_iterate(r) != GSL_SUCCESS)
			break;
		if (gsl_root_test_interval(gsl_root_fsolver_x_lower(r),
		                           gsl_root_fsolver_x_upper(r), 1e-12,
		                           0) == GSL_SUCCESS)
			break;
	}
	/* the upper end: there the loss is below the baseline */
	root = exp(gsl_root_fsolver_x_upper(r));
	gsl_root_fsolver_free(r);
	return root;
}

/* The budget, device-hours and money that buy an MoE phase of D2 tokens
 * on top of the checkpoint (with ckpt_paid, the checkpoint's too). */
static void min_budget(const struct plan_request *req, struct plan_path *pp,
                       double D2)
{
	const struct law *L = pp->law;
	double x[LAW_MAX_VARS], fixed, per_token, sec;

	memcpy(x, pp->x, sizeof x);
	x[L->elim] = D2;
	pp->min_flops = law_flops(L, x);
	x[L->elim] = 0;
	if (!req->ckpt_paid)
		pp->min_flops -= law_flops(L, x);
	x[L->elim] = D2;
	if (req->cost == NULL || time_terms(req, L, x, &fixed, &per_token) != 0)
		return;
	sec = (req->ckpt_paid ? fixed : 0) + D2 * per_token;
	pp->min_hours = sec / 3600;
	pp->min_usd = isfinite(req->price) ? pp->min_hours * req->price : NAN;
}

/*
 * An upcycled plan from a checkpoint whose loss is not below the
 * checkpoint's: unsolved, with the MoE phase that would beat it.  Inside
 * D2's fit range that is the law contradicting its own starting point,
 * outside it extrapolation.
 */
static void untrusted_upcycle(const struct plan_request *req,
                              struct plan_path *pp)
{
	const struct law *L = pp->law;
	const struct law_var *v = &L->vars[L->elim];
	double D2 = min_tokens_moe(req, L, pp->x, pp->baseline_loss);
	char head[160];

	snprintf(head, sizeof head, "no usable plan: the upcycled law predicts "
	         "%.4f nats, not below the checkpoint's %.4f", pp->loss,
	         pp->baseline_loss);
	if (isnan(D2)) {
		pp->min_none = 1;
		plan_unsolved(pp, "%s; no MoE phase up to %.3g tokens beats it", head,
		              MAX_COUNT);
		return;
	}
	pp->min_tokens_moe = D2;
	min_budget(req, pp, D2);
	pp->min_in_fit = !isnan(v->fit_lo) && D2 >= v->fit_lo * (1 - 1e-9) &&
	                 D2 <= v->fit_hi * (1 + 1e-9);
	if (pp->min_in_fit)
		plan_unsolved(pp, "%s; the law is inconsistent with its starting point "
		              "there (%s >= %.3g needed to beat the checkpoint, inside the "
		              "fitted range [%.3g, %.3g]; a budget of %.3g FLOPs)", head,
		              v->name, D2, v->fit_lo, v->fit_hi, pp->min_flops);
	else
		plan_unsolved(pp, "%s; the law is extrapolating here (MoE phase too short "
		              "for this budget: %s >= %.3g needed to beat the checkpoint, "
		              "a budget of %.3g FLOPs)", head, v->name, D2, pp->min_flops);
}

static void fill_result(const struct plan_request *req, struct plan_path *pp,
                        const double *x, double loss, double sunk)
{
	const struct law *L = pp->law;

	pp->solved = 1;
	memcpy(pp->x, x, sizeof pp->x);
	pp->loss = loss;
	pp->flops = law_flops(L, x);
	pp->flops_sunk = sunk;
	pp->params = var_of_role(L, x, ROLE_PARAMS);
	pp->tokens_dense = var_of_role(L, x, ROLE_TOKENS_DENSE);
	pp->tokens_moe = var_of_role(L, x, ROLE_TOKENS_MOE);
	pp->tokens = L->path == PATH_UPCYCLE ? pp->tokens_dense + pp->tokens_moe
	                                     : var_of_role(L, x, ROLE_TOKENS);
	pp->baseline_loss = NAN;
	warn_fit_ranges(pp);
	realise(req, pp);
	set_epochs(req, pp);
	set_hparams(req, pp);
	if (L->path != PATH_UPCYCLE)
		return;
	pp->baseline_loss = baseline_loss(req, pp);
	if (!isfinite(pp->baseline_loss) || pp->loss < pp->baseline_loss)
		return;
	if (req->has_checkpoint) {
		untrusted_upcycle(req, pp);
		return;
	}
	plan_unsolved(pp, "no usable plan: the upcycled law predicts %.4f nats, "
	              "not below the %.4f of the dense model it starts from; the "
	              "law is extrapolating here (MoE phase too short for this "
	              "budget)", pp->loss, pp->baseline_loss);
}

/* ---- flatness ------------------------------------------------------------------ */

#define FLAT_BISECT 1e-9   /* log units: the flat range's ends, to 1e-9
                              relative in the size ... */
#define FLAT_LOSS_REL 1e-12 /* ... or where the loss is the limit to this */
#define FLAT_ITER 200

/* The loss along the budget constraint with free variable k at exp(u) and
 * the other free variables re-optimised (the budget re-derives the
 * tokens); INFINITY where no point is feasible. */
static double flat_loss(const struct solve *s, int k, double u)
{
	struct solve t = *s;
	double loss;
	int j = 0;

	t.x[s->free_var[k]] = exp(u);
	for (int i = 0; i < s->n_free; i++) {
		if (i == k)
			continue;
		t.free_var[j] = s->free_var[i];
		t.lo[j] = s->lo[i];
		t.hi[j] = s->hi[i];
		j++;
	}
	t.n_free = j;
	loss = minimise(&t);
	return t.feasible ? loss : INFINITY;
}

/* The distance-like measure of loss f above the optimum's f0: near a
 * smooth minimum f - f0 grows as the square of the step in log size, so
 * its square root grows linearly and a secant through it lands near the
 * root at once. */
static double rise(double f, double f0)
{
	return f > f0 ? sqrt(f - f0) : 0;
}

/* One end of the flat range between in (log size of the optimum, loss f0)
 * and out (loss f_out beyond the limit, INFINITY where no point is
 * feasible): the root of rise(loss) less rise(limit) by regula falsi
 * (regula.h), bisection while the outer end has no loss; the inner end of
 * the last bracket. */
static double flat_end(const struct solve *s, int k, double in, double out,
                       double f_out, double f0, double limit)
{
	double r0 = rise(limit, f0);
	struct regula r;

	regula_init(&r, 0, in, -r0, out,
	            isfinite(f_out) ? rise(f_out, f0) - r0 : INFINITY);
	for (int it = 0; it < FLAT_ITER && fabs(r.out - r.in) > FLAT_BISECT; it++) {
		double m = regula_next(&r), f = flat_loss(s, k, m);

		regula_take(&r, m, isfinite(f) ? rise(f, f0) - r0 : INFINITY);
		if (f <= limit && limit - f <= FLAT_LOSS_REL * limit)
			break;
	}
	return exp(r.in);
}

/*
 * How flat the optimum best_x of s is: the range of its size variable
 * (role params) whose loss along the constraint stays within loss x
 * (1 + tol), each end found by flat_end between the optimum and the
 * search box's bound (the box's bound itself when the loss there is still
 * within the tolerance).  Assumes the loss along the constraint has one
 * minimum, as every shipped law's does.  Nothing when the size is pinned.
 */
static void flatness(const struct plan_request *req, const struct solve *s0,
                     const double *best_x, struct plan_path *pp)
{
	struct solve s = *s0;
	int v = law_role_index(pp->law, ROLE_PARAMS), k = -1;
	double limit, u, f;

	if (req->flat_tol < 0 || !isfinite(req->flat_tol))
		return;
	for (int i = 0; i < s.n_free; i++)
		if (s.free_var[i] == v)
			k = i;
	if (k < 0)
		return;
	memcpy(s.x, best_x, sizeof s.x);
	pp->flat_var = v;
	pp->flat_tol = req->flat_tol > 0 ? req->flat_tol : PLAN_FLAT_TOL;
	limit = pp->loss * (1 + pp->flat_tol);
	u = log(best_x[v]);
	f = flat_loss(&s, k, s.lo[k]);
	pp->flat_lo_edge = !(f > limit);
	pp->flat_lo = pp->flat_lo_edge ? exp(s.lo[k])
	              : flat_end(&s, k, u, s.lo[k], f, pp->loss, limit);
	f = flat_loss(&s, k, s.hi[k]);
	pp->flat_hi_edge = !(f > limit);
	pp->flat_hi = pp->flat_hi_edge ? exp(s.hi[k])
	              : flat_end(&s, k, u, s.hi[k], f, pp->loss, limit);
}

/* ---- one path ---------------------------------------------------------------- */

/*
 * An existing checkpoint (N1, D1 pinned): its dense phase is sunk (the
 * budget buys the MoE phase on top of it) or paid (it counts against the
 * budget).  Sets *sunk_flops and the target; returns -1 with the path
 * marked unsolved when the checkpoint alone exceeds the budget.
 */
static int checkpoint_budget(const struct plan_request *req,
                             const struct law *L, struct solve *s,
                             struct plan_path *pp, double *sunk_flops)
{
	double sunk, per_token;

	s->x[L->elim] = 0;
	*sunk_flops = law_flops(L, s->x);   /* compute of the dense phase */
	sunk = *sunk_flops;
	if (req->budget_is_time && time_terms(req, L, s->x, &sunk, &per_token) != 0)
		sunk = NAN;
	if (!isfinite(sunk) || sunk < 0) {
		plan_unsolved(pp, "the compute rule is undefined at the checkpoint");
		return -1;
	}
	if (!req->ckpt_paid) {
		s->target = req->budget + sunk;
		return 0;
	}
	*sunk_flops = 0;
	if (sunk < req->budget)
		return 0;
	if (req->budget_is_time)
		plan_unsolved(pp, "no feasible plan: the checkpoint alone (%.3g device-hours) "
		              "exceeds the budget (%.3g device-hours)", sunk / 3600,
		              req->budget / 3600);
	else
		plan_unsolved(pp, "no feasible plan: the checkpoint alone (%.3g FLOPs) "
		              "exceeds the budget (%.3g FLOPs)", sunk, req->budget);
	return -1;
}

/*
 * The search box of s's free variables: counts from MIN_COUNT to MAX_COUNT,
 * none above the FLOPs it costs; with fit, also inside each variable's fit
 * range, the one the budget sets too (objective() enforces that), and
 * only the discrete choices inside theirs (search()).  -1 if it is empty.
 */
static int set_box(const struct plan_request *req, struct solve *s, int fit)
{
	const struct law *L = s->L;
	const struct law_var *e = &L->vars[L->elim];

	s->fit = fit;
	s->elim_lo = 0;
	s->elim_hi = INFINITY;
	for (int i = 0; i < s->n_free; i++) {
		const struct law_var *v = &L->vars[s->free_var[i]];

		s->lo[i] = log(MIN_COUNT);
		s->hi[i] = log(req->budget_is_time ? MAX_COUNT :
		               fmin(s->target, MAX_COUNT));
		if (fit && !isnan(v->fit_lo)) {
			s->lo[i] = fmax(s->lo[i], log(v->fit_lo));
			s->hi[i] = fmin(s->hi[i], log(v->fit_hi));
		}
		if (!(s->hi[i] > s->lo[i]))
			return -1;
	}
	if (fit && !isnan(e->fit_lo)) {
		s->elim_lo = e->fit_lo;
		s->elim_hi = e->fit_hi;
	}
	return 0;
}

/* With s->fit, 1 if every discrete choice at x is inside its fit range. */
static int combo_fits(const struct solve *s, const int *disc, int n_disc)
{
	for (int d = 0; d < n_disc && s->fit; d++) {
		const struct law_var *v = &s->L->vars[disc[d]];
		double x = s->x[disc[d]];

		if (!isnan(v->fit_lo) &&
		    (x < v->fit_lo * (1 - 1e-9) || x > v->fit_hi * (1 + 1e-9)))
			return 0;
	}
	return 1;
}

/* The lowest loss over the discrete combinations and the box; its point
 * into best_x.  INFINITY if no point is feasible. */
static double search(struct solve *s, const int *disc, int n_disc,
                     size_t combos, double *best_x)
{
	double best = INFINITY;

	for (size_t c = 0; c < combos; c++) {
		double loss;

		set_combo(s->L, disc, n_disc, c, s->x);
		if (!combo_fits(s, disc, n_disc))
			continue;
		loss = minimise(s);
		if (s->feasible && loss < best) {
			best = loss;
			memcpy(best_x, s->x, LAW_MAX_VARS * sizeof *best_x);
		}
	}
	return best;
}

/* An optimum extrapolated in a variable the solver chooses or the budget
 * sets: solve the path again inside the fit ranges. */
static void within_fit_plan(struct solve *s, const int *disc, int n_disc,
                            size_t combos, struct plan_path *pp)
{
	double x[LAW_MAX_VARS], loss;

	if ((pp->extrap_mask & ~s->pinned_mask) == 0)
		return;
	pp->has_within = 1;
	pp->within_loss = NAN;
	if (set_box(s->req, s, 1) != 0)
		return;
	loss = search(s, disc, n_disc, combos, x);
	if (isinf(loss))
		return;
	/* an upcycled plan must beat the dense model it starts from */
	if (isfinite(pp->baseline_loss) && loss >= pp->baseline_loss)
		return;
	pp->within_solved = 1;
	memcpy(pp->within_x, x, sizeof pp->within_x);
	pp->within_loss = loss;
}

/* A path before its solve: nothing known. */
static void path_init(struct plan_path *pp, const struct law *L)
{
	memset(pp, 0, sizeof *pp);
	pp->law = L;
	pp->tokens_new = pp->baseline_loss = NAN;
	pp->min_tokens_moe = pp->min_flops = pp->min_hours = pp->min_usd = NAN;
	pp->flat_var = -1;                 /* no flat range until measured */
	pp->flat_tol = pp->flat_lo = pp->flat_hi = NAN;
	pp->epochs = pp->epochs_dense = pp->epochs_moe = NAN;
	pp->tokens_effective = pp->params_effective = NAN;
	pp->hp_compute = pp->hp_batch_tokens = pp->hp_lr = NAN;
}

/* ---- continue: the dense checkpoint trained on --------------------------- */

/*
 * x of the dense law L at the checkpoint with tokens D: N = N1, a constant
 * at its value, a pinned variable as pinned.  -1 (the path unsolved) for a
 * variable that is none of these.
 */
static int continue_point(const struct plan_request *req, const struct law *L,
                          double D, double *x, struct plan_path *pp)
{
	for (int i = 0; i < (int)L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];

		if (v->role == ROLE_PARAMS)
			x[i] = ckpt_n(req, L);
		else if (v->role == ROLE_TOKENS)
			x[i] = D;
		else if (v->n_values == 1)
			x[i] = v->values[0];
		else if (!pinned(req, L, i, &x[i])) {
			plan_unsolved(pp, "the dense law's %s is not set by a checkpoint: "
			              "pin it with --fix", v->name);
			return -1;
		}
	}
	return 0;
}

/* The checkpoint's architecture: as given, or the dense model the shape
 * policy realises at N1. */
static int checkpoint_arch(const struct plan_request *req, const struct law *L,
                           struct arch *a, struct mp_error *err)
{
	if (req->has_ckpt_arch) {
		*a = req->ckpt_arch;
		return 0;
	}
	return shape_realise(req->shape, L->count, req->ckpt_params, 0, 0, 0, a,
	                     err);
}

/*
 * The new tokens D the budget buys on top of the checkpoint: the dense
 * law's compute rule at (N1, D) equals the budget (less the checkpoint's
 * own compute C(N1, D1) when it is paid); against calibrated time, D
 * tokens of the checkpoint's architecture.  NAN with the path unsolved.
 */
static double continue_tokens(const struct plan_request *req,
                              struct plan_path *pp, double *x, double c0,
                              double per_token, const struct arch *a)
{
	const struct law *L = pp->law;
	double sunk = req->budget_is_time ? req->ckpt_tokens * per_token : c0;
	double target = req->budget - (req->ckpt_paid ? sunk : 0);
	double serve = serve_cost(req, L, x, a);

	if (!(serve >= 0)) {
		plan_unsolved(pp, "the cost model cannot price serving the checkpoint");
		return NAN;
	}
	if (serve > 0 && !(target - serve > 0)) {
		plan_unsolved(pp, "no feasible plan: serving the checkpoint's demand "
		              "alone (%.3g %s) exceeds what the budget leaves",
		              req->budget_is_time ? serve / 3600 : serve,
		              req->budget_is_time ? "device-hours" : "FLOPs");
		return NAN;
	}
	target -= serve;
	if (!(target > 0)) {
		if (req->budget_is_time)
			plan_unsolved(pp, "no feasible plan: the checkpoint alone (%.3g "
			              "device-hours) exceeds the budget (%.3g device-hours)",
			              sunk / 3600, req->budget / 3600);
		else
			plan_unsolved(pp, "no feasible plan: the checkpoint alone (%.3g FLOPs) "
			              "exceeds the budget (%.3g FLOPs)", sunk, req->budget);
		return NAN;
	}
	if (req->budget_is_time)
		return target / per_token;
	if (eliminate(L, target, x) != 0) {
		plan_unsolved(pp, "no feasible plan: the law's compute rule cannot be met "
		              "with a budget of %.3g FLOPs", req->budget);
		return NAN;
	}
	return x[L->elim];
}

/* The result of continuing for D tokens: loss at D1 + D, compute, the
 * checkpoint's architecture and its time. */
static void continue_result(const struct plan_request *req,
                            struct plan_path *pp, double *x, double c0,
                            double D, const struct arch *a, double per_token)
{
	const struct law *L = pp->law;
	int t = L->elim, sunk = !req->ckpt_paid;

	x[t] = D;
	pp->flops = c0 + law_flops(L, x);
	pp->flops_sunk = sunk ? c0 : 0;
	x[t] = req->ckpt_tokens + D;
	memcpy(pp->x, x, sizeof pp->x);
	pp->loss = plan_loss(req, L, x);
	pp->params = ckpt_n(req, L);
	pp->tokens = x[t];
	pp->tokens_dense = pp->tokens_moe = NAN;
	pp->tokens_new = D;
	pp->solved = isfinite(pp->loss);
	if (!pp->solved) {
		plan_unsolved(pp, "the dense law is undefined at the continued checkpoint");
		return;
	}
	warn_fit_ranges(pp);
	/* past D's fit range no plan of this path is inside it (N1 is given,
	 * D1 + D set by the budget) */
	if (pp->extrap_mask & (1u << t)) {
		pp->has_within = 1;
		pp->within_loss = NAN;
	}
	if (pp->x[t] > MAX_COUNT * (1 + 1e-9)) {
		pp->edge_mask = 1u << t;
		pp->at_box_edge = 1;
	}
	pp->arch = *a;
	arch_count_params(a, &pp->arch_params);
	arch_count_flops(a, &pp->arch_flops);
	pp->flops_itemised = pp->arch_flops.training * pp->tokens;
	set_serving(req, pp, a);
	set_epochs(req, pp);
	pp->seconds = pp->wall_seconds = pp->hours = pp->usd = pp->mfu = NAN;
	pp->seconds_sunk = pp->hours_sunk = pp->usd_sunk = NAN;
	if (isfinite(per_token))
		set_time(req, pp, req->ckpt_tokens * per_token, D * per_token, sunk);
	set_hparams(req, pp);
}

/*
 * The continue path: the dense law L at (N1, D1 + D), D paid from the
 * budget by L's compute rule at (N1, D) (6 N1 D for 6ND): nothing to
 * choose, so no search.  With --within-fit, D1 + D must lie inside D's
 * fit range.
 */
static int solve_continue(const struct plan_request *req,
                          struct plan_path *pp, struct mp_error *err)
{
	const struct law *L = req->laws[PATH_CONTINUE];
	double x[LAW_MAX_VARS] = { 0 }, c0, D, per_token = NAN;
	struct arch a;
	struct mp_error ae;

	path_init(pp, L);
	if (L == NULL)
		return 0;
	if (law_check_fitted(L, err) != 0)
		return -1;
	if (!req->has_checkpoint) {
		plan_unsolved(pp, "no checkpoint to continue");
		return 0;
	}
	if (continue_point(req, L, req->ckpt_tokens, x, pp) != 0)
		return 0;
	c0 = law_flops(L, x);
	if (!isfinite(c0) || c0 < 0) {
		plan_unsolved(pp, "the compute rule is undefined at the checkpoint");
		return 0;
	}
	mp_error_clear(&ae);
	if (checkpoint_arch(req, L, &a, &ae) != 0) {
		plan_unsolved(pp, "no architecture for the checkpoint: %s", ae.msg);
		return 0;
	}
	if (req->cost != NULL)
		per_token = seconds_per_token(req, &a);
	if (req->cluster != NULL)
		pp->has_run = cluster_run_of(req, &a, &pp->run) == 0;
	if (req->cluster != NULL && !pp->has_run && req->budget_is_time) {
		plan_unsolved(pp, "the checkpoint fits no parallel layout of %d "
		              "device%s of %.0f GB", req->cluster->devices,
		              req->cluster->devices > 1 ? "s" : "",
		              req->cluster->device_bytes / 1e9);
		return 0;
	}
	if (req->budget_is_time && !(isfinite(per_token) && per_token > 0)) {
		plan_unsolved(pp, "the cost model cannot price the checkpoint");
		return 0;
	}
	if (isnan(D = continue_tokens(req, pp, x, c0, per_token, &a)))
		return 0;
	continue_result(req, pp, x, c0, D, &a, per_token);
	if (pp->solved && req->cluster != NULL && !pp->has_run)
		warnf(pp, "the checkpoint fits no parallel layout of %d device%s "
		      "of %.0f GB: no time for it", req->cluster->devices,
		      req->cluster->devices > 1 ? "s" : "",
		      req->cluster->device_bytes / 1e9);
	if (pp->solved && req->within_fit &&
	    (pp->extrap_mask & (1u << L->elim)))
		plan_unsolved(pp, "no feasible plan inside the law's fit ranges "
		              "(--within-fit): D1 + D = %.3g is outside [%.3g, %.3g]",
		              pp->x[L->elim], L->vars[L->elim].fit_lo,
		              L->vars[L->elim].fit_hi);
	return 0;
}

static int solve_path(const struct plan_request *req, enum law_path p,
                      struct plan_path *pp, struct mp_error *err)
{
	const struct law *L = req->laws[p];
	int disc[LAW_MAX_VARS], n_disc;
	double best_x[LAW_MAX_VARS], best, sunk = 0;
	struct solve s;
	size_t combos;

	path_init(pp, L);
	if (L == NULL)
		return 0;
	if (law_check_fitted(L, err) != 0)
		return -1;
	if (setup(req, L, &s, disc, &n_disc, err) != 0) {
		mp_error_prefix(err, "%s:%s", L->model, L->name);
		return -1;
	}
	if ((combos = n_combos(L, disc, n_disc)) > MAX_COMBOS)
		return mp_error_set(err, "%s:%s: more than %d combinations of discrete "
		                    "choices; pin some with --fix", L->model, L->name,
		                    MAX_COMBOS);
	s.req = req;
	s.target = req->budget;
	if (p == PATH_UPCYCLE && req->has_checkpoint &&
	    checkpoint_budget(req, L, &s, pp, &sunk) != 0)
		return 0;
	if (set_box(req, &s, 0) != 0) {
		plan_unsolved(pp, "no feasible plan: a budget of %.3g FLOPs is below "
		              "the smallest plan considered (%.0f parameters or tokens)",
		              s.target, MIN_COUNT);
		return 0;
	}
	if (req->within_fit && set_box(req, &s, 1) != 0) {
		plan_unsolved(pp, "no feasible plan inside the law's fit ranges "
		              "(--within-fit)");
		return 0;
	}
	best = search(&s, disc, n_disc, combos, best_x);
	if (isinf(best) && req->within_fit) {
		plan_unsolved(pp, "no feasible plan inside the law's fit ranges "
		              "(--within-fit) for this budget");
		return 0;
	}
	if (isinf(best)) {
		if (req->budget_is_time)
			plan_unsolved(pp, "no feasible plan: no architecture the law allows "
			              "fits in %.3g s of calibrated time", req->budget);
		else
			plan_unsolved(pp, "no feasible plan: the law's compute rule cannot "
			              "be met with a budget of %.3g FLOPs", req->budget);
		return 0;
	}
	fill_result(req, pp, best_x, best, sunk);
	mark_box_edges(req, &s, pp);
	if (pp->solved && !req->lean)
		flatness(req, &s, best_x, pp);
	if (!req->within_fit && pp->solved && !req->lean)
		within_fit_plan(&s, disc, n_disc, combos, pp);
	return 0;
}

/* Every pin must name a variable some planned law lets the request set. */
static int check_pins(const struct plan_request *req, struct mp_error *err)
{
	for (size_t k = 0; k < req->n_pins; k++) {
		int used = 0;

		for (int p = 0; p < PATH_COUNT && !used; p++) {
			const struct law *L = req->laws[p];
			int i = L ? law_var_index(L, req->pin_name[k]) : -1;

			used = i >= 0 && L->vars[i].n_values != 1;
		}
		if (!used)
			return mp_error_set(err, "cannot pin %s: no law planned has a "
			                    "variable of that name that can be set",
			                    req->pin_name[k]);
	}
	return 0;
}

/* The checkpoint's own loss and compute, by the baseline law (the
 * upcycle law's `baseline`, else the continue path's dense law). */
static void plan_baseline(const struct plan_request *req, struct plan *out)
{
	const struct law *B = req->baseline ? req->baseline
	                                    : req->laws[PATH_CONTINUE];
	double x[LAW_MAX_VARS];

	out->baseline_params = out->baseline_tokens = NAN;
	out->baseline_loss = out->baseline_flops = NAN;
	if (!req->has_checkpoint || B == NULL || !B->fitted ||
	    B->path != PATH_DENSE)
		return;
	for (size_t i = 0; i < B->n_vars; i++) {
		const struct law_var *v = &B->vars[i];

		x[i] = v->role == ROLE_PARAMS ? ckpt_n(req, B) :
		       v->role == ROLE_TOKENS ? req->ckpt_tokens :
		       v->n_values > 0 ? v->values[0] : NAN;
	}
	out->baseline_loss = plan_loss(req, B, x);
	out->baseline_flops = law_flops(B, x);
	out->baseline_law = B;
	out->baseline_paid = req->ckpt_paid;
	out->baseline_params = ckpt_n(req, B);
	out->baseline_tokens = req->ckpt_tokens;
	out->has_baseline = isfinite(out->baseline_loss);
}

int plan_beats_baseline(const struct plan *p, double loss)
{
	return !p->has_baseline || loss < p->baseline_loss;
}

int plan_begin(const struct plan_request *req, struct plan *out,
               struct mp_error *err)
{
	memset(out, 0, sizeof *out);
	out->budget = req->budget;
	out->best = -1;
	out->target_loss = NAN;
	out->budget_is_time = req->budget_is_time;
	if (!isfinite(req->budget) || req->budget <= 0)
		return mp_error_set(err, "budget must be a positive finite number of "
		                    "%s (got %g)", req->budget_is_time ? "seconds" :
		                    "FLOPs", req->budget);
	if (req->shape == NULL)
		return mp_error_set(err, "no shape policy");
	if (req->budget_is_time && req->cost == NULL)
		return mp_error_set(err, "a budget in time needs a cost model");
	if (req->has_checkpoint &&
	    (!isfinite(req->ckpt_params) || req->ckpt_params <= 0 ||
	     !isfinite(req->ckpt_tokens) || req->ckpt_tokens <= 0))
		return mp_error_set(err, "checkpoint: N1 and D1 must be positive");
	if (!(req->serve.tokens >= 0) || !isfinite(req->serve.tokens) ||
	    !(req->serve.prefill_share >= 0 && req->serve.prefill_share <= 1) ||
	    !(req->serve.decode_batch >= 0))
		return mp_error_set(err, "serving: inference tokens must be >= 0, "
		                    "the prefill share from 0 to 1 and the decode "
		                    "batch >= 0");
	if (check_pins(req, err) != 0)
		return -1;
	if (req->budget > plan_budget_limit(req))
		return mp_error_set(err, "budget %.3g %s is beyond what the laws can "
		                    "be asked about (limit %.3g)", req->budget,
		                    req->budget_is_time ? "device-seconds" : "FLOPs",
		                    plan_budget_limit(req));
	plan_baseline(req, out);
	return 0;
}

int plan_solve_path(const struct plan_request *req, int p,
                    struct plan_path *pp, struct mp_error *err)
{
	int rc = p == PATH_CONTINUE ? solve_continue(req, pp, err)
	                            : solve_path(req, (enum law_path)p, pp, err);

	pp->budget = req->budget;
	return rc;
}

void plan_pick_best(struct plan *out)
{
	int any = 0;

	out->best = -1;
	for (int p = 0; p < PATH_COUNT; p++) {
		if (out->path[p].solved && plan_beats_baseline(out, out->path[p].loss) &&
		    (out->best < 0 || out->path[p].loss < out->path[out->best].loss))
			out->best = p;
		any |= out->path[p].solved;
	}
	/* keeping the checkpoint is the answer when plans exist and none
	 * beats it; with none at all there is no plan, not an answer */
	out->keep = out->has_baseline && out->best < 0 && any;
}

int plan_solve(const struct plan_request *req, struct plan *out,
               struct mp_error *err)
{
	if (plan_begin(req, out, err) != 0)
		return -1;
	for (int p = 0; p < PATH_COUNT; p++)
		if (plan_solve_path(req, p, &out->path[p], err) != 0)
			return -1;
	plan_pick_best(out);
	return 0;
}

/* ---- frontier ----------------------------------------------------------------- */

double plan_frontier_budget(double from, double to, size_t steps, size_t i)
{
	double t;

	if (i == 0 || steps < 2)
		return from;
	if (i >= steps - 1)
		return to;
	/* log10 steps: decades land exactly on powers of ten */
	t = (double)i / (double)(steps - 1);
	return pow(10, log10(from) + t * (log10(to) - log10(from)));
}

void plan_frontier_record(struct frontier_point *pt, const struct plan *pl)
{
	pt->budget = pl->budget;
	pt->best = pl->best;
	pt->keep = pl->keep;
	pt->baseline = pl->has_baseline ? pl->baseline_loss : NAN;
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &pl->path[p];

		pt->solved[p] = pp->solved;
		pt->loss[p] = pp->solved ? pp->loss : NAN;
		pt->params[p] = pp->solved ? pp->params : NAN;
		pt->tokens[p] = pp->solved ? pp->tokens : NAN;
		pt->extrap[p] = pp->solved && pp->extrapolated;
		pt->extrap_vars[p][0] = '\0';
		for (size_t i = 0; pt->extrap[p] && i < pp->law->n_vars; i++) {
			size_t n = strlen(pt->extrap_vars[p]);

			if (pp->extrap_mask & (1u << i))
				snprintf(pt->extrap_vars[p] + n, FRONTIER_VARS_LEN - n, "%s%s",
				         n > 0 ? "," : "", pp->law->vars[i].name);
		}
	}
}

int plan_point_winner(const struct frontier_point *pt)
{
	return pt->keep ? PLAN_KEEP : pt->best;
}

void plan_crossover_begin(struct crossover_search *cs,
                          const struct frontier_point *lo,
                          const struct frontier_point *hi, double tol)
{
	cs->a = log(lo->budget);
	cs->b = cs->end = log(hi->budget);
	cs->from = plan_point_winner(lo);
	cs->to = cs->to_end = plan_point_winner(hi);
	cs->tol = tol;
}

int plan_crossover_step(const struct plan_request *req,
                        struct crossover_search *cs, struct mp_error *err)
{
	struct plan_request r = *req;
	struct plan pl;
	double m = (cs->a + cs->b) / 2;
	struct frontier_point pt;
	int w;

	if (cs->b - cs->a <= cs->tol)
		return 1;
	/* every path at the midpoint: a third path may win inside the
	 * bracket, and keeping the checkpoint is judged against all of them */
	r.budget = exp(m);
	r.lean = 1;                   /* a crossover needs the losses only */
	if (plan_solve(&r, &pl, err) != 0)
		return -1;
	plan_frontier_record(&pt, &pl);
	if ((w = plan_point_winner(&pt)) == -1) {
		cs->a = cs->b = m;            /* nothing has a plan: stop here */
		return 1;
	}
	if (w == cs->from)
		cs->a = m;                    /* 'from' still wins at m */
	else {
		cs->b = m;
		cs->to = w;
	}
	return cs->b - cs->a <= cs->tol;
}

int plan_crossover_next(struct crossover_search *cs)
{
	if (cs->to == cs->to_end || cs->b >= cs->end)
		return 0;
	cs->a = cs->b;
	cs->b = cs->end;
	cs->from = cs->to;
	cs->to = cs->to_end;
	return 1;
}

struct crossover plan_crossover_result(const struct crossover_search *cs)
{
	struct crossover c = { exp((cs->a + cs->b) / 2), cs->from, cs->to };

	return c;
}

int plan_frontier(const struct plan_request *req, double from, double to,
                  size_t steps, struct frontier *out, struct mp_error *err)
{
	struct plan_request r = *req;
	struct plan pl;

	memset(out, 0, sizeof *out);
	r.lean = 1;      /* a frontier point records no flatness, no within-fit plan */
	if (!isfinite(from) || !isfinite(to) || from <= 0 || to < from)
		return mp_error_set(err, "budget range must have 0 < from <= to");
	if (steps < 1 || steps > 1000000 || (steps == 1 && to != from))
		return mp_error_set(err, "steps must be from 2 to 1000000 (1 only "
		                    "when from = to)");
	out->pt = calloc(steps, sizeof *out->pt);
	out->cross = calloc(steps * PLAN_CROSS_PER_STEP, sizeof *out->cross);
	if (out->pt == NULL || out->cross == NULL) {
		plan_frontier_free(out);
		return mp_error_set(err, "out of memory");
	}
	for (size_t i = 0; i < steps; i++) {
		struct crossover_search cs;
		int rc;

		r.budget = plan_frontier_budget(from, to, steps, i);
		if (plan_solve(&r, &pl, err) != 0)
			goto fail;
		plan_frontier_record(&out->pt[i], &pl);
		out->n = i + 1;
		if (i == 0 || plan_point_winner(&out->pt[i]) == -1 ||
		    plan_point_winner(&out->pt[i - 1]) == -1 ||
		    plan_point_winner(&out->pt[i]) ==
		    plan_point_winner(&out->pt[i - 1]))
			continue;
		plan_crossover_begin(&cs, &out->pt[i - 1], &out->pt[i], 1e-9);
		for (int k = 0; k < PLAN_CROSS_PER_STEP; k++) {
			while ((rc = plan_crossover_step(req, &cs, err)) == 0)
				;
			if (rc < 0)
				goto fail;
			out->cross[out->n_cross++] = plan_crossover_result(&cs);
			if (!plan_crossover_next(&cs))
				break;
		}
	}
	return 0;
fail:
	plan_frontier_free(out);
	return -1;
}

void plan_frontier_free(struct frontier *f)
{
	free(f->pt);
	free(f->cross);
	memset(f, 0, sizeof *f);
}
