/*
 * report_cost.c — the cost breakdown of `moeplan cost` in every format
 * that fits it: a table for people (one row per kernel and a total, with
 * GFLOP, seconds, forward seconds for a training step, TFLOP/s and MFU),
 * CSV (one row per kernel, then "total"), and the JSON/YAML document
 * (written by report_json.c and report_yaml.c).  Every format names the
 * hardware profile and its label ("datasheet, not calibrated").
 */
#include "config.h"

#include "report.h"

#include <stdio.h>

#include "io/profile.h"
#include "report_impl.h"

/* Item i of the breakdown, i == n the total (forward seconds summed). */
struct cost_row {
	const char *name;
	double flops, seconds, fwd;
};

static struct cost_row cost_row(const struct cost_breakdown *bd, int i)
{
	struct cost_row r;

	if (i < bd->n) {
		r.name = bd->item[i].name;
		r.flops = bd->item[i].flops;
		r.seconds = bd->item[i].seconds;
		r.fwd = bd->item[i].fwd_seconds;
		return r;
	}
	r.name = "total";
	r.flops = bd->flops;
	r.seconds = bd->seconds;
	r.fwd = 0;
	for (int j = 0; j < bd->n; j++)
		r.fwd += bd->item[j].fwd_seconds;
	return r;
}

/* ---- table ------------------------------------------------------------- */

int report_cost_table(FILE *f, const struct report_cost *r)
{
	const struct hw_profile *p = r->hw;
	const struct cost_breakdown *bd = r->bd;

	fprintf(f, "hardware  %s (%s)\n", p->name, p->label);
	fprintf(f, "model     %s, MFU against %.4g FLOP/s %s\n", r->what,
	        p->model.mfu_peak, p->dtype);
	fprintf(f, "\n%-14s %12s %12s", "kernel", "GFLOP", "seconds");
	if (r->train)
		fprintf(f, " %12s", "forward s");
	fprintf(f, " %10s %7s\n", "TFLOP/s", "MFU");
	for (int i = 0; i <= bd->n; i++) {
		struct cost_row c = cost_row(bd, i);

		fprintf(f, "%-14s %12.4g %12.4g", c.name, c.flops / 1e9, c.seconds);
		if (r->train)
			fprintf(f, " %12.4g", c.fwd);
		if (c.flops > 0 && c.seconds > 0)
			fprintf(f, " %10.4g %6.1f%%\n", c.flops / c.seconds / 1e12,
			        100 * c.flops / c.seconds / p->model.mfu_peak);
		else
			fprintf(f, " %10s %7s\n", "-", "-");
	}
	if (r->train)
		fprintf(f, "\ntokens per step %.6g, seconds per token %.6g\n",
		        bd->tokens, bd->seconds / bd->tokens);
	return ferror(f) ? -1 : 0;
}

/* ---- csv --------------------------------------------------------------- */

int report_cost_csv(FILE *f, const struct report_cost *r)
{
	const struct cost_breakdown *bd = r->bd;
	double peak = r->hw->model.mfu_peak;

	fputs("hardware,what,name,flops,seconds,forward_seconds,"
	      "flops_per_second,mfu\n", f);
	for (int i = 0; i <= bd->n; i++) {
		struct cost_row c = cost_row(bd, i);

		report_csv_str(f, r->hw->name);
		fputc(',', f);
		report_csv_str(f, r->what);
		fputc(',', f);
		report_csv_str(f, c.name);
		fputc(',', f);
		report_csv_num(f, c.flops);
		fputc(',', f);
		report_csv_num(f, c.seconds);
		fputc(',', f);
		report_csv_num(f, c.fwd);
		fputc(',', f);
		report_csv_num(f, c.seconds > 0 ? c.flops / c.seconds : 0);
		fputc(',', f);
		report_csv_num(f, c.seconds > 0 ? c.flops / c.seconds / peak : 0);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- json, yaml -------------------------------------------------------- */

static void tree_item(struct emit *e, const struct hw_profile *p,
                      const struct cost_row *c)
{
	emit_object_begin(e);
	emit_kv_string(e, "name", c->name);
	emit_kv_number(e, "flops", c->flops);
	emit_kv_number(e, "seconds", c->seconds);
	emit_kv_number(e, "forward_seconds", c->fwd);
	emit_kv_number(e, "flops_per_second",
	               c->seconds > 0 ? c->flops / c->seconds : 0);
	emit_kv_number(e, "mfu", c->seconds > 0 ? c->flops / c->seconds /
	                                          p->model.mfu_peak : 0);
	emit_object_end(e);
}

void report_cost_tree(struct emit *e, const struct report_cost *r)
{
	const struct hw_profile *p = r->hw;
	struct cost_row total = cost_row(r->bd, r->bd->n);

	emit_object_begin(e);
	emit_key(e, "hardware");
	emit_object_begin(e);
	emit_kv_string(e, "name", p->name);
	emit_kv_bool(e, "calibrated", p->calibrated);
	emit_kv_string(e, "label", p->label);
	emit_kv_string(e, "dtype", p->dtype);
	emit_kv_number(e, "mfu_peak", p->model.mfu_peak);
	emit_object_end(e);
	emit_kv_string(e, "what", r->what);
	emit_kv_number(e, "tokens", r->bd->tokens);
	emit_key(e, "items");
	emit_array_begin(e);
	for (int i = 0; i < r->bd->n; i++) {
		struct cost_row c = cost_row(r->bd, i);

		tree_item(e, p, &c);
	}
	emit_array_end(e);
	emit_key(e, "total");
	tree_item(e, p, &total);
	if (r->bd->tokens > 0)
		emit_kv_number(e, "seconds_per_token", r->bd->seconds / r->bd->tokens);
	emit_object_end(e);
}
