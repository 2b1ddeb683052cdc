/*
 * test_view.c — the view model (src/tui/view.c), without any terminal
 * code: budget steps and unit conversions against hand arithmetic, and a
 * view built from a real plan and frontier holding what they hold (one
 * column per planned path, the winner, every warning, one chart series
 * per path, the crossovers).  Links libmoeplan only: no curses.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/tap.h"
#include "io/report_fields.h"
#include "tui/view.h"
#include "io/datadir.h"
#include "io/model_load.h"

static void steps_and_units(void)
{
	char b[64];

	/* sqrt(10) = 3.16227766016837933; 10^22.5 = 3.16227766016837933e22 */
	check_rel(view_budget_step(1e22, +1), 3.16227766016837933e22, 1e-12,
	          "1e22 one step up is 1e22 sqrt(10)");
	check_rel(view_budget_step(1e22, -1), 3.16227766016837933e21, 1e-12,
	          "1e22 one step down is 1e22 / sqrt(10)");
	check(view_budget_step(view_budget_step(1e22, +1), +1) == 1e23,
	      "two steps up from 1e22 land exactly on 1e23");
	check(view_budget_step(view_budget_step(1e22, -1), +1) == 1e22,
	      "down and up again is exactly 1e22");
	check_rel(view_budget_step(2e22, +1), 6.32455532033675867e22, 1e-12,
	          "2e22 one step up is 2e22 sqrt(10)");
	check_str(view_fmt_budget(1e22, UNIT_FLOPS, b, sizeof b), "1.0e22 FLOPs",
	          "1e22 shown as FLOPs");
	check_str(view_fmt_budget(NAN, UNIT_USD, b, sizeof b), "-",
	          "a budget that does not exist is '-'");
}

/* The result rows are the field table's TUI rows (io/report_fields.h):
 * every field with a TUI label is a row, in the table's order -- a row of
 * what a sunk checkpoint cost only when the plan has that (sunk: the
 * plan's upcycle path has sunk device-hours), of the within-fit plan only
 * when a path is extrapolated (within), none of those a target, serving
 * or unique tokens add (FIELD_TUI_IF_ANY, none here) -- and a solved path's cells
 * are filled (no empty cell: "-" where unknown). */
static void result_rows(const struct view *v, int sunk, int within)
{
	size_t r = 0, tui = 0;
	int filled = 1;

	for (const struct report_field *f = report_fields; f->key != NULL; f++) {
		if (f->tui == NULL || (f->table_when == WHEN_SUNK && !sunk) ||
		    (f->table_when == WHEN_WITHIN && !within) ||
		    (f->flags & FIELD_TUI_IF_ANY))   /* none of them here */
			continue;
		tui++;
		if (r < v->n_rows && strcmp(v->row[r].label, f->tui) == 0)
			r++;
		else
			printf("# field %s (TUI row '%s') is not view row %zu\n", f->key,
			       f->tui, r);
	}
	check(tui > 0, "the field table has TUI rows");
	check_int((long)v->n_rows, (long)tui, "a view row per TUI field");
	check_int((long)r, (long)tui, "every TUI field is a view row, in order");
	for (size_t k = 0; k < v->n_rows; k++)
		for (int c = 0; c < v->n_cols; c++)
			filled &= v->row[k].cell[c][0] != '\0';
	check(filled, "no result cell is empty");
}

/*
 * A second law set to compare with (here the same plan with its dense
 * loss raised by 0.125 and another best: a made-up set), its frontier (the
 * plan's own), the within-fit switch, the provenance and the checkpoint's
 * line on the chart.
 */
