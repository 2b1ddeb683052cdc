/*
 * cost.c — the kernel cost model (equations in cost.h): GEMMs, memory-bound
 * kernels, one MoE layer forward, one training step.
 */
#include "config.h"

#include "cost.h"

#include <math.h>
#include <string.h>

static const char *const kernel_names[COST_KERNELS] = {
	"gemm", "softmax_topk", "dispatch", "combine", "swiglu", "stream"
};

/* Largest expert count whose skewed routing is costed exactly; above it
 * cost_step_seconds falls back to balanced routing. */
#define STEP_MAX_EXPERTS 4096

const char *cost_kernel_name(enum cost_kernel k)
{
	return (int)k >= 0 && k < COST_KERNELS ? kernel_names[k] : NULL;
}

int cost_kernel_from_name(const char *name)
{
	for (int k = 0; k < COST_KERNELS; k++)
		if (strcmp(name, kernel_names[k]) == 0)
			return k;
	return -1;
}

/* s(x; h) = x / (x + h); 1/s = 1 + h/x. */
static double inv_saturation(double x, double h)
{
	return 1.0 + h / x;
}

int cost_gemm_is_single(const struct cost_gemm_params *g, double m, double n,
                        double k)
{
	return g->thread_threshold > 0 && m * n * k <= g->thread_threshold;
}

double cost_gemm_pad(double x, double b)
{
	/* a hair of tolerance: an expected token count of 1024 (1 + 1e-15)
	 * from cost_routing_counts is 1024 tokens, not 1025 */
	return b > 1 ? b * ceil(x / b - 1e-9) : x;
}

double cost_gemm_wave_area(const struct cost_gemm_params *g, double m,
                           double n)
{
	double tm = g->block_m > 1 ? g->block_m : 1;
	double tn = g->block_n > 1 ? g->block_n : 1;
	double tiles, waves;

	if (!(g->sms > 0))
		return cost_gemm_pad(m, tm) * cost_gemm_pad(n, tn);
	/* tile and wave quantization (NVIDIA's GEMM guide); the tolerance as
	 * in cost_gemm_pad */
	tiles = cost_gemm_pad(m, tm) / tm * (cost_gemm_pad(n, tn) / tn);
	waves = ceil(tiles / g->sms - 1e-9);
	return waves * g->sms * tm * tn;
}

double cost_gemm_rows(double x, double b, const double *e, int q, int *j,
                      double *w)
{
	double base, r, frac, lo, hi;
	int i;

	if (j != NULL) {
		*j = 0;
		w[0] = w[1] = 0;
	}
	if (e == NULL || q <= 1)
		return cost_gemm_pad(x, b);
	/* R(x) = Q floor(x / Q) + e(x mod Q), e linear between whole numbers
	 * (cost.h); the tolerance as in cost_gemm_pad */
	base = q * floor(x / q + 1e-9);
	r = fmax(x - base, 0);
	i = (int)floor(r + 1e-9);
	if (i > q - 1)
		i = q - 1;
	frac = fmax(r - i, 0);
	if (frac < 1e-9)
		frac = 0;
	lo = i == 0 ? 0 : e[i];
	hi = i + 1 >= q ? q : e[i + 1];
	if (j != NULL) {
		*j = i;
		w[0] = i == 0 ? 0 : 1 - frac;
		w[1] = i + 1 >= q ? 0 : frac;
	}
	return base + (1 - frac) * lo + frac * hi;
}

void cost_corr_locate(double x, int *i, double *w)
{
	double u = log2(x) / COST_CORR_STEP;

	if (!(u > 0)) {
		*i = 0;
		*w = 0;
	} else if (u >= COST_CORR_KNOTS - 1) {
		*i = COST_CORR_KNOTS - 2;
		*w = 1;
	} else {
		*i = (int)floor(u);
		*w = u - *i;
	}
}

double cost_corr_log(const struct cost_gemm_corr *c, double m, double n,
                     double k)
{
	double x[3] = { m, n, k }, sum = 0;

	for (int d = 0; d < 3; d++) {
		int i;
		double w;

		cost_corr_locate(x[d], &i, &w);
		sum += (1 - w) * c->c[d][i] + w * c->c[d][i + 1];
	}
	return sum;
}

