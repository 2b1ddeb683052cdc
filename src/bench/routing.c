/*
 * routing.c — balanced and Zipf routings (see routing.h).  Apart from
 * kernels.c because GSL's randist headers and the BLAS's cblas.h both
 * declare the CBLAS enums.
 */
#include "config.h"

#include "routing.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* k distinct draws from the table; after 64 rejections take the first free id. */
static void draw_distinct(gsl_rng *r, gsl_ran_discrete_t *tab, int E, int k,
                          int *out)
{
	for (int j = 0; j < k; j++) {
		int e = -1;

		for (int tries = 0; tries < 64 && e < 0; tries++) {
			int c = (int)gsl_ran_discrete(r, tab);

			e = c;
			for (int i = 0; i < j; i++)
				if (out[i] == c)
					e = -1;
		}
		for (int c = 0; e < 0 && c < E; c++) {
			e = c;
			for (int i = 0; i < j; i++)
				if (out[i] == c)
					e = -1;
		}
		out[j] = e;
	}
}

int bench_route(int T, int E, int k, double skew, unsigned long seed,
                int *assign, int *counts)
{
	if (skew <= 0) {
		for (int i = 0; i < T * k; i++)
			assign[i] = i % E;
	} else {
		gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
		double *p = malloc((size_t)E * sizeof *p);
		size_t *rank = malloc((size_t)E * sizeof *rank);
		gsl_ran_discrete_t *tab = NULL;

		if (r != NULL && p != NULL && rank != NULL) {
			gsl_rng_set(r, seed);
			for (int e = 0; e < E; e++)
				rank[e] = (size_t)e;
			gsl_ran_shuffle(r, rank, (size_t)E, sizeof *rank);
			/* Zipf: p_e ∝ (rank_e + 1)^-skew */
			for (int e = 0; e < E; e++)
				p[e] = pow((double)rank[e] + 1.0, -skew);
			tab = gsl_ran_discrete_preproc((size_t)E, p);
		}
		if (tab != NULL)
			for (int t = 0; t < T; t++)
				draw_distinct(r, tab, E, k, assign + (size_t)t * k);
		if (tab != NULL)
			gsl_ran_discrete_free(tab);
		if (r != NULL)
			gsl_rng_free(r);
		free(rank);
		free(p);
		if (tab == NULL)
			return -1;
	}
	if (counts != NULL) {
		memset(counts, 0, (size_t)E * sizeof *counts);
		for (int i = 0; i < T * k; i++)
			counts[assign[i]]++;
	}
	return 0;
}
