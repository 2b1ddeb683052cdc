/*
 * sgemm_loop.c — the plainest timing of one square sgemm: the same
 * operands, a fixed number of calls, wall clock.  bench_cost.sh compares
 * it with what `moeplan calibrate` measured for the same shape, to show
 * that the harness adds no overhead.
 *
 * usage: sgemm_loop N [CALLS] -> prints FLOP/s
 */
#include "config.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1024, calls = argc > 2 ? atoi(argv[2]) : 10;
	size_t nn = (size_t)n * (size_t)n;
	float *a = malloc(nn * sizeof *a), *b = malloc(nn * sizeof *b);
	float *c = malloc(nn * sizeof *c);
	double t0, best = 0;

	if (n < 1 || calls < 1 || !a || !b || !c)
		return 1;
	for (size_t i = 0; i < nn; i++) {
		a[i] = (float)(i % 7) * 0.1f;
		b[i] = (float)(i % 5) * 0.1f;
		c[i] = 0;
	}
	for (int rep = 0; rep < 3; rep++) {   /* best of three rounds */
		double rate;

		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f,
		            a, n, b, n, 0.0f, c, n);
		t0 = now();
		for (int i = 0; i < calls; i++)
			cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
			            1.0f, a, n, b, n, 0.0f, c, n);
		rate = 2.0 * n * n * (double)n * calls / (now() - t0);
		best = rate > best ? rate : best;
	}
	printf("%.6g\n", best);
	free(a);
	free(b);
	free(c);
	return 0;
}
