/*
 * shape.c — shape policy: from a target parameter count N in a law's
 * convention to integer transformer sizes (see shape.h).
 *
 * The grid: d_model = j * step, step = lcm(d_multiple, head_dim * kv_group)
 * so that heads = d / head_dim and kv_heads = heads / kv_group are whole;
 * d_ff = ffn_mult * d rounded up to ffn_multiple; an MoE has E*G routed
 * experts of size d_ff / G with top_k*G active and s*G shared (granularity
 * G, Krajewski et al. 2024, sec. 3); layers n_layer >= 1 (>= moe_every for
 * an MoE, so that it has an MoE layer).
 *
 * The search: (1) the smallest j whose shape at the policy's aspect ratio
 * (n_layer = round(d / aspect)) reaches N, by doubling and bisection, since
 * every count grows with d; (2) around it, d over a window of grid points,
 * each with the layer counts nearest N (a count is affine in n_layer, up to
 * the MoE-every-n pattern); (3) the candidate of least misfit, where a
 * count error up to SHAPE_TOL is free, each further 1% weighs as much as
 * an aspect ratio off by a factor 2, the two added in quadrature.  Where
 * the grid is fine (large N) counts land within 0.5% at the policy's
 * aspect; where it is coarse the aspect gives way before the count does
 * (at small N one layer of the smallest width may already overshoot the
 * aspect).  About 300 O(1) counts: microseconds.
 */
#include "config.h"

#include "shape.h"

#include <math.h>
#include <string.h>

#define SHAPE_N_MIN_FACTOR 0.5  /* N below half the smallest shape: error */
#define SHAPE_N_MAX 1e16
#define SHAPE_DIM_MAX 100000000 /* as arch.c */
#define SHAPE_LAYERS_MAX 1000000
#define SHAPE_TOL 0.005         /* count error (log) that costs nothing */
#define SHAPE_ERR_SCALE 0.01    /* 1% more count error ...            */
#define SHAPE_ASP_SCALE 0.6931  /* ... weighs as much as aspect x 2  */
#define SHAPE_WINDOW 24         /* grid points either side */
#define SHAPE_WINDOW_RATIO 1.5  /* ... but d within this factor */
#define SHAPE_MAX_CAND (2 * SHAPE_WINDOW + 1) * 3

void shape_policy_default(struct shape_policy *p)
{
	/* Llama-2-like: d = 4096 gives 32 layers, 32 heads, d_ff 11008 */
	p->aspect = 128;
	p->d_multiple = 128;
	p->head_dim = 128;
	p->kv_group = 1;
	p->mlp_matrices = 3;
	p->ffn_mult = 8.0 / 3.0;
	p->ffn_multiple = 256;
	p->vocab = 32000;
	p->seq = 4096;
	p->tied = 0;
	p->experts = 8;
	p->top_k = 2;
	p->shared_experts = 0;
	p->moe_every = 1;
	p->granularity = 1;
}

static int in_range(struct mp_error *err, const char *name, int v, int lo,
                    int hi)
{
	if (v < lo || v > hi) {
		mp_error_set(err, "shape: %s must be from %d to %d, got %d", name,
		             lo, hi, v);
		return mp_error_what(err, MP_WHAT_SHAPE_KEY, name);
	}
	return 0;
}

static int check_moe_policy(const struct shape_policy *p,
                            struct mp_error *err)
{
	if (in_range(err, "experts", p->experts, 0, 1000000) != 0 ||
	    in_range(err, "shared_experts", p->shared_experts, 0, 1000000) != 0 ||
	    in_range(err, "moe_every", p->moe_every, 1, 1000) != 0)
		return -1;
	if (p->experts > 0 &&
	    in_range(err, "top_k", p->top_k, 1, p->experts) != 0)
		return -1;
	if (!(p->granularity > 0 && p->granularity <= 1e4)) {
		mp_error_set(err, "shape: granularity must be in (0, 1e4], got %g",
		             p->granularity);
		return mp_error_what(err, MP_WHAT_SHAPE_KEY, "granularity");
	}
	return 0;
}

