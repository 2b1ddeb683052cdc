/*
 * test_report.c — the report sinks on hand-built plans and frontiers: the
 * JSON is well formed (checked by a small parser here) with the contract's
 * keys, numbers read back bit for bit, YAML has the same structure, CSV has
 * one header and equal column counts, the table shows human units, and no
 * sink ever prints NaN or Inf.  Every number below is an input written by
 * hand (or 6ND of those inputs); the sinks must print them back.
 */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/report.h"
#include "tap.h"

/* ---- a minimal JSON reader: validate, and find a value by "a.b.c" ------ */

static const char *js_ws(const char *s)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	return s;
}

static const char *js_value(const char *s);

/* Past a string at s (which must start with '"'), or NULL. */
static const char *js_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s && *s != '"'; s++) {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)s[i]))
						return NULL;
				s += 4;
			} else if (!strchr("\"\\/bfnrt", *s) || *s == '\0') {
				return NULL;
			}
		}
	}
	return *s == '"' ? s + 1 : NULL;
}

/* JSON number grammar (RFC 8259 section 6). */
static const char *js_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (isdigit((unsigned char)*s))
		while (isdigit((unsigned char)*s))
			s++;
	else
		return NULL;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return NULL;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return NULL;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return s;
}

static const char *js_container(const char *s, char close)
{
	s = js_ws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (close == '}') {
			if ((s = js_string(s)) == NULL)
				return NULL;
			s = js_ws(s);
			if (*s++ != ':')
				return NULL;
		}
		if ((s = js_value(js_ws(s))) == NULL)
			return NULL;
		s = js_ws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
		s = js_ws(s);
	}
}

/* Past one value at s, or NULL if it is not valid JSON. */
static const char *js_value(const char *s)
{
	s = js_ws(s);
	if (*s == '{')
		return js_container(s, '}');
	if (*s == '[')
		return js_container(s, ']');
	if (*s == '"')
		return js_string(s);
	if (strncmp(s, "true", 4) == 0)
		return s + 4;
	if (strncmp(s, "false", 5) == 0)
		return s + 5;
	if (strncmp(s, "null", 4) == 0)
		return s + 4;
	return js_number(s);
}

static int js_valid(const char *s)
{
	const char *end = js_value(s);

	return end != NULL && *js_ws(end) == '\0';
}

/* The value at a dotted key path ("paths.dense.loss"; "points.1.budget"
 * indexes arrays), or NULL. */
static const char *js_get(const char *s, const char *path)
{
	char seg[64];
	size_t n = strcspn(path, ".");

	s = js_ws(s);
	if (n == 0)
		return s;
	snprintf(seg, sizeof seg, "%.*s", (int)n, path);
	path += n + (path[n] == '.');
	if (*s == '[') {
		long want = strtol(seg, NULL, 10);

		s = js_ws(s + 1);
		for (long i = 0; *s != ']'; i++) {
			if (i == want)
				return js_get(s, path);
			if ((s = js_value(s)) == NULL)
				return NULL;
			s = js_ws(s);
			if (*s == ',')
				s = js_ws(s + 1);
		}
		return NULL;
	}
	if (*s != '{')
		return NULL;
	s = js_ws(s + 1);
	while (*s == '"') {
		const char *k = s + 1, *v;

		if ((s = js_string(s)) == NULL)
			return NULL;
		v = js_ws(js_ws(s) + 1);       /* past ':' */
		if ((size_t)(s - 1 - k) == strlen(seg) && strncmp(k, seg, strlen(seg)) == 0)
			return js_get(v, path);
		if ((s = js_value(v)) == NULL)
			return NULL;
		s = js_ws(s);
		if (*s == ',')
			s = js_ws(s + 1);
	}
	return NULL;
}

/* The number at path reads back to want exactly. */
static void js_num(const char *doc, const char *path, double want)
{
	const char *v = js_get(doc, path);
	char what[160];

	snprintf(what, sizeof what, "json %s = %.17g exactly", path, want);
	check(v != NULL && strtod(v, NULL) == want, what);
	if (v != NULL && strtod(v, NULL) != want)
		printf("  got %.40s\n", v);
}

