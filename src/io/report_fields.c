/*
 * report_fields.c — the table of a plan's per-path fields (see
 * report_fields.h) and the formatting of their human and TUI cells.
 *
 * The order of the rows is the human table's (`moeplan plan`); the JSON
 * keys, the CSV columns and the TUI's result rows follow it.
 */
#include "config.h"

#include "report_fields.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

#include "report_impl.h"

#define PP(c) (&(c)->plan->path[(c)->path])
#define OFF(m) ((long)offsetof(struct plan_path, m))

/* ---- getters ----------------------------------------------------------- */

/* the budget of the path's plan: the request's, or the path's own least
 * budget to a target loss */
static double get_budget(const struct field_ctx *c)
{
	return isfinite(PP(c)->budget) && PP(c)->budget > 0 ? PP(c)->budget
	                                                    : c->plan->budget;
}
static double get_best(const struct field_ctx *c)
{
	return c->path == c->plan->best;
}
static double get_sunk(const struct field_ctx *c)
{
	return isfinite(PP(c)->flops_sunk) ? PP(c)->flops_sunk : 0;
}

static double get_beats(const struct field_ctx *c)
{
	return PP(c)->solved && PP(c)->loss < c->plan->baseline_loss;
}
static double get_ckpt_params(const struct field_ctx *c)
{
	return c->plan->baseline_params;
}
static double get_ckpt_tokens(const struct field_ctx *c)
{
	return c->plan->baseline_tokens;
}
static double get_ckpt_loss(const struct field_ctx *c)
{
	return c->plan->baseline_loss;
}
/* whether min_tokens_moe is inside D2's fit range */
static double get_min_in_fit(const struct field_ctx *c)
{
	return PP(c)->min_in_fit;
}

static const char *text_path(const struct field_ctx *c, char *buf, size_t n)
{
	(void)buf;
	(void)n;
	return report_path_name(c->path);
}

static const char *text_law(const struct field_ctx *c, char *buf, size_t n)
{
	static const struct report_info none = { .model = NULL };
	char name[REPORT_NAME_LEN];

	report_law_name(c->plan, c->info != NULL ? c->info : &none, c->path, name);
	snprintf(buf, n, "%s", name);
	return buf;
}

static const char *text_count(const struct field_ctx *c, char *buf, size_t n)
{
	(void)buf;
	(void)n;
	return law_count_name(PP(c)->law->count);
}

/* The size variable of the flat range, or NULL when there is none. */
static const char *text_flat_var(const struct field_ctx *c, char *buf,
                                 size_t n)
{
	(void)buf;
	(void)n;
	return PP(c)->flat_var >= 0 ? PP(c)->law->vars[PP(c)->flat_var].name
	                            : NULL;
}

/* The reading of the law set planned with (CSV: each row repeats it, as
 * it does the budget), or NULL for a set without variants. */
static const char *text_variant(const struct field_ctx *c, char *buf,
                                size_t n)
{
	(void)buf;
	(void)n;
	return c->info != NULL ? c->info->variant : NULL;
}

/* The best path under each other reading: "log10=upcycle;..." */
static const char *text_variants_best(const struct field_ctx *c, char *buf,
                                      size_t n)
{
	size_t len = 0;

	if (c->info == NULL || c->info->variant == NULL)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < c->info->n_variants && len < n; i++) {
		const struct report_variant *v = &c->info->variants[i];

		len += (size_t)snprintf(buf + len, n - len, "%s%s=%s", i ? ";" : "",
		                        v->name, v->best >= 0 ?
		                        report_path_name(v->best) : "none");
	}
	return buf;
}

static const char *text_why(const struct field_ctx *c, char *buf, size_t n)
{
	(void)buf;
	(void)n;
	return PP(c)->why;
}

/* ---- human cells that are not one number ------------------------------- */

static const char *cnt(double v, char *buf, size_t n)
{
	return isfinite(v) ? units_fmt_count(v, buf, n) : "-";
}

/* "N=1.3B, D=26B" */
static const char *human_vars(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan_path *pp = PP(c);
	char num[64];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++) {
		len += (size_t)snprintf(buf + len, n - len, "%s%.24s=%s",
		                        v > 0 ? ", " : "", pp->law->vars[v].name,
		                        cnt(pp->x[v], num, sizeof num));
		if (len >= n)
			break;
	}
	return buf;
}

