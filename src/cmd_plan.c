/*
 * cmd_plan.c — `moeplan plan`: the compute-optimal allocation of each path
 * for one budget, written by a report sink.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/plan_demand.h"
#include "core/plan_target.h"
#include "io/report.h"
#include "plan_opts.h"
#include "plan_unc.h"

enum { OPT_SHARD = 0x201, OPT_FROM_DRAWS, OPT_TARGET };

/* What plan's own options set. */
struct plan_args {
	const char *budget;
	const char *target;        /* --target-loss, or NULL */
	struct plan_opts *o;
};

static const char help_text[] =
	"usage: moeplan plan --budget X [OPTIONS]\n"
	"       moeplan plan --target-loss L [OPTIONS]\n"
	"The compute-optimal model size, tokens and experts of each training path\n"
	"(dense, MoE from scratch, upcycled MoE) for a budget, and which path wins;\n"
	"or the cheapest way to a target loss.\n\n"
	"  --budget X              the budget, e.g. 1e22 or '3.2e21 flops'\n"
	"  --target-loss L         instead of a budget: per path the least budget\n"
	"                          (in --unit) whose plan reaches loss L (nats)\n"
	PLAN_OPTS_HELP
	"  --shard I/N             with --uncertainty DRAWS: draw only shard I of N\n"
	"                          (0 <= I < N) and write its raw draws as CSV\n"
	"  --from-draws FILE       summarise the draws of shards instead of drawing\n"
	"                          (repeatable: one FILE a shard)\n"
	"  -h, --help              this help\n";

/* --shard I/N: 0 <= I < N. */
static int parse_shard(struct plan_opts *o, const char *arg)
{
	int i, n, len = 0;

	if (sscanf(arg, "%d/%d%n", &i, &n, &len) != 2 || arg[len] != '\0' ||
	    arg[0] < '0' || arg[0] > '9')
		return cli_usage("plan", "--shard: expected I/N (shard I of N, "
		                 "from 0), got '%s'", arg);
	if (n < 1 || n > 1000000 || i < 0 || i >= n)
		return cli_usage("plan", "--shard: '%s': need 0 <= I < N <= "
		                 "1000000", arg);
	o->shard = i;
	o->n_shards = n;
	return 0;
}

static int take_own(void *ctx, int opt, const char *arg)
{
	struct plan_args *a = ctx;

	switch (opt) {
	case 'b':
		a->budget = arg;
		return 0;
	case OPT_TARGET:
		a->target = arg;
		return 0;
	case OPT_SHARD:
		return parse_shard(a->o, arg);
	case OPT_FROM_DRAWS:
		if (a->o->n_from == PLAN_OPTS_MAX_FROM)
			return cli_usage("plan", "--from-draws: at most %d files",
			                 PLAN_OPTS_MAX_FROM);
		a->o->from[a->o->n_from++] = arg;
		return 0;
	default:
		return cli_usage("plan", "unknown option");
	}
}

/* With --uncertainty or --from-draws: the bands into info (pu keeps
 * them).  An exit status. */
static int plan_bands(const struct plan_opts *o, struct session *s,
                      struct plan_unc *pu, struct report_info *info)
{
	int rc;

	memset(pu, 0, sizeof *pu);
	if (o->spec.unc_draws == 0 && o->n_from == 0)
		return 0;
	if ((rc = plan_unc_plan(o, s, pu)) != 0)
		return rc;
	plan_unc_info(pu, info);
	return 0;
}

/* Plan pl of session s by sink, with its variants and, when asked, its
 * bands. */