/* The value at path starts with text (a string, null, true, ...). */
static void js_is(const char *doc, const char *path, const char *text)
{
	const char *v = js_get(doc, path);
	char what[160];

	snprintf(what, sizeof what, "json %s is %s", path, text);
	check(v != NULL && strncmp(v, text, strlen(text)) == 0, what);
}

/* ---- fixtures ----------------------------------------------------------- */

static struct law law_dense, law_moe, law_up;

static void add_var(struct law *L, const char *name, enum law_role role)
{
	L->vars[L->n_vars].name = (char *)name;
	L->vars[L->n_vars].role = role;
	L->n_vars++;
}

static void make_laws(void)
{
	law_dense.model = (char *)"chinchilla";
	law_dense.name = (char *)"approach3";
	law_dense.path = PATH_DENSE;
	law_dense.count = COUNT_NONEMB_TOTAL;
	add_var(&law_dense, "N", ROLE_PARAMS);
	add_var(&law_dense, "D", ROLE_TOKENS);

	law_moe.model = (char *)"abnar2025";
	law_moe.name = (char *)"moe";
	law_moe.path = PATH_MOE;
	law_moe.count = COUNT_ACTIVE;
	add_var(&law_moe, "Na", ROLE_PARAMS);
	add_var(&law_moe, "D", ROLE_TOKENS);
	add_var(&law_moe, "E", ROLE_EXPERTS);

	law_up.model = (char *)"liew2025";
	law_up.name = (char *)"upcycled";
	law_up.path = PATH_UPCYCLE;
	law_up.count = COUNT_DENSE_BASE;
	add_var(&law_up, "N1", ROLE_PARAMS);
	add_var(&law_up, "D1", ROLE_TOKENS_DENSE);
	add_var(&law_up, "D2", ROLE_TOKENS_MOE);
}

static void make_arch(struct arch *a, int experts)
{
	a->layers = 24;
	a->d_model = 2048;
	a->heads = 16;
	a->kv_heads = 4;
	a->head_dim = 128;
	a->d_ff = 5632;
	a->mlp_matrices = 3;
	a->vocab = 32000;
	a->seq = 2048;
	a->experts = experts;
	a->top_k = experts ? 2 : 0;
	a->d_expert = experts ? 5632 : 0;
	a->moe_every = experts ? 1 : 0;
}

/* dense solved, moe unsolved, upcycle solved and best. */
static void make_plan(struct plan *p)
{
	struct plan_path *d = &p->path[PATH_DENSE], *m = &p->path[PATH_MOE],
	                 *u = &p->path[PATH_UPCYCLE];

	memset(p, 0, sizeof *p);
	p->budget = 3e20;
	p->best = PATH_UPCYCLE;

	d->law = &law_dense;
	d->solved = 1;
	d->x[0] = 1.3e9;
	d->x[1] = 2.6e10;
	d->loss = 2.1234567890123457;
	d->params = 1.3e9;
	d->tokens = 2.6e10;
	d->flops = 6 * 1.3e9 * 2.6e10;           /* 6ND */
	d->tokens_dense = d->tokens_moe = d->baseline_loss = NAN;
	make_arch(&d->arch, 0);
	d->arch_params.total = 1.4e9;
	d->arch_params.active = 1.4e9;
	d->arch_flops.training = 8.1e9;
	d->flops_itemised = 8.1e9 * 2.6e10;
	d->seconds = d->wall_seconds = d->hours = d->usd = d->mfu = NAN;

	m->law = &law_moe;
	m->solved = 0;
	snprintf(m->why, sizeof m->why,
	         "no feasible point: \"E\" needs a budget above 1e21, got 3e20");
	m->loss = NAN;
	m->seconds = m->wall_seconds = m->hours = m->usd = m->mfu = NAN;

	u->law = &law_up;
	u->solved = 1;
	u->x[0] = 1e9;
	u->x[1] = 2e10;
	u->x[2] = 3e10;
	u->loss = 2.0500000000000003;            /* needs 17 digits */
	u->baseline_loss = 2.2;
	u->params = 1e9;
	u->tokens = 5e10;
	u->tokens_dense = 2e10;
	u->tokens_moe = 3e10;
	u->flops_sunk = 6 * 1e9 * 2e10;          /* 6 N1 D1 */
	u->flops = u->flops_sunk + 6 * 1.62e9 * 3e10;
	make_arch(&u->arch, 8);
	u->arch_params.total = 6.5e9;
	u->arch_params.active = 1.9e9;
	u->flops_itemised = 2.9e20;
	u->hours = 1800;                         /* on 8 devices */
	u->usd = 5400;
	u->seconds = 1800.0 * 3600;
	u->wall_seconds = 1800.0 * 3600 / 8;
	u->mfu = NAN;
	u->n_warn = 2;
	snprintf(u->warn[0], PLAN_WARN_LEN,
	         "D2 = 3e10 is outside the fitted range [5e9, 2e10]");
	snprintf(u->warn[1], PLAN_WARN_LEN, "a \"quoted\", comma; line");
}

