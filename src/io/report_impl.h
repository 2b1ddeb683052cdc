/*
 * report_impl.h — private to the report sinks (report*.c): the sink
 * objects, and helpers every format shares so that they agree on what a
 * report holds (which paths were planned, law names, the runner-up).
 */
#ifndef MP_REPORT_IMPL_H
#define MP_REPORT_IMPL_H

#include <stddef.h>

#include "emit.h"
#include "report.h"

/* The entries of the sink table (report.c): FORMAT_KIND for plan and
 * frontier (one file per format: report_table.c, report_csv.c,
 * report_svg.c; JSON and YAML both in report_doc.c), KIND_FORMAT for the
 * other kinds (one file per kind: report_arch.c, report_cost.c,
 * report_eval.c, report_laws.c, report_files.c, their JSON and YAML
 * through report_doc.c). */
#define REPORT_PLAN_ARGS FILE *f, const struct plan *p, \
	const struct report_info *info
#define REPORT_FRONTIER_ARGS FILE *f, const struct frontier *fr, \
	const struct report_info *info
int report_table_plan(REPORT_PLAN_ARGS);
int report_table_frontier(REPORT_FRONTIER_ARGS);
int report_csv_plan(REPORT_PLAN_ARGS);
int report_csv_frontier(REPORT_FRONTIER_ARGS);
int report_json_plan(REPORT_PLAN_ARGS);
int report_json_frontier(REPORT_FRONTIER_ARGS);
int report_yaml_plan(REPORT_PLAN_ARGS);
int report_yaml_frontier(REPORT_FRONTIER_ARGS);
int report_svg_plan(REPORT_PLAN_ARGS);
int report_svg_frontier(REPORT_FRONTIER_ARGS);

int report_arch_table(FILE *f, const struct report_arch *r);
int report_arch_csv(FILE *f, const struct report_arch *r);
void report_arch_tree(struct emit *e, const struct report_arch *r);
int report_run_table(FILE *f, const struct report_run *r);
int report_run_csv(FILE *f, const struct report_run *r);
void report_run_tree(struct emit *e, const struct report_run *r);
int report_json_run(FILE *f, const struct report_run *r);
int report_yaml_run(FILE *f, const struct report_run *r);
int report_targets_table(FILE *f, const struct report_targets *r);
int report_targets_csv(FILE *f, const struct report_targets *r);
void report_targets_tree(struct emit *e, const struct report_targets *r);
int report_json_targets(FILE *f, const struct report_targets *r);
int report_yaml_targets(FILE *f, const struct report_targets *r);
int report_cost_table(FILE *f, const struct report_cost *r);
int report_cost_csv(FILE *f, const struct report_cost *r);
void report_cost_tree(struct emit *e, const struct report_cost *r);
int report_eval_table(FILE *f, const struct report_eval *r);
int report_eval_csv(FILE *f, const struct report_eval *r);
void report_eval_tree(struct emit *e, const struct report_eval *r);
int report_laws_table(FILE *f, const struct report_laws *r);
int report_laws_csv(FILE *f, const struct report_laws *r);
void report_laws_tree(struct emit *e, const struct report_laws *r);
int report_files_table(FILE *f, const struct report_files *r);
int report_files_csv(FILE *f, const struct report_files *r);
void report_files_tree(struct emit *e, const struct report_files *r);
int report_compare_table(FILE *f, const struct report_compare *r);
int report_compare_csv(FILE *f, const struct report_compare *r);
void report_compare_tree(struct emit *e, const struct report_compare *r);

int report_json_arch(FILE *f, const struct report_arch *r);
int report_json_cost(FILE *f, const struct report_cost *r);
int report_json_eval(FILE *f, const struct report_eval *r);
int report_json_laws(FILE *f, const struct report_laws *r);
int report_json_files(FILE *f, const struct report_files *r);
int report_json_compare(FILE *f, const struct report_compare *r);
int report_yaml_arch(FILE *f, const struct report_arch *r);
int report_yaml_cost(FILE *f, const struct report_cost *r);
int report_yaml_eval(FILE *f, const struct report_eval *r);
int report_yaml_laws(FILE *f, const struct report_laws *r);
int report_yaml_files(FILE *f, const struct report_files *r);
int report_yaml_compare(FILE *f, const struct report_compare *r);

