/*
 * cmd_frontier.c — `moeplan frontier`: optimal loss of each path over
 * log-spaced budgets, and the budgets where the winning path changes;
 * with --uncertainty, the bands of the loss at each budget (plan_unc.h).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/plan_target.h"
#include "io/report.h"
#include "plan_opts.h"
#include "plan_unc.h"

static const char help_text[] =
	"usage: moeplan frontier --from X --to Y [--steps N] [OPTIONS]\n"
	"       moeplan frontier --target-from L1 --target-to L2 [--steps N] [OPTIONS]\n"
	"Optimal loss of each path over log-spaced budgets, and the crossovers\n"
	"where the winning path changes; or each path's least cost to target\n"
	"losses in equal steps, and where the cheapest path changes.\n\n"
	"  --from X, --to Y        budget range, e.g. 1e18 and 1e24\n"
	"  --target-from L1, --target-to L2\n"
	"                          target losses (nats) instead of budgets\n"
	"  --steps N               budgets in the range, from 2 (default 25)\n"
	PLAN_OPTS_HELP
	"  -h, --help              this help\n";

struct frontier_args {
	const char *from, *to;
	const char *target_from, *target_to;
	int steps;
};

enum { OPT_TARGET_FROM = 0x201, OPT_TARGET_TO };

static int take_own(void *ctx, int opt, const char *arg)
{
	struct frontier_args *a = ctx;

	switch (opt) {
	case 'f':
		a->from = arg;
		return 0;
	case 't':
		a->to = arg;
		return 0;
	case 's':
		return cli_int("frontier", "--steps", arg, 2, 100000, &a->steps);
	case OPT_TARGET_FROM:
		a->target_from = arg;
		return 0;
	case OPT_TARGET_TO:
		a->target_to = arg;
		return 0;
	default:
		return cli_usage("frontier", "unknown option");
	}
}

/* Frontier f of session s by sink, with its bands when asked. */
static int report(const struct plan_opts *o, const struct session *s,
                  const struct report_sink *sink, const struct frontier *f)
{
	struct report_info info;
	struct plan_unc pu;
	int rc = 0;

	session_report_info(s, NAN, &info);
	memset(&pu, 0, sizeof pu);
	if (o->spec.unc_draws > 0 && (rc = plan_unc_frontier(o, s, f, &pu)) == 0)
		plan_unc_info(&pu, &info);
	errno = 0;
	if (rc == 0 && (sink->frontier(stdout, f, &info) != 0 || fflush(stdout)))
		rc = cli_failf("cannot write the report: %s",
		               errno ? strerror(errno) : "output error");
	plan_unc_free(&pu);
	return rc;
}

/* A target loss option: a positive loss below LAW_MAX_LOSS. */
static int target_loss(const char *opt, const char *arg, double *out)
{
	if (cli_number("frontier", opt, arg, out) != 0)
		return MP_EXIT_USAGE;
	if (!(*out > 0 && *out < LAW_MAX_LOSS))
		return cli_usage("frontier", "%s: a loss in nats, above 0 and below "
		                 "%g, got '%s'", opt, LAW_MAX_LOSS, arg);
	return 0;
}

/* --target-from/--target-to: each path's least cost to each target. */
static int targets(const struct plan_opts *o, const struct frontier_args *a)
{
	const struct report_sink *sink;
	struct target_frontier tf;
	struct report_info info;
	struct report_targets r = { &tf, &info };
	struct session *s;
	struct mp_error e;
	double from, to;
	int rc;

	if ((rc = cli_format("frontier", REPORT_TARGETS, o->format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (a->from != NULL || a->to != NULL)
		return cli_usage("frontier", "--from/--to and --target-from/--target-to: "
		                 "give budgets or target losses, not both");
	if (a->target_from == NULL || a->target_to == NULL)
		return cli_usage("frontier", "--target-from and --target-to go "
		                 "together");
	if (o->spec.unc_draws > 0)
		return cli_usage("frontier", "--uncertainty: not with target losses");
	if ((rc = target_loss("--target-from", a->target_from, &from)) != 0 ||
	    (rc = target_loss("--target-to", a->target_to, &to)) != 0)
		return rc;
	if (from == to)
		return cli_usage("frontier", "--target-from and --target-to are the "
		                 "same loss");
	if ((rc = plan_opts_open(o, "frontier", &s)) != 0)
		return rc;
	mp_error_clear(&e);
	if (plan_target_frontier(&s->req, from, to, (size_t)a->steps, &tf,
	                         &e) != 0) {
		session_free(s);
		return cli_fail(&e);
	}
	session_report_info(s, NAN, &info);
	errno = 0;
	if (sink->targets(stdout, &r) != 0 || fflush(stdout) != 0)
		rc = cli_failf("cannot write the report: %s",
		               errno ? strerror(errno) : "output error");
	plan_target_frontier_free(&tf);
	session_free(s);
	return rc;
}

int cmd_frontier(int argc, char **argv)
{
	static const struct option own[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "steps", required_argument, NULL, 's' },
		{ "target-from", required_argument, NULL, OPT_TARGET_FROM },
		{ "target-to", required_argument, NULL, OPT_TARGET_TO },
	};
	struct frontier_args a = { NULL, NULL, NULL, NULL, 25 };
	struct plan_opts o;
	struct session *s;
	const struct report_sink *sink;
	struct frontier f;
	struct mp_error e;
	double from, to, price;
	enum budget_unit unit;
	char help[4096];
	int rc;

	plan_opts_init(&o);
	rc = plan_opts_parse(&o, "frontier", argc, argv, own, 5, take_own, &a,
	                     cli_help_formats(help_text, REPORT_FRONTIER, help,
	                                      sizeof help));
	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = plan_unc_check(&o, "frontier")) != 0)
		return rc;
	if (a.target_from != NULL || a.target_to != NULL)
		return targets(&o, &a);
	if ((rc = cli_format("frontier", REPORT_FRONTIER, o.format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (a.from == NULL || a.to == NULL)
		return cli_usage("frontier", "--from and --to are required");
	if ((rc = plan_opts_budget(&o, "frontier", "--from", a.from, &from)) ||
	    (rc = plan_opts_budget(&o, "frontier", "--to", a.to, &to)))
		return rc;
	if (to <= from)
		return cli_usage("frontier", "--to must be larger than --from");
	if ((rc = plan_opts_open(&o, "frontier", &s)) != 0)
		return rc;
	mp_error_clear(&e);
	unit = s->spec.unit;
	price = s->req.price;
	from = units_budget_to_solver(unit, from, price);
	to = units_budget_to_solver(unit, to, price);
	if (!isfinite(to) || !(from > 0)) {
		session_free(s);   /* usd / price * 3600 overflowed */
		return cli_usage("frontier", "--from/--to: out of range in "
		                 "device-seconds");
	}
	if (session_budget_check(s, to, &e) != SESSION_OK) {
		session_free(s);
		return cli_usage("frontier", "--to: '%.64s' is %s", a.to, e.msg);
	}
	if (plan_frontier(&s->req, from, to, (size_t)a.steps, &f, &e) != 0) {
		session_free(s);
		return cli_fail(&e);
	}
	rc = report(&o, s, sink, &f);
	plan_frontier_free(&f);
	session_free(s);
	return rc;
}
