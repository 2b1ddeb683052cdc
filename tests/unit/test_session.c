/*
 * test_session.c — the session layer (io/session.h) and the name-or-file
 * resolver (io/resolve.h): what a spec loads, that an apply reloads only
 * what changed and leaves the session as it was when it fails, the
 * checkpoint rules, budgets in hours and money, and the search and
 * listing of models, hardware profiles (datasheet and calibrated) and
 * architectures.  Needs MOEPLAN_DATADIR (make check sets it).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/resolve.h"
#include "io/session.h"
#include "tap.h"

static char datadir[4096];

/* price_per_hour as the data file writes it, read here with sscanf. */
static double file_price(const char *name)
{
	char path[8192], line[512];
	double price = NAN;
	FILE *f;

	snprintf(path, sizeof path, "%s/share/hardware/%s.yaml", datadir, name);
	if ((f = fopen(path, "r")) == NULL)
		return NAN;
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "price_per_hour: %lf", &price) == 1)
			break;
	fclose(f);
	return price;
}

static void test_defaults(void)
{
	struct session_spec spec;
	struct session *s;
	struct mp_error e;
	int rc;

	session_spec_init(&spec);
	rc = session_open(&spec, &s, &e);
	check(rc == SESSION_OK, "the default spec opens");
	if (rc != SESSION_OK)
		return;
	check_str(s->model->name, "liew2025", "default law set: liew2025");
	for (int p = 0; p < PATH_COUNT; p++)
		check(p == PATH_CONTINUE ? s->req.laws[p] == NULL
		                         : s->req.laws[p] != NULL,
		      "every path has a law, continue none without a checkpoint");
	check(!s->has_profile && s->req.cost == NULL, "no hardware: FLOPs only");
	check(s->req.shape == &s->model->shape, "the request's shape is the "
	      "model's");
	check_str(s->law_label[PATH_UPCYCLE], "liew2025/upcycled",
	          "label of the upcycle law");
	check(s->req.baseline != NULL && strcmp(s->req.baseline->name, "dense") == 0,
	      "upcycling starts from the dense law");
	session_free(s);
}

static void test_reload(void)
{
	struct session_spec spec;
	struct session *s;
	struct model *m;
	struct mp_error e;
	unsigned gen;
	double price = file_price("h100-sxm");

	session_spec_init(&spec);
	session_spec_set(spec.hardware, "h100-sxm");
	if (session_open(&spec, &s, &e) != SESSION_OK) {
		check(0, "h100-sxm opens");
		return;
	}
	check(s->has_profile && s->req.cost == &s->profile.model,
	      "the request's cost model is the session's profile's");
	check_rel(s->req.price, price, 0, "price: the profile file's");
	m = s->model;
	gen = s->gen;
	spec.paths = 1u << PATH_DENSE;
	spec.devices = 8;
	spec.price = 2.5;
	check(session_apply(s, &spec, &e) == SESSION_OK, "paths, devices, price");
	check(s->model == m && s->gen == gen, "same law set and profile: nothing "
	      "reloaded");
	check(s->req.laws[PATH_MOE] == NULL && s->req.laws[PATH_DENSE] != NULL,
	      "only the dense path");
	check(s->req.devices == 8 && s->req.price == 2.5, "devices and --price");

	session_spec_set(spec.laws, "nosuchmodel");
	check(session_apply(s, &spec, &e) == SESSION_FAILED &&
	      strstr(e.msg, "unknown model 'nosuchmodel'") != NULL,
	      "an unknown model fails");
	check(s->model == m && s->gen == gen && s->req.laws[PATH_DENSE] != NULL &&
	      strcmp(s->spec.laws, "liew2025") == 0,
	      "and leaves the session as it was");
	session_spec_set(spec.laws, "chinchilla:unrounded");
	check(session_apply(s, &spec, &e) == SESSION_OK && s->gen == gen + 1 &&
	      strcmp(s->req.laws[PATH_DENSE]->name, "unrounded") == 0,
	      "another law set is loaded");
	spec.hardware[0] = '\0';
	spec.devices = 0;
	spec.price = NAN;
	check(session_apply(s, &spec, &e) == SESSION_OK && !s->has_profile &&
	      s->req.cost == NULL, "dropping the hardware drops the profile");
	session_free(s);
}