/* The within-fit plan's variables: "N=7B, D=238B", or "none" */
static const char *human_within(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan_path *pp = PP(c);
	char num[64];
	size_t len = 0;

	if (!pp->within_solved) {
		snprintf(buf, n, "none");
		return buf;
	}
	buf[0] = '\0';
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++) {
		len += (size_t)snprintf(buf + len, n - len, "%s%.24s=%s",
		                        v > 0 ? ", " : "", pp->law->vars[v].name,
		                        cnt(pp->within_x[v], num, sizeof num));
		if (len >= n)
			break;
	}
	return buf;
}

/* The within-fit loss: "1.9345", or "none" when no plan fits */
static const char *human_within_loss(const struct field_ctx *c, char *buf,
                                     size_t n)
{
	if (PP(c)->within_solved)
		snprintf(buf, n, "%.4f", PP(c)->within_loss);
	else
		snprintf(buf, n, "none");
	return buf;
}

/* "N 1.2B-2.6B (0.1%)": the sizes whose loss is within the tolerance of
 * the optimum's; "<" or ">" where the range reaches the search box */
static const char *human_flat(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan_path *pp = PP(c);
	char lo[24], hi[24];

	/* (called for every column: a path without a range has no variable) */
	if (pp->flat_var < 0 || !isfinite(pp->flat_lo) || !isfinite(pp->flat_hi))
		return snprintf(buf, n, "-"), buf;
	snprintf(buf, n, "%.24s %s%s-%s%s (%.2g%%)",
	         pp->law->vars[pp->flat_var].name, pp->flat_lo_edge ? "<" : "",
	         cnt(pp->flat_lo, lo, sizeof lo), pp->flat_hi_edge ? ">" : "",
	         cnt(pp->flat_hi, hi, sizeof hi), 100 * pp->flat_tol);
	return buf;
}

/* The TUI's: "17.7B-44.6B" (the variable is the column's size, the
 * tolerance the help screen's) */
static const char *tui_flat(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan_path *pp = PP(c);
	char lo[24], hi[24];

	if (!isfinite(pp->flat_lo) || !isfinite(pp->flat_hi))
		return snprintf(buf, n, "-"), buf;
	snprintf(buf, n, "%s%s-%s%s", pp->flat_lo_edge ? "<" : "",
	         cnt(pp->flat_lo, lo, sizeof lo), pp->flat_hi_edge ? ">" : "",
	         cnt(pp->flat_hi, hi, sizeof hi));
	return buf;
}

static const char *human_params(const struct field_ctx *c, char *buf, size_t n)
{
	char num[64];

	snprintf(buf, n, "%s (%s)", cnt(PP(c)->params, num, sizeof num),
	         law_count_name(PP(c)->law->count));
	return buf;
}

static const char *human_heads(const struct field_ctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "%d / %d", PP(c)->arch.heads, PP(c)->arch.kv_heads);
	return buf;
}

static const char *human_experts(const struct field_ctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "%d / %d", PP(c)->arch.experts, PP(c)->arch.top_k);
	return buf;
}

/* ---- TUI cells: compact, two quantities where the table has two rows --- */

/* "1.8231", or "1.8987 +0.076" against the best path (four paths must
 * fit the results pane's columns) */
static const char *tui_loss(const struct field_ctx *c, char *buf, size_t n)
{
	int b = c->plan->best;
	double best = b >= 0 ? c->plan->path[b].loss : NAN;

	if (c->path == b || !isfinite(best) || c->plan->is_target)
		snprintf(buf, n, "%.4f", PP(c)->loss);
	else
		snprintf(buf, n, "%.4f %+.3f", PP(c)->loss, PP(c)->loss - best);
	return buf;
}

static const char *tui_params(const struct field_ctx *c, char *buf, size_t n)
{
	char s1[24], s2[24];

	snprintf(buf, n, "%s / %s", cnt(PP(c)->arch_params.total, s1, sizeof s1),
	         cnt(PP(c)->arch_params.active, s2, sizeof s2));
	return buf;
}

static const char *tui_tokens(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan_path *pp = PP(c);
	char s1[24], s2[24], s3[24];

	if (isfinite(pp->tokens_dense) && isfinite(pp->tokens_moe))
		snprintf(buf, n, "%s=%s+%s", cnt(pp->tokens, s1, sizeof s1),
		         cnt(pp->tokens_dense, s2, sizeof s2),
		         cnt(pp->tokens_moe, s3, sizeof s3));
	else if (isfinite(pp->tokens_new))   /* continue: D1 + D */
		snprintf(buf, n, "%s=%s+%s", cnt(pp->tokens, s1, sizeof s1),
		         cnt(pp->tokens - pp->tokens_new, s2, sizeof s2),
		         cnt(pp->tokens_new, s3, sizeof s3));
	else
		snprintf(buf, n, "%s", cnt(pp->tokens, s1, sizeof s1));
	return buf;
}

