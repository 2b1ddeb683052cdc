/*
 * cost.h — the kernel cost model: predicted seconds for a GEMM, for the
 * memory-bound kernels of an MoE layer, for one MoE layer forward and for
 * one training step of an architecture.
 *
 * Pure arithmetic: no I/O, no BLAS, no allocation.  Parameters come from a
 * hardware profile (src/io/profile.h): fitted by `moeplan calibrate`
 * (src/core/fit.h) or written from a datasheet.
 *
 * GEMM C[m x n] = A[m x k]·B[k x n], F = 2mnk FLOPs (profile version 2):
 *
 *   t(m, n, k) = t0_r + 2 m' n' k / (P_r · s(m'; h_m,r) · s(n'; h_n,r) · s(k; h_k,r))
 *                     + w (mk + kn + mn) / B_r
 *
 *   s(x; h) = x / (x + h),   m' = R_m,r(m),   n' = R_n,r(n)
 *   r = single  if m n k <= X (and X > 0),  r = threaded otherwise
 *
 *   P_r   achievable peak FLOP/s of regime r (the large-GEMM asymptote)
 *   B_r   bandwidth for the operands, bytes/s, of regime r (one core
 *         streams less than all of them); w bytes per element
 *   t0_r  fixed overhead per call, seconds (threaded: waking the threads)
 *   h_*,r half-saturation size of each dimension: the dimension at which
 *         the compute rate is half of P_r for that factor.  1/s(x) = 1 + h/x,
 *         so the h_m term costs 2 h_m n k / P: work proportional to the
 *         B operand (packing it, one pass over it per call), and likewise
 *         h_n for A and h_k for C.  This is the roofline (Williams, Waterman
 *         and Patterson 2009) with compute and memory time added, plus
 *         Amdahl-style per-dimension overheads of the blocked GEMM (Goto and
 *         van de Geijn 2008: packing and edge tiles).
 *   X     the thread threshold: OpenBLAS runs a GEMM on one thread when
 *         m n k <= 65536 x GEMM_MULTITHREAD_THRESHOLD (interface/gemm.c;
 *         262144 by default), so small GEMMs get one core's peak and no
 *         thread wake-up.  0: one regime (every call "threaded").
 *   R     the rows (columns) a dimension costs, its edge included: the
 *         micro-kernel works on blocks of rows (Goto and van de Geijn
 *         2008), and the rows left over at the edge run through narrower
 *         kernels, which cost as much as a full block or more; with two
 *         threads the split of a dimension between them adds its own
 *         pattern (m = 12 takes 1.8x as long as m = 16 on OpenBLAS 0.3.21).
 *         Without an edge table, R(x) = b ceil(x / b): padded to the
 *         register block b_m or b_n (1: no padding).  With an edge table of
 *         period Q for the dimension and regime,
 *
 *           R(x) = Q floor(x / Q) + e(x mod Q),   e(0) = 0, e(Q) = Q,
 *
 *         e linear between whole numbers (an expected token count need
 *         not be one): e(j) is what the last j rows cost, in rows, fitted
 *         per residue j = 1 .. Q - 1.
 *
 * On a GPU (S > 0, the device's streaming multiprocessors) the blocks are
 * the thread-block tiles t_m = b_m, t_n = b_n, and the rows and columns
 * the compute term counts are whole waves of whole tiles (NVIDIA, "Matrix
 * Multiplication Background User's Guide": tile and wave quantization):
 *
 *   m' n' = ceil(ceil(m / t_m) ceil(n / t_n) / S) S t_m t_n
 *
 * in the 2 m' n' k of the compute term, the saturations still taken at
 * the padded m' = R_m(m), n' = R_n(n).  S = 0 (every CPU profile): the
 * equation above, unchanged.
 *
 * and the prediction is multiplied by a residual correction, smooth in
 * the logarithms of the dimensions, separate per regime:
 *
 *   t'(m, n, k) = t(m, n, k) · exp(c_m,r(log2 m) + c_n,r(log2 n) + c_k,r(log2 k))
 *
 *   c_*,r piecewise linear between knots at log2 x = 0, 1/2, 1, ..., 12
 *         (x = 1 to 4096; constant beyond), stored as the values at the
 *         knots; zero everywhere = no correction.  It takes up what the
 *         equation cannot: OpenBLAS's edge kernels and its split of a GEMM
 *         across threads make time non-monotonic in small dimensions
 *         (m = 12 slower than m = 16 on two threads).
 *
 * X is measured (fit.h: where the time of a pair of calls m n k = 2^j and
 * m n (k + 1) jumps) and b_m, b_n chosen among 1..16 by the fit, which
 * fits everything else on relative error, then the edge tables (their
 * period chosen among 8, 16 and 32, kept only if they earn their
 * parameters), the correction last, with penalties on its size and its
 * second differences.  The threaded regime's
 * fields are the struct's top-level ones (with X = 0, blocks 1 and no
 * correction this is the version-1 equation, and a zeroed struct with P
 * and B set is an ideal machine); the single-threaded regime is
 * cost_gemm_params.single.
 *
 * Memory-bound kernel of class c moving b bytes (bytes defined per class by
 * cost_mem_bytes, from the shapes), with the share of the traffic that
 * misses the cache growing as the working set outgrows a cache of C_c
 * bytes:
 *
 *   t = t0_c + b / Bc_c + b (1/Bm_c - 1/Bc_c) · b / (b + C_c)
 *
 *   Bc_c  bandwidth while the data fit in cache, Bm_c from memory (Bm <= Bc)
 *
 * A training step counts each forward GEMM (m, n, k) and its two backward
 * GEMMs: the input gradient (m, k, n) and the weight gradient (k, n, m);
 * memory-bound kernels cost twice their forward time backward.
 */
