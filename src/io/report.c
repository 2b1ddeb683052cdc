/*
 * report.c — the table of report sinks and the helpers they share (see
 * report.h and report_impl.h).
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_impl.h"

static const struct report_sink *const sinks[] = {
	&report_sink_table, &report_sink_csv, &report_sink_json,
	&report_sink_yaml, &report_sink_svg, NULL
};

const struct report_sink *report_sink_find(const char *format)
{
	if (format == NULL)
		return NULL;
	for (size_t i = 0; sinks[i] != NULL; i++)
		if (strcmp(sinks[i]->name, format) == 0)
			return sinks[i];
	return NULL;
}

const char *report_formats(void)
{
	return "table, csv, json, yaml, svg";
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
	if (i < 0 || i >= PATH_COUNT)
		return NULL;
	return law_path_name((enum law_path)i);
}
