/*
 * session.h — what a planning session resolves, below both front ends:
 * the law set (a model file and the law of each path), the hardware
 * profile, the checkpoint, pins, the budget's unit, devices and price; and
 * the plan request built from them.
 *
 * A struct session_spec is what was asked, as plain values (strings are
 * copied in, so a spec can be copied, kept and edited): the command line
 * fills one from argv (plan_opts.c), the TUI edits one.  session_apply
 * resolves and loads a spec into a struct session, reloading the model
 * file or the profile only when the spec names another one; on failure
 * the session is left as it was.  A session is a heap object (its request
 * points into the profile it owns) created by session_new or session_open
 * and released by session_free.  Nothing here prints or exits: errors are
 * values, with a status saying whether the spec itself is at fault.
 */
#ifndef MP_SESSION_H
#define MP_SESSION_H

#include <stddef.h>

#include "core/error.h"
#include "core/hparams.h"
#include "core/layout.h"
#include "core/model.h"
#include "core/plan.h"
#include "core/units.h"
#include "io/profile.h"
#include "io/report.h"

#define SESSION_NAME_LEN 4096
#define SESSION_NOTES 4
#define SESSION_NOTE_LEN 160

/* session_apply's outcome: the spec asks for something inconsistent (a
 * usage error to a command line), or a file could not be had (a failure). */
enum session_status { SESSION_OK = 0, SESSION_FAILED = -1,
                      SESSION_BAD_SPEC = -2 };

/* An existing dense checkpoint: NAN where not given.  Its size is N1 or
 * a concrete architecture (arch, NAME|FILE as --arch takes: io/resolve.h),
 * not both; then N1 is the architecture's count in the baseline law's
 * convention (law.h's count: total, nonemb_total, ...). */
struct session_ckpt {
	double N1;                 /* its parameters */
	double D1;                 /* the tokens it was trained on */
	int paid;                  /* 1: its compute counts against the budget */
	char arch[SESSION_NAME_LEN]; /* "": none */
};

struct session_spec {
	char laws[SESSION_NAME_LEN];       /* MODEL[:LAW] or FILE[:LAW] */
	char models_dir[SESSION_NAME_LEN]; /* "": the data directories */
	char hardware[SESSION_NAME_LEN];   /* NAME|FILE; "": FLOPs only */
	unsigned paths;            /* bit 1<<path; 0: every path of the law set */
	struct session_ckpt ckpt;
	size_t n_fix;              /* pinned law variables (E=8) */
	char fix_name[PLAN_MAX_PINS][32];
	double fix_value[PLAN_MAX_PINS];
	enum budget_unit unit;     /* UNIT_NONE: FLOPs */
	int devices;               /* 0: not given (one) */
	double price;              /* USD per device-hour; NAN: the profile's */
	int batch_tokens;          /* per device and step; 0: the default */
	int within_fit;            /* 1: plans stay inside the laws' fit
	                              ranges (plan_request.within_fit) */
	double flat_tol;           /* the flat range's loss tolerance
	                              (plan_request.flat_tol); 0: 0.1% */
	char variant[64];          /* the reading of the law set (model.h's
	                              variants); "": the file's own */
	/* plans with uncertainty (core/uncertainty.h): draws of the laws'
	 * coefficients from their fits' covariances, 0: none; the seed that
	 * draw i's numbers come from with i */
	int unc_draws;
	unsigned long unc_seed;    /* default 1 */
	/* the serving demand the budget also pays for (plan_request.serve):
	 * inference tokens 0: none */
	struct serve_spec serve;
	/* repeated data (plan_request.unique_tokens): the unique tokens
	 * available, 0: unlimited; the model file whose data_constrained:
	 * block prices them when the law set's own has none ("": the
	 * default, muennighoff2023) */
	double unique_tokens;
	char data_law[SESSION_NAME_LEN];
	/* the batch and learning-rate law ("": the default, deepseek2024;
	 * "none": no suggestion) */
	char hparams[SESSION_NAME_LEN];
	/* the cluster layout's pins (--layout, io/layout_spec.h) as
	 * cluster_spec.pin takes them; all free by default.  Pins need a
	 * profile with a cluster block (SESSION_BAD_SPEC otherwise). */
	struct layout pin;
};

