/*
 * cmd_calibrate.c — `moeplan calibrate [--backend NAME] [--device N]
 * [--dtype NAME] [--quick] [--threads N] [--output FILE]` and `moeplan
 * calibrate --list-backends`:
 * parse the options, run the calibration pipeline (bench/calibrate.h:
 * benchmark, fit, write the profile) and print its summary.  A progress
 * bar goes to stderr when stderr is a terminal.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/calibrate.h"
#include "cli.h"
#include "io/profile.h"

#define CMD "calibrate"

struct args {
	int quick, threads, list, device;
	const struct bench_backend *backend;
	const char *output, *dtype;
};

static void help(void)
{
	fputs("usage: moeplan calibrate [--backend NAME] [--device N] [--dtype NAME]\n"
	      "                         [--quick] [--threads N] [--output FILE]\n"
	      "       moeplan calibrate --list-backends\n"
	      "Time the router, expert and memory-bound kernels of an MoE layer on\n"
	      "this machine (by default fp32 through CBLAS), fit the kernel cost\n"
	      "model and write a calibrated hardware profile.\n\n"
	      "  --backend NAME   what runs the kernels (default cblas)\n"
	      "  --device N       the back end's device N (default 0)\n"
	      "  --dtype NAME     what the GEMMs run in: fp32 (cblas), bf16 (cuda's\n"
	      "                   default), fp16 or fp8 (cuda)\n"
	      "  --list-backends  the back ends of this build, whether each can run\n"
	      "                   here, and exit\n"
	      "  --quick          a smaller grid, about 10 s (default about 60 s)\n"
	      "  --threads N      BLAS threads (default: the BLAS's own setting)\n"
	      "  --output FILE    write here instead of\n"
	      "                   $XDG_DATA_HOME/moeplan/profiles/HOST.yaml\n"
	      "  -h, --help       this help\n", stdout);
}

/* Each back end, and (for one that can tell) whether it runs here. */
static void list_backends(void)
{
	const struct bench_backend *const *b = bench_backend_list();
	char why[512];

	for (size_t i = 0; b[i] != NULL; i++) {
		printf("%-8s %s\n", b[i]->name, b[i]->summary);
		if (b[i]->probe == NULL)
			continue;
		if (b[i]->probe(why, sizeof why) == 0)
			printf("%-8s usable here: %s\n", "", why);
		else
			printf("%-8s not usable here: %s\n", "", why);
	}
}

static int parse_dtype(const char *name, struct args *a)
{
	if (bench_dtype_parse(name) >= 0) {
		a->dtype = name;
		return 0;
	}
	return cli_usage(CMD, "--dtype: unknown dtype '%s' (expected fp32, tf32, "
	                 "bf16, fp16 or fp8)", name);
}

static int parse_backend(const char *name, struct args *a)
{
	if ((a->backend = bench_backend_find(name)) != NULL)
		return 0;
	return cli_usage(CMD, "--backend: unknown back end '%s' (moeplan "
	                 "calibrate --list-backends lists them)", name);
}

static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option o[] = {
		{ "backend", required_argument, NULL, 'b' },
		{ "list-backends", no_argument, NULL, 'l' },
		{ "device", required_argument, NULL, 'd' },
		{ "dtype", required_argument, NULL, 'D' },
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
		case 'b':
			if (parse_backend(optarg, a) != 0)
				return MP_EXIT_USAGE;
			break;
		case 'l':
			a->list = 1;
			break;
		case 'd':
			if (cli_int(CMD, "--device", optarg, 0, 1023, &a->device) != 0)
				return MP_EXIT_USAGE;
			break;
		case 'D':
			if (parse_dtype(optarg, a) != 0)
				return MP_EXIT_USAGE;
			break;
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

static void print_summary(const struct hw_profile *p, const char *path)
{
	const struct cost_gemm_params *g = &p->model.gemm;

	printf("profile     %s\n", path);
	printf("label       %s\n", p->label);
	printf("blas        %s, %d threads\n", p->calibration.library,
	       p->calibration.threads);
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
	struct bench_calibrate_opts o;
	struct hw_profile p;
	struct mp_error err;
	char *path;
	int rc = parse_args(argc, argv, &a);

	if (rc != 0)
		return rc < 0 ? MP_EXIT_OK : rc;
	if (a.list) {
		list_backends();
		return MP_EXIT_OK;
	}
	mp_error_clear(&err);
	memset(&o, 0, sizeof o);
	o.backend = a.backend;
	o.device = a.device;
	o.dtype = a.dtype;
	o.quick = a.quick;
	o.threads = a.threads;
	o.output = a.output;
	o.progress = isatty(STDERR_FILENO) ? progress : NULL;
	if (bench_calibrate_profile(&o, &p, &path, &err) != 0)
		return cli_fail(&err);
	print_summary(&p, path);
	profile_free(&p);
	free(path);
	return MP_EXIT_OK;   /* main's finish() checks that stdout arrived */
}
