/*
 * report.h — report sinks: a plan or a frontier written to a stream as a
 * table, CSV, JSON or YAML.  One interface, one file per format
 * (report_table.c, report_csv.c, report_json.c, report_yaml.c).
 *
 * The sinks print what the planner computed and nothing else: a plan
 * (plan.h) or a frontier, plus a struct report_info with what the caller
 * knows about the request (model, law names, the unit the budget was given
 * in, hardware, top-level warnings).  Time and money are the plan's own
 * (struct plan_path: wall_seconds, hours, usd, mfu; NAN when unknown).  Nothing here
 * allocates or keeps pointers after a call returns.
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
 * Plan JSON, sketched (keys in this order; optional keys noted):
 *   { "model", "budget" (FLOPs), "budget_unit", "budget_value" (in that
 *     unit), "hardware" (optional), "devices" (optional),
 *     "paths": { NAME: { "law", "solved", "why" (unsolved only), "loss",
 *       "baseline_loss" (upcycle), "variables": { VAR: value, ... },
 *       "params", "params_count", "tokens", "tokens_dense", "tokens_moe"
 *       (upcycle), "flops", "flops_sunk", "flops_itemised",
 *       "seconds", "hours", "usd" (when known),
 *       "arch": { layers, d_model, heads, kv_heads, head_dim, d_ff,
 *                 mlp_matrices, vocab, seq, experts, top_k, d_expert,
 *                 shared_experts, moe_every } or null,
 *       "arch_params": { total, active, nonemb_total, nonemb_active,
 *                        embedding, attention, mlp, router,
 *                        experts_total, experts_active, shared },
 *       "flops_per_token": { attn_qkv, ..., forward, training },
 *       "warnings": [ ... ] } },
 *     (an unsolved path has law, solved, why, loss/params/tokens/flops as
 *     null, and warnings)
 *     "best", "margin": { "runner_up", "loss_delta", "loss_delta_rel" }
 *     or null, "warnings": [ ... ] }
 *
 * Frontier JSON: { "model", "budget_unit", "laws": { PATH: law },
 *   "points": [ { "budget", "best", "paths": { PATH: { "solved", "loss",
 *   "params", "tokens" } } } ], "crossovers": [ { "budget", "from", "to" } ],
 *   "warnings": [ ... ] }
 * Frontier CSV: budget,dense_loss,moe_loss,upcycle_loss,best,dense_params,
 *   moe_params,upcycle_params,dense_tokens,moe_tokens,upcycle_tokens
 */
#ifndef MP_REPORT_H
#define MP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "core/law.h"
#include "core/plan.h"
#include "core/units.h"

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
	/* warnings about the whole request */
	size_t n_warn;
	const char *const *warn;
};

/* Everything unknown: NULL names, NAN numbers, UNIT_FLOPS, no warnings. */
void report_info_init(struct report_info *info);

struct report_sink {
	const char *name;     /* "table", "csv", "json", "yaml" */
	/* 0, or -1 if the stream has an error (errno as stdio left it) */
	int (*plan)(FILE *f, const struct plan *p, const struct report_info *info);
	int (*frontier)(FILE *f, const struct frontier *fr,
	                const struct report_info *info);
};

/* The sink for a format name, or NULL. */
const struct report_sink *report_sink_find(const char *format);
/* "table, csv, json, yaml": for messages. */
const char *report_formats(void);

#endif
