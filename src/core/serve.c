/*
 * serve.c — the lifetime cost of serving a model (serve.h has the model
 * and its sources).
 */
#include "config.h"

#include "serve.h"

#include <math.h>

double serve_flops(double active_params, double tokens)
{
	return SERVE_FLOPS_PER_PARAM * active_params * tokens;
}

double serve_decode_bytes(const struct arch *a, const struct arch_params *pa,
                          double batch, double elem_bytes)
{
	double input_rows = (double)a->vocab * a->d_model;
	double weights = pa->total - pa->experts_total;
	double used = 1;

	/* a tied table is read whole for the logits; an untied one's input
	 * half is only looked up */
	if (!a->tied)
		weights -= input_rows;
	if (a->experts > 0 && a->top_k > 0) {
		double miss = 1 - (double)a->top_k / a->experts;

		used = 1 - pow(miss > 0 ? miss : 0, batch);
	}
	return elem_bytes * (weights + used * pa->experts_total);
}

double serve_decode_seconds(const struct cost_model *cm, const struct arch *a,
                            const struct arch_params *pa, double batch)
{
	double B = batch > 0 ? batch : SERVE_DECODE_BATCH;
	double P = cm->gemm.peak_flops, W = cm->gemm.bandwidth;
	double compute, memory;

	if (!(P > 0) || !(W > 0))
		return NAN;
	compute = SERVE_FLOPS_PER_PARAM * pa->active / P;
	memory = serve_decode_bytes(a, pa, B, cm->elem_bytes) / (W * B);
	return compute > memory ? compute : memory;
}

double serve_prefill_seconds(const struct cost_model *cm, const struct arch *a,
                             int tokens_per_step)
{
	return cost_seconds_per_token(cm, a, tokens_per_step, NULL) / 3;
}

double serve_seconds(const struct cost_model *cm, const struct arch *a,
                     const struct serve_spec *s, int tokens_per_step)
{
	struct arch_params pa;
	double share = s->prefill_share, pre = 0, dec = 0;

	if (!(s->tokens > 0))
		return 0;
	arch_count_params(a, &pa);
	if (share > 0)
		pre = serve_prefill_seconds(cm, a, tokens_per_step);
	if (share < 1)
		dec = serve_decode_seconds(cm, a, &pa, s->decode_batch);
	return s->tokens * (share * pre + (1 - share) * dec);
}
