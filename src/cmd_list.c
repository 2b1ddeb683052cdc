/*
 * cmd_list.c — `moeplan list models|hardware|arch [--models-dir DIR]
 * [--format F]`: the data files installed, by the name --laws, --hardware
 * and --arch take, with the file each name stands for.  The search is the
 * resolver's (io/resolve.h), so what is listed is what a name finds; the
 * bash completion takes its names from here.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/report.h"
#include "io/resolve.h"

#define CMD "list"

static void help(void)
{
	char formats[128];

	fputs("usage: moeplan list models|hardware|arch [--models-dir DIR] "
	      "[--format F]\n"
	      "The model files, hardware profiles (datasheet and calibrated) or\n"
	      "architectures installed: each name as --laws, --hardware and --arch\n"
	      "take it, and the file it stands for.\n\n"
	      "  --models-dir DIR   look for models in DIR\n", stdout);
	fputs(cli_help_formats("  --format F         " CLI_FORMATS
	                       " (default table)\n", REPORT_FILES, formats,
	                       sizeof formats), stdout);
	fputs("  -h, --help         this help\n", stdout);
}

/* The listing as the sinks take it; the strings stay list's. */
static int print(const struct report_sink *sink, enum resolve_kind k,
                 const struct resolve_entry *list, size_t n)
{
	const char **name = calloc(n + 1, sizeof *name);
	const char **path = calloc(n + 1, sizeof *path);
	int rc = MP_EXIT_OK;

	if (name == NULL || path == NULL) {
		rc = cli_failf("out of memory");
	} else {
		for (size_t i = 0; i < n; i++) {
			name[i] = list[i].name;
			path[i] = list[i].path;
		}
		errno = 0;
		if (sink->files(stdout, &(struct report_files){
		                    resolve_kind_name(k), n, name, path }) != 0)
			rc = cli_failf("error writing standard output: %s",
			               errno ? strerror(errno) : "write error");
	}
	free(name);
	free(path);
	return rc;
}

int cmd_list(int argc, char **argv)
{
	const struct report_sink *sink;
	const char *models_dir = NULL;
	struct resolve_entry *list;
	struct mp_error err;
	enum resolve_kind k;
	size_t n;
	int rc;

	if ((rc = cli_models_dir_opts(CMD, argc, argv, &models_dir, REPORT_FILES,
	                              &sink, help)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (optind + 1 != argc)
		return cli_usage(CMD, "give one of models, hardware or arch");
	if (resolve_kind_parse(argv[optind], &k) != 0)
		return cli_usage(CMD, "unknown kind '%s' (expected models, hardware "
		                 "or arch)", argv[optind]);
	if (models_dir != NULL && k != RESOLVE_MODEL)
		return cli_usage(CMD, "--models-dir is for models only");
	mp_error_clear(&err);
	if (resolve_list(k, models_dir, &list, &n, &err) != 0)
		return cli_fail(&err);
	rc = print(sink, k, list, n);
	resolve_list_free(list, n);
	return rc;
}
