/*
 * cmd_laws.c — `moeplan laws [list | show NAME[:LAW] | check FILE...]`:
 * the bundled model files, one model in full (its variants too), or a
 * check of a file (its laws and variants counted).
 *
 * Loading is model_load.c's; the list is written by a report sink
 * (io/report.h, report_laws.c: table, csv, json or yaml); this file finds
 * the models directory, prints show and check, and maps errors to exit
 * statuses (1 for a bad file, 2 for bad usage).
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
#include "io/model_load.h"
#include "io/report.h"
#include "io/resolve.h"
#include "io/yamldoc.h"

#define CMD "laws"
#define WRAP 78


static void help(void)
{
	char formats[128];

	fputs("usage: moeplan laws [list] [--models-dir DIR] [--format F]\n"
	      "       moeplan laws show NAME[:LAW] [--models-dir DIR]\n"
	      "       moeplan laws check FILE...\n"
	      "List the bundled scaling-law models, show one in full (provenance,\n"
	      "units, expressions, coefficients, variables, shape policy), or check\n"
	      "a model file.  NAME is a file in the models directory (NAME.yaml);\n"
	      "anything with '/' or ending .yaml is a file.\n\n"
	      "  --models-dir DIR   look for models in DIR\n", stdout);
	fputs(cli_help_formats("  --format F         the list as " CLI_FORMATS
	                       " (default table)\n", REPORT_LAWS, formats,
	                       sizeof formats), stdout);
	fputs("  -h, --help         this help\n", stdout);
}

/* Print text after a label, wrapped at WRAP columns, continuation lines
 * indented to the label's width. */
static void print_wrapped(const char *label, int indent, const char *text)
{
	int col = printf("%*s%-*s", indent, "", 12, label);
	int start = col;
	const char *p = text;

	while (*p) {
		size_t w;

		while (*p == ' ' || *p == '\n')
			p++;
		w = strcspn(p, " \n");
		if (w == 0)
			break;
		if (col > start && col + 1 + (int)w > WRAP)
			col = printf("\n%*s", start, "") - 1;
		else if (col > start)
			col += printf(" ");
		col += printf("%.*s", (int)w, p);
		p += w;
	}
	putchar('\n');
}

/* ---- list ---------------------------------------------------------------- */

/* Every model of the directory, loaded (a bad file is reported, counts as
 * a failure and is left out), then written by the sink. */
static int do_list(const char *models_dir, const struct report_sink *sink)
{
	struct mp_error err;
	struct resolve_entry *list;
	struct model **m;
	size_t n, k = 0;
	int status = MP_EXIT_OK;

	mp_error_clear(&err);
	if (resolve_list(RESOLVE_MODEL, models_dir, &list, &n, &err) != 0)
		return cli_fail(&err);
	if ((m = calloc(n + 1, sizeof *m)) == NULL)
		status = cli_failf("out of memory");
	for (size_t i = 0; m != NULL && i < n; i++) {
		if ((m[k] = model_load(list[i].path, &err)) == NULL)
			status = cli_fail(&err);
		else
			k++;
	}
	errno = 0;
	if (m != NULL && sink->laws(stdout, &(struct report_laws){
	                             k, (const struct model *const *)m }) != 0)
		status = cli_failf("error writing standard output: %s",
		                   errno ? strerror(errno) : "write error");
	for (size_t i = 0; m != NULL && i < k; i++)
		model_free(m[i]);
	free(m);
	resolve_list_free(list, n);
	return status;
}

/* ---- show ---------------------------------------------------------------- */

static const char *num(double v, char *buf, size_t n)
{
	return yamldoc_fmt_number(v, 10, buf, n);
}

static void show_var(const struct law_var *v)
{
	char a[48], b[48];

	printf("    %-10s %-13s", v->name, law_role_name(v->role));
	if (!isnan(v->fit_lo))
		printf(" fit [%s, %s]", num(v->fit_lo, a, sizeof a),
		       num(v->fit_hi, b, sizeof b));
	if (v->n_values > 0) {
		printf(" values [");
		for (size_t i = 0; i < v->n_values; i++)
			printf("%s%s", i ? ", " : "", num(v->values[i], a, sizeof a));
		printf("]");
	}
	putchar('\n');
}