/* Wall-clock time in hours, days or years. */
static const char *fmt_wall(double h, char *buf, size_t n)
{
	if (!isfinite(h))
		snprintf(buf, n, "-");
	else if (h < 48)
		snprintf(buf, n, "%.1f h", h);
	else if (h < 24 * 730)
		snprintf(buf, n, "%.1f d", h / 24);
	else
		snprintf(buf, n, "%.1f y", h / (24 * 365.25));
	return buf;
}

/* "1.5k h (8.0 d)": device-hours, then wall-clock */
/* The layout as --layout takes it: "tp=2,pp=1,dp=4,ep=1,zero=1,...". */
static const char *text_layout(const struct field_ctx *c, char *buf, size_t n)
{
	const struct layout *l = &PP(c)->run.layout;

	snprintf(buf, n, "tp=%d,pp=%d,vpp=%d,dp=%d,ep=%d,zero=%d,recompute=%s,"
	         "mb=%d", l->tp, l->pp, layout_chunks(l), l->dp, l->ep, l->zero,
	         l->recompute == LAYOUT_RECOMPUTE_FULL ? "full" :
	         l->recompute == LAYOUT_RECOMPUTE_SELECTIVE ? "selective" : "none",
	         l->micro_batch);
	return buf;
}

/* The table's: "tp1 pp1 dp8 ep8 z1 mb2", and the recomputation if any. */
static const char *human_layout(const struct field_ctx *c, char *buf,
                                size_t n)
{
	const struct layout *l = &PP(c)->run.layout;

	char v[16] = "";

	if (layout_chunks(l) > 1)
		snprintf(v, sizeof v, "x%d", layout_chunks(l));
	snprintf(buf, n, "tp%d pp%d%s dp%d ep%d z%d mb%d%s", l->tp, l->pp, v,
	         l->dp, l->ep, l->zero, l->micro_batch,
	         l->recompute == LAYOUT_RECOMPUTE_FULL ? " rc-full" :
	         l->recompute == LAYOUT_RECOMPUTE_SELECTIVE ? " rc-sel" : "");
	return buf;
}

/* The TUI's, in a narrow cell: tensor, pipeline and expert parallelism
 * (data parallelism is what is left). */
static const char *tui_layout(const struct field_ctx *c, char *buf, size_t n)
{
	const struct layout *l = &PP(c)->run.layout;

	snprintf(buf, n, "tp%d pp%d ep%d z%d", l->tp, l->pp, l->ep, l->zero);
	return buf;
}

static const char *human_step(const struct field_ctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "%.3g s", PP(c)->run.step);
	return buf;
}

static double get_memory(const struct field_ctx *c)
{
	return PP(c)->run.memory.total;
}

static const char *human_memory(const struct field_ctx *c, char *buf,
                                size_t n)
{
	const struct cluster_run *r = &PP(c)->run;

	snprintf(buf, n, "%.1f GB", r->memory.total / 1e9);
	return buf;
}

static double get_step(const struct field_ctx *c)
{
	return PP(c)->run.step;
}

static double get_tokens_per_second(const struct field_ctx *c)
{
	return PP(c)->run.tokens_per_second;
}

static const char *tui_hours(const struct field_ctx *c, char *buf, size_t n)
{
	char s1[24], s2[24];

	if (!isfinite(PP(c)->hours))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%s (%s)", units_fmt_hours(PP(c)->hours, s1, sizeof s1),
		         fmt_wall(PP(c)->wall_seconds / 3600, s2, sizeof s2));
	return buf;
}

/* "72.7k h, $218k": a sunk checkpoint's device-hours and cost */
static const char *tui_sunk(const struct field_ctx *c, char *buf, size_t n)
{
	char s1[24], s2[24];

	if (!(PP(c)->hours_sunk > 0))
		snprintf(buf, n, "-");
	else if (!isfinite(PP(c)->usd_sunk))
		snprintf(buf, n, "%s", units_fmt_hours(PP(c)->hours_sunk, s1, sizeof s1));
	else
		snprintf(buf, n, "%s, %s", units_fmt_hours(PP(c)->hours_sunk, s1,
		         sizeof s1), units_fmt_usd(PP(c)->usd_sunk, s2, sizeof s2));
	return buf;
}

static const char *tui_layers(const struct field_ctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "%d x %d", PP(c)->arch.layers, PP(c)->arch.d_model);
	return buf;
}

