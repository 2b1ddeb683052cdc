/*
 * bench_runs.c — `make bench`: the device-hours of published training runs
 * (tests/perf/published-runs.csv, each with its source) against what the
 * models predict from the run's architecture, tokens, hardware and device
 * count, with the shipped datasheet profiles:
 *
 *   - rule40: a constant 40% of the dtype's dense peak,
 *     hours = 6 N_active D / (0.4 peak) / 3600 (Kaplan et al. 2020's 6ND);
 *   - kernel: the single-device kernel model, the device-seconds per token
 *     of cost_seconds_per_token (cost.h) at 8 sequences a step, times D;
 *   - cluster: the cluster model (core/cluster.h): the fastest layout of
 *     the run's devices that fits in memory, its step time with
 *     communication, device-seconds per token times D.
 *
 * It prints predicted / published for each run, then for each model the
 * median of |ratio - 1|, the worst factor (max(r, 1/r)) and the same on
 * the MoE runs.  A run whose architecture or profile is not shipped is
 * listed as skipped, with why.  The targets (median error <= 20%,
 * none off by more than 2x, better than rule40 on MoE) are printed beside.
 */
#include "config.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arch.h"
#include "core/cluster.h"
#include "core/cost.h"
#include "io/arch_file.h"
#include "io/profile.h"
#include "io/resolve.h"

#define MAX_RUNS 64
#define N_MODELS 3
/* Where a run's source gives no device count or batch: one global
 * assumption each, the same for every such run (LLaMA's 2048 A100s and
 * its 4M-token batch, Touvron et al. 2023 Sec. 2.4 and Table 2). */
#define DEFAULT_DEVICES 2048
#define DEFAULT_BATCH_TOKENS 4194304.0   /* "4M": 2^22 */

static const char *const model_name[N_MODELS] = { "rule40", "kernel",
                                                  "cluster" };

struct run {
	char name[64], kind[16], arch[64], hardware[64], dtype[16];
	int devices, moe;
	enum cluster_ep_overlap overlap;  /* the framework's all-to-all overlap */
	double tokens, seq, batch, hours;
	double ratio[N_MODELS];         /* predicted / published; NAN: none */
	char skipped[160];
	char layout[160];                /* the cluster model's choice */
};

#define PLAIN_FIELDS 13

/* The a2a column: none, shared or full (cluster.h); -1 if neither. */
static int overlap_of(const char *s)
{
	return strcmp(s, "none") == 0 ? CLUSTER_EP_OVERLAP_NONE :
	       strcmp(s, "shared") == 0 ? CLUSTER_EP_OVERLAP_SHARED :
	       strcmp(s, "full") == 0 ? CLUSTER_EP_OVERLAP_FULL : -1;
}

/* One CSV line: thirteen plain fields, then the quoted source. */
static int parse_line(char *line, struct run *r)
{
	char *f[PLAIN_FIELDS];
	char *s = line;
	int o;

	for (int i = 0; i < PLAIN_FIELDS; i++) {
		f[i] = s;
		if ((s = strchr(s, ',')) == NULL)
			return -1;
		*s++ = '\0';
	}
	memset(r, 0, sizeof *r);
	snprintf(r->name, sizeof r->name, "%s", f[0]);
	snprintf(r->kind, sizeof r->kind, "%s", f[1]);
	snprintf(r->arch, sizeof r->arch, "%s", f[2]);
	snprintf(r->hardware, sizeof r->hardware, "%s", f[3]);
	r->devices = atoi(f[4]);
	r->tokens = strtod(f[5], NULL);
	r->seq = strtod(f[6], NULL);
	r->batch = strtod(f[7], NULL);
	snprintf(r->dtype, sizeof r->dtype, "%s", f[8]);
	if ((o = overlap_of(f[9])) < 0)
		return -1;
	r->overlap = (enum cluster_ep_overlap)o;
	r->hours = strtod(f[10], NULL);
	r->moe = strcmp(r->kind, "moe") == 0;
	return r->tokens > 0 && r->hours > 0 ? 0 : -1;
}

static int load_runs(const char *path, struct run *runs, int *n)
{
	char line[2048];
	FILE *f = fopen(path, "r");
	int header = 1;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	*n = 0;
	while (fgets(line, sizeof line, f) != NULL && *n < MAX_RUNS) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (header) {
			header = 0;
			continue;
		}
		if (parse_line(line, &runs[*n]) != 0) {
			fprintf(stderr, "%s: cannot read: %s", path, line);
			fclose(f);
			return -1;
		}
		(*n)++;
	}
	fclose(f);
	return 0;
}


/* The cluster model's prediction, or why there is none (in skipped). */
static void cluster(struct run *r, const struct hw_profile *p,
                    const struct arch *a, double peak)
{
	struct cluster_spec c;
	struct cluster_run cr;
	struct mp_error e;

	cluster_spec_init(&c);
	c.devices = r->devices > 0 ? r->devices : DEFAULT_DEVICES;
	c.device_bytes = p->cluster.memory_bytes;
	c.links = p->cluster.links;
	c.cost = &p->model;
	c.peak = peak;
	c.gemm_speedup = peak / profile_peak(p, p->dtype);
	c.batch_tokens = r->batch > 0 ? r->batch : DEFAULT_BATCH_TOKENS;
	c.ep_overlap = r->overlap;
	if (!p->cluster.present || !(c.device_bytes > 0)) {
		snprintf(r->skipped, sizeof r->skipped, "cluster: %s has no "
		         "cluster block", r->hardware);
		return;
	}
	if (cluster_best(&c, a, &cr, &e) != 0) {
		snprintf(r->skipped, sizeof r->skipped, "cluster: %.140s", e.msg);
		return;
	}
	r->ratio[2] = cr.seconds_per_token * r->tokens / CLUSTER_GOODPUT / 3600 /
	              r->hours;
	snprintf(r->layout, sizeof r->layout, "tp%d pp%d v%d dp%d ep%d z%d r%d "
	         "b%d mfu %.2f comm %.0f%% (tp %.2f ep %.2f/%.2f dp %.2f of %.2f "
	         "s)", cr.layout.tp, cr.layout.pp, layout_chunks(&cr.layout),
	         cr.layout.dp, cr.layout.ep, cr.layout.zero,
	         (int)cr.layout.recompute, cr.layout.micro_batch, cr.mfu,
	         100 * cr.comm_exposed / cr.step, cr.comm.tp, cr.ep_exposed,
	         cr.comm.ep, cr.comm.dp, cr.step);
}

