/*
 * test_hparams.c — batch size and learning rate from compute
 * (core/hparams.h, io/hparam_load.h, share/hparams/deepseek2024.yaml).
 *
 * Against DeepSeek-AI 2024 (arXiv:2401.02954), Sec. 3.1, eq. 1:
 * B_opt = 0.2920 C^0.3271 tokens, eta_opt = 0.3118 C^-0.1250, written here
 * again; fitted on 1e17 to 2e19 FLOPs, so 1e16 and 1e24 are extrapolations.
 * Against the paper's DeepSeek LLM 7B, as recalled from its Table 2 (not
 * re-read in this session): 30 layers, d_model 4096, sequence 4096, 2T
 * tokens, batch 2304 sequences, peak learning rate 4.2e-4; its compute is
 * C = M D with M = 72 n_layer d_model^2 + 12 n_layer d_model l_seq
 * (Sec. 3.2).  The formula should give that run's choices to a few percent.
 * And malformed files, each error at file:line:col.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/hparams.h"
#include "io/hparam_load.h"
#include "tap.h"

static struct hparams *h;

static void test_constants(void)
{
	check_rel(h->batch_coef, 0.2920, 1e-12, "batch coefficient 0.2920");
	check_rel(h->batch_exp, 0.3271, 1e-12, "batch exponent 0.3271");
	check_rel(h->lr_coef, 0.3118, 1e-12, "lr coefficient 0.3118");
	check_rel(h->lr_exp, -0.1250, 1e-12, "lr exponent -0.1250");
	check(h->compute != NULL && strstr(h->compute, "non-embedding") != NULL,
	      "compute is C = M D, M non-embedding FLOPs per token");
	check(h->source != NULL && strstr(h->source, "2401.02954") != NULL,
	      "source cites arXiv:2401.02954");
}

static void test_formula(void)
{
	static const double Cs[] = { 1e17, 1e18, 2e19, 1e20, 1e22, 1e24 };
	struct hparams_pick p;
	struct mp_error err;
	char what[80];

	for (size_t i = 0; i < sizeof Cs / sizeof Cs[0]; i++) {
		double C = Cs[i];

		check(hparams_suggest(h, C, &p, &err) == 0, "suggest");
		snprintf(what, sizeof what, "B_opt at %g FLOPs", C);
		check_rel(p.batch_tokens, 0.2920 * exp(0.3271 * log(C)), 1e-12, what);
		snprintf(what, sizeof what, "eta_opt at %g FLOPs", C);
		check_rel(p.lr, 0.3118 / exp(0.125 * log(C)), 1e-12, what);
		snprintf(what, sizeof what, "%g FLOPs %s the fit", C,
		         C <= 2e19 ? "inside" : "outside");
		check(p.extrapolated == (C > 2e19), what);
	}
	check(hparams_suggest(h, 1e16, &p, &err) == 0 && p.extrapolated,
	      "1e16 FLOPs: below the fit, extrapolated");
	check(hparams_suggest(h, 0, &p, &err) == -1 && isnan(p.lr) &&
	      err.msg[0] != '\0', "C = 0 refused");
	check(hparams_suggest(h, NAN, &p, &err) == -1, "C = NAN refused");
	check(hparams_suggest(NULL, 1e20, &p, &err) == -1, "no law refused");
}

static void test_deepseek_7b(void)
{
	const double n_layer = 30, d = 4096, seq = 4096, D = 2e12;
	double M = 72 * n_layer * d * d + 12 * n_layer * d * seq;
	struct hparams_pick p;
	struct mp_error err;

	check(hparams_suggest(h, M * D, &p, &err) == 0, "7B: suggest");
	check_rel(p.lr, 4.2e-4, 0.03, "7B: peak lr 4.2e-4 within 3%");
	check_rel(hparams_batch_sequences(&p, seq), 2304, 0.05,
	          "7B: batch 2304 sequences of 4096 within 5%");
	check(p.extrapolated, "7B (8.5e22 FLOPs) is outside the fit");
}

/* A file of text; its path in path (a template). */
static int write_file(char *path, const char *text)
{
	int fd = mkstemp(path);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

#define HEAD "version: 1\nname: t\ntitle: \"t\"\n" \
	"source: { authors: \"A\", year: 2024, where: \"x\" }\n" \
	"provenance: paper\ncompute: \"C = 6 N D\"\n"

static void expect_error(const char *text, int line, int col,
                         const char *words)
{
	char path[] = "/tmp/moeplan-hparams.XXXXXX", what[MP_ERROR_MSG + 128];
	struct mp_error err;
	struct hparams *bad;

	if (write_file(path, text) != 0) {
		check(0, "write a temporary file");
		return;
	}
	bad = hparam_load(path, &err);
	snprintf(what, sizeof what, "%s at %d:%d (got %d:%d '%s')", words, line,
	         col, err.line, err.col, err.msg);
	check(bad == NULL && strcmp(err.file, path) == 0 && err.line == line &&
	      err.col == col && strstr(err.msg, words) != NULL, what);
	hparams_free(bad);
	unlink(path);
}

static void test_bad_files(void)
{
	const char *lr = "learning_rate: { coefficient: 0.3, exponent: -0.125 }\n";
	const char *fit = "fit: { compute: [1e17, 2e19] }\n";
	char buf[1024];

	snprintf(buf, sizeof buf, HEAD "batch: { coefficient: -0.29, exponent: "
	         "0.33, unit: tokens }\n%s%s", lr, fit);
	expect_error(buf, 7, 23, "coefficient must be positive");
	snprintf(buf, sizeof buf, HEAD "batch: { coefficient: 0.29, exponent: "
	         "0.33, unit: sequences }\n%s%s", lr, fit);
	expect_error(buf, 7, 51, "batch: unit");
	snprintf(buf, sizeof buf, HEAD "batch: { coefficient: 0.29, exponent: "
	         "\"0.33\", unit: tokens }\n%s%s", lr, fit);
	expect_error(buf, 7, 39, "expected a number");
	snprintf(buf, sizeof buf, HEAD "batch: { coefficient: 0.29, exponent: "
	         "0.33, unit: tokens }\n%sfit: { compute: [2e19, 1e17] }\n", lr);
	expect_error(buf, 9, 17, "0 < lo <= hi");
	snprintf(buf, sizeof buf, HEAD "batch: { coefficient: 0.29, exponent: "
	         "0.33, unit: tokens }\n%s", fit);
	expect_error(buf, 1, 1, "missing key 'learning_rate'");
	snprintf(buf, sizeof buf, "version: 2\n");
	expect_error(buf, 1, 1, "missing key");
}

int main(void)
{
	struct mp_error err;

	h = hparam_open("deepseek2024", NULL, &err);
	if (h == NULL) {
		printf("FAIL: cannot load deepseek2024: %s\n", err.msg);
		return 1;
	}
	test_constants();
	test_formula();
	test_deepseek_7b();
	test_bad_files();
	hparams_free(h);
	return check_done();
}