static const char *tui_experts(const struct field_ctx *c, char *buf, size_t n)
{
	const struct arch *a = &PP(c)->arch;

	if (a->experts > 0)
		snprintf(buf, n, "%d, top-%d%s", a->experts, a->top_k,
		         a->shared_experts ? " +sh" : "");
	else
		snprintf(buf, n, "-");
	return buf;
}

static const char *tui_ffn(const struct field_ctx *c, char *buf, size_t n)
{
	const struct arch *a = &PP(c)->arch;

	if (a->experts > 0)
		snprintf(buf, n, "%d / %d", a->d_ff, a->d_expert);
	else
		snprintf(buf, n, "%d / -", a->d_ff);
	return buf;
}

/* ---- the table ----------------------------------------------------------- */

#define J FIELD_JSON
#define C FIELD_CSV
#define ANY FIELD_IF_ANY
#define U FIELD_UNSOLVED
#define UIF FIELD_UNSOLVED_IF
#define TANY FIELD_TUI_IF_ANY
/* a number or int at a member; a computed number; a text */
#define NUM(key, label, tui, kind, when, tw, flags, m, human, compact) \
	{ key, label, tui, kind, when, tw, flags, OFF(m), NULL, NULL, human, \
	  compact, GROUP_NONE }
#define GET(key, label, tui, kind, when, tw, flags, get) \
	{ key, label, tui, kind, when, tw, flags, -1, get, NULL, NULL, NULL, \
	  GROUP_NONE }
#define TEXT(key, label, when, flags, text) \
	{ key, label, NULL, FIELD_TEXT, when, when, flags, -1, NULL, text, NULL, \
	  NULL, GROUP_NONE }
#define ARCH_INT(key, label, tui, tw, m, human, compact) \
	NUM(key, label, tui, FIELD_INT, WHEN_ARCH, tw, C | ANY, arch.m, human, \
	    compact)

/* ---- a target loss (core/plan_target.h) and serving (core/serve.h) ---- */

static double get_target_loss(const struct field_ctx *c)
{
	return c->plan->is_target ? c->plan->target_loss : NAN;
}

static double get_target_budget(const struct field_ctx *c)
{
	return c->plan->is_target && PP(c)->solved ? PP(c)->budget : NAN;
}

static double get_target_value(const struct field_ctx *c)
{
	double b = get_target_budget(c);

	return isfinite(b) && c->info != NULL ? report_budget_value(b, c->info)
	                                      : NAN;
}

/* "1.2e22 FLOPs", "3.4k device-hours", "$1.2M": in the budget's unit */
static const char *human_target(const struct field_ctx *c, char *buf, size_t n)
{
	report_budget_text(get_target_budget(c), c->info, buf, n);
	return buf;
}

/* The TUI's (no unit there): FLOPs, or device-hours when in time, and
 * the share above the cheapest path */
static const char *tui_target(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan *p = c->plan;
	double b = get_target_budget(c), best = p->best >= 0 ?
	           p->path[p->best].budget : NAN;
	char s[24], h[24];

	if (p->budget_is_time)
		snprintf(s, sizeof s, "%s h", cnt(b / 3600, h, sizeof h));
	else
		snprintf(s, sizeof s, "%.2g", b);
	if (c->path == p->best || !isfinite(best))
		snprintf(buf, n, "%s", s);
	else
		snprintf(buf, n, "%s %+.0f%%", s, 100 * (b / best - 1));
	return buf;
}

/* serving figures exist with a demand (the path's serve_flops > 0) */
static int serving(const struct field_ctx *c)
{
	return PP(c)->solved && PP(c)->serve_flops > 0;
}

static double get_serve_active(const struct field_ctx *c)
{
	return serving(c) ? PP(c)->serve_active : NAN;
}

static double get_serve_flops(const struct field_ctx *c)
{
	return serving(c) ? PP(c)->serve_flops : NAN;
}

static double get_lifetime_flops(const struct field_ctx *c)
{
	return serving(c) ? PP(c)->flops + PP(c)->serve_flops : NAN;
}

static double get_serve_hours(const struct field_ctx *c)
{
	return serving(c) ? PP(c)->serve_hours : NAN;
}

static double get_serve_usd(const struct field_ctx *c)
{
	return serving(c) ? PP(c)->serve_usd : NAN;
}

static double get_lifetime_hours(const struct field_ctx *c)
{
	return serving(c) ? PP(c)->hours + PP(c)->serve_hours : NAN;
}

/* ---- unique tokens (core/datacon.h) and batch/LR (core/hparams.h) ---- */

