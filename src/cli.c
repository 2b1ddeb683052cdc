/*
 * cli.c — error printing and option-value parsing shared by subcommands.
 */
#include "config.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/units.h"

int (cli_usage)(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "moeplan %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'moeplan %s --help'.\n", cmd);
	return MP_EXIT_USAGE;
}

int cli_format(const char *cmd, enum report_kind k, const char *format,
               const struct report_sink **sink)
{
	char list[128];
	const char *name;

	if (format != NULL && strcmp(format, "help") == 0) {
		for (size_t i = 0; (name = report_format_at(k, i)) != NULL; i++)
			printf("%s\n", name);
		return -1;
	}
	if ((*sink = report_sink_for(k, format)) != NULL)
		return 0;
	return cli_usage(cmd, "--format: %s format '%s' (expected %s)",
	                 report_sink_find(format) != NULL ? "unsupported"
	                                                  : "unknown",
	                 format != NULL ? format : "",
	                 report_formats_for(k, ", ", list, sizeof list));
}

const char *cli_help_formats(const char *text, enum report_kind k, char *buf,
                             size_t n)
{
	char list[128];
	size_t len = 0, mark = strlen(CLI_FORMATS);
	const char *at;

	report_formats_for(k, " or ", list, sizeof list);
	buf[0] = '\0';
	while ((at = strstr(text, CLI_FORMATS)) != NULL && len < n) {
		len += (size_t)snprintf(buf + len, n - len, "%.*s%s",
		                        (int)(at - text), text, list);
		text = at + mark;
	}
	if (len < n)
		snprintf(buf + len, n - len, "%s", text);
	return buf;
}

int (cli_fail)(const struct mp_error *e)
{
	char buf[MP_ERROR_MSG + MP_ERROR_FILE + 32];

	fprintf(stderr, "moeplan: %s\n", mp_error_str(e, buf, sizeof buf));
	return MP_EXIT_FAIL;
}

int (cli_failf)(const char *fmt, ...)
{
	va_list ap;

	fputs("moeplan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return MP_EXIT_FAIL;
}

int cli_number(const char *cmd, const char *opt, const char *arg, double *out)
{
	struct mp_error err;

	mp_error_clear(&err);
	if (units_parse_number(arg, out, &err) != 0)
		return cli_usage(cmd, "%s: %s", opt, err.msg);
	return 0;
}

int cli_int(const char *cmd, const char *opt, const char *arg, int lo, int hi,
            int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (end == arg || *end != '\0' || errno != 0 || v < lo || v > hi)
		return cli_usage(cmd, "%s: expected an integer from %d to %d, got '%s'",
		                 opt, lo, hi, arg);
	*out = (int)v;
	return 0;
}

int cli_models_dir_opts(const char *cmd, int argc, char **argv,
                        const char **models_dir, enum report_kind k,
                        const struct report_sink **sink, void (*help)(void))
{
	static const struct option longopts[] = {
		{ "models-dir", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	*sink = report_sink_for(k, "table");
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'm':
			*models_dir = optarg;
			break;
		case 'f':
			if ((rc = cli_format(cmd, k, optarg, sink)) != 0)
				return rc;
			break;
		case 'h':
			help();
			return -1;
		default:
			return cli_usage(cmd, "unknown or incomplete option '%s'",
			                 argv[optind - 1]);
		}
	}
	return 0;
}
