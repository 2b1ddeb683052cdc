/*
 * fit_data.h — the points of `moeplan fit`: a CSV of runs (io/runs_csv.h)
 * mapped onto a law's variables, its loss and an optional weight.
 *
 * Each variable V is read from the column named V, or the one --column
 * V=HEADER names; the loss from `loss` (or --column loss=HEADER); the
 * weight from --weight HEADER.  With --compute HEADER the column holds
 * each run's training compute C in FLOPs, and the variable the budget
 * eliminates (tokens, or tokens_moe for an upcycling law) is solved from
 * the law's own compute rule, flops(x) = C (Chinchilla: D = C / (6 N)).
 * A variable with a single value (values: [1]) and no column takes that
 * value.  --exclude-top-loss K drops the K runs of highest loss (Epoch
 * dropped 5 of Chinchilla's 245).  The points own their arrays.
 */
#ifndef MP_FIT_DATA_H
#define MP_FIT_DATA_H

#include <stddef.h>

#include "core/error.h"
#include "core/law.h"
#include "io/runs_csv.h"

#define FIT_MAX_COLUMNS 16     /* --column options */

#define FIT_VAR_LEN 64

struct fit_columns {
	size_t n;
	const char *var[FIT_MAX_COLUMNS], *header[FIT_MAX_COLUMNS];
	char var_buf[FIT_MAX_COLUMNS][FIT_VAR_LEN];   /* what var[] points to */
	const char *compute;       /* --compute HEADER, or NULL */
	const char *weight;        /* --weight HEADER, or NULL */
	size_t exclude_top;        /* --exclude-top-loss K */
};

struct fit_points {
	size_t n, nv;
	double *x, *loss, *w;      /* w NULL without a weight column */
	double lo[LAW_MAX_VARS], hi[LAW_MAX_VARS];  /* each variable's range */
	size_t n_read;             /* rows read, before exclusion */
};

/* The points of table t for law L (whose coefficients the compute rule
 * reads must have values).  0, or -1 with err naming the file, line and
 * column or the option. */
int fit_points_read(const struct runs_csv *t, const struct law *L,
                    const struct fit_columns *c, struct fit_points *p,
                    struct mp_error *err);
void fit_points_free(struct fit_points *p);

#endif