/* CSV cells (report_csv.c): a string quoted when it must be (RFC 4180;
 * NULL writes nothing), a number in its shortest exact form or nothing
 * when it is not finite. */
void report_csv_str(FILE *f, const char *s);
void report_csv_num(FILE *f, double v);
/* The plan CSV's header row and path i's row, without line ends (a
 * comparison prefixes its "laws" cell). */
void report_csv_plan_header(FILE *f);
void report_csv_plan_row(FILE *f, const struct plan *p, int i,
                         const struct report_info *info);

/* The table's words (report_table.c): text after label, wrapped at 92
 * columns. */
void report_print_wrapped(FILE *f, const char *label, const char *text);
/* The header line of a table: what, " for" the budget as given and in
 * FLOPs (none when it is NAN), the model, the hardware and its devices,
 * then a blank line (report_table.c). */
void report_print_request(FILE *f, const char *what, double budget,
                          const struct report_info *info);

/* A grid of text cells, rows x cols, cell (r, c) at cells + r row_size +
 * c cell_size: column 0 left-aligned (labels), the others right-aligned,
 * each column as wide as its widest cell, two spaces between (the human
 * tables of plans and comparisons). */
void report_cells_print(FILE *f, const char *cells, int rows, int cols,
                        size_t row_size, size_t cell_size);

/* Room for a law name "model/law". */
#define REPORT_NAME_LEN 256

/* 1 if path i of the plan was planned (has a law). */
int report_planned(const struct plan *p, int i);
/* 1 if path i appears in a frontier: named in info or solved somewhere. */
int report_frontier_planned(const struct frontier *fr,
                            const struct report_info *info, int i);
/* The law shown for path i: info's, else "model/name" from the plan's law,
 * else "" (buf holds REPORT_NAME_LEN). */
const char *report_law_name(const struct plan *p, const struct report_info *info,
                            int i, char *buf);
/* A solver budget (FLOPs, or device-seconds for hours and usd) in the unit
 * the user gave: info->budget_value when set, else converted. */
double report_budget_value(double budget, const struct report_info *info);
/* That value as text with its unit: "3.4e21 FLOPs", "2k device-hours", "$6k". */
const char *report_budget_text(double budget, const struct report_info *info,
                               char *buf, size_t n);
/* Path name, "checkpoint" for PLAN_KEEP (a crossover's side), NULL for -1. */
const char *report_path_name(int i);

/* Plans with uncertainty (report_bands.c), each doing nothing unless
 * info->unc: the table's blocks, the CSV's columns (a leading comma each),
 * the JSON/YAML "uncertainty" objects of a path (under frontier point k's
 * bands; 0 for a plan), of the document (k: the point whose shares it
 * gives; (size_t)-1 none) and of a frontier point. */
void report_bands_table_plan(FILE *f, const struct report_info *info);
void report_bands_table_frontier(FILE *f, const struct frontier *fr,
                                 const struct report_info *info);
void report_bands_csv_header(FILE *f, const struct report_info *info);
void report_bands_csv_row(FILE *f, const struct report_info *info, int p);
void report_bands_csv_frontier_header(FILE *f, const struct report_info *info);
void report_bands_csv_frontier_row(FILE *f, const struct report_info *info,
                                   size_t k);
void report_bands_tree_path(struct emit *e, const struct report_info *info,
                            size_t k, int p);
void report_bands_tree(struct emit *e, const struct report_info *info,
                       size_t k);
void report_bands_tree_point(struct emit *e, const struct report_info *info,
                             size_t k);

/* The JSON/YAML document of a plan or a frontier (report_tree.c). */
void report_tree_plan(struct emit *e, const struct plan *p,
                      const struct report_info *info);
void report_tree_frontier(struct emit *e, const struct frontier *fr,
                          const struct report_info *info);
/* Pieces of the plan's document, for a comparison: the budget and
 * hardware keys, the law set's provenance, and the plan's keys from
 * "paths" to "warnings". */
void report_tree_budget(struct emit *e, double budget,
                        const struct report_info *info);
void report_tree_provenance(struct emit *e, const struct report_info *info);
void report_tree_plan_members(struct emit *e, const struct plan *p,
                              const struct report_info *info);

#endif