double cost_gemm_seconds(const struct cost_model *cm, double m, double n,
                         double k)
{
	const struct cost_gemm_params *g = &cm->gemm;
	const struct cost_gemm_corr *corr = &g->corr;
	const struct cost_gemm_edge *edge = &g->edge;
	struct cost_gemm_regime r;
	double mp, np, compute, memory;

	if (m <= 0 || n <= 0 || k <= 0)
		return 0;
	r.peak_flops = g->peak_flops;
	r.bandwidth = g->bandwidth;
	r.overhead = g->overhead;
	r.sat_m = g->sat_m;
	r.sat_n = g->sat_n;
	r.sat_k = g->sat_k;
	if (cost_gemm_is_single(g, m, n, k)) {
		r = g->single;
		corr = &g->single.corr;
		edge = &g->single.edge;
	}
	/* roofline terms added, compute on the rows and columns the kernel
	 * runs (edges included) derated per dimension, in the call's thread
	 * regime (cost.h) */
	mp = cost_gemm_rows(m, g->block_m, edge->m, edge->period, NULL, NULL);
	np = cost_gemm_rows(n, g->block_n, edge->n, edge->period, NULL, NULL);
	/* on a GPU the SM-tile slots of whole waves (cost.h); S = 0: m' n' */
	compute = 2.0 * (g->sms > 0 ? cost_gemm_wave_area(g, m, n) : mp * np) *
	          k / r.peak_flops * inv_saturation(mp, r.sat_m) *
	          inv_saturation(np, r.sat_n) * inv_saturation(k, r.sat_k);
	memory = cm->elem_bytes * (m * k + k * n + m * n) / r.bandwidth;
	return (r.overhead + compute + memory) * exp(cost_corr_log(corr, m, n, k));
}

double cost_mem_bytes(const struct cost_model *cm, enum cost_kernel kernel,
                      const double dims[3])
{
	double w = cm->elem_bytes;

	switch (kernel) {
	case COST_SOFTMAX_TOPK:
		/* read T x E logits; top-k by insertion: a new element enters the
		 * top k of a random order k (1 + ln(E / k)) times on average, each
		 * entry reading and writing a (weight, int32 id) pair */
		return w * dims[0] * dims[1] +
		       (dims[2] > 0 ? 2 * (w + 4) * dims[0] * dims[2] *
		                      (1 + log(dims[1] / dims[2])) : 0);
	case COST_DISPATCH:       /* read and write each of the T k routed rows */
		return 2 * w * dims[0] * dims[1] * dims[2];
	case COST_COMBINE:        /* read T k expert rows, write T output rows */
		return w * dims[0] * (dims[1] + 1) * dims[2];
	case COST_SWIGLU:         /* read gate (and up), write the product */
		return w * dims[0] * dims[1] * (dims[2] >= 3 ? 3 : 2);
	case COST_STREAM:         /* a = b + s c: two reads, one write */
		return 3 * w * dims[0];
	default:
		return 0;
	}
}

double cost_mem_seconds(const struct cost_model *cm, enum cost_kernel kernel,
                        const double dims[3])
{
	const struct cost_mem_params *p;
	double bytes;

	if (kernel <= COST_GEMM || kernel >= COST_KERNELS)
		return 0;
	bytes = cost_mem_bytes(cm, kernel, dims);
	if (bytes <= 0)
		return 0;
	p = &cm->mem[kernel - 1];
	return p->overhead + bytes / p->bandwidth +
	       bytes * (1 / p->bandwidth_mem - 1 / p->bandwidth) * bytes /
	       (bytes + p->cache_bytes);
}

double cost_sample_seconds(const struct cost_model *cm,
                           const struct cost_sample *s)
{
	if (s->kernel == COST_GEMM)
		return cost_gemm_seconds(cm, s->dims[0], s->dims[1], s->dims[2]);
	return cost_mem_seconds(cm, s->kernel, s->dims);
}

double cost_sample_flops(const struct cost_sample *s)
{
	if (s->kernel != COST_GEMM)
		return 0;
	return 2.0 * s->dims[0] * s->dims[1] * s->dims[2];
}

