/*
 * profile.h — hardware profiles: the YAML files that carry a cost model
 * (core/cost.h), from a datasheet (share/hardware/NAME.yaml) or from `moeplan
 * calibrate` ($XDG_DATA_HOME/moeplan/profiles/HOST.yaml).
 *
 * Format (version 3; moeplan-models(5) has the full description):
 *
 *     version: 3
 *     name: h100-sxm
 *     calibrated: false
 *     label: datasheet, not calibrated
 *     device: NVIDIA H100 SXM5 80GB            # optional
 *     source: NVIDIA H100 datasheet ...        # optional
 *     price_per_hour: 3.0                      # USD per device-hour, optional
 *     dtype: bf16                              # what the model is for
 *     peak_flops: { fp32: 6.7e13, bf16: 9.894e14, ... }  # dense, per dtype
 *     bandwidth: 3.35e12                       # bytes/s, optional
 *     cluster:                                 # optional, each key too
 *       memory_bytes: 8e10                     # device memory
 *       devices_per_node: 8
 *       intra_node_bandwidth: 4.5e11           # bytes/s per device, one way
 *       inter_node_bandwidth: 5e10             # bytes/s per device, one way
 *       intra_node_latency: 3.4e-6             # s per collective step
 *       inter_node_latency: 9.6e-6             # s per collective step
 *       assumptions: [intra_node_latency, ...] # keys not from a datasheet
 *     model:
 *       gemm: { peak_flops, bandwidth, overhead, sat_m, sat_n, sat_k,
 *               block_m, block_n,                 # optional, default 1
 *               correction: { m: [25], n: [25], k: [25] },   # optional
 *               thread_threshold,                 # optional, default 0
 *               single: { the six keys, correction } }  # iff threshold > 0
 *       softmax_topk: { overhead, bandwidth, bandwidth_mem, cache_bytes }
 *       dispatch, combine, swiglu, stream: the same four keys
 *     calibration:                             # calibrated profiles only
 *       date, host, backend, device, library, dtype, threads, quick,
 *       moeplan_version,
 *       fit: { gemm: { samples, rms, median_abs, max_abs }, ... },
 *       samples: [ { kernel, tag, dims: [a, b, c], seconds, spread,
 *                    residual }, ... ]
 *
 * (core/cost.h gives the GEMM equation: the top-level gemm keys are the
 * threaded regime, `single` the single-threaded one below the threshold.)
 * calibration.backend is one of the back ends of the microbenchmark
 * (src/bench/backend.h), all of them named in profile.c whether this build
 * has them or not; device is the CPU model or the GPU's name, library the
 * BLAS's self-description or the cuBLAS version, dtype what the GEMMs ran
 * in.  Version 2 files, the same but for a calibration block of date,
 * host, cpu, blas, threads, quick, moeplan_version, load as calibrations by
 * the CPU back end: device = cpu, library = blas, backend cblas, dtype the
 * profile's.  Version 1 files (one regime, no blocks, no correction) are
 * refused with a message to re-run `moeplan calibrate`.
 *
 * The cluster block describes the device's memory and the links of the
 * node it sits in, for memory per device and communication (core/memory.h,
 * core/comm.h): bandwidths are per device and one direction (what a ring
 * collective's bus bandwidth is bounded by: half NVIDIA's bidirectional
 * NVLink figure; a NIC's line rate over the devices that share it), the
 * latencies the alpha of one step of a ring collective.  `assumptions`
 * lists the keys whose values are not from a datasheet or a measurement;
 * it may name only keys the block gives.  A profile without the block, or
 * without a key, still loads: the field is unknown (NAN, or 0 devices).
 *
 * MFU is measured against peak_flops[dtype]; the element size follows the
 * dtype.  Numbers are written so that they read back to the same double:
 * a profile written and read back predicts the same seconds.  Errors carry
 * file:line:col.  struct hw_profile owns its samples (profile_free).
 */
#ifndef MP_PROFILE_H
#define MP_PROFILE_H

#include <stddef.h>

#include "core/comm.h"
#include "core/cost.h"
#include "core/error.h"
#include "core/fit.h"

#define PROFILE_VERSION 3
#define PROFILE_VERSION_OLDEST 2     /* the oldest one read */
#define PROFILE_MAX_DTYPES 8
#define PROFILE_DATASHEET_LABEL "datasheet, not calibrated"