static const char *human_epochs(const struct field_ctx *c, char *buf, size_t n)
{
	const struct plan_path *pp = PP(c);

	if (isfinite(pp->epochs_dense))
		snprintf(buf, n, "%.2f (%.2f + %.2f)", pp->epochs, pp->epochs_dense,
		         pp->epochs_moe);
	else
		snprintf(buf, n, "%.2f", pp->epochs);
	return buf;
}

static const char *human_lr(const struct field_ctx *c, char *buf, size_t n)
{
	snprintf(buf, n, "%.3g%s", PP(c)->hp_lr,
	         PP(c)->hp_extrapolated ? " (extrap.)" : "");
	return buf;
}

static double get_hp_extrapolated(const struct field_ctx *c)
{
	return isfinite(PP(c)->hp_lr) ? PP(c)->hp_extrapolated : NAN;
}

const struct report_field report_fields[] = {
	GET("budget", NULL, NULL, FIELD_FLOPS, WHEN_ALWAYS, WHEN_ALWAYS, C,
	    get_budget),
	TEXT("path", NULL, WHEN_ALWAYS, C, text_path),
	TEXT("law", "law", WHEN_ALWAYS, J | C | U, text_law),
	NUM("solved", NULL, NULL, FIELD_BOOL, WHEN_ALWAYS, WHEN_ALWAYS, J | C | U,
	    solved, NULL, NULL),
	GET("best", NULL, NULL, FIELD_BOOL, WHEN_ALWAYS, WHEN_ALWAYS, C, get_best),
	NUM("loss", "loss (nats)", "loss (nats)", FIELD_NATS, WHEN_SOLVED,
	    WHEN_SOLVED, J | C | U, loss, NULL, tui_loss),
	GET("target_loss", NULL, NULL, FIELD_NATS, WHEN_FINITE, WHEN_FINITE,
	    J | C, get_target_loss),
	{ "target_budget", "cost to target", "to target", FIELD_FLOPS,
	  WHEN_FINITE, WHEN_FINITE, J | C | ANY | TANY, -1, get_target_budget, NULL,
	  human_target, tui_target, GROUP_NONE },
	GET("target_budget_value", NULL, NULL, FIELD_FLOPS, WHEN_FINITE,
	    WHEN_FINITE, J | C, get_target_value),
	NUM("baseline_loss", "baseline loss", NULL, FIELD_NATS, WHEN_UPCYCLE,
	    WHEN_UPCYCLE, J | C | ANY, baseline_loss, NULL, NULL),
	{ "variables", "variables", NULL, FIELD_GROUP, WHEN_SOLVED, WHEN_SOLVED,
	  J | C, -1, NULL, NULL, human_vars, NULL, GROUP_VARIABLES },
	NUM("extrapolated", NULL, NULL, FIELD_BOOL, WHEN_SOLVED, WHEN_SOLVED,
	    J | C, extrapolated, NULL, NULL),
	{ "extrapolated_vars", NULL, NULL, FIELD_GROUP, WHEN_SOLVED, WHEN_SOLVED,
	  J | C, -1, NULL, NULL, NULL, NULL, GROUP_EXTRAP },
	NUM("at_box_edge", NULL, NULL, FIELD_BOOL, WHEN_SOLVED, WHEN_SOLVED,
	    J | C, at_box_edge, NULL, NULL),
	NUM("within_fit_loss", "within fit: loss", "in-fit loss", FIELD_NATS,
	    WHEN_WITHIN, WHEN_WITHIN, J | C | ANY, within_loss, human_within_loss,
	    NULL),
	{ "within_fit_variables", "within fit: vars", NULL, FIELD_GROUP,
	  WHEN_WITHIN, WHEN_WITHIN, J | C | ANY, -1, NULL, NULL, human_within,
	  NULL, GROUP_WITHIN },
	NUM("params", "params", "total/active", FIELD_COUNT, WHEN_SOLVED,
	    WHEN_SOLVED, J | C | U, params, human_params, tui_params),
	TEXT("params_count", NULL, WHEN_ALWAYS, J | C, text_count),
	NUM("tokens", "tokens", "tokens", FIELD_COUNT, WHEN_SOLVED, WHEN_SOLVED,
	    J | C | U, tokens, NULL, tui_tokens),
	NUM("tokens_dense", NULL, NULL, FIELD_COUNT, WHEN_UPCYCLE, WHEN_UPCYCLE,
	    J | C, tokens_dense, NULL, NULL),
	NUM("tokens_moe", NULL, NULL, FIELD_COUNT, WHEN_UPCYCLE, WHEN_UPCYCLE,
	    J | C, tokens_moe, NULL, NULL),
	NUM("tokens_new", "  of which new", NULL, FIELD_COUNT, WHEN_CONTINUE,
	    WHEN_CONTINUE, J | C | ANY, tokens_new, NULL, NULL),
	NUM("min_tokens_moe", NULL, NULL, FIELD_COUNT, WHEN_MIN_D2, WHEN_MIN_D2,
	    J | C | UIF, min_tokens_moe, NULL, NULL),
	NUM("min_tokens_moe_flops", NULL, NULL, FIELD_FLOPS, WHEN_MIN_D2,
	    WHEN_MIN_D2, J | C | UIF, min_flops, NULL, NULL),
	NUM("min_tokens_moe_hours", NULL, NULL, FIELD_HOURS, WHEN_MIN_D2,
	    WHEN_MIN_D2, J | UIF, min_hours, NULL, NULL),
	NUM("min_tokens_moe_usd", NULL, NULL, FIELD_USD, WHEN_MIN_D2,
	    WHEN_MIN_D2, J | UIF, min_usd, NULL, NULL),
	GET("min_tokens_moe_in_fit", NULL, NULL, FIELD_BOOL, WHEN_MIN_D2,
	    WHEN_MIN_D2, J | UIF, get_min_in_fit),
	TEXT("flat_var", NULL, WHEN_SOLVED, J | C, text_flat_var),
	NUM("flat_tol", NULL, NULL, FIELD_RATIO, WHEN_SOLVED, WHEN_FINITE, J | C,
	    flat_tol, NULL, NULL),
	NUM("flat_lo", "flat range", "flat range", FIELD_COUNT, WHEN_SOLVED,
	    WHEN_FINITE, J | C | ANY, flat_lo, human_flat, tui_flat),
	NUM("flat_hi", NULL, NULL, FIELD_COUNT, WHEN_SOLVED, WHEN_FINITE, J | C,
	    flat_hi, NULL, NULL),
	NUM("flops", "compute (law)", "FLOPs (law)", FIELD_FLOPS, WHEN_SOLVED,
	    WHEN_SOLVED, J | C | U, flops, NULL, NULL),
	GET("flops_sunk", "  of which sunk", NULL, FIELD_FLOPS, WHEN_SOLVED,
	    WHEN_SUNK, J | C | ANY, get_sunk),
	NUM("seconds", "time", NULL, FIELD_SECONDS, WHEN_FINITE, WHEN_FINITE,
	    J | C | ANY, wall_seconds, NULL, NULL),
	NUM("hours", "device-hours", "dev-h (wall)", FIELD_HOURS, WHEN_FINITE,
	    WHEN_FINITE, J | C | ANY, hours, NULL, tui_hours),
	NUM("hours_sunk", "  sunk device-hours", "sunk (ckpt)", FIELD_HOURS,
	    WHEN_FINITE, WHEN_SUNK, J | C | ANY, hours_sunk, NULL, tui_sunk),
	NUM("usd", "cost", "cost", FIELD_USD, WHEN_FINITE, WHEN_FINITE,
	    J | C | ANY, usd, NULL, NULL),
	NUM("usd_sunk", "  sunk cost", NULL, FIELD_USD, WHEN_FINITE,
	    WHEN_SUNK, J | C | ANY, usd_sunk, NULL, NULL),
	NUM("mfu", "MFU", "MFU", FIELD_RATIO, WHEN_FINITE, WHEN_FINITE,
	    J | C | ANY, mfu, NULL, NULL),
	GET("serve_active_params", "served params", NULL, FIELD_COUNT,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY, get_serve_active),
	GET("serve_flops", "serving compute", "serve FLOPs", FIELD_FLOPS,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY | TANY, get_serve_flops),
	GET("lifetime_flops", "train + serve", NULL, FIELD_FLOPS, WHEN_FINITE,
	    WHEN_FINITE, J | C | ANY, get_lifetime_flops),
	GET("serve_hours", "serving dev-hours", "serve dev-h", FIELD_HOURS,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY | TANY, get_serve_hours),
	GET("lifetime_hours", "train + serve dev-h", NULL, FIELD_HOURS,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY, get_lifetime_hours),
	GET("serve_usd", "serving cost", NULL, FIELD_USD, WHEN_FINITE,
	    WHEN_FINITE, J | C | ANY, get_serve_usd),
	NUM("epochs", "epochs", "epochs", FIELD_NATS, WHEN_FINITE, WHEN_FINITE,
	    J | C | ANY | TANY, epochs, human_epochs, NULL),
	NUM("epochs_dense", NULL, NULL, FIELD_NATS, WHEN_FINITE, WHEN_FINITE,
	    J | C, epochs_dense, NULL, NULL),
	NUM("epochs_moe", NULL, NULL, FIELD_NATS, WHEN_FINITE, WHEN_FINITE,
	    J | C, epochs_moe, NULL, NULL),
	NUM("tokens_effective", "effective tokens", NULL, FIELD_COUNT,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY, tokens_effective, NULL, NULL),
	NUM("params_effective", "effective params", NULL, FIELD_COUNT,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY, params_effective, NULL, NULL),
	NUM("suggested_batch_tokens", "suggested batch", NULL, FIELD_COUNT,
	    WHEN_FINITE, WHEN_FINITE, J | C | ANY, hp_batch_tokens, NULL, NULL),
	NUM("suggested_lr", "suggested peak LR", NULL, FIELD_NATS, WHEN_FINITE,
	    WHEN_FINITE, J | C | ANY, hp_lr, human_lr, NULL),
	NUM("suggested_compute", NULL, NULL, FIELD_FLOPS, WHEN_FINITE,
	    WHEN_FINITE, J | C, hp_compute, NULL, NULL),
	GET("suggested_extrapolated", NULL, NULL, FIELD_BOOL, WHEN_FINITE,
	    WHEN_FINITE, J | C, get_hp_extrapolated),
	{ "layout", "layout", "layout", FIELD_TEXT, WHEN_RUN, WHEN_RUN,
	  J | C | ANY, -1, NULL, text_layout, human_layout, tui_layout,
	  GROUP_NONE },
	{ "memory_per_device", "memory / device", "mem/device", FIELD_COUNT,
	  WHEN_RUN, WHEN_RUN, J | C | ANY, -1, get_memory, NULL, human_memory,
	  NULL, GROUP_NONE },
	{ "step_seconds", "step", NULL, FIELD_SECONDS, WHEN_RUN, WHEN_RUN,
	  J | C | ANY, -1, get_step, NULL, human_step, NULL, GROUP_NONE },
	GET("tokens_per_second", "tokens / s", NULL, FIELD_COUNT, WHEN_RUN,
	    WHEN_RUN, J | C | ANY, get_tokens_per_second),
	ARCH_INT("layers", "layers", "layers x d", WHEN_ARCH, layers, NULL,
	         tui_layers),
	ARCH_INT("d_model", "d_model", NULL, WHEN_ARCH, d_model, NULL, NULL),
	ARCH_INT("heads", "heads / kv_heads", NULL, WHEN_ARCH, heads, human_heads,
	         NULL),
	ARCH_INT("kv_heads", NULL, NULL, WHEN_ARCH, kv_heads, NULL, NULL),
	ARCH_INT("head_dim", NULL, NULL, WHEN_ARCH, head_dim, NULL, NULL),
	ARCH_INT("d_ff", "d_ff", NULL, WHEN_ARCH, d_ff, NULL, NULL),
	ARCH_INT("experts", "experts / top_k", "experts", WHEN_MOE, experts,
	         human_experts, tui_experts),
	ARCH_INT("top_k", NULL, NULL, WHEN_ARCH, top_k, NULL, NULL),
	ARCH_INT("d_expert", "d_expert", "d_ff / d_exp", WHEN_MOE, d_expert, NULL,
	         tui_ffn),
	ARCH_INT("shared_experts", NULL, NULL, WHEN_ARCH, shared_experts, NULL,
	         NULL),
	ARCH_INT("moe_every", NULL, NULL, WHEN_ARCH, moe_every, NULL, NULL),
	NUM("total_params", "total params", NULL, FIELD_COUNT, WHEN_ARCH,
	    WHEN_ARCH, C | ANY, arch_params.total, NULL, NULL),
	NUM("active_params", "active params", NULL, FIELD_COUNT, WHEN_ARCH,
	    WHEN_ARCH, C | ANY, arch_params.active, NULL, NULL),
	NUM("flops_itemised", "compute (itemised)", "FLOPs (arch)", FIELD_FLOPS,
	    WHEN_SOLVED, WHEN_ARCH, J | C | ANY, flops_itemised, NULL, NULL),
	{ "arch", NULL, NULL, FIELD_GROUP, WHEN_SOLVED, WHEN_SOLVED, J, -1, NULL,
	  NULL, NULL, NULL, GROUP_ARCH },
	TEXT("variant", NULL, WHEN_ALWAYS, C, text_variant),
	TEXT("variants_best", NULL, WHEN_ALWAYS, C, text_variants_best),
	TEXT("why", NULL, WHEN_UNSOLVED, J | C | U, text_why),
	GET("beats_checkpoint", NULL, NULL, FIELD_BOOL, WHEN_BASELINE,
	    WHEN_BASELINE, C, get_beats),
	GET("checkpoint_params", NULL, NULL, FIELD_COUNT, WHEN_BASELINE,
	    WHEN_BASELINE, C, get_ckpt_params),
	GET("checkpoint_tokens", NULL, NULL, FIELD_COUNT, WHEN_BASELINE,
	    WHEN_BASELINE, C, get_ckpt_tokens),
	GET("checkpoint_loss", NULL, NULL, FIELD_NATS, WHEN_BASELINE,
	    WHEN_BASELINE, C, get_ckpt_loss),
	{ "warnings", NULL, NULL, FIELD_GROUP, WHEN_ALWAYS, WHEN_ALWAYS,
	  J | C | U, -1, NULL, NULL, NULL, NULL, GROUP_WARNINGS },
	{ NULL, NULL, NULL, FIELD_TEXT, WHEN_ALWAYS, WHEN_ALWAYS, 0, -1, NULL,
	  NULL, NULL, NULL, GROUP_NONE }
};

