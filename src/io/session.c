/*
 * session.c — resolve a session spec into a loaded law set, hardware
 * profile and plan request (see session.h).
 */
#include "config.h"

#include "io/session.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/shape.h"
#include "io/arch_file.h"
#include "io/hparam_load.h"
#include "io/layout_spec.h"
#include "io/model_load.h"
#include "io/resolve.h"

void session_spec_init(struct session_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	snprintf(spec->laws, sizeof spec->laws, "liew2025");
	spec->ckpt.N1 = spec->ckpt.D1 = NAN;
	spec->unit = UNIT_NONE;
	spec->price = NAN;
	spec->unc_seed = 1;
	layout_spec_init(&spec->pin);
}

int session_spec_set(char *field, const char *text)
{
	size_t n = strlen(text);

	if (n >= SESSION_NAME_LEN)
		return -1;
	memcpy(field, text, n + 1);
	return 0;
}

struct session *session_new(void)
{
	struct session *s = calloc(1, sizeof *s);

	if (s != NULL)
		session_spec_init(&s->spec);
	return s;
}

void session_free(struct session *s)
{
	if (s == NULL)
		return;
	model_free(s->model);
	model_free(s->dc_model);
	hparams_free(s->hparams);
	if (s->has_profile)
		profile_free(&s->profile);
	free(s->cluster_cache);
	free(s);
}

int session_open(const struct session_spec *spec, struct session **out,
                 struct mp_error *err)
{
	struct session *s = session_new();
	int rc;

	*out = NULL;
	if (s == NULL) {
		mp_error_set(err, "out of memory");
		return SESSION_FAILED;
	}
	if ((rc = session_apply(s, spec, err)) != SESSION_OK) {
		session_free(s);
		return rc;
	}
	*out = s;
	return SESSION_OK;
}

/* ---- what a spec asks for -------------------------------------------- */

/* An error already set (by the mp_error_set that is the second argument),
 * returned as status. */
static int spec_fail(int status, int set)
{
	(void)set;
	return status;
}

/* Options that only make sense together. */
static int check_combination(const struct session_spec *o,
                             struct mp_error *e)
{
	int hw = o->hardware[0] != '\0';

	if ((o->unit == UNIT_HOURS || o->unit == UNIT_USD) && !hw) {
		mp_error_set(e, "a budget in %s needs a hardware profile: give "
		             "--hardware NAME|FILE", units_unit_name(o->unit));
		return SESSION_BAD_SPEC;
	}
	if ((o->devices || o->batch_tokens || !isnan(o->price)) && !hw) {
		mp_error_set(e, "--devices, --price and --batch-tokens need "
		             "--hardware NAME|FILE");
		return SESSION_BAD_SPEC;
	}
	return SESSION_OK;
}

/* The model file of spec->laws; *law gets the law named after ':' (or
 * NULL).  NULL with err and *rc. */
static struct model *load_model(const struct session_spec *o, char **law,
                                int *rc, struct mp_error *e)
{
	const char *dir = o->models_dir[0] ? o->models_dir : NULL;
	char *name = NULL, *path = NULL;
	struct model *m = NULL;

	*law = NULL;
	*rc = SESSION_FAILED;
	if (model_split_spec(o->laws, &name, law, e) != 0) {
		mp_error_prefix(e, "--laws");
		*rc = SESSION_BAD_SPEC;
	} else if ((path = resolve_find(RESOLVE_MODEL, name, dir, e)) != NULL) {
		m = model_load(path, e);
	}
	free(name);
	free(path);
	return m;
}

int session_ckpt_given(const struct session_ckpt *c)
{
	return !isnan(c->D1) && (!isnan(c->N1) || c->arch[0] != '\0');
}

/* The law of path p in model m: continue's is the dense law, planned only
 * from a checkpoint. */
static const struct law *law_of_path(const struct session_spec *o,
                                     const struct model *m, enum law_path p)
{
	if (p != PATH_CONTINUE)
		return model_law_for_path(m, p);
	return session_ckpt_given(&o->ckpt) ? model_law_for_path(m, PATH_DENSE)
	                                    : NULL;
}

/* The one law named in --laws: its path, and continue for a dense law
 * from a checkpoint. */
static int select_one(const struct session_spec *o, const struct model *m,
                      const char *law_name, struct plan_request *r,
                      struct mp_error *e)
{
	const struct law *L = model_law(m, law_name);
	unsigned want = o->paths ? o->paths : (1u << PATH_COUNT) - 1, has;
	int cont;

