/*
 * report_targets.c — `moeplan frontier --target-from L1 --target-to L2`:
 * each path's least cost to each target loss, the cheapest path, and the
 * losses where it changes (core/plan_target.h), as a table, CSV and the
 * JSON/YAML document (report.h, struct report_targets).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "report.h"
#include "report_impl.h"

static int planned(const struct report_targets *r, int i)
{
	if (r->info->law[i] != NULL)
		return 1;
	for (size_t k = 0; k < r->tf->n; k++)
		if (r->tf->pt[k].solved[i])
			return 1;
	return 0;
}

static const char *winner_name(int best, int keep)
{
	const char *s = keep ? "checkpoint" : report_path_name(best);

	return s != NULL ? s : "none";
}

/* a cost in the budget's unit, short: "8.4e22", "12.3k", "$1.2M" */
static const char *cost_cell(double b, const struct report_info *info,
                             char *buf, size_t n)
{
	double v = report_budget_value(b, info);

	if (!isfinite(v))
		snprintf(buf, n, "-");
	else if (info->unit == UNIT_USD)
		units_fmt_usd(v, buf, n);
	else if (info->unit == UNIT_HOURS)
		units_fmt_count(v, buf, n);
	else
		units_fmt_sci(v, buf, n);
	return buf;
}

static const char *unit_words(const struct report_info *info)
{
	return info->unit == UNIT_HOURS ? "device-hours" :
	       info->unit == UNIT_USD ? "USD" : "FLOPs";
}

int report_targets_table(FILE *f, const struct report_targets *r)
{
	const struct target_frontier *tf = r->tf;
	const struct report_info *info = r->info;
	char b[64];

	snprintf(b, sizeof b, "least cost to each target loss (%s)",
	         unit_words(info));
	report_print_request(f, b, NAN, info);
	fprintf(f, "%-12s", "target loss");
	for (int i = 0; i < PATH_COUNT; i++)
		if (planned(r, i))
			fprintf(f, " %14s", report_path_name(i));
	fprintf(f, "  %-10s  %s\n", "cheapest", "its params / tokens");
	for (size_t k = 0; k < tf->n; k++) {
		const struct target_point *pt = &tf->pt[k];
		char n1[32], d1[32];

		fprintf(f, "%-12.4f", pt->loss);
		for (int i = 0; i < PATH_COUNT; i++) {
			if (!planned(r, i))
				continue;
			cost_cell(pt->solved[i] ? pt->budget[i] : NAN, info, b, sizeof b);
			if (pt->solved[i] && pt->extrap[i])
				strcat(b, "*");
			fprintf(f, " %14s", b);
		}
		fprintf(f, "  %-10s", winner_name(pt->best, pt->keep));
		if (pt->best >= 0)
			fprintf(f, "  %s / %s",
			        units_fmt_count(pt->params[pt->best], n1, sizeof n1),
			        units_fmt_count(pt->tokens[pt->best], d1, sizeof d1));
		fputc('\n', f);
	}
	fputs("\n* extrapolated: outside the law's fit ranges\n", f);
	if (tf->n_cross == 0)
		fputs("no crossover: the cheapest path is the same over the range\n",
		      f);
	for (size_t k = 0; k < tf->n_cross; k++)
		fprintf(f, "crossover at loss %.5f: %s cheapest above, %s below\n",
		        tf->cross[k].loss,
		        winner_name(tf->cross[k].from, tf->cross[k].from == PLAN_KEEP),
		        winner_name(tf->cross[k].to, tf->cross[k].to == PLAN_KEEP));
	return ferror(f) ? -1 : 0;
}

/* target_loss, PATH_budget (FLOPs or device-seconds) and PATH_budget_value
 * (in the unit), best, PATH_params, PATH_tokens, PATH_extrapolated */