void cost_routing_counts(double tokens, int experts, int top_k, double skew,
                         double *counts)
{
	double total = tokens * top_k, rest_p = 0, rest = total;
	int capped = 0;

	/* Zipf weights p_e = (e + 1)^-skew, decreasing in e */
	for (int e = 0; e < experts; e++) {
		counts[e] = pow(e + 1.0, -skew);
		rest_p += counts[e];
	}
	/* water-filling: the largest experts are capped at T one by one until
	 * the share of the next one fits under the cap */
	while (capped < experts && rest * counts[capped] / rest_p > tokens) {
		rest_p -= counts[capped];
		counts[capped++] = tokens;
		rest -= tokens;
	}
	for (int e = capped; e < experts; e++)
		counts[e] = rest_p > 0 ? rest * counts[e] / rest_p : 0;
}

/* Add to the item called name (static string), appending it if new. */
static void item_add(struct cost_breakdown *bd, const char *name, double flops,
                     double fwd, double total)
{
	struct cost_item *it = NULL;

	if (bd == NULL)
		return;
	for (int i = 0; i < bd->n; i++)
		if (strcmp(bd->item[i].name, name) == 0)
			it = &bd->item[i];
	if (it == NULL) {
		if (bd->n == COST_ITEMS_MAX)
			return;
		it = &bd->item[bd->n++];
		it->name = name;
		it->flops = it->seconds = it->fwd_seconds = 0;
	}
	it->flops += flops;
	it->seconds += total;
	it->fwd_seconds += fwd;
	bd->flops += flops;
	bd->seconds += total;
}

static void breakdown_init(struct cost_breakdown *bd, double tokens)
{
	if (bd == NULL)
		return;
	memset(bd, 0, sizeof *bd);
	bd->tokens = tokens;
}

/*
 * count calls of GEMM (m, n, k) in item name, forward only (train == 0) or
 * forward plus the backward GEMMs dX (m, k, n) and dW (k, n, m) (train).
 * Returns the seconds.
 */
static double gemm_item(const struct cost_model *cm, struct cost_breakdown *bd,
                        const char *name, double count, double m, double n,
                        double k, int train)
{
	double fwd = count * cost_gemm_seconds(cm, m, n, k), total = fwd;
	double flops = count * 2.0 * m * n * k;

	if (count <= 0 || m <= 0)
		return 0;
	if (train) {
		total += count * (cost_gemm_seconds(cm, m, k, n) +
		                  cost_gemm_seconds(cm, k, n, m));
		flops *= 3;
	}
	item_add(bd, name, flops, fwd, total);
	return total;
}

/* count calls of a memory-bound kernel; backward costs twice forward. */
static double mem_item(const struct cost_model *cm, struct cost_breakdown *bd,
                       const char *name, double count, enum cost_kernel kernel,
                       double d0, double d1, double d2, int train)
{
	double dims[3] = { d0, d1, d2 };
	double fwd = count * cost_mem_seconds(cm, kernel, dims);
	double total = train ? 3 * fwd : fwd;

	if (count <= 0)
		return 0;
	item_add(bd, name, 0, fwd, total);
	return total;
}

/*
 * The experts of one MoE layer: gate/up GEMMs, activation, down GEMM, for
 * n distinct token counts, each standing for `layers` expert instances.
 */
static double experts_part(const struct cost_model *cm,
                           struct cost_breakdown *bd,
                           const struct cost_moe_layer *L, const double *counts,
                           int n, double layers, int train)
{
	double t = 0, d = L->d_model, f = L->d_ff;
	int up = L->mlp_matrices - 1;

	for (int e = 0; e < n; e++) {
		if (counts[e] <= 0)
			continue;
		t += gemm_item(cm, bd, "experts", layers * up, counts[e], f, d, train);
		t += mem_item(cm, bd, "expert_act", layers, COST_SWIGLU, counts[e], f,
		              L->mlp_matrices, train);
		t += gemm_item(cm, bd, "experts", layers, counts[e], d, f, train);
	}
	return t;
}

/*
 * Router, softmax/top-k, dispatch, experts, combine for `layers` layers;
 * n token counts standing for `experts` experts together (experts / n
 * each: n = experts, one count per expert; n = 1, balanced routing, all
 * alike).
 */
