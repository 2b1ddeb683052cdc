/*
 * test_screens.c — the interactive planner's screens as text, against the
 * golden files in tests/tui/screens/ (GENERATE=1 rewrites them).
 *
 * Each state is reached the way a user reaches it: app_init with the
 * command line's options, then keys (app_key), then app_draw into a grid
 * of the given size; no terminal.  The numbers on the screens come from
 * the program: the goldens test the layout, the numbers are tested
 * elsewhere (tests/unit, tests/cli).  Beside the goldens, a few checks
 * that hold whatever the numbers: the ASCII screen is ASCII, the help
 * lists every key, the small screen says it is too small.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/tap.h"
#include "tui/app.h"

struct state {
	const char *name;        /* golden file: screens/NAME.txt */
	int w, h, utf8;
	const char *hardware;    /* --hardware, or NULL */
	int devices;
	const char *ckpt;        /* "N1,D1" or NULL */
	const char *laws;        /* --laws, or NULL (liew2025) */
	const char *keys;        /* typed, with \t for Tab and \r for Enter */
	int draws;               /* --uncertainty DRAWS (bands on), 0: none */
};

static const struct state states[] = {
	{ "default-80x24", 80, 24, 1, NULL, 0, NULL, NULL, "", 0 },
	{ "default-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "", 0 },
	{ "help-80x24", 80, 24, 1, NULL, 0, NULL, NULL, "?", 0 },
	{ "help-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "?", 0 },
	{ "too-small-60x20", 60, 20, 1, NULL, 0, NULL, NULL, "", 0 },
	{ "ascii-80x24", 80, 24, 0, NULL, 0, NULL, NULL, "", 0 },
	{ "ascii-120x40", 120, 40, 0, NULL, 0, NULL, NULL, "", 0 },
	{ "details-80x24", 80, 24, 1, NULL, 0, NULL, NULL, "\t\t\t", 0 },
	{ "hours-h100-120x40", 120, 40, 1, "h100-sxm", 64, NULL, NULL, "u", 0 },
	/* on a cluster with tp pinned to 4 (TP, the 11th input: auto, 1, 2, 4) */
	{ "cluster-tp-120x40", 120, 40, 1, "h100-sxm", 64, NULL, NULL,
	  "ujjjjjjjjjjjjjlll", 0 },
	{ "cluster-tp-80x24", 80, 24, 1, "h100-sxm", 64, NULL, NULL,
	  "ujjjjjjjjjjjjjlll", 0 },
	{ "cluster-details-120x40", 120, 40, 1, "h100-sxm", 64, NULL, NULL,
	  "u\t\t\t", 0 },
	{ "checkpoint-120x40", 120, 40, 1, NULL, 0, "1e9,1e11", NULL, "--", 0 },
	/* lifetime planning: the target from the budget's best loss (Right on
	 * Target), and 1e12 inference tokens (Right on Serve tok) */
	{ "target-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "jjjjjjjjjjl", 0 },
	{ "serve-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "jjjjjjjjjjjl", 0 },
	{ "unique-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "jjjjjjjjjjjjl", 0 },
	{ "checkpoint-h100-120x40", 120, 40, 1, "h100-sxm", 0, "1e9,1e11", NULL,
	  "", 0 },
	/* --laws A,B compares B; c cycles the comparison; w keeps plans in
	 * the fit box; i shows the law set */
	{ "compare-120x40", 120, 40, 1, NULL, 0, NULL, "liew2025,chinchilla", "",
	  0 },
	{ "compare-ascii-80x24", 80, 24, 0, NULL, 0, "7e9,2e12", NULL, "c", 0 },
	{ "within-fit-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "w", 0 },
	{ "about-120x40", 120, 40, 1, NULL, 0, NULL, NULL, "i", 0 },
	{ "inputs-scrolled-80x24", 80, 24, 1, NULL, 0, NULL, NULL, "jjjjjjjjj",
	  0 },
	/* uncertainty bands: epoch2024 has a covariance (--uncertainty 40
	 * turns them on), liew2025 has none and b says so */
	{ "bands-epoch-120x40", 120, 40, 1, NULL, 0, NULL, "epoch2024", "", 40 },
	{ "bands-ascii-80x24", 80, 24, 0, NULL, 0, NULL, "epoch2024", "", 40 },
	{ "bands-none-80x24", 80, 24, 1, NULL, 0, NULL, NULL, "b", 0 },
};

static int load_golden(const char *name, char **text)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/tests/tui/screens/%s.txt", top ? top : ".",
	         name);
	*text = NULL;
	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*text = calloc((size_t)n + 1, 1);
	if (*text == NULL || fread(*text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static int save_golden(const char *name, const char *text)
{
	const char *top = getenv("top_srcdir");
	char path[1024];
	FILE *f;

	snprintf(path, sizeof path, "%s/tests/tui/screens/%s.txt", top ? top : ".",
	         name);
	if ((f = fopen(path, "wb")) == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* The cluster-tp states pin tp to 4 by keys: every path that has a run
 * keeps it, uses the 64 devices (tp pp dp) and fits in the H100's 80 GB
 * (its datasheet). */
static void check_pins(const struct state *s, const struct app *a)
{
	char what[160];
	int runs = 0, ok = a->req.cluster != NULL && a->req.cluster->pin.tp == 4;

	if (strncmp(s->name, "cluster-tp", 10) != 0)
		return;
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct plan_path *pp = &a->plan.path[p];
		const struct layout *l = &pp->run.layout;

		if (!pp->solved || !pp->has_run)
			continue;
		runs++;
		ok &= l->tp == 4 && l->tp * l->pp * l->dp == 64 &&
		      pp->run.memory.total <= 80e9;
	}
	snprintf(what, sizeof what, "%s: the TP input pins tp = 4 on every "
	         "path's layout (64 devices, at most 80 GB)", s->name);
	check(ok && runs > 0, what);
}

/* The screen of state s as text (malloc'd), or NULL. */
static char *screen(const struct state *s)
{
	struct tui_config cfg;
	struct app *a = calloc(1, sizeof *a);
	struct grid g;
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (a == NULL)
		return NULL;
	memset(&cfg, 0, sizeof cfg);
	session_spec_init(&cfg.spec);
	cfg.budget = 1e22;
	if (s->hardware != NULL)
		session_spec_set(cfg.spec.hardware, s->hardware);
	cfg.spec.devices = s->devices;
	cfg.spec.unc_draws = s->draws;
	if (s->ckpt != NULL)
		sscanf(s->ckpt, "%lf,%lf", &cfg.spec.ckpt.N1, &cfg.spec.ckpt.D1);
	if (s->laws != NULL) {            /* "A,B", as cmd_tui splits it */
		const char *comma = strchr(s->laws, ',');

		snprintf(cfg.spec.laws, sizeof cfg.spec.laws, "%.*s",
		         (int)(comma ? comma - s->laws : (long)strlen(s->laws)),
		         s->laws);
		if (comma != NULL)
			snprintf(cfg.compare, sizeof cfg.compare, "%s", comma + 1);
	}
	if (app_init(a, &cfg, s->utf8) != 0) {
		free(a);
		return NULL;
	}
	for (const char *k = s->keys; *k; k++) {
		app_key(a, *k == '\t' ? TK_TAB : *k == '\r' ? TK_ENTER : *k);
		while (app_busy(a))        /* the frontier, as between key presses */
			app_idle(a, 1e9);
	}
	while (app_busy(a))
		app_idle(a, 1e9);
	grid_init(&g, s->utf8);
	if (grid_resize(&g, s->w, s->h) == 0 &&
	    (mem = open_memstream(&text, &len)) != NULL) {
		app_draw(a, &g);
		grid_write(&g, mem);
		fclose(mem);
	}
	grid_free(&g);
	check_pins(s, a);
	app_free(a);
	free(a);
	return text;
}

/* First line where got and want differ, both shown. */
static void show_diff(const char *got, const char *want)
{
	int line = 1;

	while (*got && *got == *want) {
		line += *got == '\n';
		got++;
		want++;
	}
	while (line > 1 && got[-1] != '\n') {
		got--;
		want--;
	}
	printf("  first difference, line %d:\n  got:  %.*s\n  want: %.*s\n", line,
	       (int)strcspn(got, "\n"), got, (int)strcspn(want, "\n"), want);
}

static void check_golden(const struct state *s, const char *got)
{
	char what[160], *want;

	snprintf(what, sizeof what, "%s: screen as in screens/%s.txt", s->name,
	         s->name);
	if (getenv("GENERATE") != NULL && strcmp(getenv("GENERATE"), "1") == 0) {
		check(save_golden(s->name, got) == 0, what);
		return;
	}
	if (load_golden(s->name, &want) != 0) {
		check(0, what);
		printf("  no golden file (run with GENERATE=1 to write it)\n");
		free(want);
		return;
	}
	check(strcmp(got, want) == 0, what);
	if (strcmp(got, want) != 0)
		show_diff(got, want);
	free(want);
}

/* Checks that do not depend on the numbers. */
static void check_invariants(const struct state *s, const char *got)
{
	char what[160];

	if (!s->utf8) {
		int ascii = 1;

		for (const char *p = got; *p; p++)
			ascii &= (unsigned char)*p < 0x80;
		snprintf(what, sizeof what, "%s: only ASCII", s->name);
		check(ascii, what);
	}
	if (s->w < 80 || s->h < 24) {
		snprintf(what, sizeof what, "%s: says the terminal is too small",
		         s->name);
		check(strstr(got, "Terminal too small") != NULL, what);
	}
	if (strchr(s->keys, '?') != NULL)
		for (size_t i = 0; i < tui_n_keyhelp; i++) {
			snprintf(what, sizeof what, "%s: lists '%s'", s->name,
			         tui_keyhelp[i].what);
			check(strstr(got, tui_keyhelp[i].what) != NULL, what);
		}
	if (s->w >= 80 && s->h >= 24 && strpbrk(s->keys, "?i") == NULL) {
		snprintf(what, sizeof what, "%s: shows the results and the chart",
		         s->name);
		check(strstr(got, "Inputs") && strstr(got, "Loss vs budget") &&
		      (strstr(got, "Results") || strstr(got, "Details")), what);
	}
}

int main(void)
{
	gsl_set_error_handler_off();
	/* calibrated profiles of this machine must not change the screens */
	setenv("XDG_DATA_HOME", "/nonexistent/moeplan-test-screens", 1);
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		char *got = screen(&states[i]), what[160];

		snprintf(what, sizeof what, "%s: the screen is drawn", states[i].name);
		check(got != NULL, what);
		if (got == NULL)
			continue;
		check_golden(&states[i], got);
		check_invariants(&states[i], got);
		free(got);
	}
	return check_done();
}
