/*
 * plan_opts.c — shared options of plan, frontier and tui (see plan_opts.h).
 */
#include "config.h"

#include "plan_opts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/datadir.h"
#include "io/model_load.h"
#include "io/report.h"

enum {
	OPT_UNIT = 0x100, OPT_LAWS, OPT_MODELS_DIR, OPT_PATH, OPT_CHECKPOINT,
	OPT_FIX, OPT_FORMAT, OPT_HARDWARE, OPT_DEVICES, OPT_PRICE, OPT_BATCH,
};

const struct option plan_opts_long[] = {
	{ "unit", required_argument, NULL, OPT_UNIT },
	{ "laws", required_argument, NULL, OPT_LAWS },
	{ "models-dir", required_argument, NULL, OPT_MODELS_DIR },
	{ "path", required_argument, NULL, OPT_PATH },
	{ "checkpoint", required_argument, NULL, OPT_CHECKPOINT },
	{ "fix", required_argument, NULL, OPT_FIX },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "hardware", required_argument, NULL, OPT_HARDWARE },
	{ "devices", required_argument, NULL, OPT_DEVICES },
	{ "price", required_argument, NULL, OPT_PRICE },
	{ "batch-tokens", required_argument, NULL, OPT_BATCH },
	{ NULL, 0, NULL, 0 },
};

void plan_opts_init(struct plan_opts *o)
{
	memset(o, 0, sizeof *o);
	o->laws = "liew2025";
	o->format = "table";
	o->unit = UNIT_NONE;
	o->price = NAN;
}

