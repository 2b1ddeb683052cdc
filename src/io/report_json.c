/*
 * report_json.c — the JSON entries of the sink table: every kind's
 * document (report_tree.c for plans and frontiers, report_arch.c,
 * report_cost.c, report_eval.c and report_laws.c for the others) written
 * as JSON (keys: report.h).
 */
#include "config.h"

#include "report.h"

#include "emit.h"
#include "report_impl.h"

/* One document: init, the tree, finish. */
#define REPORT_DOC(tree, ...) do { \
		struct emit e; \
		emit_init(&e, f, EMIT_JSON); \
		tree(&e, __VA_ARGS__); \
		return emit_finish(&e); \
	} while (0)

int report_json_plan(FILE *f, const struct plan *p,
                      const struct report_info *info)
{
	REPORT_DOC(report_tree_plan, p, info);
}

int report_json_frontier(FILE *f, const struct frontier *fr,
                          const struct report_info *info)
{
	REPORT_DOC(report_tree_frontier, fr, info);
}

int report_json_arch(FILE *f, const struct report_arch *r)
{
	REPORT_DOC(report_arch_tree, r);
}

int report_json_cost(FILE *f, const struct report_cost *r)
{
	REPORT_DOC(report_cost_tree, r);
}

int report_json_eval(FILE *f, const struct report_eval *r)
{
	REPORT_DOC(report_eval_tree, r);
}

int report_json_laws(FILE *f, const struct report_laws *r)
{
	REPORT_DOC(report_laws_tree, r);
}

int report_json_files(FILE *f, const struct report_files *r)
{
	REPORT_DOC(report_files_tree, r);
}
