/*
 * bench_plan.c — `make bench`: how fast the planner answers.
 *
 * Prints, with the targets beside them:
 *   - plan_solve of every path of the default law set, in process (median
 *     of 201 runs) — target < 1 ms;
 *   - a frontier of 1,000 budgets over three paths, in process (median of 5)
 *     — target < 1 s;
 *   - `moeplan plan --budget 1e22 --path all` as a process: median wall
 *     time of 31 runs — target < 20 ms — and its peak RSS — target < 20 MB.
 * Medians, since the machine is shared and noisy.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/plan.h"
#include "io/datadir.h"
#include "io/model_load.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return v[n / 2];
}

/* Run argv as a child; wall seconds and peak RSS (KiB) from wait4. */
static int spawn(char **argv, double *wall, long *rss_kib)
{
	struct rusage ru;
	double t0;
	int status;
	pid_t pid;

	fflush(stdout);    /* a child must not inherit unwritten output */
	t0 = now();
	pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	*wall = now() - t0;
	*rss_kib = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void report(const char *what, double got, double target, const char *unit)
{
	printf("%-48s %10.3f %-3s (target < %g %s) %s\n", what, got, unit, target,
	       unit, got < target ? "ok" : "OVER");
}

int main(void)
{
	struct mp_error e;
	char *dir, *bin = getenv("MOEPLAN");
	struct model *m;
	struct plan_request r;
	struct plan pl;
	struct frontier f;
	double t[201], w[31];
	long rss = 0;

	gsl_set_error_handler_off();
	if ((dir = datadir_find("models", NULL, &e)) == NULL ||
	    (m = model_open("liew2025", dir, &e)) == NULL) {
		fprintf(stderr, "bench_plan: %s\n", e.msg);
		return 1;
	}
	memset(&r, 0, sizeof r);
	for (int p = 0; p < PATH_COUNT; p++)
		r.laws[p] = model_law_for_path(m, (enum law_path)p);
	r.baseline = model_law_for_path(m, PATH_DENSE);
	r.shape = &m->shape;
	r.budget = 1e22;
	for (int i = 0; i < 201; i++) {
		double t0 = now();

		if (plan_solve(&r, &pl, &e) != 0)
			return 1;
		t[i] = now() - t0;
	}
	report("plan_solve, 3 paths, liew2025, 1e22 (median)", 1e3 * median(t, 201),
	       1, "ms");
	for (int i = 0; i < 5; i++) {
		double t0 = now();

		if (plan_frontier(&r, 1e18, 1e26, 1000, &f, &e) != 0)
			return 1;
		t[i] = now() - t0;
		plan_frontier_free(&f);
	}
	report("frontier, 1000 budgets x 3 paths (median)", median(t, 5), 1, "s");
	if (bin != NULL) {
		char *argv[] = { bin, "plan", "--budget", "1e22", "--path", "all", NULL };
		long peak = 0;

		for (int i = 0; i < 31; i++) {
			if (spawn(argv, &w[i], &rss) != 0) {
				fprintf(stderr, "bench_plan: %s plan failed\n", bin);
				return 1;
			}
			peak = rss > peak ? rss : peak;
		}
		report("moeplan plan --path all, process wall (median)",
		       1e3 * median(w, 31), 20, "ms");
		report("moeplan plan --path all, peak RSS", (double)peak / 1024, 20, "MB");
	}
	model_free(m);
	free(dir);
	return 0;
}
