/*
 * plan_unc.h — plans with uncertainty for the command line (--uncertainty
 * [DRAWS], --seed, --jobs; plan's --shard i/n and --from-draws FILE): the
 * draws of a session's request (core/uncertainty.h) on --jobs processes
 * (unc_jobs.h), a shard's draws written as CSV, or the draws of shards read
 * back (io/draws_csv.h), summarised into the bands a report prints.
 *
 * Shard i of n is draws floor(i D / n) .. floor((i + 1) D / n) - 1 of the
 * D draws of --uncertainty D, each seeded by (seed, draw) alone: the
 * files of shards 0 .. n - 1, read together by --from-draws, summarise to
 * the bands of one run of D draws, bit for bit.  Errors are printed here;
 * the functions return exit statuses.
 */
#ifndef MP_PLAN_UNC_H
#define MP_PLAN_UNC_H

#include <stddef.h>

#include "core/plan.h"
#include "core/uncertainty.h"
#include "io/report.h"
#include "io/session.h"
#include "plan_opts.h"

struct plan_unc {
	struct unc *u;                 /* the draws' state (heap), NULL: none */
	struct unc_bands *bands;       /* n of them; NULL: no law drawn */
	size_t n;
};

/* Usage checks of the options: the seed, jobs, shards and draws files
 * need --uncertainty (or --from-draws), a shard no draws files, and so on.
 * 0, or 2 with the error printed. */
int plan_unc_check(const struct plan_opts *o, const char *cmd);

/* The bands of s's plan at its request's budget: drawn, or read from the
 * --from-draws files.  0 (pu->bands NULL when no law has a covariance),
 * or an exit status with the error printed. */
int plan_unc_plan(const struct plan_opts *o, const struct session *s,
                  struct plan_unc *pu);
/* plan --shard i/n: the shard's draws as CSV on stdout.  An exit status. */
int plan_unc_shard(const struct plan_opts *o, const struct session *s);
/* The bands at each point of frontier f (pu->n = f->n). */
int plan_unc_frontier(const struct plan_opts *o, const struct session *s,
                      const struct frontier *f, struct plan_unc *pu);

/* Point info's uncertainty at pu's bands and name the laws kept at their
 * point values. */
void plan_unc_info(const struct plan_unc *pu, struct report_info *info);
void plan_unc_free(struct plan_unc *pu);

#endif
