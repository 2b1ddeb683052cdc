/*
 * plan_opts.c — shared options of plan, frontier and tui: argv into a
 * session spec, and the session opened for the command line (see
 * plan_opts.h).  What the options mean is io/session.c's.
 */
#include "config.h"

#include "plan_opts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/uncertainty.h"
#include "io/layout_spec.h"

enum {
	OPT_UNIT = 0x100, OPT_LAWS, OPT_MODELS_DIR, OPT_PATH, OPT_CHECKPOINT,
	OPT_FIX, OPT_FORMAT, OPT_HARDWARE, OPT_DEVICES, OPT_PRICE, OPT_BATCH,
	OPT_WITHIN_FIT, OPT_CHECKPOINT_ARCH, OPT_FLAT_TOL, OPT_VARIANT,
	OPT_UNCERTAINTY, OPT_SEED, OPT_JOBS,
	OPT_INFERENCE, OPT_PREFILL, OPT_DECODE_BATCH,
	OPT_UNIQUE, OPT_DATA_LAW, OPT_HPARAMS,
};

/* --layout's value, apart from the enum above so that options added
 * there do not move it. */
#define OPT_LAYOUT 0x1c0

const struct option plan_opts_long[] = {
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "laws", required_argument, NULL, OPT_LAWS },
	{ "models-dir", required_argument, NULL, OPT_MODELS_DIR },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
	{ "checkpoint-arch", required_argument, NULL, OPT_CHECKPOINT_ARCH },
	{ "fix", required_argument, NULL, OPT_FIX },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "hardware", required_argument, NULL, OPT_HARDWARE },
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "layout", required_argument, NULL, OPT_LAYOUT },   /* see take_layout */
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "batch-tokens", required_argument, NULL, OPT_BATCH },
	{ "within-fit", no_argument, NULL, OPT_WITHIN_FIT },
	{ "flat-tol", required_argument, NULL, OPT_FLAT_TOL },
	{ "variant", required_argument, NULL, OPT_VARIANT },
	{ "uncertainty", optional_argument, NULL, OPT_UNCERTAINTY },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "inference-tokens", required_argument, NULL, OPT_INFERENCE },
	{ "prefill-share", required_argument, NULL, OPT_PREFILL },
	{ "decode-batch", required_argument, NULL, OPT_DECODE_BATCH },
	{ "unique-tokens", required_argument, NULL, OPT_UNIQUE },
	{ "data-law", required_argument, NULL, OPT_DATA_LAW },
	{ "hparams", required_argument, NULL, OPT_HPARAMS },
	{ NULL, 0, NULL, 0 },
};

/* ---- --layout: pins of the cluster layout search (issue 12) ----------
 * The text is io/layout_spec.h's, as cost takes it; the pins go into the
 * session spec (spec.pin, the cluster's cluster_spec.pin), and
 * session_apply refuses them without a profile that has a cluster block. */
static int take_layout(struct plan_opts *o, const char *cmd, const char *arg)
{
	struct mp_error e;

	if (layout_spec_parse(&o->spec.pin, arg, &e) != 0)
		return cli_usage(cmd, "%s", e.msg);
	return 0;
}
/* ---- end of --layout ------------------------------------------------- */

void plan_opts_init(struct plan_opts *o)
{
	memset(o, 0, sizeof *o);
	session_spec_init(&o->spec);
	o->format = "table";
	o->jobs = 1;
}

/* "dense,moe" or "all" into a bit set. */
/* Paths as bits 1<<path; "all" (alone or with others) is 0: every path
 * the law set has, so that a set without an upcycle law plans its others.
 * A path named on its own stays required (session.c's select_laws). */
static int parse_paths(const char *cmd, const char *arg, unsigned *out)
{
	char buf[128], *tok, *save = NULL;
	int all = 0;

	*out = 0;
	if (strlen(arg) >= sizeof buf)
		return cli_usage(cmd, "--path: '%s' is too long", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum law_path p;
		struct mp_error e;

		if (strcmp(tok, "all") == 0) {
			all = 1;
			continue;
		}
		if (strcmp(tok, law_path_name(PATH_CONTINUE)) == 0)
			p = PATH_CONTINUE;
		else if (law_path_parse(tok, &p, &e) != 0)
			return cli_usage(cmd, "--path: unknown path '%s' (expected dense, "
			                 "moe, upcycle, continue or all)", tok);
		*out |= 1u << p;
	}
	if (all) {
		*out = 0;
		return 0;
	}
	if (*out == 0)
		return cli_usage(cmd, "--path: no path given");
	return 0;
}

