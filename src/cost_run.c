/*
 * cost_run.c — `moeplan cost --train-tokens`: the options of a whole run,
 * the cluster it runs on (a profile's cluster block: device memory and
 * links, io/profile.h), the fastest layout that fits (core/cluster.h) and
 * what the run takes: wall clock at the goodput, device-hours, money.
 */
#include "config.h"

#include "cost_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/cluster.h"
#include "io/arch_file.h"
#include "io/layout_spec.h"

#define MAX_WARN 4

void cost_run_args_init(struct cost_run_args *a)
{
	struct cluster_spec c;

	memset(a, 0, sizeof *a);
	cluster_spec_init(&c);
	a->pin = c.pin;
	a->price = NAN;
	a->mfu = NAN;
}

/* a2a= of --layout, cost's alone: the framework's all-to-all overlap
 * (cluster.h), taken out of the spec before the shared parser
 * (io/layout_spec.h) reads the layout's pins. */
static int take_overlap(struct cost_run_args *a, const char *cmd,
                        const char *spec, char *rest, size_t n)
{
	static const char *const name[] = { "none", "shared", "full" };
	char buf[256], *save = NULL;
	size_t len = 0;

	if (snprintf(buf, sizeof buf, "%s", spec) >= (int)sizeof buf)
		return cli_usage(cmd, "--layout: too long");
	rest[0] = '\0';
	for (char *kv = strtok_r(buf, ",", &save); kv != NULL;
	     kv = strtok_r(NULL, ",", &save)) {
		int i;

		if (strncmp(kv, "a2a=", 4) != 0) {
			len += (size_t)snprintf(rest + len, n - len, "%s%s",
			                        len ? "," : "", kv);
			continue;
		}
		for (i = 0; i < 3 && strcmp(kv + 4, name[i]) != 0; i++)
			;
		if (i == 3)
			return cli_usage(cmd, "--layout a2a: expected none, shared or "
			                 "full, got '%s'", kv + 4);
		a->ep_overlap = i;   /* CLUSTER_EP_OVERLAP_NONE + i */
	}
	return 0;
}

static int positive(const char *cmd, const char *opt, const char *arg,
                    double lo, double hi, double *out)
{
	if (cli_number(cmd, opt, arg, out) != 0)
		return MP_EXIT_USAGE;
	return *out >= lo && *out <= hi ? 0 : cli_usage(cmd, "%s: expected a "
	       "number from %g to %g, got '%s'", opt, lo, hi, arg);
}

int cost_run_option(struct cost_run_args *a, const char *cmd, int c,
                    const char *arg)
{
	static const char *const name[] = { "D--train-tokens", "G--devices",
		"S--seq", "B--batch-tokens", "L--layout", "T--dtype", "P--price",
		"M--mfu" };
	struct mp_error e;

	for (size_t i = 0; c != 'D' && !a->given && i < 8; i++)
		if (name[i][0] == c)
			a->given_opt = name[i] + 1;
	a->given |= c != 'D';
	switch (c) {
	case 'D': return positive(cmd, "--train-tokens", arg, 1, 1e20,
	                          &a->train_tokens);
	case 'G': return cli_int(cmd, "--devices", arg, 1, 1 << 24, &a->devices);
	case 'S': return cli_int(cmd, "--seq", arg, 1, 1 << 24, &a->seq);
	case 'B': return positive(cmd, "--batch-tokens", arg, 1, 1e12,
	                          &a->batch_tokens);
	case 'L': {
		char rest[256];
		int rc = take_overlap(a, cmd, arg, rest, sizeof rest);

		if (rc != 0)
			return rc;
		if (rest[0] != '\0' && layout_spec_parse(&a->pin, rest, &e) != 0)
			return cli_usage(cmd, "%s", e.msg);
		return 0;
	}
	case 'T':
		if (profile_dtype_bytes(arg) <= 0)
			return cli_usage(cmd, "--dtype: unknown type '%s' (fp64, fp32, "
			                 "tf32, bf16, fp16, fp8)", arg);
		snprintf(a->dtype, sizeof a->dtype, "%s", arg);
		return 0;
	case 'P': return positive(cmd, "--price", arg, 0, 1e6, &a->price);
	default:  return positive(cmd, "--mfu", arg, 1e-4, 1, &a->mfu);
	}
}

