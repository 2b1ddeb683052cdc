/*
 * test_unique.c — plans with a limited supply of unique tokens and the
 * suggested batch and learning rate (issue 15), against formulas written
 * here:
 *
 *  - Muennighoff et al. 2023 (arXiv:2305.16264), eq. 5-7, with the
 *    constants of the authors' README (Parametric Fit): ln A 6.255414,
 *    ln B 7.3049974, ln E 0.6254804, alpha = beta 0.3526596,
 *    R_D* 15.387756, R_N* 5.309743; U_N = min(N, N_opt(U)) (U the supply,
 *    as the authors' code has it) by the
 *    Chinchilla frontier of those coefficients.  A plan of the paper's
 *    own law must have the loss of eq. 7 at its N and D, and no lower
 *    loss a little either side along 6ND = C; a huge supply changes
 *    nothing; the epochs are D/U; upcycling's two phases share D'.
 *  - DeepSeek-AI 2024 (arXiv:2401.02954), Sec. 3.1 eq. 1:
 *    B_opt = 0.2920 C^0.3271 tokens, eta_opt = 0.3118 C^-0.1250, C = M D
 *    with M the non-embedding FLOPs per token, counted here from the
 *    realised architecture's parameters (6 per weight of a token's path,
 *    plus attention 12 S h k and the softmax 9 h S per layer).
 *
 * Needs MOEPLAN_DATADIR (make check sets it).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_target.h"
#include "io/session.h"
#include "tap.h"

static const double LNA = 6.255414, LNB = 7.3049974, LNE = 0.6254804,
                    AB = 0.3526596, RD = 15.387756, RN = 5.309743;

static double eff(double U, double R, double Rstar)
{
	return U + U * Rstar * (1 - exp(-R / Rstar));
}

/* eq. 5-7 of the C4 law at N, D with U unique tokens */
static double dc_loss(double N, double D, double U, double *Np, double *Dp)
{
	double A = exp(LNA), B = exp(LNB), E = exp(LNE);
	double G = pow(AB * A / (AB * B), 1 / (AB + AB));
	double UN = fmin(N, G * pow(G * U, AB / AB));

	*Dp = D <= U ? D : eff(U, D / U - 1, RD);
	*Np = N <= UN ? N : eff(UN, N / UN - 1, RN);
	return E + A / pow(*Np, AB) + B / pow(*Dp, AB);
}

static struct session *open_spec(const char *laws, double U, const char *hp)
{
	struct session_spec spec;
	struct session *s;
	struct mp_error e;

	session_spec_init(&spec);
	snprintf(spec.laws, sizeof spec.laws, "%s", laws);
	spec.unique_tokens = U;
	if (hp != NULL)
		snprintf(spec.hparams, sizeof spec.hparams, "%s", hp);
	mp_error_clear(&e);
	if (session_open(&spec, &s, &e) != SESSION_OK) {
		fprintf(stderr, "test_unique: %s\n", e.msg);
		exit(99);
	}
	return s;
}

static void solve_at(struct session *s, double C, struct plan *pl)
{
	struct mp_error e;

	mp_error_clear(&e);
	if (session_budget(s, C, &e) != SESSION_OK ||
	    plan_solve(&s->req, pl, &e) != 0) {
		fprintf(stderr, "test_unique: %s\n", e.msg);
		exit(99);
	}
}

static int has_warning(const struct plan_path *pp, const char *what)
{
	for (size_t i = 0; i < pp->n_warn && i < PLAN_MAX_WARN; i++)
		if (strstr(pp->warn[i], what) != NULL)
			return 1;
	return 0;
}

static void native_law(void)
{
	const double C = 1e21, U = 1e10;
	struct session *s = open_spec("muennighoff2023", U, "none");
	struct plan pl;
	const struct plan_path *pp;
	double Np, Dp, L;

	solve_at(s, C, &pl);
	pp = &pl.path[PATH_DENSE];
	L = dc_loss(pp->params, pp->tokens, U, &Np, &Dp);
	check_rel(pp->loss, L, 1e-12, "muennighoff2023: the plan's loss is eq. 7 "
	          "at its N and D");
	check_rel(pp->tokens_effective, Dp, 1e-12, "its effective tokens D'");
	check_rel(pp->params_effective, Np, 1e-12, "its effective params N'");
	check_rel(pp->epochs, pp->tokens / U, 1e-12, "its epochs D / U");
	check(pp->tokens > U, "1e21 FLOPs on 1e10 unique tokens repeats them");
	for (int k = -1; k <= 1; k += 2) {
		double N = pp->params * (1 + 0.02 * k), D = C / (6 * N);

		check(dc_loss(N, D, U, &Np, &Dp) >= pp->loss, "and a 2% different N "
		      "along 6ND = C does no better");
	}
	check(!has_warning(pp, "assumption"), "the law's own transform: no "
	      "assumption to state");
	check(isnan(pp->hp_lr), "--hparams none: no suggestion");
	session_free(s);
}

