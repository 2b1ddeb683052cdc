/*
 * test_profile_cluster.c — the hardware profile's cluster block
 * (src/io/profile.c): the shipped datasheet profiles give the vendors'
 * figures, a profile without the block still loads, malformed values are
 * refused at their line and column, and a profile written and read back
 * keeps the block.
 *
 * Expected values are the vendors' printed figures, converted here:
 * bidirectional NVLink/Infinity Fabric bandwidth per GPU halved (one
 * direction), NIC line rates in Gb/s divided by 8 (bytes):
 *   A100 80GB SXM: 80 GB, NVLink 600 GB/s, ConnectX-6 200 Gb/s per GPU
 *     (A100 datasheet; DGX A100 User Guide);
 *   H100 SXM: 80 GB, NVLink 900 GB/s, ConnectX-7 400 Gb/s per GPU (H100
 *     datasheet; DGX H100 User Guide);
 *   H200 SXM: 141 GB, NVLink 900 GB/s, 400 Gb/s per GPU (H200 and DGX H200
 *     datasheets);
 *   MI300X: 192 GB, Infinity Fabric 896 GB/s aggregate (MI300X Platform
 *     data sheet), 400 Gb/s per GPU (assumed);
 *   H800: 80 GB, NVLink 400 GB/s, IB 50 GB/s per GPU (DeepSeek-V3
 *     Technical Report Sec. 3.2.2).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/profile.h"
#include "tap.h"

static const char *top(void)
{
	const char *t = getenv("top_srcdir");

	return t ? t : MOEPLAN_SRCDIR;
}

static int load(const char *name, struct hw_profile *p)
{
	char path[1024];
	struct mp_error err;

	snprintf(path, sizeof path, "%s/share/hardware/%s.yaml", top(), name);
	if (profile_load(path, p, &err) != 0) {
		printf("# %s: %s\n", path, err.msg);
		return -1;
	}
	return 0;
}

static void test_datasheets(void)
{
	static const struct {
		const char *name;
		double memory, bidir, nic_gbit;
		int nic_assumed;
	} t[] = {
		{ "a100-80gb", 80e9, 600e9, 200, 0 },
		{ "h100-sxm", 80e9, 900e9, 400, 0 },
		{ "h200", 141e9, 900e9, 400, 0 },
		{ "mi300x", 192e9, 896e9, 400, 1 },
		{ "h800", 80e9, 400e9, 400, 0 },
	};
	char what[128];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct hw_profile p;
		const struct hw_cluster *c = &p.cluster;

		snprintf(what, sizeof what, "%s loads", t[i].name);
		check(load(t[i].name, &p) == 0, what);
		snprintf(what, sizeof what, "%s memory", t[i].name);
		check_rel(c->memory_bytes, t[i].memory, 1e-12, what);
		snprintf(what, sizeof what, "%s: 8 GPUs a node", t[i].name);
		check_int(c->links.devices_per_node, 8, what);
		snprintf(what, sizeof what, "%s intra-node: half the bidirectional "
		         "figure", t[i].name);
		check_rel(c->links.intra_bw, t[i].bidir / 2, 1e-12, what);
		snprintf(what, sizeof what, "%s NIC per GPU: Gb/s / 8", t[i].name);
		check_rel(c->links.inter_bw, t[i].nic_gbit * 1e9 / 8, 1e-12, what);
		snprintf(what, sizeof what, "%s: latencies are assumptions%s",
		         t[i].name, t[i].nic_assumed ? ", the NIC too" : "");
		check(c->assumed == (1u << PROFILE_CL_INTRA_LAT |
		                     1u << PROFILE_CL_INTER_LAT |
		                     (t[i].nic_assumed ? 1u << PROFILE_CL_INTER_BW
		                                       : 0u)), what);
		snprintf(what, sizeof what, "%s has the links", t[i].name);
		check(profile_cluster_has_links(&p), what);
		profile_free(&p);
	}
}

static void test_without(void)
{
	struct hw_profile p;

	check(load("generic-cpu", &p) == 0, "generic-cpu loads without a block");
	check(!p.cluster.present && isnan(p.cluster.memory_bytes) &&
	      p.cluster.links.devices_per_node == 0 &&
	      isnan(p.cluster.links.intra_bw), "... its cluster is unknown");
	check(!profile_cluster_has_links(&p), "... and has no links");
	profile_free(&p);
}

/* A minimal profile with `cluster` (a line, or "") before the model. */
static int write_profile(const char *path, const char *cluster)
{
	FILE *f = fopen(path, "w");
	const char *mem = "{ overhead: 1e-6, bandwidth: 1e12, "
	                  "bandwidth_mem: 1e12, cache_bytes: 1e6 }";

	if (f == NULL)
		return -1;
	fprintf(f, "version: 3\nname: t\ncalibrated: false\nlabel: x\n"
	        "dtype: bf16\npeak_flops: { bf16: 1e15 }\n%s\nmodel:\n"
	        "  gemm: { peak_flops: 1e14, bandwidth: 1e12, overhead: 1e-6, "
	        "sat_m: 1, sat_n: 1, sat_k: 1 }\n", cluster);
	fprintf(f, "  softmax_topk: %s\n  dispatch: %s\n  combine: %s\n"
	        "  swiglu: %s\n  stream: %s\n", mem, mem, mem, mem, mem);
	return fclose(f);
}

