/*
 * report_bands.c — what the sinks print of a plan with uncertainty
 * (report_info's bands, core/uncertainty.h): the table's block of bands
 * after a plan (per path p10 / p50 / p90 of N, D, loss, hours and money
 * where the plan has them, and P(best)) and the frontier's, the CSV's
 * columns, and the JSON/YAML "uncertainty" objects; and the note of each
 * law without a covariance.  The sinks call these only when info->unc.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "report_impl.h"

#define CELL 128
#define ROWS 12
#define NONE_TEXT "\nuncertainty: none: no law planned has a covariance " \
	"(moeplan fit --bootstrap writes one)\n"

/* 1 if some planned path of b has quantity q. */
static int any_qty(const struct unc_bands *b, int q)
{
	for (int p = 0; p < PATH_COUNT; p++)
		if (b->planned[p] && isfinite(b->q[p][q].p50))
			return 1;
	return 0;
}

/* "law liew2025/dense has no covariance: no uncertainty" for each. */
static void point_notes(FILE *f, const struct report_info *info)
{
	for (size_t k = 0; k < info->n_unc_point; k++) {
		const struct law *L = info->unc_point[k];

		fprintf(f, "  law %s/%s has no covariance: no uncertainty%s\n",
		        L->model, L->name, info->bands != NULL ?
		        " (its path is drawn at its point values)" : "");
	}
}

/* One value as the table shows quantity q. */
static void human(int q, double v, char *buf, size_t n)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (q == UNC_LOSS)
		snprintf(buf, n, "%.4f", v);
	else if (q == UNC_USD)
		units_fmt_usd(v, buf, n);
	else
		units_fmt_count(v, buf, n);
}

static void band_cell(const struct unc_band *b, int q, char *cell)
{
	char x[3][32];

	human(q, b->p10, x[0], sizeof x[0]);
	human(q, b->p50, x[1], sizeof x[1]);
	human(q, b->p90, x[2], sizeof x[2]);
	snprintf(cell, CELL, "%s / %s / %s", x[0], x[1], x[2]);
}

struct band_grid {
	int rows, cols;
	char cell[ROWS][1 + PATH_COUNT][CELL];
};

/* Column c: path p's bands, one row per quantity shown, then P(best),
 * whether its law is drawn, and the draws it solved in when not all. */
static void band_column(struct band_grid *g, int c, const struct unc_bands *b,
                        int p, const int *show, int show_solved)
{
	static const char *const label[UNC_QTYS] = {
		"N p10 / p50 / p90", "D p10 / p50 / p90", "loss p10 / p50 / p90",
		"hours p10 / p50 / p90", "usd p10 / p50 / p90",
	};
	int r = 0;

	snprintf(g->cell[r++][c], CELL, "%s", report_path_name(p));
	for (int q = 0; q < UNC_QTYS; q++)
		if (show[q]) {
			snprintf(g->cell[r][0], CELL, "%s", label[q]);
			band_cell(&b->q[p][q], q, g->cell[r++][c]);
		}
	snprintf(g->cell[r][0], CELL, "P(best)");
	snprintf(g->cell[r++][c], CELL, "%.1f%%", 100 * b->p_best[p]);
	snprintf(g->cell[r][0], CELL, "coefficients");
	snprintf(g->cell[r++][c], CELL, "%s", b->drawn[p] == 1 ? "drawn" :
	         b->drawn[p] == 2 ? "point (baseline drawn)" : "point values");
	if (show_solved) {
		snprintf(g->cell[r][0], CELL, "solved in");
		snprintf(g->cell[r++][c], CELL, "%zu of %zu draws", b->solved[p],
		         b->draws);
	}
	g->rows = r;
}

static void bands_grid(FILE *f, const struct unc_bands *b)
{
	static struct band_grid g;
	int show[UNC_QTYS], show_solved = 0, c = 1;

	memset(&g, 0, sizeof g);
	for (int q = 0; q < UNC_QTYS; q++)
		show[q] = q <= UNC_LOSS || any_qty(b, q);
	for (int p = 0; p < PATH_COUNT; p++)
		show_solved |= b->planned[p] && b->solved[p] < b->draws;
	for (int p = 0; p < PATH_COUNT; p++)
		if (b->planned[p])
			band_column(&g, c++, b, p, show, show_solved);
	g.cols = c;
	report_cells_print(f, &g.cell[0][0][0], g.rows, g.cols, sizeof g.cell[0],
	                   sizeof g.cell[0][0]);
}

