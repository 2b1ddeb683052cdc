/*
 * test_plan.c — the solver (src/core/plan.c) against independent answers:
 * Chinchilla's closed-form optimum (Hoffmann et al. 2022, Approach 3), the
 * same closed form applied to Liew et al.'s dense and MoE laws, budget
 * identities computed by hand, and optimality of the upcycled plan checked
 * by perturbation.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <string.h>

#include "core/plan.h"
#include "lawfix.h"
#include "tap.h"

#define K_LIEW 1.642   /* Na/N1 for top-2 of 8 copies, ffn share 0.642 */

/* Closed form for L = E + a/N^p + b/D^q with C = 6 k N D (Hoffmann et al.
 * 2022, eq. 4 and Appendix D.2): N = G (C/6k)^(q/(p+q)), D = (C/6k)^(p/(p+q))/G,
 * G = (p a / (q b))^(1/(p+q)). */
static void closed_form(double a, double b, double p, double q, double k,
                        double C, double *N, double *D)
{
	double G = pow(p * a / (q * b), 1 / (p + q));

	*N = G * pow(C / (6 * k), q / (p + q));
	*D = pow(C / (6 * k), p / (p + q)) / G;
}

static struct plan_request request(double C)
{
	static struct shape_policy sp;
	struct plan_request r;

	memset(&r, 0, sizeof r);
	shape_policy_default(&sp);
	r.shape = &sp;
	r.budget = C;
	return r;
}

static void chinchilla_oracle(const char *name, double E, double A, double B,
                              double alpha, double beta)
{
	struct law *L = fix_chinchilla(E, A, B, alpha, beta);
	double worst_n = 0, worst_d = 0;

	for (double lc = 18; lc <= 26.001; lc += 0.5) {
		struct plan_request r = request(pow(10, lc));
		struct plan pl;
		struct mp_error e;
		double N, D;

		r.laws[PATH_DENSE] = L;
		if (plan_solve(&r, &pl, &e) != 0 || !pl.path[PATH_DENSE].solved) {
			check(0, "chinchilla plan solved");
			continue;
		}
		closed_form(A, B, alpha, beta, 1, r.budget, &N, &D);
		worst_n = fmax(worst_n, fabs(pl.path[0].params / N - 1));
		worst_d = fmax(worst_d, fabs(pl.path[0].tokens / D - 1));
	}
	printf("# %s: worst relative error N %.2e, D %.2e over 1e18..1e26\n", name,
	       worst_n, worst_d);
	check(worst_n <= 1e-3, "N_opt within 0.1% of the closed form");
	check(worst_d <= 1e-3, "D_opt within 0.1% of the closed form");
	law_free(L);
}

static void test_chinchilla(void)
{
	/* reference doc section 2: published, unrounded, Epoch replication */
	chinchilla_oracle("chinchilla published", 1.69, 406.4, 410.7, 0.34, 0.28);
	chinchilla_oracle("chinchilla unrounded", 1.6934, exp(6.0073404),
	                  exp(6.0179186), 0.33917084, 0.2849083);
	chinchilla_oracle("epoch2024", 1.8169, 482.01, 2085.43, 0.3478, 0.3658);
}

/* Liew's dense and MoE laws: closed form again (N-term B, beta; D-term A,
 * alpha), and the crossover where their optimal losses meet. */
static double liew_opt_loss(double A, double B, double alpha, double beta,
                            double k, double C)
{
	double N, D;

	closed_form(B, A, beta, alpha, k, C, &N, &D);
	return A * pow(D, -alpha) + B * pow(N, -beta) + 0.165;
}