int shape_policy_check(const struct shape_policy *p, struct mp_error *err)
{
	if (!(p->aspect >= 1 && p->aspect <= 1e5)) {
		mp_error_set(err, "shape: aspect must be from 1 to 1e5, got %g",
		             p->aspect);
		return mp_error_what(err, MP_WHAT_SHAPE_KEY, "aspect");
	}
	if (!(p->ffn_mult > 0 && p->ffn_mult <= 64)) {
		mp_error_set(err, "shape: ffn_mult must be in (0, 64], got %g",
		             p->ffn_mult);
		return mp_error_what(err, MP_WHAT_SHAPE_KEY, "ffn_mult");
	}
	if (in_range(err, "d_multiple", p->d_multiple, 1, 65536) != 0 ||
	    in_range(err, "head_dim", p->head_dim, 1, 65536) != 0 ||
	    in_range(err, "kv_group", p->kv_group, 1, 1024) != 0 ||
	    in_range(err, "mlp_matrices", p->mlp_matrices, 2, 3) != 0 ||
	    in_range(err, "ffn_multiple", p->ffn_multiple, 1, 65536) != 0 ||
	    in_range(err, "vocab", p->vocab, 1, SHAPE_DIM_MAX) != 0 ||
	    in_range(err, "seq", p->seq, 1, SHAPE_DIM_MAX) != 0 ||
	    in_range(err, "tied", p->tied, 0, 1) != 0)
		return -1;
	return check_moe_policy(p, err);
}

/* What stays fixed during one search. */
struct shape_search {
	const struct shape_policy *p;
	enum law_count count;
	long step;               /* d_model = j * step */
	int moe;
	int experts, top_k, shared, moe_every;
	double G;
	int layers_min;
};

