/*
 * report_table.c — the table sink, for people: aligned columns and human
 * units (1.3B params, 2.1T tokens, 3.4e21 FLOPs, loss to 4 decimals).
 *
 * A plan is a grid with one column per planned path and one row per
 * field of report_fields.h that has a table label, built in memory and printed with each column as wide as its
 * widest cell; then the verdict (best path and its margin), the reasons
 * unsolved paths have none, and the warnings.  A frontier is one row per
 * budget, then its crossovers.
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report_fields.h"
#include "report_impl.h"

#define MAX_ROWS 48              /* rows of a plan table */
#define MAX_FIELDS 128           /* at least the rows of report_fields */
#define MAX_COLS (1 + PATH_COUNT + 4)  /* of a frontier table */
#define CELL 160

/* A plan table: labels and one column per path. */
struct table_grid {
	int rows, cols;
	char cell[MAX_ROWS][1 + PATH_COUNT][CELL];
};

static void table_grid_init(struct table_grid *g, int cols)
{
	memset(g, 0, sizeof *g);
	g->cols = cols;
}

/* Row *r of column c: the label (set by the first column), then the value,
 * or "-" when it is not known; advances *r. */
static void put_row(struct table_grid *g, int *r, int c, int known,
                    const char *label, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void put_row(struct table_grid *g, int *r, int c, int known,
                    const char *label, const char *fmt, ...)
{
	va_list ap;

	if (*r >= MAX_ROWS)
		return;
	if (c == 1)
		snprintf(g->cell[*r][0], CELL, "%s", label);
	if (known) {
		va_start(ap, fmt);
		vsnprintf(g->cell[*r][c], CELL, fmt, ap);
		va_end(ap);
	} else {
		snprintf(g->cell[*r][c], CELL, "-");
	}
	(*r)++;
}

static void table_grid_print(FILE *f, const struct table_grid *g)
{
	report_cells_print(f, &g->cell[0][0][0], g->rows, g->cols,
	                   sizeof g->cell[0], sizeof g->cell[0][0]);
}

/* Human forms; "-" for what is not finite. */
static const char *count(double v, char *buf)
{
	return isfinite(v) ? units_fmt_count(v, buf, CELL) : "-";
}

static const char *sci(double v, char *buf)
{
	return isfinite(v) ? units_fmt_sci(v, buf, CELL) : "-";
}

/* Header line: the budget as given and in FLOPs, model, hardware. */
void report_print_request(FILE *f, const char *what, double budget,
                          const struct report_info *info)
{
	char b[CELL];

	fputs(what, f);
	if (isfinite(budget))
		fprintf(f, " for %s", report_budget_text(budget, info, b, sizeof b));
	if (info->model != NULL)
		fprintf(f, ", model %s", info->model);
	if (info->hardware != NULL) {
		fprintf(f, ", hardware %s", info->hardware);
		if (info->devices > 0)
			fprintf(f, " x %d", info->devices);
	}
	fputs("\n\n", f);
}

/* What "paper", "extract" and "derived" mean for the coefficients. */
const char *report_provenance_text(const char *p)
{
	if (strcmp(p, "paper") == 0)
		return "coefficients as the paper gives them";
	if (strcmp(p, "extract") == 0)
		return "coefficients from an extraction of the paper's tables, not "
		       "the paper itself";
	if (strcmp(p, "derived") == 0)
		return "coefficients derived here from the paper, not given by it";
	return p;
}

/* Text wrapped at 92 columns, each line indented by 2 after the first's
 * label. */
void report_print_wrapped(FILE *f, const char *label, const char *text)
{
	size_t col = strlen(label);
	const char *w = text;

	fputs(label, f);
	while (*w) {
		size_t n;

		while (*w == ' ' || *w == '\n')
			w++;
		n = strcspn(w, " \n");
		if (n == 0)
			break;
		if (col + 1 + n > 92 && col > 2) {
			fputs("\n ", f);
			col = 1;
		}
		fprintf(f, " %.*s", (int)n, w);
		col += 1 + n;
		w += n;
	}
	fputc('\n', f);
}

/* The law set's source, provenance and declared caveats. */
static void print_provenance(FILE *f, const struct report_info *info)
{
	char line[1024];

	if (info->source == NULL && info->provenance == NULL)
		return;
	snprintf(line, sizeof line, "%s%s%s", info->source ? info->source : "",
	         info->source && info->provenance ? "; " : "",
	         info->provenance ? report_provenance_text(info->provenance) : "");
	report_print_wrapped(f, "laws from", line);
	if (info->note != NULL)
		report_print_wrapped(f, "assumptions:", info->note);
	fputc('\n', f);
}

/* 1 if field f has a table row for plan p: always, or (FIELD_IF_ANY) when
 * some solved path knows it. */
static int row_wanted(const struct report_field *f, const struct plan *p,
                      const struct report_info *info)
{
	if (f->label == NULL)
		return 0;
	if (!(f->flags & FIELD_IF_ANY))
		return 1;
	for (int i = 0; i < PATH_COUNT; i++) {
		struct field_ctx c = { p, i, info };

		if (report_planned(p, i) && p->path[i].solved &&
		    report_field_exists(f, f->table_when, &c) &&
		    (f->kind == FIELD_TEXT || f->kind == FIELD_GROUP ||
		     f->human != NULL || isfinite(report_field_num(f, &c))))
			return 1;
	}
	return 0;
}

/* Fill column c with path i, one row per wanted field (report_fields.h);
 * rows are laid out identically per column. */
static void plan_column(struct table_grid *g, int c, const struct plan *p,
                        int i, const struct report_info *info,
                        const int *want)
{
	struct field_ctx ctx = { p, i, info };
	char b[CELL];
	int r = 0;

	put_row(g, &r, c, 1, "", "%s", report_path_name(i));
	for (size_t k = 0; report_fields[k].key != NULL && k < MAX_FIELDS; k++) {
		const struct report_field *f = &report_fields[k];

		if (!want[k])
			continue;
		put_row(g, &r, c, report_field_exists(f, f->table_when, &ctx), f->label,
		        "%s", report_field_human(f, &ctx, b, sizeof b));
	}
	if (g->rows < r)
		g->rows = r < MAX_ROWS ? r : MAX_ROWS;
}

/* "checkpoint: 7B params (total), 2T tokens, 8.4e22 FLOPs (sunk): loss
 * 1.7821 by liew2025/dense": the baseline, once per plan */
static void print_checkpoint(FILE *f, const struct plan *p)
{
	char n[CELL], d[CELL], c[CELL];

	if (!p->has_baseline)
		return;
	fprintf(f, "\ncheckpoint: %s params (%s), %s tokens, %s FLOPs (%s): loss "
	        "%.4f by %s/%s\n", count(p->baseline_params, n),
	        law_count_name(p->baseline_law->count),
	        count(p->baseline_tokens, d), sci(p->baseline_flops, c),
	        p->baseline_paid ? "paid" : "sunk", p->baseline_loss,
	        p->baseline_law->model, p->baseline_law->name);
}

/* "best: moe (loss 2.0987), 0.0123 nats (0.59%) below dense"; an
 * extrapolated best says so, and names the best inside the fit ranges;
 * with a checkpoint, the margin below it, or that nothing beats it */
static const char *winner_text(int w)
{
	return w == -1 ? "no plan" : report_path_name(w);
}

/* How the verdict moves with the serving demand (plan_demand.h). */
static void print_demand(FILE *f, const struct report_info *info)
{
	const struct plan_demand *d = info->demand;
	char t[32];

	if (d == NULL)
		return;
	fprintf(f, "serving %s tokens: best %s; without serving, %s\n",
	        units_fmt_count(d->tokens, t, sizeof t), winner_text(d->best),
	        winner_text(d->best_none));
	if (d->n_cross == 0) {
		fprintf(f, "the verdict is the same from %s", units_fmt_count(d->lo, t,
		        sizeof t));
		fprintf(f, " to %s inference tokens\n", units_fmt_count(d->hi, t,
		        sizeof t));
	}
	for (size_t k = 0; k < d->n_cross; k++)
		fprintf(f, "at %s inference tokens the best path goes from %s to %s\n",
		        units_fmt_count(d->cross[k].tokens, t, sizeof t),
		        winner_text(d->cross[k].from), winner_text(d->cross[k].to));
}

/* Where the unique-token discount and the batch and learning-rate
 * suggestions come from. */
static void print_data_laws(FILE *f, const struct report_info *info)
{
	char t[32], line[1024];

	if (info->unique_tokens > 0) {
		snprintf(line, sizeof line, "%s unique tokens, repeats priced by %s",
		         units_fmt_count(info->unique_tokens, t, sizeof t),
		         info->datacon_source ? info->datacon_source : "a "
		         "data-constrained law");
		report_print_wrapped(f, "unique tokens:", line);
	}
	if (info->hparams_source != NULL) {
		snprintf(line, sizeof line, "%s; %s", info->hparams_source,
		         info->hparams_compute ? info->hparams_compute : "FLOPs");
		report_print_wrapped(f, "batch and LR:", line);
	}
	if (info->unique_tokens > 0 || info->hparams_source != NULL)
		fputc('\n', f);
}

/* The cheapest path to the target and what it saves on the next. */
static void print_target_verdict(FILE *f, const struct plan *p,
                                 const struct report_info *info)
{
	char b[CELL];
	int r = -1;

	if (p->keep) {
		fprintf(f, "\nbest: keep the checkpoint (loss %.4f): it reaches the "
		        "target, or no path beats it\n", p->baseline_loss);
		return;
	}
	if (p->best < 0) {
		fputs("\nbest: none (no path reaches the target)\n", f);
		return;
	}
	for (int i = 0; i < PATH_COUNT; i++)
		if (i != p->best && p->path[i].solved &&
		    plan_beats_baseline(p, p->path[i].loss) &&
		    (r < 0 || p->path[i].budget < p->path[r].budget))
			r = i;
	fprintf(f, "\nbest: %s, the cheapest to loss %.4f: %s",
	        report_path_name(p->best), p->target_loss,
	        report_budget_text(p->path[p->best].budget, info, b, sizeof b));
	if (p->path[p->best].extrapolated)
		fputs(" (extrapolated)", f);
	if (r >= 0)
		fprintf(f, ", %.1f%% less than %s", 100 * (1 - p->path[p->best].budget /
		        p->path[r].budget), report_path_name(r));
	fputc('\n', f);
}

static void print_verdict(FILE *f, const struct plan *p)
{
	int r = plan_runner_up(p), w = plan_best_within_fit(p);

	print_checkpoint(f, p);
	if (p->keep) {
		fprintf(f, "\nbest: keep the checkpoint (loss %.4f): no path beats "
		        "it within the budget\n", p->baseline_loss);
		return;
	}
	if (p->best < 0) {
		fputs("\nbest: none (no path has a plan)\n", f);
		return;
	}
	fprintf(f, "\nbest: %s", report_path_name(p->best));
	if (isfinite(p->path[p->best].loss))
		fprintf(f, " (loss %.4f)", p->path[p->best].loss);
	if (p->path[p->best].extrapolated)
		fputs(" (extrapolated)", f);
	if (r >= 0) {
		double d = p->path[r].loss - p->path[p->best].loss;

		if (isfinite(d) && isfinite(d / p->path[r].loss))
			fprintf(f, ", %.4f nats (%.2f%%) below %s", d,
			        100 * d / p->path[r].loss, report_path_name(r));
	}
	if (p->has_baseline) {
		double d = p->baseline_loss - p->path[p->best].loss;

		fprintf(f, "; %.4f nats (%.2f%%) below the checkpoint", d,
		        100 * d / p->baseline_loss);
	}
	fputc('\n', f);
	if (!p->path[p->best].extrapolated)
		return;
	if (w < 0)
		fputs("best inside the fit ranges: none\n", f);
	else
		fprintf(f, "best inside the fit ranges: %s (loss %.4f)\n",
		        report_path_name(w), plan_path_fit_loss(&p->path[w]));
}

/* The reading planned with, then the verdict under each other reading:
 * "under variant log10: best upcycle (loss 1.8123), 0.0100 nats below
 * moe: the verdict flips", and whether it holds under every one. */
static void print_variants(FILE *f, const struct plan *p,
                           const struct report_info *info)
{
	int flips = 0;

	if (info->variant == NULL)
		return;
	fprintf(f, "variant: %s%s\n", info->variant, info->n_variants == 0 ?
	        " (no other variant changes the laws planned)" : "");
	for (size_t i = 0; i < info->n_variants; i++) {
		const struct report_variant *v = &info->variants[i];
		int flip = v->best != p->best;

		flips += flip;
		fprintf(f, "under variant %s: best %s", v->name,
		        v->best >= 0 ? report_path_name(v->best) : "none");
		if (isfinite(v->loss))
			fprintf(f, " (loss %.4f)", v->loss);
		if (v->extrapolated)
			fputs(" (extrapolated)", f);
		if (v->runner_up >= 0 && isfinite(v->margin))
			fprintf(f, ", %.4f nats below %s", v->margin,
			        report_path_name(v->runner_up));
		fprintf(f, ": the verdict %s\n", flip ? "flips" : "holds");
	}
	if (info->n_variants > 0 && flips == 0)
		fputs("the verdict holds under every variant\n", f);
}

static void print_notes(FILE *f, const struct plan *p,
                        const struct report_info *info)
{
	int any = 0;

	for (int i = 0; i < PATH_COUNT; i++)
		if (report_planned(p, i) && !p->path[i].solved) {
			if (!any++)
				fputs("\nnot solved:\n", f);
			fprintf(f, "  %s: %s\n", report_path_name(i), p->path[i].why);
		}
	any = 0;
	for (size_t w = 0; w < info->n_warn; w++) {
		if (!any++)
			fputs("\nwarnings:\n", f);
		fprintf(f, "  %s\n", info->warn[w]);
	}
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		for (size_t w = 0; w < p->path[i].n_warn && w < PLAN_MAX_WARN; w++) {
			if (!any++)
				fputs("\nwarnings:\n", f);
			fprintf(f, "  %s: %s\n", report_path_name(i), p->path[i].warn[w]);
		}
	}
}

