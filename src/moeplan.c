/*
 * moeplan.c — entry point: picks the subcommand and hands over argv.
 *
 * Everything the program computes lives in libmoeplan (src/core, src/io);
 * each subcommand is one src/cmd_*.c file.
 */
#include "config.h"

#include <errno.h>
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	/* subcommand table: one line per command */
	{ "plan", cmd_plan, "the compute-optimal plan of each path for a budget" },
	{ "frontier", cmd_frontier, "optimal loss per path over a budget range, crossovers" },
	{ "eval", cmd_eval, "evaluate one law at one point: loss, FLOPs, derived" },
	{ "laws", cmd_laws, "list, show or check the scaling-law model files" },
	{ "list", cmd_list, "the model files, hardware profiles or architectures installed" },
	{ "flops", cmd_flops, "itemised parameters and FLOPs of one architecture" },
	{ "calibrate", cmd_calibrate, "time this machine's MoE kernels, fit and save a hardware profile" },
	{ "cost", cmd_cost, "predicted seconds per kernel on a hardware profile" },
	{ "fit", cmd_fit, "fit a law's coefficients to your runs (CSV), with bootstrap errors" },
	{ "tui", cmd_tui, "the planner as an interactive screen (bare moeplan too)" },
	{ NULL, NULL, NULL }
};

static void usage(FILE *out)
{
	fputs("usage: moeplan COMMAND [OPTIONS]\n"
	      "Plan the compute budget of a dense, MoE or upcycled-MoE training run.\n\n"
	      "Commands:\n", out);
	for (const struct command *c = commands; c->name != NULL; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fputs("\nRun 'moeplan COMMAND --help' for a command's options.\n", out);
}

/* What went to stdout must have arrived: a full disk or a failed write is
 * a failure (exit 1), whatever the command made of it. */
static int finish(int rc)
{
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && rc == MP_EXIT_OK) {
		fprintf(stderr, "moeplan: error writing standard output: %s\n",
		        errno ? strerror(errno) : "write error");
		return MP_EXIT_FAIL;
	}
	return rc;
}

int main(int argc, char **argv)
{
	gsl_set_error_handler_off();   /* every GSL status is checked */

	if (argc < 2) {
#ifdef HAVE_TUI
		if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO))
			return cmd_tui(argc, argv);
#endif
		usage(stderr);
		return MP_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return finish(MP_EXIT_OK);
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("moeplan %s\n", PACKAGE_VERSION);
		return finish(MP_EXIT_OK);
	}
	for (const struct command *c = commands; c->name != NULL; c++)
		if (strcmp(argv[1], c->name) == 0)
			return finish(c->run(argc - 1, argv + 1));
	fprintf(stderr, "moeplan: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return MP_EXIT_USAGE;
}
