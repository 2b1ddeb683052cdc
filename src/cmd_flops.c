/*
 * cmd_flops.c — `moeplan flops`: the parameters and per-token FLOPs of one
 * architecture, itemised, as a table or JSON.
 *
 * The architecture comes from --arch FILE|NAME (src/io/arch_file.c) or from
 * options; both are driven by the one key table arch_keys (arch_spec.h):
 * key d_model is option --d-model, boolean key tied is --tied/--untied.
 * Counting is arch.c's; this file parses, and prints.
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
#include "io/emit.h"
#include "io/emit_arch.h"

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
	char flag[2 * OPT_NAME + 64];

	fputs("usage: moeplan flops --arch FILE|NAME [--format table|json]\n"
	      "       moeplan flops --layers L --d-model d [OPTIONS] "
	      "[--format table|json]\n"
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
	      "qwen1.5-moe-a2.7b)\n"
	      "  --format FMT           table (default) or json\n"
	      "  -h, --help             show this help\n\n"
	      "With granularity G each expert is split G ways: E*G experts of "
	      "size d_expert/G,\ntop_k*G active, shared_experts*G shared.  "
	      "FLOPs per token follow Hoffmann\net al. 2022, Appendix F "
	      "(a multiply-add is 2 FLOPs); the embedding lookup\ncosts 0; "
	      "the router costs 2 d E per MoE layer; training = 3 x forward.\n",
	      stdout);
}

struct args {
	const char *arch_file;
	int json;
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
		if (strcmp(optarg, "table") == 0 || strcmp(optarg, "json") == 0) {
			a->json = strcmp(optarg, "json") == 0;
			return 0;
		}
		return cli_usage(CMD, "--format: expected table or json, got '%s'",
		                 optarg);
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
	char name[OPT_NAME + 4];

	mp_error_clear(&err);
	if (a->arch_file != NULL)
		return arch_file_open(a->arch_file, arch, &err) == 0 ? 0 : cli_fail(&err);
	if (arch_spec_build(&a->spec, arch, &bad, &err) == 0)
		return 0;
	if (bad == NULL)
		return cli_usage(CMD, "%s", err.msg);
	return cli_usage(CMD, "%s: %s", opt_name(arch_key_find(bad), name,
	                                         sizeof name), err.msg);
}

/* ---- table ------------------------------------------------------------- */

static void print_arch(const struct arch *a)
{
	int n_moe = arch_moe_layers(a);

	printf("architecture  %d layers, d_model %d, %d heads x %d", a->layers,
	       a->d_model, a->heads, a->head_dim);
	if (a->kv_heads != a->heads)
		printf(" (%d kv heads)", a->kv_heads);
	printf(", vocab %d (%s), seq %d\n", a->vocab, a->tied ? "tied" : "untied",
	       a->seq);
	printf("FFN           %s", a->mlp_matrices == 3 ? "gated (3 matrices)"
	                                                 : "2 matrices");
	if (a->layers - n_moe > 0)
		printf(", d_ff %d on %d dense layers", a->d_ff, a->layers - n_moe);
	if (n_moe > 0)
		printf("%s%d experts x %d, top %d, %d shared on %d MoE layers",
		       a->layers - n_moe > 0 ? "; " : ", ", a->experts, a->d_expert,
		       a->top_k, a->shared_experts, n_moe);
	putchar('\n');
}

static void row_count(const char *what, double v)
{
	char buf[32];

	printf("  %-26s %10s\n", what, units_fmt_count(v, buf, sizeof buf));
}

static void row_flops(const char *what, double v, double forward)
{
	char buf[32];

	printf("  %-26s %10s %7.1f%%\n", what, units_fmt_sci(v, buf, sizeof buf),
	       forward > 0 ? 100 * v / forward : 0.0);
}

static void print_table(const struct arch *a, const struct arch_params *p,
                        const struct arch_flops *f)
{
	char buf[32];
	/* rows only for the kinds of layer the model has */
	int moe = arch_moe_layers(a) > 0, dense = arch_moe_layers(a) < a->layers;

	print_arch(a);
	printf("\n%-28s %10s\n", "parameters", "count");
	row_count("embedding", p->embedding);
	row_count("attention", p->attention);
	if (dense)
		row_count("dense FFN", p->mlp);
	if (moe) {
		row_count("router", p->router);
		row_count("routed experts (all)", p->experts_total);
		row_count("routed experts (top-k)", p->experts_active);
		row_count("shared experts", p->shared);
	}
	row_count("norms", p->norms);
	row_count("total", p->total);
	row_count("active", p->active);
	row_count("non-embedding total", p->nonemb_total);
	row_count("non-embedding active", p->nonemb_active);
	printf("\n%-28s %10s %8s\n", "forward FLOPs per token", "FLOPs", "share");
	row_flops("attention QKV", f->attn_qkv, f->forward);
	row_flops("attention scores", f->attn_scores, f->forward);
	row_flops("attention softmax", f->attn_softmax, f->forward);
	row_flops("attention values", f->attn_values, f->forward);
	row_flops("attention output", f->attn_out, f->forward);
	if (dense)
		row_flops("dense FFN", f->mlp, f->forward);
	if (moe) {
		row_flops("router", f->router, f->forward);
		row_flops("routed experts (top-k)", f->experts, f->forward);
		row_flops("shared experts", f->shared, f->forward);
	}
	row_flops("logits", f->logits, f->forward);
	row_flops("forward", f->forward, f->forward);
	printf("\n%-28s %10s\n", "training FLOPs per token", "FLOPs");
	printf("  %-26s %10s\n", "3 x forward",
	       units_fmt_sci(f->training, buf, sizeof buf));
	printf("  %-26s %10s\n", "6 x active params",
	       units_fmt_sci(6 * p->active, buf, sizeof buf));
}

/* ---- json -------------------------------------------------------------- */

static int print_json(const struct arch *a, const struct arch_params *p,
                      const struct arch_flops *f)
{
	struct emit e;

	errno = 0;
	emit_init(&e, stdout, EMIT_JSON);
	emit_object_begin(&e);
	emit_arch(&e, "arch", a);
	emit_arch_params(&e, "params", p);
	emit_arch_flops(&e, "flops_per_token", f);
	emit_object_end(&e);
	if (emit_finish(&e) != 0 || fflush(stdout) != 0)
		return cli_failf("error writing standard output: %s",
		                 errno ? strerror(errno) : "write error");
	return MP_EXIT_OK;
}

int cmd_flops(int argc, char **argv)
{
	struct args a;
	struct arch arch;
	struct arch_params p;
	struct arch_flops f;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if ((rc = get_arch(&a, &arch)) != 0)
		return rc;
	arch_count_params(&arch, &p);
	arch_count_flops(&arch, &f);
	if (a.json)
		return print_json(&arch, &p, &f);
	print_table(&arch, &p, &f);
	return MP_EXIT_OK;   /* main's finish() checks that stdout arrived */
}
