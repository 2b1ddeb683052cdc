/*
 * report.h — report sinks: every result moeplan prints, written to a
 * stream in one of its formats (table, csv, json, yaml, svg).  One
 * interface for every command, in the manner of ncdu's dir_output: a sink
 * is one struct per format with one function per kind of result (a plan, a
 * frontier, an architecture, a cost breakdown, a law evaluation, a law
 * listing), NULL where the format does not fit that kind.  The table of
 * sinks (report.c) is the one place that says which command offers which
 * format: --format checks, messages, --help and `--format help` all read
 * it through report_sink_for and report_formats_for.
 *
 * The sinks print what was computed and nothing else: the result, plus for
 * a plan or a frontier a struct report_info with what the caller knows
 * about the request (model, law names, the unit the budget was given in,
 * hardware, top-level warnings).  Time and money are the plan's own
 * (struct plan_path: wall_seconds, hours, usd, mfu; NAN when unknown).
 * Nothing here allocates or keeps pointers after a call returns.
 *
 * Contract of the machine-readable formats (DESIGN.md): stable snake_case
 * keys, raw SI numbers (params, tokens, flops, seconds, hours, usd, loss in
 * nats), one object per planned path under "paths" keyed by path name
 * ("dense", "moe", "upcycle"), "best" naming the winning path (null if
 * none), warnings under "warnings": per path, and a top-level list holding
 * the caller's warnings followed by every path's, prefixed "PATH: ".  YAML
 * has the same structure as JSON.  CSV has one header row and raw numbers;
 * an empty cell is a value that does not exist (an unsolved path, the
 * dense-phase tokens of a dense path).  Non-finite numbers are never printed: they
 * become null (JSON, YAML), an empty cell (CSV) or "-" (table); one
 * reaching a sink is a bug upstream.
 *
 * Plan CSV: the CSV fields of report_fields.h in its order: budget, path,
 *   law, solved, best, loss, ..., flops_sunk, seconds, hours, hours_sunk,
 *   usd, usd_sunk, mfu,
 *   layers, ..., active_params, flops_itemised, why, warnings.
 *
 * Plan JSON, sketched (keys in this order; optional keys noted):
 *   { "model", "budget" (FLOPs), "budget_unit", "budget_value" (in that
 *     unit), "hardware" (optional), "devices" (optional),
 *     "paths": { NAME: { "law", "solved", "loss",
 *       "baseline_loss" (upcycle), "variables": { VAR: value, ... },
 *       "params", "params_count", "tokens", "tokens_dense", "tokens_moe"
 *       (upcycle), "flops", "flops_sunk",
 *       "seconds", "hours", "hours_sunk", "usd", "usd_sunk", "mfu" (when
 *       known; seconds, hours and usd are the new spend, a sunk
 *       checkpoint's dense phase is hours_sunk and usd_sunk, MFU is of the
 *       whole run), "flops_itemised",
 *       "arch": { layers, d_model, heads, kv_heads, head_dim, d_ff,
 *                 mlp_matrices, vocab, seq, experts, top_k, d_expert,
 *                 shared_experts, moe_every } or null,
 *       "arch_params": { total, active, nonemb_total, nonemb_active,
 *                        embedding, attention, mlp, router,
 *                        experts_total, experts_active, shared },
 *       "flops_per_token": { attn_qkv, ..., forward, training },
 *       "warnings": [ ... ] } },
 *     (an unsolved path has law, solved, loss/params/tokens/flops as
 *     null, why, and warnings; the keys of a path and their order are the
 *     JSON fields of report_fields.h)
 *     "best", "margin": { "runner_up", "loss_delta", "loss_delta_rel" }
 *     or null, "warnings": [ ... ] }
 *
 * Frontier JSON: { "model", "budget_unit", "laws": { PATH: law },
 *   "points": [ { "budget", "best", "paths": { PATH: { "solved", "loss",
 *   "params", "tokens" } } } ], "crossovers": [ { "budget", "from", "to" } ],
 *   "warnings": [ ... ] }
 * Frontier CSV: budget,dense_loss,moe_loss,upcycle_loss,best,dense_params,
 *   moe_params,upcycle_params,dense_tokens,moe_tokens,upcycle_tokens
 *
 * Architecture (flops) JSON: { "arch": {...}, "params": {...},
 *   "flops_per_token": {...} } (emit_arch.h); CSV: one row, the arch keys,
 *   then params_KEY, then flops_KEY.
 * Cost JSON: { "hardware": { name, calibrated, label, dtype, mfu_peak },
 *   "what", "tokens", "items": [ { name, flops, seconds, forward_seconds,
 *   flops_per_second, mfu } ], "total": {...}, "seconds_per_token" };
 *   CSV: one row per item, then "total".
 * Eval JSON: { "model", "law", "variables": { VAR: value }, "loss",
 *   "flops", "derived": { NAME: value } }; CSV: one row, model,law, the
 *   variables, loss, flops, the derived quantities.
 * Comparison (plan --laws A,B,...): the same request planned under each
 *   law set.  JSON: { "budget", "budget_unit", "budget_value", "hardware"
 *   and "devices" (optional), "law_sets": [ { "laws" (the set as given),
 *   "model", "provenance", then the plan's keys from "paths" to
 *   "warnings" } ], "losses_comparable": false, "note" }.  CSV: "laws",
 *   then the plan CSV's columns; one row per law set and planned path.
 * Laws JSON: { "models": [ { name, title, source, provenance, laws: [...],
 *   fitted } ] }; CSV: name,laws (";"-separated),source,fitted.
 */