static double moe_part(const struct cost_model *cm, struct cost_breakdown *bd,
                       const struct cost_moe_layer *L, const double *counts,
                       int n, double layers, double experts, int train)
{
	double T = L->tokens, d = L->d_model, E = L->experts, k = L->top_k;
	double t = 0;

	t += gemm_item(cm, bd, "router", layers, T, E, d, train);
	t += mem_item(cm, bd, "softmax_topk", layers, COST_SOFTMAX_TOPK, T, E, k,
	              train);
	t += mem_item(cm, bd, "dispatch", layers, COST_DISPATCH, T, k, d, train);
	t += experts_part(cm, bd, L, counts, n, layers * experts / n, train);
	t += mem_item(cm, bd, "combine", layers, COST_COMBINE, T, k, d, train);
	return t;
}

double cost_moe_layer_seconds(const struct cost_model *cm,
                              const struct cost_moe_layer *L,
                              const double *counts,
                              struct cost_breakdown *bd)
{
	breakdown_init(bd, L->tokens);
	return moe_part(cm, bd, L, counts, L->experts, 1, L->experts, 0);
}

/* One layer's attention weights as GEMM widths, per device: the Q, K, V
 * projections' (MLA's low-rank chains costed as one GEMM of the same
 * FLOPs, d -> their parameters / d) and the output's input width; split
 * by heads over tp (DeepSeek-V2 Sec. 2.1 for MLA's counts, as arch.c). */
static void attn_widths(const struct arch *a, int tp, double *qkv_n,
                        double *out_k)
{
	double d = a->d_model, h = a->heads, k = a->head_dim;
	double v = a->v_head_dim > 0 ? a->v_head_dim : k;
	double rq = a->q_lora_rank, rkv = a->kv_lora_rank, kr = a->rope_head_dim;
	double q = rq > 0 ? d * rq + rq * h * k : d * h * k, kvw;

	kvw = rkv > 0 ? d * (rkv + kr) + rkv * h * (k - kr + v)
	              : d * a->kv_heads * (k + v);
	*qkv_n = (q + kvw) / d / tp;
	*out_k = h * v / tp;
}

/*
 * Attention of `layers` layers on T tokens (sequences of S): projections,
 * then the core.  Unfused, the core is the S x S score and value GEMMs per
 * head and a softmax (what a CPU calibration measures).  Fused (a
 * FlashAttention kernel, Dao 2023): one kernel per layer doing the causal
 * half of the 4 S^2 k FLOPs per head forward and 2.5 times that backward
 * (FlashAttention-2 Sec. 3.1.2: the backward recomputes the scores, five
 * matmuls against the forward's two), at the shard's efficiency of the
 * device's peak.
 */
static double attention_part(const struct cost_model *cm,
                             struct cost_breakdown *bd, const struct arch *a,
                             const struct cost_shard *sh, double T,
                             double layers)
{
	double d = a->d_model, S = a->seq, hd = a->head_dim;
	double h = (double)a->heads / sh->tp, qkv_n, out_k, t = 0;
	double heads_total = layers * (T / S) * h;   /* one (S x S) per head */

	attn_widths(a, sh->tp, &qkv_n, &out_k);
	t += gemm_item(cm, bd, "attn_proj", layers, T, qkv_n, d, 1);
	t += gemm_item(cm, bd, "attn_proj", layers, T, d, out_k, 1);
	if (sh->fused_attention) {
		double fwd = heads_total * 0.5 * 4 * S * S * hd;
		double rate = sh->attn_efficiency * cm->mfu_peak;

		item_add(bd, "attn_core", 3.5 * fwd, fwd / rate, 3.5 * fwd / rate);
		return t + 3.5 * fwd / rate;
	}
	t += gemm_item(cm, bd, "attn_core", heads_total, S, S, hd, 1);
	t += gemm_item(cm, bd, "attn_core", heads_total, S, hd, S, 1);
	/* softmax over S keys, costed as the router's softmax class */
	t += mem_item(cm, bd, "attn_softmax", heads_total, COST_SOFTMAX_TOPK, S, S,
	              0, 1);
	return t;
}