static void test_liew_dense_moe(void)
{
	struct law *d = fix_liew(PATH_DENSE, 8.83, 12.3, 0.088, 0.116, 1);
	struct law *m = fix_liew(PATH_MOE, 32.0, 7.05, 0.161, 0.080, K_LIEW);
	struct plan_request r = request(1e21);
	struct plan pl;
	struct frontier f;
	struct mp_error e;
	double N, D, ld, lm;

	r.laws[PATH_DENSE] = d;
	r.laws[PATH_MOE] = m;
	check(plan_solve(&r, &pl, &e) == 0, "liew plan");
	closed_form(7.05, 32.0, 0.080, 0.161, K_LIEW, 1e21, &N, &D);
	check_rel(pl.path[PATH_MOE].params, N, 1e-3, "liew moe N1 closed form");
	check_rel(pl.path[PATH_MOE].tokens, D, 1e-3, "liew moe D closed form");
	check_rel(pl.path[PATH_MOE].flops, 1e21, 1e-9, "moe spends the budget");
	ld = liew_opt_loss(8.83, 12.3, 0.088, 0.116, 1, 1e21);
	lm = liew_opt_loss(32.0, 7.05, 0.161, 0.080, K_LIEW, 1e21);
	check_rel(pl.path[PATH_DENSE].loss, ld, 1e-6, "dense optimal loss");
	check_rel(pl.path[PATH_MOE].loss, lm, 1e-6, "moe optimal loss");
	check_int(pl.best, ld < lm ? PATH_DENSE : PATH_MOE, "best path");

	check(plan_frontier(&r, 1e17, 1e25, 33, &f, &e) == 0, "frontier");
	check(f.n == 33, "33 budgets");
	for (size_t i = 0; i < f.n_cross; i++) {
		double C = f.cross[i].budget;

		printf("# crossover %s -> %s at %.4g FLOPs\n",
		       law_path_name(f.cross[i].from), law_path_name(f.cross[i].to), C);
		check_rel(liew_opt_loss(8.83, 12.3, 0.088, 0.116, 1, C),
		          liew_opt_loss(32.0, 7.05, 0.161, 0.080, K_LIEW, C), 1e-6,
		          "losses equal at the crossover");
	}
	{
		/* the closed forms say whether a crossover must exist in range */
		int lo = liew_opt_loss(8.83, 12.3, 0.088, 0.116, 1, 1e17) <
		         liew_opt_loss(32.0, 7.05, 0.161, 0.080, K_LIEW, 1e17);
		int hi = liew_opt_loss(8.83, 12.3, 0.088, 0.116, 1, 1e25) <
		         liew_opt_loss(32.0, 7.05, 0.161, 0.080, K_LIEW, 1e25);

		check_int((long)f.n_cross, lo != hi, "crossover count");
	}
	plan_frontier_free(&f);
	law_free(d);
	law_free(m);
}

/* Upcycled loss with D2 from the budget, computed here by hand. */
static double upcycled_at(double C, double N1, double D1)
{
	double D2 = (C - 6 * N1 * D1) / (6 * K_LIEW * N1);

	if (D2 <= 0)
		return INFINITY;
	return 16.3 * pow(D1, -0.043) * pow(D2, -0.085 + 7.98e-4 * log(D1)) +
	       8.53 * pow(N1, -0.112) + 0.165;
}

/* The lowest upcycled loss at N1 over D1, by a fine scan in log D1 here
 * (the dense phase re-optimised, as the flat range's definition says). */
static double upcycled_best_d1(double C, double N1)
{
	double best = INFINITY;

	for (double l = log(1e3); l < log(C / (6 * N1)); l += 1e-3)
		best = fmin(best, upcycled_at(C, N1, exp(l)));
	return best;
}

/* The upcycled plan's flat range: at each end the loss with D1
 * re-optimised is the optimum's plus 0.1%. */
static void upcycle_flatness(const struct plan_path *pp)
{
	double lim = pp->loss * (1 + 1e-3);

	check(pp->flat_lo < pp->params && pp->params < pp->flat_hi,
	      "upcycle: the optimum inside its flat range");
	check_rel(upcycled_best_d1(1e21, pp->flat_lo), lim, 1e-6,
	          "upcycle: loss at flat_lo (D1 re-optimised) = L_opt x 1.001");
	check_rel(upcycled_best_d1(1e21, pp->flat_hi), lim, 1e-6,
	          "upcycle: loss at flat_hi (D1 re-optimised) = L_opt x 1.001");
}

