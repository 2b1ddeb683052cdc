/*
 * cmd_tui.c — `moeplan tui [plan options]`, and bare `moeplan` on a
 * terminal: the interactive planner (src/tui).  Takes the options plan
 * takes (the budget optional); the standard input and output must be a
 * terminal.  Built with --disable-tui, it says so.
 */
#include "config.h"

#include <stdio.h>

#include "cli.h"

#ifdef HAVE_TUI
#include <getopt.h>
#include <string.h>
#include <unistd.h>

#include "plan_opts.h"
#include "plan_unc.h"
#include "tui/tui.h"

static const char help_text[] =
	"usage: moeplan tui [--budget X] [OPTIONS]\n"
	"The planner as an interactive screen: change the budget, unit, hardware,\n"
	"law set, paths or checkpoint and see the plans, the loss-vs-budget chart\n"
	"and the details of each path; press ? in it for the keys.\n\n"
	"  --budget X              starting budget (default 1e22 FLOPs)\n"
	PLAN_OPTS_HELP
	"  -h, --help              this help\n";

static int take_own(void *ctx, int opt, const char *arg)
{
	if (opt != 'b')
		return cli_usage("tui", "unknown option");
	*(const char **)ctx = arg;
	return 0;
}

/* --laws A,B: plan A, compare with B; B's errors as plan reports them. */
static int compare_sets(struct plan_opts *o, char *compare)
{
	char sets[REPORT_MAX_LAW_SETS][SESSION_NAME_LEN];
	struct plan_opts b;
	struct session *s;
	size_t n;
	int rc;

	if ((rc = plan_opts_law_sets(o, "tui", sets, &n)) != 0)
		return rc;
	if (n != 2)
		return cli_usage("tui", "--laws: the TUI compares two law sets, not "
		                 "%zu ('moeplan plan --laws' takes more)", n);
	b = *o;
	session_spec_set(b.spec.laws, sets[1]);
	if ((rc = plan_opts_open(&b, "tui", &s)) != 0)
		return rc;
	session_free(s);
	session_spec_set(o->spec.laws, sets[0]);
	snprintf(compare, SESSION_NAME_LEN, "%s", sets[1]);
	return 0;
}

int cmd_tui(int argc, char **argv)
{
	static const struct option own[] = {
		{ "budget", required_argument, NULL, 'b' },
	};
	struct tui_config cfg;
	struct plan_opts o;
	struct session *s;
	const char *budget_text = NULL;
	const struct report_sink *sink;
	char help[4096];
	int rc;

	plan_opts_init(&o);
	rc = plan_opts_parse(&o, "tui", argc, argv, own, 1, take_own,
	                     &budget_text, cli_help_formats(help_text, REPORT_PLAN,
	                                                    help, sizeof help));
	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = cli_format("tui", REPORT_PLAN, o.format, &sink)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = plan_unc_check(&o, "tui")) != 0)
		return rc;
	if (o.jobs > 1)
		return cli_usage("tui", "--jobs: the TUI draws its bands between "
		                 "keys, in its own process");
	cfg.budget = 1e22;
	if (budget_text != NULL &&
	    (rc = plan_opts_budget(&o, "tui", "--budget", budget_text,
	                           &cfg.budget)) != 0)
		return rc;
	if (o.spec.unit != UNIT_NONE && o.spec.unit != UNIT_FLOPS &&
	    budget_text == NULL)
		return cli_usage("tui", "--unit %s: give the --budget in it too",
		                 units_unit_name(o.spec.unit));
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO))
		return cli_usage("tui", "standard %s is not a terminal (for files and "
		                 "pipes use 'moeplan plan')",
		                 isatty(STDOUT_FILENO) ? "input" : "output");
	cfg.compare[0] = '\0';
	if (strchr(o.spec.laws, ',') != NULL &&
	    (rc = compare_sets(&o, cfg.compare)) != 0)
		return rc;
	/* the options' own errors, as plan reports them, before the screen */
	if ((rc = plan_opts_open(&o, "tui", &s)) != 0)
		return rc;
	session_free(s);
	cfg.spec = o.spec;
	/* `e` writes a file: the table is plan's default, not the file's */
	snprintf(cfg.export_format, sizeof cfg.export_format, "%s",
	         strcmp(o.format, "table") == 0 ? "yaml" : o.format);
	return tui_run(&cfg);
}

#else

int cmd_tui(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return cli_failf("this moeplan was built without the interactive planner "
	                 "(configure --disable-tui); use 'moeplan plan'");
}

#endif
