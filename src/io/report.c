/*
 * report.c — the table of report sinks (which format offers which kind of
 * result) and the helpers the sinks share (see report.h and report_impl.h).
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_impl.h"

/*
 * The sinks: one row per format, one entry per kind of result (report.h),
 * NULL where the format does not fit the kind.  What each command offers,
 * its messages and its help come from here.
 */
static const struct report_sink sinks[] = {
	{ "table", report_table_plan, report_table_frontier, report_arch_table,
	  report_cost_table, report_eval_table, report_laws_table,
	  report_files_table, report_compare_table, report_run_table,
	  report_targets_table },
	{ "csv", report_csv_plan, report_csv_frontier, report_arch_csv,
	  report_cost_csv, report_eval_csv, report_laws_csv, report_files_csv,
	  report_compare_csv, report_run_csv, report_targets_csv },
	{ "json", report_json_plan, report_json_frontier, report_json_arch,
	  report_json_cost, report_json_eval, report_json_laws,
	  report_json_files, report_json_compare, report_json_run,
	  report_json_targets },
	{ "yaml", report_yaml_plan, report_yaml_frontier, report_yaml_arch,
	  report_yaml_cost, report_yaml_eval, report_yaml_laws,
	  report_yaml_files, report_yaml_compare, report_yaml_run,
	  report_yaml_targets },
	{ "svg", report_svg_plan, report_svg_frontier, NULL, NULL, NULL, NULL,
	  NULL, NULL, NULL, NULL },
};
#define N_SINKS (sizeof sinks / sizeof sinks[0])

const struct report_sink *report_sink_find(const char *format)
{
	if (format == NULL)
		return NULL;
	for (size_t i = 0; i < N_SINKS; i++)
		if (strcmp(sinks[i].name, format) == 0)
			return &sinks[i];
	return NULL;
}

int report_sink_offers(const struct report_sink *s, enum report_kind k)
{
	switch (k) {
	case REPORT_PLAN:     return s->plan != NULL;
	case REPORT_FRONTIER: return s->frontier != NULL;
	case REPORT_ARCH:     return s->arch != NULL;
	case REPORT_COST:     return s->cost != NULL;
	case REPORT_EVAL:     return s->eval != NULL;
	case REPORT_LAWS:     return s->laws != NULL;
	case REPORT_FILES:    return s->files != NULL;
	case REPORT_COMPARE:  return s->compare != NULL;
	case REPORT_RUN:      return s->run != NULL;
	case REPORT_TARGETS:  return s->targets != NULL;
	default:              return 0;
	}
}

const struct report_sink *report_sink_for(enum report_kind k,
                                          const char *format)
{
	const struct report_sink *s = report_sink_find(format);

	return s != NULL && report_sink_offers(s, k) ? s : NULL;
}

const char *report_format_at(enum report_kind k, size_t i)
{
	for (size_t j = 0; j < N_SINKS; j++)
		if (report_sink_offers(&sinks[j], k) && i-- == 0)
			return sinks[j].name;
	return NULL;
}

const char *report_formats_for(enum report_kind k, const char *last,
                               char *buf, size_t n)
{
	size_t len = 0, count = 0;
	const char *name;

	while (report_format_at(k, count) != NULL)
		count++;
	buf[0] = '\0';
	for (size_t i = 0; (name = report_format_at(k, i)) != NULL; i++) {
		const char *sep = i == 0 ? "" : i + 1 == count && last[0] ? last
		                                                          : ", ";
		int w = snprintf(buf + len, n - len, "%s%s", sep, name);

		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
	return buf;
}

#define CELLS_MAX_COLS 64

void report_cells_print(FILE *f, const char *cells, int rows, int cols,
                        size_t row_size, size_t cell_size)
{
	size_t w[CELLS_MAX_COLS] = { 0 };

	if (cols > CELLS_MAX_COLS)
		cols = CELLS_MAX_COLS;
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			size_t n = strlen(cells + (size_t)r * row_size +
			                  (size_t)c * cell_size);

			if (n > w[c])
				w[c] = n;
		}
	for (int r = 0; r < rows; r++) {
		const char *row = cells + (size_t)r * row_size;

		fprintf(f, "%-*s", (int)w[0], row);
		for (int c = 1; c < cols; c++)
			fprintf(f, "  %*s", (int)w[c], row + (size_t)c * cell_size);
		fputc('\n', f);
	}
}

void report_info_init(struct report_info *info)
{
	memset(info, 0, sizeof *info);
	info->unit = UNIT_FLOPS;
	info->budget_value = NAN;
	info->price = NAN;
}

int report_planned(const struct plan *p, int i)
{
	return i >= 0 && i < PATH_COUNT && p->path[i].law != NULL;
}

int report_frontier_planned(const struct frontier *fr,
                            const struct report_info *info, int i)
{
	if (info->law[i] != NULL)
		return 1;
	for (size_t k = 0; k < fr->n; k++)
		if (fr->pt[k].solved[i])
			return 1;
	return 0;
}

const char *report_law_name(const struct plan *p, const struct report_info *info,
                            int i, char *buf)
{
	const struct law *L = p->path[i].law;

	if (info->law[i] != NULL)
		snprintf(buf, REPORT_NAME_LEN, "%s", info->law[i]);
	else if (L != NULL && L->model != NULL && L->name != NULL)
		snprintf(buf, REPORT_NAME_LEN, "%s/%s", L->model, L->name);
	else if (L != NULL && L->name != NULL)
		snprintf(buf, REPORT_NAME_LEN, "%s", L->name);
	else
		buf[0] = '\0';
	return buf;
}

double report_budget_value(double budget, const struct report_info *info)
{
	if (isfinite(info->budget_value))
		return info->budget_value;
	return units_budget_from_solver(info->unit, budget, info->price);
}

const char *report_budget_text(double budget, const struct report_info *info,
                               char *buf, size_t n)
{
	char v[64];
	double x = report_budget_value(budget, info);

	if (info->unit == UNIT_HOURS)
		snprintf(buf, n, "%s device-hours", units_fmt_count(x, v, sizeof v));
	else if (info->unit == UNIT_USD)
		snprintf(buf, n, "%s", units_fmt_usd(x, v, sizeof v));
	else
		snprintf(buf, n, "%s FLOPs", units_fmt_sci(x, v, sizeof v));
	return buf;
}

const char *report_path_name(int i)
{
	if (i == PLAN_KEEP)
		return "checkpoint";
	if (i < 0 || i >= PATH_COUNT)
		return NULL;
	return law_path_name((enum law_path)i);
}