/* Render through a sink into a string (caller frees). */
static char *render_plan(const char *format, const struct plan *p,
                         const struct report_info *info, int *rc)
{
	const struct report_sink *s = report_sink_find(format);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = s != NULL ? s->plan(f, p, info) : -2;
	fclose(f);
	return buf;
}

static char *render_frontier(const char *format, const struct frontier *fr,
                             const struct report_info *info, int *rc)
{
	const struct report_sink *s = report_sink_find(format);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = s != NULL ? s->frontier(f, fr, info) : -2;
	fclose(f);
	return buf;
}

/* No "nan" or "inf" anywhere (case-insensitive). */
static int no_nonfinite(const char *s)
{
	for (const char *p = s; *p; p++)
		if (strncasecmp(p, "nan", 3) == 0 || strncasecmp(p, "inf", 3) == 0)
			return 0;
	return 1;
}

static const char *const global_warn[] = { "hardware profile is a datasheet, "
                                           "not calibrated" };

static void make_info(struct report_info *info)
{
	report_info_init(info);
	info->model = "mixed";
	info->unit = UNIT_HOURS;
	info->budget_value = 2000;
	info->hardware = "h100-sxm";
	info->devices = 8;
	info->n_warn = 1;
	info->warn = global_warn;
}

/* ---- plan --------------------------------------------------------------- */

static void test_find(void)
{
	check(report_sink_find("table") != NULL, "sink table");
	check(report_sink_find("csv") != NULL, "sink csv");
	check(report_sink_find("json") != NULL, "sink json");
	check(report_sink_find("yaml") != NULL, "sink yaml");
	check(report_sink_find("xml") == NULL, "no sink xml");
	check(report_sink_find(NULL) == NULL, "no sink NULL");
	{
		char b[128];

		check_str(report_formats_for(REPORT_PLAN, ", ", b, sizeof b),
		          "table, csv, json, yaml, svg", "plan formats listed");
		check_str(report_formats_for(REPORT_ARCH, " or ", b, sizeof b),
		          "table, csv, json or yaml", "arch formats listed");
		check(report_sink_for(REPORT_ARCH, "svg") == NULL, "no svg for arch");
		check(report_sink_for(REPORT_FRONTIER, "svg") != NULL, "svg for frontier");
		check(report_format_at(REPORT_LAWS, 4) == NULL, "four formats for laws");
	}
}