int report_table_plan(FILE *f, const struct plan *p,
                      const struct report_info *info)
{
	struct table_grid g;
	int want[MAX_FIELDS] = { 0 }, c = 1;

	for (size_t k = 0; report_fields[k].key != NULL && k < MAX_FIELDS; k++)
		want[k] = row_wanted(&report_fields[k], p, info);
	table_grid_init(&g, 1);
	if (p->is_target) {
		char what[64];

		snprintf(what, sizeof what, "plan for a target loss of %.4f nats,"
		         " cheapest", p->target_loss);
		report_print_request(f, what, p->budget, info);
	} else {
		report_print_request(f, "plan", p->budget, info);
	}
	print_provenance(f, info);
	print_data_laws(f, info);
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		g.cols = c + 1;
		plan_column(&g, c++, p, i, info, want);
	}
	if (c == 1)
		fputs("no path planned\n", f);
	else
		table_grid_print(f, &g);
	if (c > 1 && p->is_target) {
		print_checkpoint(f, p);
		print_target_verdict(f, p, info);
		print_demand(f, info);
	} else if (c > 1) {
		print_verdict(f, p);
		print_demand(f, info);
		print_variants(f, p, info);
		report_bands_table_plan(f, info);
	}
	print_notes(f, p, info);
	return ferror(f) ? -1 : 0;
}

