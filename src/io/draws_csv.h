/*
 * draws_csv.h — the raw draws of a plan with uncertainty as CSV: what
 * `plan --shard i/n` writes and `plan --from-draws FILE` reads back, so
 * that the shards of one run, concatenated, give the bands that run would.
 *
 * One header row, then one row per draw and planned path:
 *
 *   seed,draws,draw,budget,path,law,solved,params,tokens,loss,hours,usd,best
 *
 * seed and draws are the run's (--seed, --uncertainty), draw the draw's
 * index (0 .. draws - 1), budget the solver's (FLOPs, or device-seconds),
 * law "model/law", solved 0 or 1, the numbers the path's optimum in that
 * draw (an empty cell where it has none), best the draw's winner: a path,
 * "checkpoint", or empty when nothing has a plan.  Numbers are written in
 * the shortest form that reads back exactly (emit_fmt_number), so that
 * merged draws summarise to the same bits.  The files are read with
 * runs_csv (RFC 4180), every error at its file:line:col.
 */
#ifndef MP_DRAWS_CSV_H
#define MP_DRAWS_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "core/error.h"
#include "core/uncertainty.h"
#include "io/runs_csv.h"

/* What the rows of a run hold besides the samples. */
struct draws_meta {
	unsigned long seed;
	size_t draws;                     /* 0: not known yet (draws_csv_peek) */
	double budget;                    /* the solver's unit */
	const char *law[PATH_COUNT];      /* "model/law" of each planned path,
	                                     NULL: not planned */
};

/* The rows of samples s[0 .. n - 1] (the header with header != 0). */
int draws_csv_write(FILE *f, const struct draws_meta *m, int header,
                    const struct unc_sample *s, size_t n);

/* The seed and draws of a loaded file's first row into m.  0, or -1 with
 * err (no rows, a column missing, a bad number). */
int draws_csv_peek(const struct runs_csv *t, struct draws_meta *m,
                   struct mp_error *err);

/*
 * Take a loaded file's rows into s (m->draws entries: s[i] is draw i),
 * marking have[i * PATH_COUNT + path].  Every row must agree with m (seed,
 * draws, budget, a planned path's law) and name a draw and path not taken
 * before (shards that overlap).  0, or -1 with err at the cell to blame.
 */
int draws_csv_take(const struct runs_csv *t, const struct draws_meta *m,
                   struct unc_sample *s, unsigned char *have,
                   struct mp_error *err);

#endif
