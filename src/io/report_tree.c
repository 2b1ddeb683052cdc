/*
 * report_tree.c — the structured document of a plan or a frontier, written
 * through the emit interface, so that JSON and YAML (report_json.c,
 * report_yaml.c) are the same tree in two notations.  The keys are the
 * contract described in report.h; add keys, never rename them.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "emit.h"
#include "emit_arch.h"
#include "report_impl.h"

/* A number, or null when it is not finite (a bug upstream). */
static void kv_num(struct emit *e, const char *key, double v)
{
	emit_kv_number(e, key, v);
}

/* A key only when the value is known. */
static void kv_num_opt(struct emit *e, const char *key, double v)
{
	if (isfinite(v))
		emit_kv_number(e, key, v);
}

static void path_warnings(struct emit *e, const struct plan_path *pp)
{
	emit_key(e, "warnings");
	emit_array_begin(e);
	for (size_t w = 0; w < pp->n_warn && w < PLAN_MAX_WARN; w++)
		emit_string(e, pp->warn[w]);
	emit_array_end(e);
}

static void tree_arch(struct emit *e, const struct plan_path *pp)
{
	const struct arch *a = &pp->arch;
	const struct arch_params *ap = &pp->arch_params;
	const struct arch_flops *af = &pp->arch_flops;

	if (a->layers <= 0) {          /* no architecture realised */
		emit_kv_null(e, "arch");
		emit_kv_null(e, "arch_params");
		emit_kv_null(e, "flops_per_token");
		return;
	}
	emit_arch(e, "arch", a);
	emit_arch_params(e, "arch_params", ap);
	emit_arch_flops(e, "flops_per_token", af);
}

/* One path's object: solved paths in full, unsolved ones with why. */
static void tree_path(struct emit *e, const struct plan *p, int i,
                      const struct report_info *info)
{
	const struct plan_path *pp = &p->path[i];
	const struct law *L = pp->law;
	char name[REPORT_NAME_LEN];

	emit_object_begin(e);
	emit_kv_string(e, "law", report_law_name(p, info, i, name));
	emit_kv_bool(e, "solved", pp->solved);
	if (!pp->solved) {
		emit_kv_string(e, "why", pp->why);
		emit_kv_null(e, "loss");
		emit_kv_null(e, "params");
		emit_kv_null(e, "tokens");
		emit_kv_null(e, "flops");
		path_warnings(e, pp);
		emit_object_end(e);
		return;
	}
	kv_num(e, "loss", pp->loss);
	if (i == PATH_UPCYCLE)
		kv_num(e, "baseline_loss", pp->baseline_loss);
	emit_key(e, "variables");
	emit_object_begin(e);
	for (size_t v = 0; v < L->n_vars && v < LAW_MAX_VARS; v++)
		kv_num(e, L->vars[v].name, pp->x[v]);
	emit_object_end(e);
	kv_num(e, "params", pp->params);
	emit_kv_string(e, "params_count", law_count_name(L->count));
	kv_num(e, "tokens", pp->tokens);
	if (i == PATH_UPCYCLE) {
		kv_num(e, "tokens_dense", pp->tokens_dense);
		kv_num(e, "tokens_moe", pp->tokens_moe);
	}
	kv_num(e, "flops", pp->flops);
	kv_num(e, "flops_sunk", isfinite(pp->flops_sunk) ? pp->flops_sunk : 0);
	kv_num(e, "flops_itemised", pp->flops_itemised);
	kv_num_opt(e, "seconds", pp->wall_seconds);
	kv_num_opt(e, "hours", pp->hours);
	kv_num_opt(e, "usd", pp->usd);
	kv_num_opt(e, "mfu", pp->mfu);
	tree_arch(e, pp);
	path_warnings(e, pp);
	emit_object_end(e);
}

static void tree_margin(struct emit *e, const struct plan *p)
{
	int r = plan_runner_up(p);
	double delta;

	if (r < 0) {
		emit_kv_null(e, "margin");
		return;
	}
	delta = p->path[r].loss - p->path[p->best].loss;
	emit_key(e, "margin");
	emit_object_begin(e);
	emit_kv_string(e, "runner_up", report_path_name(r));
	kv_num(e, "loss_delta", delta);
	kv_num(e, "loss_delta_rel", delta / p->path[r].loss);
	emit_object_end(e);
}

