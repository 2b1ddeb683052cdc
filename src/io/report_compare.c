/*
 * report_compare.c — the comparison kind (report.h's struct
 * report_compare): one request planned under several law sets, `moeplan
 * plan --laws A,B,...`.  The table has one column per law set and planned
 * path with the rows that mean the same under every set (law, loss,
 * variables, params, tokens, compute, time and money), then each set's
 * verdict and the note that losses of different sets are not comparable;
 * the CSV is the plan CSV with a "laws" column first; the tree (JSON and
 * YAML through report_doc.c) holds each set's plan document under
 * "law_sets".  Nothing here allocates beyond the table's grid, freed
 * before it returns.
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "report_fields.h"
#include "report_impl.h"

/* The plan fields shown across law sets, in report_fields' order: the
 * architecture rows are left to `plan --laws X`. */
static const char *const across[] = {
	"law", "loss", "baseline_loss", "variables", "within_fit_loss",
	"params", "tokens", "flops", "flops_sunk", "seconds", "hours", "usd",
	"mfu", NULL
};

#define CMP_COLS (1 + REPORT_MAX_LAW_SETS * PATH_COUNT)
#define CMP_ROWS 16
#define CMP_CELL 96

struct cmp_grid {
	int rows, cols;
	char cell[CMP_ROWS][CMP_COLS][CMP_CELL];
};

static int shown_across(const char *key)
{
	for (size_t i = 0; across[i] != NULL; i++)
		if (strcmp(across[i], key) == 0)
			return 1;
	return 0;
}

/* 1 if field f gets a row: it is shown across sets, has a label, and
 * (FIELD_IF_ANY) some solved path of some set knows it. */
static int cmp_wanted(const struct report_field *f,
                      const struct report_compare *r)
{
	if (f->label == NULL || !shown_across(f->key))
		return 0;
	if (!(f->flags & FIELD_IF_ANY))
		return 1;
	for (size_t s = 0; s < r->n; s++)
		for (int i = 0; i < PATH_COUNT; i++) {
			struct field_ctx c = { r->plans[s], i, &r->infos[s] };

			if (report_planned(r->plans[s], i) && r->plans[s]->path[i].solved &&
			    report_field_exists(f, f->table_when, &c) &&
			    (f->kind == FIELD_GROUP || f->human != NULL ||
			     f->kind == FIELD_TEXT || isfinite(report_field_num(f, &c))))
				return 1;
		}
	return 0;
}

/* Column col: law set s's path i; the labels go in column 0. */
static void cmp_column(struct cmp_grid *g, int col,
                       const struct report_compare *r, size_t s, int i)
{
	struct field_ctx c = { r->plans[s], i, &r->infos[s] };
	char b[CMP_CELL];
	int row = 2;

	snprintf(g->cell[0][col], CMP_CELL, "%s", r->laws[s]);
	snprintf(g->cell[1][col], CMP_CELL, "%s", report_path_name(i));
	for (const struct report_field *f = report_fields; f->key != NULL; f++) {
		if (!cmp_wanted(f, r) || row >= CMP_ROWS)
			continue;
		snprintf(g->cell[row][0], CMP_CELL, "%s", f->label);
		if (report_field_exists(f, f->table_when, &c))
			snprintf(g->cell[row][col], CMP_CELL, "%s",
			         report_field_human(f, &c, b, sizeof b));
		else
			snprintf(g->cell[row][col], CMP_CELL, "-");
		row++;
	}
	if (g->rows < row)
		g->rows = row;
}

static void cmp_print(FILE *f, const struct cmp_grid *g)
{
	report_cells_print(f, &g->cell[0][0][0], g->rows, g->cols,
	                   sizeof g->cell[0], sizeof g->cell[0][0]);
}

/* "plan for 1.0e22 FLOPs under 3 law sets, hardware h100 x 8", then
 * each set's source and provenance ("paper", "extract", "derived"), one
 * line each; its assumptions are its own plan's. */