static const char *count_meaning(enum law_count c)
{
	switch (c) {
	case COUNT_TOTAL: return "all parameters, embeddings included";
	case COUNT_ACTIVE: return "active parameters per token, embeddings included";
	case COUNT_NONEMB_TOTAL: return "all parameters minus embeddings";
	case COUNT_NONEMB_ACTIVE: return "active parameters minus embeddings";
	case COUNT_DENSE_BASE: return "the dense model the MoE mirrors or upcycles";
	default: return "?";
	}
}

static void show_law(const struct law *L)
{
	struct mp_error err;
	char buf[48];

	printf("\nlaw %s:%s\n", L->model, L->name);
	printf("  %-12s%s\n", "path", law_path_name(L->path));
	printf("  %-12s%s (%s)\n", "params", law_count_name(L->count),
	       count_meaning(L->count));
	printf("  %-12s%s\n", "loss", L->loss_src);
	printf("  %-12s%s\n", "flops", L->flops_src);
	for (size_t i = 0; i < L->n_derived; i++)
		printf("  %-12s%s = %s\n", i ? "" : "derived", L->derived_name[i],
		       L->derived_src[i]);
	if (L->baseline)
		printf("  %-12s%s\n", "baseline", L->baseline);
	printf("  coefficients\n");
	for (size_t i = 0; i < L->n_coef; i++) {
		if (isnan(L->coef_value[i]))
			printf("    %-10s (not fitted)\n", L->coef_name[i]);
		else
			printf("    %-10s %s\n", L->coef_name[i],
			       num(L->coef_value[i], buf, sizeof buf));
	}
	printf("  variables\n");
	for (size_t i = 0; i < L->n_vars; i++)
		show_var(&L->vars[i]);
	mp_error_clear(&err);
	if (law_check_fitted(L, &err) != 0)
		print_wrapped("status", 2, err.msg);
	if (L->note)
		print_wrapped("note", 2, L->note);
}

static void show_shape(const struct shape_policy *p)
{
	printf("\nshape policy\n");
	printf("  %-16s%g\n", "aspect", p->aspect);
	printf("  %-16s%d\n", "d_multiple", p->d_multiple);
	printf("  %-16s%d\n", "head_dim", p->head_dim);
	printf("  %-16s%d\n", "kv_group", p->kv_group);
	printf("  %-16s%s\n", "mlp", p->mlp_matrices == 3 ? "swiglu" : "gelu");
	printf("  %-16s%.6g\n", "ffn_mult", p->ffn_mult);
	printf("  %-16s%d\n", "ffn_multiple", p->ffn_multiple);
	printf("  %-16s%d\n", "vocab", p->vocab);
	printf("  %-16s%d\n", "seq", p->seq);
	printf("  %-16s%s\n", "tied", p->tied ? "true" : "false");
	printf("  %-16s%d\n", "experts", p->experts);
	printf("  %-16s%d\n", "top_k", p->top_k);
	printf("  %-16s%d\n", "shared_experts", p->shared_experts);
	printf("  %-16s%d\n", "moe_every", p->moe_every);
	printf("  %-16s%g\n", "granularity", p->granularity);
}

/* What variant law V changes in the file's own law B: its loss, flops
 * and derived expressions where they differ. */
static void show_variant_law(const struct law *V, const struct law *B)
{
	printf("  %-12s%s\n", "law", V->name);
	if (B == NULL || strcmp(V->loss_src, B->loss_src) != 0)
		printf("    %-10s%s\n", "loss", V->loss_src);
	if (B == NULL || strcmp(V->flops_src, B->flops_src) != 0)
		printf("    %-10s%s\n", "flops", V->flops_src);
	for (size_t i = 0; i < V->n_derived; i++)
		if (B == NULL || i >= B->n_derived ||
		    strcmp(V->derived_src[i], B->derived_src[i]) != 0)
			printf("    %-10s%s = %s\n", "derived", V->derived_name[i],
			       V->derived_src[i]);
}

/* The file's other readings (variants:), each with its note and what it
 * changes; with only, the variants that change that law. */
