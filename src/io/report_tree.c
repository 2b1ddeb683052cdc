/*
 * report_tree.c — the structured document of a plan or a frontier, written
 * through the emit interface, so that JSON and YAML (report_doc.c) are
 * the same tree in two notations.  A path's keys are
 * the JSON fields of report_fields.h, in its order.  The keys are the
 * contract described in report.h; add keys, never rename them.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "emit_arch.h"
#include "report_fields.h"
#include "report_impl.h"

/* A number, or null when it is not finite (a bug upstream). */
static void tree_demand(struct emit *e, const struct report_info *info);

static void kv_num(struct emit *e, const char *key, double v)
{
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

static void tree_variables(struct emit *e, const struct plan_path *pp)
{
	emit_key(e, "variables");
	emit_object_begin(e);
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++)
		kv_num(e, pp->law->vars[v].name, pp->x[v]);
	emit_object_end(e);
}

/* The within-fit plan's variables, null when none fits. */
static void tree_within(struct emit *e, const struct plan_path *pp)
{
	if (!pp->within_solved) {
		emit_kv_null(e, "within_fit_variables");
		return;
	}
	emit_key(e, "within_fit_variables");
	emit_object_begin(e);
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++)
		kv_num(e, pp->law->vars[v].name, pp->within_x[v]);
	emit_object_end(e);
}

/* The names of the variables outside their fit ranges. */
static void tree_extrap(struct emit *e, const struct plan_path *pp)
{
	emit_key(e, "extrapolated_vars");
	emit_array_begin(e);
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++)
		if (pp->extrap_mask & (1u << v))
			emit_string(e, pp->law->vars[v].name);
	emit_array_end(e);
}

static void tree_group(struct emit *e, const struct report_field *f,
                       const struct plan_path *pp)
{
	switch (f->group) {
	case GROUP_VARIABLES: tree_variables(e, pp); break;
	case GROUP_WITHIN:    tree_within(e, pp); break;
	case GROUP_EXTRAP:    tree_extrap(e, pp); break;
	case GROUP_ARCH:      tree_arch(e, pp); break;
	case GROUP_WARNINGS:  path_warnings(e, pp); break;
	default:              break;
	}
}

/* One field: its value where it exists; null in an unsolved path's object
 * for a FIELD_UNSOLVED field that does not exist there. */
static void tree_field(struct emit *e, const struct report_field *f,
                       const struct field_ctx *c)
{
	char buf[REPORT_NAME_LEN];

	if (!report_field_exists(f, f->when, c)) {
		if (!c->plan->path[c->path].solved && (f->flags & FIELD_UNSOLVED))
			emit_kv_null(e, f->key);
		return;
	}
	if (f->kind == FIELD_GROUP)
		tree_group(e, f, &c->plan->path[c->path]);
	else if (f->kind == FIELD_TEXT)
		emit_kv_string(e, f->key, report_field_text(f, c, buf, sizeof buf));
	else if (f->kind == FIELD_BOOL)
		emit_kv_bool(e, f->key, report_field_num(f, c) != 0);
	else if (f->kind == FIELD_INT)
		emit_kv_int(e, f->key, (long long)report_field_num(f, c));
	else
		kv_num(e, f->key, report_field_num(f, c));
}

/* One path's object: the JSON fields of report_fields.h, in order; an
 * unsolved path's has only those flagged FIELD_UNSOLVED. */