static void test_upcycle(void)
{
	struct law *u = fix_liew_upcycled(K_LIEW);
	struct law *d = fix_liew(PATH_DENSE, 8.83, 12.3, 0.088, 0.116, 1);
	struct plan_request r = request(1e21);
	struct plan pl;
	struct mp_error e;
	const struct plan_path *pp = &pl.path[PATH_UPCYCLE];
	double N1, D1, best = INFINITY;

	r.laws[PATH_UPCYCLE] = u;
	r.baseline = d;
	check(plan_solve(&r, &pl, &e) == 0 && pp->solved, "upcycle plan");
	N1 = pp->params;
	D1 = pp->tokens_dense;
	check_rel(6 * N1 * D1 + 6 * K_LIEW * N1 * pp->tokens_moe, 1e21, 1e-9,
	          "6 N1 D1 + 6 Na D2 = C");
	check_rel(pp->loss, upcycled_at(1e21, N1, D1), 1e-9, "loss at the plan");
	for (int i = -1; i <= 1; i++)
		for (int j = -1; j <= 1; j++)
			if (i || j)
				best = fmin(best, upcycled_at(1e21, N1 * exp(0.02 * i),
				                              D1 * exp(0.02 * j)));
	check(pp->loss <= best, "no neighbour (+-2% in N1, D1) is better");
	upcycle_flatness(pp);
	check(pp->flat_var == law_role_index(u, ROLE_PARAMS), "flatness of N1");

	/* an existing checkpoint: its compute is sunk by default */
	r.has_checkpoint = 1;
	r.ckpt_params = 1e9;
	r.ckpt_tokens = 1e11;
	check(plan_solve(&r, &pl, &e) == 0 && pp->solved, "checkpoint plan");
	check_rel(pp->tokens_moe, 1e21 / (6 * K_LIEW * 1e9), 1e-9,
	          "sunk checkpoint: D2 = C / (6 Na)");
	check_rel(pp->flops_sunk, 6 * 1e9 * 1e11, 1e-12, "sunk compute 6 N1 D1");
	check(pp->flat_var == -1 && isnan(pp->flat_lo), "checkpoint: N1 pinned, "
	      "no flat range");
	check_rel(pp->baseline_loss, 8.83 * pow(1e11, -0.088) +
	          12.3 * pow(1e9, -0.116) + 0.165, 1e-12, "baseline = dense(N1, D1)");

	r.ckpt_paid = 1;
	check(plan_solve(&r, &pl, &e) == 0 && pp->solved, "paid checkpoint plan");
	check_rel(pp->tokens_moe, (1e21 - 6e20) / (6 * K_LIEW * 1e9), 1e-9,
	          "paid checkpoint: D2 = (C - 6 N1 D1) / (6 Na)");
	r.budget = 5e20;
	check(plan_solve(&r, &pl, &e) == 0 && !pp->solved, "checkpoint too dear");
	check_str(pp->why, "no feasible plan: the checkpoint alone (6e+20 FLOPs) "
	          "exceeds the budget (5e+20 FLOPs)", "infeasibility says why");

	/* a tiny MoE phase on a long-trained checkpoint: the law extrapolates
	 * above the dense start, which must not be reported as a plan */
	r.ckpt_paid = 0;
	r.ckpt_tokens = 4e11;
	r.budget = 1e16;
	check(plan_solve(&r, &pl, &e) == 0, "short MoE phase");
	{
		double up = upcycled_at(1e16 + 6 * 1e9 * 4e11, 1e9, 4e11);
		double base = 8.83 * pow(4e11, -0.088) + 12.3 * pow(1e9, -0.116) + 0.165;

		printf("# upcycled %.4f vs dense start %.4f\n", up, base);
		check_int(pp->solved, up < base, "flagged iff above the dense start");
	}
	law_free(u);
	law_free(d);
}

static void test_request_errors(void)
{
	struct law *L = fix_chinchilla(1.69, 406.4, 410.7, 0.34, 0.28);
	struct plan_request r = request(-1);
	struct plan pl;
	struct mp_error e;

	r.laws[PATH_DENSE] = L;
	check(plan_solve(&r, &pl, &e) != 0, "negative budget refused");
	check_str(e.msg, "budget must be a positive finite number of FLOPs (got -1)",
	          "budget message");
	r.budget = 1e21;
	r.n_pins = 1;
	strcpy(r.pin_name[0], "D");
	r.pin_value[0] = 1e10;
	check(plan_solve(&r, &pl, &e) != 0, "pinning the token variable refused");
	check_str(e.msg, "test:chinchilla: cannot pin D: the budget sets it",
	          "pin message");
	strcpy(r.pin_name[0], "N");
	r.pin_value[0] = 1e9;
	check(plan_solve(&r, &pl, &e) == 0, "pinned N");
	check_rel(pl.path[0].tokens, 1e21 / 6e9, 1e-9, "pinned N: D = C/(6N)");
	law_free(L);
}

