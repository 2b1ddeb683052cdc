/*
 * cmd_cost.c — `moeplan cost`: predicted seconds, itemised per kernel, with
 * achieved FLOP/s and MFU, on a hardware profile, for one GEMM, one MoE
 * layer forward, or one training step of an architecture.
 *
 *   moeplan cost --hardware NAME|FILE
 *                (--gemm M,N,K
 *                 | --moe-layer tokens=T,d=D,ff=F,experts=E,top_k=K[,skew=S]
 *                 | --arch FILE [--tokens N] [--skew S]
 *                 | --arch FILE --train-tokens D [--devices G] [--seq S]
 *                   [--batch-tokens B] [--layout SPEC] [--dtype T]
 *                   [--price P] [--mfu X] [--skew S])
 *                [--format FMT]
 *
 * The last form is a whole run on a cluster (cost_run.c).
 *
 * The cost model is core/cost.c's and the report report_cost.c's (any
 * format the sinks have for a breakdown: table, csv, json, yaml); this
 * file parses and predicts.  Every report names the profile and repeats
 * its label ("datasheet, not calibrated" for a datasheet profile).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cost_run.h"
#include "core/arch.h"
#include "core/cost.h"
#include "io/arch_file.h"
#include "io/resolve.h"
#include "io/profile.h"
#include "io/report.h"

#define CMD "cost"
#define MAX_EXPERTS 65536
/* Sequences per step when --tokens is not given for --arch. */
#define DEFAULT_SEQS 8

enum what { NONE, GEMM, MOE, ARCH };

struct args {
	const char *hardware, *arch_file;
	enum what what;
	double gemm[3];
	struct cost_moe_layer layer;
	double skew, tokens;
	struct cost_run_args run;         /* --train-tokens and its options */
	const struct report_sink *sink;
	const char *format;
};

static void help(void)
{
	char formats[128];

	fputs("usage: moeplan cost --hardware NAME|FILE (--gemm M,N,K | --moe-layer SPEC\n"
	      "                    | --arch FILE [--tokens N] [--skew S]) [--format F]\n"
	      "Predicted seconds per kernel, with achieved FLOP/s and MFU, on a hardware\n"
	      "profile (share/hardware/NAME.yaml or a calibrated profile).\n\n"
	      "  --hardware NAME|FILE  the hardware profile (required)\n"
	      "  --gemm M,N,K       one GEMM [M x K]·[K x N]\n"
	      "  --moe-layer SPEC   one MoE layer forward; SPEC is tokens=T,d=D,ff=F,\n"
	      "                     experts=E,top_k=K[,skew=S][,matrices=3|2]\n"
	      "                     (skew: Zipf exponent of the routing, 0 = balanced)\n"
	      "  --arch FILE        one training step (forward and backward)\n"
	      "  --tokens N         tokens per step for --arch (default 8 sequences)\n"
	      "  --skew S           routing skew for --arch (default 0)\n"
	      "A whole training run on a cluster (with --arch):\n"
	      "  --train-tokens D   tokens to train on: wall clock, device-hours,\n"
	      "                     money, the layout and memory per device\n"
	      "  --devices G        devices (default 1)\n"
	      "  --seq S            context length (default the architecture's)\n"
	      "  --batch-tokens B   global batch in tokens (default 4194304)\n"
	      "  --layout SPEC      pin the layout: tp=,pp=,vpp= (chunks per stage),\n"
	      "                     dp=,ep=,zero=,recompute=none|selective|full,\n"
	      "                     mb= (micro-batch); a2a=none|shared|full (the\n"
	      "                     framework's all-to-all overlap)\n"
	      "  --dtype T          the tensor cores' type (default the profile's)\n"
	      "  --price P          USD per device-hour (default the profile's)\n"
	      "  --mfu X            a measured MFU (0 to 1) instead of the model's\n",
	      stdout);
	fputs(cli_help_formats("  --format F         " CLI_FORMATS
	                       " (default table)\n", REPORT_COST, formats,
	                       sizeof formats), stdout);
	fputs("  -h, --help         this help\n", stdout);
}

static int parse_gemm(const char *s, double v[3])
{
	char *end;
	const char *p = s;

	for (int i = 0; i < 3; i++) {
		v[i] = strtod(p, &end);
		if (end == p || !(v[i] >= 1) || v[i] > 1e9 || v[i] != floor(v[i]) ||
		    *end != (i < 2 ? ',' : '\0'))
			return cli_usage(CMD, "--gemm: expected M,N,K (positive "
			                 "integers), got '%s'", s);
		p = end + 1;
	}
	return 0;
}