	if (L == NULL)
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(e,
		                 "--laws: model %s has no law '%s'", m->name,
		                 law_name));
	cont = L->path == PATH_DENSE && session_ckpt_given(&o->ckpt);
	has = (1u << L->path) | (cont ? 1u << PATH_CONTINUE : 0);
	if (o->paths && !(o->paths & has))
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(e,
		                 "--laws: law %s:%s is for path %s, not the "
		                 "paths asked for", m->name, law_name,
		                 law_path_name(L->path)));
	if (want & (1u << L->path))
		r->laws[L->path] = L;
	if (cont && (want & (1u << PATH_CONTINUE)))
		r->laws[PATH_CONTINUE] = L;
	return SESSION_OK;
}

/* The law of each requested path. */
static int select_laws(const struct session_spec *o, const struct model *m,
                       const char *law_name, struct plan_request *r,
                       struct mp_error *e)
{
	unsigned want = o->paths ? o->paths : (1u << PATH_COUNT) - 1;
	int n = 0;

	if (law_name != NULL)
		return select_one(o, m, law_name, r, e);
	if ((o->paths & (1u << PATH_CONTINUE)) && !session_ckpt_given(&o->ckpt))
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(e,
		                 "--path continue: continues a checkpoint: give "
		                 "--checkpoint N1=..,D1=.."));
	for (int p = 0; p < PATH_COUNT; p++) {
		if (!(want & (1u << p)))
			continue;
		r->laws[p] = law_of_path(o, m, (enum law_path)p);
		if (r->laws[p] == NULL && o->paths)
			return spec_fail(SESSION_BAD_SPEC, mp_error_set(e,
			                 "--path %s: model %s has no law for that path",
			                 law_path_name((enum law_path)p), m->name));
		n += r->laws[p] != NULL;
	}
	if (n == 0)
		return spec_fail(SESSION_FAILED, mp_error_set(e,
		                 "model %s has no law for the paths asked for",
		                 m->name));
	return SESSION_OK;
}

/* The hardware profile of spec->hardware into *p.  0 or SESSION_FAILED. */
static int load_profile(const struct session_spec *o, struct hw_profile *p,
                        struct mp_error *e)
{
	char *path = resolve_find(RESOLVE_HARDWARE, o->hardware, NULL, e);
	int rc;

	if (path == NULL)
		return SESSION_FAILED;
	profile_init(p);
	rc = profile_load(path, p, e);
	free(path);
	if (rc != 0) {
		profile_free(p);
		return SESSION_FAILED;
	}
	return SESSION_OK;
}

/* ---- the checkpoint --------------------------------------------------- */

/* The checkpoint's architecture into req, and N1 as its count in the
 * convention of the law that reports the baseline. */
static int checkpoint_arch(const struct session_ckpt *c,
                           struct plan_request *req, struct mp_error *err)
{
	const struct law *B = req->baseline ? req->baseline
	                                    : req->laws[PATH_CONTINUE];

	if (B == NULL)
		B = req->laws[PATH_UPCYCLE];
	if (arch_file_open(c->arch, &req->ckpt_arch, err) != 0) {
		mp_error_prefix(err, "--checkpoint-arch");
		return SESSION_FAILED;
	}
	if (req->ckpt_arch.experts != 0)
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(err,
		                 "--checkpoint-arch: %s has %d experts: a checkpoint "
		                 "to continue or upcycle is dense", c->arch,
		                 req->ckpt_arch.experts));
	req->has_ckpt_arch = 1;
	req->ckpt_params = shape_count(&req->ckpt_arch, B->count);
	return SESSION_OK;
}

int session_checkpoint(const struct session_ckpt *c, struct plan_request *req,
                       char *note, size_t n, struct mp_error *err)
{
	int has_a = c->arch[0] != '\0';
	int has_n = !isnan(c->N1) || has_a, has_d = !isnan(c->D1), rc;

	if (n > 0)
		note[0] = '\0';
	req->has_checkpoint = req->has_ckpt_arch = 0;
	if ((!isnan(c->N1) && !(isfinite(c->N1) && c->N1 > 0)) ||
	    (has_d && !(isfinite(c->D1) && c->D1 > 0)))
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(err,
		                 "checkpoint: N1 and D1 must be positive numbers"));
	if (has_a && !isnan(c->N1))
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(err,
		                 "checkpoint: give N1 or --checkpoint-arch, not both "
		                 "(the architecture's count is N1)"));
	if (has_n != has_d) {
		snprintf(note, n, has_a ? "checkpoint: give D1 with the architecture"
		                        : "checkpoint: give both N1 and D1");
		return SESSION_OK;
	}
	if (!has_n)
		return SESSION_OK;
	if (req->laws[PATH_UPCYCLE] == NULL && req->laws[PATH_CONTINUE] == NULL)
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(err,
		                 "checkpoint: neither an upcycle nor a continue path "
		                 "is planned (the law set has no upcycle or dense "
		                 "law, or the paths leave them out)"));
	req->ckpt_params = c->N1;
	if (has_a && (rc = checkpoint_arch(c, req, err)) != SESSION_OK)
		return rc;
	req->has_checkpoint = 1;
	req->ckpt_tokens = c->D1;
	req->ckpt_paid = c->paid;
	return SESSION_OK;
}