/* An ideal machine: GEMMs at peak P, no overheads, no memory time. */
static struct cost_model ideal_machine(double P)
{
	struct cost_model cm;

	memset(&cm, 0, sizeof cm);
	cm.elem_bytes = 2;
	cm.mfu_peak = P;
	cm.gemm.peak_flops = P;
	cm.gemm.bandwidth = 1e300;
	for (int k = 0; k < COST_MEM_KERNELS; k++) {
		cm.mem[k].bandwidth = 1e300;
		cm.mem[k].bandwidth_mem = 1e300;
		cm.mem[k].cache_bytes = 1;
	}
	return cm;
}

/* Loss of a dense/moe liew law at N with D set by the time budget T,
 * computed here from the shape policy and the cost model. */
static double time_loss(const struct law *L, const struct plan_request *r,
                        double N)
{
	struct arch a;
	struct mp_error e;
	double x[2], spt;

	if (shape_realise(r->shape, L->count, N, L->path != PATH_DENSE, 0, 0, &a,
	                  &e) != 0)
		return INFINITY;
	spt = cost_seconds_per_token(r->cost, &a, 8 * a.seq, NULL);
	x[0] = N;
	x[1] = r->budget / spt;
	return law_loss(L, x);
}

static void test_time_budget(void)
{
	struct law *d = fix_liew(PATH_DENSE, 8.83, 12.3, 0.088, 0.116, 1);
	struct law *m = fix_liew(PATH_MOE, 32.0, 7.05, 0.161, 0.080, K_LIEW);
	struct law *u = fix_liew_upcycled(K_LIEW);
	struct cost_model cm = ideal_machine(1e15);
	struct plan_request r = request(3.6e9);   /* 1M device-hours */
	struct plan pl;
	struct mp_error e;

	r.laws[PATH_DENSE] = d;
	r.laws[PATH_MOE] = m;
	r.laws[PATH_UPCYCLE] = u;
	r.baseline = d;
	r.cost = &cm;
	r.budget_is_time = 1;
	r.price = 2.5;
	check(plan_solve(&r, &pl, &e) == 0, "plan in device-seconds");
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &pl.path[p];
		char what[64];

		if (pp->law == NULL)
			continue;          /* continue: no checkpoint to train on */
		if (!pp->solved) {
			check(0, "time plan solved");
			continue;
		}
		snprintf(what, sizeof what, "%s spends the time budget",
		         law_path_name((enum law_path)p));
		check_rel(pp->seconds, 3.6e9, 1e-9, what);
		snprintf(what, sizeof what, "%s: usd = hours x price",
		         law_path_name((enum law_path)p));
		check_rel(pp->usd, 3.6e9 / 3600 * 2.5, 1e-12, what);
		/* on an ideal machine the cost model's GEMM FLOPs are the
		 * itemised count, less the softmax (not a GEMM): MFU ~ 1 */
		snprintf(what, sizeof what, "%s: MFU on an ideal machine",
		         law_path_name((enum law_path)p));
		check_rel(pp->mfu, 1, 0.02, what);
	}
	/* the dense and moe optima are no worse than +-3% in N */
	for (int p = 0; p < 2; p++) {
		const struct law *L = p == 0 ? d : m;
		double N = pl.path[p].params, best = pl.path[p].loss;

		check(time_loss(L, &r, N * 1.03) >= best - 1e-12 &&
		      time_loss(L, &r, N / 1.03) >= best - 1e-12,
		      p == 0 ? "dense time optimum: neighbours no better"
		             : "moe time optimum: neighbours no better");
	}
	law_free(d);
	law_free(m);
	law_free(u);
}

/* Device-seconds per token of a on the cost model, by cost.c's model (not
 * the code under test: plan.c's split of the run into new and sunk). */
static double spt_of(const struct plan_request *r, const struct arch *a)
{
	return cost_seconds_per_token(r->cost, a, 8 * a->seq, NULL);
}

/* A sunk checkpoint's dense phase is not new spend: the time and money rows
 * are the MoE phase; the dense phase's device-seconds, D1 x the seconds
 * per token of the dense base, are reported apart; MFU is of the whole run. */