static long gcd(long a, long b)
{
	while (b != 0) {
		long t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* n * G, which must be a whole number: -1 if it is not. */
static int times_g(int n, double G)
{
	double x = n * G, r = floor(x + 0.5);

	if (fabs(x - r) > 1e-9 * (x > 1 ? x : 1) || r > SHAPE_DIM_MAX)
		return -1;
	return (int)r;
}

static int search_init(struct shape_search *g, const struct shape_policy *p,
                     enum law_count count, int moe, int experts,
                     double granularity, struct mp_error *err)
{
	long hk = (long)p->head_dim * p->kv_group;

	memset(g, 0, sizeof *g);
	g->p = p;
	g->count = count;
	g->step = p->d_multiple / gcd(p->d_multiple, hk) * hk;  /* lcm */
	if (g->step > SHAPE_DIM_MAX / 2)
		return mp_error_set(err, "shape: d_model steps of %ld (lcm of "
		                    "d_multiple and head_dim x kv_group) are too "
		                    "large", g->step);
	g->moe = moe != 0;
	g->layers_min = 1;
	if (!g->moe)
		return 0;
	g->G = granularity > 0 ? granularity : p->granularity;
	if (experts <= 0)
		experts = p->experts;
	if (experts <= 0)
		return mp_error_set(err, "shape: an MoE needs experts (the policy "
		                    "has none)");
	if (p->top_k > experts)
		return mp_error_set(err, "shape: top_k (%d) exceeds experts (%d)",
		                    p->top_k, experts);
	g->experts = times_g(experts, g->G);
	g->top_k = times_g(p->top_k, g->G);
	g->shared = times_g(p->shared_experts, g->G);
	if (g->experts < 1 || g->top_k < 1 || g->shared < 0)
		return mp_error_set(err, "shape: granularity %g does not split %d "
		                    "experts (top %d, %d shared) into whole experts",
		                    g->G, experts, p->top_k, p->shared_experts);
	g->moe_every = p->moe_every;
	g->layers_min = p->moe_every;
	return 0;
}

/* The architecture at d_model = j * step with n_layer layers. */
static void build(const struct shape_search *g, long j, long layers,
                  struct arch *a)
{
	const struct shape_policy *p = g->p;
	long d = j * g->step;
	/* the tiny slack keeps 8/3 * 3072 = 8192 from rounding up to 8193 */
	double f = ceil(p->ffn_mult * (double)d * (1 - 1e-12));
	long f_mult = p->ffn_multiple;
	double d_ff = ceil(f / f_mult) * f_mult;

	memset(a, 0, sizeof *a);
	a->layers = (int)layers;
	a->d_model = (int)d;
	a->head_dim = p->head_dim;
	a->heads = (int)(d / p->head_dim);
	a->kv_heads = a->heads / p->kv_group;
	a->mlp_matrices = p->mlp_matrices;
	a->d_ff = d_ff > SHAPE_DIM_MAX ? SHAPE_DIM_MAX : (int)d_ff;
	a->vocab = p->vocab;
	a->seq = p->seq;
	a->tied = p->tied;
	a->moe_every = 1;
	if (!g->moe)
		return;
	a->experts = g->experts;
	a->top_k = g->top_k;
	a->shared_experts = g->shared;
	a->moe_every = g->moe_every;
	a->d_expert = (int)floor(a->d_ff / g->G + 0.5);
	if (a->d_expert < 1)
		a->d_expert = 1;
}

double shape_count(const struct arch *a, enum law_count c)
{
	struct arch_params p;
	struct arch dense;

	switch (c) {
	case COUNT_DENSE_BASE:
		/* the dense model whose FFN the MoE copies: every layer dense */
		dense = *a;
		dense.experts = dense.top_k = dense.shared_experts = 0;
		arch_count_params(&dense, &p);
		return p.total;
	case COUNT_TOTAL:
	case COUNT_ACTIVE:
	case COUNT_NONEMB_TOTAL:
	case COUNT_NONEMB_ACTIVE:
		arch_count_params(a, &p);
		return c == COUNT_TOTAL ? p.total :
		       c == COUNT_ACTIVE ? p.active :
		       c == COUNT_NONEMB_TOTAL ? p.nonemb_total : p.nonemb_active;
	case COUNT_KINDS:
		break;
	}
	return NAN;
}

static double count_at(const struct shape_search *g, long j, long layers)
{
	struct arch a;

	build(g, j, layers, &a);
	return shape_count(&a, g->count);
}

static long aspect_layers(const struct shape_search *g, long j)
{
	double L = floor((double)(j * g->step) / g->p->aspect + 0.5);

	if (L < g->layers_min)
		L = g->layers_min;
	return L > SHAPE_LAYERS_MAX ? SHAPE_LAYERS_MAX : (long)L;
}

/* Smallest j whose aspect-ratio shape reaches N; -1 if d would exceed
 * SHAPE_DIM_MAX. */
static long find_j0(const struct shape_search *g, double N)
{
	long lo = 0, hi = 1, j_max = SHAPE_DIM_MAX / g->step;

	while (count_at(g, hi, aspect_layers(g, hi)) < N) {
		if (hi >= j_max)
			return -1;
		lo = hi;
		hi = 2 * hi > j_max ? j_max : 2 * hi;
	}
	while (hi - lo > 1) {       /* count(lo) < N <= count(hi) */
		long mid = lo + (hi - lo) / 2;

		if (count_at(g, mid, aspect_layers(g, mid)) < N)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

struct cand {
	long j, layers;
	double err;              /* |ln(count / N)| */
	double asp;              /* |ln(aspect realised / aspect aimed)| */
};

/* Candidates at d = j * step: the layer counts nearest N. */
static size_t cands_at(const struct shape_search *g, long j, double N,
                       struct cand *c)
{
	long lm = g->layers_min, step = g->moe ? g->moe_every : 1;
	double c1 = count_at(g, j, lm);
	/* mean count per layer over one period of the MoE-every-n pattern */
	double slope = (count_at(g, j, lm + step) - c1) / (double)step;
	double L = lm + (slope > 0 ? (N - c1) / slope : 0);
	long l0 = L < lm ? lm : L > SHAPE_LAYERS_MAX ? SHAPE_LAYERS_MAX : (long)L;
	size_t n = 0;

	for (long l = l0 - 1; l <= l0 + 1; l++) {
		double cnt, d = (double)(j * g->step);

		if (l < lm || l > SHAPE_LAYERS_MAX)
			continue;
		cnt = count_at(g, j, l);
		c[n].j = j;
		c[n].layers = l;
		c[n].err = fabs(log(cnt / N));
		c[n].asp = fabs(log(d / (double)l / g->p->aspect));
		n++;
	}
	return n;
}

/* A candidate's misfit: count error beyond SHAPE_TOL in units of
 * SHAPE_ERR_SCALE, and aspect deviation in units of SHAPE_ASP_SCALE,
 * added in quadrature. */
static double misfit(const struct cand *c)
{
	double e = c->err > SHAPE_TOL ? (c->err - SHAPE_TOL) / SHAPE_ERR_SCALE : 0;
	double a = c->asp / SHAPE_ASP_SCALE;

	return e * e + a * a;
}

/* The candidate of least misfit; ties to the nearer count. */
static struct cand pick(const struct cand *c, size_t n)
{
	size_t k = 0;

	for (size_t i = 1; i < n; i++) {
		double mi = misfit(&c[i]), mk = misfit(&c[k]);

		if (mi < mk || (mi == mk && c[i].err < c[k].err))
			k = i;
	}
	return c[k];
}

static int search(const struct shape_search *g, double N, struct arch *out,
                  struct mp_error *err)
{
	struct cand c[SHAPE_MAX_CAND], best;
	double smallest = count_at(g, 1, g->layers_min);
	long j0, j_lo, j_hi;
	size_t n = 0;

	if (N < SHAPE_N_MIN_FACTOR * smallest)
		return mp_error_set(err, "shape: N = %.3g is below the smallest "
		                    "shape of this policy (%.3g, %s)", N, smallest,
		                    law_count_name(g->count));
	if ((j0 = find_j0(g, N)) < 0)
		return mp_error_set(err, "shape: N = %.3g needs d_model above %d",
		                    N, SHAPE_DIM_MAX);
	/* the +-2 lets narrow widths with many layers compete at small N */
	j_lo = (long)floor((double)j0 / SHAPE_WINDOW_RATIO) - 2;
	j_hi = (long)ceil((double)j0 * SHAPE_WINDOW_RATIO) + 2;
	if (j_lo < j0 - SHAPE_WINDOW)
		j_lo = j0 - SHAPE_WINDOW;
	if (j_hi > j0 + SHAPE_WINDOW)
		j_hi = j0 + SHAPE_WINDOW;
	if (j_lo < 1)
		j_lo = 1;
	if (j_hi > SHAPE_DIM_MAX / g->step)
		j_hi = SHAPE_DIM_MAX / g->step;
	for (long j = j_lo; j <= j_hi; j++)
		n += cands_at(g, j, N, c + n);
	best = pick(c, n);
	build(g, best.j, best.layers, out);
	return arch_check(out, err);
}

int shape_realise(const struct shape_policy *p, enum law_count count,
                  double N, int moe, int experts, double granularity,
                  struct arch *out, struct mp_error *err)
{
	struct shape_search g;

	if (shape_policy_check(p, err) != 0)
		return -1;
	if ((int)count < 0 || count >= COUNT_KINDS)
		return mp_error_set(err, "shape: unknown parameter convention %d",
		                    (int)count);
	if (!isfinite(N))
		return mp_error_set(err, "shape: N is not a finite number");
	/* the planner's bound exp(log(1e16)) may land a rounding above it */
	if (!(N > 0 && N <= SHAPE_N_MAX * (1 + 1e-12)))
		return mp_error_set(err, "shape: N = %g is outside (0, %g]", N,
		                    SHAPE_N_MAX);
	if (!(granularity <= 0 || isfinite(granularity)))
		return mp_error_set(err, "shape: granularity %g is not finite",
		                    granularity);
	if (search_init(&g, p, count, moe, experts, granularity, err) != 0)
		return -1;
	/* COUNT_DENSE_BASE: shape_count measures the dense twin (every FFN
	 * d_ff), so the dense model is matched and the MoE layers of the same
	 * shape then carry the experts */
	return search(&g, N, out, err);
}

int shape_upcycle(const struct shape_policy *p, const struct arch *dense,
                  int experts, double granularity, struct arch *out,
                  struct mp_error *err)
{
	struct shape_search g;

	if (shape_policy_check(p, err) != 0)
		return -1;
	if (dense->experts != 0)
		return mp_error_set(err, "shape: an upcycled MoE starts from a dense "
		                    "model, not one with %d experts", dense->experts);
	if (!(granularity <= 0 || isfinite(granularity)))
		return mp_error_set(err, "shape: granularity %g is not finite",
		                    granularity);
	if (search_init(&g, p, COUNT_DENSE_BASE, 1, experts, granularity, err) != 0)
		return -1;
	/* as build() gives a realised shape its experts */
	*out = *dense;
	out->experts = g.experts;
	out->top_k = g.top_k;
	out->shared_experts = g.shared;
	out->moe_every = g.moe_every;
	out->d_expert = (int)floor(dense->d_ff / g.G + 0.5);
	if (out->d_expert < 1)
		out->d_expert = 1;
	return arch_check(out, err);
}
