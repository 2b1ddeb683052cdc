/*
 * cmd_fit.c — `moeplan fit LAW --data FILE [--output FILE] ...`: fit a law
 * of a model file to a CSV of runs (core/lawfit.h), bootstrap its
 * uncertainty (fit_jobs.h), print a summary, and write the fitted law as a
 * model file that `plan --laws FILE` reads (io/model_write.h).  The points
 * come from fit_data.h; a progress bar goes to stderr when it is a
 * terminal.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "core/lawfit.h"
#include "fit_data.h"
#include "fit_jobs.h"
#include "io/model_load.h"
#include "io/model_write.h"

#define CMD "fit"
#define DEFAULT_REFINE 100

struct args {
	const char *spec, *data, *output, *models_dir;
	struct fit_columns cols;
	double delta;
	int refine, bootstrap, jobs;
	unsigned long seed;
};

static void help(void)
{
	fputs("usage: moeplan fit MODEL:LAW --data FILE [--output FILE]\n"
	      "                   [--column VAR=HEADER]... [--compute HEADER]\n"
	      "                   [--weight HEADER] [--exclude-top-loss K]\n"
	      "                   [--delta X] [--refine K] [--bootstrap B]\n"
	      "                   [--seed S] [--jobs N] [--models-dir DIR]\n"
	      "Fit a law's coefficients to your runs: minimise the sum of Huber\n"
	      "losses of the log-loss residuals (Hoffmann et al. 2022) from a\n"
	      "grid of starting values, bootstrap the standard errors and\n"
	      "covariance, and write the fitted law as a model file.\n\n"
	      "  --data FILE          CSV with a header: a column per variable\n"
	      "                       and `loss`\n"
	      "  --output FILE        write the fitted model file here\n"
	      "  --column VAR=HEADER  read variable VAR (or loss) from column\n"
	      "                       HEADER\n"
	      "  --compute HEADER     column of training FLOPs: the law's tokens\n"
	      "                       are solved from its compute rule\n"
	      "  --weight HEADER      column of weights (default 1)\n"
	      "  --exclude-top-loss K drop the K runs of highest loss\n"
	      "  --delta X            Huber's delta (default 1e-3)\n"
	      "  --refine K           run BFGS from the K best grid points\n"
	      "                       (default 100; 0: all)\n"
	      "  --bootstrap B        B resamples for the uncertainty (default 0)\n"
	      "  --seed S             the resamples' seed (default 1)\n"
	      "  --jobs N             processes for the bootstrap (default 1)\n"
	      "  --models-dir DIR     look for model names in DIR\n"
	      "  -h, --help           this help\n", stdout);
}

static int parse_column(const char *arg, struct fit_columns *c)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return cli_usage(CMD, "--column '%s': expected VAR=HEADER", arg);
	if (c->n == FIT_MAX_COLUMNS)
		return cli_usage(CMD, "--column: at most %d", FIT_MAX_COLUMNS);
	if (eq - arg >= FIT_VAR_LEN)
		return cli_usage(CMD, "--column '%.80s': a variable name of at most "
		                 "%d characters", arg, FIT_VAR_LEN - 1);
	snprintf(c->var_buf[c->n], FIT_VAR_LEN, "%.*s", (int)(eq - arg), arg);
	c->header[c->n] = eq + 1;
	c->var[c->n] = c->var_buf[c->n];
	c->n++;
	return 0;
}

static int parse_option(int c, const char *arg, struct args *a)
{
	int k;

	switch (c) {
	case 'd': a->data = arg; return 0;
	case 'o': a->output = arg; return 0;
	case 'm': a->models_dir = arg; return 0;
	case 'c': return parse_column(arg, &a->cols);
	case 'C': a->cols.compute = arg; return 0;
	case 'w': a->cols.weight = arg; return 0;
	case 'x':
		if (cli_int(CMD, "--exclude-top-loss", arg, 0, 1000000000, &k) != 0)
			return MP_EXIT_USAGE;
		a->cols.exclude_top = (size_t)k;
		return 0;
	case 'D':
		if (cli_number(CMD, "--delta", arg, &a->delta) != 0)
			return MP_EXIT_USAGE;
		return a->delta > 0 ? 0 : cli_usage(CMD, "--delta must be positive");
	case 'r': return cli_int(CMD, "--refine", arg, 0, LAWFIT_MAX_GRID,
	                         &a->refine);
	case 'b': return cli_int(CMD, "--bootstrap", arg, 0, 1000000,
	                         &a->bootstrap);
	case 'j': return cli_int(CMD, "--jobs", arg, 1, 256, &a->jobs);
	case 's':
		if (cli_int(CMD, "--seed", arg, 0, 2147483647, &k) != 0)
			return MP_EXIT_USAGE;
		a->seed = (unsigned long)k;
		return 0;
	}
	return cli_usage(CMD, "unknown option");
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option o[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "column", required_argument, NULL, 'c' },
		{ "compute", required_argument, NULL, 'C' },
		{ "weight", required_argument, NULL, 'w' },
		{ "exclude-top-loss", required_argument, NULL, 'x' },
		{ "delta", required_argument, NULL, 'D' },
		{ "refine", required_argument, NULL, 'r' },
		{ "bootstrap", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "models-dir", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c, rc;

	memset(a, 0, sizeof *a);
	a->delta = LAWFIT_DELTA;
	a->refine = DEFAULT_REFINE;
	a->jobs = 1;
	a->seed = 1;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", o, NULL)) != -1) {
		if (c == 'h') {
			help();
			return -1;
		}
		if (c == ':')
			return cli_usage(CMD, "%s needs a value", argv[optind - 1]);
		if (c == '?')
			return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
		if ((rc = parse_option(c, optarg, a)) != 0)
			return rc;
	}
	if (optind >= argc)
		return cli_usage(CMD, "which law? (MODEL:LAW, e.g. epoch2024:dense)");
	a->spec = argv[optind++];
	if (optind < argc)
		return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
	if (a->data == NULL)
		return cli_usage(CMD, "--data FILE is required");
	return 0;
}

/* ---- the law ------------------------------------------------------------------ */