#ifndef MP_COST_H
#define MP_COST_H

#include <stddef.h>

#include "arch.h"

/* Kernel classes the microbenchmark samples and the model predicts. */
enum cost_kernel {
	COST_GEMM = 0,        /* dims: m, n, k */
	COST_SOFTMAX_TOPK,    /* dims: T tokens, E experts, top_k */
	COST_DISPATCH,        /* dims: T, top_k, d: gather rows per expert */
	COST_COMBINE,         /* dims: T, top_k, d: weighted scatter-add */
	COST_SWIGLU,          /* dims: rows, f, matrices (3: silu(g)*u; 2: gelu) */
	COST_STREAM,          /* dims: n elements: a = b + s c (STREAM triad) */
	COST_KERNELS
};
#define COST_MEM_KERNELS (COST_KERNELS - 1)   /* classes after COST_GEMM */

/* The longest period of an edge table. */
#define COST_EDGE_MAX 32
/* An edge's j rows cost at most this many periods of rows: more is not an
 * edge kernel but noise, and neither the fit keeps nor a profile holds it. */
#define COST_EDGE_MAX_PERIODS 4
/* Edge tables of one regime: e(j) of m and of n, j = 0 .. period - 1
 * (e(0) = 0), each in (0, COST_EDGE_MAX_PERIODS x period]; period 0: no
 * tables, padding to the register blocks. */
struct cost_gemm_edge {
	int period;
	double m[COST_EDGE_MAX];
	double n[COST_EDGE_MAX];
};
/* Knots of the residual correction: log2 x = 0, 1/2, ..., 12. */
#define COST_CORR_KNOTS 25
#define COST_CORR_STEP 0.5
/* The residual correction of one regime: c_m, c_n, c_k at the knots. */
struct cost_gemm_corr {
	double c[3][COST_CORR_KNOTS];
};

/* One thread regime of the GEMM model: P_r, B_r, t0_r, h_m,r, h_n,r, h_k,r. */
struct cost_gemm_regime {
	double peak_flops;    /* P_r, FLOP/s */
	double bandwidth;     /* B_r, bytes/s */
	double overhead;      /* t0_r, s */
	double sat_m, sat_n, sat_k;
	struct cost_gemm_edge edge;
	struct cost_gemm_corr corr;
};