int report_targets_csv(FILE *f, const struct report_targets *r)
{
	static const char *const cols[] = { "budget", "budget_value", "params",
	                                    "tokens", "extrapolated" };
	const struct target_frontier *tf = r->tf;

	fputs("target_loss,best", f);
	for (size_t c = 0; c < sizeof cols / sizeof *cols; c++)
		for (int i = 0; i < PATH_COUNT; i++)
			fprintf(f, ",%s_%s", report_path_name(i), cols[c]);
	fputc('\n', f);
	for (size_t k = 0; k < tf->n; k++) {
		const struct target_point *pt = &tf->pt[k];

		report_csv_num(f, pt->loss);
		fprintf(f, ",%s", pt->best >= 0 || pt->keep ?
		        winner_name(pt->best, pt->keep) : "");
		for (int i = 0; i < PATH_COUNT; i++) {
			fputc(',', f);
			report_csv_num(f, pt->solved[i] ? pt->budget[i] : NAN);
		}
		for (int i = 0; i < PATH_COUNT; i++) {
			fputc(',', f);
			report_csv_num(f, pt->solved[i] ?
			               report_budget_value(pt->budget[i], r->info) : NAN);
		}
		for (int i = 0; i < PATH_COUNT; i++) {
			fputc(',', f);
			report_csv_num(f, pt->solved[i] ? pt->params[i] : NAN);
		}
		for (int i = 0; i < PATH_COUNT; i++) {
			fputc(',', f);
			report_csv_num(f, pt->solved[i] ? pt->tokens[i] : NAN);
		}
		for (int i = 0; i < PATH_COUNT; i++)
			if (pt->solved[i])
				fprintf(f, ",%d", pt->extrap[i]);
			else
				fputc(',', f);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

/* { "model", "budget_unit", provenance, "points": [ { "target_loss",
 *   "best", "paths": { PATH: { "solved", "budget", "budget_value",
 *   "params", "tokens", "extrapolated" } } } ], "crossovers": [
 *   { "target_loss", "from", "to" } ] } */
void report_targets_tree(struct emit *e, const struct report_targets *r)
{
	const struct target_frontier *tf = r->tf;

	emit_object_begin(e);
	emit_kv_string(e, "model", r->info->model);
	report_tree_budget(e, NAN, r->info);
	report_tree_provenance(e, r->info);
	emit_key(e, "points");
	emit_array_begin(e);
	for (size_t k = 0; k < tf->n; k++) {
		const struct target_point *pt = &tf->pt[k];

		emit_object_begin(e);
		emit_kv_number(e, "target_loss", pt->loss);
		if (pt->best >= 0 || pt->keep)
			emit_kv_string(e, "best", winner_name(pt->best, pt->keep));
		else
			emit_kv_null(e, "best");
		emit_key(e, "paths");
		emit_object_begin(e);
		for (int i = 0; i < PATH_COUNT; i++) {
			int s = pt->solved[i];

			if (!planned(r, i))
				continue;
			emit_key(e, report_path_name(i));
			emit_object_begin(e);
			emit_kv_bool(e, "solved", s);
			emit_kv_number(e, "budget", s ? pt->budget[i] : NAN);
			emit_kv_number(e, "budget_value", s ?
			               report_budget_value(pt->budget[i], r->info) : NAN);
			emit_kv_number(e, "params", s ? pt->params[i] : NAN);
			emit_kv_number(e, "tokens", s ? pt->tokens[i] : NAN);
			emit_kv_bool(e, "extrapolated", s && pt->extrap[i]);
			emit_object_end(e);
		}
		emit_object_end(e);
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_key(e, "crossovers");
	emit_array_begin(e);
	for (size_t k = 0; k < tf->n_cross; k++) {
		const struct target_crossover *c = &tf->cross[k];

		emit_object_begin(e);
		emit_kv_number(e, "target_loss", c->loss);
		emit_kv_string(e, "from", winner_name(c->from, c->from == PLAN_KEEP));
		emit_kv_string(e, "to", winner_name(c->to, c->to == PLAN_KEEP));
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_object_end(e);
}
