/*
 * plan_opts.h — the options plan, frontier and tui share (DESIGN.md's
 * command-line contract), and turning them into a plan_request.
 *
 * struct plan_opts holds what was typed; plan_setup owns what was loaded
 * (the model file) and the request built from it.  plan_setup_free
 * releases the model.
 */
#ifndef MP_PLAN_OPTS_H
#define MP_PLAN_OPTS_H

#include <getopt.h>

#include "core/model.h"
#include "core/plan.h"
#include "core/units.h"
#include "io/profile.h"

struct plan_opts {
	const char *laws;          /* MODEL[:LAW] or FILE[:LAW]; default liew2025 */
	const char *models_dir;    /* --models-dir, or NULL */
	const char *format;        /* table|csv|json|yaml */
	enum budget_unit unit;     /* --unit, or from the budget text */
	unsigned paths;            /* bit 1<<path; 0 = every path the model has */
	int has_ckpt, ckpt_paid;
	double ckpt_N1, ckpt_D1;
	size_t n_fix;
	char fix_name[PLAN_MAX_PINS][32];
	double fix_value[PLAN_MAX_PINS];
	const char *hardware;      /* --hardware NAME|FILE, or NULL */
	int devices;               /* --devices, 0 if not given */
	double price;              /* --price USD per device-hour, NAN if not given */
	int batch_tokens;          /* --batch-tokens per device and step, 0 = default */
};

struct plan_setup {
	struct model *model;
	struct hw_profile profile;         /* loaded if has_profile */
	int has_profile;
	char hw_label[256];                /* "h100-sxm (datasheet, not calibrated)" */
	struct plan_request req;
	char law_label[PATH_COUNT][128];   /* "model/law", for reports */
};

/* getopt_long entries for the shared options (terminated by a zero entry
 * that callers must not copy); their values are >= 0x100. */
extern const struct option plan_opts_long[];
#define PLAN_OPTS_HELP \
	"  --unit U                budget unit: flops, hours (device-hours) or usd\n" \
	"  --hardware NAME|FILE    hardware profile: a datasheet (h100-sxm, h200,\n" \
	"                          a100-80gb, mi300x, generic-cpu), a calibrated\n" \
	"                          profile, or a file; adds time, money and MFU\n" \
	"  --devices N             devices the run uses (wall-clock time = hours / N)\n" \
	"  --price X               USD per device-hour (default: the profile's)\n" \
	"  --batch-tokens N        tokens per device and step for the cost model\n" \
	"                          (default 8 sequences)\n" \
	"  --laws MODEL[:LAW]      law set: a model name or file (default liew2025)\n" \
	"  --models-dir DIR        where model files are found\n" \
	"  --path P[,P]            dense, moe, upcycle or all (default all)\n" \
	"  --checkpoint N1=X,D1=Y[,paid]\n" \
	"                          upcycle an existing dense checkpoint (its compute\n" \
	"                          is sunk unless ',paid' is given)\n" \
	"  --fix NAME=VALUE        pin a law variable (e.g. E=8); repeatable\n" \
	"  --format F              " CLI_FORMATS " (default table)\n"

void plan_opts_init(struct plan_opts *o);

/*
 * Parse argv: the shared options plus the command's own (`own`, n_own
 * entries, each with a short-option value in `val`); own options are
 * handed to take_own(ctx, val, optarg), which returns 0 or an exit status.
 * -h/--help prints help_text and returns -1 (exit 0).  Returns 0, an exit
 * status (2 on a usage error, printed), or -1 after help.
 */
int plan_opts_parse(struct plan_opts *o, const char *cmd, int argc,
                    char **argv, const struct option *own, size_t n_own,
                    int (*take_own)(void *ctx, int opt, const char *arg),
                    void *ctx, const char *help_text);
/* Handle one shared option; 0 if taken, 2 on a usage error (printed),
 * -1 if opt is not a shared option. */
int plan_opts_take(struct plan_opts *o, const char *cmd, int opt,
                   const char *arg);
/* Parse a budget text for cmd's option opt into a value in its unit; the
 * unit must agree with o->unit (setting it if unset).  0, or 2 on a usage
 * error (printed). */
int plan_opts_budget(struct plan_opts *o, const char *cmd, const char *opt,
                     const char *text, double *value);
/* A budget value in o->unit as the solver counts it: FLOPs, or
 * device-seconds for hours and usd (usd / price).  Sets req.budget_is_time. */
double plan_setup_budget(struct plan_setup *s, const struct plan_opts *o,
                         double value);
/*
 * Load the law set (and hardware profile) and build the request (budget
 * left 0).  plan_setup_open returns 0, or EXIT_FAIL / EXIT_USAGE (an
 * unknown law, options that need --hardware) with e filled and nothing
 * printed; plan_setup_load is the same for the command line, printing the
 * error.  s->req.cost points into s->profile: a struct plan_setup must not
 * be copied (move it by re-pointing req.cost, or keep it in one place).
 */
int plan_setup_open(const struct plan_opts *o, struct plan_setup *s,
                    struct mp_error *e);
int plan_setup_load(const struct plan_opts *o, const char *cmd,
                    struct plan_setup *s);
void plan_setup_free(struct plan_setup *s);

struct report_info;
/* What a report needs to know about the request (pl, unused: the sinks
 * read time, money and MFU from the plan itself; may be NULL). */
void plan_setup_info(struct plan_setup *s, const struct plan_opts *o,
                     const struct plan *pl, double budget_value,
                     struct report_info *info);

#endif