struct cost_gemm_params {
	/* the threaded regime (every call when thread_threshold is 0) */
	double peak_flops;    /* P, FLOP/s */
	double bandwidth;     /* B, bytes/s */
	double overhead;      /* t0, s */
	double sat_m, sat_n, sat_k;   /* h_m, h_n, h_k */
	double thread_threshold;      /* X: m n k <= X is single-threaded; 0 none */
	struct cost_gemm_regime single;   /* used when m n k <= X */
	double block_m, block_n;      /* b_m, b_n; <= 1: no padding */
	double sms;                   /* S: a GPU's SMs, the wave term on
	                                 (b_m, b_n the tile); 0: none */
	struct cost_gemm_edge edge;   /* of the threaded regime */
	struct cost_gemm_corr corr;   /* of the threaded regime */
};

struct cost_mem_params {
	double overhead;      /* t0_c, s */
	double bandwidth;     /* Bc_c, bytes/s, in cache */
	double bandwidth_mem; /* Bm_c, bytes/s, from memory */
	double cache_bytes;   /* C_c, bytes */
};

struct cost_model {
	double elem_bytes;    /* w: 4 for fp32, 2 for bf16 */
	double mfu_peak;      /* the FLOP/s MFU is measured against */
	struct cost_gemm_params gemm;
	struct cost_mem_params mem[COST_MEM_KERNELS]; /* index kernel - 1 */
	double attn_efficiency;  /* a fused causal attention kernel's measured
	                            share of mfu_peak, forward and backward
	                            (profile key model.attention.efficiency);
	                            0: not measured, the cluster model's
	                            assumption (core/cluster.h) */
};

/* One measurement (or prediction) of one kernel. */
struct cost_sample {
	enum cost_kernel kernel;
	char tag[16];         /* what the shape stands for: router, up, dx, ... */
	double dims[3];
	double seconds;       /* median of the repeats */
	double spread;        /* (max - min) / median of the repeats */
	double residual;      /* predicted / measured - 1 after the fit */
};

/* "gemm", "softmax_topk", ...; NULL for an invalid kernel. */
const char *cost_kernel_name(enum cost_kernel k);
/* Inverse of cost_kernel_name; -1 if unknown. */
int cost_kernel_from_name(const char *name);

/* The regime of GEMM (m, n, k): 1 if it runs single-threaded (m n k <= X). */
int cost_gemm_is_single(const struct cost_gemm_params *g, double m, double n,
                        double k);
/* The SM-tile slots of the waves of GEMM m x n on S = g->sms SMs:
 * ceil(ceil(m/b_m) ceil(n/b_n) / S) S b_m b_n (cost.h); m n padded to the
 * blocks if S <= 0. */
double cost_gemm_wave_area(const struct cost_gemm_params *g, double m,
                           double n);
/* x padded to a multiple of block b (b <= 1: x itself). */
double cost_gemm_pad(double x, double b);
/* R(x): the rows dimension x costs, by the edge table e (its m or n
 * column, of period q) if q > 1, else padded to block b.  If w is not
 * NULL, the weights of e(j) and e(j + 1) in R(x) go to w[0], w[1] and j
 * to *j (j = 0, w all 0 without a table). */
double cost_gemm_rows(double x, double b, const double *e, int q, int *j,
                      double *w);
/* The knots of the correction around x: *i and the weight w of knot i + 1
 * (knot i gets 1 - w). */
void cost_corr_locate(double x, int *i, double *w);
/* c_m(log2 m) + c_n(log2 n) + c_k(log2 k) of correction c. */
double cost_corr_log(const struct cost_gemm_corr *c, double m, double n,
                     double k);

/* The model's equation for a GEMM (see above). */
double cost_gemm_seconds(const struct cost_model *cm, double m, double n,
                         double k);
/* Bytes a memory-bound kernel moves, by class (cost.c names the sums). */
double cost_mem_bytes(const struct cost_model *cm, enum cost_kernel kernel,
                      const double dims[3]);
/* t0_c + bytes / B_c. */
double cost_mem_seconds(const struct cost_model *cm, enum cost_kernel kernel,
                        const double dims[3]);
