/*
 * report_fields.h — the plan's per-path fields, declared once (in the
 * manner of tmux's options-table.c): each row says a field's key (JSON,
 * YAML and CSV), its label in the human table and in the TUI's results
 * (NULL where it is not one), its kind (how it is formatted), when it
 * exists, and how to get it from a struct plan_path.  The JSON/YAML tree,
 * the CSV and the table sinks, and the TUI's result rows all iterate
 * report_fields in its one order; a new scalar field is one row.
 *
 * Composite fields (the variables, the nested architecture objects, the
 * warnings) are rows of kind FIELD_GROUP; each format renders a group its
 * own way.
 */
#ifndef MP_REPORT_FIELDS_H
#define MP_REPORT_FIELDS_H

#include <stddef.h>

#include "report.h"

enum field_kind {
	FIELD_TEXT, FIELD_BOOL, FIELD_INT,
	FIELD_NATS,     /* loss: 4 decimals */
	FIELD_COUNT,    /* 1.3B */
	FIELD_FLOPS,    /* 3.4e21 */
	FIELD_SECONDS,  /* shown as hours: 12.0 h */
	FIELD_HOURS, FIELD_USD,
	FIELD_RATIO,    /* shown as a percentage */
	FIELD_GROUP
};

/* When a value exists for a planned path. */
enum field_when {
	WHEN_ALWAYS, WHEN_SOLVED,
	WHEN_UPCYCLE,   /* solved, and the upcycle path */
	WHEN_FINITE,    /* solved, and the value is finite */
	WHEN_ARCH,      /* solved with a realised architecture */
	WHEN_MOE,       /* ... that has experts */
	WHEN_SUNK,      /* solved, and the value is > 0 */
	WHEN_WITHIN,    /* solved, extrapolated, with a within-fit plan asked */
	WHEN_UNSOLVED,
	WHEN_CONTINUE,  /* solved, and the continue path */
	WHEN_MIN_D2,    /* upcycle's min_tokens_moe is known, solved or not */
	WHEN_BASELINE,  /* the plan has a checkpoint, solved or not */
	WHEN_RUN        /* solved, with a layout on the cluster (has_run) */
};

enum field_group { GROUP_NONE, GROUP_VARIABLES, GROUP_ARCH, GROUP_WARNINGS,
                   GROUP_WITHIN,   /* the within-fit plan's variables */
                   GROUP_EXTRAP }; /* the variables outside their fit */

#define FIELD_JSON     0x1u  /* a key of a path's JSON/YAML object */
#define FIELD_CSV      0x2u  /* a column of the plan CSV */
#define FIELD_IF_ANY   0x4u  /* table: a row only when some path knows it */
#define FIELD_UNSOLVED 0x8u  /* JSON: in an unsolved path's object too
                                (null when it does not exist) */
#define FIELD_UNSOLVED_IF 0x10u /* JSON: in an unsolved path's object too,
                                   where it exists */
#define FIELD_TUI_IF_ANY 0x20u  /* TUI: a row only when some path knows it
                                   (a target's, serving's, epochs') */

/* A field of path `path` of a plan; info NULL where there is none (TUI). */
struct field_ctx {
	const struct plan *plan;
	int path;
	const struct report_info *info;
};

struct report_field {
	const char *key;
	const char *label;             /* table row; NULL: not in the table */
	const char *tui;               /* TUI result row; NULL: not one */
	enum field_kind kind;
	enum field_when when;          /* JSON, CSV: when it exists */
	enum field_when table_when;    /* table and TUI: when a cell is known */
	unsigned flags;
	long off;                      /* double (int for FIELD_INT/BOOL) in
	                                  struct plan_path; -1: get/text */
	double (*get)(const struct field_ctx *c);
	const char *(*text)(const struct field_ctx *c, char *buf, size_t n);
	/* the table cell when not by kind, the TUI cell when not the table's */
	const char *(*human)(const struct field_ctx *c, char *buf, size_t n);
	const char *(*compact)(const struct field_ctx *c, char *buf, size_t n);
	enum field_group group;
};

/* The rows, in order, ended by a row with a NULL key. */
extern const struct report_field report_fields[];

/* 1 if the value exists under w for c's path. */
int report_field_exists(const struct report_field *f, enum field_when w,
                        const struct field_ctx *c);
double report_field_num(const struct report_field *f,
                        const struct field_ctx *c);
/* FIELD_TEXT: the text (NULL for none). */
const char *report_field_text(const struct report_field *f,
                              const struct field_ctx *c, char *buf, size_t n);
/* The table's cell of a known value ("-" for a number that is not
 * finite), and the TUI's. */
const char *report_field_human(const struct report_field *f,
                               const struct field_ctx *c, char *buf, size_t n);
const char *report_field_compact(const struct report_field *f,
                                 const struct field_ctx *c, char *buf,
                                 size_t n);

#endif