static void compare_and_fit(struct view_request *vr, const struct plan *pl,
                            const struct frontier *fr)
{
	static struct view v;
	static struct plan other;
	struct mp_error e;
	char want[VIEW_WARN_LEN];
	size_t n = 0, k = 0;
	int ok = 1, dense_col = -1;

	other = *pl;
	other.path[PATH_DENSE].loss = pl->path[PATH_DENSE].loss + 0.125;
	other.best = PATH_DENSE;
	other.keep = 0;
	vr->n_variants = 0;
	vr->compare = "madeup";
	vr->cmp_plan = &other;
	vr->cmp_fr = fr;
	vr->within_fit = 1;
	vr->provenance = "extract";
	check(view_build(&v, vr, pl, fr, &e) == 0, "view_build with a comparison");
	check_str(v.row[1].label, "vs madeup", "the comparison row, second");
	for (int c = 0; c < v.n_cols; c++)
		if (v.col_path[c] == PATH_DENSE)
			dense_col = c;
	snprintf(want, sizeof want, "%.4f +0.125", pl->path[PATH_DENSE].loss + 0.125);
	check(dense_col >= 0, "a dense column");
	if (dense_col >= 0)
		check_str(v.row[1].cell[dense_col], want, "the other set's dense loss "
		          "and its difference");
	snprintf(want, sizeof want, "under madeup: best dense (loss %.4f%s): the "
	         "verdict %s", pl->path[PATH_DENSE].loss + 0.125,
	         pl->path[PATH_DENSE].extrapolated ? ", extrap." : "",
	         pl->best == PATH_DENSE ? "holds" : "differs");
	check_str(v.warn[0], want, "the other set's verdict, a request note");
	check(strstr(v.title, "vs madeup") != NULL &&
	      strstr(v.title, "within fit") != NULL, "the title names both");
	check_str(v.in[VIN_FIT].value, "within", "the fit-box field");
	check_str(v.in[VIN_COMPARE].value, "madeup", "the compare field");
	check(strstr(v.provenance, "extraction") != NULL, "provenance in words");
	/* the comparison curve: the best loss (the checkpoint's where kept)
	 * at each budget */
	for (size_t i = 0; i < fr->n; i++) {
		const struct frontier_point *pt = &fr->pt[i];
		double y = pt->best >= 0 ? pt->loss[pt->best] :
		           pt->keep ? pt->baseline : NAN;

		if (!isfinite(y))
			continue;
		n++;
		if (k < v.chart.cmp.n) {
			ok &= fabs(v.chart.cmp.y[k] - y) < 1e-12 &&
			      fabs(v.chart.cmp.x[k] - log10(pt->budget)) < 1e-12;
			k++;
		}
	}
	check_int((long)v.chart.cmp.n, (long)n, "a comparison point per budget "
	          "with a plan");
	check(ok, "each at the frontier's best loss and budget");
	check_rel(v.chart.baseline, pl->baseline_loss, 1e-12, "the checkpoint's "
	          "loss as a line on the chart");
	check(v.chart.y_lo <= pl->baseline_loss && pl->baseline_loss <= v.chart.y_hi,
	      "inside the chart's loss range");
}