/* NAME=VALUE with VALUE a number (SI suffixes allowed). */
static int parse_assign(const char *cmd, const char *opt, const char *text,
                        char *name, size_t n, double *value)
{
	const char *eq = strchr(text, '=');
	struct mp_error e;

	if (eq == NULL || eq == text || (size_t)(eq - text) >= n)
		return cli_usage(cmd, "%s: expected NAME=VALUE, got '%s'", opt, text);
	memcpy(name, text, (size_t)(eq - text));
	name[eq - text] = '\0';
	if (units_parse_number(eq + 1, value, &e) != 0)
		return cli_usage(cmd, "%s: %s: %s", opt, name, e.msg);
	if (*value <= 0)
		return cli_usage(cmd, "%s: %s must be positive", opt, name);
	return 0;
}

/* N1=..,D1=..[,paid] */
static int parse_checkpoint(struct session_ckpt *c, const char *cmd,
                            const char *arg)
{
	char buf[256], *tok, *save = NULL;
	int have_n = 0, have_d = 0;

	if (strlen(arg) >= sizeof buf)
		return cli_usage(cmd, "--checkpoint: '%s' is too long", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char name[32];
		double v;

		if (strcmp(tok, "paid") == 0 || strcmp(tok, "sunk") == 0) {
			c->paid = tok[0] == 'p';
			continue;
		}
		if (parse_assign(cmd, "--checkpoint", tok, name, sizeof name, &v) != 0)
			return MP_EXIT_USAGE;
		if (strcmp(name, "N1") == 0 || strcmp(name, "N") == 0) {
			c->N1 = v;
			have_n = 1;
		} else if (strcmp(name, "D1") == 0 || strcmp(name, "D") == 0) {
			c->D1 = v;
			have_d = 1;
		} else {
			return cli_usage(cmd, "--checkpoint: unknown key '%s' (expected "
			                 "N1, D1, paid or sunk)", name);
		}
	}
	(void)have_n;
	if (!have_d)
		return cli_usage(cmd, "--checkpoint: give both N1 (its parameters) and "
		                 "D1 (the tokens it was trained on)");
	return 0;
}

/* After parsing: a checkpoint's size is N1 or --checkpoint-arch, and an
 * architecture needs its D1. */
static int check_checkpoint(const struct session_ckpt *c, const char *cmd)
{
	if (c->arch[0] != '\0' && isnan(c->D1))
		return cli_usage(cmd, "--checkpoint-arch: give the tokens it was "
		                 "trained on too: --checkpoint D1=TOKENS");
	if (c->arch[0] != '\0' && !isnan(c->N1))
		return cli_usage(cmd, "--checkpoint: give N1 or --checkpoint-arch, "
		                 "not both (the architecture's count is N1)");
	if (c->arch[0] == '\0' && !isnan(c->D1) && isnan(c->N1))
		return cli_usage(cmd, "--checkpoint: give both N1 (its parameters) and "
		                 "D1 (the tokens it was trained on), or D1 with "
		                 "--checkpoint-arch");
	return 0;
}

/* --uncertainty [DRAWS], --seed S, --jobs N. */
static int take_uncertainty(struct plan_opts *o, const char *cmd, int opt,
                            const char *arg)
{
	int v;

	switch (opt) {
	case OPT_UNCERTAINTY:
		if (arg == NULL) {
			o->spec.unc_draws = UNC_DEFAULT_DRAWS;
			return 0;
		}
		return cli_int(cmd, "--uncertainty", arg, 1, UNC_MAX_DRAWS,
		               &o->spec.unc_draws);
	case OPT_SEED:
		if (cli_int(cmd, "--seed", arg, 0, 2147483647, &v) != 0)
			return MP_EXIT_USAGE;
		o->spec.unc_seed = (unsigned long)v;
		o->seed_given = 1;
		return 0;
	default:
		return cli_int(cmd, "--jobs", arg, 1, 256, &o->jobs);
	}
}

/* A string option into the spec. */
static int take_string(char *field, const char *cmd, const char *opt,
                       const char *arg)
{
	if (session_spec_set(field, arg) != 0)
		return cli_usage(cmd, "%s: '%.64s...' is too long", opt, arg);
	return 0;
}

/* --inference-tokens, --prefill-share, --decode-batch: the serving
 * demand (core/serve.h). */