/* Any kernel: GEMM or memory-bound; 0 for an empty shape. */
double cost_sample_seconds(const struct cost_model *cm,
                           const struct cost_sample *s);
/* FLOPs of a sample (2mnk for a GEMM, 0 otherwise). */
double cost_sample_flops(const struct cost_sample *s);

/* An itemised prediction. */
#define COST_ITEMS_MAX 16
struct cost_item {
	const char *name;     /* static string */
	double flops;         /* FLOPs of the item (forward + backward) */
	double seconds;       /* forward + backward */
	double fwd_seconds;   /* forward only */
};
struct cost_breakdown {
	int n;
	struct cost_item item[COST_ITEMS_MAX];
	double tokens;        /* tokens the totals are for */
	double flops;         /* sum over items */
	double seconds;       /* sum over items */
};

/* One MoE layer forward on T tokens. */
struct cost_moe_layer {
	double tokens;        /* T */
	int d_model;          /* d */
	int d_ff;             /* f: hidden size of one expert */
	int experts;          /* E */
	int top_k;            /* k */
	int mlp_matrices;     /* 3 for SwiGLU (gate, up, down), 2 otherwise */
};

/*
 * Tokens per expert for T tokens, E experts, top_k: expected counts under
 * Zipf routing, c_e ∝ (e + 1)^-skew (skew = 0 is balanced, c_e = T k / E),
 * each capped at T (a token visits an expert at most once) with the excess
 * handed to the others.  counts must hold E values; they sum to T k.
 */
void cost_routing_counts(double tokens, int experts, int top_k, double skew,
                         double *counts);

/*
 * One MoE layer forward, itemised: router, softmax_topk, dispatch,
 * experts (their GEMMs), activation, combine.  counts: tokens per expert
 * (E values, summing to T k).  Returns the seconds; bd may be NULL.
 */
double cost_moe_layer_seconds(const struct cost_model *cm,
                              const struct cost_moe_layer *L,
                              const double *counts,
                              struct cost_breakdown *bd);

/*
 * One training step (forward and backward) of arch a on tokens_per_step
 * tokens (sequences of a->seq), routing skewed by skew (0 = balanced);
 * bd (may be NULL) gets per-step items.  Returns seconds per step.
 * a must have passed arch_check.  Costs O(layers kinds), not O(layers):
 * cheap enough for a solver's inner loop.
 */
double cost_step_seconds(const struct cost_model *cm, const struct arch *a,
                         double tokens_per_step, double skew,
                         struct cost_breakdown *bd);

/*
 * What one device computes of a training step under a parallel layout
 * (core/layout.h): heads, FFN width, expert width and the vocabulary split
 * tp ways; the experts ep ways (E / ep on the device, fed by the tokens of
 * ep ranks); the layers of its pipeline stage; the logits only on the
 * last stage; the attention core unfused (per-head GEMMs and a softmax)
 * or fused (one kernel at attn_efficiency of mfu_peak).
 */
struct cost_shard {
	int tp, ep;
	double dense_layers, moe_layers;   /* on the device */
	int logits;                        /* 1: the output layer is here */
	int fused_attention;
	double attn_efficiency;            /* fused kernel's share of mfu_peak */
};

/* The whole model on one device, unfused: what cost_step_seconds costs. */
void cost_shard_whole(const struct arch *a, struct cost_shard *sh);
/* One device's forward and backward of sh on `tokens` tokens (sequences
 * of a->seq; all tp ranks of a group see the same tokens), routing skewed
 * by skew; itemised into bd (may be NULL). */
double cost_shard_step_seconds(const struct cost_model *cm,
                               const struct arch *a,
                               const struct cost_shard *sh, double tokens,
                               double skew, struct cost_breakdown *bd);

/* Seconds per token of a training step with balanced routing
 * (cost_step_seconds / tokens_per_step); bd gets per-step items. */
double cost_seconds_per_token(const struct cost_model *cm,
                              const struct arch *a, int tokens_per_step,
                              struct cost_breakdown *bd);

#endif