static void test_plan_json(const struct plan *p, const struct report_info *info)
{
	int rc;
	char *j = render_plan("json", p, info, &rc);

	check_int(rc, 0, "plan json: rc");
	check(js_valid(j), "plan json: well formed");
	check(no_nonfinite(j), "plan json: no NaN/Inf");
	js_is(j, "model", "\"mixed\"");
	js_num(j, "budget", 3e20);
	js_is(j, "budget_unit", "\"hours\"");
	js_num(j, "budget_value", 2000);
	js_is(j, "hardware", "\"h100-sxm\"");
	js_num(j, "devices", 8);
	js_is(j, "best", "\"upcycle\"");
	js_is(j, "margin.runner_up", "\"dense\"");
	js_num(j, "margin.loss_delta", 2.1234567890123457 - (2.0500000000000003));

	js_is(j, "paths.dense.law", "\"chinchilla/approach3\"");
	js_is(j, "paths.dense.solved", "true");
	js_num(j, "paths.dense.loss", 2.1234567890123457);
	js_num(j, "paths.dense.variables.N", 1.3e9);
	js_num(j, "paths.dense.variables.D", 2.6e10);
	js_num(j, "paths.dense.params", 1.3e9);
	js_is(j, "paths.dense.params_count", "\"nonemb_total\"");
	js_num(j, "paths.dense.tokens", 2.6e10);
	js_num(j, "paths.dense.flops", 6 * 1.3e9 * 2.6e10);
	js_num(j, "paths.dense.flops_sunk", 0);
	js_num(j, "paths.dense.flops_itemised", 8.1e9 * 2.6e10);
	js_num(j, "paths.dense.arch.layers", 24);
	js_num(j, "paths.dense.arch.kv_heads", 4);
	js_num(j, "paths.dense.arch.experts", 0);
	js_num(j, "paths.dense.arch_params.total", 1.4e9);
	js_num(j, "paths.dense.flops_per_token.training", 8.1e9);
	js_is(j, "paths.dense.warnings", "[]");
	check(js_get(j, "paths.dense.tokens_dense") == NULL,
	      "plan json: no tokens_dense on dense");
	check(js_get(j, "paths.dense.hours") == NULL,
	      "plan json: no hours where unknown");

	js_is(j, "paths.moe.solved", "false");
	js_is(j, "paths.moe.why", "\"no feasible point: \\\"E\\\" needs");
	js_is(j, "paths.moe.loss", "null");
	js_is(j, "paths.moe.law", "\"abnar2025/moe\"");

	js_num(j, "paths.upcycle.loss", 2.0500000000000003);
	js_num(j, "paths.upcycle.baseline_loss", 2.2);
	js_num(j, "paths.upcycle.variables.N1", 1e9);
	js_num(j, "paths.upcycle.variables.D2", 3e10);
	js_num(j, "paths.upcycle.tokens_dense", 2e10);
	js_num(j, "paths.upcycle.tokens_moe", 3e10);
	js_num(j, "paths.upcycle.flops_sunk", 6 * 1e9 * 2e10);
	js_num(j, "paths.upcycle.flops", 6 * 1e9 * 2e10 + 6 * 1.62e9 * 3e10);
	js_num(j, "paths.upcycle.hours", 1800);
	js_num(j, "paths.upcycle.usd", 5400);
	js_num(j, "paths.upcycle.seconds", 1800.0 * 3600 / 8);
	js_num(j, "paths.upcycle.arch.experts", 8);
	js_num(j, "paths.upcycle.arch.top_k", 2);
	js_num(j, "paths.upcycle.arch.d_expert", 5632);
	js_is(j, "paths.upcycle.warnings.0", "\"D2 = 3e10 is outside");
	js_is(j, "paths.upcycle.warnings.1", "\"a \\\"quoted\\\", comma; line\"");

	js_is(j, "warnings.0", "\"hardware profile is a datasheet");
	js_is(j, "warnings.1", "\"upcycle: D2 = 3e10");
	js_is(j, "warnings.2", "\"upcycle: a \\\"quoted");
	check(js_get(j, "warnings.3") == NULL, "plan json: 3 top-level warnings");
	free(j);
}

