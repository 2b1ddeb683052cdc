/*
 * plan_unc.c — plans with uncertainty for the command line: the draws on
 * --jobs processes, a shard's draws as CSV, the shards read back, and the
 * bands (see plan_unc.h).
 */
#include "config.h"

#include "plan_unc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/draws_csv.h"
#include "io/runs_csv.h"
#include "unc_jobs.h"

int plan_unc_check(const struct plan_opts *o, const char *cmd)
{
	int asked = o->spec.unc_draws > 0 || o->n_from > 0;

	/* the TUI's key b draws with the seed too */
	if (!asked && o->seed_given && strcmp(cmd, "tui") != 0)
		return cli_usage(cmd, "--seed: seeds the draws of --uncertainty");
	if (!asked && o->jobs > 1)
		return cli_usage(cmd, "--jobs: runs the draws of --uncertainty");
	if (o->n_shards > 0 && o->spec.unc_draws == 0)
		return cli_usage(cmd, "--shard: give the draws of the whole run "
		                 "(--uncertainty DRAWS)");
	if (o->n_shards > 0 && o->n_from > 0)
		return cli_usage(cmd, "--shard and --from-draws: a shard writes "
		                 "draws, --from-draws reads them");
	if (o->n_shards > 0 && (size_t)o->n_shards > (size_t)o->spec.unc_draws)
		return cli_usage(cmd, "--shard: %d shards of %d draws leave some "
		                 "empty", o->n_shards, o->spec.unc_draws);
	if (o->n_shards > 0 && strcmp(o->format, "table") != 0 &&
	    strcmp(o->format, "csv") != 0)
		return cli_usage(cmd, "--shard writes the shard's draws as CSV: "
		                 "--format %s does not apply", o->format);
	return 0;
}

/* The draws' state of s's request; *none 1 when no law is drawn. */
static int open_unc(const struct session *s, struct plan_unc *pu)
{
	struct mp_error e;

	memset(pu, 0, sizeof *pu);
	if ((pu->u = malloc(sizeof *pu->u)) == NULL)
		return cli_failf("out of memory");
	mp_error_clear(&e);
	if (unc_init(pu->u, &s->req, &e) != 0)
		return cli_fail(&e);
	return 0;
}

/* Draws first .. first + count - 1 at each budget, on o->jobs processes:
 * *out (nb x count samples, the caller frees). */
static int draw(const struct plan_opts *o, struct plan_unc *pu,
                const double *budgets, size_t nb, size_t first, size_t count,
                struct unc_sample **out)
{
	struct mp_error e;

	if ((*out = calloc(nb * count + 1, sizeof **out)) == NULL)
		return cli_failf("out of memory (%zu draws)", nb * count);
	mp_error_clear(&e);
	if (unc_jobs_draw(pu->u, budgets, nb, o->spec.unc_seed, first, count,
	                  o->jobs, *out, &e) != 0)
		return cli_fail(&e);
	return 0;
}

/* Summarise budget k's draws s (n of them) into pu->bands[k]. */
static int summarise(const struct plan_opts *o, struct plan_unc *pu,
                     size_t k, double budget, const struct unc_sample *s,
                     size_t n, unsigned long seed)
{
	struct mp_error e;

	(void)o;
	mp_error_clear(&e);
	if (unc_summarise(pu->u, budget, seed, s, n, &pu->bands[k], &e) != 0)
		return cli_fail(&e);
	return 0;
}

static int alloc_bands(struct plan_unc *pu, size_t n)
{
	if ((pu->bands = calloc(n + 1, sizeof *pu->bands)) == NULL)
		return cli_failf("out of memory");
	pu->n = n;
	return 0;
}

/* ---- the draws files ----------------------------------------------------- */

static void meta_of(const struct session *s, struct draws_meta *m)
{
	memset(m, 0, sizeof *m);
	m->seed = s->spec.unc_seed;
	m->draws = (size_t)s->spec.unc_draws;
	m->budget = s->req.budget;
	for (int p = 0; p < PATH_COUNT; p++)
		m->law[p] = s->req.laws[p] != NULL ? s->law_label[p] : NULL;
}

/* The first file's seed and draws, where the options do not give them. */
static int first_meta(const struct plan_opts *o, struct draws_meta *m,
                      struct runs_csv *t)
{
	struct draws_meta f = *m;
	struct mp_error e;

	mp_error_clear(&e);
	if (draws_csv_peek(t, &f, &e) != 0)
		return cli_fail(&e);
	if (o->spec.unc_draws == 0)
		m->draws = f.draws;
	if (!o->seed_given)
		m->seed = f.seed;
	return 0;
}

static int read_file(const struct plan_opts *o, size_t k, struct draws_meta *m,
                     struct unc_sample **s, unsigned char **have)
{
	struct runs_csv t;
	struct mp_error e;
	int rc = 0;