/* The law of spec (MODEL:LAW, or MODEL with a single law), of m. */
static struct law *find_law(const struct model *m, const char *law,
                            const char *spec, struct mp_error *err)
{
	if (law == NULL && m->n_laws == 1)
		return m->laws[0];
	if (law == NULL) {
		mp_error_set(err, "'%s' has %zu laws: name one (MODEL:LAW)", spec,
		             m->n_laws);
		return NULL;
	}
	for (size_t i = 0; i < m->n_laws; i++)
		if (strcmp(m->laws[i]->name, law) == 0)
			return m->laws[i];
	mp_error_set(err, "%s has no law '%s'", m->name, law);
	return NULL;
}

static struct model *open_law(const struct args *a, struct law **L,
                              struct mp_error *err)
{
	char *model, *law;
	struct model *m;

	if (model_split_spec(a->spec, &model, &law, err) != 0)
		return NULL;
	m = model_open(model, a->models_dir, err);
	if (m != NULL && (*L = find_law(m, law, a->spec, err)) == NULL) {
		model_free(m);
		m = NULL;
	}
	free(model);
	free(law);
	return m;
}

/* Give the parameters their first starting values, so that the compute
 * rule can be evaluated on a law whose coefficients are null. */
static void prime(struct law *L, const struct lawfit_spec *s)
{
	for (size_t j = 0; j < s->n_par; j++)
		L->coef_value[s->par[j].coef] =
			lawfit_natural(s->par[j].space, s->par[j].start[0]);
	L->fitted = 1;
}

/* ---- the fit ------------------------------------------------------------------ */

struct fit_run {
	struct model *m;
	struct law *L;
	struct lawfit_spec spec;
	struct lawfit *F;
	struct runs_csv t;
	struct fit_points pts;
	struct lawfit_result r;
	double *boot;                 /* bootstrap rows, or NULL */
	size_t n_ok;
	double mean[LAWFIT_MAX_PAR], cov[LAWFIT_MAX_PAR * LAWFIT_MAX_PAR];
	double se_nat[LAWFIT_MAX_PAR];/* sd of the coefficients themselves */
};

static void progress(size_t done, size_t total)
{
	int width = 40, fill = total > 0 ? (int)(done * 40 / total) : width;

	fprintf(stderr, "\rbootstrap [%.*s%*s] %zu/%zu", fill,
	        "########################################", width - fill, "",
	        done, total);
	if (done == total)
		fputc('\n', stderr);
}

/* The sd of each coefficient (natural space) over the bootstrap rows. */
static void natural_se(struct fit_run *f, size_t B)
{
	size_t p = f->spec.n_par;

	for (size_t j = 0; j < p; j++) {
		double s1 = 0, s2 = 0, n = 0;

		for (size_t b = 0; b < B; b++) {
			double v = f->boot[b * p + j];

			if (!isfinite(v))
				continue;
			v = lawfit_natural(f->spec.par[j].space, v);
			s1 += v;
			s2 += v * v;
			n++;
		}
		f->se_nat[j] = n > 1 ? sqrt(fmax(0, (s2 - s1 * s1 / n) / (n - 1)))
		                     : NAN;
	}
}

