/*
 * report_eval.c — one law evaluated at one point (`moeplan eval`) in every
 * format that fits it: the table (one "name value" line each for the loss,
 * the FLOPs and every derived quantity, six significant digits), one CSV
 * row, and the JSON/YAML document (written by report_doc.c) with the
 * variables as given.
 */
#include "config.h"

#include "report.h"

#include <stdio.h>

#include "io/yamldoc.h"
#include "report_impl.h"

/* Six significant digits, exponent trimmed: 1.5852e21. */
static const char *fmt_num(double v, char *buf, size_t n)
{
	return yamldoc_fmt_number(v, 6, buf, n);
}

int report_eval_table(FILE *f, const struct report_eval *r)
{
	const struct law *L = r->law;
	char buf[64];

	fprintf(f, "loss %.6f\n", r->loss);
	fprintf(f, "flops %s\n", fmt_num(r->flops, buf, sizeof buf));
	for (size_t i = 0; i < L->n_derived; i++)
		fprintf(f, "%s %s\n", L->derived_name[i],
		        fmt_num(r->derived[i], buf, sizeof buf));
	return ferror(f) ? -1 : 0;
}

/* model,law,VAR...,loss,flops,DERIVED... and one row of values. */
int report_eval_csv(FILE *f, const struct report_eval *r)
{
	const struct law *L = r->law;

	fputs("model,law", f);
	for (size_t i = 0; i < L->n_vars; i++) {
		fputc(',', f);
		report_csv_str(f, L->vars[i].name);
	}
	fputs(",loss,flops", f);
	for (size_t i = 0; i < L->n_derived; i++) {
		fputc(',', f);
		report_csv_str(f, L->derived_name[i]);
	}
	fputc('\n', f);
	report_csv_str(f, L->model);
	fputc(',', f);
	report_csv_str(f, L->name);
	for (size_t i = 0; i < L->n_vars; i++) {
		fputc(',', f);
		report_csv_num(f, r->x[i]);
	}
	fputc(',', f);
	report_csv_num(f, r->loss);
	fputc(',', f);
	report_csv_num(f, r->flops);
	for (size_t i = 0; i < L->n_derived; i++) {
		fputc(',', f);
		report_csv_num(f, r->derived[i]);
	}
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

void report_eval_tree(struct emit *e, const struct report_eval *r)
{
	const struct law *L = r->law;

	emit_object_begin(e);
	emit_kv_string(e, "model", L->model);
	emit_kv_string(e, "law", L->name);
	emit_key(e, "variables");
	emit_object_begin(e);
	for (size_t i = 0; i < L->n_vars; i++)
		emit_kv_number(e, L->vars[i].name, r->x[i]);
	emit_object_end(e);
	emit_kv_number(e, "loss", r->loss);
	emit_kv_number(e, "flops", r->flops);
	emit_key(e, "derived");
	emit_object_begin(e);
	for (size_t i = 0; i < L->n_derived; i++)
		emit_kv_number(e, L->derived_name[i], r->derived[i]);
	emit_object_end(e);
	emit_object_end(e);
}
