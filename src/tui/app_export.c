/*
 * app_export.c — `e`: the current plan written to a file by the report
 * sinks (io/report.h) in the format its name ends in (".json", ".csv",
 * ".svg", ".yaml"; ".txt" for the table; YAML otherwise), atomically (io/emit.h: a temporary file renamed over the
 * target).  Part of app.h.
 */
#include "config.h"

#include "app.h"

#include <string.h>

#include "io/emit.h"
#include "io/report.h"

/* What the report says about the request beyond the plan itself. */
static void export_info(struct app *a, struct report_info *info,
                        const char **warn)
{
	session_report_info(a->session, a->in.budget, info);
	for (size_t i = 0; i < a->view.n_warn_request; i++)
		warn[i] = a->view.warn[i];
	info->n_warn = a->view.n_warn_request;
	info->warn = warn;
}

int app_export(struct app *a, const char *path, struct mp_error *err)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	const struct report_sink *sink = NULL;
	const char *warn[VIEW_WARN];
	struct report_info info;
	struct emit_atomic at;

	/* the format the name ends in, if the sink table has it for plans;
	 * ".txt" is the table; anything else YAML */
	if (dot != NULL && (slash == NULL || dot > slash))
		sink = report_sink_for(REPORT_PLAN, strcmp(dot, ".txt") == 0 ?
		                                    "table" : dot + 1);
	if (sink == NULL)
		sink = report_sink_for(REPORT_PLAN, "yaml");
	export_info(a, &info, warn);
	if (emit_atomic_open(&at, path, err) != 0)
		return -1;
	if (sink->plan(at.f, &a->plan, &info) != 0) {
		emit_atomic_abort(&at);
		return mp_error_set(err, "%s: write error", path);
	}
	return emit_atomic_commit(&at, err);
}