void report_bands_table_plan(FILE *f, const struct report_info *info)
{
	const struct unc_bands *b = info->bands;

	if (!info->unc)
		return;
	if (b == NULL) {
		fputs(NONE_TEXT, f);
		point_notes(f, info);
		return;
	}
	fprintf(f, "\nuncertainty: %zu draws (seed %lu) of the coefficients from "
	        "each law's fitted covariance\n", b->draws, b->seed);
	bands_grid(f, b);
	if (b->has_keep)
		fprintf(f, "P(keep the checkpoint): %.1f%%\n", 100 * b->p_keep);
	if (b->p_none > 0)
		fprintf(f, "P(no plan): %.1f%%\n", 100 * b->p_none);
	point_notes(f, info);
}

/* The frontier: per budget, each path's loss band and P(best). */
void report_bands_table_frontier(FILE *f, const struct frontier *fr,
                                 const struct report_info *info)
{
	char b[CELL], cell[CELL];

	if (!info->unc)
		return;
	if (info->bands == NULL || info->n_bands != fr->n) {
		fputs(NONE_TEXT, f);
		point_notes(f, info);
		return;
	}
	fprintf(f, "\nuncertainty: %zu draws (seed %lu) a budget; loss p10 / p50 "
	        "/ p90, P(best)\n", info->bands[0].draws, info->bands[0].seed);
	for (size_t k = 0; k < fr->n; k++) {
		const struct unc_bands *u = &info->bands[k];

		fprintf(f, "  %s", report_budget_text(fr->pt[k].budget, info, b,
		                                      sizeof b));
		for (int p = 0; p < PATH_COUNT; p++)
			if (u->planned[p]) {
				band_cell(&u->q[p][UNC_LOSS], UNC_LOSS, cell);
				fprintf(f, "; %s %s, %.0f%%", report_path_name(p), cell,
				        100 * u->p_best[p]);
			}
		if (u->has_keep)
			fprintf(f, "; checkpoint %.0f%%", 100 * u->p_keep);
		fputc('\n', f);
	}
	point_notes(f, info);
}

/* ---- CSV ------------------------------------------------------------------ */

void report_bands_csv_header(FILE *f, const struct report_info *info)
{
	static const char *const pct[3] = { "p10", "p50", "p90" };

	if (!info->unc)
		return;
	for (int q = 0; q < UNC_QTYS; q++)
		for (int k = 0; k < 3; k++)
			fprintf(f, ",%s_%s", unc_qty_name(q), pct[k]);
	fputs(",p_best,p_keep,p_none,draws,drawn", f);
}

/* Path p's band columns: empty without bands. */
void report_bands_csv_row(FILE *f, const struct report_info *info, int p)
{
	const struct unc_bands *b = info->bands;

	if (!info->unc)
		return;
	for (int q = 0; q < UNC_QTYS; q++) {
		const struct unc_band *u = b != NULL ? &b->q[p][q] : NULL;

		fputc(',', f);
		report_csv_num(f, u ? u->p10 : NAN);
		fputc(',', f);
		report_csv_num(f, u ? u->p50 : NAN);
		fputc(',', f);
		report_csv_num(f, u ? u->p90 : NAN);
	}
	fputc(',', f);
	report_csv_num(f, b ? b->p_best[p] : NAN);
	fputc(',', f);
	report_csv_num(f, b && b->has_keep ? b->p_keep : NAN);
	fputc(',', f);
	report_csv_num(f, b ? b->p_none : NAN);
	fprintf(f, ",%zu,%d", b ? b->draws : 0, b ? b->drawn[p] : 0);
}

/* The frontier CSV's columns: PATH_loss_p10, _p50, _p90, PATH_p_best for
 * every path, planned or not, then p_keep. */
void report_bands_csv_frontier_header(FILE *f, const struct report_info *info)
{
	if (!info->unc)
		return;
	for (int p = 0; p < PATH_COUNT; p++)
		fprintf(f, ",%s_loss_p10,%s_loss_p50,%s_loss_p90,%s_p_best",
		        report_path_name(p), report_path_name(p), report_path_name(p),
		        report_path_name(p));
	fputs(",p_keep", f);
}

