/*
 * datacon.h — data-constrained scaling: the worth of repeated tokens and
 * of parameters in excess of what the unique data can use.
 *
 * Muennighoff et al. 2023, "Scaling Data-Constrained Language Models"
 * (arXiv:2305.16264), Sec. 3, eq. 5-7, and the authors' code
 * (github.com/huggingface/datablations, README "Parametric Fit" and
 * utils/parametric_fit.ipynb):
 *
 *   R_D = D / U_D - 1                     repetitions beyond the first epoch
 *   D'  = U_D + U_D R_D* (1 - exp(-R_D / R_D*))                      (eq. 5)
 *   U_N = min(N, N_opt(U))                the parameters U unique tokens can
 *                                         use (datacon_apply: from the
 *                                         supply, as the authors' code)
 *   R_N = N / U_N - 1                     excess parameters, as a ratio
 *   N'  = U_N + U_N R_N* (1 - exp(-R_N / R_N*))                      (eq. 6)
 *   L(N, D, U_D) = L_law(N', D')                                     (eq. 7)
 *
 * N_opt(U_D) is the compute-optimal parameter count of a Chinchilla-form
 * law L = E + A/N^alpha + B/D^beta under C = 6ND for a run of U_D tokens:
 * with G = (alpha A / (beta B))^(1/(alpha+beta)), N_opt(C) = G (C/6)^a and
 * D_opt(C) = (C/6)^b / G (a = beta/(alpha+beta), b = alpha/(alpha+beta)),
 * so N_opt(D) = G (G D)^(beta/alpha) — the README's D_to_N.  The paper
 * takes A, B, alpha, beta from its C4 refit of that law (the same file's
 * law), whatever law the transform is applied to.
 *
 * The constants are data (a model file's data_constrained: block, read by
 * io/model_load.c); nothing here holds a fact.  Everything is pure: the
 * evaluators return NAN for a NAN, infinite, zero or negative argument, or
 * for a datacon not set up; datacon_set returns -1 with err filled.
 *
 * Ownership: struct datacon owns the strings law, source and note (or
 * NULL); datacon_free frees them and the struct; datacon_new allocates.
 */
#ifndef MP_DATACON_H
#define MP_DATACON_H

#include "error.h"

struct datacon {
	double R_D_star;  /* R_D*: repetitions at which a repeated epoch is
	                     worth 1/e of fresh data (eq. 5)                 */
	double R_N_star;  /* R_N*: the same for excess parameters (eq. 6)    */
	/* The U_N rule, N_opt(U_D) = un_G * (un_G * U_D)^un_exp: */
	double un_G;      /* G = (alpha A / (beta B))^(1/(alpha+beta))       */
	double un_exp;    /* beta / alpha                                    */
	char *law;        /* the law (same model file) whose A, B, alpha, beta
	                     give the U_N rule, or NULL                       */
	char *source;     /* where the constants come from, or NULL           */
	char *note;       /* caveats, or NULL                                 */
	int ready;        /* 1 once datacon_set and datacon_set_un succeeded  */
};

/* A zeroed struct (not ready); NULL on allocation failure. */
struct datacon *datacon_new(void);
void datacon_free(struct datacon *dc);

/* R_D* and R_N*: finite and positive, else -1 (subject: MP_WHAT_NONE). */
int datacon_set(struct datacon *dc, double R_D_star, double R_N_star,
                struct mp_error *err);
/* The U_N rule from a Chinchilla-form law's A, B, alpha, beta: each finite
 * and positive, else -1.  After it (and datacon_set) dc is ready. */
int datacon_set_un(struct datacon *dc, double A, double B, double alpha,
                   double beta, struct mp_error *err);

/* D / U: epochs over U unique tokens (1 = each token seen once). */
double datacon_epochs(double D, double U);

/* D' (eq. 5) for D tokens drawn from U unique ones: D when D <= U. */
double datacon_tokens(const struct datacon *dc, double D, double U);

/* U_N = min(N, N_opt(U_D)), U_D the unique tokens trained on
 * (min(U, D): pass datacon_unique_tokens). */
double datacon_unique_params(const struct datacon *dc, double N, double U_D);

/* N' (eq. 6) for N parameters of which U_N are usable: N when N <= U_N. */
double datacon_params(const struct datacon *dc, double N, double U_N);

/* U_D = min(U, D): the unique tokens a run of D tokens sees. */
double datacon_unique_tokens(double D, double U);

/*
 * The whole transform of eq. 7 for a run of N parameters and D tokens with
 * U unique tokens available: *Np = N', *Dp = D', to put in place of N and
 * D in the law's loss (the compute stays 6 N D: repeated tokens cost what
 * fresh ones do).  0, or -1 with both NAN when an argument is bad or dc is
 * not ready.
 */
int datacon_apply(const struct datacon *dc, double N, double D, double U,
                  double *Np, double *Dp);

#endif
