/*
 * cmd_flops.c — `moeplan flops`: the parameters and per-token FLOPs of one
 * architecture, itemised, in any format the report sinks have for one
 * (io/report.h: table, csv, json, yaml).
 *
 * The architecture comes from --arch FILE|NAME (src/io/arch_file.c) or from
 * options; both are driven by the one key table arch_keys (arch_spec.h):
 * key d_model is option --d-model, boolean key tied is --tied/--untied.
 * Counting is arch.c's, writing report_arch.c's; this file parses.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/arch.h"
#include "core/arch_spec.h"
#include "core/units.h"
#include "io/arch_file.h"
#include "io/report.h"

#define CMD "flops"
#define MAX_OPTS 48
#define OPT_NAME 32

enum { OPT_ARCH = 1, OPT_FORMAT, OPT_HELP, OPT_KEY = 256, OPT_UNKEY = 512 };

/* Long options built from the key table. */
struct opts {
	struct option o[MAX_OPTS];
	char name[MAX_OPTS][OPT_NAME];
	size_t n;
};

static void opt_add(struct opts *t, const char *prefix, const char *name,
                    int has_arg, int val)
{
	char *s = t->name[t->n];

	snprintf(s, OPT_NAME, "%s%s", prefix, name);
	for (char *c = s; *c; c++)
		if (*c == '_')
			*c = '-';
	t->o[t->n].name = s;
	t->o[t->n].has_arg = has_arg;
	t->o[t->n].flag = NULL;
	t->o[t->n].val = val;
	t->n++;
}

static void opts_build(struct opts *t)
{
	memset(t, 0, sizeof *t);
	for (const struct arch_key *k = arch_keys; k->name; k++) {
		int i = (int)(k - arch_keys);

		if (k->kind == ARCH_KEY_BOOL) {
			opt_add(t, "", k->name, no_argument, OPT_KEY + i);
			opt_add(t, "un", k->name, no_argument, OPT_UNKEY + i);
		} else {
			opt_add(t, "", k->name, required_argument, OPT_KEY + i);
		}
	}
	opt_add(t, "", "arch", required_argument, OPT_ARCH);
	opt_add(t, "", "format", required_argument, OPT_FORMAT);
	opt_add(t, "", "help", no_argument, OPT_HELP);
	/* t->o[t->n] is the zeroed terminator */
}

/* The option's name for messages: --d-model. */
static const char *opt_name(const struct arch_key *k, char *buf, size_t n)
{
	snprintf(buf, n, "--%s", k->name);
	for (char *c = buf; *c; c++)
		if (*c == '_')
			*c = '-';
	return buf;
}

static void help(void)
{
	char flag[2 * OPT_NAME + 64], formats[128];

	fputs("usage: moeplan flops --arch FILE|NAME [--format FMT]\n"
	      "       moeplan flops --layers L --d-model d [OPTIONS] "
	      "[--format FMT]\n"
	      "Count the parameters and the per-token FLOPs of one transformer, "
	      "itemised.\n\n"
	      "Architecture (also the keys of an --arch file, with '_' for '-'):\n",
	      stdout);
	for (const struct arch_key *k = arch_keys; k->name; k++) {
		char name[OPT_NAME + 4];

		opt_name(k, name, sizeof name);
		if (k->kind == ARCH_KEY_BOOL)
			snprintf(flag, sizeof flag, "%s, --un%s", name, name + 2);
		else
			snprintf(flag, sizeof flag, "%s %s", name, k->arg);
		printf("  %-22s %s\n", flag, k->help);
	}
	fputs("\nOther options:\n"
	      "  --arch FILE|NAME       read the architecture from a YAML file, "
	      "or a shipped one\n"
	      "                         (llama-2-7b, mixtral-8x7b, olmoe-1b-7b, "
	      "qwen1.5-moe-a2.7b)\n", stdout);
	fputs(cli_help_formats(
	      "  --format FMT           " CLI_FORMATS " (default table)\n",
	      REPORT_ARCH, formats, sizeof formats), stdout);
	fputs("  -h, --help             show this help\n\n"
	      "With granularity G each expert is split G ways: E*G experts of "
	      "size d_expert/G,\ntop_k*G active, shared_experts*G shared.  "
	      "FLOPs per token follow Hoffmann\net al. 2022, Appendix F "
	      "(a multiply-add is 2 FLOPs); the embedding lookup\ncosts 0; "
	      "the router costs 2 d E per MoE layer; training = 3 x forward.\n",
	      stdout);
}

