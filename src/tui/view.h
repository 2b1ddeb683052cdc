/*
 * view.h — the view model of the interactive planner: everything its
 * screen shows, as plain strings and numbers, built from what the user
 * chose (struct view_request), a plan and a frontier.
 *
 * Part of the TUI (src/tui), but curses-free and printing nothing: the rest
 * of src/tui renders a struct view into a grid of cells, and tests compare
 * those screens as text (tests/tui/test_view links it without curses).  A struct view
 * is a plain value held by the caller (no allocation, nothing to free);
 * every string in it is ASCII.  Numbers that do not exist (no cost model,
 * no price, an unsolved path) are shown as "-".
 *
 * Budgets: the solver's budget is FLOPs, or device-seconds when the
 * request plans against a cost model (plan.h, budget_is_time); the user
 * sees FLOPs, device-hours or USD.  units_budget_scale (units.h)
 * converts between them.
 */
#ifndef MP_VIEW_H
#define MP_VIEW_H

#include <stddef.h>

#include "core/cost.h"
#include "core/error.h"
#include "core/law.h"
#include "core/layout.h"
#include "core/plan.h"
#include "core/uncertainty.h"
#include "core/units.h"
#include "io/report.h"

#define VIEW_STR 48          /* one cell or field value */
#define VIEW_ROWS 24         /* result rows */
#define VIEW_WARN 24         /* warnings kept */
#define VIEW_WARN_LEN 320
#define VIEW_PTS 256         /* chart points per series */
#define VIEW_TICKS 16
#define VIEW_CROSS 8
#define VIEW_DETAIL 64       /* rows of the details pane */

/* The inputs, in the order the inputs pane lists them. */
enum view_input {
	VIN_BUDGET, VIN_UNIT, VIN_DEVICES, VIN_HARDWARE, VIN_LAWS, VIN_COMPARE,
	VIN_PATHS, VIN_FIT, VIN_CKPT_N1, VIN_CKPT_D1,
	/* lifetime planning: a target loss instead of the budget, the
	 * serving demand, the unique tokens available */
	VIN_TARGET, VIN_INFER, VIN_UNIQUE,
	/* the cluster layout's pins (--layout), in io/layout_spec.h's order */
	VIN_TP, VIN_PP, VIN_DP, VIN_EP, VIN_ZERO, VIN_RECOMPUTE, VIN_MB,
	VIN_COUNT
};
#define VIN_LAYOUT_FIRST VIN_TP

/* What the user chose.  Pointers are borrowed for the view_build call. */
struct view_request {
	double budget;                   /* in unit */
	enum budget_unit unit;           /* UNIT_FLOPS, UNIT_HOURS or UNIT_USD */
	int devices;                     /* devices the run is spread over */
	const char *hardware;            /* profile name; NULL: none */
	int calibrated;                  /* the profile was measured, not a
	                                    datasheet */
	const struct cost_model *cost;   /* the profile's model; NULL: none */
	double price;                    /* USD per device-hour; NAN unknown */
	int tokens_per_step;             /* batch of the kernel-time breakdown;
	                                    0: 1M tokens, as the solver */
	/* the plan is on a cluster (the profile has a cluster block: each
	 * path's layout, plan_path.run): one device's memory in bytes, 0:
	 * not on a cluster; and the layout's pins (NULL: none) */
	double device_bytes;
	const struct layout *pin;
	const char *laws;                /* law set, as chosen ("liew2025") */
	const char *source;              /* its citation, or NULL */
	const char *provenance;          /* "paper", "extract", "derived" or
	                                    NULL (model.h) */
	const char *assumptions;         /* the caveats it declares, or NULL */
	int within_fit;                  /* plans kept inside the fit ranges */
	unsigned paths;                  /* bit 1<<path: paths shown; 0 all */
	int ckpt_paid;                   /* an existing dense checkpoint: */
	double ckpt_N1, ckpt_D1;         /* NAN where not given */
	double target;                   /* target loss, NAN: the budget */
	double inference;                /* inference tokens, 0: none */
	double unique;                   /* unique tokens, 0: unlimited */
	int selected;                    /* path shown in the details pane */
	/* the frontier's budget range in the solver's unit (0, 0: that of
	 * its points), and whether points are still to come */
	double chart_lo, chart_hi;
	int chart_pending;
	/* warnings about the request the caller knows of (e.g. a checkpoint
	 * the law set cannot use) */
	size_t n_note;
	const char *const *note;
	/* the verdict under each other reading of the law set (model.h's
	 * variants) at this budget, as session_variants gives it; a note line
	 * each ("variant log10: upcycle (loss 1.5368): the verdict flips") */
	size_t n_variants;
	const struct report_variant *variants;
	/* a second law set to compare with (NULL: none), its plan at this
	 * budget (NULL: it failed, and a note says why) and its frontier over
	 * the chart's budgets (NULL or empty: none yet) */
	const char *compare;
	const struct plan *cmp_plan;
	const struct frontier *cmp_fr;
	/* plans with uncertainty (core/uncertainty.h): bands asked (the
	 * chart shades each path's p10-p90 loss band), the bands of the first
	 * n_bands frontier budgets so far, and whether more are coming */
	int bands_on;
	const struct unc_bands *bands;
	size_t n_bands;
	int bands_pending;
};