/* "dense N; moe N1": the paths whose optimum left its fit ranges, and
 * the variables that did; "-" for none. */
static void outside_cell(const struct frontier_point *pt, const int *cols,
                         int ncols, char *cell)
{
	size_t len = 0;

	cell[0] = '\0';
	for (int j = 0; j < ncols; j++)
		if (pt->extrap[cols[j]] && len < CELL)
			len += (size_t)snprintf(cell + len, CELL - len, "%s%s %s",
			                        len > 0 ? "; " : "",
			                        report_path_name(cols[j]),
			                        pt->extrap_vars[cols[j]]);
	if (len == 0)
		snprintf(cell, CELL, "-");
}

/* Cells of frontier row k (k == fr->n: the header); returns their number. */
static int frontier_cells(const struct frontier *fr, size_t k, const int *cols,
                          int ncols, const struct report_info *info,
                          char cell[][CELL])
{
	const struct frontier_point *pt;
	int c = 0;

	if (k == fr->n) {
		snprintf(cell[c++], CELL, "%s", info->unit == UNIT_HOURS ?
		         "device-hours" : info->unit == UNIT_USD ? "usd" : "budget");
		for (int j = 0; j < ncols; j++)
			snprintf(cell[c++], CELL, "%s", report_path_name(cols[j]));
		snprintf(cell[c++], CELL, "best");
		snprintf(cell[c++], CELL, "params");
		snprintf(cell[c++], CELL, "tokens");
		snprintf(cell[c++], CELL, "outside fit");
		return c;
	}
	pt = &fr->pt[k];
	if (info->unit == UNIT_USD)
		units_fmt_usd(report_budget_value(pt->budget, info), cell[c++], CELL);
	else if (info->unit == UNIT_HOURS)
		units_fmt_count(report_budget_value(pt->budget, info), cell[c++], CELL);
	else
		sci(pt->budget, cell[c++]);
	for (int j = 0; j < ncols; j++, c++)
		if (pt->solved[cols[j]] && isfinite(pt->loss[cols[j]]))
			snprintf(cell[c], CELL, "%.4f%s", pt->loss[cols[j]],
			         pt->extrap[cols[j]] ? "*" : " ");
		else
			snprintf(cell[c], CELL, "- ");
	if (pt->best < 0) {
		snprintf(cell[c++], CELL, "%s", pt->keep ? "checkpoint" : "-");
		for (int j = 0; j < 2; j++)
			snprintf(cell[c++], CELL, "-");
	} else {
		snprintf(cell[c++], CELL, "%s", report_path_name(pt->best));
		count(pt->params[pt->best], cell[c++]);
		count(pt->tokens[pt->best], cell[c++]);
	}
	outside_cell(pt, cols, ncols, cell[c++]);
	return c;
}