/* ---- access -------------------------------------------------------------- */

double report_field_num(const struct report_field *f,
                        const struct field_ctx *c)
{
	const char *base = (const char *)PP(c);

	if (f->get != NULL)
		return f->get(c);
	if (f->off < 0)
		return NAN;
	if (f->kind == FIELD_INT || f->kind == FIELD_BOOL)
		return *(const int *)(const void *)(base + f->off);
	return *(const double *)(const void *)(base + f->off);
}

int report_field_exists(const struct report_field *f, enum field_when w,
                        const struct field_ctx *c)
{
	const struct plan_path *pp = PP(c);
	int s = pp->solved, arch = s && pp->arch.layers > 0;

	switch (w) {
	case WHEN_ALWAYS:   return 1;
	case WHEN_SOLVED:   return s;
	case WHEN_UPCYCLE:  return s && c->path == PATH_UPCYCLE;
	case WHEN_FINITE:   return s && isfinite(report_field_num(f, c));
	case WHEN_ARCH:     return arch;
	case WHEN_MOE:      return arch && pp->arch.experts > 0;
	case WHEN_SUNK:     return s && report_field_num(f, c) > 0;
	case WHEN_WITHIN:   return s && pp->has_within;
	case WHEN_UNSOLVED: return !s;
	case WHEN_CONTINUE: return s && c->path == PATH_CONTINUE;
	case WHEN_MIN_D2:   return pp->min_tokens_moe > 0 &&
	                           isfinite(pp->min_tokens_moe) &&
	                           isfinite(report_field_num(f, c));
	case WHEN_BASELINE: return c->plan->has_baseline;
	case WHEN_RUN:      return s && pp->has_run;
	}
	return 0;
}