static int bootstrap(struct fit_run *f, const struct args *a,
                     const struct lawfit_data *d, struct mp_error *err)
{
	size_t p = f->spec.n_par, B = (size_t)a->bootstrap;

	if (B == 0)
		return 0;
	if ((f->boot = malloc(B * p * sizeof *f->boot)) == NULL)
		return mp_error_set(err, "out of memory");
	if (fit_jobs_bootstrap(f->F, d, f->r.theta, p, a->seed, B, a->jobs,
	                       isatty(STDERR_FILENO) ? progress : NULL, f->boot,
	                       err) != 0)
		return -1;
	if (lawfit_covariance(p, B, f->boot, f->mean, f->cov, &f->n_ok) != 0)
		return mp_error_set(err, "bootstrap: %zu of %zu refits converged: "
		                    "too few for a covariance", f->n_ok, B);
	natural_se(f, B);
	return 0;
}

static int fit(struct fit_run *f, const struct args *a, struct mp_error *err)
{
	struct lawfit_data d;

	if ((f->m = open_law(a, &f->L, err)) == NULL ||
	    lawfit_default_spec(f->L, &f->spec, err) != 0)
		return -1;
	f->spec.delta = a->delta;
	f->spec.refine = (size_t)a->refine;
	if ((f->F = lawfit_new(f->L, &f->spec, err)) == NULL) {
		mp_error_prefix(err, "%s", a->spec);
		return -1;
	}
	prime(f->L, &f->spec);
	if (runs_csv_load(a->data, &f->t, err) != 0 ||
	    fit_points_read(&f->t, f->L, &a->cols, &f->pts, err) != 0)
		return -1;
	d = (struct lawfit_data){ f->pts.n, f->pts.x, f->pts.loss, f->pts.w };
	if (lawfit_run(f->F, &d, &f->r, err) != 0) {
		mp_error_locate(err, a->data, 0, 0);
		return -1;
	}
	return bootstrap(f, a, &d, err);
}

static void fit_free(struct fit_run *f)
{
	lawfit_free(f->F);
	runs_csv_free(&f->t);
	fit_points_free(&f->pts);
	free(f->boot);
	model_free(f->m);
}

/* ---- the summary ------------------------------------------------------------- */

/* At 5 significant digits (3 for the errors): the optimum is found to
 * about 1e-6, and the file holds every digit. */
static void print_params(const struct fit_run *f)
{
	size_t p = f->spec.n_par;
	char name[96];

	printf("\n%-14s %-7s %14s %14s", "parameter", "space", "estimate",
	       "coefficient");
	if (f->boot != NULL)
		printf(" %12s %14s", "se", "se (coef.)");
	putchar('\n');
	for (size_t j = 0; j < p; j++) {
		const struct lawfit_param *q = &f->spec.par[j];

		printf("%-14s %-7s %14.5g %14.5g", lawfit_param_name(f->L, q, name,
		       sizeof name), lawfit_space_name(q->space), f->r.theta[j],
		       lawfit_natural(q->space, f->r.theta[j]));
		if (f->boot != NULL)
			printf(" %12.3g %14.3g", sqrt(f->cov[j * p + j]), f->se_nat[j]);
		putchar('\n');
	}
}

/* The correlation matrix of the bootstrap (its lower triangle). */
static void print_correlation(const struct fit_run *f)
{
	size_t p = f->spec.n_par;
	char name[96];

	printf("\ncorrelation (bootstrap, fitted space)\n");
	for (size_t a = 0; a < p; a++) {
		printf("%-14s", lawfit_param_name(f->L, &f->spec.par[a], name,
		                                   sizeof name));
		for (size_t b = 0; b <= a; b++)
			printf(" %7.3f", f->cov[a * p + b] /
			       sqrt(f->cov[a * p + a] * f->cov[b * p + b]));
		putchar('\n');
	}
}

static void print_summary(const struct fit_run *f, const struct args *a)
{
	printf("law         %s:%s  %s\n", f->m->name, f->L->name, f->L->loss_src);
	printf("data        %s: %zu runs, %zu excluded, %zu points\n", a->data,
	       f->pts.n_read, f->pts.n_read - f->pts.n, f->pts.n);
	printf("sha256      %s\n", f->t.sha256);
	printf("objective   %.8g (sum of Huber, delta %g, of log residuals)\n",
	       f->r.objective, f->spec.delta);
	printf("rms         %.4g (log loss)\n", f->r.rms);
	printf("starts      %zu in the grid, %zu refined, %zu converged\n",
	       f->r.n_grid, f->r.n_refined, f->r.n_converged);
	if (f->boot != NULL)
		printf("bootstrap   %d resamples, seed %lu, %zu failed\n",
		       a->bootstrap, a->seed, (size_t)a->bootstrap - f->n_ok);
	print_params(f);
	if (f->boot != NULL)
		print_correlation(f);
	if (a->output != NULL)
		printf("\nwritten     %s\n", a->output);
}