static void show_variants(const struct model *m, const struct law *only)
{
	int head = 0;

	for (size_t i = 0; i < m->n_variants; i++) {
		const struct model_variant *v = &m->variant[i];
		int touches = only == NULL;

		for (size_t j = 0; j < v->n_laws && !touches; j++)
			touches = strcmp(v->laws[j]->name, only->name) == 0;
		if (!touches)
			continue;
		if (!head++)
			printf("\nvariants (the file's own reading: %s)\n",
			       m->default_variant);
		printf("\nvariant %s\n", v->name);
		if (v->note)
			print_wrapped("note", 2, v->note);
		for (size_t j = 0; j < v->n_laws; j++)
			if (only == NULL || strcmp(v->laws[j]->name, only->name) == 0)
				show_variant_law(v->laws[j],
				                 model_law(m, v->laws[j]->name));
	}
}

static void show_model(const struct model *m, const struct law *only)
{
	printf("model       %s\n", m->name);
	print_wrapped("title", 0, m->title);
	print_wrapped("source", 0, m->source);
	printf("%-12s%s\n", "provenance", m->provenance);
	printf("%-12s%s\n", "units",
	       "loss in nats; params and tokens in raw counts; compute in FLOPs");
	if (m->note)
		print_wrapped("note", 0, m->note);
	for (size_t i = 0; i < m->n_laws; i++)
		if (only == NULL || only == m->laws[i])
			show_law(m->laws[i]);
	show_variants(m, only);
	report_laws_datacon_text(stdout, m);
	show_shape(&m->shape);
}

static int do_show(const char *spec, const char *models_dir)
{
	struct mp_error err;
	char *name, *law;
	const struct law *only = NULL;
	struct model *m;
	int status = MP_EXIT_OK;

	mp_error_clear(&err);
	if (model_split_spec(spec, &name, &law, &err) != 0)
		return cli_usage(CMD, "%s", err.msg);
	m = model_open(name, models_dir, &err);
	if (m == NULL)
		status = cli_fail(&err);
	else if (law != NULL && (only = model_law(m, law)) == NULL)
		status = cli_usage(CMD, "model %s has no law '%s'", m->name, law);
	else
		show_model(m, only);
	model_free(m);
	free(name);
	free(law);
	return status;
}

/* ---- check --------------------------------------------------------------- */

static int do_check(int n, char **files)
{
	struct mp_error err;
	int status = MP_EXIT_OK;

	for (int i = 0; i < n; i++) {
		struct model *m = model_load(files[i], &err);

		if (m == NULL) {
			status = cli_fail(&err);
			continue;
		}
		printf("%s: ok (%zu law%s", files[i], m->n_laws,
		       m->n_laws == 1 ? "" : "s");
		if (m->n_variants > 0)
			printf(", %zu variant%s", m->n_variants,
			       m->n_variants == 1 ? "" : "s");
		printf(")\n");
		model_free(m);
	}
	return status;
}

int cmd_laws(int argc, char **argv)
{
	const char *models_dir = NULL, *sub;
	const struct report_sink *sink;
	int rc;

	if ((rc = cli_models_dir_opts(CMD, argc, argv, &models_dir, REPORT_LAWS,
	                              &sink, help)) != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	argc -= optind;
	argv += optind;
	sub = argc > 0 ? argv[0] : "list";
	if (strcmp(sub, "list") == 0) {
		if (argc > 1)
			return cli_usage(CMD, "list takes no arguments");
		return do_list(models_dir, sink);
	}
	if (sink != report_sink_for(REPORT_LAWS, "table"))
		return cli_usage(CMD, "--format: only 'laws list' has formats; '%s' "
		                 "prints text", sub);
	if (strcmp(sub, "show") == 0) {
		if (argc != 2)
			return cli_usage(CMD, "show takes one model, NAME[:LAW]");
		return do_show(argv[1], models_dir);
	}
	if (strcmp(sub, "check") == 0) {
		if (argc < 2)
			return cli_usage(CMD, "check needs a model file");
		return do_check(argc - 1, argv + 1);
	}
	return cli_usage(CMD, "unknown subcommand '%s' (list, show or check)", sub);
}
