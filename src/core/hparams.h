/*
 * hparams.h — batch size and peak learning rate from the compute budget.
 *
 * A power law in compute for each (DeepSeek-AI 2024, "DeepSeek LLM:
 * Scaling Open-Source Language Models with Longtermism", arXiv:2401.02954,
 * Sec. 3.1, eq. 1):
 *
 *   B_opt   = batch_coef * C^batch_exp     global batch, in tokens
 *   eta_opt = lr_coef    * C^lr_exp        peak learning rate
 *
 * with C the compute budget in FLOPs as the source defines it (DeepSeek:
 * C = M D, M the non-embedding FLOPs per token, Sec. 3.2; the definition
 * is kept as text in `compute` for the planner to show).  The numbers are
 * data (share/hparams/NAME.yaml, read by io/hparam_load.c); nothing here holds
 * a fact.  A compute outside [fit_lo, fit_hi], the budgets the source fitted
 * on, is an extrapolation: flagged, not refused.
 *
 * Ownership: hparams_new allocates a zeroed struct; hparams_free frees it
 * and its strings (name, source, compute, note; each owned, or NULL).
 */
#ifndef MP_HPARAMS_H
#define MP_HPARAMS_H

#include "error.h"

struct hparams {
	char *name;        /* the file's name, e.g. "deepseek2024"           */
	char *source;      /* citation                                       */
	char *compute;     /* what C means, as the source defines it          */
	char *note;        /* caveats, or NULL                                */
	double batch_coef, batch_exp;  /* B_opt = batch_coef C^batch_exp      */
	double lr_coef, lr_exp;        /* eta_opt = lr_coef C^lr_exp          */
	double fit_lo, fit_hi;         /* the compute budgets fitted on       */
	int ready;                     /* 1 once hparams_set succeeded        */
};

/* A suggestion at one compute budget. */
struct hparams_pick {
	double compute;        /* C, FLOPs, as given                          */
	double batch_tokens;   /* B_opt, tokens per optimizer step            */
	double lr;             /* eta_opt, peak learning rate                 */
	int extrapolated;      /* 1 when C is outside [fit_lo, fit_hi]        */
};

struct hparams *hparams_new(void);
void hparams_free(struct hparams *h);

/* The four numbers and the fitted range: coefficients finite and positive,
 * exponents finite, 0 < fit_lo <= fit_hi finite; else -1 with err. */
int hparams_set(struct hparams *h, double batch_coef, double batch_exp,
                double lr_coef, double lr_exp, double fit_lo, double fit_hi,
                struct mp_error *err);

/* Suggestion at compute C (FLOPs).  0, or -1 with err when C is not a
 * finite positive number or h is not ready (out filled with NANs and
 * extrapolated 1); a result that overflows is an error too. */
int hparams_suggest(const struct hparams *h, double C,
                    struct hparams_pick *out, struct mp_error *err);

/* The batch of hparams_suggest in whole sequences of seq tokens, rounded
 * to the nearest (at least 1); NAN for a bad argument. */
double hparams_batch_sequences(const struct hparams_pick *p, double seq);

#endif