/* The predictions of one run, or why there are none. */
static void predict(struct run *r)
{
	struct hw_profile p;
	struct arch_params ap;
	struct mp_error e;
	struct arch a;
	char *path;
	double peak, spt;

	for (int m = 0; m < N_MODELS; m++)
		r->ratio[m] = NAN;
	if (arch_file_open(r->arch, &a, &e) != 0) {
		snprintf(r->skipped, sizeof r->skipped, "arch: %.140s", e.msg);
		return;
	}
	a.seq = (int)r->seq;
	profile_init(&p);
	if ((path = resolve_find(RESOLVE_HARDWARE, r->hardware, NULL, &e)) ==
	    NULL || profile_load(path, &p, &e) != 0) {
		snprintf(r->skipped, sizeof r->skipped, "hardware: %.140s", e.msg);
		free(path);
		profile_free(&p);
		return;
	}
	free(path);
	arch_count_params(&a, &ap);
	peak = profile_peak(&p, r->dtype);
	r->ratio[0] = 6 * ap.active * r->tokens / (0.4 * peak) / 3600 / r->hours;
	spt = cost_seconds_per_token(&p.model, &a, 8 * a.seq, NULL);
	r->ratio[1] = spt * r->tokens / 3600 / r->hours;
	cluster(r, &p, &a, peak);
	profile_free(&p);
}

static int cmp(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Median |r - 1| and worst max(r, 1/r) over the runs (MoE only if moe). */
static void summary(const struct run *runs, int n, int m, int moe_only,
                    double *median, double *worst, int *count)
{
	double err[MAX_RUNS];

	*count = 0;
	*worst = 0;
	for (int i = 0; i < n; i++) {
		double r = runs[i].ratio[m];

		if (!isfinite(r) || r <= 0 || (moe_only && !runs[i].moe))
			continue;
		err[(*count)++] = fabs(r - 1);
		*worst = fmax(*worst, fmax(r, 1 / r));
	}
	qsort(err, (size_t)*count, sizeof err[0], cmp);
	*median = *count == 0 ? NAN : *count % 2 ? err[*count / 2] :
	          (err[*count / 2 - 1] + err[*count / 2]) / 2;
}

static void print_runs(const struct run *runs, int n)
{
	printf("%-18s %-5s %-10s %6s %12s", "run", "kind", "hardware", "GPUs",
	       "published h");
	for (int m = 0; m < N_MODELS; m++)
		printf(" %8s", model_name[m]);
	printf("\n");
	for (int i = 0; i < n; i++) {
		const struct run *r = &runs[i];

		printf("%-18s %-5s %-10s %6d %12.4g", r->name, r->kind, r->hardware,
		       r->devices > 0 ? r->devices : DEFAULT_DEVICES, r->hours);
		if (r->skipped[0] && !isfinite(r->ratio[0])) {
			printf("  skipped: %s\n", r->skipped);
			continue;
		}
		for (int m = 0; m < N_MODELS; m++)
			printf(" %8.3f", r->ratio[m]);
		printf("  %s%s\n", r->layout, r->skipped);
	}
}

int main(void)
{
	static struct run runs[MAX_RUNS];
	const char *top = getenv("top_srcdir");
	char path[4096];
	int n;

	gsl_set_error_handler_off();
	snprintf(path, sizeof path, "%s/tests/perf/published-runs.csv",
	         top ? top : ".");
	if (load_runs(path, runs, &n) != 0)
		return 1;
	for (int i = 0; i < n; i++)
		predict(&runs[i]);
	printf("published training runs: predicted / published device-hours\n"
	       "(runs without a published device count or batch: %d devices, "
	       "%.0fM-token batches)\n\n", DEFAULT_DEVICES,
	       DEFAULT_BATCH_TOKENS / 1e6);
	print_runs(runs, n);
	printf("\n%-8s %14s %8s %16s %10s\n", "model", "median |r-1|", "worst",
	       "MoE median", "MoE worst");
	for (int m = 0; m < N_MODELS; m++) {
		double med, worst, mmed, mworst;
		int c, mc;

		summary(runs, n, m, 0, &med, &worst, &c);
		summary(runs, n, m, 1, &mmed, &mworst, &mc);
		printf("%-8s %13.1f%% %7.2fx", model_name[m], 100 * med, worst);
		if (mc > 0)
			printf(" %15.1f%% %9.2fx", 100 * mmed, mworst);
		else
			printf(" %16s %10s", "-", "-");
		printf("   (%d runs, %d MoE)\n", c, mc);
	}
	printf("\ntargets (issue 12): median <= 20%%, worst <= 2x, better than "
	       "rule40 on the MoE runs\n");
	return 0;
}