static void test_sunk_time(void)
{
	struct law *d = fix_liew(PATH_DENSE, 8.83, 12.3, 0.088, 0.116, 1);
	struct law *u = fix_liew_upcycled(K_LIEW);
	struct cost_model cm = ideal_machine(1e15);
	struct plan_request r = request(3.6e9);   /* 1M device-hours */
	const struct plan_path *pp;
	struct plan pl;
	struct mp_error e;
	struct arch base;
	double dense_s, moe_s;

	r.laws[PATH_UPCYCLE] = u;
	r.baseline = d;
	r.cost = &cm;
	r.price = 2.5;
	r.has_checkpoint = 1;
	r.ckpt_params = 1e9;
	r.ckpt_tokens = 1e11;
	for (int time = 0; time <= 1; time++) {
		r.budget_is_time = time;
		r.budget = time ? 3.6e9 : 1e21;
		check(plan_solve(&r, &pl, &e) == 0 && pl.path[PATH_UPCYCLE].solved,
		      "sunk checkpoint plan with a cost model");
		pp = &pl.path[PATH_UPCYCLE];
		base = pp->arch;
		base.experts = base.top_k = base.d_expert = base.shared_experts = 0;
		dense_s = 1e11 * spt_of(&r, &base);
		moe_s = pp->tokens_moe * spt_of(&r, &pp->arch);
		check_rel(pp->seconds_sunk, dense_s, 1e-9,
		          "sunk seconds = D1 x s(dense base)");
		check_rel(pp->seconds, moe_s, 1e-9, "new seconds = D2 x s(MoE)");
		check_rel(pp->seconds + pp->seconds_sunk, dense_s + moe_s, 1e-9,
		          "new + sunk = the whole run");
		if (time)
			check_rel(pp->seconds, 3.6e9, 1e-9, "the new spend is the budget");
		check_rel(pp->hours_sunk, dense_s / 3600, 1e-9, "sunk device-hours");
		check_rel(pp->usd, moe_s / 3600 * 2.5, 1e-9, "new cost");
		check_rel(pp->usd_sunk, dense_s / 3600 * 2.5, 1e-9, "sunk cost");
		check_rel(pp->mfu, pp->flops_itemised / ((dense_s + moe_s) * 1e15),
		          1e-9, "MFU over the whole run's seconds");
	}
	/* paid: the dense phase is part of the new spend, nothing is sunk */
	r.ckpt_paid = 1;
	check(plan_solve(&r, &pl, &e) == 0 && pl.path[PATH_UPCYCLE].solved,
	      "paid checkpoint plan with a cost model");
	pp = &pl.path[PATH_UPCYCLE];
	base = pp->arch;
	base.experts = base.top_k = base.d_expert = base.shared_experts = 0;
	check_rel(pp->seconds, 1e11 * spt_of(&r, &base) +
	          pp->tokens_moe * spt_of(&r, &pp->arch), 1e-9,
	          "paid: seconds are both phases");
	check_rel(pp->seconds, 3.6e9, 1e-9, "paid: both phases spend the budget");
	check(pp->seconds_sunk == 0 && pp->usd_sunk == 0, "paid: nothing sunk");
	law_free(d);
	law_free(u);
}

/* Chinchilla's published fit (Hoffmann et al. 2022, eq. 10) with fit
 * ranges of this test's choosing: N in [7e7, 1e10], D in [5e9, 5e12]. */
static struct law *chinchilla_ranged(void)
{
	struct law *L = law_new("test", "chinchilla", PATH_DENSE, COUNT_TOTAL);

	fix_coef(L, "E", 1.69);
	fix_coef(L, "A", 406.4);
	fix_coef(L, "B", 410.7);
	fix_coef(L, "alpha", 0.34);
	fix_coef(L, "beta", 0.28);
	fix_var(L, "N", ROLE_PARAMS, 7e7, 1e10);
	fix_var(L, "D", ROLE_TOKENS, 5e9, 5e12);
	fix_expr(L, LAW_LOSS, "E + A / N^alpha + B / D^beta");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	fix_finish(L);
	return L;
}

static double chinchilla_loss(double N, double D)
{
	return 1.69 + 406.4 / pow(N, 0.34) + 410.7 / pow(D, 0.28);
}

/* Extrapolation: flags, the best plan inside the fit ranges, --within-fit,
 * the frontier's flags. */