/* Budget left-aligned, the rest right-aligned; widths from every row. */
static void frontier_print(FILE *f, const struct frontier *fr,
                           const int *cols, int ncols,
                           const struct report_info *info)
{
	char cell[MAX_COLS][CELL];
	size_t w[MAX_COLS] = { 0 };
	int n;

	for (size_t k = 0; k <= fr->n; k++) {
		n = frontier_cells(fr, k, cols, ncols, info, cell);
		for (int c = 0; c < n; c++)
			if (strlen(cell[c]) > w[c])
				w[c] = strlen(cell[c]);
	}
	for (size_t k = 0; k <= fr->n; k++) {
		/* header first, then the points in order */
		n = frontier_cells(fr, k == 0 ? fr->n : k - 1, cols, ncols, info,
		                   cell);
		fprintf(f, "%-*s", (int)w[0], cell[0]);
		for (int c = 1; c < n; c++)
			fprintf(f, "  %*s", (int)w[c], cell[c]);
		fputc('\n', f);
	}
}

int report_table_frontier(FILE *f, const struct frontier *fr,
                          const struct report_info *info)
{
	char b[CELL];
	int cols[PATH_COUNT], ncols = 0, laws = 0;

	for (int i = 0; i < PATH_COUNT; i++)
		if (report_frontier_planned(fr, info, i))
			cols[ncols++] = i;
	report_print_request(f, "frontier", NAN, info);
	for (int j = 0; j < ncols; j++)
		if (info->law[cols[j]] != NULL)
			fprintf(f, "%s%s: %s", laws++ == 0 ? "laws: " : ", ",
			        report_path_name(cols[j]), info->law[cols[j]]);
	if (laws > 0)
		fputs("\n", f);
	if (fr->n > 0 && fr->pt[0].baseline > 0 && isfinite(fr->pt[0].baseline))
		fprintf(f, "checkpoint: loss %.4f (a path is best only below it)\n",
		        fr->pt[0].baseline);
	if (laws > 0 || (fr->n > 0 && fr->pt[0].baseline > 0 && isfinite(fr->pt[0].baseline)))
		fputc('\n', f);
	frontier_print(f, fr, cols, ncols, info);
	for (size_t k = 0; k < fr->n; k++)
		for (int j = 0; j < ncols; j++)
			if (fr->pt[k].extrap[cols[j]]) {
				fputs("\n* extrapolated: the optimum is outside its law's fit "
				      "ranges\n", f);
				k = fr->n;
				break;
			}
	if (fr->n_cross > 0)
		fputs("\ncrossovers:\n", f);
	for (size_t k = 0; k < fr->n_cross; k++) {
		const char *from = report_path_name(fr->cross[k].from);
		const char *to = report_path_name(fr->cross[k].to);

		fprintf(f, "  %s: %s -> %s\n",
		        report_budget_text(fr->cross[k].budget, info, b, sizeof b),
		        from != NULL ? from : "none", to != NULL ? to : "none");
	}
	report_bands_table_frontier(f, fr, info);
	for (size_t w = 0; w < info->n_warn; w++)
		fprintf(f, "%s  %s\n", w == 0 ? "\nwarnings:\n" : "", info->warn[w]);
	return ferror(f) ? -1 : 0;
}