static void test_plan_yaml(const struct plan *p, const struct report_info *info)
{
	int rc;
	char *y = render_plan("yaml", p, info, &rc);

	check_int(rc, 0, "plan yaml: rc");
	check(no_nonfinite(y), "plan yaml: no NaN/Inf");
	check(strncmp(y, "model: mixed\nbudget: 3.0e+20\nbudget_unit: hours\n",
	              48) == 0, "plan yaml: starts with the request");
	check(strstr(y, "\npaths:\n  dense:\n    law: chinchilla/approach3\n"
	                "    solved: true\n    loss: 2.1234567890123457\n") != NULL,
	      "plan yaml: dense block, loss exact");
	/* "N" is quoted: YAML 1.1 reads a bare N as false */
	check(strstr(y, "\n    variables:\n      \"N\": 1300000000\n"
	                "      D: 26000000000\n") != NULL,
	      "plan yaml: variables by name");
	/* an unsolved path: law, solved, the nulls, then why (the order of
	 * report_fields.h) */
	check(strstr(y, "\n  moe:\n    law: abnar2025/moe\n    solved: false\n"
	                "    loss: null\n    params: null\n    tokens: null\n"
	                "    flops: null\n"
	                "    why: \"no feasible point: \\\"E\\\" needs") != NULL,
	      "plan yaml: unsolved moe with why");
	check(strstr(y, "\n    loss: 2.0500000000000003\n") != NULL,
	      "plan yaml: upcycle loss with 17 digits");
	check(strstr(y, "\n    warnings:\n      - D2 = 3e10 is outside") == NULL &&
	      strstr(y, "\n    warnings:\n      - \"D2 = 3e10 is outside") != NULL,
	      "plan yaml: warning with ',' '[' quoted");
	check(strstr(y, "\nbest: upcycle\nbest_extrapolated: false\n"
	                "best_within_fit: upcycle\nmargin:\n  runner_up: dense\n")
	      != NULL,
	      "plan yaml: best and margin");
	check(strstr(y, "\nwarnings:\n  - hardware profile is a datasheet, not "
	                "calibrated\n") != NULL ||
	      strstr(y, "\nwarnings:\n  - \"hardware profile is a datasheet, not "
	                "calibrated\"\n") != NULL,
	      "plan yaml: top-level warnings");
	free(y);
}

/* Fields of one CSV line (RFC 4180 quoting); returns the count. */
static int csv_split(const char *line, char field[][400], int max)
{
	int n = 0;
	size_t k = 0;
	int q = 0;

	field[0][0] = '\0';
	for (const char *s = line; *s && *s != '\n'; s++) {
		if (q && *s == '"' && s[1] == '"') {
			field[n][k++] = '"';
			s++;
		} else if (*s == '"') {
			q = !q;
		} else if (!q && *s == ',') {
			field[n][k] = '\0';
			if (++n >= max)
				return n;
			k = 0;
		} else if (k < 399) {
			field[n][k++] = *s;
		}
	}
	field[n][k] = '\0';
	return n + 1;
}

static int csv_col(char head[][400], int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (strcmp(head[i], name) == 0)
			return i;
	return -1;
}

static void test_plan_csv(const struct plan *p, const struct report_info *info)
{
	static char head[128][400], row[128][400];
	int rc, nh, nr, rows = 0;
	char *c = render_plan("csv", p, info, &rc), *line, *save = NULL;

	check_int(rc, 0, "plan csv: rc");
	check(no_nonfinite(c), "plan csv: no NaN/Inf");
	line = strtok_r(c, "\n", &save);
	nh = csv_split(line, head, 128);
	check(strncmp(line, "budget,path,law,solved,best,loss,", 33) == 0,
	      "plan csv: header");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char what[64];

		nr = csv_split(line, row, 128);
		snprintf(what, sizeof what, "plan csv: row %d column count", ++rows);
		check_int(nr, nh, what);
		if (strcmp(row[1], "dense") == 0) {
			check(strtod(row[csv_col(head, nh, "loss")], NULL) ==
			      2.1234567890123457, "plan csv: dense loss exact");
			check(strtod(row[csv_col(head, nh, "flops")], NULL) ==
			      6 * 1.3e9 * 2.6e10, "plan csv: dense flops exact");
			check_str(row[csv_col(head, nh, "tokens_dense")], "",
			          "plan csv: no tokens_dense on dense");
			check_str(row[csv_col(head, nh, "variables")],
			          "N=1300000000;D=26000000000", "plan csv: variables");
			check_str(row[csv_col(head, nh, "best")], "0", "plan csv: not best");
		} else if (strcmp(row[1], "moe") == 0) {
			check_str(row[csv_col(head, nh, "solved")], "0",
			          "plan csv: moe unsolved");
			check_str(row[csv_col(head, nh, "loss")], "",
			          "plan csv: moe loss empty");
			check(strncmp(row[csv_col(head, nh, "why")],
			              "no feasible point: \"E\" needs", 28) == 0,
			      "plan csv: why unquoted back");
		} else if (strcmp(row[1], "upcycle") == 0) {
			check(strtod(row[csv_col(head, nh, "loss")], NULL) ==
			      2.0500000000000003, "plan csv: upcycle loss exact");
			check(strtod(row[csv_col(head, nh, "flops_sunk")], NULL) ==
			      6 * 1e9 * 2e10, "plan csv: sunk flops exact");
			check_str(row[csv_col(head, nh, "experts")], "8",
			          "plan csv: experts");
			check_str(row[csv_col(head, nh, "best")], "1", "plan csv: best");
			check_str(row[csv_col(head, nh, "warnings")],
			          "D2 = 3e10 is outside the fitted range [5e9, 2e10]; "
			          "a \"quoted\", comma; line",
			          "plan csv: warnings joined and unquoted back");
		}
	}
	check_int(rows, 3, "plan csv: one row per planned path");
	free(c);
}