/* One key=value of --moe-layer. */
static int layer_field(struct args *a, const char *key, const char *val)
{
	struct cost_moe_layer *L = &a->layer;
	int *field = NULL;

	if (strcmp(key, "tokens") == 0)
		return cli_number(CMD, "--moe-layer tokens", val, &L->tokens);
	if (strcmp(key, "skew") == 0) {
		if (cli_number(CMD, "--moe-layer skew", val, &a->skew) != 0)
			return MP_EXIT_USAGE;
		return a->skew >= 0 ? 0 : cli_usage(CMD, "--moe-layer skew: expected "
		                                    "a number >= 0, got '%s'", val);
	}
	if (strcmp(key, "d") == 0)
		field = &L->d_model;
	else if (strcmp(key, "ff") == 0)
		field = &L->d_ff;
	else if (strcmp(key, "experts") == 0)
		field = &L->experts;
	else if (strcmp(key, "top_k") == 0)
		field = &L->top_k;
	else if (strcmp(key, "matrices") == 0)
		field = &L->mlp_matrices;
	else
		return cli_usage(CMD, "--moe-layer: unknown key '%s' (expected tokens, "
		                 "d, ff, experts, top_k, skew, matrices)", key);
	return cli_int(CMD, key, val, 1, key[0] == 'e' ? MAX_EXPERTS : 1 << 30,
	               field);
}

static int parse_layer(struct args *a, const char *spec)
{
	char buf[512], *save = NULL;
	struct cost_moe_layer *L = &a->layer;

	if (snprintf(buf, sizeof buf, "%s", spec) >= (int)sizeof buf)
		return cli_usage(CMD, "--moe-layer: too long");
	L->mlp_matrices = 3;
	for (char *kv = strtok_r(buf, ",", &save); kv != NULL;
	     kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		int rc;

		if (eq == NULL)
			return cli_usage(CMD, "--moe-layer: expected key=value, got '%s'", kv);
		*eq = '\0';
		if ((rc = layer_field(a, kv, eq + 1)) != 0)
			return rc;
	}
	if (!(L->tokens >= 1) || L->d_model < 1 || L->d_ff < 1 || L->experts < 1 ||
	    L->top_k < 1)
		return cli_usage(CMD, "--moe-layer: give tokens, d, ff, experts and "
		                 "top_k");
	if (L->top_k > L->experts)
		return cli_usage(CMD, "--moe-layer: top_k %d exceeds experts %d",
		                 L->top_k, L->experts);
	if (L->mlp_matrices != 2 && L->mlp_matrices != 3)
		return cli_usage(CMD, "--moe-layer: matrices must be 2 or 3");
	return 0;
}

static int set_what(struct args *a, enum what w, const char *opt)
{
	if (a->what != NONE)
		return cli_usage(CMD, "%s: give only one of --gemm, --moe-layer, --arch",
		                 opt);
	a->what = w;
	return 0;
}

