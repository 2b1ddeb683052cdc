/*
 * report_doc.c — the JSON and YAML entries of the sink table: every kind's
 * document (report_tree.c for plans and frontiers, report_arch.c,
 * report_cost.c, report_eval.c, report_laws.c, report_files.c, report_compare.c,
 * report_run.c and report_targets.c for the
 * others) written through emit.h in either notation, so that the two have
 * the same structure and keys (report.h).  A new kind of result is one
 * line in DOC_SINKS.
 */
#include "config.h"

#include "report.h"

#include "emit.h"
#include "report_impl.h"

/* The body of one entry: a document in notation FMT. */
#define DOC(FMT, tree, ...) { \
		struct emit e; \
		emit_init(&e, f, FMT); \
		tree(&e, __VA_ARGS__); \
		return emit_finish(&e); \
	}

/* The entries report_FMT_KIND of one notation. */
#define DOC_SINKS(fmt, FMT) \
	int report_##fmt##_plan(REPORT_PLAN_ARGS) \
		DOC(FMT, report_tree_plan, p, info) \
	int report_##fmt##_frontier(REPORT_FRONTIER_ARGS) \
		DOC(FMT, report_tree_frontier, fr, info) \
	int report_##fmt##_arch(FILE *f, const struct report_arch *r) \
		DOC(FMT, report_arch_tree, r) \
	int report_##fmt##_cost(FILE *f, const struct report_cost *r) \
		DOC(FMT, report_cost_tree, r) \
	int report_##fmt##_eval(FILE *f, const struct report_eval *r) \
		DOC(FMT, report_eval_tree, r) \
	int report_##fmt##_laws(FILE *f, const struct report_laws *r) \
		DOC(FMT, report_laws_tree, r) \
	int report_##fmt##_files(FILE *f, const struct report_files *r) \
		DOC(FMT, report_files_tree, r) \
	int report_##fmt##_compare(FILE *f, const struct report_compare *r) \
		DOC(FMT, report_compare_tree, r) \
	int report_##fmt##_run(FILE *f, const struct report_run *r) \
		DOC(FMT, report_run_tree, r) \
	int report_##fmt##_targets(FILE *f, const struct report_targets *r) \
		DOC(FMT, report_targets_tree, r)

DOC_SINKS(json, EMIT_JSON)
DOC_SINKS(yaml, EMIT_YAML)