/* How a calibrated profile was made: the calibration block but for the
 * fit and the samples. */
struct hw_calibration {
	char date[40], host[128];
	char backend[32];        /* the microbenchmark's back end: "cblas" */
	char device[256];        /* the CPU model or the GPU's name */
	char library[256];       /* the BLAS's self-description, cuBLAS version */
	char dtype[16];          /* what the GEMMs ran in */
	char version[32];        /* moeplan_version */
	int threads, quick;
};

/* The cluster block's keys, in order; bit i of hw_cluster.assumed. */
enum profile_cluster_key {
	PROFILE_CL_MEMORY = 0,       /* memory_bytes */
	PROFILE_CL_DEVICES,          /* devices_per_node */
	PROFILE_CL_INTRA_BW,         /* intra_node_bandwidth */
	PROFILE_CL_INTER_BW,         /* inter_node_bandwidth */
	PROFILE_CL_INTRA_LAT,        /* intra_node_latency */
	PROFILE_CL_INTER_LAT,        /* inter_node_latency */
	PROFILE_CL_KEYS
};

/* The device's memory and its node's links (the cluster block). */
struct hw_cluster {
	int present;              /* the profile has a cluster block */
	double memory_bytes;      /* NAN if not given */
	struct comm_links links;  /* devices_per_node 0, the rest NAN if not
	                             given */
	unsigned given;           /* bit i: key i was given */
	unsigned assumed;         /* bit i: key i is an assumption */
};

struct hw_profile {
	char name[64];
	int calibrated;
	char label[128];
	char device[128];        /* "" if none */
	char source[512];        /* "" if none */
	double price_per_hour;   /* USD per device-hour; NAN if none */
	char dtype[16];
	size_t n_peaks;
	char peak_dtype[PROFILE_MAX_DTYPES][16];
	double peak_flops[PROFILE_MAX_DTYPES];
	double bandwidth;        /* datasheet memory bandwidth; NAN if none */
	struct hw_cluster cluster;
	struct cost_model model; /* elem_bytes and mfu_peak follow dtype */
	char attention_source[256];  /* how model.attn_efficiency was had
	                                (model.attention.source); "" if none */
	struct hw_calibration calibration;  /* how it was made */
	struct fit_stats fit[COST_KERNELS];
	struct cost_sample *samples;  /* malloc'd, n_samples of them */
	size_t n_samples;
};

void profile_init(struct hw_profile *p);
void profile_free(struct hw_profile *p);

/* Bytes per element of a dtype name (fp64 8, fp32/tf32 4, bf16/fp16 2,
 * fp8 1); 0 if unknown. */
double profile_dtype_bytes(const char *dtype);

/* The YAML key of cluster field i (enum profile_cluster_key); NULL out of
 * range. */
const char *profile_cluster_key_name(int i);

/* Whether the cluster block gives everything comm_step_seconds needs:
 * devices per node, both bandwidths and both latencies. */
int profile_cluster_has_links(const struct hw_profile *p);

/* Whether name is a back end a calibration block may name. */
int profile_backend_known(const char *name);

/* The dense peak FLOP/s of dtype in p's peak_flops; NAN if none. */
double profile_peak(const struct hw_profile *p, const char *dtype);

/* Set model.elem_bytes and model.mfu_peak from dtype and peak_flops;
 * -1 with err if the dtype is unknown or has no peak. */
int profile_derive(struct hw_profile *p, struct mp_error *err);

/* Read path; -1 with err ("file:line:col: message"). */
int profile_load(const char *path, struct hw_profile *p, struct mp_error *err);

/* Write p atomically to path (temporary file in the same directory, fsync,
 * rename; on failure the old file is left as it was).  -1 with err. */
int profile_write(const struct hw_profile *p, const char *path,
                  struct mp_error *err);

/* Whether profile_write could create its temporary file for path (made
 * and removed again): a calibration checks before it spends a minute
 * measuring.  -1 with err. */
int profile_check_writable(const char *path, struct mp_error *err);

/* The calibrated-profiles directory: $XDG_DATA_HOME/moeplan/profiles, or
 * $HOME/.local/share/moeplan/profiles.  malloc'd; NULL with err. */
char *profile_dir(struct mp_error *err);

/* Create the directories of path's parent (mkdir -p); -1 with err. */
int profile_mkdirs(const char *path, struct mp_error *err);

#endif