/* ---- the request ------------------------------------------------------ */

/* The laws of r (and its baseline) read as reading v of m, from the
 * file's own laws of the same names. */
static void read_as(const struct model *m, int v, struct plan_request *r)
{
	for (int p = 0; p < PATH_COUNT; p++)
		if (r->laws[p] != NULL)
			r->laws[p] = model_law_in(m, v, model_law(m, r->laws[p]->name));
	if (r->baseline != NULL)
		r->baseline = model_law_in(m, v, model_law(m, r->baseline->name));
}

/* "ln, log10": the readings of m, for messages. */
static void variant_list(const struct model *m, char *buf, size_t n)
{
	size_t len = (size_t)snprintf(buf, n, "%s", model_variant_name(m, -1));

	for (size_t v = 0; v < m->n_variants && len < n; v++)
		len += (size_t)snprintf(buf + len, n - len, ", %s",
		                        m->variant[v].name);
}

/* The reading spec o names (--variant) into *variant, and r's laws read
 * that way; an unknown name is a usage error that lists the readings. */
static int select_variant(const struct session_spec *o, const struct model *m,
                          struct plan_request *r, int *variant,
                          struct mp_error *e)
{
	char list[512];

	*variant = -1;
	if (o->variant[0] == '\0')
		return SESSION_OK;
	if ((*variant = model_variant_index(m, o->variant)) == -2) {
		variant_list(m, list, sizeof list);
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(e, "--variant: model "
		                 "%s has no variant '%s' (it has: %s)", m->name,
		                 o->variant, list));
	}
	read_as(m, *variant, r);
	return SESSION_OK;
}

/* The request from spec o, model m and profile p (NULL: none). */
static int build_request(const struct session_spec *o, const struct model *m,
                         const char *law, const struct hw_profile *p,
                         struct session *s, struct plan_request *r,
                         int *variant, struct mp_error *e)
{
	char note[SESSION_NOTE_LEN];
	int rc;

	memset(r, 0, sizeof *r);
	r->price = NAN;
	if ((rc = select_laws(o, m, law, r, e)) != SESSION_OK)
		return rc;
	r->shape = &m->shape;
	if (p != NULL) {
		r->cost = &p->model;
		r->tokens_per_step = o->batch_tokens;
		r->price = isnan(o->price) ? p->price_per_hour : o->price;
		r->devices = o->devices;
		if (o->unit == UNIT_USD && isnan(r->price))
			return spec_fail(SESSION_BAD_SPEC, mp_error_set(e,
			                 "a budget in usd needs a price: profile %s has "
			                 "none, give --price", p->name));
	}
	r->budget_is_time = o->unit == UNIT_HOURS || o->unit == UNIT_USD;
	r->within_fit = o->within_fit;
	r->flat_tol = o->flat_tol;
	r->serve = o->serve;
	if (r->laws[PATH_UPCYCLE] != NULL &&
	    r->laws[PATH_UPCYCLE]->baseline != NULL)
		r->baseline = model_law(m, r->laws[PATH_UPCYCLE]->baseline);
	/* the checkpoint's own loss: else by the dense law continue trains */
	if (r->baseline == NULL && session_ckpt_given(&o->ckpt))
		r->baseline = model_law_for_path(m, PATH_DENSE);
	if ((rc = select_variant(o, m, r, variant, e)) != SESSION_OK)
		return rc;
	if ((rc = session_checkpoint(&o->ckpt, r, note, sizeof note, e)) != 0)
		return rc;
	s->n_note = 0;
	if (note[0] != '\0')
		snprintf(s->note[s->n_note++], SESSION_NOTE_LEN, "%s", note);
	r->n_pins = o->n_fix;
	memcpy(r->pin_name, o->fix_name, sizeof r->pin_name);
	memcpy(r->pin_value, o->fix_value, sizeof r->pin_value);
	return SESSION_OK;
}