static int take_serving(struct session_spec *sp, const char *cmd, int opt,
                        const char *arg)
{
	struct serve_spec *s = &sp->serve;

	switch (opt) {
	case OPT_INFERENCE:
		if (cli_number(cmd, "--inference-tokens", arg, &s->tokens) != 0)
			return MP_EXIT_USAGE;
		if (!(s->tokens >= 0 && s->tokens <= 1e20))
			return cli_usage(cmd, "--inference-tokens: a number of tokens "
			                 "from 0 to 1e20, got '%s'", arg);
		return 0;
	case OPT_PREFILL:
		if (cli_number(cmd, "--prefill-share", arg, &s->prefill_share) != 0)
			return MP_EXIT_USAGE;
		if (!(s->prefill_share >= 0 && s->prefill_share <= 1))
			return cli_usage(cmd, "--prefill-share: a fraction from 0 to 1 "
			                 "(the share of inference tokens that are "
			                 "prompt tokens), got '%s'", arg);
		return 0;
	default:
		if (cli_number(cmd, "--decode-batch", arg, &s->decode_batch) != 0)
			return MP_EXIT_USAGE;
		if (!(s->decode_batch >= 1 && s->decode_batch <= 1e6))
			return cli_usage(cmd, "--decode-batch: sequences per decode "
			                 "step, from 1 to 1e6, got '%s'", arg);
		return 0;
	}
}

int plan_opts_take(struct plan_opts *o, const char *cmd, int opt,
                   const char *arg)
{
	struct session_spec *sp = &o->spec;
	struct mp_error e;

	switch (opt) {
	case OPT_UNIT:
		if (units_parse_unit(arg, &sp->unit, &e) != 0)
			return cli_usage(cmd, "--unit: %s", e.msg);
		return 0;
	case OPT_LAWS:
		return take_string(sp->laws, cmd, "--laws", arg);
	case OPT_MODELS_DIR:
		return take_string(sp->models_dir, cmd, "--models-dir", arg);
	case OPT_PATH:
		return parse_paths(cmd, arg, &sp->paths);
	case OPT_CHECKPOINT:
		return parse_checkpoint(&sp->ckpt, cmd, arg);
	case OPT_CHECKPOINT_ARCH:
		return take_string(sp->ckpt.arch, cmd, "--checkpoint-arch", arg);
	case OPT_FIX:
		if (sp->n_fix == PLAN_MAX_PINS)
			return cli_usage(cmd, "--fix: at most %d variables", PLAN_MAX_PINS);
		if (parse_assign(cmd, "--fix", arg, sp->fix_name[sp->n_fix],
		                 sizeof sp->fix_name[0], &sp->fix_value[sp->n_fix]) != 0)
			return MP_EXIT_USAGE;
		sp->n_fix++;
		return 0;
	case OPT_FORMAT:
		o->format = arg;
		return 0;
	case OPT_HARDWARE:
		return take_string(sp->hardware, cmd, "--hardware", arg);
	case OPT_DEVICES:
		return cli_int(cmd, "--devices", arg, 1, 10000000, &sp->devices);
	case OPT_LAYOUT:
		return take_layout(o, cmd, arg);
	case OPT_PRICE:
		if (cli_number(cmd, "--price", arg[0] == '$' ? arg + 1 : arg,
		               &sp->price) != 0)
			return MP_EXIT_USAGE;
		if (!(sp->price > 0))
			return cli_usage(cmd, "--price: must be positive");
		return 0;
	case OPT_WITHIN_FIT:
		sp->within_fit = 1;
		return 0;
	case OPT_FLAT_TOL:
		if (cli_number(cmd, "--flat-tol", arg, &sp->flat_tol) != 0)
			return MP_EXIT_USAGE;
		if (!(sp->flat_tol > 0 && sp->flat_tol < 1))
			return cli_usage(cmd, "--flat-tol: must be between 0 and 1 (a "
			                 "fraction of the loss: 0.001 is 0.1%%)");
		return 0;
	case OPT_VARIANT:
		if (strlen(arg) >= sizeof sp->variant)
			return cli_usage(cmd, "--variant: '%.64s...' is too long", arg);
		snprintf(sp->variant, sizeof sp->variant, "%s", arg);
		return 0;
	case OPT_BATCH:
		return cli_int(cmd, "--batch-tokens", arg, 1, 1 << 30,
		               &sp->batch_tokens);
	case OPT_UNCERTAINTY:
	case OPT_SEED:
	case OPT_JOBS:
		return take_uncertainty(o, cmd, opt, arg);
	case OPT_INFERENCE:
	case OPT_PREFILL:
	case OPT_DECODE_BATCH:
		return take_serving(sp, cmd, opt, arg);
	case OPT_UNIQUE:
		if (cli_number(cmd, "--unique-tokens", arg, &sp->unique_tokens) != 0)
			return MP_EXIT_USAGE;
		if (!(sp->unique_tokens >= 1e3 && sp->unique_tokens <= 1e16))
			return cli_usage(cmd, "--unique-tokens: a number of tokens from "
			                 "1e3 to 1e16, got '%s'", arg);
		return 0;
	case OPT_DATA_LAW:
		return take_string(sp->data_law, cmd, "--data-law", arg);
	case OPT_HPARAMS:
		return take_string(sp->hparams, cmd, "--hparams", arg);
	default:
		return -1;
	}
}

