/*
 * report_yaml.c — the YAML sink: the document of report_tree.c in YAML
 * block style, the same structure as JSON (keys: report.h).
 */
#include "config.h"

#include "report.h"

#include "emit.h"
#include "report_impl.h"

static int yaml_plan(FILE *f, const struct plan *p,
                     const struct report_info *info)
{
	struct emit e;

	emit_init(&e, f, EMIT_YAML);
	report_tree_plan(&e, p, info);
	return emit_finish(&e);
}

static int yaml_frontier(FILE *f, const struct frontier *fr,
                         const struct report_info *info)
{
	struct emit e;

	emit_init(&e, f, EMIT_YAML);
	report_tree_frontier(&e, fr, info);
	return emit_finish(&e);
}

const struct report_sink report_sink_yaml = {
	"yaml", yaml_plan, yaml_frontier
};