static void from_a_plan(void)
{
	struct mp_error e;
	char *dir = datadir_find("models", NULL, &e);
	struct model *m = dir ? model_open("liew2025", dir, &e) : NULL;
	struct plan_request r;
	struct view_request vr;
	struct plan pl;
	struct frontier fr;
	static struct view v;
	size_t n_warn = 0, n_cols = 0;

	check(m != NULL, "liew2025 loads");
	if (m == NULL) {
		free(dir);
		return;
	}
	memset(&r, 0, sizeof r);
	for (int p = 0; p < PATH_COUNT; p++)
		r.laws[p] = model_law_for_path(m, (enum law_path)p);
	r.laws[PATH_CONTINUE] = r.laws[PATH_DENSE];   /* as session.c plans it */
	r.baseline = model_law(m, r.laws[PATH_UPCYCLE]->baseline);
	r.shape = &m->shape;
	r.has_checkpoint = 1;           /* a checkpoint with crossovers */
	r.ckpt_params = 1e9;
	r.ckpt_tokens = 1e11;
	r.budget = 1e21;
	check(plan_solve(&r, &pl, &e) == 0, "plan_solve");
	check(plan_frontier(&r, 1e18, 1e24, 25, &fr, &e) == 0, "plan_frontier");
	memset(&vr, 0, sizeof vr);
	vr.budget = 1e21;
	vr.unit = UNIT_FLOPS;
	vr.devices = 1;
	vr.price = NAN;
	vr.laws = "liew2025";
	vr.ckpt_N1 = 1e9;
	vr.ckpt_D1 = 1e11;
	vr.selected = PATH_UPCYCLE;
	check(view_build(&v, &vr, &pl, &fr, &e) == 0, "view_build");
	for (int p = 0; p < PATH_COUNT; p++) {
		if (pl.path[p].law == NULL)
			continue;
		n_cols++;
		n_warn += pl.path[p].n_warn + !pl.path[p].solved;
	}
	check_int(v.n_cols, (long)n_cols, "a column per planned path");
	check_int(v.best_col >= 0 ? v.col_path[v.best_col] : -1, pl.best,
	          "the winner's column is the plan's best");
	check_int(v.selected_col >= 0 ? v.col_path[v.selected_col] : -1,
	          PATH_UPCYCLE, "the selected column is the upcycle path");
	check_int((long)v.n_warn, (long)n_warn, "every path's warning is listed");
	check_int((long)v.n_warn_request, 0, "no request warning without hardware");
	check_int((long)v.chart.n_series, (long)n_cols, "a chart series per path");
	check_int((long)v.chart.n_cross, (long)fr.n_cross,
	          "the chart marks every crossover");
	check(fr.n_cross > 0, "this checkpoint has crossovers to mark");
	check_rel(v.chart.marker, 21, 1e-12, "the budget marker at log10 1e21");
	check_rel(v.chart.x_lo, 18, 1e-12, "the chart from 1e18");
	check_rel(v.chart.x_hi, 24, 1e-12, "the chart to 1e24");
	check(v.n_detail > 0 && strncmp(v.detail_title, "upcycle", 7) == 0,
	      "the details are the upcycle path's");
	check_str(v.in[VIN_BUDGET].value, "1.0e21 FLOPs", "the budget field");
	check_str(v.in[VIN_HARDWARE].value, "none (FLOPs only)", "no hardware");
	result_rows(&v, pl.path[PATH_UPCYCLE].hours_sunk > 0,
	            pl.path[PATH_DENSE].has_within || pl.path[PATH_MOE].has_within ||
	            pl.path[PATH_UPCYCLE].has_within);
	/* a reading whose best path differs (here, a made-up one), and one
	 * that keeps the plan's: request notes, in that order */
	{
		struct report_variant rv[2] = {
			{ "log10", pl.best == PATH_MOE ? PATH_DENSE : PATH_MOE, 1.5,
			  0, -1, NAN },
			{ "same", pl.best, pl.path[pl.best].loss, 1, -1, NAN },
		};
		char want[VIEW_WARN_LEN];

		vr.n_variants = 2;
		vr.variants = rv;
		check(view_build(&v, &vr, &pl, &fr, &e) == 0, "view_build with "
		      "variants");
		check_int((long)v.n_warn_request, 2, "a request note per variant");
		snprintf(want, sizeof want, "variant log10: %s (loss 1.5000): the "
		         "verdict flips", rv[0].best == PATH_DENSE ? "dense" : "moe");
		check_str(v.warn[0], want, "a variant with another best: flips");
		snprintf(want, sizeof want, "variant same: %s (loss %.4f, extrap.): "
		         "the verdict holds", law_path_name((enum law_path)pl.best),
		         pl.path[pl.best].loss);
		check_str(v.warn[1], want, "a variant with the same best: holds");
	}
	compare_and_fit(&vr, &pl, &fr);
	plan_frontier_free(&fr);
	model_free(m);
	free(dir);
}

int main(void)
{
	gsl_set_error_handler_off();
	steps_and_units();
	from_a_plan();
	return check_done();
}