#ifndef MP_REPORT_H
#define MP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/arch.h"
#include "core/cost.h"
#include "core/law.h"
#include "core/model.h"
#include "core/plan.h"
#include "core/plan_demand.h"
#include "core/plan_target.h"
#include "core/uncertainty.h"
#include "core/units.h"

struct hw_profile;

#define REPORT_MAX_VARIANTS (MODEL_MAX_VARIANTS + 1)

/* A plan's verdict under another reading of its law set (model.h's
 * variants): the same request, its laws read that way. */
struct report_variant {
	const char *name;                 /* the reading */
	int best;                         /* its best path, -1: none */
	double loss;                      /* that path's loss; NAN: none */
	int extrapolated;                 /* that path's optimum is */
	int runner_up;                    /* the next path, -1: none */
	double margin;                    /* runner-up's loss - best's, nats */
};

struct report_info {
	const char *model;                /* model file name, NULL if unknown */
	/* law per path as shown ("liew2025/upcycled"); NULL: taken from the
	 * plan (law->model/law->name); for a frontier, a non-NULL entry also
	 * says the path was planned */
	const char *law[PATH_COUNT];
	enum budget_unit unit;            /* unit the budget was given in */
	double budget_value;              /* the budget in that unit; NAN if
	                                     the budget was given in FLOPs */
	double price;                     /* USD per device-hour, NAN if none */
	const char *hardware;             /* profile name, or NULL */
	int devices;                      /* device count, 0 if not given */
	/* the law set's provenance (model.h), NULL if unknown: its citation,
	 * "paper", "extract" or "derived", and the caveats it declares */
	const char *source, *provenance, *note;
	/* warnings about the whole request */
	size_t n_warn;
	const char *const *warn;
	/* the reading of the law set planned with (model.h), NULL when the
	 * set has no variants; the plan's verdict under each other reading
	 * that changes a planned law (its best differs: the verdict flips) */
	const char *variant;
	size_t n_variants;
	const struct report_variant *variants;
	/* plans with uncertainty (core/uncertainty.h; report_bands.c), when
	 * asked (unc): the bands of the plan, or one per frontier point
	 * (n_bands, in the points' order), NULL when no law has a
	 * covariance; and the laws the draws keep at their point values */
	int unc;
	const struct unc_bands *bands;
	size_t n_bands;
	size_t n_unc_point;
	const struct law *unc_point[UNC_MAX_LAWS];
	/* with a serving demand: how the verdict moves with it
	 * (core/plan_demand.h), NULL when not swept */
	const struct plan_demand *demand;
	/* the batch and learning-rate law the plans suggest from (its
	 * citation and what its compute means), NULL: none */
	const char *hparams_source, *hparams_compute;
	/* repeated data: the unique tokens (0: none) and the citation of the
	 * transform that prices them */
	double unique_tokens;
	const char *datacon_source;
};

/* Everything unknown: NULL names, NAN numbers, UNIT_FLOPS, no warnings. */
void report_info_init(struct report_info *info);

/* The kinds of result, one per function of a sink. */
enum report_kind {
	REPORT_PLAN, REPORT_FRONTIER, REPORT_ARCH, REPORT_COST, REPORT_EVAL,
	REPORT_LAWS, REPORT_FILES, REPORT_COMPARE, REPORT_RUN, REPORT_TARGETS,
	REPORT_KINDS
};

/* `moeplan flops`: one architecture, counted. */
struct report_arch {
	const struct arch *arch;
	const struct arch_params *params;
	const struct arch_flops *flops;   /* per token */
};

/* `moeplan cost`: predicted seconds per kernel on a hardware profile. */
struct report_cost {
	const struct hw_profile *hw;
	const char *what;                 /* "gemm 64x64x64", ... */
	const struct cost_breakdown *bd;
	int train;                        /* a training step: forward seconds too */
};