struct view_field {
	const char *label;               /* "Budget", "Unit", ... */
	char value[VIEW_STR];
	int editable;                    /* Enter opens a text edit */
};

/* One row of the results table: one cell per column (path). */
struct view_row {
	const char *label;
	char cell[PATH_COUNT][VIEW_STR];
};

/* Optimal loss against budget for one path; x = log10 of the budget in
 * the unit shown, y = loss (nats).  Unsolved budgets are left out. */
struct view_series {
	int path;
	size_t n;
	double x[VIEW_PTS], y[VIEW_PTS];
};

/* A path's loss band (p10 to p90 of the draws) at each budget that has
 * one, x as in view_series. */
struct view_band {
	int path;
	size_t n;
	double x[VIEW_PTS], lo[VIEW_PTS], hi[VIEW_PTS];
};

struct view_tick {
	double at;                       /* x: log10 budget; y: loss */
	char label[16];
};

struct view_cross {
	double at;                       /* log10 budget, unit shown */
	double loss;                     /* loss there (interpolated) */
	int from, to;                    /* best path below and above */
	char label[48];                  /* "1.1e20 moe->upcycle" */
};

struct view_chart {
	char title[96];                  /* "Loss vs budget (FLOPs)": optimal
	                                    loss of each path */
	double x_lo, x_hi;               /* log10 budget range */
	double y_lo, y_hi;               /* loss range */
	size_t n_series;
	struct view_series series[PATH_COUNT];
	/* the comparison law set's best loss at each budget (path -1; n 0:
	 * none), drawn with '*', and its name */
	struct view_series cmp;
	char cmp_name[24];
	/* the bands of plans with uncertainty, drawn lighter under the
	 * curves (n_bands 0: none) */
	size_t n_bands;
	struct view_band band[PATH_COUNT];
	double baseline;                 /* the checkpoint's loss, a dashed
	                                    line; NAN: none */
	double marker;                   /* log10 of the current budget */
	/* the frontier's budgets (log10) and whether the best path's optimum
	 * there is outside its law's fit ranges: '~' along the chart's top */
	size_t n_pts;
	double pt_x[VIEW_PTS];
	int best_extrap[VIEW_PTS];
	int any_extrap;
	size_t n_cross;
	struct view_cross cross[VIEW_CROSS];
	size_t n_xticks, n_yticks;
	struct view_tick xtick[VIEW_TICKS], ytick[VIEW_TICKS];
};

struct view_detail {
	char label[32];
	char value[24];
	char share[12];                  /* "12.3%" or "" */
	int heading;                     /* a section title */
};

struct view {
	char title[128];                 /* "liew2025 | 1.0e22 FLOPs | ..." */
	char best[80];                   /* "best: moe (loss 1.8231)", and
	                                    " (extrapolated)" when it is */
	char margin[96];                 /* "0.0756 below upcycle", or "" */
	char source[256];                /* the law set's citation, or "" */
	char provenance[96];             /* "coefficients from an extraction
	                                    of the paper's table", or "" */
	char assumptions[1024];          /* what the law set declares, or "" */
	struct view_field in[VIN_COUNT];
	int n_in;                        /* inputs shown: VIN_COUNT on a
	                                    cluster; off one, the layout's
	                                    pins are one row ("no cluster") */
	/* results: one column per planned path */
	int n_cols;
	int col_path[PATH_COUNT];
	char col_head[PATH_COUNT][16];
	int best_col;                    /* -1 if no path solved */
	int selected_col;                /* column of req->selected, or -1 */
	size_t n_rows;
	struct view_row row[VIEW_ROWS];
	char cmp_label[24];              /* the comparison row's label */
	size_t n_warn;
	size_t n_warn_request;           /* the first n_warn_request are about
	                                    the request (notes, hardware); the
	                                    rest "PATH: ..." */
	char warn[VIEW_WARN][VIEW_WARN_LEN];
	struct view_chart chart;
	char detail_title[64];
	size_t n_detail;
	struct view_detail detail[VIEW_DETAIL];
};

/* "FLOPs", "device-hours", "USD". */
const char *view_unit_label(enum budget_unit unit);
/* The budget in the unit shown: "1.0e22 FLOPs", "2.5k h", "$300k". */
const char *view_fmt_budget(double value, enum budget_unit unit, char *buf,
                            size_t n);
/* The next budget up (dir > 0) or down by a factor of sqrt(10), landing
 * on 10^(k/2) when it is within rounding of one. */
double view_budget_step(double value, int dir);

/* Loss of a series at x (linear in log budget between its points); NAN
 * outside the series. */
double view_series_at(const struct view_series *s, double x);

/*
 * Fill v from req, the plan pl (planned at req's budget) and the frontier
 * fr (NULL or empty: no chart series).  Returns 0, or -1 with err if the
 * request is not one a view can show (a unit other than the three).
 */
int view_build(struct view *v, const struct view_request *req,
               const struct plan *pl, const struct frontier *fr,
               struct mp_error *err);

#endif