static void test_within_fit(void)
{
	struct law *L = chinchilla_ranged();
	struct plan_request r = request(1e23);
	const struct plan_path *pp;
	struct plan pl;
	struct frontier fr;
	struct mp_error e;
	double N, D;

	r.laws[PATH_DENSE] = L;
	/* at 1e23 the closed-form optimum is above N's range, D = C/(6N) in
	 * D's range at N = 1e10: the best plan inside is at N = 1e10 */
	closed_form(406.4, 410.7, 0.34, 0.28, 1, 1e23, &N, &D);
	check(N > 1e10 && 1e23 / 6e10 <= 5e12, "1e23: N_opt above its range");
	check(plan_solve(&r, &pl, &e) == 0 && pl.path[0].solved, "1e23 plan");
	pp = &pl.path[0];
	check_rel(pp->params, N, 1e-3, "the unconstrained optimum");
	check(pp->extrapolated && pp->extrap_mask == 1u, "flagged: N only");
	check(pp->has_within && pp->within_solved, "a within-fit plan");
	check_rel(pp->within_x[0], 1e10, 1e-6, "within fit: N at the range's top");
	check_rel(pp->within_x[1], 1e23 / 6e10, 1e-6, "within fit: D = C/(6N)");
	check_rel(pp->within_loss, chinchilla_loss(1e10, 1e23 / 6e10), 1e-9,
	          "within fit: the law's loss there");
	check(pp->within_loss > pp->loss, "within fit costs loss");
	check_rel(plan_path_fit_loss(pp), pp->within_loss, 0, "fit loss");
	check_int(plan_best_within_fit(&pl), PATH_DENSE, "best within fit");

	r.within_fit = 1;
	check(plan_solve(&r, &pl, &e) == 0 && pl.path[0].solved,
	      "--within-fit plan");
	check_rel(pp->params, 1e10, 1e-6, "--within-fit: N at the range's top");
	check_rel(pp->loss, chinchilla_loss(1e10, 1e23 / 6e10), 1e-9,
	          "--within-fit: the law's loss there");
	check(!pp->extrapolated && !pp->has_within, "--within-fit: inside");
	r.within_fit = 0;

	/* 1e21: the optimum is inside both ranges, nothing flagged */
	closed_form(406.4, 410.7, 0.34, 0.28, 1, 1e21, &N, &D);
	check(N > 7e7 && N < 1e10 && D > 5e9 && D < 5e12, "1e21: inside");
	r.budget = 1e21;
	check(plan_solve(&r, &pl, &e) == 0 && !pp->extrapolated &&
	      !pp->has_within, "1e21: not flagged, no within-fit plan");

	/* the frontier: 1e21 and 1e22 inside (closed form), 1e23 not */
	closed_form(406.4, 410.7, 0.34, 0.28, 1, 1e22, &N, &D);
	check(N < 1e10 && D < 5e12, "1e22: inside");
	check(plan_frontier(&r, 1e21, 1e23, 3, &fr, &e) == 0 && fr.n == 3,
	      "frontier 1e21..1e23");
	check(!fr.pt[0].extrap[0] && !fr.pt[1].extrap[0] && fr.pt[2].extrap[0],
	      "frontier: only 1e23 is flagged");
	check_str(fr.pt[2].extrap_vars[0], "N", "frontier: N left its range");
	check_str(fr.pt[0].extrap_vars[0], "", "frontier: none at 1e21");
	plan_frontier_free(&fr);
	law_free(L);
}

/* The search box: counts up to 1e16.  Its edge is reported; a budget
 * beyond the compute at the box's corner (6 x 1e16 x 1e16) is refused. */
static void test_box(void)
{
	struct law *L = chinchilla_ranged();
	struct plan_request r = request(5e32);
	const struct plan_path *pp;
	struct plan pl;
	struct mp_error e;
	double N, D;
	int warned = 0;

	r.laws[PATH_DENSE] = L;
	check_rel(plan_budget_limit(&r), 6 * 1e16 * 1e16, 1e-12,
	          "the limit: 6 N D at the box's corner");
	closed_form(406.4, 410.7, 0.34, 0.28, 1, 5e32, &N, &D);
	check(D > 1e16, "5e32: D_opt above the box");
	check(plan_solve(&r, &pl, &e) == 0 && pl.path[0].solved, "5e32 plan");
	pp = &pl.path[0];
	check(pp->at_box_edge, "5e32: at the edge of the box");
	for (size_t w = 0; w < pp->n_warn; w++)
		warned |= strstr(pp->warn[w], "edge of the solver's search box") != 0;
	check(warned, "5e32: a warning says so");
	r.budget = 1e21;
	check(plan_solve(&r, &pl, &e) == 0 && !pp->at_box_edge, "1e21: inside");
	r.budget = 1e99;
	check(plan_solve(&r, &pl, &e) != 0, "1e99 refused");
	check_str(e.msg, "budget 1e+99 FLOPs is beyond what the laws can be asked "
	          "about (limit 6e+32)", "the limit named");
	law_free(L);
}