static void test_errors(const char *dir)
{
	static const struct { const char *yaml, *msg; int line, col; } t[] = {
		{ "cluster: { memory_bytes: -1 }", "memory_bytes: expected a "
		  "positive", 7, 26 },
		{ "cluster: { devices_per_node: 2.5 }", "devices_per_node", 7, 30 },
		{ "cluster:\n  intra_node_latency: -1e-6", "intra_node_latency: "
		  "expected a finite number >= 0", 8, 23 },
		{ "cluster: { nics: 8 }", "unknown key 'nics' in cluster", 7, 12 },
		{ "cluster: { memory_bytes: 1, assumptions: [inter_node_latency] }",
		  "'inter_node_latency' is not given", 7, 43 },
		{ "cluster: { assumptions: [speed] }", "unknown value 'speed'", 7,
		  26 },
		{ "cluster: [8]", "expected a mapping", 7, 10 },
	};
	char path[512], what[768];

	snprintf(path, sizeof path, "%s/bad.yaml", dir);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct hw_profile p;
		struct mp_error err;
		int rc;

		mp_error_clear(&err);
		if (write_profile(path, t[i].yaml) != 0) {
			check(0, "write a test profile");
			continue;
		}
		rc = profile_load(path, &p, &err);
		snprintf(what, sizeof what, "refused: %s", t[i].yaml);
		check(rc == -1, what);
		snprintf(what, sizeof what, "... says \"%s\" (%s)", t[i].msg, err.msg);
		check(strstr(err.msg, t[i].msg) != NULL, what);
		snprintf(what, sizeof what, "... at %d:%d", t[i].line, t[i].col);
		check(err.line == t[i].line && err.col == t[i].col, what);
	}
}

static void test_roundtrip(const char *dir)
{
	struct hw_profile p, q;
	struct mp_error err;
	char path[512];

	snprintf(path, sizeof path, "%s/mi300x.yaml", dir);
	if (load("mi300x", &p) != 0) {
		check(0, "mi300x loads");
		return;
	}
	check(profile_write(&p, path, &err) == 0, "mi300x written");
	check(profile_load(path, &q, &err) == 0, "... and read back");
	check(q.cluster.present && q.cluster.given == p.cluster.given &&
	      q.cluster.assumed == p.cluster.assumed, "... the same keys and "
	      "assumptions");
	check_rel(q.cluster.memory_bytes, p.cluster.memory_bytes, 0, "... memory");
	check_int(q.cluster.links.devices_per_node, 8, "... devices per node");
	check_rel(q.cluster.links.intra_bw, p.cluster.links.intra_bw, 0,
	          "... intra-node bandwidth");
	check_rel(q.cluster.links.inter_latency, p.cluster.links.inter_latency, 0,
	          "... inter-node latency");
	profile_free(&p);
	profile_free(&q);
}

int main(void)
{
	char dir[] = "/tmp/test_profile_cluster.XXXXXX";
	char cmd[96];

	if (mkdtemp(dir) == NULL)
		return 1;
	test_datasheets();
	test_without();
	test_errors(dir);
	test_roundtrip(dir);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return check_done();
}