static void test_checkpoint(void)
{
	struct session_spec spec;
	struct session *s;
	struct mp_error e;

	session_spec_init(&spec);
	spec.ckpt.N1 = 1e9;
	if (session_open(&spec, &s, &e) != SESSION_OK) {
		check(0, "a checkpoint given by half still opens");
		return;
	}
	check(!s->req.has_checkpoint && s->n_note == 1 &&
	      strstr(s->note[0], "both N1 and D1") != NULL,
	      "N1 alone: not used, and a note says why");
	spec.ckpt.D1 = 1e11;
	spec.ckpt.paid = 1;
	check(session_apply(s, &spec, &e) == SESSION_OK && s->req.has_checkpoint &&
	      s->req.ckpt_params == 1e9 && s->req.ckpt_tokens == 1e11 &&
	      s->req.ckpt_paid && s->n_note == 0, "N1 and D1: used, paid");
	check(s->req.laws[PATH_CONTINUE] == s->req.laws[PATH_DENSE],
	      "a checkpoint plans continue with the dense law");
	spec.paths = 1u << PATH_DENSE | 1u << PATH_MOE;
	check(session_apply(s, &spec, &e) == SESSION_BAD_SPEC &&
	      strstr(e.msg, "neither an upcycle nor a continue path") != NULL,
	      "a checkpoint with no upcycle or continue path planned: refused");
	check(s->req.has_checkpoint && s->req.laws[PATH_UPCYCLE] != NULL,
	      "the refused spec changed nothing");
	spec.paths = 0;
	spec.ckpt.D1 = -1;
	check(session_apply(s, &spec, &e) == SESSION_BAD_SPEC &&
	      strstr(e.msg, "positive") != NULL, "a negative D1: refused");
	spec.ckpt.D1 = INFINITY;
	check(session_apply(s, &spec, &e) == SESSION_BAD_SPEC,
	      "an infinite D1: refused");
	session_free(s);
	session_spec_init(&spec);
	session_spec_set(spec.laws, "chinchilla");
	spec.ckpt.N1 = 1e9;
	spec.ckpt.D1 = 1e11;
	check(session_open(&spec, &s, &e) == SESSION_OK &&
	      s->req.has_checkpoint && s->req.laws[PATH_CONTINUE] != NULL &&
	      s->req.laws[PATH_UPCYCLE] == NULL,
	      "a checkpoint for a law set with a dense law and no upcycle law: "
	      "continued");
	session_free(s);
	session_spec_set(spec.laws, "abnar2025");
	check(session_open(&spec, &s, &e) == SESSION_BAD_SPEC && s == NULL,
	      "a checkpoint for a law set with no upcycle or dense law: refused");
	session_spec_init(&spec);
	session_spec_set(spec.ckpt.arch, "llama-2-7b");
	spec.ckpt.D1 = 2e12;
	check(session_open(&spec, &s, &e) == SESSION_OK && s->req.has_ckpt_arch &&
	      s->req.ckpt_params == 6738415616.0 &&
	      s->req.ckpt_arch.d_ff == 11008,
	      "--checkpoint-arch llama-2-7b: N1 is its total, 6,738,415,616 "
	      "(its config), the architecture kept");
	session_free(s);
	spec.ckpt.N1 = 7e9;
	check(session_open(&spec, &s, &e) == SESSION_BAD_SPEC &&
	      strstr(e.msg, "not both") != NULL,
	      "N1 and an architecture: refused");
	spec.ckpt.N1 = NAN;
	session_spec_set(spec.ckpt.arch, "mixtral-8x7b");
	check(session_open(&spec, &s, &e) == SESSION_BAD_SPEC &&
	      strstr(e.msg, "dense") != NULL, "an MoE checkpoint: refused");
}

