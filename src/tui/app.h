/*
 * app.h — the interactive planner without its terminal: what the user
 * chose, the loaded law set and hardware profile, the plan and frontier
 * solved from them, the view model, and what each key does.
 *
 * Every change of an input re-solves the plan and rebuilds the view; a
 * change that cannot be planned is undone and its error shown on the
 * status line.  The chart's frontier (anew when anything but the budget
 * changed, or the budget left the chart's range) and the plans one budget
 * step away are computed between keys (app_idle).  Nothing here touches
 * the terminal: term.c feeds keys in and draws app_draw's grid; the tests
 * and the benchmark do the same without one.  struct app owns everything
 * it loads (app_free); it is large, so better not on the stack.
 */
#ifndef MP_APP_H
#define MP_APP_H

#include <stddef.h>

#include "core/layout.h"
#include "core/plan.h"
#include "core/uncertainty.h"
#include "view.h"
#include "grid.h"
#include "io/session.h"
#include "ui.h"

/* What `moeplan tui` was given. */
struct tui_config {
	struct session_spec spec;     /* the session plan would open */
	char compare[SESSION_NAME_LEN]; /* a law set to compare with
	                                 (--laws A,B gives B); "": none */
	double budget;                /* in spec.unit (FLOPs if none) */
	char export_format[16];       /* what `e` writes by default ("table"
	                                 as .txt); "": yaml */
};

/* The inputs; copied whole to undo a change that failed. */
struct app_inputs {
	double budget;                /* in unit */
	enum budget_unit unit;
	int devices;
	int hw;                       /* index into hw[], -1: none */
	int model;                    /* index into models[], -1: spec.laws */
	int compare;                  /* law set compared with: index into
	                                 models[], -1: none */
	int within_fit;               /* plans kept inside the fit ranges */
	int bands;                    /* the chart's uncertainty bands shown */
	unsigned paths;               /* 1<<path; 0: every path of the law set */
	double ckpt_N1, ckpt_D1;      /* NAN: not given */
	int ckpt_paid;
	double target;                /* target loss, NAN: plan the budget */
	double inference;             /* serving demand, tokens; 0: none */
	double unique;                /* unique tokens; 0: unlimited */
	struct layout pin;            /* the cluster layout's pins (--layout,
	                                 io/layout_spec.h); all free: none */
	int selected;                 /* path of the details pane */
};

struct app_hw {
	char name[64];                /* file name without .yaml */
	char path[1024];
};

/* What a plan depends on besides the budget. */
struct app_plan_key {
	unsigned gen;                 /* law set and profile loaded */
	unsigned paths;
	double n1, d1;                /* the checkpoint used, 0 if none */
	int paid, timed;
	int devices;                  /* wall-clock time divides by it */
	int within_fit;               /* --within-fit */
	double target, inference, unique;  /* lifetime planning's inputs */
	struct layout pin;            /* the layout's pins */
};

/* The chart's range: this many decades each side of the budget's decade,
 * PER_DECADE frontier budgets a decade. */
#define APP_DECADES 3
#define APP_PER_DECADE 4
#define APP_FR_POINTS (2 * APP_DECADES * APP_PER_DECADE + 1)
#define APP_CACHE 4

/* The chart's frontier, computed point by point between keys
 * (app_work.c); crossovers refined by bisection as plan_frontier does. */
struct app_job {
	struct app_plan_key key;      /* what a->fr is for */
	double lo, hi;                /* budget range, the solver's unit */
	size_t next;                  /* next point; APP_FR_POINTS: done */
	int bisect;                   /* refining a crossover */
	struct crossover_search cs;   /* its bracket */
};

/* The comparison law set's frontier at the chart's budgets (no
 * crossovers): what it is for, and the next point. */
struct app_cmp_job {
	struct app_plan_key key;      /* the chart's */
	double lo, hi;
	int model;                    /* in.compare */
	unsigned gen;                 /* the comparison session's */
	size_t next;                  /* APP_FR_POINTS: done */
};

/* The chart's uncertainty bands (b): draws of the coefficients of the
 * laws that have a covariance (core/uncertainty.h) at each of the chart's
 * budgets, one draw (one plan) a step between keys after the frontier and
 * the comparison; the bands of a budget once its draws are in. */
#define APP_BAND_DRAWS 200            /* draws a budget without --uncertainty */
struct app_band_job {
	struct app_plan_key key;      /* the chart's, as for app_cmp_job */
	double lo, hi;
	int ready;                    /* u is set up for key, lo and hi */
	struct unc *u;                /* the draws' state (heap) */
	size_t draws;
	size_t next;                  /* next item: budget next / draws,
	                                 draw next % draws */
	struct unc_sample *smp;       /* the draws of the budget under way */
	struct unc_bands bands[APP_FR_POINTS];
	size_t n_bands;               /* budgets done */
};

