/*
 * bench_tui.c — `make bench`: keypress to redraw in the interactive
 * planner, without a terminal: app_key (re-solve, view model) plus
 * app_draw (render into a 120x40 grid), the median of many presses.
 * Target: below 16 ms (one frame at 60 Hz).
 *
 * Between presses the planner does its background work (app_idle: the
 * chart's frontier, and the plans one + or - away), as it does while a
 * person's finger is off the keys; that time is not counted.  Cases:
 *   - '+' and '-' in turn, FLOPs only and with a hardware profile and
 *     the budget in device-hours (the solver against calibrated time);
 *   - the same with the plans solved ahead switched off ("cold"): what
 *     the solver itself costs per press;
 *   - keys that change what the frontier is for (unit, path set): the
 *     press re-solves, the new frontier comes between presses (its whole
 *     time is printed too: the screen stays live while it is computed).
 * Medians, as the machine is shared.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/app.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

static void settle(struct app *a)
{
	while (app_busy(a))
		app_idle(a, 1e9);
}

/* Median ms of n presses of keys[i % nk], each drawn into g. */
static double press(struct app *a, struct grid *g, const int *keys, int nk,
                    int n)
{
	double *t = malloc((size_t)n * sizeof *t), m;

	for (int i = 0; i < n; i++) {
		double t0 = now();

		app_key(a, keys[i % nk]);
		app_draw(a, g);
		t[i] = 1e3 * (now() - t0);
		settle(a);
	}
	qsort(t, (size_t)n, sizeof *t, cmp);
	m = t[n / 2];
	free(t);
	return m;
}

static void report(const char *what, double ms)
{
	printf("%-64s %7.2f ms  (target < 16 ms) %s\n", what, ms,
	       ms < 16 ? "ok" : "over");
}

static struct app *start(const char *hardware, struct grid *g)
{
	struct tui_config cfg;
	struct app *a = calloc(1, sizeof *a);

	memset(&cfg, 0, sizeof cfg);
	session_spec_init(&cfg.spec);
	cfg.budget = 1e22;
	if (hardware != NULL)
		session_spec_set(cfg.spec.hardware, hardware);
	if (a == NULL || app_init(a, &cfg, 1) != 0) {
		fprintf(stderr, "bench_tui: cannot start the planner\n");
		exit(1);
	}
	grid_init(g, 1);
	if (grid_resize(g, 120, 40) != 0)
		exit(1);
	settle(a);
	return a;
}

static void stop(struct app *a, struct grid *g)
{
	grid_free(g);
	app_free(a);
	free(a);
}

static void steps(const char *hardware, int hours, int cold)
{
	static const int pm[] = { '+', '-' };
	struct grid g;
	struct app *a = start(hardware, &g);
	char what[96];

	if (hours) {
		app_key(a, 'u');
		settle(a);
	}
	a->cold = cold;
	snprintf(what, sizeof what, "budget +/-, %s%s%s (median of 41)",
	         hardware ? hardware : "FLOPs only", hours ? ", device-hours" : "",
	         cold ? ", cold" : "");
	report(what, press(a, &g, pm, 2, 41));
	stop(a, &g);
}

static void frontier_keys(const char *hardware)
{
	static const int unit[] = { 'u' }, right[] = { 'l' };
	struct grid g;
	struct app *a = start(hardware, &g);
	char what[96];
	double t0;

	app_key(a, 'u');                      /* FLOPs -> device-hours */
	t0 = now();
	settle(a);
	printf("%-64s %7.0f ms  (between keys, in %.0f ms slices)\n",
	       "background: the frontier in device-hours, all of it",
	       1e3 * (now() - t0), 8.0);
	app_key(a, 'u');
	app_key(a, 'u');                      /* back to FLOPs */
	settle(a);

	snprintf(what, sizeof what, "unit switch (new frontier), %s (median of 9)",
	         hardware);
	report(what, press(a, &g, unit, 1, 9));
	stop(a, &g);
	a = start(NULL, &g);
	for (int i = 0; i < 5; i++)          /* down to the Paths field */
		app_key(a, 'j');
	report("path set cycled (new frontier), FLOPs only (median of 9)",
	       press(a, &g, right, 1, 9));
	stop(a, &g);
}

int main(void)
{
	gsl_set_error_handler_off();
	steps(NULL, 0, 0);
	steps(NULL, 0, 1);
	steps("h100-sxm", 1, 0);
	steps("h100-sxm", 1, 1);
	frontier_keys("h100-sxm");
	return 0;
}
