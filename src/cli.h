/*
 * cli.h — shared pieces of the command-line front end: subcommand entry
 * points, error printing, option parsing (the exit statuses are
 * core/error.h's, shared with the TUI).
 *
 * Conventions (DESIGN.md): data to stdout, diagnostics to stderr; exit 0 on
 * success, 1 on failure (bad input, I/O, no feasible plan), 2 on usage error.
 * Each subcommand lives in src/cmd_NAME.c, parses its own options with
 * getopt_long (optind reset by the caller) and returns the exit status.
 */
#ifndef MP_CLI_H
#define MP_CLI_H

#include <stddef.h>

#include "core/error.h"   /* and MP_EXIT_OK, MP_EXIT_FAIL, MP_EXIT_USAGE */
#include "io/report.h"

/* "moeplan CMD: message" + "Try 'moeplan CMD --help'." on stderr; returns 2. */
int cli_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "moeplan: file:line:col: message" on stderr; returns 1. */
int cli_fail(const struct mp_error *e);
/* "moeplan: message" on stderr; returns 1. */
int cli_failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#ifdef __clang_analyzer__     /* what they return, for scan-build */
#define cli_usage(...) (cli_usage(__VA_ARGS__), MP_EXIT_USAGE)
#define cli_fail(e) (cli_fail(e), MP_EXIT_FAIL)
#define cli_failf(...) (cli_failf(__VA_ARGS__), MP_EXIT_FAIL)
#endif
/* Parse a number option (SI suffixes allowed); usage error naming the
 * option on failure.  Returns 0 or 2. */
int cli_number(const char *cmd, const char *opt, const char *arg, double *out);
/* Parse a positive integer option; returns 0 or 2. */
int cli_int(const char *cmd, const char *opt, const char *arg, int lo, int hi,
            int *out);

/*
 * Parse the only options of a command that takes `--models-dir DIR`,
 * `--format F` (the sink for a result of kind k, see cli_format) and
 * `-h/--help` besides its operands.  Returns 0 (optind at the first
 * operand), -1 after printing help or the formats (exit 0), or 2 on a
 * usage error.
 */
int cli_models_dir_opts(const char *cmd, int argc, char **argv,
                        const char **models_dir, enum report_kind k,
                        const struct report_sink **sink, void (*help)(void));

/*
 * --format F for a command whose result is of kind k: the sink, if the
 * sink table (io/report.h) offers F for k.  F = "help" prints the formats
 * offered, one a line, for scripts (the bash completion, the man page
 * check).  Returns 0, -1 after that list (exit 0), or 2 on a usage error
 * naming --format and the formats offered.
 */
int cli_format(const char *cmd, enum report_kind k, const char *format,
               const struct report_sink **sink);
/* Help text as typed, with every CLI_FORMATS in it replaced by the formats
 * offered for k ("table, json or yaml"): into buf, which it returns. */
#define CLI_FORMATS "@FORMATS@"
const char *cli_help_formats(const char *text, enum report_kind k, char *buf,
                             size_t n);

int cmd_plan(int argc, char **argv);
int cmd_frontier(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_flops(int argc, char **argv);
int cmd_laws(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_cost(int argc, char **argv);
int cmd_fit(int argc, char **argv);
int cmd_tui(int argc, char **argv);

#endif
