/*
 * report_run.c — a whole training run on a cluster (`moeplan cost
 * --train-tokens`) in every format that fits it: a table for people
 * (hardware, model, layout, memory per device, the step's parts, speed,
 * the run's wall clock, device-hours and money, warnings), CSV (one row)
 * and the JSON/YAML document (written by report_doc.c).
 */
#include "config.h"

#include "report.h"

#include <math.h>
#include <stdio.h>

#include "core/cluster.h"
#include "io/profile.h"
#include "report_impl.h"

static const char *recompute_name(enum layout_recompute r)
{
	return r == LAYOUT_RECOMPUTE_FULL ? "full" :
	       r == LAYOUT_RECOMPUTE_SELECTIVE ? "selective" : "none";
}

/* ---- table ------------------------------------------------------------- */

static void table_layout(FILE *f, const struct report_run *r)
{
	const struct layout *l = &r->run->layout;
	char chunks[48] = "";

	if (layout_chunks(l) > 1)
		snprintf(chunks, sizeof chunks, " (interleaved, %d chunks)",
		         layout_chunks(l));
	fprintf(f, "layout    tp %d, pp %d%s, dp %d, ep %d; ZeRO %d, recompute %s; "
	        "micro-batch %d x %d\n          (global batch %.0f sequences, "
	        "%.4g tokens); the fastest of %zu layouts that fit\n", l->tp, l->pp,
	        chunks, l->dp, l->ep, l->zero,
	        recompute_name(l->recompute), l->micro_batch, l->micro_batches,
	        (double)l->micro_batch * l->micro_batches * l->dp,
	        r->run->tokens_per_step, r->run->n_fit);
}

static void table_memory(FILE *f, const struct report_run *r)
{
	const struct memory_use *m = &r->run->memory;

	fprintf(f, "memory    %.1f GB of %.0f per device (stage %d): weights %.1f, "
	        "gradients %.1f,\n          optimizer %.1f, activations %.1f (%d "
	        "micro-batches in flight), logits %.1f, workspace %.1f\n",
	        m->total / 1e9, r->hw->cluster.memory_bytes / 1e9, m->stage,
	        m->weights / 1e9, m->grads / 1e9, m->optimizer / 1e9,
	        m->activations / 1e9, m->in_flight, m->logits / 1e9,
	        m->workspace / 1e9);
}

static void table_step(FILE *f, const struct report_run *r)
{
	const struct cluster_run *c = r->run;
	char ep[48] = "", pp[48] = "";

	/* what the framework's overlap hides, where it hides anything */
	if (c->ep_exposed < c->comm.ep)
		snprintf(ep, sizeof ep, " (%.4g exposed)", c->ep_exposed);
	if (c->pp_exposed < c->comm.pp)
		snprintf(pp, sizeof pp, " (%.4g exposed)", c->pp_exposed);
	fprintf(f, "step      %.4g s: micro-batches %.4g (each %.4g, bubble "
	        "%.0f%%) with their\n          tensor-parallel %.4g and expert "
	        "all-to-all %.4g%s; data-parallel %.4g (%.4g exposed),\n"
	        "          pipeline %.4g%s, optimizer %.4g\n", c->step, c->compute,
	        c->t_mb, 100 * c->comm.bubble, c->comm.tp, c->comm.ep, ep,
	        c->comm.dp, c->dp_exposed, c->comm.pp, pp, c->optimizer);
}

/* A wall clock in the unit that reads best: hours, days or years. */
static void duration(FILE *f, double s)
{
	if (s < 2 * 86400)
		fprintf(f, "%.3g hours", s / 3600);
	else if (s < 2 * 365.25 * 86400)
		fprintf(f, "%.3g days", s / 86400);
	else
		fprintf(f, "%.3g years", s / (365.25 * 86400));
}

static void table_run(FILE *f, const struct report_run *r)
{
	fprintf(f, "speed     %.4g tokens/s on %d devices, MFU %.1f%%%s\n",
	        r->run->tokens_per_second, r->devices, 100 * r->mfu,
	        isfinite(r->mfu_given) ? " (given: --mfu)" : "");
	fputs("run       wall clock ", f);
	duration(f, r->wall_seconds);
	fprintf(f, " (at %.0f%% goodput), %.4g device-hours", 100 * r->goodput,
	        r->device_hours);
	if (isfinite(r->usd))
		fprintf(f, ", $%.4g\n          at $%.3g per device-hour", r->usd,
		        r->price);
	fputc('\n', f);
}

int report_run_table(FILE *f, const struct report_run *r)
{
	const struct arch_params *pa = r->params;
	char n[24], na[24], d[24];

	fprintf(f, "hardware  %s (%s), %d devices, %s\n", r->hw->name,
	        r->hw->label, r->devices, r->dtype);
	fprintf(f, "model     %s: %s parameters (%s active), %s tokens, "
	        "sequence %d, routing skew %g\n", r->arch_name,
	        units_fmt_count(pa->total, n, sizeof n),
	        units_fmt_count(pa->active, na, sizeof na),
	        units_fmt_count(r->tokens, d, sizeof d), r->arch->seq, r->skew);
	table_layout(f, r);
	table_memory(f, r);
	table_step(f, r);
	table_run(f, r);
	if (r->n_warn > 0) {
		fputs("\nwarnings:\n", f);
		for (size_t i = 0; i < r->n_warn; i++)
			fprintf(f, "  %s\n", r->warn[i]);
	}
	return ferror(f) ? -1 : 0;
}