static void test_plan_table(const struct plan *p, const struct report_info *info)
{
	int rc;
	char *t = render_plan("table", p, info, &rc);

	check_int(rc, 0, "plan table: rc");
	fputs(t, stdout);
	check(no_nonfinite(t), "plan table: no NaN/Inf");
	check(strstr(t, "plan for 2k device-hours, model mixed, "
	                "hardware h100-sxm x 8\n") != NULL, "plan table: header");
	check(strstr(t, "2.1235") != NULL, "plan table: dense loss 4 decimals");
	check(strstr(t, "2.0500") != NULL, "plan table: upcycle loss 4 decimals");
	check(strstr(t, "N=1.3B, D=26B") != NULL, "plan table: dense variables");
	check(strstr(t, "N1=1B, D1=20B, D2=30B") != NULL,
	      "plan table: upcycle variables");
	check(strstr(t, "2.0e20") != NULL, "plan table: 6ND = 2.028e20 as 2.0e20");
	check(strstr(t, "1.2e20") != NULL, "plan table: sunk compute");
	check(strstr(t, "8 / 2") != NULL, "plan table: experts / top_k");
	check(strstr(t, "$5.4k") != NULL, "plan table: cost");
	check(strstr(t, "best: upcycle (loss 2.0500), 0.0735 nats (3.46%) below "
	                "dense\n") != NULL, "plan table: verdict");
	check(strstr(t, "not solved:\n  moe: no feasible point") != NULL,
	      "plan table: why");
	check(strstr(t, "warnings:\n  hardware profile is a datasheet, not "
	                "calibrated\n  upcycle: D2 = 3e10") != NULL,
	      "plan table: warnings");
	free(t);
}

/* A NaN that slipped through prints as null / empty / "-", never "nan". */
static void test_plan_nonfinite(struct plan *p, const struct report_info *info)
{
	const char *fmts[] = { "table", "csv", "json", "yaml" };

	p->path[PATH_DENSE].flops_itemised = NAN;
	p->path[PATH_DENSE].loss = INFINITY;
	p->path[PATH_UPCYCLE].x[1] = NAN;
	for (size_t i = 0; i < 4; i++) {
		int rc;
		char *s = render_plan(fmts[i], p, info, &rc), what[64];

		snprintf(what, sizeof what, "%s: NaN/Inf never printed", fmts[i]);
		check(rc == 0 && no_nonfinite(s), what);
		if (strcmp(fmts[i], "json") == 0) {
			check(js_valid(s), "json with NaN input still well formed");
			js_is(s, "paths.dense.flops_itemised", "null");
			js_is(s, "paths.dense.loss", "null");
		}
		free(s);
	}
}

static void test_plan_none(void)
{
	struct plan p;
	struct report_info info;
	int rc;
	char *j, *t;

	memset(&p, 0, sizeof p);
	p.budget = 1e21;
	p.best = -1;
	p.path[PATH_MOE].law = &law_moe;
	snprintf(p.path[PATH_MOE].why, PLAN_WARN_LEN, "unfitted law");
	report_info_init(&info);
	j = render_plan("json", &p, &info, &rc);
	check(js_valid(j), "no best: json well formed");
	js_is(j, "best", "null");
	js_is(j, "margin", "null");
	js_is(j, "model", "null");
	js_is(j, "budget_unit", "\"flops\"");
	js_num(j, "budget_value", 1e21);
	check(js_get(j, "paths.dense") == NULL, "no best: unplanned path absent");
	free(j);
	t = render_plan("table", &p, &info, &rc);
	check(strstr(t, "best: none") != NULL, "no best: table says none");
	free(t);
}

