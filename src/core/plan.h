/*
 * plan.h — the solver: a budget in, the compute-optimal allocation of each
 * training path out; and the frontier of optimal loss over a budget range
 * with the crossovers between paths.
 *
 * Generic over roles (law.h): the budget eliminates the tokens variable
 * (a 1-D root of compute(x) = C), the loss is minimised over the chosen
 * continuous variables in log space (GSL), discrete choices (experts,
 * granularity) are enumerated.  Plans are plain values; plan_frontier_free
 * releases a frontier's points.
 */
#ifndef MP_PLAN_H
#define MP_PLAN_H

#include <stddef.h>

#include "arch.h"
#include "cluster.h"
#include "cost.h"
#include "datacon.h"
#include "error.h"
#include "hparams.h"
#include "law.h"
#include "serve.h"
#include "shape.h"

#define PLAN_MAX_PINS 8
#define PLAN_MAX_WARN 8
#define PLAN_WARN_LEN 256
#define PLAN_WHY_LEN 512

/* Sizes a decade at which a plan on a cluster evaluates the time of a
 * realised architecture, interpolating between them (plan.c,
 * time_terms). */
#define PLAN_SMOOTH_PER_DECADE 2.0

/* Kaplan et al. 2020, eq. 5.1: B_crit(L) = B* / L^(1/alpha_B) tokens. */
#define PLAN_BCRIT_STAR 2e8
#define PLAN_BCRIT_ALPHA 0.21

/* A plan whose wall clock is longer than this (a year) warns. */
#define PLAN_WARN_WALL_SECONDS (365.25 * 86400)

/* What the cluster model said about the architectures a plan tried. */
#define PLAN_CLUSTER_CACHE 128
struct plan_cluster_cache {
	unsigned long clock;
	struct {
		int valid, ok;
		unsigned long used;
		struct arch a;
		struct cluster_run r;
	} e[PLAN_CLUSTER_CACHE];
};

/* Forget what the cache holds (the cluster changed). */
void plan_cluster_cache_reset(struct plan_cluster_cache *c);

struct plan_request {
	double budget;                     /* FLOPs available */
	/* laws to plan with, by path; NULL = path not planned */
	const struct law *laws[PATH_COUNT];
	const struct shape_policy *shape;  /* how to realise architectures */
	/* dense law whose loss at (N1, D1) is where upcycling starts; NULL = none */
	const struct law *baseline;
	/* variables pinned by name (e.g. E=8); applied to every law that has them */
	size_t n_pins;
	char pin_name[PLAN_MAX_PINS][32];
	double pin_value[PLAN_MAX_PINS];
	/*
	 * An existing dense checkpoint (N1, D1): the upcycle path starts from
	 * it, the continue path (laws[PATH_CONTINUE], a dense law) trains it
	 * on, and the plan reports its own loss, L_baseline(N1, D1), as the
	 * baseline no recommended path may fall short of.  The baseline law
	 * is `baseline`, else the continue path's law.
	 */
	int has_checkpoint;
	double ckpt_params;                /* N1 */
	double ckpt_tokens;                /* D1 */
	int ckpt_paid;                     /* 1: its compute counts against the
	                                      budget; 0 (default): sunk */
	/* its concrete architecture (a dense one, --checkpoint-arch): the
	 * continue path trains it and the upcycle path copies its FFN into
	 * experts, instead of what the shape policy realises at N1 */
	int has_ckpt_arch;
	struct arch ckpt_arch;
	/*
	 * Time and money.  With a cost model, every path also reports the
	 * device-seconds of its run on that hardware (tokens x seconds per
	 * token of its realised architecture), device-hours, money and MFU.
	 * With budget_is_time the budget is device-seconds instead of FLOPs
	 * and the solver spends it against that calibrated time, so a plan
	 * in hours may pick other sizes or experts than a plan in FLOPs.
	 */
	const struct cost_model *cost;     /* NULL: FLOPs only */
	int budget_is_time;                /* budget in device-seconds */
	int tokens_per_step;               /* batch for the cost model; 0: 1M */
	double price;                      /* USD per device-hour; NAN unknown */
	/* devices the run is spread over (0 or 1: one); the budget stays in
	 * device-seconds, wall-clock time divides by it */
	int devices;
	/* the cluster they form (core/cluster.h), NULL: the single-device
	 * kernel model at tokens_per_step.  With one, a run's device-seconds
	 * per token are those of the fastest layout of its architecture that
	 * fits in device memory on cluster->devices devices (at the goodput),
	 * an architecture that fits no layout cannot be planned in hours or
	 * money, and each path reports its layout; results are kept in
	 * cluster_cache (a caller's, reset when the cluster changes) */
	const struct cluster_spec *cluster;
	struct plan_cluster_cache *cluster_cache;
	/* 1: every path's chosen variables (and the one the budget sets) stay
	 * inside their law's fit ranges (--within-fit) */
	int within_fit;
	/* flatness of each optimum (plan_path.flat_lo/hi): the relative loss
	 * tolerance; 0: PLAN_FLAT_TOL; negative: not computed (the frontier) */
	double flat_tol;
	/*
	 * Serving demand (serve.h): inference tokens over the model's
	 * lifetime, 0: none.  With a demand the budget pays for training and
	 * serving both: 2 N_active T FLOPs (Sardana et al. 2024), or T tokens'
	 * device-seconds on the cost model, where N_active is the law's size
	 * for a dense law and the realised architecture's active parameters
	 * for a sparse one.
	 */
	struct serve_spec serve;
	/* 1: skip the flatness and within-fit plans (the inner solves of a
	 * target's bisection, plan_target.h; a frontier's points and
	 * crossovers, which record neither) */
	int lean;
	/*
	 * Unique tokens (datacon.h): with unique_tokens > 0 and a ready
	 * datacon, every loss is the law's at the effective parameters and
	 * tokens of Muennighoff et al. 2023 (N', D'), the compute the real N
	 * and D's.  Both phases of upcycling draw on the one corpus: D' is
	 * that of D1 + D2, shared between them in proportion (an assumption),
	 * as is a checkpoint's D1.  A law other than datacon_law (the one
	 * the constants were fitted with, or NULL) carries the transform as an
	 * assumption, and each of its plans says so.
	 */
	double unique_tokens;
	const struct datacon *datacon;
	const struct law *datacon_law;
	/* the batch and learning-rate law each plan's suggestion comes from
	 * (hparams.h), NULL: none */
	const struct hparams *hparams;
};

