/*
 * lawfix.h — laws built in code for the core tests (no YAML involved), with
 * the coefficients of ../shared/reference/scaling-laws.md.
 */
#ifndef MP_LAWFIX_H
#define MP_LAWFIX_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/law.h"

static inline void fix_die(const struct mp_error *e)
{
	fprintf(stderr, "fixture: %s\n", e->msg);
	exit(99);
}

static inline void fix_var(struct law *L, const char *name, enum law_role r,
                           double lo, double hi)
{
	struct law_var v = { (char *)name, r, lo, hi, NULL, 0 };
	struct mp_error e;

	if (law_add_variable(L, &v, &e) != 0)
		fix_die(&e);
}

static inline void fix_coef(struct law *L, const char *name, double value)
{
	struct mp_error e;

	if (law_add_coefficient(L, name, value, &e) != 0)
		fix_die(&e);
}

static inline void fix_expr(struct law *L, enum law_expr w, const char *s)
{
	struct mp_error e;

	if (law_set_expr(L, w, s, &e) != 0)
		fix_die(&e);
}

static inline void fix_finish(struct law *L)
{
	struct mp_error e;

	if (law_finish(L, &e) != 0)
		fix_die(&e);
}

/* Chinchilla form (Hoffmann et al. 2022, eq. 10): E + A/N^alpha + B/D^beta,
 * C = 6ND. */
static inline struct law *fix_chinchilla(double E, double A, double B,
                                         double alpha, double beta)
{
	struct law *L = law_new("test", "chinchilla", PATH_DENSE, COUNT_TOTAL);

	fix_coef(L, "E", E);
	fix_coef(L, "A", A);
	fix_coef(L, "B", B);
	fix_coef(L, "alpha", alpha);
	fix_coef(L, "beta", beta);
	fix_var(L, "N", ROLE_PARAMS, 7e7, 1.6e10);
	fix_var(L, "D", ROLE_TOKENS, 5e9, 5e11);
	fix_expr(L, LAW_LOSS, "E + A / N^alpha + B / D^beta");
	fix_expr(L, LAW_FLOPS, "6 * N * D");
	fix_finish(L);
	return L;
}

/* Liew, Kato, Takase 2025, Table 2: dense or moe form
 * A D^-alpha + B N^-beta + E, compute 6 k N D (k = Na/N1 for the MoE). */
static inline struct law *fix_liew(enum law_path p, double A, double B,
                                   double alpha, double beta, double k)
{
	struct law *L = law_new("test", p == PATH_DENSE ? "dense" : "moe", p,
	                        p == PATH_DENSE ? COUNT_TOTAL : COUNT_DENSE_BASE);

	fix_coef(L, "A", A);
	fix_coef(L, "B", B);
	fix_coef(L, "alpha", alpha);
	fix_coef(L, "beta", beta);
	fix_coef(L, "E", 0.165);
	fix_coef(L, "k", k);
	fix_var(L, "N", ROLE_PARAMS, 1e8, 7e9);
	fix_var(L, "D", ROLE_TOKENS, 1e10, 4e11);
	fix_expr(L, LAW_LOSS, "A * D^(-alpha) + B * N^(-beta) + E");
	fix_expr(L, LAW_FLOPS, "6 * k * N * D");
	fix_finish(L);
	return L;
}

/* Liew et al. 2025 upcycled law (Table 2), natural log interaction term;
 * C = 6 N1 D1 + 6 k N1 D2. */
static inline struct law *fix_liew_upcycled(double k)
{
	struct law *L = law_new("test", "upcycled", PATH_UPCYCLE, COUNT_DENSE_BASE);

	fix_coef(L, "A", 16.3);
	fix_coef(L, "B", 8.53);
	fix_coef(L, "alpha1", 0.043);
	fix_coef(L, "alpha2", 0.085);
	fix_coef(L, "alpha3", 7.98e-4);
	fix_coef(L, "beta", 0.112);
	fix_coef(L, "E", 0.165);
	fix_coef(L, "k", k);
	fix_var(L, "N1", ROLE_PARAMS, 1e8, 7e9);
	fix_var(L, "D1", ROLE_TOKENS_DENSE, 1e10, 4e11);
	fix_var(L, "D2", ROLE_TOKENS_MOE, 5e9, 4e11);
	fix_expr(L, LAW_LOSS, "A * D1^(-alpha1) * D2^(-alpha2 + alpha3*log(D1)) "
	                      "+ B * N1^(-beta) + E");
	fix_expr(L, LAW_FLOPS, "6*N1*D1 + 6*k*N1*D2");
	fix_finish(L);
	return L;
}

#endif