static int report(const struct plan_opts *o, struct session *s,
                  const struct report_sink *sink, const struct plan *pl,
                  double budget)
{
	struct report_info info;
	struct report_variant var[REPORT_MAX_VARIANTS];
	struct plan_demand demand;
	struct plan_unc pu;
	struct mp_error e;
	int rc;

	session_report_info(s, budget, &info);
	mp_error_clear(&e);
	/* how the verdict moves with the serving demand */
	if (s->req.serve.tokens > 0) {
		if (plan_demand_sweep(&s->req, pl->is_target ? pl->target_loss : NAN,
		                      &demand, &e) != 0)
			return cli_fail(&e);
		info.demand = &demand;
	}
	/* the variants' verdicts are by loss at one budget: not a target's */
	if (!pl->is_target && session_variants(s, var, &info.n_variants, &e) != 0)
		return cli_fail(&e);
	info.variants = var;
	if ((rc = plan_bands(o, s, &pu, &info)) != 0) {
		plan_unc_free(&pu);
		return rc;
	}
	errno = 0;
	if (sink->plan(stdout, pl, &info) != 0 || fflush(stdout) != 0)
		rc = cli_failf("cannot write the report: %s",
		               errno ? strerror(errno) : "output error");
	else if (pl->best < 0 && !pl->keep) /* keeping the checkpoint is an answer */
		rc = cli_failf("no feasible plan for any path (see the report)");
	plan_unc_free(&pu);
	return rc;
}

/* Solve session s for the budget (budget_text, budget) or, with target
 * (not NAN), the target loss: 0, or an exit status (printed). */
static int solve(struct session *s, const char *budget_text, double budget,
                 double target, struct plan *pl)
{
	struct mp_error e;
	int rc;

	mp_error_clear(&e);
	if (!isnan(target)) {
		if (plan_target_solve(&s->req, target, pl, &e) != 0)
			return cli_fail(&e);
		return 0;
	}
	if ((rc = plan_opts_set_budget(s, "plan", "--budget", budget_text,
	                               budget)) != 0)
		return rc;
	if (plan_solve(&s->req, pl, &e) != 0)
		return cli_fail(&e);
	return 0;
}

/* The budget in the unit it was asked in: as given, or a target's least
 * (the best path's) from the solver's unit. */
static double user_budget(const struct session *s, const struct plan *pl,
                          double budget)
{
	return pl->is_target ? units_budget_from_solver(s->spec.unit, pl->budget,
	                                                s->req.price)
	                     : budget;
}

