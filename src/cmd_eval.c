/*
 * cmd_eval.c — `moeplan eval MODEL[:LAW] VAR=VALUE ...`: one law at one
 * point: its loss, its compute rule and its derived quantities.
 *
 * Values take SI suffixes (N1=1.3B, D=2T).  A variable with a single
 * declared value (an expert count pinned to 1) may be left out.  A value
 * outside the fit range, or not among a discrete variable's values, draws a
 * warning on stderr; evaluation goes on.  The result is written by a
 * report sink (io/report.h, report_eval.c): table, csv, json or yaml.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/law.h"
#include "core/model.h"
#include "core/units.h"
#include "io/model_load.h"
#include "io/report.h"
#include "io/yamldoc.h"

#define CMD "eval"


static void help(void)
{
	char formats[128];

	fputs("usage: moeplan eval MODEL[:LAW] VAR=VALUE ... [--models-dir DIR]\n"
	      "                    [--format F]\n"
	      "Evaluate one law at one point: its loss, its compute rule (FLOPs)\n"
	      "and its derived quantities.  Without :LAW the model must have one\n"
	      "law.  Values take SI suffixes (1.3B, 2T, 1e21).\n\n"
	      "  --models-dir DIR   look for models in DIR\n", stdout);
	fputs(cli_help_formats("  --format F         " CLI_FORMATS
	                       " (default table)\n", REPORT_EVAL, formats,
	                       sizeof formats), stdout);
	fputs("  -h, --help         this help\n\n"
	      "example: moeplan eval liew2025:upcycled N1=1e9 D1=1e11 D2=1e11\n",
	      stdout);
}

/* Six significant digits, exponent trimmed: 1.5852e21. */
static const char *fmt_num(double v, char *buf, size_t n)
{
	return yamldoc_fmt_number(v, 6, buf, n);
}

static void var_list(const struct law *L, char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < L->n_vars; i++)
		if (len + strlen(L->vars[i].name) + 3 < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? ", " : "",
			                        L->vars[i].name);
}

/* The law named by :LAW, or the only one; usage error otherwise. */
static int pick_law(const struct model *m, const char *name,
                    const struct law **out)
{
	char list[256] = "";
	size_t len = 0;

	if (name != NULL && (*out = model_law(m, name)) != NULL)
		return 0;
	if (name == NULL && m->n_laws == 1) {
		*out = m->laws[0];
		return 0;
	}
	for (size_t i = 0; i < m->n_laws; i++)
		if (len + strlen(m->laws[i]->name) + 3 < sizeof list)
			len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
			                        i ? ", " : "", m->laws[i]->name);
	if (name != NULL)
		return cli_usage(CMD, "model %s has no law '%s' (laws: %s)", m->name,
		                 name, list);
	return cli_usage(CMD, "model %s has several laws (%s): name one as "
	                 "%s:LAW", m->name, list, m->name);
}

/* VAR=VALUE ... into x, in the law's variable order. */
static int parse_point(const struct law *L, int n, char **args, double *x)
{
	int set[LAW_MAX_VARS] = { 0 };
	char vars[256], missing[256] = "";
	struct mp_error err;

	var_list(L, vars, sizeof vars);
	for (int a = 0; a < n; a++) {
		const char *eq = strchr(args[a], '=');
		char name[64];
		int i;

		if (eq == NULL || eq == args[a] || (size_t)(eq - args[a]) >= sizeof name)
			return cli_usage(CMD, "expected VAR=VALUE, got '%s'", args[a]);
		snprintf(name, sizeof name, "%.*s", (int)(eq - args[a]), args[a]);
		if ((i = law_var_index(L, name)) < 0)
			return cli_usage(CMD, "unknown variable '%s' for %s:%s "
			                 "(variables: %s)", name, L->model, L->name, vars);
		if (set[i])
			return cli_usage(CMD, "variable '%s' given twice", name);
		mp_error_clear(&err);
		if (units_parse_number(eq + 1, &x[i], &err) != 0)
			return cli_usage(CMD, "%s: %s", name, err.msg);
		set[i] = 1;
	}
	for (size_t i = 0; i < L->n_vars; i++) {
		size_t len = strlen(missing);

		if (set[i])
			continue;
		if (L->vars[i].n_values == 1) {   /* pinned: E = 1 for a dense law */
			x[i] = L->vars[i].values[0];
			continue;
		}
		snprintf(missing + len, sizeof missing - len, "%s%s", len ? ", " : "",
		         L->vars[i].name);
	}
	if (missing[0] != '\0')
		return cli_usage(CMD, "missing variable%s %s (%s:%s needs %s)",
		                 strchr(missing, ',') ? "s" : "", missing, L->model,
		                 L->name, vars);
	return 0;
}

