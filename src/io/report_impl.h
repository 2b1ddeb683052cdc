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

extern const struct report_sink report_sink_table;
extern const struct report_sink report_sink_csv;
extern const struct report_sink report_sink_json;
extern const struct report_sink report_sink_yaml;
extern const struct report_sink report_sink_svg;

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
/* Path name, or NULL for -1. */
const char *report_path_name(int i);

/* The JSON/YAML document of a plan or a frontier (report_tree.c). */
void report_tree_plan(struct emit *e, const struct plan *p,
                      const struct report_info *info);
void report_tree_frontier(struct emit *e, const struct frontier *fr,
                          const struct report_info *info);

#endif
