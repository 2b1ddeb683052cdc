/*
 * report_arch.c — the architecture of `moeplan flops` in every format that
 * fits it: a table for people (the architecture in two lines, parameters
 * by part, forward FLOPs per token by kernel with each one's share, and
 * training FLOPs per token), one CSV row, and the JSON/YAML document
 * (emit_arch.h's objects; written by report_doc.c).
 */
#include "config.h"

#include "report.h"

#include <stdio.h>

#include "emit_arch.h"
#include "report_impl.h"

/* ---- table ------------------------------------------------------------- */

static void table_arch(FILE *f, const struct arch *a)
{
	int n_moe = arch_moe_layers(a);

	fprintf(f, "architecture  %d layers, d_model %d, %d heads x %d", a->layers,
	        a->d_model, a->heads, a->head_dim);
	if (a->kv_heads != a->heads)
		fprintf(f, " (%d kv heads)", a->kv_heads);
	fprintf(f, ", vocab %d (%s), seq %d\n", a->vocab,
	        a->tied ? "tied" : "untied", a->seq);
	fprintf(f, "FFN           %s", a->mlp_matrices == 3 ? "gated (3 matrices)"
	                                                   : "2 matrices");
	if (a->layers - n_moe > 0)
		fprintf(f, ", d_ff %d on %d dense layers", a->d_ff, a->layers - n_moe);
	if (n_moe > 0)
		fprintf(f, "%s%d experts x %d, top %d, %d shared on %d MoE layers",
		        a->layers - n_moe > 0 ? "; " : ", ", a->experts, a->d_expert,
		        a->top_k, a->shared_experts, n_moe);
	fputc('\n', f);
}

static void row_count(FILE *f, const char *what, double v)
{
	char buf[32];

	fprintf(f, "  %-26s %10s\n", what, units_fmt_count(v, buf, sizeof buf));
}

static void row_flops(FILE *f, const char *what, double v, double forward)
{
	char buf[32];

	fprintf(f, "  %-26s %10s %7.1f%%\n", what,
	        units_fmt_sci(v, buf, sizeof buf),
	        forward > 0 ? 100 * v / forward : 0.0);
}

/* Rows only for the kinds of layer the model has. */
static void table_params(FILE *f, const struct arch_params *p, int dense,
                         int moe)
{
	fprintf(f, "\n%-28s %10s\n", "parameters", "count");
	row_count(f, "embedding", p->embedding);
	row_count(f, "attention", p->attention);
	if (dense)
		row_count(f, "dense FFN", p->mlp);
	if (moe) {
		row_count(f, "router", p->router);
		row_count(f, "routed experts (all)", p->experts_total);
		row_count(f, "routed experts (top-k)", p->experts_active);
		row_count(f, "shared experts", p->shared);
	}
	row_count(f, "norms", p->norms);
	row_count(f, "total", p->total);
	row_count(f, "active", p->active);
	row_count(f, "non-embedding total", p->nonemb_total);
	row_count(f, "non-embedding active", p->nonemb_active);
}

static void table_flops(FILE *f, const struct arch_flops *fl,
                        const struct arch_params *p, int dense, int moe)
{
	char buf[32];

	fprintf(f, "\n%-28s %10s %8s\n", "forward FLOPs per token", "FLOPs",
	        "share");
	row_flops(f, "attention QKV", fl->attn_qkv, fl->forward);
	row_flops(f, "attention scores", fl->attn_scores, fl->forward);
	row_flops(f, "attention softmax", fl->attn_softmax, fl->forward);
	row_flops(f, "attention values", fl->attn_values, fl->forward);
	row_flops(f, "attention output", fl->attn_out, fl->forward);
	if (dense)
		row_flops(f, "dense FFN", fl->mlp, fl->forward);
	if (moe) {
		row_flops(f, "router", fl->router, fl->forward);
		row_flops(f, "routed experts (top-k)", fl->experts, fl->forward);
		row_flops(f, "shared experts", fl->shared, fl->forward);
	}
	row_flops(f, "logits", fl->logits, fl->forward);
	row_flops(f, "forward", fl->forward, fl->forward);
	fprintf(f, "\n%-28s %10s\n", "training FLOPs per token", "FLOPs");
	fprintf(f, "  %-26s %10s\n", "3 x forward",
	        units_fmt_sci(fl->training, buf, sizeof buf));
	fprintf(f, "  %-26s %10s\n", "6 x active params",
	        units_fmt_sci(6 * p->active, buf, sizeof buf));
}

int report_arch_table(FILE *f, const struct report_arch *r)
{
	int n_moe = arch_moe_layers(r->arch);

	table_arch(f, r->arch);
	table_params(f, r->params, n_moe < r->arch->layers, n_moe > 0);
	table_flops(f, r->flops, r->params, n_moe < r->arch->layers, n_moe > 0);
	return ferror(f) ? -1 : 0;
}

/* ---- csv: one row; the arch keys, params_KEY, flops_KEY ---------------- */

static void csv_keys(FILE *f, const struct emit_arch_key *keys,
                     const char *prefix, const void *obj, int *first)
{
	for (const struct emit_arch_key *k = keys; k->key != NULL; k++) {
		if (!*first)
			fputc(',', f);
		*first = 0;
		if (obj == NULL)
			fprintf(f, "%s%s", prefix, k->key);
		else
			report_csv_num(f, emit_arch_value(k, obj));
	}
}

int report_arch_csv(FILE *f, const struct report_arch *r)
{
	for (int row = 0; row < 2; row++) {
		int first = 1;

		csv_keys(f, emit_arch_keys, "", row ? (const void *)r->arch : NULL,
		         &first);
		csv_keys(f, emit_arch_params_keys, "params_",
		         row ? (const void *)r->params : NULL, &first);
		csv_keys(f, emit_arch_flops_keys, "flops_",
		         row ? (const void *)r->flops : NULL, &first);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- json, yaml -------------------------------------------------------- */

void report_arch_tree(struct emit *e, const struct report_arch *r)
{
	emit_object_begin(e);
	emit_arch(e, "arch", r->arch);
	emit_arch_params(e, "params", r->params);
	emit_arch_flops(e, "flops_per_token", r->flops);
	emit_object_end(e);
}