/* The plan of one law set, as today. */
static int plan_one(const struct plan_opts *o, const char *budget_text,
                    double budget, double target)
{
	const struct report_sink *sink;
	struct session *s;
	struct plan pl;
	int rc;

	if ((rc = cli_format("plan", REPORT_PLAN, o->format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (budget_text == NULL && isnan(target))
		return cli_usage("plan", "--budget or --target-loss is required");
	if ((rc = plan_opts_open(o, "plan", &s)) != 0)
		return rc;
	if ((rc = solve(s, budget_text, budget, target, &pl)) != 0) {
		session_free(s);
		return rc;
	}
	if (o->n_shards > 0)                /* the shard's draws, no report */
		rc = plan_unc_shard(o, s);
	else
		rc = report(o, s, sink, &pl, user_budget(s, &pl, budget));
	session_free(s);
	return rc;
}

/* One law set of a comparison: its session, plan and variants. */
struct law_set_run {
	struct session *s;
	struct plan pl;
	struct report_variant var[REPORT_MAX_VARIANTS];
};

/* Open, budget and solve law set `laws` with the rest of o's spec. */
static int solve_set(const struct plan_opts *o, const char *laws,
                     const char *budget_text, double budget, double target,
                     struct law_set_run *run, struct report_info *info)
{
	struct plan_opts one = *o;
	struct mp_error e;
	int rc;

	snprintf(one.spec.laws, sizeof one.spec.laws, "%s", laws);
	if ((rc = plan_opts_open(&one, "plan", &run->s)) != 0)
		return rc;
	if ((rc = solve(run->s, budget_text, budget, target, &run->pl)) != 0)
		return rc;
	mp_error_clear(&e);
	session_report_info(run->s, user_budget(run->s, &run->pl, budget), info);
	if (!run->pl.is_target &&
	    session_variants(run->s, run->var, &info->n_variants, &e) != 0)
		return cli_fail(&e);
	info->variants = run->var;
	return 0;
}

/* The law sets planned with one request, side by side (report.h's
 * struct report_compare). */
static int plan_compare(const struct plan_opts *o, const char *budget_text,
                        double budget, double target,
                        char (*sets)[SESSION_NAME_LEN], size_t n)
{
	const struct report_sink *sink;
	struct law_set_run *run;
	struct report_info info[REPORT_MAX_LAW_SETS];
	const char *laws[REPORT_MAX_LAW_SETS];
	const struct plan *plans[REPORT_MAX_LAW_SETS];
	struct report_compare r = { n, laws, plans, info };
	char none[256] = "";
	int rc = 0;

	if ((rc = cli_format("plan", REPORT_COMPARE, o->format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (budget_text == NULL && isnan(target))
		return cli_usage("plan", "--budget or --target-loss is required");
	if ((run = calloc(n, sizeof *run)) == NULL)
		return cli_failf("out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = solve_set(o, sets[i], budget_text, budget, target, &run[i],
		               &info[i]);
		laws[i] = sets[i];
		plans[i] = &run[i].pl;
	}
	errno = 0;
	if (rc == 0 && (sink->compare(stdout, &r) != 0 || fflush(stdout) != 0))
		rc = cli_failf("cannot write the report: %s",
		               errno ? strerror(errno) : "output error");
	for (size_t i = 0; i < n && rc == 0; i++)
		if (run[i].pl.best < 0 && !run[i].pl.keep)
			snprintf(none + strlen(none), sizeof none - strlen(none), "%s%.64s",
			         none[0] ? ", " : "", sets[i]);
	if (rc == 0 && none[0] != '\0')
		rc = cli_failf("no feasible plan for any path under %s (see the "
		               "report)", none);
	for (size_t i = 0; i < n; i++)
		session_free(run[i].s);
	free(run);
	return rc;
}

int cmd_plan(int argc, char **argv)
{
	static const struct option own[] = {
		{ "budget", required_argument, NULL, 'b' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "from-draws", required_argument, NULL, OPT_FROM_DRAWS },
		{ "target-loss", required_argument, NULL, OPT_TARGET },
	};
	static char sets[REPORT_MAX_LAW_SETS][SESSION_NAME_LEN];
	static struct plan_opts o;
	struct plan_args args = { NULL, NULL, &o };
	const char *budget_text;
	double budget = 0, target = NAN;
	char help[8192];
	size_t n;
	int rc;

	plan_opts_init(&o);
	rc = plan_opts_parse(&o, "plan", argc, argv, own, 4, take_own,
	                     &args, cli_help_formats(help_text, REPORT_PLAN,
	                                             help, sizeof help));
	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	budget_text = args.budget;
	if ((rc = plan_unc_check(&o, "plan")) != 0)
		return rc;
	if ((rc = plan_opts_law_sets(&o, "plan", sets, &n)) != 0)
		return rc;
	if (n > 1 && (o.spec.unc_draws > 0 || o.n_from > 0))
		return cli_usage("plan", "--uncertainty: one law set at a time, "
		                 "not a comparison");
	if (budget_text != NULL && args.target != NULL)
		return cli_usage("plan", "--budget and --target-loss: give one");
	if (args.target != NULL) {
		if (cli_number("plan", "--target-loss", args.target, &target) != 0)
			return MP_EXIT_USAGE;
		if (!(target > 0 && target < LAW_MAX_LOSS))
			return cli_usage("plan", "--target-loss: a loss in nats, above 0 "
			                 "and below %g, got '%s'", LAW_MAX_LOSS,
			                 args.target);
		if (o.spec.unc_draws > 0 || o.n_from > 0 || o.n_shards > 0)
			return cli_usage("plan", "--target-loss: not with --uncertainty");
	}
	if (budget_text != NULL &&
	    (rc = plan_opts_budget(&o, "plan", "--budget", budget_text, &budget)))
		return rc;
	if (n == 1)
		return plan_one(&o, budget_text, budget, target);
	return plan_compare(&o, budget_text, budget, target, sets, n);
}
