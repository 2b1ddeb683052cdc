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
#include "io/report.h"
#include "plan_opts.h"
#include "plan_unc.h"

static const char help_text[] =
	"usage: moeplan frontier --from X --to Y [--steps N] [OPTIONS]\n"
	"Optimal loss of each path over log-spaced budgets, and the crossovers\n"
	"where the winning path changes.\n\n"
	"  --from X, --to Y        budget range, e.g. 1e18 and 1e24\n"
	"  --steps N               budgets in the range, from 2 (default 25)\n"
	PLAN_OPTS_HELP
	"  -h, --help              this help\n";

struct frontier_args {
	const char *from, *to;
	int steps;
};

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

int cmd_frontier(int argc, char **argv)
{
	static const struct option own[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "steps", required_argument, NULL, 's' },
	};
	struct frontier_args a = { NULL, NULL, 25 };
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
	rc = plan_opts_parse(&o, "frontier", argc, argv, own, 3, take_own, &a,
	                     cli_help_formats(help_text, REPORT_FRONTIER, help,
	                                      sizeof help));
	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = plan_unc_check(&o, "frontier")) != 0)
		return rc;
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