/* Flatness: Chinchilla's published fit along the budget constraint,
 * L(N) = E + A N^-alpha + B (C/6N)^-beta (Hoffmann et al. 2022, eq. 10
 * with D = C/6N), has its 0.1% range found here by a bisection of its own
 * on that formula; the solver's flat_lo and flat_hi must agree. */
static double chin_along(double C, double N)
{
	return 1.69 + 406.4 * pow(N, -0.34) + 410.7 * pow(C / (6 * N), -0.28);
}

/* The N where chin_along crosses limit, between inside and outside. */
static double chin_cross(double C, double inside, double outside, double limit)
{
	double a = log(inside), b = log(outside);

	for (int i = 0; i < 100; i++) {
		double m = (a + b) / 2;

		if (chin_along(C, exp(m)) <= limit)
			a = m;
		else
			b = m;
	}
	return exp((a + b) / 2);
}

static void test_flatness(void)
{
	struct law *L = fix_chinchilla(1.69, 406.4, 410.7, 0.34, 0.28);
	struct plan pl;
	struct mp_error e;

	for (double lc = 18; lc <= 26.001; lc += 2) {
		struct plan_request r = request(pow(10, lc));
		const struct plan_path *pp = &pl.path[PATH_DENSE];
		double N, D, lim;
		char what[96];

		r.laws[PATH_DENSE] = L;
		closed_form(406.4, 410.7, 0.34, 0.28, 1, r.budget, &N, &D);
		lim = chin_along(r.budget, N) * (1 + 1e-3);
		check(plan_solve(&r, &pl, &e) == 0 && pp->solved, "flatness: plan");
		check(pp->flat_var == 0 && pp->flat_tol == 1e-3, "flatness of N, 0.1%");
		snprintf(what, sizeof what, "1e%.0f: flat_lo", lc);
		check_rel(pp->flat_lo, chin_cross(r.budget, N, N / 1e3, lim), 1e-3,
		          what);
		snprintf(what, sizeof what, "1e%.0f: flat_hi", lc);
		check_rel(pp->flat_hi, chin_cross(r.budget, N, N * 1e3, lim), 1e-3,
		          what);
		check(!pp->flat_lo_edge && !pp->flat_hi_edge, "inside the box");
		/* --flat-tol: a looser tolerance, a wider range */
		r.flat_tol = 1e-2;
		lim = chin_along(r.budget, N) * (1 + 1e-2);
		check(plan_solve(&r, &pl, &e) == 0 && pp->solved, "flatness 1%: plan");
		check_rel(pp->flat_hi, chin_cross(r.budget, N, N * 1e3, lim), 1e-3,
		          "flat_hi at 1%");
		/* the frontier's plans ask for none */
		r.flat_tol = -1;
		check(plan_solve(&r, &pl, &e) == 0 && pp->flat_var == -1 &&
		      isnan(pp->flat_lo) && isnan(pp->flat_hi), "flat_tol < 0: none");
	}
	/* a pinned size has no range */
	{
		struct plan_request r = request(1e21);

		r.laws[PATH_DENSE] = L;
		r.n_pins = 1;
		snprintf(r.pin_name[0], sizeof r.pin_name[0], "N");
		r.pin_value[0] = 1e9;
		check(plan_solve(&r, &pl, &e) == 0 && pl.path[0].solved &&
		      pl.path[0].flat_var == -1 && isnan(pl.path[0].flat_lo),
		      "pinned N: no flat range");
	}
	law_free(L);
}

int main(void)
{
	gsl_set_error_handler_off();
	test_chinchilla();
	test_liew_dense_moe();
	test_upcycle();
	test_request_errors();
	test_time_budget();
	test_sunk_time();
	test_within_fit();
	test_box();
	test_flatness();
	return check_done();
}
