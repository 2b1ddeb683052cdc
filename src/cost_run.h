/*
 * cost_run.h — `moeplan cost --arch A --train-tokens D ...`: a whole
 * training run on a cluster, from the options to the report (cost_run.c).
 * The model is core/cluster.h's; this is the command line's side of it.
 */
#ifndef MP_COST_RUN_H
#define MP_COST_RUN_H

#include "core/layout.h"
#include "io/profile.h"
#include "io/report.h"

struct cost_run_args {
	double train_tokens;          /* 0: not a whole run */
	int devices;                  /* 0: 1 */
	int seq;                      /* 0: the architecture's */
	double batch_tokens;          /* 0: CLUSTER_BATCH_TOKENS */
	struct layout pin;            /* --layout; free fields as cluster.h */
	int ep_overlap;               /* --layout a2a=: enum cluster_ep_overlap,
	                                 0 (none) unless given */
	char dtype[16];               /* "": the profile's */
	double price;                 /* NAN: the profile's */
	double mfu;                   /* NAN: the model's */
	double skew;
	int given;                    /* an option of a run was given */
	const char *given_opt;        /* the first of them, for messages */
};

/* A run longer than this is impractical, and says so. */
#define COST_RUN_WARN_SECONDS (365.25 * 86400)

void cost_run_args_init(struct cost_run_args *a);
/* One option (getopt's c: D G S B L T P M) with its argument; 0 or 2. */
int cost_run_option(struct cost_run_args *a, const char *cmd, int c,
                    const char *arg);
/* Plan the run of arch (NAME|FILE) on profile p and write it to sink:
 * an exit status. */
int cost_run(const struct cost_run_args *a, const char *arch,
             const struct hw_profile *p, const struct report_sink *sink);

#endif