#define PLAN_FLAT_TOL 1e-3   /* loss within 0.1% of the optimum's */

struct plan_path {
	const struct law *law;             /* NULL if not planned */
	double budget;                     /* what the plan spends (FLOPs, or
	                                      device-seconds in time): the
	                                      request's budget, or with a target
	                                      loss the least that reaches it */
	int solved;                        /* 1 if a plan exists */
	char why[PLAN_WHY_LEN];            /* reason if not solved */
	double x[LAW_MAX_VARS];            /* the law's variables at the optimum */
	double loss;                       /* predicted loss, nats */
	double flops;                      /* compute by the law's rule, whole run */
	double flops_sunk;                 /* part of it paid before (checkpoint) */
	double params;                     /* the law's params variable */
	double tokens;                     /* all tokens trained (D, or D1 + D2) */
	double tokens_dense, tokens_moe;   /* upcycle: D1, D2; else NAN */
	double tokens_new;                 /* continue: D, the tokens the budget
	                                      buys on top of D1; else NAN */
	double baseline_loss;              /* upcycle: loss of the dense start */
	/*
	 * Upcycle from a checkpoint, when the plan's loss is not below the
	 * checkpoint's: the smallest MoE-phase token count D2 at which the law
	 * predicts a loss below it (the other variables as planned), the
	 * budget that buys it (FLOPs; device-hours and USD of the new spend
	 * with a cost model), and whether D2 lies inside its fit range.  NAN
	 * (min_in_fit 0) when not asked, or when no D2 up to PLAN_MAX_COUNT
	 * beats the checkpoint (min_none 1).
	 */
	double min_tokens_moe;
	double min_flops;
	double min_hours, min_usd;
	int min_in_fit, min_none;
	struct arch arch;                  /* realised architecture */
	struct arch_params arch_params;
	struct arch_flops arch_flops;      /* per token */
	double flops_itemised;             /* training FLOPs of the realised
	                                      architecture over all tokens */
	/* Time and money on the request's cost model (NAN if none).  With a
	 * sunk checkpoint the dense phase was paid before: seconds, hours,
	 * usd and wall_seconds are the new spend (what the budget buys), and
	 * the dense phase's device-seconds are seconds_sunk (0 otherwise). */
	double seconds;                    /* device-seconds of the new spend */
	double seconds_sunk;               /* device-seconds paid before */
	double wall_seconds;               /* wall-clock: seconds / devices */
	double hours;                      /* device-hours = seconds / 3600 */
	double hours_sunk;                 /* seconds_sunk / 3600 */
	double usd;                        /* hours x price; NAN if unknown */
	double usd_sunk;                   /* hours_sunk x price */
	double mfu;                        /* of the whole run: flops_itemised /
	                                      ((seconds + seconds_sunk) x peak) */
	/* Serving the request's demand (0 without one; the seconds, hours and
	 * usd NAN without a cost model): its FLOPs and device-seconds, and in
	 * hours and money; the parameters a served token uses */
	double serve_flops, serve_seconds, serve_hours, serve_usd;
	double serve_active;
	/* With unique tokens (NAN otherwise): epochs over them of all the
	 * tokens, and of each phase of upcycling (else NAN); the effective
	 * tokens and parameters the loss was taken at */
	double epochs, epochs_dense, epochs_moe;
	double tokens_effective, params_effective;
	/* With a batch and learning-rate law (NAN otherwise): its compute C
	 * (the realised architecture's non-embedding training FLOPs over
	 * the tokens, as DeepSeek LLM defines it), the suggested global batch
	 * in tokens and peak learning rate, and whether C is outside the
	 * law's fit */
	double hp_compute, hp_batch_tokens, hp_lr;
	int hp_extrapolated;
	/* on a cluster: the layout of the realised architecture (the MoE
	 * phase's for upcycling), its memory and step (has_run 0: none, or it
	 * fits no layout) */
	int has_run;
	struct cluster_run run;
	/*
	 * Extrapolation.  Bit i of extrap_mask: variable i is outside its fit
	 * range; extrapolated: any is.  Bit i of edge_mask: variable i is at
	 * the edge of the solver's search box (PLAN_MIN_COUNT..PLAN_MAX_COUNT,
	 * and no count above the FLOPs it costs), where the optimum may lie
	 * beyond it; at_box_edge: any is.
	 */
	unsigned extrap_mask;
	int extrapolated;
	unsigned edge_mask;
	int at_box_edge;
	/* When the optimum is extrapolated in a variable the solver chooses or
	 * the budget sets: the best plan of the same path inside the fit
	 * ranges (has_within), if one exists (within_solved); pinned
	 * variables (a checkpoint, --fix) stay as given. */
	int has_within, within_solved;
	double within_x[LAW_MAX_VARS];
	double within_loss;
	/*
	 * Flatness: along the budget constraint, the lowest and highest values
	 * of the size variable (role params, index flat_var) whose loss is at
	 * most loss x (1 + flat_tol).  For each size the budget re-derives the
	 * tokens, the other continuous variables the solver chooses (D1 of
	 * upcycling) are re-optimised, and discrete choices (experts) stay at
	 * the optimum's.  Bounded by the search box (flat_lo_edge, _hi_edge:
	 * the range reaches it).  flat_var -1, flat_tol and the bounds NAN when
	 * the size is pinned (a checkpoint, --fix) or flatness was not asked
	 * for.
	 */
	int flat_var;
	double flat_tol;
	double flat_lo, flat_hi;
	int flat_lo_edge, flat_hi_edge;
	size_t n_warn;
	char warn[PLAN_MAX_WARN][PLAN_WARN_LEN];
};