/* Dense FFN on `layers` layers: up (and gate), activation, down. */
static double mlp_part(const struct cost_model *cm, struct cost_breakdown *bd,
                       const char *name, const char *act, double T, double d,
                       double f, int matrices, double layers)
{
	double t = 0;

	t += gemm_item(cm, bd, name, layers * (matrices - 1), T, f, d, 1);
	t += mem_item(cm, bd, act, layers, COST_SWIGLU, T, f, matrices, 1);
	t += gemm_item(cm, bd, name, layers, T, d, f, 1);
	return t;
}

void cost_shard_whole(const struct arch *a, struct cost_shard *sh)
{
	memset(sh, 0, sizeof *sh);
	sh->tp = sh->ep = 1;
	sh->moe_layers = a->experts > 0 ? arch_moe_layers(a) : 0;
	sh->dense_layers = a->layers - sh->moe_layers;
	sh->logits = 1;
}

/* The MoE layers of the shard: router, dispatch, the device's E / ep
 * experts (each of d_expert / tp) on the tokens the ep ranks route to
 * them (T ep k / E each when balanced; under skew the busiest rank's
 * block of experts, the most popular ones), combine; shared experts. */
static double moe_shard(const struct cost_model *cm, struct cost_breakdown *bd,
                        const struct arch *a, const struct cost_shard *sh,
                        double T, double skew)
{
	int E = a->experts, local = E / sh->ep;
	struct cost_moe_layer L = { T, a->d_model, a->d_expert / sh->tp, E,
	                            a->top_k, a->mlp_matrices };
	double counts[STEP_MAX_EXPERTS], one = T * sh->ep * a->top_k / E;
	double t = 0, sw = a->d_shared > 0 ? a->d_shared : a->d_expert;

	if (L.d_ff < 1)
		L.d_ff = 1;
	if (skew > 0 && E <= STEP_MAX_EXPERTS) {
		cost_routing_counts(T * sh->ep, E, a->top_k, skew, counts);
		t += moe_part(cm, bd, &L, counts, local, sh->moe_layers, local, 1);
	} else {
		/* balanced: every expert alike, cost one and scale by E / ep */
		t += moe_part(cm, bd, &L, &one, 1, sh->moe_layers, local, 1);
	}
	if (a->shared_experts > 0)
		t += mlp_part(cm, bd, "shared", "shared_act", T, a->d_model,
		              (double)a->shared_experts * sw / sh->tp,
		              a->mlp_matrices, sh->moe_layers);
	return t;
}

double cost_shard_step_seconds(const struct cost_model *cm,
                               const struct arch *a,
                               const struct cost_shard *sh, double tokens,
                               double skew, struct cost_breakdown *bd)
{
	double T = tokens, t = 0;

	breakdown_init(bd, T);
	t += attention_part(cm, bd, a, sh, T, sh->dense_layers + sh->moe_layers);
	if (sh->dense_layers > 0)
		t += mlp_part(cm, bd, "mlp", "mlp_act", T, a->d_model,
		              (double)a->d_ff / sh->tp, a->mlp_matrices,
		              sh->dense_layers);
	if (sh->moe_layers > 0)
		t += moe_shard(cm, bd, a, sh, T, skew);
	if (sh->logits) {
		t += gemm_item(cm, bd, "logits", 1, T, (double)a->vocab / sh->tp,
		               a->d_model, 1);
		t += mem_item(cm, bd, "logits", 1, COST_SOFTMAX_TOPK, T,
		              (double)a->vocab / sh->tp, 0, 1);
	}
	return t;
}

double cost_step_seconds(const struct cost_model *cm, const struct arch *a,
                         double tokens_per_step, double skew,
                         struct cost_breakdown *bd)
{
	struct cost_shard sh;

	cost_shard_whole(a, &sh);
	return cost_shard_step_seconds(cm, a, &sh, tokens_per_step, skew, bd);
}

double cost_seconds_per_token(const struct cost_model *cm,
                              const struct arch *a, int tokens_per_step,
                              struct cost_breakdown *bd)
{
	if (tokens_per_step <= 0)
		return 0;
	return cost_step_seconds(cm, a, tokens_per_step, 0, bd) / tokens_per_step;
}