/* `moeplan cost --train-tokens`: a whole run on a cluster (core/cluster.h):
 * its layout, memory per device, step, speed, wall clock, device-hours
 * and money. */
struct cluster_run;                   /* core/cluster.h */

struct report_run {
	const struct hw_profile *hw;
	const char *arch_name;            /* as given to --arch */
	const struct arch *arch;
	const struct arch_params *params;
	const struct cluster_run *run;
	const char *dtype;                /* the run's */
	double tokens;                    /* trained on */
	int devices;
	double price;                     /* USD per device-hour; NAN: none */
	double mfu_given;                 /* --mfu; NAN: the model's */
	double goodput;                   /* the share of wall clock that trains */
	double skew;                      /* routing skew asked for */
	/* the results: wall clock (with the goodput), device-hours, USD (NAN
	 * without a price) and the MFU they rest on */
	double wall_seconds, device_hours, usd, mfu;
	size_t n_warn;
	const char *const *warn;
};

/* `moeplan eval`: one law at one point. */
struct report_eval {
	const struct law *law;
	const double *x;                  /* law->n_vars values */
	double loss, flops;
	const double *derived;            /* law->n_derived values */
};

/* `moeplan laws list`: the model files found. */
struct report_laws {
	size_t n;
	const struct model *const *models;
};

/* A model's data_constrained: block as `laws show` text (a blank line,
 * a heading, one line per key); nothing when it has none.  0, or -1 on a
 * write error.  (report_laws.c) */
int report_laws_datacon_text(FILE *f, const struct model *m);

/* `moeplan list KIND`: the data files installed, by name, where the
 * name-or-file resolver (resolve.h) finds them. */
struct report_files {
	const char *kind;     /* "model", "hardware", "arch" */
	size_t n;
	const char *const *name;
	const char *const *path;
};

/* `moeplan plan --laws A,B,...`: one request (budget, paths, hardware)
 * planned under each of n law sets, in the order given.  Losses of
 * different sets are not comparable (each paper's data and tokenizer):
 * every format says so (REPORT_COMPARE_NOTE). */
#define REPORT_MAX_LAW_SETS 8
struct report_compare {
	size_t n;
	const char *const *laws;          /* each set as given ("chinchilla") */
	const struct plan *const *plans;
	const struct report_info *infos;  /* each set's */
};
#define REPORT_COMPARE_NOTE \
	"losses from different law sets are not comparable: each set predicts " \
	"the loss on its own paper's data, in its own tokenizer's nats; " \
	"compare the allocations across sets, and the losses of paths within " \
	"one set"

/* `moeplan frontier --target-from L1 --target-to L2`: each path's least
 * cost to each target loss (core/plan_target.h). */
struct report_targets {
	const struct target_frontier *tf;
	const struct report_info *info;
};

struct report_sink {
	const char *name;     /* "table", "csv", "json", "yaml", "svg" */
	/* each: 0, or -1 if the stream has an error (errno as stdio left it);
	 * NULL where this format does not make sense for the kind */
	int (*plan)(FILE *f, const struct plan *p, const struct report_info *info);
	int (*frontier)(FILE *f, const struct frontier *fr,
	                const struct report_info *info);
	int (*arch)(FILE *f, const struct report_arch *r);
	int (*cost)(FILE *f, const struct report_cost *r);
	int (*eval)(FILE *f, const struct report_eval *r);
	int (*laws)(FILE *f, const struct report_laws *r);
	int (*files)(FILE *f, const struct report_files *r);
	int (*compare)(FILE *f, const struct report_compare *r);
	int (*run)(FILE *f, const struct report_run *r);
	int (*targets)(FILE *f, const struct report_targets *r);
};

/* The sink for a format name whatever it offers, or NULL. */
const struct report_sink *report_sink_find(const char *format);
/* 1 if sink s has an entry for kind k. */
int report_sink_offers(const struct report_sink *s, enum report_kind k);
/* The sink for a format name if it offers kind k, else NULL. */
const struct report_sink *report_sink_for(enum report_kind k,
                                          const char *format);
/* The i-th format offered for kind k, in the table's order; NULL past the
 * last. */
const char *report_format_at(enum report_kind k, size_t i);
/* The formats offered for kind k, for messages and help: "table, json,
 * yaml" (sep ", ", last "") or "table, json or yaml" (last " or "). */
const char *report_formats_for(enum report_kind k, const char *last,
                               char *buf, size_t n);

/* What a law set's provenance ("paper", "extract", "derived": model.h)
 * means for its coefficients, in words for every front end. */
const char *report_provenance_text(const char *p);

#endif
