/*
 * report_files.c — the data files installed (`moeplan list KIND`) in every
 * format that fits: the table (name and file, one line each, for people
 * and for shell completion, which takes the first column), CSV (name,path)
 * and the JSON/YAML document { "kind", "files": [ { "name", "path" } ] }
 * (written by report_doc.c).
 */
#include "config.h"

#include "report.h"

#include <stdio.h>
#include <string.h>

#include "report_impl.h"

int report_files_table(FILE *f, const struct report_files *r)
{
	size_t w = 0;

	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->name[i]) > w)
			w = strlen(r->name[i]);
	for (size_t i = 0; i < r->n; i++)
		fprintf(f, "%-*s  %s\n", (int)w, r->name[i], r->path[i]);
	return ferror(f) ? -1 : 0;
}

int report_files_csv(FILE *f, const struct report_files *r)
{
	fputs("name,path\n", f);
	for (size_t i = 0; i < r->n; i++) {
		report_csv_str(f, r->name[i]);
		fputc(',', f);
		report_csv_str(f, r->path[i]);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

void report_files_tree(struct emit *e, const struct report_files *r)
{
	emit_object_begin(e);
	emit_kv_string(e, "kind", r->kind);
	emit_key(e, "files");
	emit_array_begin(e);
	for (size_t i = 0; i < r->n; i++) {
		emit_object_begin(e);
		emit_kv_string(e, "name", r->name[i]);
		emit_kv_string(e, "path", r->path[i]);
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_object_end(e);
}