/* Labels of the loaded law set and profile, for reports. */
static void set_labels(struct session *s)
{
	for (int p = 0; p < PATH_COUNT; p++) {
		const struct law *L = s->req.laws[p];

		s->law_label[p][0] = '\0';
		if (L != NULL && L->variant != NULL)
			snprintf(s->law_label[p], sizeof s->law_label[p],
			         "%.50s/%.40s [%.30s]", L->model, L->name, L->variant);
		else if (L != NULL)
			snprintf(s->law_label[p], sizeof s->law_label[p], "%.60s/%.60s",
			         L->model, L->name);
	}
	s->hw_label[0] = '\0';
	if (s->has_profile)
		snprintf(s->hw_label, sizeof s->hw_label, "%.64s (%.128s)",
		         s->profile.name, s->profile.label);
}

/* What session_apply loads before it commits. */
struct staged {
	struct model *model;          /* new, or NULL: keep s->model */
	struct hw_profile profile;    /* new if has_profile */
	int has_profile;
	char *law;                    /* the law named in --laws */
};

static int stage(const struct session *s, const struct session_spec *o,
                 struct staged *st, struct mp_error *e)
{
	int rc = SESSION_OK;
	char *name = NULL;

	memset(st, 0, sizeof *st);
	if (s->model == NULL || strcmp(o->laws, s->spec.laws) != 0 ||
	    strcmp(o->models_dir, s->spec.models_dir) != 0) {
		if ((st->model = load_model(o, &st->law, &rc, e)) == NULL)
			return rc;
		rc = SESSION_OK;
	} else if (model_split_spec(o->laws, &name, &st->law, e) != 0) {
		rc = SESSION_BAD_SPEC;         /* cannot happen: it split before */
	}
	free(name);
	if (rc == SESSION_OK && o->hardware[0] != '\0' &&
	    (!s->has_profile || strcmp(o->hardware, s->spec.hardware) != 0)) {
		rc = load_profile(o, &st->profile, e);
		st->has_profile = rc == SESSION_OK;
	}
	return rc;
}

static void unstage(struct staged *st)
{
	model_free(st->model);
	if (st->has_profile)
		profile_free(&st->profile);
	free(st->law);
	memset(st, 0, sizeof *st);
}

/* Whether profile p (NULL: none) has a cluster block a request can plan
 * on: device memory and links. */
static int has_cluster(const struct hw_profile *p)
{
	return p != NULL && p->cluster.present && p->cluster.memory_bytes > 0 &&
	       profile_cluster_has_links(p);
}

/* Layout pins need a cluster to pin the layout of. */
static int check_pin(const struct session_spec *o, const struct hw_profile *p,
                     struct mp_error *e)
{
	char text[128];

	if (!layout_spec_pinned(&o->pin) || has_cluster(p))
		return SESSION_OK;
	layout_spec_format(&o->pin, text, sizeof text);
	if (p == NULL)
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(e, "--layout %s: "
		                 "pins a cluster's layout: give --hardware with a "
		                 "profile that has a cluster: block (e.g. h100-sxm)",
		                 text));
	if (p->cluster.present)
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(e, "--layout %s: "
		                 "hardware %s's cluster: block has no links between "
		                 "devices (a calibrated node of one device): no "
		                 "layout to pin", text, p->name));
	return spec_fail(SESSION_BAD_SPEC, mp_error_set(e, "--layout %s: "
	                 "hardware %s has no cluster: block (device memory and "
	                 "links, moeplan-models(5)) to pin a layout on", text,
	                 p->name));
}

/* The cluster the request plans on: the profile's cluster block (device
 * memory and links), the spec's devices and layout pins; none without a
 * block. */
static void set_cluster(struct session *s, const struct session_spec *o,
                        struct plan_request *r)
{
	const struct hw_profile *p = &s->profile;
	struct cluster_spec *c = &s->cluster;

	r->cluster = NULL;
	r->cluster_cache = NULL;
	if (!s->has_profile || !has_cluster(p))
		return;
	if (s->cluster_cache == NULL &&
	    (s->cluster_cache = malloc(sizeof *s->cluster_cache)) == NULL)
		return;                        /* the single-device model, then */
	plan_cluster_cache_reset(s->cluster_cache);
	cluster_spec_init(c);
	c->devices = o->devices > 0 ? o->devices : 1;
	c->device_bytes = p->cluster.memory_bytes;
	c->links = p->cluster.links;
	c->cost = &p->model;
	c->peak = p->model.mfu_peak;
	c->batch_tokens = CLUSTER_BATCH_TOKENS;
	c->pin = o->pin;
	r->cluster = c;
	r->cluster_cache = s->cluster_cache;
}