/* The solver's search box for counts (parameters, tokens, experts...). */
#define PLAN_MIN_COUNT 1e3
#define PLAN_MAX_COUNT 1e16

struct plan {
	double budget;
	/* a plan for a target loss (plan_target.h): each path's budget is the
	 * least that reaches target_loss, and best is the cheapest path */
	int is_target;
	double target_loss;
	int budget_is_time;                /* budgets are device-seconds */
	struct plan_path path[PATH_COUNT];
	/* the lowest loss of a solved path, -1 if none; with a checkpoint only
	 * a path whose loss is below the baseline's can be best, and keep is
	 * 1 when paths have plans and none is below it: the answer is to keep
	 * the checkpoint (with no plan at all, keep is 0: nothing is feasible) */
	int best;
	int keep;
	/* the checkpoint, once per plan: has_baseline when the request has a
	 * checkpoint and a baseline law; its N1, D1, L(N1, D1) and the
	 * baseline law's compute at (N1, D1) */
	int has_baseline;
	const struct law *baseline_law;    /* the law that predicts it */
	double baseline_params, baseline_tokens, baseline_loss, baseline_flops;
	int baseline_paid;                 /* its compute counts in the budget */
};

/* 1 if a loss is below the plan's checkpoint (always without one). */
int plan_beats_baseline(const struct plan *p, double loss);

/* The solved path with the lowest loss after p->best (the path a verdict
 * names its margin against), or -1 when there is no best or no other. */
int plan_runner_up(const struct plan *p);

/* The loss of path i inside its law's fit ranges: its plan's when that is
 * not extrapolated (or --within-fit), else its within-fit plan's; NAN if
 * there is none. */
double plan_path_fit_loss(const struct plan_path *pp);
/* The path with the lowest plan_path_fit_loss, or -1. */
int plan_best_within_fit(const struct plan *p);

