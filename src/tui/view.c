/*
 * view.c — builds the interactive planner's view model (view.h) from the
 * user's choices, a plan and a frontier: input fields, the results table,
 * warnings, the loss-vs-budget chart and the details of one path.  The
 * results table's rows are the plan fields with a TUI label
 * (io/report_fields.h), in that table's order, formatted there.
 *
 * Formatting only: every number shown comes from the plan, the frontier,
 * the architecture counts (arch.h) or the cost model (cost.h).
 */
#include "config.h"

#include "view.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/layout_spec.h"
#include "io/report_fields.h"

/* ---- units ------------------------------------------------------------- */

const char *view_unit_label(enum budget_unit unit)
{
	switch (unit) {
	case UNIT_HOURS: return "device-hours";
	case UNIT_USD:   return "USD";
	default:         return "FLOPs";
	}
}

const char *view_fmt_budget(double value, enum budget_unit unit, char *buf,
                            size_t n)
{
	char num[32];

	if (!isfinite(value)) {
		snprintf(buf, n, "-");
		return buf;
	}
	switch (unit) {
	case UNIT_HOURS:
		units_fmt_hours(value, buf, n);
		break;
	case UNIT_USD:
		units_fmt_usd(value, buf, n);
		break;
	default:
		snprintf(buf, n, "%s FLOPs", units_fmt_sci(value, num, sizeof num));
	}
	return buf;
}

double view_budget_step(double value, int dir)
{
	/* a factor of sqrt(10) is half a decade in log10 */
	double h = 2 * log10(value) + (dir > 0 ? 1 : -1);

	if (fabs(h - round(h)) < 1e-9) {
		h = round(h);
		if (fmod(h, 2) == 0 && fabs(h) < 600) {
			/* a decade: strtod gives the double nearest 10^k, which pow()
			 * need not (pow(10, 23) can be 1 ulp off 1e23) */
			char dec[16];

			snprintf(dec, sizeof dec, "1e%d", (int)(h / 2));
			return strtod(dec, NULL);
		}
	}
	return pow(10, h / 2);
}

/* ---- number formats: "-" for what does not exist ----------------------- */

static const char *fmt_count(double v, char *buf, size_t n)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else
		units_fmt_count(v, buf, n);
	return buf;
}

static const char *fmt_sci(double v, char *buf, size_t n)
{
	if (!isfinite(v))
		snprintf(buf, n, "-");
	else
		units_fmt_sci(v, buf, n);
	return buf;
}

/* Seconds in a short human form: 850 us, 12.3 ms, 1.20 s. */
static const char *fmt_seconds(double s, char *buf, size_t n)
{
	if (!isfinite(s))
		snprintf(buf, n, "-");
	else if (s < 1e-3)
		snprintf(buf, n, "%.0f us", s * 1e6);
	else if (s < 1)
		snprintf(buf, n, "%.1f ms", s * 1e3);
	else
		snprintf(buf, n, "%.2f s", s);
	return buf;
}

static void share(char *buf, size_t n, double part, double whole)
{
	if (isfinite(part) && isfinite(whole) && whole > 0)
		snprintf(buf, n, "%.1f%%", 100 * part / whole);
	else
		buf[0] = '\0';
}

/* ---- inputs ------------------------------------------------------------ */

static const char *paths_text(unsigned paths, char *buf, size_t n)
{
	size_t k = 0;

	if (paths == 0 || paths == (1u << PATH_COUNT) - 1) {
		snprintf(buf, n, "all");
		return buf;
	}
	buf[0] = '\0';
	for (int p = 0; p < PATH_COUNT; p++)
		if (paths & (1u << p))
			k += (size_t)snprintf(buf + k, k < n ? n - k : 0, "%s%s",
			                      k ? "," : "", law_path_name((enum law_path)p));
	return buf;
}