/* Caller's warnings, then every planned path's, prefixed with its name. */
static void all_warnings(struct emit *e, const struct report_info *info,
                         const struct plan *p)
{
	char line[PLAN_WARN_LEN + 16];

	emit_key(e, "warnings");
	emit_array_begin(e);
	for (size_t w = 0; w < info->n_warn; w++)
		emit_string(e, info->warn[w]);
	for (int i = 0; p != NULL && i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		for (size_t w = 0; w < p->path[i].n_warn && w < PLAN_MAX_WARN; w++) {
			snprintf(line, sizeof line, "%s: %s", report_path_name(i),
			         p->path[i].warn[w]);
			emit_string(e, line);
		}
	}
	emit_array_end(e);
}

static void tree_request(struct emit *e, double budget,
                         const struct report_info *info)
{
	emit_kv_string(e, "model", info->model);
	if (isfinite(budget))
		kv_num(e, "budget", budget);
	emit_kv_string(e, "budget_unit", units_unit_name(
		info->unit == UNIT_NONE ? UNIT_FLOPS : info->unit));
	if (isfinite(budget))
		kv_num(e, "budget_value", report_budget_value(budget, info));
	if (info->hardware != NULL)
		emit_kv_string(e, "hardware", info->hardware);
	if (info->devices > 0)
		emit_kv_int(e, "devices", info->devices);
}

void report_tree_plan(struct emit *e, const struct plan *p,
                      const struct report_info *info)
{
	emit_object_begin(e);
	tree_request(e, p->budget, info);
	emit_key(e, "paths");
	emit_object_begin(e);
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		emit_key(e, report_path_name(i));
		tree_path(e, p, i, info);
	}
	emit_object_end(e);
	emit_kv_string(e, "best", report_path_name(p->best));
	tree_margin(e, p);
	all_warnings(e, info, p);
	emit_object_end(e);
}

static void tree_point(struct emit *e, const struct frontier *fr,
                       const struct frontier_point *pt,
                       const struct report_info *info)
{
	emit_object_begin(e);
	kv_num(e, "budget", pt->budget);
	emit_kv_string(e, "best", report_path_name(pt->best));
	emit_key(e, "paths");
	emit_object_begin(e);
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_frontier_planned(fr, info, i))
			continue;
		emit_key(e, report_path_name(i));
		emit_object_begin(e);
		emit_kv_bool(e, "solved", pt->solved[i]);
		if (pt->solved[i]) {
			kv_num(e, "loss", pt->loss[i]);
			kv_num(e, "params", pt->params[i]);
			kv_num(e, "tokens", pt->tokens[i]);
		} else {
			emit_kv_null(e, "loss");
			emit_kv_null(e, "params");
			emit_kv_null(e, "tokens");
		}
		emit_object_end(e);
	}
	emit_object_end(e);
	emit_object_end(e);
}

void report_tree_frontier(struct emit *e, const struct frontier *fr,
                          const struct report_info *info)
{
	emit_object_begin(e);
	tree_request(e, NAN, info);
	emit_key(e, "laws");
	emit_object_begin(e);
	for (int i = 0; i < PATH_COUNT; i++)
		if (info->law[i] != NULL)
			emit_kv_string(e, report_path_name(i), info->law[i]);
	emit_object_end(e);
	emit_key(e, "points");
	emit_array_begin(e);
	for (size_t k = 0; k < fr->n; k++)
		tree_point(e, fr, &fr->pt[k], info);
	emit_array_end(e);
	emit_key(e, "crossovers");
	emit_array_begin(e);
	for (size_t k = 0; k < fr->n_cross; k++) {
		emit_object_begin(e);
		kv_num(e, "budget", fr->cross[k].budget);
		emit_kv_string(e, "from", report_path_name(fr->cross[k].from));
		emit_kv_string(e, "to", report_path_name(fr->cross[k].to));
		emit_object_end(e);
	}
	emit_array_end(e);
	all_warnings(e, info, NULL);
	emit_object_end(e);
}