int plan_opts_parse(struct plan_opts *o, const char *cmd, int argc,
                    char **argv, const struct option *own, size_t n_own,
                    int (*take_own)(void *ctx, int opt, const char *arg),
                    void *ctx, const char *help_text)
{
	struct option longopts[40];
	char shortopts[64] = ":h";
	size_t k = 0;
	int c, rc;

	for (const struct option *p = plan_opts_long; p->name; p++)
		longopts[k++] = *p;
	for (size_t i = 0; i < n_own && k < 38; i++) {
		longopts[k++] = own[i];
		if (own[i].val < 0x100 && strlen(shortopts) < sizeof shortopts - 3) {
			size_t n = strlen(shortopts);

			shortopts[n++] = (char)own[i].val;
			if (own[i].has_arg == required_argument)
				shortopts[n++] = ':';
			shortopts[n] = '\0';
		}
	}
	longopts[k++] = (struct option){ "help", no_argument, NULL, 'h' };
	memset(&longopts[k], 0, sizeof longopts[k]);
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(help_text, stdout);
			return -1;
		case ':':
			return cli_usage(cmd, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			/* --uncertainty 500: the optional count as the next word */
			if (c == OPT_UNCERTAINTY && optarg == NULL && optind < argc &&
			    argv[optind][0] >= '0' && argv[optind][0] <= '9')
				optarg = argv[optind++];
			rc = plan_opts_take(o, cmd, c, optarg);
			if (rc == -1)
				rc = take_own(ctx, c, optarg);
			if (rc != 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	return check_checkpoint(&o->spec.ckpt, cmd);
}

int plan_opts_budget(struct plan_opts *o, const char *cmd, const char *opt,
                     const char *text, double *value)
{
	enum budget_unit u;
	struct mp_error e;

	if (units_parse_budget(text, value, &u, &e) != 0)
		return cli_usage(cmd, "%s: %s", opt, e.msg);
	if (u != UNIT_NONE && o->spec.unit != UNIT_NONE && u != o->spec.unit)
		return cli_usage(cmd, "%s: '%s' is in %s but --unit says %s", opt, text,
		                 units_unit_name(u), units_unit_name(o->spec.unit));
	if (u != UNIT_NONE)
		o->spec.unit = u;
	return 0;
}

int plan_opts_law_sets(const struct plan_opts *o, const char *cmd,
                       char (*out)[SESSION_NAME_LEN], size_t *n)
{
	const char *at = o->spec.laws;

	for (*n = 0;; (*n)++) {
		size_t len = strcspn(at, ",");

		if (len == 0)
			return cli_usage(cmd, "--laws: an empty law set in '%.64s' (commas "
			                 "separate law sets)", o->spec.laws);
		if (*n == REPORT_MAX_LAW_SETS)
			return cli_usage(cmd, "--laws: at most %d law sets",
			                 REPORT_MAX_LAW_SETS);
		snprintf(out[*n], SESSION_NAME_LEN, "%.*s", (int)len, at);
		if (at[len] == '\0')
			break;
		at += len + 1;
	}
	(*n)++;
	return 0;
}

int plan_opts_open(const struct plan_opts *o, const char *cmd,
                   struct session **out)
{
	struct mp_error e;
	int rc;

	*out = NULL;
	if (strchr(o->spec.laws, ',') != NULL)
		return cli_usage(cmd, "--laws: '%.64s' names several law sets; "
		                 "'moeplan plan' compares law sets, 'moeplan tui' two",
		                 o->spec.laws);
	rc = session_open(&o->spec, out, &e);

	if (rc == SESSION_BAD_SPEC)
		return cli_usage(cmd, "%s", e.msg);
	if (rc != SESSION_OK)
		return cli_fail(&e);
	return 0;
}

int plan_opts_set_budget(struct session *s, const char *cmd, const char *opt,
                         const char *text, double value)
{
	struct mp_error e;

	if (session_budget(s, value, &e) != SESSION_OK)
		return cli_usage(cmd, "%s: '%.64s' is %s", opt, text, e.msg);
	return 0;
}