#define SESSION_DATA_LAW "muennighoff2023"
#define SESSION_HPARAMS "deepseek2024"

/* The data files beside the law set, into s when they load: the model
 * file that prices repeated tokens (only with unique tokens, and only
 * when the law set m has no data_constrained: block of its own) and the
 * batch and learning-rate law (the default's absence is no error: the
 * plans then suggest none).  Sets r's datacon, datacon_law and hparams. */
static int data_laws(struct session *s, const struct session_spec *o,
                     const struct model *m, struct plan_request *r,
                     struct mp_error *e)
{
	const char *dir = o->models_dir[0] ? o->models_dir : NULL;
	const char *dn = o->data_law[0] ? o->data_law : SESSION_DATA_LAW;
	const char *hn = o->hparams[0] ? o->hparams : SESSION_HPARAMS;
	const struct model *dm = m;

	if (o->unique_tokens > 0 && m->data_constrained == NULL) {
		if (s->dc_model == NULL || strcmp(s->dc_name, dn) != 0) {
			char *path = resolve_find(RESOLVE_MODEL, dn, dir, e);
			struct model *x = path ? model_load(path, e) : NULL;

			free(path);
			if (x == NULL) {
				mp_error_prefix(e, "--data-law");
				return SESSION_FAILED;
			}
			if (x->data_constrained == NULL) {
				model_free(x);
				return spec_fail(SESSION_BAD_SPEC, mp_error_set(e,
				                 "--data-law: model %s has no "
				                 "data_constrained: block", dn));
			}
			model_free(s->dc_model);
			s->dc_model = x;
			snprintf(s->dc_name, sizeof s->dc_name, "%s", dn);
		}
		dm = s->dc_model;
	}
	if (o->unique_tokens > 0) {
		r->unique_tokens = o->unique_tokens;
		r->datacon = dm->data_constrained;
		r->datacon_law = dm == m && r->datacon && r->datacon->law ?
		                 model_law(m, r->datacon->law) : NULL;
	}
	if (strcmp(hn, "none") == 0)
		return SESSION_OK;
	if (s->hparams == NULL || strcmp(s->hp_name, hn) != 0) {
		struct mp_error he;
		struct hparams *h;

		mp_error_clear(&he);
		h = hparam_open(hn, NULL, &he);
		if (h == NULL && o->hparams[0] != '\0') {
			*e = he;
			mp_error_prefix(e, "--hparams");
			return SESSION_FAILED;
		}
		hparams_free(s->hparams);
		s->hparams = h;
		snprintf(s->hp_name, sizeof s->hp_name, "%s", hn);
	}
	r->hparams = s->hparams;
	return SESSION_OK;
}

int session_apply(struct session *s, const struct session_spec *o,
                  struct mp_error *e)
{
	struct staged st;
	struct plan_request r;
	const struct hw_profile *p = NULL;
	int rc, variant;

	mp_error_clear(e);
	if ((rc = check_combination(o, e)) != SESSION_OK)
		return rc;
	if ((rc = stage(s, o, &st, e)) != SESSION_OK) {
		unstage(&st);
		return rc;
	}
	if (o->hardware[0] != '\0')
		p = st.has_profile ? &st.profile : &s->profile;
	rc = check_pin(o, p, e);
	if (rc == SESSION_OK)
		rc = build_request(o, st.model ? st.model : s->model, st.law, p, s,
		                   &r, &variant, e);
	if (rc == SESSION_OK)
		rc = data_laws(s, o, st.model ? st.model : s->model, &r, e);
	if (rc != SESSION_OK) {
		unstage(&st);
		return rc;
	}
	if (st.model != NULL) {
		model_free(s->model);
		s->model = st.model;
		st.model = NULL;
		s->gen++;
	}
	if (st.has_profile || (o->hardware[0] == '\0' && s->has_profile)) {
		if (s->has_profile)
			profile_free(&s->profile);
		s->has_profile = st.has_profile;
		if (st.has_profile)
			s->profile = st.profile;
		st.has_profile = 0;
		s->gen++;
	}
	/* the request points into what the session now owns */
	r.shape = &s->model->shape;
	r.cost = s->has_profile ? &s->profile.model : NULL;
	set_cluster(s, o, &r);
	s->req = r;
	s->variant = variant;
	s->spec = *o;
	unstage(&st);
	set_labels(s);
	return SESSION_OK;
}