static void test_budget(void)
{
	struct session_spec spec;
	struct session *s;
	struct mp_error e;
	double price = file_price("h100-sxm");

	session_spec_init(&spec);
	spec.unit = UNIT_HOURS;
	check(session_open(&spec, &s, &e) == SESSION_BAD_SPEC &&
	      strstr(e.msg, "needs a hardware profile") != NULL,
	      "hours without hardware: refused");
	session_spec_set(spec.hardware, "h100-sxm");
	if (session_open(&spec, &s, &e) != SESSION_OK) {
		check(0, "hours on h100-sxm opens");
		return;
	}
	check(s->req.budget_is_time, "a budget in hours is spent as time");
	check(session_budget(s, 2000, &e) == SESSION_OK, "2000 hours");
	check_rel(s->req.budget, 2000 * 3600.0, 1e-15,
	          "2000 device-hours are 7.2e6 device-seconds");
	spec.unit = UNIT_USD;
	check(session_apply(s, &spec, &e) == SESSION_OK &&
	      session_budget(s, 300e3, &e) == SESSION_OK, "$300k");
	check_rel(s->req.budget, 300e3 / price * 3600, 1e-15,
	          "$300k at the profile's price, in device-seconds");
	spec.price = 1e-300;
	check(session_apply(s, &spec, &e) == SESSION_OK &&
	      session_budget(s, 1e300, &e) == SESSION_BAD_SPEC,
	      "a budget that overflows device-seconds: refused");
	session_free(s);
}

/* A calibrated profile directory with one profile of its own and one
 * that shadows nothing (a datasheet of the same name comes first). */
static int make_profiles(char *home, size_t n)
{
	char path[8192];
	FILE *f;

	snprintf(home, n, "%s", "/tmp/moeplan-test-session.XXXXXX");
	if (mkdtemp(home) == NULL)
		return -1;
	setenv("XDG_DATA_HOME", home, 1);
	snprintf(path, sizeof path, "%s/moeplan", home);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/moeplan/profiles", home);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/moeplan/profiles/myhost.yaml", home);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fclose(f);
	snprintf(path, sizeof path, "%s/moeplan/profiles/h100-sxm.yaml", home);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	fclose(f);
	return 0;
}

static void remove_profiles(const char *home)
{
	char path[8192];

	snprintf(path, sizeof path, "%s/moeplan/profiles/myhost.yaml", home);
	remove(path);
	snprintf(path, sizeof path, "%s/moeplan/profiles/h100-sxm.yaml", home);
	remove(path);
	snprintf(path, sizeof path, "%s/moeplan/profiles", home);
	rmdir(path);
	snprintf(path, sizeof path, "%s/moeplan", home);
	rmdir(path);
	rmdir(home);
}

static void test_resolve(void)
{
	struct resolve_entry *list;
	struct mp_error e;
	char home[256], want[8192], *path;
	size_t n;
	int found = -1, h100 = -1;

	path = resolve_find(RESOLVE_ARCH, "mixtral-8x7b", NULL, &e);
	snprintf(want, sizeof want, "%s/share/arch/mixtral-8x7b.yaml", datadir);
	check(path != NULL && strcmp(path, want) == 0,
	      "arch NAME -> share/arch/NAME.yaml");
	free(path);
	check(resolve_find(RESOLVE_ARCH, "no-such-arch", NULL, &e) == NULL &&
	      strstr(e.msg, "unknown arch 'no-such-arch'") != NULL &&
	      strstr(e.msg, "share/arch") != NULL,
	      "an unknown arch names where it looked");
	if (make_profiles(home, sizeof home) != 0) {
		check(0, "a calibrated-profiles directory");
		return;
	}
	path = resolve_find(RESOLVE_HARDWARE, "myhost", NULL, &e);
	check(path != NULL && strncmp(path, home, strlen(home)) == 0,
	      "a calibrated profile is found by name");
	free(path);
	path = resolve_find(RESOLVE_HARDWARE, "h100-sxm", NULL, &e);
	check(path != NULL && strstr(path, "share/hardware/h100-sxm.yaml"),
	      "a datasheet comes before a calibrated profile of the same name");
	free(path);
	check(resolve_list(RESOLVE_HARDWARE, NULL, &list, &n, &e) == 0,
	      "hardware is listed");
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i].name, "myhost") == 0)
			found = (int)i;
		if (strcmp(list[i].name, "h100-sxm") == 0)
			check(h100 < 0 && strstr(list[i].path, "share/hardware") != NULL,
			      "h100-sxm listed once, as the datasheet");
		if (strcmp(list[i].name, "h100-sxm") == 0)
			h100 = (int)i;
	}
	check(found > h100 && h100 >= 0, "calibrated profiles after the "
	      "datasheets");
	resolve_list_free(list, n);
	remove_profiles(home);
}

