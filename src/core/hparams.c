/*
 * hparams.c — batch size and peak learning rate as power laws in compute
 * (DeepSeek-AI 2024, arXiv:2401.02954, Sec. 3.1, eq. 1; see hparams.h).
 */
#include "config.h"

#include "hparams.h"

#include <math.h>
#include <stdlib.h>

static int positive(double x)
{
	return isfinite(x) && x > 0;
}

struct hparams *hparams_new(void)
{
	return calloc(1, sizeof(struct hparams));
}

void hparams_free(struct hparams *h)
{
	if (h == NULL)
		return;
	free(h->name);
	free(h->source);
	free(h->compute);
	free(h->note);
	free(h);
}

int hparams_set(struct hparams *h, double batch_coef, double batch_exp,
                double lr_coef, double lr_exp, double fit_lo, double fit_hi,
                struct mp_error *err)
{
	if (!positive(batch_coef) || !isfinite(batch_exp))
		return mp_error_set(err, "batch: coefficient must be positive and "
		                    "exponent finite (got %g, %g)", batch_coef,
		                    batch_exp);
	if (!positive(lr_coef) || !isfinite(lr_exp))
		return mp_error_set(err, "learning_rate: coefficient must be "
		                    "positive and exponent finite (got %g, %g)",
		                    lr_coef, lr_exp);
	if (!positive(fit_lo) || !positive(fit_hi) || fit_lo > fit_hi)
		return mp_error_set(err, "fit: the compute range must be 0 < lo <= "
		                    "hi (got [%g, %g])", fit_lo, fit_hi);
	h->batch_coef = batch_coef;
	h->batch_exp = batch_exp;
	h->lr_coef = lr_coef;
	h->lr_exp = lr_exp;
	h->fit_lo = fit_lo;
	h->fit_hi = fit_hi;
	h->ready = 1;
	return 0;
}

int hparams_suggest(const struct hparams *h, double C,
                    struct hparams_pick *out, struct mp_error *err)
{
	out->compute = C;
	out->batch_tokens = out->lr = NAN;
	out->extrapolated = 1;
	if (h == NULL || !h->ready)
		return mp_error_set(err, "no batch/learning-rate law is set");
	if (!positive(C))
		return mp_error_set(err, "compute must be a positive number of "
		                    "FLOPs (got %g)", C);
	/* eq. 1: B_opt = 0.2920 C^0.3271, eta_opt = 0.3118 C^-0.1250 (DeepSeek) */
	out->batch_tokens = h->batch_coef * pow(C, h->batch_exp);
	out->lr = h->lr_coef * pow(C, h->lr_exp);
	out->extrapolated = C < h->fit_lo || C > h->fit_hi;
	if (!positive(out->batch_tokens) || !positive(out->lr)) {
		out->batch_tokens = out->lr = NAN;
		return mp_error_set(err, "batch or learning rate at %g FLOPs is "
		                    "out of range", C);
	}
	return 0;
}

double hparams_batch_sequences(const struct hparams_pick *p, double seq)
{
	double n;

	if (p == NULL || !positive(p->batch_tokens) || !positive(seq))
		return NAN;
	n = round(p->batch_tokens / seq);
	return n < 1 ? 1 : n;
}
