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
#include "report_fields.h"
#include "report_impl.h"

#define csv_str report_csv_str
#define csv_num report_csv_num

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

/* "N=1.3e+09;D=2.6e+10" of x (the plan's or its within-fit plan's) */
static void csv_vars(FILE *f, const struct plan_path *pp, const double *x)
{
	char buf[EMIT_NUM_LEN], cell[LAW_MAX_VARS * (EMIT_NUM_LEN + 40)];
	size_t len = 0;

	cell[0] = '\0';
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++) {
		emit_fmt_number(x[v], buf);
		len += (size_t)snprintf(cell + len, sizeof cell - len, "%s%.32s=%s",
		                        v > 0 ? ";" : "", pp->law->vars[v].name, buf);
		if (len >= sizeof cell)
			break;
	}
	csv_str(f, cell);
}

/* "N;D": the variables outside their fit ranges */
static void csv_extrap(FILE *f, const struct plan_path *pp)
{
	char cell[LAW_MAX_VARS * 40];
	size_t len = 0;

	cell[0] = '\0';
	for (size_t v = 0; v < pp->law->n_vars && v < LAW_MAX_VARS; v++)
		if ((pp->extrap_mask & (1u << v)) && len < sizeof cell)
			len += (size_t)snprintf(cell + len, sizeof cell - len, "%s%.32s",
			                        len > 0 ? ";" : "", pp->law->vars[v].name);
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

/* One cell of field f (report_fields.h): empty where it does not exist. */
static void csv_field(FILE *f, const struct report_field *fd,
                      const struct field_ctx *c)
{
	const struct plan_path *pp = &c->plan->path[c->path];
	char buf[REPORT_NAME_LEN];
	double v;

	if (!report_field_exists(fd, fd->when, c))
		return;
	if (fd->group == GROUP_VARIABLES) {
		csv_vars(f, pp, pp->x);
	} else if (fd->group == GROUP_WITHIN) {
		if (pp->within_solved)
			csv_vars(f, pp, pp->within_x);
	} else if (fd->group == GROUP_EXTRAP) {
		csv_extrap(f, pp);
	} else if (fd->group == GROUP_WARNINGS) {
		csv_warnings(f, pp);
	} else if (fd->kind == FIELD_TEXT) {
		csv_str(f, report_field_text(fd, c, buf, sizeof buf));
	} else if (fd->kind == FIELD_INT || fd->kind == FIELD_BOOL) {
		v = report_field_num(fd, c);
		fprintf(f, "%d", (int)v);
	} else {
		csv_num(f, report_field_num(fd, c));
	}
}

/* The plan CSV's header: the CSV fields of report_fields.h, in order. */
void report_csv_plan_header(FILE *f)
{
	int first = 1;

	for (const struct report_field *fd = report_fields; fd->key != NULL; fd++)
		if (fd->flags & FIELD_CSV) {
			fprintf(f, "%s%s", first ? "" : ",", fd->key);
			first = 0;
		}
}

/* Path i's cells under that header (no line end). */
void report_csv_plan_row(FILE *f, const struct plan *p, int i,
                         const struct report_info *info)
{
	struct field_ctx c = { p, i, info };
	int first = 1;

	for (const struct report_field *fd = report_fields; fd->key != NULL; fd++)
		if (fd->flags & FIELD_CSV) {
			if (!first)
				fputc(',', f);
			first = 0;
			csv_field(f, fd, &c);
		}
}

/* One header row, then one row per planned path. */
int report_csv_plan(FILE *f, const struct plan *p,
                    const struct report_info *info)
{
	report_csv_plan_header(f);
	report_bands_csv_header(f, info);
	fputc('\n', f);
	for (int i = 0; i < PATH_COUNT; i++) {
		if (!report_planned(p, i))
			continue;
		report_csv_plan_row(f, p, i, info);
		report_bands_csv_row(f, info, i);
		fputc('\n', f);
	}
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

/* budget, PATH_loss for each path, best, PATH_params, PATH_tokens,
 * PATH_extrapolated, PATH_extrapolated_vars, checkpoint_loss: every path's
 * columns, planned or not, so that the header never changes */
static void frontier_header(FILE *f, const struct report_info *info)
{
	static const char *const per_path[] = { "params", "tokens",
	                                         "extrapolated",
	                                         "extrapolated_vars" };

	fputs("budget", f);
	for (int i = 0; i < PATH_COUNT; i++)
		fprintf(f, ",%s_loss", report_path_name(i));
	fputs(",best", f);
	for (size_t c = 0; c < sizeof per_path / sizeof *per_path; c++)
		for (int i = 0; i < PATH_COUNT; i++)
			fprintf(f, ",%s_%s", report_path_name(i), per_path[c]);
	fputs(",checkpoint_loss", f);
	report_bands_csv_frontier_header(f, info);
	fputc('\n', f);
}

int report_csv_frontier(FILE *f, const struct frontier *fr,
                        const struct report_info *info)
{
	const char *best;

	frontier_header(f, info);
	for (size_t k = 0; k < fr->n; k++) {
		const struct frontier_point *pt = &fr->pt[k];

		csv_num(f, pt->budget);
		csv_cells(f, pt, pt->loss);
		best = pt->keep ? "checkpoint" : report_path_name(pt->best);
		fprintf(f, ",%s", best != NULL ? best : "");
		csv_cells(f, pt, pt->params);
		csv_cells(f, pt, pt->tokens);
		/* 0/1 where solved, then "N;D" (the variables out of range) */
		for (int i = 0; i < PATH_COUNT; i++)
			if (pt->solved[i])
				fprintf(f, ",%d", pt->extrap[i]);
			else
				fputc(',', f);
		for (int i = 0; i < PATH_COUNT; i++) {
			char vars[FRONTIER_VARS_LEN];

			snprintf(vars, sizeof vars, "%s", pt->extrap_vars[i]);
			for (char *q = vars; *q; q++)
				if (*q == ',')
					*q = ';';
			fputc(',', f);
			csv_str(f, vars);
		}
		fputc(',', f);
		csv_num(f, pt->baseline > 0 ? pt->baseline : NAN);
		report_bands_csv_frontier_row(f, info, k);
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}
