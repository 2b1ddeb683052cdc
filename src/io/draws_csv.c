/*
 * draws_csv.c — writing and reading back the raw draws of a plan with
 * uncertainty (see draws_csv.h).
 */
#include "config.h"

#include "io/draws_csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/emit.h"

enum { C_SEED, C_DRAWS, C_DRAW, C_BUDGET, C_PATH, C_LAW, C_SOLVED,
       C_PARAMS, C_TOKENS, C_LOSS, C_HOURS, C_USD, C_BEST, C_COUNT };

static const char *const columns[C_COUNT] = {
	"seed", "draws", "draw", "budget", "path", "law", "solved", "params",
	"tokens", "loss", "hours", "usd", "best",
};

/* The quantity of column C_PARAMS + q (enum unc_qty's order). */
_Static_assert(C_USD - C_PARAMS == UNC_USD - UNC_PARAMS,
               "the number columns follow enum unc_qty");

static const char *winner(int best)
{
	if (best == PLAN_KEEP)
		return "checkpoint";
	return best >= 0 && best < PATH_COUNT ? law_path_name(best) : "";
}

static void put_num(FILE *f, double v)
{
	char buf[EMIT_NUM_LEN];

	fputc(',', f);
	if (isfinite(v) && emit_fmt_number(v, buf) == 0)
		fputs(buf, f);
}

static void put_row(FILE *f, const struct draws_meta *m,
                    const struct unc_sample *s, int p)
{
	char b[EMIT_NUM_LEN];

	emit_fmt_number(m->budget, b);
	/* a law name is "model/law": no comma or quote to escape */
	fprintf(f, "%lu,%zu,%zu,%s,%s,%s,%d", m->seed, m->draws, s->index, b,
	        law_path_name(p), m->law[p], s->solved[p]);
	for (int q = 0; q < UNC_QTYS; q++)
		put_num(f, s->solved[p] ? s->v[p][q] : NAN);
	fprintf(f, ",%s\n", winner(s->best));
}

int draws_csv_write(FILE *f, const struct draws_meta *m, int header,
                    const struct unc_sample *s, size_t n)
{
	if (header)
		for (int c = 0; c < C_COUNT; c++)
			fprintf(f, "%s%s", columns[c], c + 1 < C_COUNT ? "," : "\n");
	for (size_t k = 0; k < n; k++)
		for (int p = 0; p < PATH_COUNT; p++)
			if (m->law[p] != NULL)
				put_row(f, m, &s[k], p);
	return ferror(f) ? -1 : 0;
}

/* ---- reading ------------------------------------------------------------- */

struct reader {
	const struct runs_csv *t;
	int col[C_COUNT];
};

static int cell_error(const struct reader *r, size_t row, int c,
                      struct mp_error *err, const char *what)
{
	size_t k = row * r->t->n_cols + (size_t)r->col[c];

	return mp_error_at(err, r->t->file, r->t->line[k], r->t->col[k],
	                   "column '%s': '%.60s' %s", columns[c], r->t->cell[k],
	                   what);
}

static const char *cell(const struct reader *r, size_t row, int c)
{
	return r->t->cell[row * r->t->n_cols + (size_t)r->col[c]];
}

static int find_columns(struct reader *r, const struct runs_csv *t,
                        struct mp_error *err)
{
	r->t = t;
	for (int c = 0; c < C_COUNT; c++)
		if ((r->col[c] = runs_csv_column(t, columns[c])) < 0)
			return mp_error_at(err, t->file, 1, 1, "not a file of draws "
			                   "(plan --shard writes them): no column '%s'",
			                   columns[c]);
	if (t->n_rows == 0)
		return mp_error_at(err, t->file, 1, 1, "no draws in the file");
	return 0;
}

/* A whole number in 0 .. max. */
static int get_count(const struct reader *r, size_t row, int c, size_t max,
                     size_t *out, struct mp_error *err)
{
	const char *s = cell(r, row, c);
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v > max)
		return cell_error(r, row, c, err, "is not a whole number in range");
	*out = (size_t)v;
	return 0;
}

int draws_csv_peek(const struct runs_csv *t, struct draws_meta *m,
                   struct mp_error *err)
{
	struct reader r;
	size_t seed;

	if (find_columns(&r, t, err) != 0 ||
	    get_count(&r, 0, C_SEED, 2147483647, &seed, err) != 0 ||
	    get_count(&r, 0, C_DRAWS, UNC_MAX_DRAWS, &m->draws, err) != 0)
		return -1;
	if (m->draws == 0)
		return cell_error(&r, 0, C_DRAWS, err, "is not a number of draws");
	m->seed = (unsigned long)seed;
	return 0;
}