/* ---- frontier ----------------------------------------------------------- */

static void make_frontier(struct frontier *fr, struct frontier_point *pt,
                          struct crossover *cx)
{
	memset(pt, 0, 3 * sizeof *pt);
	for (int k = 0; k < 3; k++) {
		pt[k].budget = 1e20 * pow(10, k);
		pt[k].solved[PATH_DENSE] = 1;
		pt[k].loss[PATH_DENSE] = 2.5 - 0.1 * k;
		pt[k].params[PATH_DENSE] = 1e9 * (k + 1);
		pt[k].tokens[PATH_DENSE] = 2e10 * (k + 1);
		pt[k].solved[PATH_MOE] = k > 0;      /* moe unsolved at 1e20 */
		pt[k].loss[PATH_MOE] = k > 0 ? 2.45 - 0.15 * k : NAN;
		pt[k].params[PATH_MOE] = k > 0 ? 5e8 * k : NAN;
		pt[k].tokens[PATH_MOE] = k > 0 ? 4e10 * k : NAN;
		pt[k].best = k > 0 ? PATH_MOE : PATH_DENSE;
	}
	/* the moe optimum at 1e22 is outside its law's fit ranges */
	pt[2].extrap[PATH_MOE] = 1;
	strcpy(pt[2].extrap_vars[PATH_MOE], "N,D");
	cx->budget = 3.1622776601683794e20;
	cx->from = PATH_DENSE;
	cx->to = PATH_MOE;
	fr->n = 3;
	fr->pt = pt;
	fr->n_cross = 1;
	fr->cross = cx;
}