const char *report_field_text(const struct report_field *f,
                              const struct field_ctx *c, char *buf, size_t n)
{
	return f->text != NULL ? f->text(c, buf, n) : NULL;
}

const char *report_field_human(const struct report_field *f,
                               const struct field_ctx *c, char *buf, size_t n)
{
	double v;

	if (f->human != NULL)
		return f->human(c, buf, n);
	if (f->kind == FIELD_TEXT) {
		const char *t = report_field_text(f, c, buf, n);

		return t != NULL ? t : "";
	}
	v = report_field_num(f, c);
	if (!isfinite(v))
		return "-";
	switch (f->kind) {
	case FIELD_NATS:    snprintf(buf, n, "%.4f", v); return buf;
	case FIELD_COUNT:   return units_fmt_count(v, buf, n);
	case FIELD_FLOPS:   return units_fmt_sci(v, buf, n);
	case FIELD_SECONDS: return units_fmt_hours(v / 3600, buf, n);
	case FIELD_HOURS:   return units_fmt_hours(v, buf, n);
	case FIELD_USD:     return units_fmt_usd(v, buf, n);
	case FIELD_RATIO:   snprintf(buf, n, "%.1f%%", 100 * v); return buf;
	default:            snprintf(buf, n, "%d", (int)v); return buf;
	}
}

const char *report_field_compact(const struct report_field *f,
                                 const struct field_ctx *c, char *buf,
                                 size_t n)
{
	return f->compact != NULL ? f->compact(c, buf, n)
	                          : report_field_human(f, c, buf, n);
}