static void tree_path(struct emit *e, const struct plan *p, int i,
                      const struct report_info *info)
{
	struct field_ctx c = { p, i, info };
	int solved = p->path[i].solved;

	emit_object_begin(e);
	for (const struct report_field *f = report_fields; f->key != NULL; f++)
		if ((f->flags & FIELD_JSON) &&
		    (solved || (f->flags & (FIELD_UNSOLVED | FIELD_UNSOLVED_IF))))
			tree_field(e, f, &c);
	report_bands_tree_path(e, info, 0, i);
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

/* The reading planned with and the verdict under each other one (a law
 * set with variants only). */
static void tree_variants(struct emit *e, const struct plan *p,
                          const struct report_info *info)
{
	int holds = 1;

	if (info->variant == NULL)
		return;
	emit_kv_string(e, "variant", info->variant);
	emit_key(e, "variants");
	emit_array_begin(e);
	for (size_t i = 0; i < info->n_variants; i++) {
		const struct report_variant *v = &info->variants[i];

		holds &= v->best == p->best;
		emit_object_begin(e);
		emit_kv_string(e, "name", v->name);
		emit_kv_string(e, "best", report_path_name(v->best));
		kv_num(e, "loss", v->loss);
		emit_kv_bool(e, "extrapolated", v->extrapolated);
		emit_kv_string(e, "runner_up", report_path_name(v->runner_up));
		kv_num(e, "loss_delta", v->margin);
		emit_kv_bool(e, "flips", v->best != p->best);
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_kv_bool(e, "verdict_holds", holds);
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

/* The budget and the hardware (no model): a plan's and a comparison's. */
void report_tree_budget(struct emit *e, double budget,
                        const struct report_info *info)
{
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

void report_tree_provenance(struct emit *e, const struct report_info *info)
{
	if (info->source == NULL && info->provenance == NULL)
		return;
	emit_key(e, "provenance");
	emit_object_begin(e);
	emit_kv_string(e, "source", info->source);
	emit_kv_string(e, "kind", info->provenance);
	emit_kv_string(e, "note", info->note);
	emit_object_end(e);
}

static void tree_request(struct emit *e, double budget,
                         const struct report_info *info)
{
	emit_kv_string(e, "model", info->model);
	report_tree_budget(e, budget, info);
	report_tree_provenance(e, info);
}

/* The checkpoint, once per plan, when the plan has one: "best" is then
 * "checkpoint" where no path beats it. */
static void tree_checkpoint(struct emit *e, const struct plan *p)
{
	char law[REPORT_NAME_LEN];

	if (!p->has_baseline)
		return;
	snprintf(law, sizeof law, "%.60s/%.60s", p->baseline_law->model,
	         p->baseline_law->name);
	emit_key(e, "checkpoint");
	emit_object_begin(e);
	emit_kv_string(e, "law", law);
	kv_num(e, "params", p->baseline_params);
	emit_kv_string(e, "params_count", law_count_name(p->baseline_law->count));
	kv_num(e, "tokens", p->baseline_tokens);
	kv_num(e, "loss", p->baseline_loss);
	kv_num(e, "flops", p->baseline_flops);
	emit_kv_bool(e, "paid", p->baseline_paid);
	emit_key(e, "beaten_by");
	emit_array_begin(e);
	for (int i = 0; i < PATH_COUNT; i++)
		if (report_planned(p, i) && p->path[i].solved &&
		    p->path[i].loss < p->baseline_loss)
			emit_string(e, report_path_name(i));
	emit_array_end(e);
	emit_object_end(e);
}

void report_tree_plan_members(struct emit *e, const struct plan *p,
                              const struct report_info *info)
{
	emit_key(e, "paths");
	emit_object_begin(e);
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		emit_key(e, report_path_name(i));
		tree_path(e, p, i, info);
	}
	emit_object_end(e);
	tree_checkpoint(e, p);
	emit_kv_string(e, "best", p->keep ? "checkpoint"
	                                  : report_path_name(p->best));
	emit_kv_bool(e, "best_extrapolated",
	             p->best >= 0 && p->path[p->best].extrapolated);
	emit_kv_string(e, "best_within_fit",
	               report_path_name(plan_best_within_fit(p)));
	tree_margin(e, p);
	tree_variants(e, p, info);
	report_bands_tree(e, info, 0);
	all_warnings(e, info, p);
}

void report_tree_plan(struct emit *e, const struct plan *p,
                      const struct report_info *info)
{
	emit_object_begin(e);
	tree_request(e, p->budget, info);
	if (p->is_target)
		kv_num(e, "target_loss", p->target_loss);
	if (info->unique_tokens > 0) {
		kv_num(e, "unique_tokens", info->unique_tokens);
		emit_kv_string(e, "unique_tokens_source", info->datacon_source);
	}
	if (info->hparams_source != NULL) {
		emit_kv_string(e, "hparams_source", info->hparams_source);
		emit_kv_string(e, "hparams_compute", info->hparams_compute);
	}
	report_tree_plan_members(e, p, info);
	tree_demand(e, info);
	emit_object_end(e);
}

static void winner_kv(struct emit *e, const char *key, int w)
{
	if (w == -1)
		emit_kv_null(e, key);
	else
		emit_kv_string(e, key, report_path_name(w));
}

/* "demand": { "inference_tokens", "best", "best_without_serving",
 *   "swept": [lo, hi], "crossovers": [ { "inference_tokens", "from",
 *   "to" } ] }: how the verdict moves with the serving demand */
static void tree_demand(struct emit *e, const struct report_info *info)
{
	const struct plan_demand *d = info->demand;

	if (d == NULL)
		return;
	emit_key(e, "demand");
	emit_object_begin(e);
	kv_num(e, "inference_tokens", d->tokens);
	winner_kv(e, "best", d->best);
	winner_kv(e, "best_without_serving", d->best_none);
	emit_key(e, "swept");
	emit_array_begin(e);
	emit_number(e, d->lo);
	emit_number(e, d->hi);
	emit_array_end(e);
	emit_key(e, "crossovers");
	emit_array_begin(e);
	for (size_t k = 0; k < d->n_cross; k++) {
		emit_object_begin(e);
		kv_num(e, "inference_tokens", d->cross[k].tokens);
		winner_kv(e, "from", d->cross[k].from);
		winner_kv(e, "to", d->cross[k].to);
		emit_object_end(e);
	}
	emit_array_end(e);
	emit_object_end(e);
}

/* A frontier point's path: extrapolated, and the variables that left
 * their fit ranges. */
static void tree_point_extrap(struct emit *e, const struct frontier_point *pt,
                              int i)
{
	char vars[FRONTIER_VARS_LEN], *tok, *save = NULL;

	emit_kv_bool(e, "extrapolated", pt->extrap[i]);
	emit_key(e, "extrapolated_vars");
	emit_array_begin(e);
	snprintf(vars, sizeof vars, "%s", pt->extrap_vars[i]);
	for (tok = strtok_r(vars, ",", &save); tok != NULL;
	     tok = strtok_r(NULL, ",", &save))
		emit_string(e, tok);
	emit_array_end(e);
}

static void tree_point(struct emit *e, const struct frontier *fr,
                       size_t k, const struct report_info *info)
{
	const struct frontier_point *pt = &fr->pt[k];

	emit_object_begin(e);
	kv_num(e, "budget", pt->budget);
	emit_kv_string(e, "best", pt->keep ? "checkpoint"
	                                   : report_path_name(pt->best));
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
		tree_point_extrap(e, pt, i);
		report_bands_tree_path(e, info, k, i);
		emit_object_end(e);
	}
	emit_object_end(e);
	report_bands_tree_point(e, info, k);
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
	if (fr->n > 0 && fr->pt[0].baseline > 0 && isfinite(fr->pt[0].baseline)) {
		emit_key(e, "checkpoint");
		emit_object_begin(e);
		kv_num(e, "loss", fr->pt[0].baseline);
		emit_object_end(e);
	}
	emit_key(e, "points");
	emit_array_begin(e);
	for (size_t k = 0; k < fr->n; k++)
		tree_point(e, fr, k, info);
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
	report_bands_tree(e, info, (size_t)-1);
	all_warnings(e, info, NULL);
	emit_object_end(e);
}