/* "dense,moe" or "all" into a bit set. */
static int parse_paths(const char *cmd, const char *arg, unsigned *out)
{
	char buf[128], *tok, *save = NULL;

	*out = 0;
	if (strlen(arg) >= sizeof buf)
		return cli_usage(cmd, "--path: '%s' is too long", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		enum law_path p;
		struct mp_error e;

		if (strcmp(tok, "all") == 0) {
			*out = (1u << PATH_COUNT) - 1;
			continue;
		}
		if (law_path_parse(tok, &p, &e) != 0)
			return cli_usage(cmd, "--path: unknown path '%s' (expected dense, "
			                 "moe, upcycle or all)", tok);
		*out |= 1u << p;
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
static int parse_checkpoint(struct plan_opts *o, const char *cmd, const char *arg)
{
	char buf[256], *tok, *save = NULL;
	int have_n = 0, have_d = 0;

	if (strlen(arg) >= sizeof buf)
		return cli_usage(cmd, "--checkpoint: '%s' is too long", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char name[32];
		double v;

		if (strcmp(tok, "paid") == 0) {
			o->ckpt_paid = 1;
			continue;
		}
		if (strcmp(tok, "sunk") == 0) {
			o->ckpt_paid = 0;
			continue;
		}
		if (parse_assign(cmd, "--checkpoint", tok, name, sizeof name, &v) != 0)
			return EXIT_USAGE;
		if (strcmp(name, "N1") == 0 || strcmp(name, "N") == 0) {
			o->ckpt_N1 = v;
			have_n = 1;
		} else if (strcmp(name, "D1") == 0 || strcmp(name, "D") == 0) {
			o->ckpt_D1 = v;
			have_d = 1;
		} else {
			return cli_usage(cmd, "--checkpoint: unknown key '%s' (expected "
			                 "N1, D1, paid or sunk)", name);
		}
	}
	if (!have_n || !have_d)
		return cli_usage(cmd, "--checkpoint: give both N1 (its parameters) and "
		                 "D1 (the tokens it was trained on)");
	o->has_ckpt = 1;
	return 0;
}

int plan_opts_take(struct plan_opts *o, const char *cmd, int opt,
                   const char *arg)
{
	struct mp_error e;

	switch (opt) {
	case OPT_UNIT:
		if (units_parse_unit(arg, &o->unit, &e) != 0)
			return cli_usage(cmd, "--unit: %s", e.msg);
		return 0;
	case OPT_LAWS:
		o->laws = arg;
		return 0;
	case OPT_MODELS_DIR:
		o->models_dir = arg;
		return 0;
	case OPT_PATH:
		return parse_paths(cmd, arg, &o->paths);
	case OPT_CHECKPOINT:
		return parse_checkpoint(o, cmd, arg);
	case OPT_FIX:
		if (o->n_fix == PLAN_MAX_PINS)
			return cli_usage(cmd, "--fix: at most %d variables", PLAN_MAX_PINS);
		if (parse_assign(cmd, "--fix", arg, o->fix_name[o->n_fix],
		                 sizeof o->fix_name[0], &o->fix_value[o->n_fix]) != 0)
			return EXIT_USAGE;
		o->n_fix++;
		return 0;
	case OPT_FORMAT:
		o->format = arg;
		return 0;
	case OPT_HARDWARE:
		o->hardware = arg;
		return 0;
	case OPT_DEVICES:
		return cli_int(cmd, "--devices", arg, 1, 10000000, &o->devices);
	case OPT_PRICE:
		if (cli_number(cmd, "--price", arg[0] == '$' ? arg + 1 : arg,
		               &o->price) != 0)
			return EXIT_USAGE;
		if (!(o->price > 0))
			return cli_usage(cmd, "--price: must be positive");
		return 0;
	case OPT_BATCH:
		return cli_int(cmd, "--batch-tokens", arg, 1, 1 << 30, &o->batch_tokens);
	default:
		return -1;
	}
}

int plan_opts_parse(struct plan_opts *o, const char *cmd, int argc,
                    char **argv, const struct option *own, size_t n_own,
                    int (*take_own)(void *ctx, int opt, const char *arg),
                    void *ctx, const char *help_text)
{
	struct option longopts[32];
	char shortopts[64] = ":h";
	size_t k = 0;
	int c, rc;

	for (const struct option *p = plan_opts_long; p->name; p++)
		longopts[k++] = *p;
	for (size_t i = 0; i < n_own && k < 30; i++) {
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
			rc = plan_opts_take(o, cmd, c, optarg);
			if (rc == -1)
				rc = take_own(ctx, c, optarg);
			if (rc != 0)
				return rc;
		}
	}
	if (optind < argc)
		return cli_usage(cmd, "unexpected argument '%s'", argv[optind]);
	return 0;
}

int plan_opts_budget(struct plan_opts *o, const char *cmd, const char *opt,
                     const char *text, double *value)
{
	enum budget_unit u;
	struct mp_error e;

	if (units_parse_budget(text, value, &u, &e) != 0)
		return cli_usage(cmd, "%s: %s", opt, e.msg);
	if (u != UNIT_NONE && o->unit != UNIT_NONE && u != o->unit)
		return cli_usage(cmd, "%s: '%s' is in %s but --unit says %s", opt, text,
		                 units_unit_name(u), units_unit_name(o->unit));
	if (u != UNIT_NONE)
		o->unit = u;
	return 0;
}

/* Pick the law of each requested path.  0, or EXIT_USAGE with e. */
static int select_laws(const struct plan_opts *o, const char *law_name,
                       struct plan_setup *s, struct mp_error *e)
{
	const struct model *m = s->model;
	unsigned want = o->paths ? o->paths : (1u << PATH_COUNT) - 1;

	if (law_name != NULL) {
		const struct law *L = model_law(m, law_name);

		if (L == NULL) {
			mp_error_set(e, "--laws: model %s has no law '%s'", m->name,
			             law_name);
			return EXIT_USAGE;
		}
		if (o->paths && !(o->paths & (1u << L->path))) {
			mp_error_set(e, "--laws: law %s:%s is for path %s, not the paths "
			             "asked for", m->name, law_name, law_path_name(L->path));
			return EXIT_USAGE;
		}
		s->req.laws[L->path] = L;
		return 0;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		if (!(want & (1u << p)))
			continue;
		s->req.laws[p] = model_law_for_path(m, (enum law_path)p);
		if (s->req.laws[p] == NULL && o->paths) {
			mp_error_set(e, "--path %s: model %s has no law for that path",
			             law_path_name((enum law_path)p), m->name);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Load the hardware profile; price from --price or the profile.
 * 0, or an exit status with e. */
static int load_hardware(const struct plan_opts *o, struct plan_setup *s,
                         struct mp_error *e)
{
	char *path;

	if ((path = profile_find(o->hardware, e)) == NULL)
		return EXIT_FAIL;
	profile_init(&s->profile);
	s->has_profile = 1;
	if (profile_load(path, &s->profile, e) != 0) {
		free(path);
		return EXIT_FAIL;
	}
	free(path);
	s->req.cost = &s->profile.model;
	s->req.tokens_per_step = o->batch_tokens;
	s->req.price = isnan(o->price) ? s->profile.price_per_hour : o->price;
	s->req.devices = o->devices;
	snprintf(s->hw_label, sizeof s->hw_label, "%.64s (%.128s)", s->profile.name,
	         s->profile.label);
	if (o->unit == UNIT_USD && isnan(s->req.price)) {
		mp_error_set(e, "a budget in usd needs a price: profile %s has none, "
		             "give --price", s->profile.name);
		return EXIT_USAGE;
	}
	return 0;
}

double plan_setup_budget(struct plan_setup *s, const struct plan_opts *o,
                         double value)
{
	s->req.budget_is_time = o->unit == UNIT_HOURS || o->unit == UNIT_USD;
	return units_budget_to_solver(o->unit, value, s->req.price);
}

/* Options that only make sense together.  0, or EXIT_USAGE with e. */
static int check_combination(const struct plan_opts *o, struct mp_error *e)
{
	if ((o->unit == UNIT_HOURS || o->unit == UNIT_USD) && o->hardware == NULL) {
		mp_error_set(e, "a budget in %s needs a hardware profile: give "
		             "--hardware NAME|FILE", units_unit_name(o->unit));
		return EXIT_USAGE;
	}
	if ((o->devices || o->batch_tokens || !isnan(o->price)) && !o->hardware) {
		mp_error_set(e, "--devices, --price and --batch-tokens need "
		             "--hardware NAME|FILE");
		return EXIT_USAGE;
	}
	return 0;
}

/* The model file and its laws.  0, or an exit status with e. */
static int load_laws(const struct plan_opts *o, struct plan_setup *s,
                     struct mp_error *e)
{
	char *dir = NULL, *name = NULL, *law = NULL;
	int rc = EXIT_FAIL;

	if (model_split_spec(o->laws, &name, &law, e) != 0) {
		mp_error_prefix(e, "--laws");
		rc = EXIT_USAGE;
	} else if ((model_is_path(name) ||
	            (dir = datadir_find("models", o->models_dir, e)) != NULL) &&
	           (s->model = model_open(name, dir, e)) != NULL &&
	           (rc = select_laws(o, law, s, e)) == 0) {
		rc = EXIT_FAIL;
		for (int p = 0; p < PATH_COUNT; p++)
			if (s->req.laws[p] != NULL)
				rc = 0;
		if (rc != 0)
			mp_error_set(e, "model %s has no law for the paths asked for",
			             s->model->name);
	}
	free(dir);
	free(name);
	free(law);
	return rc;
}

int plan_setup_open(const struct plan_opts *o, struct plan_setup *s,
                    struct mp_error *e)
{
	const struct law *up;
	int rc;

	memset(s, 0, sizeof *s);
	mp_error_clear(e);
	if ((rc = check_combination(o, e)) != 0 || (rc = load_laws(o, s, e)) != 0)
		goto fail;
	s->req.shape = &s->model->shape;
	if (o->hardware != NULL && (rc = load_hardware(o, s, e)) != 0)
		goto fail;
	up = s->req.laws[PATH_UPCYCLE];
	if (up != NULL && up->baseline != NULL)
		s->req.baseline = model_law(s->model, up->baseline);
	if (o->has_ckpt && up == NULL) {
		mp_error_set(e, "--checkpoint: the law set has no upcycle law");
		rc = EXIT_USAGE;
		goto fail;
	}
	s->req.has_checkpoint = o->has_ckpt;
	s->req.ckpt_params = o->ckpt_N1;
	s->req.ckpt_tokens = o->ckpt_D1;
	s->req.ckpt_paid = o->ckpt_paid;
	s->req.n_pins = o->n_fix;
	memcpy(s->req.pin_name, o->fix_name, sizeof s->req.pin_name);
	memcpy(s->req.pin_value, o->fix_value, sizeof s->req.pin_value);
	return 0;
fail:
	plan_setup_free(s);
	return rc;
}

int plan_setup_load(const struct plan_opts *o, const char *cmd,
                    struct plan_setup *s)
{
	struct mp_error e;
	int rc = plan_setup_open(o, s, &e);

	if (rc == EXIT_USAGE)
		return cli_usage(cmd, "%s", e.msg);
	if (rc != 0)
		return cli_fail(&e);
	return 0;
}

void plan_setup_free(struct plan_setup *s)
{
	model_free(s->model);
	s->model = NULL;
	if (s->has_profile)
		profile_free(&s->profile);
	s->has_profile = 0;
}

void plan_setup_info(struct plan_setup *s, const struct plan_opts *o,
                     const struct plan *pl, double budget_value,
                     struct report_info *info)
{
	(void)pl;   /* time and money: the sinks read them from the plan */
	report_info_init(info);
	info->model = s->model->name;
	info->unit = o->unit == UNIT_NONE ? UNIT_FLOPS : o->unit;
	if (info->unit != UNIT_FLOPS)
		info->budget_value = budget_value;
	if (s->has_profile) {
		info->price = s->req.price;
		info->hardware = s->hw_label;
		info->devices = o->devices;
	}
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct law *L = s->req.laws[p];

		if (L == NULL)
			continue;
		snprintf(s->law_label[p], sizeof s->law_label[p], "%.60s/%.60s",
		         L->model, L->name);
		info->law[p] = s->law_label[p];
	}
}
