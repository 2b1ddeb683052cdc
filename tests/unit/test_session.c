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
	return check_done();
}