	mp_error_clear(&e);
	if (runs_csv_load(o->from[k], &t, &e) != 0)
		return cli_fail(&e);
	if (k == 0 && (rc = first_meta(o, m, &t)) == 0) {
		*s = calloc(m->draws + 1, sizeof **s);
		*have = calloc(m->draws * PATH_COUNT + 1, 1);
		if (*s == NULL || *have == NULL)
			rc = cli_failf("out of memory (%zu draws)", m->draws);
	}
	if (rc == 0 && draws_csv_take(&t, m, *s, *have, &e) != 0)
		rc = cli_fail(&e);
	runs_csv_free(&t);
	return rc;
}

/* Every planned path has every draw. */
static int check_complete(const struct draws_meta *m, const unsigned char *have)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		size_t got = 0;

		if (m->law[p] == NULL)
			continue;
		for (size_t i = 0; i < m->draws; i++)
			got += have[i * PATH_COUNT + (size_t)p];
		if (got != m->draws)
			return cli_failf("--from-draws: the files hold %zu of the %zu "
			                 "draws of path %s (a shard missing?)", got,
			                 m->draws, law_path_name(p));
	}
	return 0;
}

static int from_files(const struct plan_opts *o, const struct session *s,
                      struct plan_unc *pu)
{
	struct unc_sample *smp = NULL;
	unsigned char *have = NULL;
	struct draws_meta m;
	int rc = 0;

	meta_of(s, &m);
	for (size_t k = 0; k < o->n_from && rc == 0; k++)
		rc = read_file(o, k, &m, &smp, &have);
	if (rc == 0)
		rc = check_complete(&m, have);
	if (rc == 0 && (rc = alloc_bands(pu, 1)) == 0)
		rc = summarise(o, pu, 0, s->req.budget, smp, m.draws, m.seed);
	free(smp);
	free(have);
	return rc;
}

/* ---- the commands -------------------------------------------------------- */

int plan_unc_plan(const struct plan_opts *o, const struct session *s,
                  struct plan_unc *pu)
{
	struct unc_sample *smp = NULL;
	size_t n = (size_t)o->spec.unc_draws;
	int rc;

	if ((rc = open_unc(s, pu)) != 0 || pu->u->n_laws == 0)
		return rc;
	if (o->n_from > 0)
		return from_files(o, s, pu);
	if ((rc = draw(o, pu, &s->req.budget, 1, 0, n, &smp)) == 0 &&
	    (rc = alloc_bands(pu, 1)) == 0)
		rc = summarise(o, pu, 0, s->req.budget, smp, n, o->spec.unc_seed);
	free(smp);
	return rc;
}

int plan_unc_shard(const struct plan_opts *o, const struct session *s)
{
	struct plan_unc pu;
	struct unc_sample *smp = NULL;
	struct draws_meta m;
	size_t D = (size_t)o->spec.unc_draws, i = (size_t)o->shard;
	size_t n = (size_t)o->n_shards, first = i * D / n;
	size_t count = (i + 1) * D / n - first;
	int rc;

	if ((rc = open_unc(s, &pu)) != 0 ||
	    (pu.u->n_laws == 0 &&
	     (rc = cli_failf("--shard: no law of %s has a covariance: nothing to "
	                     "draw", s->spec.laws)) != 0) ||
	    (rc = draw(o, &pu, &s->req.budget, 1, first, count, &smp)) != 0) {
		free(smp);
		plan_unc_free(&pu);
		return rc;
	}
	meta_of(s, &m);
	errno = 0;
	if (draws_csv_write(stdout, &m, 1, smp, count) != 0 || fflush(stdout))
		rc = cli_failf("cannot write the draws: %s",
		               errno ? strerror(errno) : "output error");
	free(smp);
	plan_unc_free(&pu);
	return rc;
}

int plan_unc_frontier(const struct plan_opts *o, const struct session *s,
                      const struct frontier *f, struct plan_unc *pu)
{
	struct unc_sample *smp = NULL;
	size_t n = (size_t)o->spec.unc_draws;
	double *budgets;
	int rc;

	if ((rc = open_unc(s, pu)) != 0 || pu->u->n_laws == 0 || f->n == 0)
		return rc;
	if ((budgets = calloc(f->n, sizeof *budgets)) == NULL)
		return cli_failf("out of memory");
	for (size_t k = 0; k < f->n; k++)
		budgets[k] = f->pt[k].budget;
	if ((rc = draw(o, pu, budgets, f->n, 0, n, &smp)) == 0)
		rc = alloc_bands(pu, f->n);
	for (size_t k = 0; rc == 0 && k < f->n; k++)
		rc = summarise(o, pu, k, budgets[k], smp + k * n, n,
		               o->spec.unc_seed);
	free(smp);
	free(budgets);
	return rc;
}

void plan_unc_info(const struct plan_unc *pu, struct report_info *info)
{
	info->unc = 1;
	info->bands = pu->bands;
	info->n_bands = pu->bands != NULL ? pu->n : 0;
	info->n_unc_point = 0;
	if (pu->u == NULL)
		return;
	for (size_t k = 0; k < pu->u->n_point; k++)
		info->unc_point[info->n_unc_point++] = pu->u->point[k];
}

void plan_unc_free(struct plan_unc *pu)
{
	if (pu->u != NULL)
		unc_free(pu->u);
	free(pu->u);
	free(pu->bands);
	memset(pu, 0, sizeof *pu);
}
