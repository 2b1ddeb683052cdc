/*
 * calibrate.h — the calibration pipeline behind `moeplan calibrate`: open
 * a device of a back end (backend.h), run the grid on it (bench.h), fit
 * the cost model (core/fit.h) and write a calibrated hardware profile
 * (io/profile.h).
 *
 * The profile is written only after the benchmark and the fit succeeded,
 * through a temporary file renamed over the target with SIGINT, SIGTERM
 * and SIGHUP held off (profile_write), so an interrupted run leaves the
 * previous profile as it was; whether the target can be written is
 * checked before the benchmark starts.  Nothing here prints: progress goes
 * to the caller's callback.  The caller owns the profile (profile_free)
 * and the path (free).
 */
#ifndef MP_BENCH_CALIBRATE_H
#define MP_BENCH_CALIBRATE_H

#include "backend.h"
#include "io/profile.h"

struct bench_calibrate_opts {
	const struct bench_backend *backend;  /* NULL: the default (cblas) */
	int device;              /* device index, 0 the first */
	const char *dtype;       /* NULL: the back end's default */
	int quick;               /* the smaller grid */
	int threads;             /* host threads; 0 the library's default */
	const char *output;      /* NULL: profile_dir()/HOST.yaml */
	/* called after each shape (may be NULL) */
	void (*progress)(void *ctx, int done, int total);
	void *progress_ctx;
};

/*
 * The whole pipeline: fills *p (profile_init'd here) and *path (malloc'd,
 * the file written).  Returns 0, or -1 with err (then *p is freed and
 * *path NULL).
 */
int bench_calibrate_profile(const struct bench_calibrate_opts *o,
                            struct hw_profile *p, char **path,
                            struct mp_error *err);

/* What the profile says of how it was made (name, label, date, host,
 * device, back end, library, dtype, threads, version), from dev. */
void bench_calibrate_describe(const struct bench_device *dev, int quick,
                              struct hw_profile *p);

/*
 * The cluster block of a CPU profile (the cblas back end): one node of one
 * device, the machine with its sockets as one, whose memory_bytes is the
 * machine's memory now (bench_calibrate_memory_bytes), devices_per_node
 * 1, and no links (a single device talks to none).  1 if it set the
 * block, 0 for another back end (a GPU's memory is not the host's) or
 * when the memory cannot be read.
 */
int bench_calibrate_node(const struct bench_device *dev, struct hw_profile *p);
/* The machine's physical memory in bytes (sysconf _SC_PHYS_PAGES x
 * _SC_PAGESIZE), NAN if unknown. */
double bench_calibrate_memory_bytes(void);

/*
 * From p->samples (and p->dtype): fit the cost model, record the measured
 * peak (the best square GEMM) and STREAM bandwidth (the largest array),
 * derive the MFU peak.  Returns 0 or -1 with err.
 */
int bench_calibrate_fit(struct hw_profile *p, struct mp_error *err);

#endif
