/*
 * report_laws.c — the list of model files (`moeplan laws list`) in every
 * format that fits it: the table (one line per model: name, its laws,
 * its source, "[not fitted]" when a law lacks coefficients), CSV (one row
 * per model, laws separated by ';'), and the JSON/YAML document (written
 * by report_doc.c), which carries a model's data_constrained: block; and
 * that block as text, for `laws show` (report_laws_datacon_text).
 */
#include "config.h"

#include "report.h"

#include <stdio.h>
#include <string.h>

#include "report_impl.h"

/* "dense, moe, upcycled" (sep ", ") into buf. */
static const char *law_names(const struct model *m, const char *sep,
                             char *buf, size_t n)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->n_laws; i++)
		if (len + strlen(m->laws[i]->name) + strlen(sep) + 1 < n)
			len += (size_t)snprintf(buf + len, n - len, "%s%s",
			                        i ? sep : "", m->laws[i]->name);
	return buf;
}

static int fitted(const struct model *m)
{
	for (size_t i = 0; i < m->n_laws; i++)
		if (!m->laws[i]->fitted)
			return 0;
	return 1;
}

int report_laws_table(FILE *f, const struct report_laws *r)
{
	char names[128];

	for (size_t i = 0; i < r->n; i++) {
		const struct model *m = r->models[i];

		fprintf(f, "%-18s %-24s %s%s\n", m->name,
		        law_names(m, ", ", names, sizeof names), m->source,
		        fitted(m) ? "" : " [not fitted]");
	}
	return ferror(f) ? -1 : 0;
}

int report_laws_csv(FILE *f, const struct report_laws *r)
{
	char names[1024];

	fputs("name,laws,source,fitted\n", f);
	for (size_t i = 0; i < r->n; i++) {
		const struct model *m = r->models[i];

		report_csv_str(f, m->name);
		fputc(',', f);
		report_csv_str(f, law_names(m, ";", names, sizeof names));
		fputc(',', f);
		report_csv_str(f, m->source);
		fprintf(f, ",%d\n", fitted(m));
	}
	return ferror(f) ? -1 : 0;
}

/* data_constrained: (core/datacon.h) as an object of the tree. */
static void datacon_tree(struct emit *e, const struct datacon *dc)
{
	emit_key(e, "data_constrained");
	emit_object_begin(e);
	emit_kv_number(e, "R_D_star", dc->R_D_star);
	emit_kv_number(e, "R_N_star", dc->R_N_star);
	emit_kv_string(e, "U_N_law", dc->law ? dc->law : "");
	emit_kv_string(e, "source", dc->source ? dc->source : "");
	if (dc->note != NULL)
		emit_kv_string(e, "note", dc->note);
	emit_object_end(e);
}

int report_laws_datacon_text(FILE *f, const struct model *m)
{
	const struct datacon *dc = m->data_constrained;

	if (dc == NULL)
		return 0;
	fprintf(f, "\ndata constrained (repeated tokens, excess parameters)\n");
	fprintf(f, "  %-12s%.8g\n", "R_D_star", dc->R_D_star);
	fprintf(f, "  %-12s%.8g\n", "R_N_star", dc->R_N_star);
	fprintf(f, "  %-12s%s (U_N = min(N, N_opt(U_D)) by its frontier)\n",
	        "U_N_law", dc->law ? dc->law : "");
	if (dc->source != NULL)
		fprintf(f, "  %-12s%s\n", "source", dc->source);
	if (dc->note != NULL)
		fprintf(f, "  %-12s%s\n", "note", dc->note);
	return ferror(f) ? -1 : 0;
}

void report_laws_tree(struct emit *e, const struct report_laws *r)
{
	emit_object_begin(e);
	emit_key(e, "models");
	emit_array_begin(e);
	for (size_t i = 0; i < r->n; i++) {
		const struct model *m = r->models[i];

		emit_object_begin(e);
		emit_kv_string(e, "name", m->name);
		emit_kv_string(e, "title", m->title);
		emit_kv_string(e, "source", m->source);
		emit_kv_string(e, "provenance", m->provenance);
		emit_key(e, "laws");
		emit_array_begin(e);
		for (size_t k = 0; k < m->n_laws; k++)
			emit_string(e, m->laws[k]->name);
		emit_array_end(e);
		emit_kv_bool(e, "fitted", fitted(m));
		if (m->data_constrained != NULL)
			datacon_tree(e, m->data_constrained);
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_object_end(e);
}