static void huge_supply(void)
{
	struct session *a = open_spec("liew2025", 0, "none");
	struct session *b = open_spec("liew2025", 1e16, "none");
	struct plan pa, pb;

	solve_at(a, 1e22, &pa);
	solve_at(b, 1e22, &pb);
	for (int p = 0; p < PATH_UPCYCLE + 1; p++) {
		char what[96];

		snprintf(what, sizeof what, "%s: 1e16 unique tokens plan as unlimited "
		         "data", law_path_name((enum law_path)p));
		check_rel(pb.path[p].params, pa.path[p].params, 1e-6, what);
		check(has_warning(&pb.path[p], "assumption"), "and say the transform "
		      "is an assumption on liew2025");
	}
	session_free(a);
	session_free(b);
}

static void upcycle_phases(void)
{
	const double U = 2e10;
	struct session *s = open_spec("liew2025", U, "none");
	struct plan pl;
	const struct plan_path *pp;
	double D, Dp;

	solve_at(s, 1e22, &pl);
	pp = &pl.path[PATH_UPCYCLE];
	D = pp->tokens_dense + pp->tokens_moe;
	Dp = D <= U ? D : eff(U, D / U - 1, RD);
	check_rel(pp->tokens_effective, Dp, 1e-12, "upcycle: D' of D1 + D2 "
	          "(one corpus)");
	check_rel(pp->epochs_dense, pp->tokens_dense / U, 1e-12,
	          "upcycle: epochs of the dense phase");
	check_rel(pp->epochs_moe, pp->tokens_moe / U, 1e-12,
	          "upcycle: epochs of the MoE phase");
	session_free(s);
}

/* M of DeepSeek LLM, counted from the architecture's parameters */
static double deepseek_m(const struct arch *a)
{
	struct arch_params pa;
	double hk = (double)a->heads * a->head_dim, S = a->seq;
	double logits = (double)a->vocab * a->d_model;

	arch_count_params(a, &pa);
	return 6 * (pa.nonemb_active - pa.norms) +
	       a->layers * (12 * S * hk + 9 * (double)a->heads * S) +
	       0 * logits;
}

static void batch_and_lr(void)
{
	struct session *s = open_spec("chinchilla", 0, NULL);
	struct plan pl;
	const struct plan_path *pp;
	double C;

	solve_at(s, 1e21, &pl);
	pp = &pl.path[PATH_DENSE];
	C = deepseek_m(&pp->arch) * pp->tokens;
	check_rel(pp->hp_compute, C, 2e-3, "DeepSeek's C = M D of the realised "
	          "architecture");
	check_rel(pp->hp_batch_tokens, 0.2920 * pow(C, 0.3271), 2e-3,
	          "B_opt = 0.2920 C^0.3271");
	check_rel(pp->hp_lr, 0.3118 * pow(C, -0.1250), 2e-3,
	          "eta_opt = 0.3118 C^-0.1250");
	check(pp->hp_extrapolated == (C > 2e19 || C < 1e17),
	      "extrapolated outside the fitted compute");
	session_free(s);
}

/* a target with repeated data: the budget plan's loss gives it back */
static void target_duality(void)
{
	struct session *s = open_spec("muennighoff2023", 5e9, "none");
	struct plan pb, pt;
	struct mp_error e;

	solve_at(s, 3e20, &pb);
	mp_error_clear(&e);
	if (plan_target_solve(&s->req, pb.path[PATH_DENSE].loss, &pt, &e) != 0) {
		fprintf(stderr, "test_unique: %s\n", e.msg);
		exit(99);
	}
	check_rel(pt.path[PATH_DENSE].budget, 3e20, 1e-6, "unique tokens: a "
	          "budget plan's loss as a target gives back its budget");
	session_free(s);
}

int main(void)
{
	native_law();
	huge_supply();
	upcycle_phases();
	batch_and_lr();
	target_duality();
	return check_done();
}