static void cmp_header(FILE *f, const struct report_compare *r)
{
	const struct report_info *info = &r->infos[0];
	char b[CMP_CELL];
	int w = 0;

	fprintf(f, "plan for %s under %zu law sets",
	        report_budget_text(r->plans[0]->budget, info, b, sizeof b), r->n);
	if (info->hardware != NULL) {
		fprintf(f, ", hardware %s", info->hardware);
		if (info->devices > 0)
			fprintf(f, " x %d", info->devices);
	}
	fputs("\n\nlaws from (each set's assumptions: moeplan plan --laws "
	      "SET):\n", f);
	for (size_t s = 0; s < r->n; s++)
		if ((int)strlen(r->laws[s]) > w)
			w = (int)strlen(r->laws[s]);
	for (size_t s = 0; s < r->n; s++) {
		const struct report_info *in = &r->infos[s];

		fprintf(f, "  %-*s  %s", w, r->laws[s], in->source ? in->source : "-");
		if (in->provenance != NULL)
			fprintf(f, " (%s)", in->provenance);
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* "chinchilla: best dense (loss 2.1149), 0.0123 nats below moe" */
static void cmp_verdict(FILE *f, const char *laws, const struct plan *p,
                        const struct report_info *info)
{
	int ru = plan_runner_up(p), w = plan_best_within_fit(p);

	fprintf(f, "  %s", laws);
	if (info->variant != NULL)
		fprintf(f, " (variant %s)", info->variant);
	if (p->keep) {
		fprintf(f, ": keep the checkpoint (loss %.4f)\n", p->baseline_loss);
		return;
	}
	if (p->best < 0) {
		fputs(": none (no path has a plan)\n", f);
		return;
	}
	fprintf(f, ": best %s (loss %.4f)", report_path_name(p->best),
	        p->path[p->best].loss);
	if (p->path[p->best].extrapolated)
		fputs(" (extrapolated)", f);
	if (ru >= 0 && isfinite(p->path[ru].loss - p->path[p->best].loss))
		fprintf(f, ", %.4f nats below %s",
		        p->path[ru].loss - p->path[p->best].loss,
		        report_path_name(ru));
	if (p->path[p->best].extrapolated && w >= 0)
		fprintf(f, "; inside the fit ranges %s (loss %.4f)",
		        report_path_name(w), plan_path_fit_loss(&p->path[w]));
	else if (p->path[p->best].extrapolated)
		fputs("; inside the fit ranges none", f);
	fputc('\n', f);
}

/* Each set's unsolved paths and warnings, prefixed with the set. */
static void cmp_notes(FILE *f, const struct report_compare *r)
{
	int any = 0;

	for (size_t s = 0; s < r->n; s++)
		for (int i = 0; i < PATH_COUNT; i++)
			if (report_planned(r->plans[s], i) && !r->plans[s]->path[i].solved)
				fprintf(f, "%s  %s: %s: %s\n", any++ ? "" : "\nnot solved:\n",
				        r->laws[s], report_path_name(i),
				        r->plans[s]->path[i].why);
	any = 0;
	for (size_t s = 0; s < r->n; s++) {
		const struct plan *p = r->plans[s];

		for (size_t w = 0; w < r->infos[s].n_warn; w++)
			fprintf(f, "%s  %s: %s\n", any++ ? "" : "\nwarnings:\n",
			        r->laws[s], r->infos[s].warn[w]);
		for (int i = 0; i < PATH_COUNT; i++)
			for (size_t w = 0; report_planned(p, i) && w < p->path[i].n_warn &&
			     w < PLAN_MAX_WARN; w++)
				fprintf(f, "%s  %s: %s: %s\n", any++ ? "" : "\nwarnings:\n",
				        r->laws[s], report_path_name(i), p->path[i].warn[w]);
	}
}

int report_compare_table(FILE *f, const struct report_compare *r)
{
	struct cmp_grid *g = calloc(1, sizeof *g);
	int col = 1;

	if (g == NULL)
		return -1;
	cmp_header(f, r);
	for (size_t s = 0; s < r->n && s < REPORT_MAX_LAW_SETS; s++)
		for (int i = 0; i < PATH_COUNT; i++)
			if (report_planned(r->plans[s], i)) {
				g->cols = col + 1;
				cmp_column(g, col++, r, s, i);
			}
	if (col == 1)
		fputs("no path planned\n", f);
	else
		cmp_print(f, g);
	free(g);
	fputs("\nbest per law set:\n", f);
	for (size_t s = 0; s < r->n; s++)
		cmp_verdict(f, r->laws[s], r->plans[s], &r->infos[s]);
	fputc('\n', f);
	report_print_wrapped(f, "note:", REPORT_COMPARE_NOTE);
	cmp_notes(f, r);
	return ferror(f) ? -1 : 0;
}

/* "laws", then the plan CSV's columns; a row per set and planned path. */
int report_compare_csv(FILE *f, const struct report_compare *r)
{
	fputs("laws,", f);
	report_csv_plan_header(f);
	fputc('\n', f);
	for (size_t s = 0; s < r->n; s++)
		for (int i = 0; i < PATH_COUNT; i++) {
			if (!report_planned(r->plans[s], i))
				continue;
			report_csv_str(f, r->laws[s]);
			fputc(',', f);
			report_csv_plan_row(f, r->plans[s], i, &r->infos[s]);
			fputc('\n', f);
		}
	return ferror(f) ? -1 : 0;
}

void report_compare_tree(struct emit *e, const struct report_compare *r)
{
	emit_object_begin(e);
	report_tree_budget(e, r->n > 0 ? r->plans[0]->budget : NAN, &r->infos[0]);
	emit_key(e, "law_sets");
	emit_array_begin(e);
	for (size_t s = 0; s < r->n; s++) {
		emit_object_begin(e);
		emit_kv_string(e, "laws", r->laws[s]);
		emit_kv_string(e, "model", r->infos[s].model);
		report_tree_provenance(e, &r->infos[s]);
		report_tree_plan_members(e, r->plans[s], &r->infos[s]);
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_kv_bool(e, "losses_comparable", 0);
	emit_kv_string(e, "note", REPORT_COMPARE_NOTE);
	emit_object_end(e);
}