/*
 * The largest budget the laws can be asked about: the compute (or, with
 * budget_is_time, the device-seconds) of each planned law at the top
 * corner of the search box, every count at PLAN_MAX_COUNT (pins as
 * pinned, discrete choices at their largest); the largest over the paths.
 * A larger budget's token root or size bound would leave the box.
 * INFINITY when no path is planned.
 */
double plan_budget_limit(const struct plan_request *req);

/* Solve every requested path.  Returns 0 if the request is well formed
 * (paths may still be unsolved: see solved/why), -1 with err otherwise. */
int plan_solve(const struct plan_request *req, struct plan *out,
               struct mp_error *err);

/* The pieces of plan_solve, for plan_target.c: the checkpoint's figures
 * and an empty result (0, or -1 with err on a malformed request), one
 * path's plan (0, or -1 with err), and the best path by loss. */
int plan_begin(const struct plan_request *req, struct plan *out,
               struct mp_error *err);
int plan_solve_path(const struct plan_request *req, int path,
                    struct plan_path *pp, struct mp_error *err);
void plan_pick_best(struct plan *out);
/* Marks pp unsolved, with why as printf formats it. */
void plan_unsolved(struct plan_path *pp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* One budget of a frontier. */
#define FRONTIER_VARS_LEN 64

struct frontier_point {
	double budget;
	int solved[PATH_COUNT];
	double loss[PATH_COUNT];
	double params[PATH_COUNT];
	double tokens[PATH_COUNT];
	/* the path's optimum is outside its law's fit ranges, and the names
	 * of the variables that left them ("N,D"; "" if none) */
	int extrap[PATH_COUNT];
	char extrap_vars[PATH_COUNT][FRONTIER_VARS_LEN];
	int best;                          /* -1 if no path solved or beats
	                                      the checkpoint */
	int keep;                          /* 1: the checkpoint is best */
	double baseline;                   /* the checkpoint's loss, NAN if none */
};

/* A budget where the best path changes, refined by bisection in log C. */
struct crossover {
	double budget;
	int from, to;                      /* best path below and above, or
	                                      PLAN_KEEP */
};

/* A crossover's side where keeping the checkpoint is the answer (no
 * planned path beats it there). */
#define PLAN_KEEP (-2)

/* What wins at a frontier point: its best path, PLAN_KEEP, or -1 when no
 * path has a plan there. */
int plan_point_winner(const struct frontier_point *pt);

struct frontier {
	size_t n;
	struct frontier_point *pt;
	size_t n_cross;
	struct crossover *cross;
};

/* Budgets log-spaced from..to inclusive (steps >= 2, or 1 for from only). */
int plan_frontier(const struct plan_request *req, double from, double to,
                  size_t steps, struct frontier *out, struct mp_error *err);
void plan_frontier_free(struct frontier *f);

/*
 * The frontier's pieces, for callers that compute it a step at a time (the
 * TUI between keypresses).  Budget i of steps from..to, log10-spaced with
 * exact endpoints; a point from a plan; and the bisection in log C of a
 * crossover between two neighbouring points whose best paths differ.
 */
double plan_frontier_budget(double from, double to, size_t steps, size_t i);
void plan_frontier_record(struct frontier_point *pt, const struct plan *pl);

struct crossover_search {
	double a, b;        /* bracket, log budget */
	int from;           /* what wins at a */
	int to;             /* what wins at b (the first other winner found) */
	double end;         /* the bracket's far end, log budget */
	int to_end;         /* what wins there */
	double tol;         /* stop when b - a <= tol */
};

/* At most this many crossovers between two neighbouring frontier points
 * (a path can win in a window narrower than the frontier's step). */
#define PLAN_CROSS_PER_STEP (PATH_COUNT + 1)

void plan_crossover_begin(struct crossover_search *cs,
                          const struct frontier_point *lo,
                          const struct frontier_point *hi, double tol);
/* One bisection step (one plan_solve of every path at the bracket's
 * middle): 0 while going on, 1 when done, -1 with err.  It looks for the
 * first budget above a where `from` stops winning; begin takes the
 * points' winners (plan_point_winner), both >= 0 or PLAN_KEEP. */
int plan_crossover_step(const struct plan_request *req,
                        struct crossover_search *cs, struct mp_error *err);
/* After a crossover is found: 1 if what wins at its upper side is not
 * what wins at the bracket's end, so that another crossover lies between
 * them (cs is then set up to find it), else 0. */
int plan_crossover_next(struct crossover_search *cs);
struct crossover plan_crossover_result(const struct crossover_search *cs);

#endif
