/*
 * cmd_plan.c — `moeplan plan`: the compute-optimal allocation of each path
 * for one budget, written by a report sink.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
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

int cmd_plan(int argc, char **argv)
{
	static const struct option own[] = {
		{ "budget", required_argument, NULL, 'b' },
	};
	struct plan_opts o;
	struct session *s;
	struct report_info info;
	const struct report_sink *sink;
	const char *budget_text = NULL;
	struct report_variant var[REPORT_MAX_VARIANTS];
	struct plan pl;
	struct mp_error e;
	double budget = 0;
	char help[4096];
	int rc;

	plan_opts_init(&o);
	rc = plan_opts_parse(&o, "plan", argc, argv, own, 1, take_own,
	                     &budget_text, cli_help_formats(help_text, REPORT_PLAN,
	                                                    help, sizeof help));
	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = cli_format("plan", REPORT_PLAN, o.format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (budget_text == NULL)
		return cli_usage("plan", "--budget is required");
	if ((rc = plan_opts_budget(&o, "plan", "--budget", budget_text, &budget)))
		return rc;
	if ((rc = plan_opts_open(&o, "plan", &s)) != 0)
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