/* ---- variants: liew2025's log10 reading of the upcycled law ------------ */

#define K_LIEW 1.642   /* Na/N1: 1 + 0.642 (top_k - 1), top-2 */

/* Liew et al. 2025, Table 2, the upcycled row, written out here: the
 * interaction term's log as the natural log (the file's own reading) or
 * as log10 (its variant). */
static double upcycled(double N1, double D1, double D2, int log10_reading)
{
	double l = log10_reading ? log10(D1) : log(D1);

	return 16.3 * pow(D1, -0.043) * pow(D2, -0.085 + 7.98e-4 * l) +
	       8.53 * pow(N1, -0.112) + 0.165;
}

/* The best upcycled loss for budget C (paid dense phase: 6 N1 D1 +
 * 6 Na D2 = C), by a grid in log N1, log D1 refined three times around
 * its best point; inside the solver's box (counts from 1e3). */
static double upcycled_opt(double C, int log10_reading)
{
	double lo_n = log(1e3), hi_n = log(C / 6e3), lo_d = log(1e3);
	double hi_d = log(C / 6e3), best = INFINITY, bn = 0, bd = 0;

	for (int round = 0; round < 4; round++) {
		double sn = (hi_n - lo_n) / 80, sd = (hi_d - lo_d) / 80;

		for (int i = 0; i <= 80; i++)
			for (int j = 0; j <= 80; j++) {
				double N1 = exp(lo_n + i * sn), D1 = exp(lo_d + j * sd);
				double D2 = (C - 6 * N1 * D1) / (6 * K_LIEW * N1), L;

				if (!(D2 >= 1e3))
					continue;
				L = upcycled(N1, D1, D2, log10_reading);
				if (L < best) {
					best = L;
					bn = log(N1);
					bd = log(D1);
				}
			}
		lo_n = bn - 3 * sn;
		hi_n = bn + 3 * sn;
		lo_d = bd - 3 * sd;
		hi_d = bd + 3 * sd;
	}
	return best;
}

/* Liew's MoE law along 6 Na D = C: L = A D^-alpha + B N1^-beta + E has
 * the closed form of Hoffmann et al. 2022 (eq. 4, Appendix D.2). */
static double moe_opt(double C)
{
	double a = 7.05, b = 32.0, p = 0.080, q = 0.161, k = K_LIEW;
	double G = pow(p * a / (q * b), 1 / (p + q));
	double N = G * pow(C / (6 * k), q / (p + q)), D = C / (6 * k * N);

	return 32.0 * pow(D, -0.161) + 7.05 * pow(N, -0.080) + 0.165;
}

