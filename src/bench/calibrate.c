/*
 * calibrate.c — bench -> fit -> profile (see calibrate.h).  The device is
 * opened and closed here; the samples go into the caller's profile, with
 * the cluster block of the one node calibrated on (bench_calibrate_node).
 */
#include "config.h"

#include "calibrate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "core/fit.h"

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

/* The host's name, "localhost" if it has none, and the UTC date. */
static void host_and_date(struct hw_calibration *c)
{
	time_t now = time(NULL);
	struct tm tm;

	if (gethostname(c->host, sizeof c->host) != 0 || c->host[0] == '\0')
		snprintf(c->host, sizeof c->host, "localhost");
	c->host[sizeof c->host - 1] = '\0';
	gmtime_r(&now, &tm);
	strftime(c->date, sizeof c->date, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

double bench_calibrate_memory_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	return pages > 0 && size > 0 ? (double)pages * (double)size : NAN;
}

int bench_calibrate_node(const struct bench_device *dev, struct hw_profile *p)
{
	struct hw_cluster *c = &p->cluster;
	double mem = bench_calibrate_memory_bytes();

	/* a GPU's memory is its own, not the host's: no block to write */
	if (strcmp(dev->backend->name, "cblas") != 0 || !(mem > 0))
		return 0;
	c->present = 1;
	c->memory_bytes = mem;
	c->links.devices_per_node = 1;
	c->given = 1u << PROFILE_CL_MEMORY | 1u << PROFILE_CL_DEVICES;
	c->assumed = 0;
	return 1;
}

void bench_calibrate_describe(const struct bench_device *dev, int quick,
                              struct hw_profile *p)
{
	struct hw_calibration *c = &p->calibration;
	struct bench_device_info info;

	memset(&info, 0, sizeof info);
	dev->backend->describe(dev->state, &info);
	host_and_date(c);
	snprintf(p->name, sizeof p->name, "%.63s", c->host);
	p->calibrated = 1;
	snprintf(p->label, sizeof p->label, "calibrated on %.60s, %s%s", c->host,
	         c->date, quick ? " (quick)" : "");
	snprintf(c->backend, sizeof c->backend, "%s", dev->backend->name);
	snprintf(c->device, sizeof c->device, "%s", info.device);
	snprintf(p->device, sizeof p->device, "%.127s", info.device);
	snprintf(p->source, sizeof p->source, "moeplan calibrate: %s; peak_flops "
	         "is the best square GEMM measured%s", info.method,
	         bench_calibrate_node(dev, p) ? "; cluster: one node of one "
	         "device (the whole machine, its sockets as one), "
	         "memory_bytes the machine's memory read at calibration time "
	         "(sysconf _SC_PHYS_PAGES x _SC_PAGESIZE), no links to other "
	         "nodes" : "");
	snprintf(c->library, sizeof c->library, "%s", info.library);
	c->threads = info.threads;
	c->quick = quick;
	snprintf(c->version, sizeof c->version, "%s", PACKAGE_VERSION);
	snprintf(p->dtype, sizeof p->dtype, "%s", bench_dtype_name(dev->dtype));
	snprintf(c->dtype, sizeof c->dtype, "%s", p->dtype);
	/* a GPU's SMs turn the fit's wave term on (core/cost.h); 0 on a CPU */
	p->model.gemm.sms = info.sms > 0 ? info.sms : 0;
}

int bench_calibrate_fit(struct hw_profile *p, struct mp_error *err)
{
	p->model.elem_bytes = profile_dtype_bytes(p->dtype);
	if (fit_cost_model(p->samples, p->n_samples, &p->model, p->fit, err) != 0)
		return -1;
	p->n_peaks = 1;
	snprintf(p->peak_dtype[0], sizeof p->peak_dtype[0], "%s", p->dtype);
	p->peak_flops[0] = measured_peak(p->samples, p->n_samples);
	p->bandwidth = measured_bandwidth(&p->model, p->samples, p->n_samples);
	return profile_derive(p, err);
}

/* --output, or profile_dir()/HOST.yaml with its directories made. */
static int output_path(const char *output, const char *host, char **path,
                       struct mp_error *err)
{
	char *dir;

	if (output != NULL) {
		*path = strdup(output);
		return *path ? 0 : mp_error_set(err, "out of memory");
	}
	if ((dir = profile_dir(err)) == NULL)
		return -1;
	if (asprintf(path, "%s/%s.yaml", dir, host) < 0) {
		*path = NULL;
		free(dir);
		return mp_error_set(err, "out of memory");
	}
	free(dir);
	return profile_mkdirs(*path, err);
}

/* Open the device the options name. */
static int open_device(const struct bench_calibrate_opts *o,
                       struct bench_device *dev, struct mp_error *err)
{
	const struct bench_backend *b = o->backend ? o->backend
	                                           : bench_backend_list()[0];
	struct bench_open_opts oo;
	int dtype = o->dtype ? bench_dtype_parse(o->dtype) : (int)b->dtype;

	if (dtype < 0)
		return mp_error_set(err, "unknown dtype '%s'", o->dtype);
	memset(&oo, 0, sizeof oo);
	oo.device = o->device;
	oo.threads = o->threads;
	oo.dtype = (enum bench_dtype)dtype;
	return bench_backend_open(dev, b, &oo, err);
}

/* Measure on the open device into p, then fit and write path. */
static int measure_and_write(const struct bench_calibrate_opts *o,
                             struct bench_device *dev, struct hw_profile *p,
                             const char *path, struct mp_error *err)
{
	struct bench_opts bo;

	memset(&bo, 0, sizeof bo);
	bo.quick = o->quick;
	bo.progress = o->progress;
	bo.progress_ctx = o->progress_ctx;
	if (bench_run_grid(&bo, dev, &p->samples, &p->n_samples, err) != 0 ||
	    bench_calibrate_fit(p, err) != 0)
		return -1;
	return profile_write(p, path, err);
}

int bench_calibrate_profile(const struct bench_calibrate_opts *o,
                            struct hw_profile *p, char **path,
                            struct mp_error *err)
{
	struct bench_device dev;
	int rc;

	profile_init(p);
	*path = NULL;
	if (open_device(o, &dev, err) != 0)
		return -1;
	bench_calibrate_describe(&dev, o->quick, p);
	rc = output_path(o->output, p->calibration.host, path, err) != 0 ||
	     profile_check_writable(*path, err) != 0 ||
	     measure_and_write(o, &dev, p, *path, err) != 0 ? -1 : 0;
	bench_backend_close(&dev);
	if (rc != 0) {
		profile_free(p);
		free(*path);
		*path = NULL;
	}
	return rc;
}