static int get_path(const struct reader *r, size_t row, int *p,
                    struct mp_error *err)
{
	for (int i = 0; i < PATH_COUNT; i++)
		if (strcmp(cell(r, row, C_PATH), law_path_name(i)) == 0) {
			*p = i;
			return 0;
		}
	return cell_error(r, row, C_PATH, err, "is not a path");
}

/* The draw's winner: a path, "checkpoint" or "" (none). */
static int get_best(const struct reader *r, size_t row, int *best,
                    struct mp_error *err)
{
	const char *s = cell(r, row, C_BEST);

	*best = -1;
	if (s[0] == '\0')
		return 0;
	if (strcmp(s, "checkpoint") == 0) {
		*best = PLAN_KEEP;
		return 0;
	}
	for (int i = 0; i < PATH_COUNT; i++)
		if (strcmp(s, law_path_name(i)) == 0) {
			*best = i;
			return 0;
		}
	return cell_error(r, row, C_BEST, err, "is not a path or 'checkpoint'");
}

/* The row's seed, draws and budget agree with m. */
static int check_run(const struct reader *r, size_t row,
                     const struct draws_meta *m, struct mp_error *err)
{
	size_t seed, draws;
	double b;

	if (get_count(r, row, C_SEED, 2147483647, &seed, err) != 0 ||
	    get_count(r, row, C_DRAWS, UNC_MAX_DRAWS, &draws, err) != 0 ||
	    runs_csv_number(r->t, row, (size_t)r->col[C_BUDGET], &b, err) != 0)
		return -1;
	if (seed != m->seed)
		return cell_error(r, row, C_SEED, err, "is not the seed of the run "
		                  "(--seed, or the first file's)");
	if (draws != m->draws)
		return cell_error(r, row, C_DRAWS, err, "is not the run's number of "
		                  "draws (--uncertainty, or the first file's)");
	if (b != m->budget)
		return cell_error(r, row, C_BUDGET, err, "is not the budget planned "
		                  "(--budget, in the solver's unit)");
	return 0;
}

/* The numbers of a solved row (an empty cell: none). */
static int get_numbers(const struct reader *r, size_t row, int p,
                       struct unc_sample *s, struct mp_error *err)
{
	size_t solved;

	if (get_count(r, row, C_SOLVED, 1, &solved, err) != 0)
		return -1;
	s->solved[p] = (int)solved;
	for (int q = 0; q < UNC_QTYS; q++) {
		int c = C_PARAMS + q;

		s->v[p][q] = NAN;
		if (solved && cell(r, row, c)[0] != '\0' &&
		    runs_csv_number(r->t, row, (size_t)r->col[c], &s->v[p][q],
		                    err) != 0)
			return -1;
	}
	return 0;
}

static int take_row(const struct reader *r, size_t row,
                    const struct draws_meta *m, struct unc_sample *s,
                    unsigned char *have, struct mp_error *err)
{
	size_t i = 0;
	int p = 0, best = -1;

	if (check_run(r, row, m, err) != 0 ||
	    get_count(r, row, C_DRAW, m->draws - 1, &i, err) != 0 ||
	    get_path(r, row, &p, err) != 0 || get_best(r, row, &best, err) != 0)
		return -1;
	if (m->law[p] == NULL || strcmp(cell(r, row, C_LAW), m->law[p]) != 0)
		return cell_error(r, row, C_LAW, err, m->law[p] == NULL ?
		                  "is a path this plan does not plan" :
		                  "is not the law this plan plans the path with");
	if (have[i * PATH_COUNT + (size_t)p])
		return cell_error(r, row, C_DRAW, err, "is a draw already read for "
		                  "this path (shards that overlap?)");
	have[i * PATH_COUNT + (size_t)p] = 1;
	s[i].index = i;
	s[i].best = best;
	return get_numbers(r, row, p, &s[i], err);
}

int draws_csv_take(const struct runs_csv *t, const struct draws_meta *m,
                   struct unc_sample *s, unsigned char *have,
                   struct mp_error *err)
{
	struct reader r;

	if (find_columns(&r, t, err) != 0)
		return -1;
	for (size_t row = 0; row < t->n_rows; row++)
		if (take_row(&r, row, m, s, have, err) != 0)
			return -1;
	return 0;
}
