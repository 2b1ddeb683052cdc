/*
 * report_json.c — the JSON sink: the document of report_tree.c in JSON
 * (keys: report.h).
 */
#include "config.h"

#include "report.h"

#include "emit.h"
#include "report_impl.h"

static int json_plan(FILE *f, const struct plan *p,
                     const struct report_info *info)
{
	struct emit e;

	emit_init(&e, f, EMIT_JSON);
	report_tree_plan(&e, p, info);
	return emit_finish(&e);
}

static int json_frontier(FILE *f, const struct frontier *fr,
                         const struct report_info *info)
{
	struct emit e;

	emit_init(&e, f, EMIT_JSON);
	report_tree_frontier(&e, fr, info);
	return emit_finish(&e);
}

const struct report_sink report_sink_json = {
	"json", json_plan, json_frontier
};