static void test_frontier(void)
{
	struct frontier_point pt[3];
	struct crossover cx;
	struct frontier fr;
	struct report_info info;
	int rc, lines = 0;
	char *s, *l, *save = NULL;
	static char f[32][400];
	const char *csv_head = "budget,dense_loss,moe_loss,upcycle_loss,"
		"continue_loss,best,dense_params,moe_params,upcycle_params,"
		"continue_params,dense_tokens,moe_tokens,upcycle_tokens,"
		"continue_tokens,dense_extrapolated,moe_extrapolated,"
		"upcycle_extrapolated,continue_extrapolated,dense_extrapolated_vars,"
		"moe_extrapolated_vars,upcycle_extrapolated_vars,"
		"continue_extrapolated_vars,checkpoint_loss\n";

	make_frontier(&fr, pt, &cx);
	report_info_init(&info);
	info.model = "chinchilla";
	info.law[PATH_DENSE] = "chinchilla/approach3";
	info.law[PATH_MOE] = "abnar2025/moe";

	s = render_frontier("csv", &fr, &info, &rc);
	check_int(rc, 0, "frontier csv: rc");
	check(no_nonfinite(s), "frontier csv: no NaN/Inf");
	check(strncmp(s, csv_head, strlen(csv_head)) == 0, "frontier csv: header");
	for (l = strtok_r(s, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		check_int(csv_split(l, f, 32), 23, "frontier csv: 23 columns");
	free(s);
	s = render_frontier("csv", &fr, &info, &rc);
	check(strstr(s, "\n1e+20,2.5,,,,dense,1000000000,,,,20000000000,,,,0,,,,"
	                ",,,,\n")
	      != NULL,
	      "frontier csv: unsolved cells empty");
	/* 2.45 - 0.15 is 2.3000000000000003 in binary64 */
	check(strstr(s, "\n1e+21,2.4,2.3000000000000003,,,moe,2000000000,"
	                "500000000,,,40000000000,40000000000,,,0,0,,,,,,,\n") != NULL,
	      "frontier csv: second row");
	check(strstr(s, ",0,1,,,,N;D,,,\n") != NULL,
	      "frontier csv: moe extrapolated at 1e22 in N and D");
	for (l = s; (l = strchr(l, '\n')) != NULL; l++)
		lines++;
	check_int(lines, 4, "frontier csv: header + 3 rows");
	free(s);

	s = render_frontier("json", &fr, &info, &rc);
	check_int(rc, 0, "frontier json: rc");
	check(js_valid(s), "frontier json: well formed");
	check(no_nonfinite(s), "frontier json: no NaN/Inf");
	js_is(s, "laws.dense", "\"chinchilla/approach3\"");
	js_num(s, "points.0.budget", 1e20);
	js_is(s, "points.0.best", "\"dense\"");
	js_is(s, "points.0.paths.moe.solved", "false");
	js_is(s, "points.0.paths.moe.loss", "null");
	js_num(s, "points.2.paths.moe.loss", 2.45 - 0.15 * 2);
	js_num(s, "points.2.paths.dense.tokens", 2e10 * 3);
	check(js_get(s, "points.3") == NULL, "frontier json: 3 points");
	check(js_get(s, "points.0.paths.upcycle") == NULL,
	      "frontier json: unplanned path absent");
	js_num(s, "crossovers.0.budget", 3.1622776601683794e20);
	js_is(s, "crossovers.0.from", "\"dense\"");
	js_is(s, "crossovers.0.to", "\"moe\"");
	js_is(s, "points.2.paths.moe.extrapolated", "true");
	js_is(s, "points.2.paths.moe.extrapolated_vars.1", "\"D\"");
	js_is(s, "points.1.paths.moe.extrapolated", "false");
	free(s);

	s = render_frontier("yaml", &fr, &info, &rc);
	check_int(rc, 0, "frontier yaml: rc");
	check(strstr(s, "\npoints:\n  - budget: 1.0e+20\n    best: dense\n"
	                "    paths:\n      dense:\n        solved: true\n") != NULL,
	      "frontier yaml: points");
	check(strstr(s, "\ncrossovers:\n  - budget: 3.1622776601683794e+20\n"
	                "    from: dense\n    to: moe\n") != NULL,
	      "frontier yaml: crossovers");
	free(s);

	s = render_frontier("svg", &fr, &info, &rc);
	check_int(rc, 0, "frontier svg: rc");
	check(strstr(s, "id=\"extrap-moe-2\"") != NULL &&
	      strstr(s, "id=\"extrap-moe-1\"") == NULL &&
	      strstr(s, "id=\"extrap-dense-") == NULL,
	      "frontier svg: a bar where moe is extrapolated, none elsewhere");
	check(strstr(s, "outside the fit ranges in N,D</title>") != NULL,
	      "frontier svg: the bar names the variables");
	check(strstr(s, "class=\"extrapolated-best\"") != NULL,
	      "frontier svg: the best path's extrapolated budget shaded");
	free(s);

	s = render_frontier("table", &fr, &info, &rc);
	check_int(rc, 0, "frontier table: rc");
	fputs(s, stdout);
	check(no_nonfinite(s), "frontier table: no NaN/Inf");
	check(strstr(s, "budget    dense      moe   best  params  tokens  "
	                "outside fit\n") != NULL, "frontier table: header aligned");
	check(strstr(s, "1.0e20  2.5000        -   dense      1B     20B            "
	                "-\n") != NULL, "frontier table: unsolved as -");
	check(strstr(s, "1.0e22  2.3000   2.1500*    moe      1B     80B      "
	                "moe N,D\n") != NULL, "frontier table: extrapolation marked");
	check(strstr(s, "\n* extrapolated: ") != NULL, "frontier table: legend");
	check(strstr(s, "crossovers:\n  3.2e20 FLOPs: dense -> moe\n") != NULL,
	      "frontier table: crossover");
	free(s);
}

int main(void)
{
	struct plan p;
	struct report_info info;

	make_laws();
	make_plan(&p);
	make_info(&info);
	test_find();
	test_plan_json(&p, &info);
	test_plan_yaml(&p, &info);
	test_plan_csv(&p, &info);
	test_plan_table(&p, &info);
	test_plan_nonfinite(&p, &info);
	test_plan_none();
	test_frontier();
	return check_done();
}
