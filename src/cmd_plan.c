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
#include "io/report.h"
#include "plan_opts.h"

static const char help_text[] =
	"usage: moeplan plan --budget X [OPTIONS]\n"
	"The compute-optimal model size, tokens and experts of each training path\n"
	"(dense, MoE from scratch, upcycled MoE) for a budget, and which path wins.\n\n"
	"  --budget X              the budget, e.g. 1e22 or '3.2e21 flops'\n"
	PLAN_OPTS_HELP
	"  -h, --help              this help\n";

static int take_own(void *ctx, int opt, const char *arg)
{
	if (opt != 'b')
		return cli_usage("plan", "unknown option");
	*(const char **)ctx = arg;
	return 0;
}

/* The plan of one law set, as today. */
static int plan_one(const struct plan_opts *o, const char *budget_text,
                    double budget)
{
	const struct report_sink *sink;
	struct session *s;
	struct report_info info;
	struct report_variant var[REPORT_MAX_VARIANTS];
	struct plan pl;
	struct mp_error e;
	int rc;

	if ((rc = cli_format("plan", REPORT_PLAN, o->format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (budget_text == NULL)
		return cli_usage("plan", "--budget is required");
	if ((rc = plan_opts_open(o, "plan", &s)) != 0)
		return rc;
	if ((rc = plan_opts_set_budget(s, "plan", "--budget", budget_text,
	                               budget)) != 0) {
		session_free(s);
		return rc;
	}
	mp_error_clear(&e);
	if (plan_solve(&s->req, &pl, &e) != 0) {
		session_free(s);
		return cli_fail(&e);
	}
	session_report_info(s, budget, &info);
	if (session_variants(s, var, &info.n_variants, &e) != 0) {
		session_free(s);
		return cli_fail(&e);
	}
	info.variants = var;
	errno = 0;
	if (sink->plan(stdout, &pl, &info) != 0 || fflush(stdout) != 0)
		rc = cli_failf("cannot write the report: %s",
		               errno ? strerror(errno) : "output error");
	else if (pl.best < 0 && !pl.keep)   /* keeping the checkpoint is an answer */
		rc = cli_failf("no feasible plan for any path (see the report)");
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
                     const char *budget_text, double budget,
                     struct law_set_run *run, struct report_info *info)
{
	struct plan_opts one = *o;
	struct mp_error e;
	int rc;

	snprintf(one.spec.laws, sizeof one.spec.laws, "%s", laws);
	if ((rc = plan_opts_open(&one, "plan", &run->s)) != 0)
		return rc;
	if ((rc = plan_opts_set_budget(run->s, "plan", "--budget", budget_text,
	                               budget)) != 0)
		return rc;
	mp_error_clear(&e);
	if (plan_solve(&run->s->req, &run->pl, &e) != 0)
		return cli_fail(&e);
	session_report_info(run->s, budget, info);
	if (session_variants(run->s, run->var, &info->n_variants, &e) != 0)
		return cli_fail(&e);
	info->variants = run->var;
	return 0;
}

/* The law sets planned with one request, side by side (report.h's
 * struct report_compare). */
static int plan_compare(const struct plan_opts *o, const char *budget_text,
                        double budget, char (*sets)[SESSION_NAME_LEN],
                        size_t n)
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
	if (budget_text == NULL)
		return cli_usage("plan", "--budget is required");
	if ((run = calloc(n, sizeof *run)) == NULL)
		return cli_failf("out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = solve_set(o, sets[i], budget_text, budget, &run[i], &info[i]);
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
	};
	static char sets[REPORT_MAX_LAW_SETS][SESSION_NAME_LEN];
	struct plan_opts o;
	const char *budget_text = NULL;
	double budget = 0;
	char help[4096];
	size_t n;
	int rc;

	plan_opts_init(&o);
	rc = plan_opts_parse(&o, "plan", argc, argv, own, 1, take_own,
	                     &budget_text, cli_help_formats(help_text, REPORT_PLAN,
	                                                    help, sizeof help));
	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = plan_opts_law_sets(&o, "plan", sets, &n)) != 0)
		return rc;
	if (budget_text != NULL &&
	    (rc = plan_opts_budget(&o, "plan", "--budget", budget_text, &budget)))
		return rc;
	if (n == 1)
		return plan_one(&o, budget_text, budget);
	return plan_compare(&o, budget_text, budget, sets, n);
}
