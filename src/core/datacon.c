/*
 * datacon.c — effective data and effective parameters under repetition
 * (Muennighoff et al. 2023, arXiv:2305.16264, Sec. 3, eq. 5-7; see
 * datacon.h).  Pure arithmetic; no facts.
 */
#include "config.h"

#include "datacon.h"

#include <math.h>
#include <stdlib.h>

static int positive(double x)
{
	return isfinite(x) && x > 0;
}

struct datacon *datacon_new(void)
{
	return calloc(1, sizeof(struct datacon));
}

void datacon_free(struct datacon *dc)
{
	if (dc == NULL)
		return;
	free(dc->law);
	free(dc->source);
	free(dc->note);
	free(dc);
}

int datacon_set(struct datacon *dc, double R_D_star, double R_N_star,
                struct mp_error *err)
{
	if (!positive(R_D_star))
		return mp_error_set(err, "R_D_star must be a positive number "
		                    "(got %g)", R_D_star);
	if (!positive(R_N_star))
		return mp_error_set(err, "R_N_star must be a positive number "
		                    "(got %g)", R_N_star);
	dc->R_D_star = R_D_star;
	dc->R_N_star = R_N_star;
	dc->ready = dc->un_G > 0;
	return 0;
}

/* G and beta/alpha of the Chinchilla-form frontier (datacon.h). */
int datacon_set_un(struct datacon *dc, double A, double B, double alpha,
                   double beta, struct mp_error *err)
{
	double G;

	if (!positive(A) || !positive(B) || !positive(alpha) || !positive(beta))
		return mp_error_set(err, "the U_N rule needs positive A, B, alpha "
		                    "and beta (got %g, %g, %g, %g)", A, B, alpha,
		                    beta);
	/* Hoffmann et al. 2022, eq. 4: G = (alpha A / (beta B))^(1/(alpha+beta)) */
	G = pow(alpha * A / (beta * B), 1 / (alpha + beta));
	if (!positive(G))
		return mp_error_set(err, "the U_N rule's G = (alpha A / (beta B))"
		                    "^(1/(alpha+beta)) is not finite");
	dc->un_G = G;
	dc->un_exp = beta / alpha;
	dc->ready = dc->R_D_star > 0;
	return 0;
}

double datacon_epochs(double D, double U)
{
	if (!positive(D) || !positive(U))
		return NAN;
	return D / U;
}

double datacon_unique_tokens(double D, double U)
{
	if (!positive(D) || !positive(U))
		return NAN;
	return U < D ? U : D;
}

/* X' = U + U R* (1 - exp(-R / R*)), R = X / U - 1 (eq. 5 and 6). */
static double decayed(double X, double U, double R_star)
{
	double R = X / U - 1;

	if (R <= 0)
		return X;
	/* -expm1(-x) = 1 - exp(-x), exact for small R / R* */
	return U + U * R_star * -expm1(-R / R_star);
}

double datacon_tokens(const struct datacon *dc, double D, double U)
{
	if (dc == NULL || !dc->ready || !positive(D) || !positive(U))
		return NAN;
	return decayed(D, U, dc->R_D_star);
}

double datacon_unique_params(const struct datacon *dc, double N, double U_D)
{
	double opt;

	if (dc == NULL || !dc->ready || !positive(N) || !positive(U_D))
		return NAN;
	/* N_opt(U_D) = G (G U_D)^(beta/alpha): the README's D_to_N */
	opt = dc->un_G * pow(dc->un_G * U_D, dc->un_exp);
	if (!positive(opt))
		return NAN;
	return N < opt ? N : opt;
}

double datacon_params(const struct datacon *dc, double N, double U_N)
{
	if (dc == NULL || !dc->ready || !positive(N) || !positive(U_N))
		return NAN;
	return decayed(N, U_N, dc->R_N_star);
}

int datacon_apply(const struct datacon *dc, double N, double D, double U,
                  double *Np, double *Dp)
{
	/* U_N from the supply U, as the authors' code has it (README:
	 * UN = np.minimum(N, D_to_N(U))), not from min(U, D): a run shorter
	 * than one epoch repeats nothing, and its loss is the law's own unless
	 * N outgrows what the whole supply can use; with U_D = min(U, D) a
	 * large model on fresh data would be discounted too */
	double U_N = datacon_unique_params(dc, N, D > 0 ? U : NAN);

	*Np = datacon_params(dc, N, U_N);
	*Dp = datacon_tokens(dc, D, U);
	if (isnan(*Np) || isnan(*Dp)) {
		*Np = *Dp = NAN;
		return -1;
	}
	return 0;
}
