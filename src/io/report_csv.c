/*
 * report_csv.c — the CSV sink (RFC 4180): one header row, then one row per
 * planned path (plan) or per budget (frontier).  Raw numbers in the
 * shortest form that reads back exactly; an empty cell where a value does
 * not exist.  Readable by pandas.read_csv and gnuplot as is.
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "report_impl.h"

#define csv_str report_csv_str
#define csv_num report_csv_num

static const char plan_header[] =
	"budget,path,law,solved,best,loss,baseline_loss,variables,params,"
	"params_count,tokens,tokens_dense,tokens_moe,flops,flops_sunk,"
	"flops_itemised,layers,d_model,heads,kv_heads,head_dim,d_ff,experts,"
	"top_k,d_expert,shared_experts,moe_every,total_params,active_params,"
	"seconds,hours,usd,mfu,why,warnings\n";

/* A field, quoted when it holds a comma, quote or line break. */
void report_csv_str(FILE *f, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* A number, or an empty cell if it is not finite. */
void report_csv_num(FILE *f, double v)
{
	char buf[EMIT_NUM_LEN];

	if (emit_fmt_number(v, buf) == 0)
		fputs(buf, f);
}

static void csv_int(FILE *f, int v, int known)
{
	if (known)
		fprintf(f, "%d", v);
}

/* "N=1.3e+09;D=2.6e+10" */
static void csv_vars(FILE *f, const struct plan_path *pp)
{
	char buf[EMIT_NUM_LEN], cell[LAW_MAX_VARS * (EMIT_NUM_LEN + 40)];
	size_t len = 0;

	cell[0] = '\0';
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++) {
		emit_fmt_number(pp->x[v], buf);
		len += (size_t)snprintf(cell + len, sizeof cell - len, "%s%.32s=%s",
		                        v > 0 ? ";" : "", pp->law->vars[v].name, buf);
		if (len >= sizeof cell)
			break;
	}
	csv_str(f, cell);
}

static void csv_warnings(FILE *f, const struct plan_path *pp)
{
	char cell[PLAN_MAX_WARN * (PLAN_WARN_LEN + 2)];
	size_t len = 0;

	cell[0] = '\0';
	for (size_t w = 0; w < pp->n_warn && w < PLAN_MAX_WARN; w++)
		len += (size_t)snprintf(cell + len, sizeof cell - len, "%s%s",
		                        w > 0 ? "; " : "", pp->warn[w]);
	csv_str(f, cell);
}

static void csv_arch(FILE *f, const struct plan_path *pp)
{
	const struct arch *a = &pp->arch;
	int k = pp->solved && a->layers > 0;
	const int cols[] = { a->layers, a->d_model, a->heads, a->kv_heads,
	                     a->head_dim, a->d_ff, a->experts, a->top_k,
	                     a->d_expert, a->shared_experts, a->moe_every };

	for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
		csv_int(f, cols[c], k);
		fputc(',', f);
	}
	csv_num(f, k ? pp->arch_params.total : NAN);
	fputc(',', f);
	csv_num(f, k ? pp->arch_params.active : NAN);
	fputc(',', f);
}

static void csv_path(FILE *f, const struct plan *p, int i,
                     const struct report_info *info)
{
	const struct plan_path *pp = &p->path[i];
	char name[REPORT_NAME_LEN];
	int s = pp->solved, up = i == PATH_UPCYCLE;

	csv_num(f, p->budget);
	fprintf(f, ",%s,", report_path_name(i));
	csv_str(f, report_law_name(p, info, i, name));
	fprintf(f, ",%d,%d,", s, i == p->best);
	csv_num(f, s ? pp->loss : NAN);
	fputc(',', f);
	csv_num(f, s && up ? pp->baseline_loss : NAN);
	fputc(',', f);
	if (s)
		csv_vars(f, pp);
	fputc(',', f);
	csv_num(f, s ? pp->params : NAN);
	fputc(',', f);
	csv_str(f, law_count_name(pp->law->count));
	fputc(',', f);
	csv_num(f, s ? pp->tokens : NAN);
	fputc(',', f);
	csv_num(f, s && up ? pp->tokens_dense : NAN);
	fputc(',', f);
	csv_num(f, s && up ? pp->tokens_moe : NAN);
	fputc(',', f);
	csv_num(f, s ? pp->flops : NAN);
	fputc(',', f);
	csv_num(f, s ? (isfinite(pp->flops_sunk) ? pp->flops_sunk : 0) : NAN);
	fputc(',', f);
	csv_num(f, s ? pp->flops_itemised : NAN);
	fputc(',', f);
	csv_arch(f, pp);
	csv_num(f, s ? pp->wall_seconds : NAN);
	fputc(',', f);
	csv_num(f, s ? pp->hours : NAN);
	fputc(',', f);
	csv_num(f, s ? pp->usd : NAN);
	fputc(',', f);
	csv_num(f, s ? pp->mfu : NAN);
	fputc(',', f);
	csv_str(f, s ? "" : pp->why);
	fputc(',', f);
	csv_warnings(f, pp);
	fputc('\n', f);
}

int report_csv_plan(FILE *f, const struct plan *p,
                    const struct report_info *info)
{
	fputs(plan_header, f);
	for (int i = 0; i < PATH_COUNT; i++)
		if (report_planned(p, i))
			csv_path(f, p, i, info);
	return ferror(f) ? -1 : 0;
}

/* One column per path, solved or not, so that the header never changes. */
static void csv_cells(FILE *f, const struct frontier_point *pt,
                      const double *v)
{
	for (int i = 0; i < PATH_COUNT; i++) {
		fputc(',', f);
		csv_num(f, pt->solved[i] ? v[i] : NAN);
	}
}

int report_csv_frontier(FILE *f, const struct frontier *fr,
                        const struct report_info *info)
{
	const char *best;

	(void)info;
	fputs("budget,dense_loss,moe_loss,upcycle_loss,best,dense_params,"
	      "moe_params,upcycle_params,dense_tokens,moe_tokens,"
	      "upcycle_tokens\n", f);
	for (size_t k = 0; k < fr->n; k++) {
		const struct frontier_point *pt = &fr->pt[k];

		csv_num(f, pt->budget);
		csv_cells(f, pt, pt->loss);
		best = report_path_name(pt->best);
		fprintf(f, ",%s", best != NULL ? best : "");
		csv_cells(f, pt, pt->params);
		csv_cells(f, pt, pt->tokens);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