/* A plan solved ahead of time (the budget a key press away). */
struct app_cached {
	int valid;
	int failed;                   /* the solver said no: pl is unset */
	struct app_plan_key key;
	double budget;                /* the solver's unit */
	unsigned long used;           /* for least-recently-used */
	struct plan pl;
};

#define APP_NOTES 4

struct app {
	struct tui_config cfg;
	struct app_inputs in;
	/* law sets: every model file of the models directory */
	char **models;
	size_t n_models;
	/* hardware profiles: bundled, then calibrated */
	struct app_hw *hw;
	size_t n_hw;
	/* the law set and profile loaded for the inputs (io/session.h) */
	struct session *session;
	/* results */
	struct plan_request req;
	struct app_plan_key key;      /* of req */
	struct plan plan;
	struct frontier fr;           /* APP_FR_POINTS allocated, n computed */
	struct app_job job;
	struct app_cached cache[APP_CACHE];
	unsigned long clock;
	int cold;                     /* benchmark: no plan solved ahead or
	                                 kept, every key solves */
	/* the verdict under the law set's other readings at the budget
	 * (session_variants, solved with the plan) */
	struct report_variant variants[REPORT_MAX_VARIANTS];
	size_t n_variants;
	/* the law set compared with (in.compare): its session, its plan at
	 * the budget (has_cmp 0: it failed, a note says why) and its frontier
	 * over the chart's budgets, computed between keys after the chart's
	 * own (app_work.c) */
	struct session *cmp;
	struct plan cmp_plan;
	int has_cmp;
	struct frontier cmp_fr;
	struct app_cmp_job cmp_job;
	struct app_band_job band;     /* the chart's bands (in.bands) */
	char note[APP_NOTES][160];
	const char *note_ptr[APP_NOTES];
	size_t n_note;
	struct view view;
	struct tui_ui ui;
	char export_path[TUI_EDIT_LEN];
};

enum { APP_CONTINUE = 0, APP_QUIT = 1 };

/* Load the law set and the hardware, solve and build the first view.
 * Returns an exit status: 0, or 1 / 2 with the error printed on stderr
 * (called before the terminal is taken over). */
int app_init(struct app *a, const struct tui_config *cfg, int utf8);
void app_free(struct app *a);

/* Work left for the time between keys: the chart's frontier, and the
 * plans one budget step up and down (so that + and - answer at once). */
int app_busy(const struct app *a);
/* Do some of it, about ms milliseconds (at least one step); 1 if what the
 * screen shows changed. */
int app_idle(struct app *a, double ms);

/* One key (ui.h): APP_QUIT or APP_CONTINUE. */
int app_key(struct app *a, int key);
/* Draw the screen into g at g's size. */
void app_draw(struct app *a, struct grid *g);

/* Write the current plan to path, JSON if it ends in ".json", else YAML,
 * atomically.  0, or -1 with err. */
int app_export(struct app *a, const char *path, struct mp_error *err);

/* For the key handlers (app_keys.c): re-solve after a change of a->in,
 * undoing it (back to *before) with the error on the status line if it
 * fails; 0 or -1.  A message on the status line. */
int app_apply(struct app *a, const struct app_inputs *before);
/* The session spec the inputs stand for. */
void app_spec(const struct app *a, struct session_spec *spec);
/* Re-solve without undoing: 0, or -1 with err (the view is then stale). */
int app_try(struct app *a, struct mp_error *err);
void app_status(struct app *a, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Between app.c and app_work.c: the key of a->req; the plan at a->req
 * (from the cache if it is there); the frontier job for a->req (a new one
 * if its key or range changed); the view rebuilt; the frontier's arrays. */
void app_plan_key_of(const struct app *a, struct app_plan_key *k);
int app_solve(struct app *a, struct plan *pl, struct mp_error *err);
void app_schedule(struct app *a);
int app_view(struct app *a, struct mp_error *err);
int app_work_init(struct app *a);
void app_work_free(struct app *a);
/* The bands of the chart shown so far (n of them), NULL when they are
 * off or not for the chart; 1 while more are coming. */
const struct unc_bands *app_bands(const struct app *a, size_t *n);
int app_bands_pending(const struct app *a);

/* Lists of law sets and hardware profiles (app_lists.c); 0 or -1 with err. */
int app_list_models(struct app *a, struct mp_error *err);
int app_list_hardware(struct app *a, struct mp_error *err);
/* The models entry for a law set NAME|FILE (added if not listed); -1
 * with err. */
int app_find_model(struct app *a, const char *arg, struct mp_error *err);
/* The hardware entry for --hardware NAME|FILE (added if a file); -1 with
 * err. */
int app_find_hardware(struct app *a, const char *arg, struct mp_error *err);
void app_lists_free(struct app *a);

#endif