static int parse_one(struct args *a, int c, char **argv)
{
	switch (c) {
	case 'H':
		a->hardware = optarg;
		return 0;
	case 'g':
		return set_what(a, GEMM, "--gemm") ? MP_EXIT_USAGE : parse_gemm(optarg, a->gemm);
	case 'm':
		return set_what(a, MOE, "--moe-layer") ? MP_EXIT_USAGE : parse_layer(a, optarg);
	case 'a':
		a->arch_file = optarg;
		return set_what(a, ARCH, "--arch");
	case 't':
		if (cli_number(CMD, "--tokens", optarg, &a->tokens) != 0)
			return MP_EXIT_USAGE;
		return a->tokens >= 1 && a->tokens <= 1e12 ? 0
		       : cli_usage(CMD, "--tokens: expected 1 to 1e12, got '%s'", optarg);
	case 's':
		if (cli_number(CMD, "--skew", optarg, &a->skew) != 0)
			return MP_EXIT_USAGE;
		return a->skew >= 0 ? 0 : cli_usage(CMD, "--skew: expected a number "
		                                    ">= 0, got '%s'", optarg);
	case 'f':
		a->format = optarg;
		/* the formats list now (a step and a run offer the same) */
		return strcmp(optarg, "help") == 0 ?
		       cli_format(CMD, REPORT_COST, optarg, &a->sink) : 0;
	case 'D': case 'G': case 'S': case 'B': case 'L': case 'T': case 'P':
	case 'M':
		return cost_run_option(&a->run, CMD, c, optarg);
	case ':':
		return cli_usage(CMD, "%s needs a value", argv[optind - 1]);
	default:
		return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
	}
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option o[] = {
		{ "hardware", required_argument, NULL, 'H' },
		{ "gemm", required_argument, NULL, 'g' },
		{ "moe-layer", required_argument, NULL, 'm' },
		{ "arch", required_argument, NULL, 'a' },
		{ "tokens", required_argument, NULL, 't' },
		{ "skew", required_argument, NULL, 's' },
		{ "format", required_argument, NULL, 'f' },
		{ "train-tokens", required_argument, NULL, 'D' },
		{ "devices", required_argument, NULL, 'G' },
		{ "seq", required_argument, NULL, 'S' },
		{ "batch-tokens", required_argument, NULL, 'B' },
		{ "layout", required_argument, NULL, 'L' },
		{ "dtype", required_argument, NULL, 'T' },
		{ "price", required_argument, NULL, 'P' },
		{ "mfu", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	memset(a, 0, sizeof *a);
	cost_run_args_init(&a->run);
	a->format = "table";
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", o, NULL)) != -1) {
		if (c == 'h') {
			help();
			return -1;
		}
		if ((rc = parse_one(a, c, argv)) != 0)
			return rc;
	}
	if (optind < argc)
		return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
	if (a->hardware == NULL)
		return cli_usage(CMD, "give --hardware NAME|FILE");
	if (a->what == NONE)
		return cli_usage(CMD, "give --gemm, --moe-layer or --arch");
	if (a->what != ARCH && (a->tokens > 0 || (a->what == GEMM && a->skew > 0)))
		return cli_usage(CMD, "--tokens and --skew go with --arch");
	if (a->run.given && (a->what != ARCH || !(a->run.train_tokens > 0)))
		return cli_usage(CMD, "%s goes with --arch and --train-tokens",
		                 a->run.given_opt);
	if (a->run.train_tokens > 0 && a->tokens > 0)
		return cli_usage(CMD, "--tokens (one step) and --train-tokens (a run) "
		                 "do not go together: use --batch-tokens");
	a->run.skew = a->skew;
	return cli_format(CMD, a->run.train_tokens > 0 ? REPORT_RUN : REPORT_COST,
	                  a->format, &a->sink);
}

/* ---- the three predictions ----------------------------------------------------- */

static void cost_gemm_item(const struct cost_model *cm, const double v[3],
                           struct cost_breakdown *bd)
{
	memset(bd, 0, sizeof *bd);
	bd->n = 1;
	bd->item[0].name = "gemm";
	bd->item[0].flops = bd->flops = 2 * v[0] * v[1] * v[2];
	bd->item[0].seconds = bd->item[0].fwd_seconds = bd->seconds =
		cost_gemm_seconds(cm, v[0], v[1], v[2]);
}

static int predict(const struct args *a, const struct hw_profile *p,
                   struct cost_breakdown *bd, char *what, size_t n)
{
	struct mp_error err;

	mp_error_clear(&err);
	if (a->what == GEMM) {
		snprintf(what, n, "gemm %gx%gx%g", a->gemm[0], a->gemm[1], a->gemm[2]);
		cost_gemm_item(&p->model, a->gemm, bd);
	} else if (a->what == MOE) {
		const struct cost_moe_layer *L = &a->layer;
		double *counts = malloc((size_t)L->experts * sizeof *counts);

		if (counts == NULL)
			return cli_failf("out of memory");
		cost_routing_counts(L->tokens, L->experts, L->top_k, a->skew, counts);
		cost_moe_layer_seconds(&p->model, L, counts, bd);
		free(counts);
		snprintf(what, n, "moe layer forward, %g tokens, d %d, ff %d, %d experts, "
		         "top-%d, skew %g", L->tokens, L->d_model, L->d_ff, L->experts,
		         L->top_k, a->skew);
	} else {
		struct arch arch;
		double T;

		if (arch_file_open(a->arch_file, &arch, &err) != 0)
			return cli_fail(&err);
		T = a->tokens > 0 ? a->tokens : (double)DEFAULT_SEQS * arch.seq;
		cost_step_seconds(&p->model, &arch, T, a->skew, bd);
		snprintf(what, n, "training step of %s, skew %g", a->arch_file, a->skew);
	}
	return 0;
}

int cmd_cost(int argc, char **argv)
{
	struct args a;
	struct hw_profile p;
	struct cost_breakdown bd;
	struct report_cost r;
	struct mp_error err;
	char *path, what[512];
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	mp_error_clear(&err);
	if ((path = resolve_find(RESOLVE_HARDWARE, a.hardware, NULL, &err)) == NULL)
		return cli_fail(&err);
	rc = profile_load(path, &p, &err);
	free(path);
	if (rc != 0)
		return cli_fail(&err);
	if (a.run.train_tokens > 0) {
		rc = cost_run(&a.run, a.arch_file, &p, a.sink);
		profile_free(&p);
		return rc;
	}
	rc = predict(&a, &p, &bd, what, sizeof what);
	r = (struct report_cost){ &p, what, &bd, a.what == ARCH };
	errno = 0;
	if (rc == 0 && a.sink->cost(stdout, &r) != 0)
		rc = cli_failf("error writing standard output: %s",
		               errno ? strerror(errno) : "write error");
	profile_free(&p);
	return rc;   /* main's finish() checks that stdout arrived */
}