void report_bands_csv_frontier_row(FILE *f, const struct report_info *info,
                                   size_t k)
{
	const struct unc_bands *b = info->bands != NULL && k < info->n_bands ?
	                            &info->bands[k] : NULL;

	if (!info->unc)
		return;
	for (int p = 0; p < PATH_COUNT; p++) {
		int ok = b != NULL && b->planned[p];

		fputc(',', f);
		report_csv_num(f, ok ? b->q[p][UNC_LOSS].p10 : NAN);
		fputc(',', f);
		report_csv_num(f, ok ? b->q[p][UNC_LOSS].p50 : NAN);
		fputc(',', f);
		report_csv_num(f, ok ? b->q[p][UNC_LOSS].p90 : NAN);
		fputc(',', f);
		report_csv_num(f, ok ? b->p_best[p] : NAN);
	}
	fputc(',', f);
	report_csv_num(f, b != NULL && b->has_keep ? b->p_keep : NAN);
}

/* ---- JSON and YAML --------------------------------------------------------- */

static void tree_band(struct emit *e, const char *key, const struct unc_band *b)
{
	emit_key(e, key);
	emit_object_begin(e);
	emit_kv_number(e, "p10", b->p10);
	emit_kv_number(e, "p50", b->p50);
	emit_kv_number(e, "p90", b->p90);
	emit_object_end(e);
}

/* Path p's "uncertainty": { drawn, solved, params..usd: {p10, p50, p90}
 * (the quantities it has), p_best }, under frontier point k's bands (0
 * for a plan); null without bands. */
void report_bands_tree_path(struct emit *e, const struct report_info *info,
                            size_t k, int p)
{
	const struct unc_bands *b = info->bands != NULL && k < info->n_bands ?
	                            &info->bands[k] : NULL;

	if (!info->unc)
		return;
	if (b == NULL) {
		emit_kv_null(e, "uncertainty");
		return;
	}
	emit_key(e, "uncertainty");
	emit_object_begin(e);
	emit_kv_bool(e, "drawn", b->drawn[p] == 1);
	emit_kv_bool(e, "baseline_drawn", b->drawn[p] == 2);
	emit_kv_int(e, "solved", (long long)b->solved[p]);
	for (int q = 0; q < UNC_QTYS; q++)
		if (isfinite(b->q[p][q].p50))
			tree_band(e, unc_qty_name(q), &b->q[p][q]);
	emit_kv_number(e, "p_best", b->p_best[p]);
	emit_object_end(e);
}

/* The top-level "uncertainty": { draws, seed, p_best: { PATH: share },
 * p_keep (with a checkpoint), p_none, no_covariance: [ "model/law" ] };
 * with point k's shares (k = (size_t)-1: none, a frontier's top level). */
void report_bands_tree(struct emit *e, const struct report_info *info,
                       size_t k)
{
	const struct unc_bands *b = info->bands;
	char name[REPORT_NAME_LEN];

	if (!info->unc)
		return;
	emit_key(e, "uncertainty");
	emit_object_begin(e);
	emit_kv_int(e, "draws", b != NULL ? (long long)b->draws : 0);
	if (b != NULL)
		emit_kv_int(e, "seed", (long long)b->seed);
	if (b != NULL && k < info->n_bands) {
		b += k;
		emit_key(e, "p_best");
		emit_object_begin(e);
		for (int p = 0; p < PATH_COUNT; p++)
			if (b->planned[p])
				emit_kv_number(e, report_path_name(p), b->p_best[p]);
		emit_object_end(e);
		if (b->has_keep)
			emit_kv_number(e, "p_keep", b->p_keep);
		emit_kv_number(e, "p_none", b->p_none);
	}
	emit_key(e, "no_covariance");
	emit_array_begin(e);
	for (size_t j = 0; j < info->n_unc_point; j++) {
		snprintf(name, sizeof name, "%.120s/%.120s", info->unc_point[j]->model,
		         info->unc_point[j]->name);
		emit_string(e, name);
	}
	emit_array_end(e);
	emit_object_end(e);
}

/* A frontier point's shares: "uncertainty": { p_best, p_keep, p_none }. */
void report_bands_tree_point(struct emit *e, const struct report_info *info,
                             size_t k)
{
	const struct unc_bands *b;

	if (!info->unc || info->bands == NULL || k >= info->n_bands)
		return;
	b = &info->bands[k];
	emit_key(e, "uncertainty");
	emit_object_begin(e);
	emit_key(e, "p_best");
	emit_object_begin(e);
	for (int p = 0; p < PATH_COUNT; p++)
		if (b->planned[p])
			emit_kv_number(e, report_path_name(p), b->p_best[p]);
	emit_object_end(e);
	if (b->has_keep)
		emit_kv_number(e, "p_keep", b->p_keep);
	emit_kv_number(e, "p_none", b->p_none);
	emit_object_end(e);
}