/* ---- csv --------------------------------------------------------------- */

int report_run_csv(FILE *f, const struct report_run *r)
{
	const struct cluster_run *c = r->run;
	const struct layout *l = &c->layout;
	double v[] = { r->tokens, r->devices, l->tp, l->pp, l->dp, l->ep, l->zero,
	               l->micro_batch, l->micro_batches, c->memory.total,
	               c->step, c->tokens_per_second, r->mfu, r->wall_seconds,
	               r->device_hours, r->usd };

	fputs("hardware,arch,dtype,tokens,devices,tp,pp,dp,ep,zero,micro_batch,"
	      "micro_batches,recompute,memory_bytes,step_seconds,tokens_per_second,"
	      "mfu,wall_seconds,device_hours,usd\n", f);
	report_csv_str(f, r->hw->name);
	fputc(',', f);
	report_csv_str(f, r->arch_name);
	fputc(',', f);
	report_csv_str(f, r->dtype);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		fputc(',', f);
		if (i == 9) {
			report_csv_str(f, recompute_name(l->recompute));
			fputc(',', f);
		}
		if (isfinite(v[i]))
			report_csv_num(f, v[i]);
	}
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

/* ---- json, yaml -------------------------------------------------------- */

static void tree_layout(struct emit *e, const struct cluster_run *c)
{
	const struct layout *l = &c->layout;

	emit_key(e, "layout");
	emit_object_begin(e);
	emit_kv_number(e, "tp", l->tp);
	emit_kv_number(e, "pp", l->pp);
	emit_kv_number(e, "dp", l->dp);
	emit_kv_number(e, "ep", l->ep);
	emit_kv_number(e, "zero", l->zero);
	emit_kv_string(e, "recompute", recompute_name(l->recompute));
	emit_kv_bool(e, "sequence_parallel", l->sequence_parallel);
	emit_kv_number(e, "micro_batch", l->micro_batch);
	emit_kv_number(e, "micro_batches", l->micro_batches);
	emit_kv_number(e, "vpp", layout_chunks(l));
	emit_kv_number(e, "tokens_per_step", c->tokens_per_step);
	emit_kv_number(e, "layouts_that_fit", (double)c->n_fit);
	emit_object_end(e);
}

static void tree_memory(struct emit *e, const struct memory_use *m)
{
	emit_key(e, "memory_per_device");
	emit_object_begin(e);
	emit_kv_number(e, "stage", m->stage);
	emit_kv_number(e, "weights", m->weights);
	emit_kv_number(e, "gradients", m->grads);
	emit_kv_number(e, "optimizer", m->optimizer);
	emit_kv_number(e, "activations", m->activations);
	emit_kv_number(e, "micro_batches_in_flight", m->in_flight);
	emit_kv_number(e, "logits", m->logits);
	emit_kv_number(e, "workspace", m->workspace);
	emit_kv_number(e, "total", m->total);
	emit_object_end(e);
}

static void tree_step(struct emit *e, const struct cluster_run *c)
{
	emit_key(e, "step");
	emit_object_begin(e);
	emit_kv_number(e, "seconds", c->step);
	emit_kv_number(e, "compute", c->compute);
	emit_kv_number(e, "micro_batch", c->t_mb);
	emit_kv_number(e, "bubble_fraction", c->comm.bubble);
	emit_kv_number(e, "tensor_parallel", c->comm.tp);
	emit_kv_number(e, "expert_all_to_all", c->comm.ep);
	emit_kv_number(e, "expert_all_to_all_exposed", c->ep_exposed);
	emit_kv_number(e, "data_parallel", c->comm.dp);
	emit_kv_number(e, "data_parallel_exposed", c->dp_exposed);
	emit_kv_number(e, "pipeline", c->comm.pp);
	emit_kv_number(e, "pipeline_exposed", c->pp_exposed);
	emit_kv_number(e, "communication_exposed", c->comm_exposed);
	emit_kv_number(e, "optimizer", c->optimizer);
	emit_kv_number(e, "skew_factor", c->skew_factor);
	emit_object_end(e);
}

void report_run_tree(struct emit *e, const struct report_run *r)
{
	emit_object_begin(e);
	emit_kv_string(e, "hardware", r->hw->name);
	emit_kv_bool(e, "calibrated", r->hw->calibrated);
	emit_kv_string(e, "dtype", r->dtype);
	emit_kv_string(e, "arch", r->arch_name);
	emit_kv_number(e, "params", r->params->total);
	emit_kv_number(e, "active_params", r->params->active);
	emit_kv_number(e, "tokens", r->tokens);
	emit_kv_number(e, "devices", r->devices);
	tree_layout(e, r->run);
	tree_memory(e, &r->run->memory);
	tree_step(e, r->run);
	emit_kv_number(e, "tokens_per_second", r->run->tokens_per_second);
	emit_kv_number(e, "mfu", r->mfu);
	emit_kv_bool(e, "mfu_given", isfinite(r->mfu_given));
	emit_kv_number(e, "goodput", r->goodput);
	emit_kv_number(e, "wall_seconds", r->wall_seconds);
	emit_kv_number(e, "device_hours", r->device_hours);
	if (isfinite(r->usd))
		emit_kv_number(e, "usd", r->usd);
	emit_key(e, "warnings");
	emit_array_begin(e);
	for (size_t i = 0; i < r->n_warn; i++)
		emit_string(e, r->warn[i]);
	emit_array_end(e);
	emit_object_end(e);
}