struct session {
	struct session_spec spec;          /* as last applied */
	struct model *model;
	struct hw_profile profile;         /* loaded if has_profile */
	int has_profile;
	char hw_label[256];                /* "h100-sxm (datasheet, not
	                                      calibrated)" */
	struct plan_request req;           /* budget 0 until session_budget */
	char law_label[PATH_COUNT][128];   /* "model/law", for reports */
	int variant;                       /* the reading the request's laws
	                                      are (model_law_in): -1 the
	                                      file's own */
	/* what the request leaves out and why (a checkpoint no path uses) */
	size_t n_note;
	char note[SESSION_NOTES][SESSION_NOTE_LEN];
	/* the cluster of the profile's cluster block and the spec's devices,
	 * which the request plans on when the profile has one (req.cluster) */
	struct cluster_spec cluster;
	struct plan_cluster_cache *cluster_cache;
	unsigned gen;                      /* bumped when the law set or the
	                                      profile is (re)loaded */
	/* the model file whose data_constrained: block prices repeated
	 * tokens when the law set has none (NULL: not loaded), and the batch
	 * and learning-rate law (NULL: none); owned, as named by the spec */
	struct model *dc_model;
	char dc_name[SESSION_NAME_LEN];
	struct hparams *hparams;
	char hp_name[SESSION_NAME_LEN];
};

/* 1 if c gives a checkpoint's size (N1 or an architecture) and D1. */
int session_ckpt_given(const struct session_ckpt *c);

/* Defaults: liew2025, every path, no checkpoint or hardware. */
void session_spec_init(struct session_spec *spec);
/* Copy text into one of the spec's strings; -1 if it does not fit. */
int session_spec_set(char *field, const char *text);

/* An empty session (nothing loaded); NULL when memory runs out. */
struct session *session_new(void);
/* Resolve spec into s (see enum session_status); s unchanged on failure. */
int session_apply(struct session *s, const struct session_spec *spec,
                  struct mp_error *err);
/* session_new + session_apply; *out is NULL unless SESSION_OK. */
int session_open(const struct session_spec *spec, struct session **out,
                 struct mp_error *err);
void session_free(struct session *s);

/*
 * The checkpoint rules, one set for every front end: N1 and D1 must be
 * positive and finite where given; N1 and an architecture are not both
 * given, and an architecture is dense; a checkpoint is used when its size
 * (N1 or the architecture) and D1 are given, and then the request must
 * plan an upcycle or a continue path (the continue path is planned
 * whenever a checkpoint is given and the law set has a dense law:
 * select_laws).  Sets the request's checkpoint and returns 0 (with a note
 * in note when only one of size and D1 is given: the TUI's state between
 * its two fields), SESSION_FAILED with err when the architecture cannot be
 * read, or SESSION_BAD_SPEC with err.
 */
int session_checkpoint(const struct session_ckpt *c, struct plan_request *req,
                       char *note, size_t n, struct mp_error *err);

/* Set s->req.budget from a budget in the spec's unit (FLOPs, or
 * device-seconds for hours and usd: units.h).  SESSION_BAD_SPEC with err
 * when it is not a positive finite number of device-seconds. */
int session_budget(struct session *s, double value, struct mp_error *err);
/* SESSION_BAD_SPEC with err ("beyond what the laws can be asked about
 * (limit Y)", the limit in the spec's unit) when a budget in the solver's
 * unit exceeds plan_budget_limit; session_budget checks it. */
int session_budget_check(const struct session *s, double budget,
                         struct mp_error *err);

/*
 * The plan's verdict under every other reading of the law set that
 * changes one of the request's laws or its baseline: the request at
 * s->req.budget, solved once per reading (plan_solve, no flat ranges),
 * into out (at most REPORT_MAX_VARIANTS), *n of them.  0, or -1 with err.
 */
int session_variants(const struct session *s, struct report_variant *out,
                     size_t *n, struct mp_error *err);

/* What a report needs to know about the request (report.h); the law
 * labels point into s. */
void session_report_info(const struct session *s, double budget_value,
                         struct report_info *info);

#endif