struct args {
	const char *arch_file;
	const struct report_sink *sink;
	struct arch_spec spec;
	const char *first_key;   /* first size option given, for messages */
};

static int set_key(struct args *a, const struct arch_key *k, const char *v)
{
	struct mp_error err;
	char name[OPT_NAME + 4];

	mp_error_clear(&err);
	if (arch_spec_set(&a->spec, k, v, &err) != 0)
		return cli_usage(CMD, "%s: %s", opt_name(k, name, sizeof name),
		                 err.msg);
	if (a->first_key == NULL)
		a->first_key = k->name;
	return 0;
}

static int parse_one(struct args *a, int c, char **argv)
{
	switch (c) {
	case OPT_ARCH:
		a->arch_file = optarg;
		return 0;
	case OPT_FORMAT:
		return cli_format(CMD, REPORT_ARCH, optarg, &a->sink);
	case ':':
		return cli_usage(CMD, "option '%s' needs a value", argv[optind - 1]);
	case '?':   /* getopt_long also accepts unambiguous prefixes */
		return cli_usage(CMD, "unknown or ambiguous option '%s'",
		                 argv[optind - 1]);
	}
	if (c >= OPT_UNKEY)
		return set_key(a, &arch_keys[c - OPT_UNKEY], "false");
	if (c >= OPT_KEY)
		return set_key(a, &arch_keys[c - OPT_KEY],
		               arch_keys[c - OPT_KEY].kind == ARCH_KEY_BOOL ? "true"
		                                                             : optarg);
	return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
}

/* Returns -1 when help was printed, else an exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	struct opts t;
	int c, rc;

	memset(a, 0, sizeof *a);
	a->sink = report_sink_for(REPORT_ARCH, "table");
	arch_spec_init(&a->spec);
	opts_build(&t);
	optind = 0;    /* full reset of getopt (glibc) */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", t.o, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			help();
			return -1;
		}
		if ((rc = parse_one(a, c, argv)) != 0)
			return rc;
	}
	if (optind < argc)
		return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
	if (a->arch_file != NULL && a->first_key != NULL) {
		char name[OPT_NAME + 4];

		return cli_usage(CMD, "--arch cannot be combined with %s",
		                 opt_name(arch_key_find(a->first_key), name,
		                          sizeof name));
	}
	if (a->arch_file == NULL && a->first_key == NULL)
		return cli_usage(CMD, "give --arch FILE, or --layers and --d-model");
	return 0;
}

static int get_arch(const struct args *a, struct arch *arch)
{
	struct mp_error err;
	const char *bad;
	char name[OPT_NAME + 4], note[512];

	mp_error_clear(&err);
	if (a->arch_file != NULL) {
		/* how the reader took the file (a config of a family it does not
		 * know, read with Llama's keys), on stderr */
		if (arch_file_open_noted(a->arch_file, arch, note, sizeof note,
		                         &err) != 0)
			return cli_fail(&err);
		if (note[0] != '\0')
			fprintf(stderr, "moeplan: note: %s\n", note);
		return 0;
	}
	if (arch_spec_build(&a->spec, arch, &bad, &err) == 0)
		return 0;
	if (bad == NULL)
		return cli_usage(CMD, "%s", err.msg);
	return cli_usage(CMD, "%s: %s", opt_name(arch_key_find(bad), name,
	                                         sizeof name), err.msg);
}

int cmd_flops(int argc, char **argv)
{
	struct args a;
	struct arch arch;
	struct arch_params p;
	struct arch_flops f;
	struct report_arch r;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = get_arch(&a, &arch)) != 0)
		return rc;
	arch_count_params(&arch, &p);
	arch_count_flops(&arch, &f);
	r.arch = &arch;
	r.params = &p;
	r.flops = &f;
	errno = 0;
	if (a.sink->arch(stdout, &r) != 0)
		return cli_failf("error writing standard output: %s",
		                 errno ? strerror(errno) : "write error");
	return MP_EXIT_OK;   /* main's finish() checks that stdout arrived */
}