/* ---- the model file ------------------------------------------------------------ */

/* The date, UTC (SOURCE_DATE_EPOCH if set, for reproducible files). */
static void fit_date(char *buf, size_t n, int *year)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde != NULL ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	*year = tm.tm_year + 1900;
}

/* The law's coefficients, fit ranges and lawfit_info from the fit. */
static int fill_law(struct fit_run *f, const struct args *a, const char *date)
{
	struct law *L = f->L;
	struct lawfit_info *fi = L->fit ? L->fit : lawfit_info_new();
	size_t p = f->spec.n_par;

	if ((L->fit = fi) == NULL)
		return -1;
	for (size_t j = 0; j < p; j++) {
		L->coef_value[f->spec.par[j].coef] =
			lawfit_natural(f->spec.par[j].space, f->r.theta[j]);
		fi->coef[j] = f->spec.par[j].coef;
		fi->space[j] = f->spec.par[j].space;
		fi->se[j] = f->boot ? sqrt(f->cov[j * p + j]) : NAN;
	}
	for (size_t v = 0; v < L->n_vars; v++)
		if (L->vars[v].n_values == 0 && f->pts.lo[v] > 0 &&
		    f->pts.lo[v] < f->pts.hi[v]) {
			L->vars[v].fit_lo = f->pts.lo[v];
			L->vars[v].fit_hi = f->pts.hi[v];
		}
	memcpy(fi->cov, f->cov, p * p * sizeof *f->cov);
	fi->has_spec = fi->has_result = 1;
	fi->spec = f->spec;
	fi->has_cov = f->boot != NULL;
	fi->n_par = p;
	fi->n_points = f->pts.n;
	fi->resamples = (size_t)a->bootstrap;
	fi->failed = (size_t)a->bootstrap - f->n_ok;
	fi->seed = a->seed;
	fi->objective = f->r.objective;
	fi->rms = f->r.rms;
	fi->delta = f->spec.delta;
	/* a law fitted before (a model file with a fitted: block, as
	 * epoch2024 ships) has these already: this fit's replace them */
	free(fi->data);
	free(fi->data_sha256);
	free(fi->date);
	free(fi->version);
	fi->data = strdup(a->data);
	fi->data_sha256 = strdup(f->t.sha256);
	fi->date = strdup(date);
	fi->version = strdup(PACKAGE_VERSION);
	return fi->data && fi->data_sha256 && fi->date && fi->version ? 0 : -1;
}

/* The new model's name: the output file's, if it is a valid name. */
static void model_name(const char *path, char *buf, size_t n)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t len = strcspn(base, ".");

	snprintf(buf, n, "%.*s", (int)len, base);
	if (len == 0 || strspn(buf, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP"
	                       "QRSTUVWXYZ0123456789_-") != len)
		snprintf(buf, n, "fit");
}

static int write_model(struct fit_run *f, const struct args *a,
                       struct mp_error *err)
{
	char date[32], name[128], title[512], where[512], note[1024];
	struct model_write_info w = { name, title, where, 0, note };

	fit_date(date, sizeof date, &w.year);
	if (fill_law(f, a, date) != 0)
		return mp_error_set(err, "out of memory");
	model_name(a->output, name, sizeof name);
	snprintf(title, sizeof title, "%s:%s fitted to %s", f->m->name,
	         f->L->name, a->data);
	snprintf(where, sizeof where, "moeplan fit of %s:%s to %s", f->m->name,
	         f->L->name, a->data);
	snprintf(note, sizeof note, "Coefficients fitted by moeplan %s to %zu "
	         "points of %s (sha256 %.12s...); the law's form, compute rule "
	         "and shape policy are those of %s:%s (%s).", PACKAGE_VERSION,
	         f->pts.n, a->data, f->t.sha256, f->m->name, f->L->name,
	         f->m->source ? f->m->source : "");
	free(f->L->note);
	f->L->note = NULL;
	return model_write_fitted(f->m, f->L, &w, a->output, err);
}

int cmd_fit(int argc, char **argv)
{
	struct args a;
	struct fit_run f;
	struct mp_error err;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	memset(&f, 0, sizeof f);
	mp_error_clear(&err);
	rc = fit(&f, &a, &err) != 0 ||
	     (a.output != NULL && write_model(&f, &a, &err) != 0);
	if (rc == 0)
		print_summary(&f, &a);
	fit_free(&f);
	return rc != 0 ? cli_fail(&err) : MP_EXIT_OK;
}