/* Warnings for values outside the fit or off a discrete variable's list. */
static void warn_range(const struct law *L, const double *x)
{
	char a[64], b[64], c[64];

	for (size_t i = 0; i < L->n_vars; i++) {
		const struct law_var *v = &L->vars[i];
		int listed = v->n_values == 0;

		if (!isnan(v->fit_lo) && (x[i] < v->fit_lo || x[i] > v->fit_hi))
			fprintf(stderr, "moeplan: warning: %s = %s is outside the fit "
			        "range [%s, %s] of %s:%s\n", v->name,
			        fmt_num(x[i], a, sizeof a), fmt_num(v->fit_lo, b, sizeof b),
			        fmt_num(v->fit_hi, c, sizeof c), L->model, L->name);
		for (size_t k = 0; k < v->n_values; k++)
			listed |= v->values[k] == x[i];
		if (!listed)
			fprintf(stderr, "moeplan: warning: %s = %s is not one of the "
			        "values %s:%s was fitted at\n", v->name,
			        fmt_num(x[i], a, sizeof a), L->model, L->name);
	}
}

static int evaluate(const struct law *L, const double *x,
                    const struct report_sink *sink)
{
	double loss = law_loss(L, x), flops = law_flops(L, x);
	double derived[LAW_MAX_SYMS];
	struct report_eval r = { L, x, loss, flops, derived };

	if (isnan(loss) || isnan(flops))
		return cli_failf("%s:%s is undefined at this point (loss %s, flops "
		                 "%s)", L->model, L->name,
		                 isnan(loss) ? "not a number" : "ok",
		                 isnan(flops) ? "not a number" : "ok");
	for (size_t i = 0; i < L->n_derived && i < LAW_MAX_SYMS; i++)
		derived[i] = law_derived(L, i, x);
	errno = 0;
	if (sink->eval(stdout, &r) != 0)
		return cli_failf("error writing standard output: %s",
		                 errno ? strerror(errno) : "write error");
	return MP_EXIT_OK;
}

static int run(const char *spec, const char *models_dir, int n, char **args,
               const struct report_sink *sink)
{
	struct mp_error err;
	char *name, *law_name;
	const struct law *L;
	struct model *m = NULL;
	double x[LAW_MAX_VARS] = { 0 };
	int status;

	mp_error_clear(&err);
	if (model_split_spec(spec, &name, &law_name, &err) != 0)
		return cli_usage(CMD, "%s", err.msg);
	if ((m = model_open(name, models_dir, &err)) == NULL)
		status = cli_fail(&err);
	else if ((status = pick_law(m, law_name, &L)) == 0 &&
	         (status = parse_point(L, n, args, x)) == 0) {
		if (law_check_fitted(L, &err) != 0) {
			status = cli_fail(&err);
		} else {
			warn_range(L, x);
			status = evaluate(L, x, sink);
		}
	}
	model_free(m);
	free(name);
	free(law_name);
	return status;
}

int cmd_eval(int argc, char **argv)
{
	const char *models_dir = NULL;
	const struct report_sink *sink;
	int rc;

	if ((rc = cli_models_dir_opts(CMD, argc, argv, &models_dir, REPORT_EVAL,
	                              &sink, help)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (optind >= argc)
		return cli_usage(CMD, "expected MODEL[:LAW] VAR=VALUE ...");
	return run(argv[optind], models_dir, argc - optind - 1, argv + optind + 1,
	           sink);
}