/* The cluster of the run: the profile's cluster block and the options. */
static int spec_of(const struct cost_run_args *a, const struct hw_profile *p,
                   const char *dtype, struct cluster_spec *c)
{
	double peak = profile_peak(p, dtype), base = profile_peak(p, p->dtype);

	if (!p->cluster.present || !(p->cluster.memory_bytes > 0) ||
	    !profile_cluster_has_links(p))
		return cli_failf("hardware %s has no cluster block (device memory "
		                 "and links, moeplan-models(5)): a whole run needs one",
		                 p->name);
	if (!(peak > 0))
		return cli_usage("cost", "--dtype %s: hardware %s has no peak for it",
		                 dtype, p->name);
	cluster_spec_init(c);
	c->devices = a->devices > 0 ? a->devices : 1;
	c->device_bytes = p->cluster.memory_bytes;
	c->links = p->cluster.links;
	c->cost = &p->model;
	c->peak = peak;
	c->gemm_speedup = base > 0 ? peak / base : 1;
	c->batch_tokens = a->batch_tokens > 0 ? a->batch_tokens :
	                  CLUSTER_BATCH_TOKENS;
	c->skew = a->skew;
	c->pin = a->pin;
	c->ep_overlap = (enum cluster_ep_overlap)a->ep_overlap;
	return 0;
}

/* Wall clock, device-hours, money and MFU of the run: the model's speed,
 * or the FLOPs at a given MFU. */
static void run_totals(const struct cost_run_args *a, const struct arch *arch,
                       const struct cluster_spec *c, struct cluster_run *cr,
                       struct report_run *r)
{
	struct arch_flops f;

	arch_count_flops(arch, &f);
	if (isfinite(a->mfu)) {
		cr->tokens_per_second = a->mfu * c->peak * c->devices / f.training;
		cr->step = cr->tokens_per_step / cr->tokens_per_second;
		cr->seconds_per_token = c->devices / cr->tokens_per_second;
	}
	r->mfu = isfinite(a->mfu) ? a->mfu : cr->mfu;
	r->goodput = CLUSTER_GOODPUT;
	r->wall_seconds = a->train_tokens / cr->tokens_per_second / r->goodput;
	r->device_hours = r->wall_seconds * c->devices / 3600;
	r->usd = isfinite(r->price) ? r->device_hours * r->price : NAN;
}

static void warnings(const struct hw_profile *p, struct report_run *r,
                     char (*buf)[200], const char **ptr)
{
	r->n_warn = 0;
	if (!p->calibrated)
		snprintf(buf[r->n_warn++], 200, "hardware %s: datasheet, not "
		         "calibrated on this machine", p->name);
	if (r->wall_seconds > COST_RUN_WARN_SECONDS)
		snprintf(buf[r->n_warn++], 200, "the run takes %.1f years of wall "
		         "clock on %d devices: more devices, or fewer tokens",
		         r->wall_seconds / (365.25 * 86400), r->devices);
	if (p->cluster.assumed != 0)
		snprintf(buf[r->n_warn++], 200, "hardware %s: some of its cluster "
		         "figures are assumptions (see the profile)", p->name);
	for (size_t i = 0; i < r->n_warn; i++)
		ptr[i] = buf[i];
	r->warn = ptr;
}

int cost_run(const struct cost_run_args *a, const char *arch_name,
             const struct hw_profile *p, const struct report_sink *sink)
{
	const char *dtype = a->dtype[0] ? a->dtype : p->dtype;
	struct cluster_spec c;
	struct cluster_run cr;
	struct report_run r;
	struct arch_params pa;
	struct mp_error e;
	struct arch arch;
	char wbuf[MAX_WARN][200];
	const char *wptr[MAX_WARN];
	int rc;

	if (arch_file_open(arch_name, &arch, &e) != 0)
		return cli_fail(&e);
	if (a->seq > 0)
		arch.seq = a->seq;
	if ((rc = spec_of(a, p, dtype, &c)) != 0)
		return rc;
	if (cluster_best(&c, &arch, &cr, &e) != 0)
		return cli_fail(&e);
	arch_count_params(&arch, &pa);
	memset(&r, 0, sizeof r);
	r = (struct report_run){ .hw = p, .arch_name = arch_name, .arch = &arch,
	                         .params = &pa, .run = &cr, .dtype = dtype,
	                         .tokens = a->train_tokens, .devices = c.devices,
	                         .price = isfinite(a->price) ? a->price :
	                                  p->price_per_hour,
	                         .mfu_given = a->mfu, .skew = a->skew };
	run_totals(a, &arch, &c, &cr, &r);
	warnings(p, &r, wbuf, wptr);
	if (sink->run(stdout, &r) != 0)
		return cli_failf("error writing standard output");
	return MP_EXIT_OK;
}
