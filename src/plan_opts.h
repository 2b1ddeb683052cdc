/*
 * plan_opts.h — the options plan, frontier and tui share: argv into a
 * session spec (io/session.h) and a report format, and the session opened
 * with its errors printed as a command line prints them.
 */
#ifndef MP_PLAN_OPTS_H
#define MP_PLAN_OPTS_H

#include <getopt.h>

#include "core/units.h"
#include "io/session.h"

#define PLAN_OPTS_MAX_FROM 4096   /* --from-draws files */

struct plan_opts {
	struct session_spec spec;  /* what the session resolves (io/session.h) */
	const char *format;        /* --format; default table */
	/* plans with uncertainty (plan_unc.h): processes for the draws
	 * (--jobs, default 1); --shard i/n (n_shards 0: none), plan's alone;
	 * the draws files to summarise instead of drawing (--from-draws) */
	int jobs;
	int shard, n_shards;
	size_t n_from;
	const char *from[PLAN_OPTS_MAX_FROM];
	int seed_given;            /* --seed was given */
};

/* getopt_long entries for the shared options (terminated by a zero entry
 * that callers must not copy); their values are >= 0x100. */
extern const struct option plan_opts_long[];
#define PLAN_OPTS_HELP \
	"  --unit U                budget unit: flops, hours (device-hours) or usd\n" \
	"  --hardware NAME|FILE    hardware profile: a datasheet or calibrated\n" \
	"                          profile ('moeplan list hardware'), or a file;\n" \
	"                          adds time, money and MFU\n" \
	"  --devices N             devices the run uses (wall-clock time = hours / N)\n" \
	"  --layout SPEC           pin the cluster's layout: tp=,pp=,dp=,ep=,zero=,\n" \
	"                          recompute=,mb= (needs a profile with a cluster\n" \
	"                          block); what it leaves out is searched\n" \
	"  --price X               USD per device-hour (default: the profile's)\n" \
	"  --batch-tokens N        tokens per device and step for the cost model\n" \
	"                          (default 8 sequences)\n" \
	"  --laws MODEL[:LAW][,...]\n" \
	"                          law set: a model name or file (default\n" \
	"                          liew2025); plan compares several, separated\n" \
	"                          by commas\n" \
	"  --models-dir DIR        where model files are found\n" \
	"  --variant NAME          plan with this reading of the law set: one of\n" \
	"                          the variants its model file declares\n" \
	"  --path P[,P]            dense, moe, upcycle, continue or all (default all)\n" \
	"  --checkpoint N1=X,D1=Y[,paid]\n" \
	"                          an existing dense checkpoint: the baseline, which\n" \
	"                          the upcycle and continue paths start from (its\n" \
	"                          compute is sunk unless ',paid' is given)\n" \
	"  --checkpoint-arch NAME|FILE\n" \
	"                          the checkpoint as an architecture ('moeplan list\n" \
	"                          arch'), with --checkpoint D1=Y: N1 is its count\n" \
	"  --fix NAME=VALUE        pin a law variable (e.g. E=8); repeatable\n" \
	"  --within-fit            keep every path inside its law's fit ranges\n" \
	"  --flat-tol X            the flat range's loss tolerance, a fraction\n" \
	"                          (default 0.001: within 0.1% of the optimum)\n" \
	"  --uncertainty [DRAWS]   bands: draw the coefficients of each law that\n" \
	"                          has a covariance DRAWS times (default 1000) and\n" \
	"                          plan each draw: p10/p50/p90 and P(best)\n" \
	"  --seed S                the draws' seed (default 1)\n" \
	"  --jobs N                processes for the draws (default 1)\n" \
	"  --inference-tokens T    lifetime serving demand: the budget (or the\n" \
	"                          target's cost) covers training and serving\n" \
	"                          T tokens (2 N_active FLOPs a token)\n" \
	"  --prefill-share F       share of the inference tokens that are prompt\n" \
	"                          tokens (default 0: all generated)\n" \
	"  --decode-batch B        sequences decoded together (default 64)\n" \
	"  --unique-tokens U       only U unique tokens: repeated epochs are worth\n" \
	"                          less (Muennighoff et al. 2023)\n" \
	"  --data-law MODEL        the model file that prices repeated tokens\n" \
	"                          (default muennighoff2023)\n" \
	"  --hparams NAME|FILE     the batch and learning-rate law (default\n" \
	"                          deepseek2024; 'none': no suggestion)\n" \
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
 * unit must agree with o->spec.unit (setting it if unset).  0, or 2 on a
 * usage error (printed). */
int plan_opts_budget(struct plan_opts *o, const char *cmd, const char *opt,
                     const char *text, double *value);
/*
 * Open the session the options ask for (io/session.h).  Returns 0 with
 * *out, or the exit status after printing the error: 2 for a request that
 * cannot be made (several law sets among them: only plan compares them,
 * through plan_opts_law_sets), 1 for a file that cannot be read.
 */
int plan_opts_open(const struct plan_opts *o, const char *cmd,
                   struct session **out);
/*
 * --laws A,B,...: the law sets, split at the commas, into out (at most
 * REPORT_MAX_LAW_SETS entries of SESSION_NAME_LEN), *n of them (1 for a
 * single set, as given).  0, or 2 on a usage error (printed): an empty
 * entry, or too many.
 */
int plan_opts_law_sets(const struct plan_opts *o, const char *cmd,
                       char (*out)[SESSION_NAME_LEN], size_t *n);
/* session_budget for the command line: 0, or 2 with the error printed
 * ("OPT: 'TEXT' is out of range in device-seconds"). */
int plan_opts_set_budget(struct session *s, const char *cmd, const char *opt,
                         const char *text, double value);

#endif