static void test_variants(void)
{
	struct session_spec spec;
	struct report_variant v[REPORT_MAX_VARIANTS];
	struct session *s;
	struct mp_error e;
	const struct law *L, *B;
	double x[LAW_MAX_VARS] = { 0 };
	size_t n;
	int rc;

	session_spec_init(&spec);
	spec.paths = 1u << PATH_MOE | 1u << PATH_UPCYCLE;
	rc = session_open(&spec, &s, &e);
	check(rc == SESSION_OK, "moe,upcycle opens");
	if (rc != SESSION_OK)
		return;
	check(s->model->n_variants == 1, "liew2025 declares one variant");
	check_str(model_variant_name(s->model, -1), "ln", "its own reading: ln");
	check(s->variant == -1, "the default plans with the file's own");
	B = s->req.laws[PATH_UPCYCLE];
	L = model_law_in(s->model, model_variant_index(s->model, "log10"), B);
	check(L != B && L->variant && strcmp(L->variant, "log10") == 0,
	      "log10: a law of its own");
	check(model_law_in(s->model, 0, s->req.laws[PATH_MOE]) ==
	      s->req.laws[PATH_MOE], "log10 leaves the moe law alone");
	x[law_var_index(L, "N1")] = 1e9;
	x[law_var_index(L, "D1")] = 1e11;
	x[law_var_index(L, "D2")] = 1e11;
	check_rel(law_loss(L, x), upcycled(1e9, 1e11, 1e11, 1), 1e-12,
	          "log10 reading at N1=1e9, D1=D2=1e11");
	check_rel(law_loss(B, x), upcycled(1e9, 1e11, 1e11, 0), 1e-12,
	          "ln reading at N1=1e9, D1=D2=1e11");
	check(fabs(law_loss(L, x) - law_loss(B, x)) > 0.1, "the readings differ");
	for (double lc = 18; lc <= 26.001; lc += 2) {
		double C = pow(10, lc), moe = moe_opt(C);
		int up_ln = upcycled_opt(C, 0) < moe, up_10 = upcycled_opt(C, 1) < moe;
		char what[96];

		if (session_budget(s, C, &e) != SESSION_OK ||
		    session_variants(s, v, &n, &e) != 0 || n != 1) {
			check(0, "variants at a budget");
			continue;
		}
		printf("# 1e%.0f: moe %.4f, upcycle ln %.4f, log10 %.4f\n", lc, moe,
		       upcycled_opt(C, 0), upcycled_opt(C, 1));
		snprintf(what, sizeof what, "1e%.0f: under log10 the best is the "
		         "oracle's (%s)", lc, up_10 ? "upcycle" : "moe");
		check(strcmp(v[0].name, "log10") == 0 &&
		      v[0].best == (up_10 ? PATH_UPCYCLE : PATH_MOE), what);
		snprintf(what, sizeof what, "1e%.0f: under ln the oracle's best is "
		         "moe, under log10 upcycle (the verdict flips)", lc);
		check(!up_ln && up_10, what);
	}
	session_free(s);

	/* --variant log10: the request reads the upcycled law that way, and
	 * the file's own reading is the other one */
	snprintf(spec.variant, sizeof spec.variant, "log10");
	rc = session_open(&spec, &s, &e);
	check(rc == SESSION_OK && s->variant == 0, "--variant log10 opens");
	if (rc == SESSION_OK) {
		check(s->req.laws[PATH_UPCYCLE] == L || (s->req.laws[PATH_UPCYCLE]->variant &&
		      strcmp(s->req.laws[PATH_UPCYCLE]->variant, "log10") == 0),
		      "the upcycle law is the log10 reading");
		check_str(s->law_label[PATH_UPCYCLE], "liew2025/upcycled [log10]",
		          "its label says so");
		check(session_budget(s, 1e22, &e) == SESSION_OK &&
		      session_variants(s, v, &n, &e) == 0 && n == 1 &&
		      strcmp(v[0].name, "ln") == 0 && v[0].best == PATH_MOE,
		      "under ln (the other reading) moe is best");
		session_free(s);
	}
	snprintf(spec.variant, sizeof spec.variant, "log2");
	rc = session_open(&spec, &s, &e);
	check(rc == SESSION_BAD_SPEC, "an unknown variant is a usage error");
	check_str(e.msg, "--variant: model liew2025 has no variant 'log2' (it "
	          "has: ln, log10)", "listing the variants");
}

int main(void)
{
	const char *d = getenv("MOEPLAN_DATADIR");

	if (d == NULL) {
		fprintf(stderr, "test_session: set MOEPLAN_DATADIR\n");
		return 1;
	}
	snprintf(datadir, sizeof datadir, "%s", d);
	test_defaults();
	test_reload();
	test_checkpoint();
	test_budget();
	test_resolve();
	test_variants();
	return check_done();
}
