/*
 * cmd_calibrate.c — `moeplan calibrate [--quick] [--threads N] [--output
 * FILE]`: run the microbenchmark (src/bench), fit the cost model
 * (core/fit.h) and write a calibrated hardware profile (io/profile.h).
 *
 * The profile is written only after the benchmark and the fit succeeded,
 * through a temporary file renamed over the target with SIGINT, SIGTERM
 * and SIGHUP held off, so an interrupted run leaves the previous profile
 * as it was.  A progress bar goes to stderr when stderr is a terminal.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench/bench.h"
#include "cli.h"
#include "core/fit.h"
#include "io/profile.h"

#define CMD "calibrate"

struct args {
	int quick, threads;
	const char *output;
};

static void help(void)
{
	fputs("usage: moeplan calibrate [--quick] [--threads N] [--output FILE]\n"
	      "Time the router, expert and memory-bound kernels of an MoE layer on\n"
	      "this machine (fp32, CBLAS), fit the kernel cost model and write a\n"
	      "calibrated hardware profile.\n\n"
	      "  --quick        a smaller grid, about 10 s (default about 60 s)\n"
	      "  --threads N    BLAS threads (default: the BLAS's own setting)\n"
	      "  --output FILE  write here instead of\n"
	      "                 $XDG_DATA_HOME/moeplan/profiles/HOST.yaml\n"
	      "  -h, --help     this help\n", stdout);
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option o[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "threads", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof *a);
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", o, NULL)) != -1) {
		switch (c) {
		case 'h':
			help();
			return -1;
		case 'q':
			a->quick = 1;
			break;
		case 't':
			if (cli_int(CMD, "--threads", optarg, 1, 1024, &a->threads) != 0)
				return MP_EXIT_USAGE;
			break;
		case 'o':
			a->output = optarg;
			break;
		case ':':
			return cli_usage(CMD, "%s needs a value", argv[optind - 1]);
		default:
			return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
	return 0;
}

static void progress(void *ctx, int done, int total)
{
	int width = 40, fill = total > 0 ? done * width / total : width;

	(void)ctx;
	fprintf(stderr, "\rcalibrating [%.*s%*s] %3d%%", fill,
	        "########################################", width - fill, "",
	        total > 0 ? 100 * done / total : 100);
	if (done == total)
		fputc('\n', stderr);
}

/* "model name" of /proc/cpuinfo, or "unknown". */
static void cpu_model(char *buf, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, n, "unknown");
	if (f == NULL)
		return;
	while (fgets(line, sizeof line, f) != NULL) {
		char *colon = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
			colon += 1 + strspn(colon + 1, " \t");
			colon[strcspn(colon, "\n")] = '\0';
			snprintf(buf, n, "%s", colon);
			break;
		}
	}
	fclose(f);
}

/* The best rate of the square GEMMs: the achievable peak for MFU. */
static double measured_peak(const struct cost_sample *s, size_t n)
{
	double best = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i].kernel == COST_GEMM && strcmp(s[i].tag, "square") == 0)
			best = fmax(best, cost_sample_flops(&s[i]) / s[i].seconds);
	return best;
}

/* The STREAM triad bandwidth of the largest array measured. */
static double measured_bandwidth(const struct cost_model *cm,
                                 const struct cost_sample *s, size_t n)
{
	const struct cost_sample *big = NULL;

	for (size_t i = 0; i < n; i++)
		if (s[i].kernel == COST_STREAM && (big == NULL || s[i].dims[0] > big->dims[0]))
			big = &s[i];
	return big ? cost_mem_bytes(cm, COST_STREAM, big->dims) / big->seconds : NAN;
}