/* ---- budgets and reports ---------------------------------------------- */

int session_budget(struct session *s, double value, struct mp_error *err)
{
	s->req.budget = units_budget_to_solver(s->spec.unit, value, s->req.price);
	if (!isfinite(s->req.budget) || !(s->req.budget > 0))
		return spec_fail(SESSION_BAD_SPEC, mp_error_set(err,
		                 "out of range in device-seconds"));
	return session_budget_check(s, s->req.budget, err);
}

int session_budget_check(const struct session *s, double budget,
                         struct mp_error *err)
{
	double limit = plan_budget_limit(&s->req);
	enum budget_unit u = s->spec.unit == UNIT_NONE ? UNIT_FLOPS : s->spec.unit;
	char text[64];

	if (!(budget > limit))
		return SESSION_OK;
	if (u == UNIT_FLOPS)
		snprintf(text, sizeof text, "%.3g FLOPs", limit);
	else if (u == UNIT_HOURS)
		snprintf(text, sizeof text, "%.3g device-hours",
		         units_budget_from_solver(u, limit, s->req.price));
	else
		snprintf(text, sizeof text, "$%.3g",
		         units_budget_from_solver(u, limit, s->req.price));
	return spec_fail(SESSION_BAD_SPEC, mp_error_set(err,
	                 "beyond what the laws can be asked about (limit %s)",
	                 text));
}

void session_report_info(const struct session *s, double budget_value,
                         struct report_info *info)
{
	report_info_init(info);
	info->model = s->model->name;
	info->source = s->model->source;
	info->provenance = s->model->provenance;
	info->note = s->model->note;
	info->unit = s->spec.unit == UNIT_NONE ? UNIT_FLOPS : s->spec.unit;
	if (info->unit != UNIT_FLOPS)
		info->budget_value = budget_value;
	if (s->req.hparams != NULL) {
		info->hparams_source = s->req.hparams->source;
		info->hparams_compute = s->req.hparams->compute;
	}
	if (s->req.unique_tokens > 0 && s->req.datacon != NULL) {
		info->unique_tokens = s->req.unique_tokens;
		info->datacon_source = s->req.datacon->source;
	}
	if (s->has_profile) {
		info->price = s->req.price;
		info->hardware = s->hw_label;
		info->devices = s->spec.devices;
	}
	for (int p = 0; p < PATH_COUNT; p++)
		if (s->req.laws[p] != NULL)
			info->law[p] = s->law_label[p];
	if (s->model->n_variants > 0)
		info->variant = model_variant_name(s->model, s->variant);
}

/* 1 if reading v changes a law of r (or its baseline) from reading cur. */
static int changes(const struct model *m, int v, int cur,
                   const struct plan_request *r)
{
	struct plan_request a = *r, b = *r;

	read_as(m, v, &a);
	read_as(m, cur, &b);
	for (int p = 0; p < PATH_COUNT; p++)
		if (a.laws[p] != b.laws[p])
			return 1;
	return a.baseline != b.baseline;
}

int session_variants(const struct session *s, struct report_variant *out,
                     size_t *n, struct mp_error *err)
{
	const struct model *m = s->model;

	*n = 0;
	for (int v = -1; v < (int)m->n_variants && *n < REPORT_MAX_VARIANTS;
	     v++) {
		struct plan_request r = s->req;
		struct report_variant *rv = &out[*n];
		struct plan pl;

		if (v == s->variant || !changes(m, v, s->variant, &s->req))
			continue;
		read_as(m, v, &r);
		r.flat_tol = -1;              /* the verdict needs the losses only */
		if (plan_solve(&r, &pl, err) != 0) {
			mp_error_prefix(err, "variant %s", model_variant_name(m, v));
			return -1;
		}
		rv->name = model_variant_name(m, v);
		rv->best = pl.best;
		rv->loss = pl.best >= 0 ? pl.path[pl.best].loss : NAN;
		rv->extrapolated = pl.best >= 0 && pl.path[pl.best].extrapolated;
		rv->runner_up = plan_runner_up(&pl);
		rv->margin = rv->runner_up >= 0 ?
		             pl.path[rv->runner_up].loss - rv->loss : NAN;
		(*n)++;
	}
	return 0;
}