static void set_field(struct view_field *f, const char *label, int editable,
                      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_field(struct view_field *f, const char *label, int editable,
                      const char *fmt, ...)
{
	va_list ap;

	f->label = label;
	f->editable = editable;
	va_start(ap, fmt);
	vsnprintf(f->value, sizeof f->value, fmt, ap);
	va_end(ap);
}

/* The layout's pins, one input a key: the value, "auto" when free; off
 * a cluster one row says there is nothing to pin. */
static void build_layout_inputs(struct view *v, const struct view_request *r)
{
	static const char *const label[LAYOUT_SPEC_N_KEYS] = {
		"TP", "PP", "DP", "EP", "ZeRO", "Recomp", "Micro-b",
	};
	char b[16];

	if (r->device_bytes <= 0 || r->pin == NULL) {
		set_field(&v->in[VIN_LAYOUT_FIRST], "Layout", 0, "- (no cluster)");
		v->n_in = VIN_LAYOUT_FIRST + 1;
		return;
	}
	for (int k = 0; k < LAYOUT_SPEC_N_KEYS; k++)
		set_field(&v->in[VIN_LAYOUT_FIRST + k], label[k], 1, "%s",
		          layout_spec_get(r->pin, layout_spec_key[k], b, sizeof b));
	v->n_in = VIN_COUNT;
}

static void build_inputs(struct view *v, const struct view_request *r)
{
	char b[VIEW_STR], n1[24], d1[24];

	set_field(&v->in[VIN_BUDGET], "Budget", 1, "%s",
	          view_fmt_budget(r->budget, r->unit, b, sizeof b));
	set_field(&v->in[VIN_UNIT], "Unit", 0, "%s", view_unit_label(r->unit));
	set_field(&v->in[VIN_DEVICES], "Devices", 1, "%d", r->devices);
	if (r->hardware == NULL)
		set_field(&v->in[VIN_HARDWARE], "Hardware", 0, "none (FLOPs only)");
	else
		set_field(&v->in[VIN_HARDWARE], "Hardware", 0, "%.24s (%s)",
		          r->hardware, r->calibrated ? "calibrated" : "datasheet");
	set_field(&v->in[VIN_LAWS], "Laws", 0, "%.40s", r->laws ? r->laws : "-");
	set_field(&v->in[VIN_COMPARE], "Compare", 0, "%.40s",
	          r->compare ? r->compare : "none");
	set_field(&v->in[VIN_PATHS], "Paths", 0, "%s",
	          paths_text(r->paths, b, sizeof b));
	set_field(&v->in[VIN_FIT], "Fit box", 0, "%s", r->within_fit ?
	          "within" : "free");
	/* a half-given checkpoint shows what was given; the other is "none" */
	set_field(&v->in[VIN_CKPT_N1], "Ckpt N1", 1, "%s", isfinite(r->ckpt_N1) ?
	          fmt_count(r->ckpt_N1, n1, sizeof n1) : "none");
	if (isfinite(r->ckpt_D1))
		set_field(&v->in[VIN_CKPT_D1], "Ckpt D1", 1, "%s (%s)",
		          fmt_count(r->ckpt_D1, d1, sizeof d1),
		          r->ckpt_paid ? "paid" : "sunk");
	else
		set_field(&v->in[VIN_CKPT_D1], "Ckpt D1", 1, "none");
	if (isfinite(r->target))
		set_field(&v->in[VIN_TARGET], "Target", 1, "loss %.4f", r->target);
	else
		set_field(&v->in[VIN_TARGET], "Target", 1, "none (budget)");
	set_field(&v->in[VIN_INFER], "Serving", 1, "%s", r->inference > 0 ?
	          fmt_count(r->inference, n1, sizeof n1) : "none");
	set_field(&v->in[VIN_UNIQUE], "Unique", 1, "%s", r->unique > 0 ?
	          fmt_count(r->unique, d1, sizeof d1) : "unlimited");
	build_layout_inputs(v, r);
}

/* ---- results ----------------------------------------------------------- */

/* Whether field f is a result row for plan pl: it has a TUI label, and a
 * row shown only when its value is > 0 (a sunk checkpoint's) or when a
 * path is extrapolated (its within-fit plan) is shown when some planned
 * path has one, as the table's is. */
static int row_shown(const struct report_field *f, const struct plan *pl)
{
	if (f->tui == NULL)
		return 0;
	if (f->table_when != WHEN_SUNK && f->table_when != WHEN_WITHIN &&
	    !(f->flags & FIELD_TUI_IF_ANY))
		return 1;
	for (int p = 0; p < PATH_COUNT; p++) {
		struct field_ctx c = { pl, p, NULL };

		if (pl->path[p].law != NULL &&
		    report_field_exists(f, f->table_when, &c))
			return 1;
	}
	return 0;
}

/* On a cluster, the rows the table adds after a field's: memory per
 * device of the device's memory, after mem/device; the step and the
 * cluster's tokens per second after it.  Their count, 0 for other fields
 * or off a cluster. */
static int is_memory(const struct report_field *f)
{
	return strcmp(f->key, "memory_per_device") == 0;
}

static const char *const cluster_label[] = { "step", "tokens/s" };
#define N_CLUSTER_ROWS 2

static size_t cluster_rows(const struct report_field *f,
                           const struct view_request *r)
{
	return r->device_bytes > 0 && is_memory(f) ? N_CLUSTER_ROWS : 0;
}

/* "78.5/80 GB": the layout's memory per device of one device's memory. */
static const char *fmt_memory(double used, double of, char *buf, size_t n)
{
	snprintf(buf, n, "%.1f/%.0f GB", used / 1e9, of / 1e9);
	return buf;
}

static void cluster_cells(struct view *v, const struct plan_path *pp,
                          int col, size_t r)
{
	char b[VIEW_STR];
	int on = pp->solved && pp->has_run;

	if (r < VIEW_ROWS)
		snprintf(v->row[r].cell[col], VIEW_STR, "%s", on ?
		         fmt_seconds(pp->run.step, b, sizeof b) : "-");
	if (r + 1 < VIEW_ROWS)
		snprintf(v->row[r + 1].cell[col], VIEW_STR, "%s", on ?
		         fmt_count(pp->run.tokens_per_second, b, sizeof b) : "-");
}

/* The result rows are the fields of io/report_fields.h with a TUI label,
 * in its order (and on a cluster the step and tokens/s after the memory);
 * the first nine fit an 80x24 screen. */
static void result_cells(struct view *v, const struct view_request *rq,
                         const struct plan *pl, int col)
{
	struct field_ctx c = { pl, v->col_path[col], NULL };
	const struct plan_path *pp = &pl->path[c.path];
	char buf[VIEW_STR];
	size_t r = 0;

	for (const struct report_field *f = report_fields; f->key != NULL; f++) {
		if (!row_shown(f, pl) || r >= VIEW_ROWS)
			continue;
		if (pp->solved && !report_field_exists(f, f->table_when, &c))
			snprintf(v->row[r].cell[col], VIEW_STR, "-");
		else if (pp->solved && is_memory(f) && rq->device_bytes > 0)
			fmt_memory(pp->run.memory.total, rq->device_bytes,
			           v->row[r].cell[col], VIEW_STR);
		else if (pp->solved)
			snprintf(v->row[r].cell[col], VIEW_STR, "%s",
			         report_field_compact(f, &c, buf, sizeof buf));
		else
			snprintf(v->row[r].cell[col], VIEW_STR, "%s",
			         strcmp(f->key, "loss") == 0 ? "no plan" : "-");
		r++;
		if (cluster_rows(f, rq) > 0)
			cluster_cells(v, pp, col, r);
		r += cluster_rows(f, rq);
	}
}

/* The comparison row, below the losses: the other law set's loss for each
 * path, and how far it is from this set's ("1.9012 -0.014"). */
static void compare_row(struct view *v, const struct view_request *r,
                        const struct plan *pl)
{
	struct view_row *row;

	if (r->compare == NULL || r->cmp_plan == NULL || v->n_rows < 1 ||
	    v->n_rows >= VIEW_ROWS)
		return;
	/* second, under the loss it compares with */
	memmove(&v->row[2], &v->row[1], (v->n_rows - 1) * sizeof v->row[0]);
	v->n_rows++;
	snprintf(v->cmp_label, sizeof v->cmp_label, "vs %.10s", r->compare);
	row = &v->row[1];
	row->label = v->cmp_label;
	for (int c = 0; c < v->n_cols; c++) {
		const struct plan_path *o = &r->cmp_plan->path[v->col_path[c]];
		const struct plan_path *t = &pl->path[v->col_path[c]];

		if (o->law == NULL)
			snprintf(row->cell[c], VIEW_STR, "no law");
		else if (!o->solved)
			snprintf(row->cell[c], VIEW_STR, "no plan");
		else if (t->solved)
			snprintf(row->cell[c], VIEW_STR, "%.4f %+.3f", o->loss,
			         o->loss - t->loss);
		else
			snprintf(row->cell[c], VIEW_STR, "%.4f", o->loss);
	}
}

static void build_results(struct view *v, const struct view_request *r,
                          const struct plan *pl)
{
	v->n_cols = 0;
	v->best_col = v->selected_col = -1;
	for (int p = 0; p < PATH_COUNT; p++) {
		if (pl->path[p].law == NULL)
			continue;
		if (p == pl->best)
			v->best_col = v->n_cols;
		if (p == r->selected)
			v->selected_col = v->n_cols;
		v->col_path[v->n_cols] = p;
		snprintf(v->col_head[v->n_cols], sizeof v->col_head[0], "%s%s",
		         law_path_name((enum law_path)p), p == pl->best ? " *" : "");
		v->n_cols++;
	}
	v->n_rows = 0;
	for (const struct report_field *f = report_fields; f->key != NULL; f++) {
		if (!row_shown(f, pl) || v->n_rows >= VIEW_ROWS)
			continue;
		v->row[v->n_rows++].label = f->tui;
		for (size_t k = 0; k < cluster_rows(f, r) && v->n_rows < VIEW_ROWS; k++)
			v->row[v->n_rows++].label = cluster_label[k];
	}
	for (int c = 0; c < v->n_cols; c++)
		result_cells(v, r, pl, c);
	compare_row(v, r, pl);
}

/* ---- title, best, warnings --------------------------------------------- */

static void warn(struct view *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(struct view *v, const char *fmt, ...)
{
	va_list ap;

	if (v->n_warn == VIEW_WARN)
		return;
	va_start(ap, fmt);
	vsnprintf(v->warn[v->n_warn++], VIEW_WARN_LEN, fmt, ap);
	va_end(ap);
}

/* A target's verdict: the cheapest path and how much cheaper than the
 * next. */
static void target_verdict(struct view *v, const struct plan *pl)
{
	int r = -1;

	for (int i = 0; i < PATH_COUNT; i++)
		if (i != pl->best && pl->path[i].solved &&
		    (r < 0 || pl->path[i].budget < pl->path[r].budget))
			r = i;
	snprintf(v->best, sizeof v->best, "cheapest to loss %.4f: %s%s",
	         pl->target_loss, law_path_name((enum law_path)pl->best),
	         pl->path[pl->best].extrapolated ? " (extrap.)" : "");
	if (r >= 0)
		snprintf(v->margin, sizeof v->margin, "%.1f%% less than %s",
		         100 * (1 - pl->path[pl->best].budget / pl->path[r].budget),
		         law_path_name((enum law_path)r));
}

static void build_summary(struct view *v, const struct view_request *r,
                          const struct plan *pl)
{
	char b[VIEW_STR];
	int runner = plan_runner_up(pl);

	if (pl->is_target)
		snprintf(b, sizeof b, "target loss %.4f", pl->target_loss);
	else
		view_fmt_budget(r->budget, r->unit, b, sizeof b);
	snprintf(v->title, sizeof v->title, "%.40s%s%.24s | %s%s",
	         r->laws ? r->laws : "-", r->compare ? " vs " : "",
	         r->compare ? r->compare : "", b,
	         r->within_fit ? " | within fit" : "");
	snprintf(v->source, sizeof v->source, "%s", r->source ? r->source : "");
	snprintf(v->provenance, sizeof v->provenance, "%s", r->provenance ?
	         report_provenance_text(r->provenance) : "");
	snprintf(v->assumptions, sizeof v->assumptions, "%s", r->assumptions ?
	         r->assumptions : "");
	if (pl->keep) {
		snprintf(v->best, sizeof v->best, "best: keep the checkpoint (loss "
		         "%.4f)", pl->baseline_loss);
		snprintf(v->margin, sizeof v->margin, "no path beats it");
		return;
	}
	if (pl->best < 0) {
		snprintf(v->best, sizeof v->best, "no feasible plan");
		return;
	}
	if (pl->is_target) {
		target_verdict(v, pl);
		return;
	}
	snprintf(v->best, sizeof v->best, "best: %s (loss %.4f)%s",
	         law_path_name((enum law_path)pl->best), pl->path[pl->best].loss,
	         pl->path[pl->best].extrapolated ? " (extrap.)" : "");
	if (runner >= 0)
		snprintf(v->margin, sizeof v->margin, "%.4f below %s%s",
		         pl->path[runner].loss - pl->path[pl->best].loss,
		         law_path_name((enum law_path)runner),
		         pl->has_baseline ? "," : "");
	if (pl->has_baseline) {
		size_t n = strlen(v->margin);

		snprintf(v->margin + n, sizeof v->margin - n, "%sckpt %.4f",
		         n > 0 ? " " : "", pl->baseline_loss);
	}
}

/* One reading's verdict against the plan's: its best path (or keep) and
 * whether the verdict flips. */
static void warn_variant(struct view *v, const struct report_variant *rv,
                         const struct plan *pl)
{
	char best[64];

	if (rv->best >= 0)
		snprintf(best, sizeof best, "%s (loss %.4f%s)",
		         law_path_name((enum law_path)rv->best), rv->loss,
		         rv->extrapolated ? ", extrap." : "");
	else
		snprintf(best, sizeof best, "%s", pl->has_baseline ?
		         "keep the checkpoint" : "no feasible plan");
	warn(v, "variant %s: %s: the verdict %s", rv->name, best,
	     rv->best == pl->best ? "holds" : "flips");
}

/* The comparison law set's verdict against this one's. */
static void warn_compare(struct view *v, const struct view_request *r,
                         const struct plan *pl)
{
	const struct plan *o = r->cmp_plan;

	if (r->compare == NULL || o == NULL)
		return;
	if (o->best >= 0)
		warn(v, "under %s: best %s (loss %.4f%s): the verdict %s", r->compare,
		     law_path_name((enum law_path)o->best), o->path[o->best].loss,
		     o->path[o->best].extrapolated ? ", extrap." : "",
		     o->best == pl->best ? "holds" : "differs");
	else
		warn(v, "under %s: %s: the verdict %s", r->compare, o->keep ?
		     "keep the checkpoint" : "no feasible plan",
		     o->keep == pl->keep && pl->best < 0 ? "holds" : "differs");
}

static void build_warnings(struct view *v, const struct view_request *r,
                           const struct plan *pl)
{
	for (size_t i = 0; i < r->n_note; i++)
		warn(v, "%s", r->note[i]);
	if (r->hardware != NULL && !r->calibrated)
		warn(v, "hardware %s: datasheet, not calibrated on this machine",
		     r->hardware);
	if (r->hardware != NULL && r->unit != UNIT_USD && !isfinite(r->price))
		warn(v, "hardware %s has no price: cost unknown", r->hardware);
	warn_compare(v, r, pl);
	for (size_t i = 0; i < r->n_variants; i++)
		warn_variant(v, &r->variants[i], pl);
	v->n_warn_request = v->n_warn;
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &pl->path[p];
		const char *name = law_path_name((enum law_path)p);

		if (pp->law == NULL)
			continue;
		if (!pp->solved)
			warn(v, "%s: %s", name, pp->why);
		for (size_t k = 0; k < pp->n_warn; k++)
			warn(v, "%s: %s", name, pp->warn[k]);
	}
}

/* ---- chart ------------------------------------------------------------- */

double view_series_at(const struct view_series *s, double x)
{
	for (size_t i = 1; i < s->n; i++)
		if (x >= s->x[i - 1] && x <= s->x[i]) {
			double t = s->x[i] > s->x[i - 1] ?
			           (x - s->x[i - 1]) / (s->x[i] - s->x[i - 1]) : 0;

			return s->y[i - 1] + t * (s->y[i] - s->y[i - 1]);
		}
	return NAN;
}

/* Short budget label for an axis: 1e22, 10k h, $1M. */
static void tick_label(double x, enum budget_unit unit, char *buf, size_t n)
{
	char c[24];

	units_fmt_count(pow(10, x), c, sizeof c);
	if (unit == UNIT_HOURS)
		snprintf(buf, n, "%.12s h", c);
	else if (unit == UNIT_USD)
		snprintf(buf, n, "$%.12s", c);
	else
		snprintf(buf, n, "1e%d", (int)lround(x));
}

static void chart_series(struct view_chart *c, const struct view *v,
                         const struct frontier *fr, double scale)
{
	for (int col = 0; col < v->n_cols; col++) {
		struct view_series *s = &c->series[c->n_series++];

		s->path = v->col_path[col];
		s->n = 0;
		for (size_t i = 0; i < fr->n && s->n < VIEW_PTS; i++) {
			const struct frontier_point *pt = &fr->pt[i];

			if (!pt->solved[s->path] || !isfinite(pt->loss[s->path]))
				continue;
			s->x[s->n] = log10(pt->budget * scale);
			s->y[s->n] = pt->loss[s->path];
			c->y_lo = fmin(c->y_lo, s->y[s->n]);
			c->y_hi = fmax(c->y_hi, s->y[s->n]);
			s->n++;
		}
	}
}

/* What the comparison law set predicts at each of its frontier's budgets:
 * the best path's loss, or the checkpoint's where it is kept. */
static void chart_compare(struct view_chart *c, const struct view_request *r,
                          double scale)
{
	const struct frontier *fr = r->cmp_fr;
	struct view_series *s = &c->cmp;

	s->path = -1;
	s->n = 0;
	if (r->compare == NULL || fr == NULL)
		return;
	snprintf(c->cmp_name, sizeof c->cmp_name, "%.22s", r->compare);
	for (size_t i = 0; i < fr->n && s->n < VIEW_PTS; i++) {
		const struct frontier_point *pt = &fr->pt[i];
		double y = pt->best >= 0 ? pt->loss[pt->best] :
		           pt->keep ? pt->baseline : NAN;

		if (!isfinite(y))
			continue;
		s->x[s->n] = log10(pt->budget * scale);
		s->y[s->n++] = y;
		c->y_lo = fmin(c->y_lo, y);
		c->y_hi = fmax(c->y_hi, y);
	}
}

/* Each path's p10-p90 loss band at the frontier budgets that have one
 * (plans with uncertainty); they widen the loss range. */
static void chart_bands(struct view_chart *c, const struct view_request *r,
                        const struct frontier *fr, double scale)
{
	c->n_bands = 0;
	if (!r->bands_on || r->bands == NULL)
		return;
	for (size_t s = 0; s < c->n_series; s++) {
		struct view_band *b = &c->band[c->n_bands++];

		b->path = c->series[s].path;
		b->n = 0;
		for (size_t k = 0; k < r->n_bands && k < fr->n && b->n < VIEW_PTS;
		     k++) {
			const struct unc_band *q = &r->bands[k].q[b->path][UNC_LOSS];

			if (!isfinite(q->p10) || !isfinite(q->p90))
				continue;
			b->x[b->n] = log10(fr->pt[k].budget * scale);
			b->lo[b->n] = q->p10;
			b->hi[b->n] = q->p90;
			c->y_lo = fmin(c->y_lo, q->p10);
			c->y_hi = fmax(c->y_hi, q->p90);
			b->n++;
		}
	}
}

/* The chart's title: the unit, '~' when a best optimum is extrapolated,
 * the bands when asked, " ..." while points are coming. */
static void chart_title(struct view_chart *c, const struct view_request *r)
{
	int pending = r->chart_pending || (r->bands_on && r->bands_pending);

	snprintf(c->title, sizeof c->title, "Loss vs budget (%s)%s%s%s",
	         view_unit_label(r->unit), c->any_extrap ?
	         ", ~ best extrapolated" : "", r->bands_on ? ", p10-p90 bands" :
	         "", pending ? " ..." : "");
}

static void chart_ticks(struct view_chart *c, enum budget_unit unit)
{
	int k0 = (int)ceil(c->x_lo - 1e-9), k1 = (int)floor(c->x_hi + 1e-9);
	int stride = (k1 - k0) / (VIEW_TICKS - 1) + 1;

	for (int k = k0; k <= k1 && c->n_xticks < VIEW_TICKS; k += stride) {
		struct view_tick *t = &c->xtick[c->n_xticks++];

		t->at = k;
		tick_label(k, unit, t->label, sizeof t->label);
	}
	for (int i = 0; i < 5; i++) {
		struct view_tick *t = &c->ytick[c->n_yticks++];

		t->at = c->y_hi - (c->y_hi - c->y_lo) * i / 4;
		snprintf(t->label, sizeof t->label, "%.2f", t->at);
	}
}

/* A crossover's side: a path, or keeping the checkpoint. */
static const char *side_name(int side)
{
	return side == PLAN_KEEP ? "ckpt" : law_path_name((enum law_path)side);
}

static void chart_crossovers(struct view_chart *c, const struct frontier *fr,
                             double scale, enum budget_unit unit)
{
	for (size_t i = 0; i < fr->n_cross && c->n_cross < VIEW_CROSS; i++) {
		struct view_cross *x = &c->cross[c->n_cross++];
		char b[24];

		x->at = log10(fr->cross[i].budget * scale);
		x->from = fr->cross[i].from;
		x->to = fr->cross[i].to;
		x->loss = NAN;
		for (size_t s = 0; s < c->n_series; s++)  /* on either curve */
			if (!isfinite(x->loss) && (c->series[s].path == x->to ||
			                           c->series[s].path == x->from))
				x->loss = view_series_at(&c->series[s], x->at);
		if (unit == UNIT_FLOPS)
			units_fmt_sci(pow(10, x->at), b, sizeof b);
		else
			tick_label(x->at, unit, b, sizeof b);
		snprintf(x->label, sizeof x->label, "%s %s->%s", b,
		         side_name(x->from), side_name(x->to));
	}
}

static void build_chart(struct view *v, const struct view_request *r,
                        const struct plan *pl, const struct frontier *fr)
{
	struct view_chart *c = &v->chart;
	double scale = units_budget_scale(r->unit, r->price);

	c->baseline = pl->has_baseline ? pl->baseline_loss : NAN;
	chart_title(c, r);
	c->marker = log10(r->budget);
	c->x_lo = c->marker - 1;
	c->x_hi = c->marker + 1;
	c->y_lo = 0;
	c->y_hi = 1;
	if (r->chart_lo > 0 && r->chart_hi > r->chart_lo && isfinite(scale)) {
		c->x_lo = log10(r->chart_lo * scale);
		c->x_hi = log10(r->chart_hi * scale);
	}
	if (fr == NULL || fr->n < 2 || !isfinite(scale))
		return;
	if (!(r->chart_lo > 0 && r->chart_hi > r->chart_lo)) {
		c->x_lo = log10(fr->pt[0].budget * scale);
		c->x_hi = log10(fr->pt[fr->n - 1].budget * scale);
	}
	c->y_lo = INFINITY;
	c->y_hi = -INFINITY;
	chart_series(c, v, fr, scale);
	chart_compare(c, r, scale);
	chart_bands(c, r, fr, scale);
	if (isfinite(c->baseline) && c->y_hi > c->y_lo) {
		c->y_lo = fmin(c->y_lo, c->baseline);
		c->y_hi = fmax(c->y_hi, c->baseline);
	}
	c->n_pts = c->any_extrap = 0;
	for (size_t i = 0; i < fr->n && c->n_pts < VIEW_PTS; i++) {
		int b = fr->pt[i].best;

		c->pt_x[c->n_pts] = log10(fr->pt[i].budget * scale);
		c->best_extrap[c->n_pts] = b >= 0 && fr->pt[i].extrap[b];
		c->any_extrap |= c->best_extrap[c->n_pts++];
	}
	chart_title(c, r);
	if (!(c->y_hi > c->y_lo)) {        /* no points, or a flat line */
		double m = isfinite(c->y_lo) ? c->y_lo : 1;

		c->y_lo = m - 0.5;
		c->y_hi = m + 0.5;
	} else {
		double pad = 0.04 * (c->y_hi - c->y_lo);

		c->y_lo -= pad;
		c->y_hi += pad;
	}
	chart_ticks(c, r->unit);
	chart_crossovers(c, fr, scale, r->unit);
}

/* ---- details ----------------------------------------------------------- */

static void detail(struct view *v, int heading, const char *label,
                   const char *value, const char *pct)
{
	struct view_detail *d;

	if (v->n_detail == VIEW_DETAIL)
		return;
	d = &v->detail[v->n_detail++];
	d->heading = heading;
	snprintf(d->label, sizeof d->label, "%s", label);
	snprintf(d->value, sizeof d->value, "%s", value ? value : "");
	snprintf(d->share, sizeof d->share, "%s", pct ? pct : "");
}

static void detail_count(struct view *v, const char *label, double x,
                         double whole, int always)
{
	char b[24], s[12];

	if (!always && !(x > 0))
		return;
	share(s, sizeof s, x, whole);
	detail(v, 0, label, fmt_count(x, b, sizeof b), whole > 0 ? s : NULL);
}

static void detail_params(struct view *v, const struct plan_path *pp)
{
	const struct arch_params *ap = &pp->arch_params;
	const struct law *L = pp->law;
	int i = law_role_index(L, ROLE_PARAMS);
	char label[32], b[24];

	detail(v, 1, "Parameters", NULL, NULL);
	if (i >= 0) {
		snprintf(label, sizeof label, "%.8s (law's)", L->vars[i].name);
		detail(v, 0, label, fmt_count(pp->x[i], b, sizeof b), NULL);
	}
	detail_count(v, "embedding", ap->embedding, ap->total, 1);
	detail_count(v, "attention", ap->attention, ap->total, 1);
	detail_count(v, "mlp (dense)", ap->mlp, ap->total, 0);
	detail_count(v, "router", ap->router, ap->total, 0);
	detail_count(v, "experts (all)", ap->experts_total, ap->total, 0);
	detail_count(v, "shared experts", ap->shared, ap->total, 0);
	detail_count(v, "total", ap->total, 0, 1);
	detail_count(v, "active", ap->active, ap->total, 1);
}

static void detail_flops(struct view *v, const struct plan_path *pp)
{
	const struct arch_flops *f = &pp->arch_flops;
	char b[24];

	/* itemised per token, forward (arch.h: Hoffmann et al. 2022, App. F) */
	detail(v, 1, "FLOPs per token, forward", NULL, NULL);
	detail_count(v, "attn qkv", f->attn_qkv, f->forward, 0);
	detail_count(v, "attn scores", f->attn_scores, f->forward, 0);
	detail_count(v, "attn softmax", f->attn_softmax, f->forward, 0);
	detail_count(v, "attn values", f->attn_values, f->forward, 0);
	detail_count(v, "attn out", f->attn_out, f->forward, 0);
	detail_count(v, "mlp", f->mlp, f->forward, 0);
	detail_count(v, "router", f->router, f->forward, 0);
	detail_count(v, "experts", f->experts, f->forward, 0);
	detail_count(v, "shared experts", f->shared, f->forward, 0);
	detail_count(v, "logits", f->logits, f->forward, 0);
	detail_count(v, "forward", f->forward, 0, 1);
	detail_count(v, "training (3x fwd)", f->training, 0, 1);
	detail(v, 1, "FLOPs of the run", NULL, NULL);
	detail(v, 0, "law's rule", fmt_sci(pp->flops, b, sizeof b), NULL);
	detail(v, 0, "itemised arch", fmt_sci(pp->flops_itemised, b, sizeof b), NULL);
	if (pp->flops_sunk > 0)
		detail(v, 0, "sunk (checkpoint)", fmt_sci(pp->flops_sunk, b, sizeof b),
		       NULL);
	if (isfinite(pp->tokens_dense) && isfinite(pp->tokens_moe)) {
		detail(v, 0, "tokens D1 (dense)", fmt_count(pp->tokens_dense, b, sizeof b),
		       NULL);
		detail(v, 0, "tokens D2 (moe)", fmt_count(pp->tokens_moe, b, sizeof b),
		       NULL);
	}
}

/* Kernel time of one training step on the cost model (cost.h). */
static void detail_kernels(struct view *v, const struct view_request *r,
                           const struct plan_path *pp)
{
	struct cost_breakdown bd;
	struct mp_error e;
	char head[64], b[24], s[12];
	int tps = r->tokens_per_step > 0 ? r->tokens_per_step : 8 * pp->arch.seq;
	double per_token;

	if (r->cost == NULL || arch_check(&pp->arch, &e) != 0)
		return;
	memset(&bd, 0, sizeof bd);
	per_token = cost_seconds_per_token(r->cost, &pp->arch, tps, &bd);
	snprintf(head, sizeof head, "Time per step, %s tokens",
	         fmt_count(tps, b, sizeof b));
	detail(v, 1, head, NULL, NULL);
	for (int i = 0; i < bd.n && i < COST_ITEMS_MAX; i++) {
		share(s, sizeof s, bd.item[i].seconds, bd.seconds);
		detail(v, 0, bd.item[i].name, fmt_seconds(bd.item[i].seconds, b, sizeof b),
		       s);
	}
	detail(v, 0, "step", fmt_seconds(bd.seconds, b, sizeof b), NULL);
	if (isfinite(per_token) && per_token > 0 && r->cost->mfu_peak > 0) {
		/* MFU = training FLOPs per token / (seconds per token x peak) */
		snprintf(s, sizeof s, "%.1f%%",
		         100 * pp->arch_flops.training / (per_token * r->cost->mfu_peak));
		detail(v, 0, "MFU (this step)", s, NULL);
	}
}

/* The run on the cluster (core/cluster.h): the whole layout, memory per
 * device and its parts, the step and what the run takes. */
static void detail_cluster(struct view *v, const struct view_request *r,
                           const struct plan_path *pp)
{
	const struct cluster_run *cr = &pp->run;
	const struct layout *l = &cr->layout;
	static const char *const rc[] = { "none", "selective", "full" };
	char head[64], b[24], s[12];

	if (r->device_bytes <= 0)
		return;
	snprintf(head, sizeof head, "Cluster, %d devices", r->devices);
	detail(v, 1, head, NULL, NULL);
	if (!pp->has_run) {
		detail(v, 0, "fits no layout", NULL, NULL);
		return;
	}
	snprintf(b, sizeof b, "%d / %d / %d", l->tp, l->pp, l->dp);
	detail(v, 0, "tp / pp / dp", b, NULL);
	snprintf(b, sizeof b, "%d / %d", l->ep, l->zero);
	detail(v, 0, "ep / zero", b, NULL);
	snprintf(b, sizeof b, "%s", (int)l->recompute >= 0 && l->recompute < 3 ?
	         rc[l->recompute] : "?");
	detail(v, 0, "recompute", b, NULL);
	snprintf(b, sizeof b, "%d x %d", l->micro_batch, l->micro_batches);
	detail(v, 0, "mb (seq) x count", b, NULL);
	share(s, sizeof s, cr->memory.total, r->device_bytes);
	detail(v, 0, "memory / device", fmt_memory(cr->memory.total,
	       r->device_bytes, b, sizeof b), s);
	detail(v, 0, "step", fmt_seconds(cr->step, b, sizeof b), NULL);
	share(s, sizeof s, cr->comm_exposed, cr->step);
	detail(v, 0, "  exposed comm.", fmt_seconds(cr->comm_exposed, b,
	       sizeof b), s);
	detail(v, 0, "tokens / s", fmt_count(cr->tokens_per_second, b, sizeof b),
	       NULL);
	if (isfinite(pp->mfu)) {
		snprintf(b, sizeof b, "%.1f%%", 100 * pp->mfu);
		detail(v, 0, "MFU (run)", b, NULL);
	}
	if (isfinite(pp->wall_seconds)) {
		snprintf(b, sizeof b, "%.1f d", pp->wall_seconds / 86400);
		detail(v, 0, "wall clock", b, NULL);
	}
	if (isfinite(pp->hours))
		detail(v, 0, "device-hours", view_fmt_budget(pp->hours, UNIT_HOURS,
		       b, sizeof b), NULL);
}

static void build_details(struct view *v, const struct view_request *r,
                          const struct plan *pl)
{
	const struct plan_path *pp;
	const struct arch *a;

	v->n_detail = 0;
	if (r->selected < 0 || r->selected >= PATH_COUNT ||
	    pl->path[r->selected].law == NULL) {
		snprintf(v->detail_title, sizeof v->detail_title, "Details");
		return;
	}
	pp = &pl->path[r->selected];
	a = &pp->arch;
	if (!pp->solved) {
		snprintf(v->detail_title, sizeof v->detail_title, "%s: no plan",
		         law_path_name((enum law_path)r->selected));
		detail(v, 0, pp->why, NULL, NULL);
		return;
	}
	if (a->experts > 0)
		snprintf(v->detail_title, sizeof v->detail_title, "%s, %d x %d, E=%d",
		         law_path_name((enum law_path)r->selected), a->layers,
		         a->d_model, a->experts);
	else
		snprintf(v->detail_title, sizeof v->detail_title, "%s, %d x %d",
		         law_path_name((enum law_path)r->selected), a->layers,
		         a->d_model);
	detail_cluster(v, r, pp);
	detail_params(v, pp);
	detail_flops(v, pp);
	detail_kernels(v, r, pp);
}

/* ---- all --------------------------------------------------------------- */

int view_build(struct view *v, const struct view_request *req,
               const struct plan *pl, const struct frontier *fr,
               struct mp_error *err)
{
	if (req->unit != UNIT_FLOPS && req->unit != UNIT_HOURS &&
	    req->unit != UNIT_USD)
		return mp_error_set(err, "view: unknown budget unit");
	memset(v, 0, sizeof *v);
	build_inputs(v, req);
	build_results(v, req, pl);
	build_summary(v, req, pl);
	build_warnings(v, req, pl);
	build_chart(v, req, pl, fr);
	build_details(v, req, pl);
	return 0;
}