/* Everything but the model and samples: how the profile was made. */
static void describe(struct hw_profile *p, const struct args *a)
{
	time_t now = time(NULL);
	struct tm tm;

	if (gethostname(p->host, sizeof p->host) != 0 || p->host[0] == '\0')
		snprintf(p->host, sizeof p->host, "localhost");
	p->host[sizeof p->host - 1] = '\0';
	snprintf(p->name, sizeof p->name, "%.63s", p->host);
	p->calibrated = 1;
	gmtime_r(&now, &tm);
	strftime(p->date, sizeof p->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(p->label, sizeof p->label, "calibrated on %.60s, %s%s", p->host,
	         p->date, a->quick ? " (quick)" : "");
	cpu_model(p->cpu, sizeof p->cpu);
	snprintf(p->device, sizeof p->device, "%.127s", p->cpu);
	snprintf(p->source, sizeof p->source, "moeplan calibrate: fp32 sgemm "
	         "through CBLAS; peak_flops is the best square GEMM measured");
	bench_blas_name(p->blas, sizeof p->blas);
	p->threads = bench_threads(0);
	p->quick = a->quick;
	snprintf(p->version, sizeof p->version, "%s", PACKAGE_VERSION);
	snprintf(p->dtype, sizeof p->dtype, "fp32");
}

static int output_path(const struct args *a, const char *host, char **path,
                       struct mp_error *err)
{
	char *dir;

	if (a->output != NULL) {
		*path = strdup(a->output);
		return *path ? 0 : mp_error_set(err, "out of memory");
	}
	if ((dir = profile_dir(err)) == NULL)
		return -1;
	if (asprintf(path, "%s/%s.yaml", dir, host) < 0) {
		free(dir);
		return mp_error_set(err, "out of memory");
	}
	free(dir);
	return profile_mkdirs(*path, err);
}

static void print_summary(const struct hw_profile *p, const char *path)
{
	const struct cost_gemm_params *g = &p->model.gemm;

	printf("profile     %s\n", path);
	printf("label       %s\n", p->label);
	printf("blas        %s, %d threads\n", p->blas, p->threads);
	printf("samples     %zu\n", p->n_samples);
	printf("gemm        P %.3g FLOP/s, B %.3g B/s, t0 %.3g s, h_m %.3g, "
	       "h_n %.3g, h_k %.3g%s\n", g->peak_flops, g->bandwidth, g->overhead,
	       g->sat_m, g->sat_n, g->sat_k,
	       g->thread_threshold > 0 ? " (threaded)" : "");
	if (g->thread_threshold > 0)
		printf("            P %.3g FLOP/s, B %.3g B/s, t0 %.3g s, h_m %.3g, "
		       "h_n %.3g, h_k %.3g (single thread, m n k <= %.0f)\n",
		       g->single.peak_flops, g->single.bandwidth, g->single.overhead,
		       g->single.sat_m, g->single.sat_n, g->single.sat_k,
		       g->thread_threshold);
	if (g->edge.period > 1)
		printf("            edge tables of period %d (rows the last j cost)\n",
		       g->edge.period);
	else
		printf("            blocks m %g, n %g\n", g->block_m > 1 ? g->block_m : 1,
		       g->block_n > 1 ? g->block_n : 1);
	printf("peak        %.3g FLOP/s (best square GEMM)\n", p->peak_flops[0]);
	printf("%-13s %7s %8s %8s %8s\n", "fit", "samples", "rms", "median", "max");
	for (int k = 0; k < COST_KERNELS; k++)
		printf("%-13s %7zu %7.1f%% %7.1f%% %7.1f%%\n", cost_kernel_name(k),
		       p->fit[k].n, 100 * p->fit[k].rms, 100 * p->fit[k].median_abs,
		       100 * p->fit[k].max_abs);
}

int cmd_calibrate(int argc, char **argv)
{
	struct args a;
	struct bench_opts o;
	struct hw_profile p;
	struct mp_error err;
	char *path = NULL;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	mp_error_clear(&err);
	profile_init(&p);
	memset(&o, 0, sizeof o);
	o.quick = a.quick;
	o.threads = a.threads;
	o.progress = isatty(STDERR_FILENO) ? progress : NULL;
	bench_threads(a.threads);
	describe(&p, &a);
	if (output_path(&a, p.host, &path, &err) != 0 ||
	    profile_check_writable(path, &err) != 0 ||
	    bench_calibrate(&o, &p.samples, &p.n_samples, &err) != 0)
		goto fail;
	p.model.elem_bytes = profile_dtype_bytes(p.dtype);
	if (fit_cost_model(p.samples, p.n_samples, &p.model, p.fit, &err) != 0)
		goto fail;
	p.n_peaks = 1;
	snprintf(p.peak_dtype[0], sizeof p.peak_dtype[0], "%s", p.dtype);
	p.peak_flops[0] = measured_peak(p.samples, p.n_samples);
	p.bandwidth = measured_bandwidth(&p.model, p.samples, p.n_samples);
	if (profile_derive(&p, &err) != 0 || profile_write(&p, path, &err) != 0)
		goto fail;
	print_summary(&p, path);
	profile_free(&p);
	free(path);
	return MP_EXIT_OK;   /* main's finish() checks that stdout arrived */
fail:
	profile_free(&p);
	free(path);
	return cli_fail(&err);
}
