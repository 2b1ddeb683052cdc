/*
 * app.c — the interactive planner's state and its update cycle (app.h):
 * inputs -> session spec -> law set and hardware profile loaded
 * (io/session.h) -> request
 * -> plan (app_work.c: solved now, or taken from the plans solved ahead)
 * -> view model.  A change that cannot be planned is undone and its error
 * goes to the status line.  The keys are in app_keys.c, the frontier and
 * the plans solved ahead in app_work.c, the export in app_export.c.
 */
#include "config.h"

#include "app.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan_target.h"
#include "io/layout_spec.h"
#include "render.h"

/* ---- loading ----------------------------------------------------------- */

void app_spec(const struct app *a, struct session_spec *spec)
{
	*spec = a->cfg.spec;
	if (a->in.model >= 0)
		session_spec_set(spec->laws, a->models[a->in.model]);
	spec->unit = a->in.unit;
	spec->paths = a->in.paths;
	spec->within_fit = a->in.within_fit;
	spec->ckpt.N1 = a->in.ckpt_N1;
	spec->ckpt.D1 = a->in.ckpt_D1;
	spec->ckpt.paid = a->in.ckpt_paid;
	spec->serve.tokens = a->in.inference;
	spec->unique_tokens = a->in.unique;
	if (a->in.hw >= 0) {
		session_spec_set(spec->hardware, a->hw[a->in.hw].path);
		spec->devices = a->in.devices;
		spec->pin = a->in.pin;
	} else {                           /* these need a profile */
		layout_spec_init(&spec->pin);
		spec->hardware[0] = '\0';
		spec->devices = 0;
		spec->price = NAN;
		spec->batch_tokens = 0;
	}
}

/* ---- solving ----------------------------------------------------------- */

static void note(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct app *a, const char *fmt, ...)
{
	va_list ap;

	if (a->n_note == APP_NOTES)
		return;
	va_start(ap, fmt);
	vsnprintf(a->note[a->n_note], sizeof a->note[0], fmt, ap);
	va_end(ap);
	a->note_ptr[a->n_note] = a->note[a->n_note];
	a->n_note++;
}

static const char *laws_label(const struct app *a)
{
	return a->in.model >= 0 ? a->models[a->in.model] : a->cfg.spec.laws;
}

/* The session for the inputs (the law set and profile reloaded only when
 * they changed), and its request at the inputs' budget. */
static int build_request(struct app *a, struct mp_error *err)
{
	struct session_spec spec;

	app_spec(a, &spec);
	if (session_apply(a->session, &spec, err) != SESSION_OK)
		return -1;
	a->n_note = 0;
	for (size_t i = 0; i < a->session->n_note; i++)
		note(a, "%s", a->session->note[i]);
	if (session_budget(a->session, a->in.budget, err) != SESSION_OK)
		return mp_error_set(err, "the budget cannot be planned in %s",
		                    view_unit_label(a->in.unit));
	a->req = a->session->req;
	return 0;
}

/* The law set compared with, at the inputs' budget: the same spec with its
 * laws.  Its failure is a note, not an error: the inputs stand. */
static void compare_plan(struct app *a)
{
	struct session_spec spec;
	struct mp_error e;

	a->has_cmp = 0;
	if (a->in.compare < 0)
		return;
	app_spec(a, &spec);
	session_spec_set(spec.laws, a->models[a->in.compare]);
	spec.variant[0] = '\0';           /* the other set's own reading */
	if (session_apply(a->cmp, &spec, &e) != SESSION_OK ||
	    session_budget(a->cmp, a->in.budget, &e) != SESSION_OK ||
	    (isfinite(a->in.target)
	     ? plan_target_solve(&a->cmp->req, a->in.target, &a->cmp_plan, &e)
	     : plan_solve(&a->cmp->req, &a->cmp_plan, &e)) != 0) {
		note(a, "compare %s: %s", a->models[a->in.compare], e.msg);
		return;
	}
	a->has_cmp = 1;
}

int app_view(struct app *a, struct mp_error *err)
{
	struct view_request vr;

	memset(&vr, 0, sizeof vr);
	vr.budget = a->in.budget;
	vr.unit = a->in.unit;
	vr.devices = a->in.devices;
	vr.hardware = a->session->has_profile ? a->session->profile.name : NULL;
	vr.calibrated = a->session->has_profile && a->session->profile.calibrated;
	vr.cost = a->req.cost;
	vr.price = a->req.price;
	vr.tokens_per_step = a->req.tokens_per_step;
	if (a->req.cluster != NULL) {
		vr.device_bytes = a->req.cluster->device_bytes;
		vr.pin = &a->in.pin;
	}
	vr.laws = laws_label(a);
	vr.source = a->session->model->source;
	vr.provenance = a->session->model->provenance;
	vr.assumptions = a->session->model->note;
	vr.within_fit = a->in.within_fit;
	if (a->in.compare >= 0) {
		vr.compare = a->models[a->in.compare];
		vr.cmp_plan = a->has_cmp ? &a->cmp_plan : NULL;
		vr.cmp_fr = a->has_cmp ? &a->cmp_fr : NULL;
	}
	vr.paths = a->in.paths;
	vr.ckpt_N1 = a->in.ckpt_N1;
	vr.target = a->in.target;
	vr.inference = a->in.inference;
	vr.unique = a->in.unique;
	vr.ckpt_D1 = a->in.ckpt_D1;
	vr.ckpt_paid = a->in.ckpt_paid;
	vr.selected = a->in.selected;
	vr.n_note = a->n_note;
	vr.note = a->note_ptr;
	vr.n_variants = a->n_variants;
	vr.variants = a->variants;
	vr.chart_lo = a->job.lo;
	vr.chart_hi = a->job.hi;
	vr.chart_pending = a->job.next < APP_FR_POINTS || a->job.bisect;
	vr.bands_on = a->in.bands;
	vr.bands = app_bands(a, &vr.n_bands);
	vr.bands_pending = app_bands_pending(a);
	return view_build(&a->view, &vr, &a->plan, &a->fr, err);
}

/* Re-solve for the current inputs. */
static int update(struct app *a, struct mp_error *err)
{
	struct plan pl;

	mp_error_clear(err);
	if (build_request(a, err) != 0)
		return -1;
	if (app_solve(a, &pl, err) != 0)
		return -1;
	app_schedule(a);
	a->plan = pl;
	/* the other readings at this budget only, not along the chart (by
	 * loss at a budget: not a target's verdict) */
	a->n_variants = 0;
	if (!pl.is_target &&
	    session_variants(a->session, a->variants, &a->n_variants, err) != 0) {
		note(a, "%s", err->msg);
		a->n_variants = 0;
		mp_error_clear(err);
	}
	compare_plan(a);
	if (a->in.selected < 0 || a->plan.path[a->in.selected].law == NULL)
		a->in.selected = a->plan.best;
	for (int p = 0; a->in.selected < 0 && p < PATH_COUNT; p++)
		if (a->plan.path[p].law != NULL)
			a->in.selected = p;
	return app_view(a, err);
}

int app_try(struct app *a, struct mp_error *err)
{
	return update(a, err);
}

void app_status(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->ui.status, sizeof a->ui.status, fmt, ap);
	va_end(ap);
	a->ui.status_error = error;
}

int app_apply(struct app *a, const struct app_inputs *before)
{
	struct mp_error e, e2;

	if (update(a, &e) == 0)
		return 0;
	a->in = *before;
	if (update(a, &e2) != 0)          /* what worked before should again */
		app_status(a, 1, "%s (and undoing it: %s)", e.msg, e2.msg);
	else
		app_status(a, 1, "%s", e.msg);
	return -1;
}

/* ---- life cycle -------------------------------------------------------- */

/* Pick the law set's entry in the models list, if it is one. */
static void find_model(struct app *a)
{
	a->in.model = -1;
	for (size_t i = 0; i < a->n_models; i++)
		if (strcmp(a->models[i], a->cfg.spec.laws) == 0)
			a->in.model = (int)i;
}

static void init_inputs(struct app *a, const struct tui_config *cfg)
{
	memset(&a->in, 0, sizeof a->in);
	a->in.budget = cfg->budget > 0 ? cfg->budget : 1e22;
	a->in.unit = cfg->spec.unit == UNIT_NONE ? UNIT_FLOPS : cfg->spec.unit;
	a->in.devices = cfg->spec.devices > 0 ? cfg->spec.devices : 1;
	a->in.hw = -1;
	a->in.compare = -1;
	a->in.within_fit = cfg->spec.within_fit;
	a->in.bands = cfg->spec.unc_draws > 0;
	a->in.paths = cfg->spec.paths;
	a->in.ckpt_N1 = cfg->spec.ckpt.N1;
	a->in.ckpt_D1 = cfg->spec.ckpt.D1;
	a->in.ckpt_paid = cfg->spec.ckpt.paid;
	a->in.target = NAN;
	a->in.inference = cfg->spec.serve.tokens;
	a->in.unique = cfg->spec.unique_tokens;
	a->in.pin = cfg->spec.pin;
	a->in.selected = -1;
}

int app_init(struct app *a, const struct tui_config *cfg, int utf8)
{
	struct mp_error e, ignore;

	memset(a, 0, sizeof *a);
	a->cfg = *cfg;
	a->ui.utf8 = utf8;
	a->ui.field = VIN_BUDGET;
	init_inputs(a, cfg);
	snprintf(a->export_path, sizeof a->export_path, "moeplan-plan.%s",
	         cfg->export_format[0] == '\0' ? "yaml" :
	         strcmp(cfg->export_format, "table") == 0 ? "txt" :
	         cfg->export_format);
	mp_error_clear(&e);
	if ((a->session = session_new()) == NULL ||
	    (a->cmp = session_new()) == NULL || app_work_init(a) != 0) {
		mp_error_set(&e, "out of memory");
		goto fail;
	}
	if (app_list_models(a, &ignore) != 0)
		a->n_models = 0;               /* --laws FILE still works */
	find_model(a);
	if (cfg->compare[0] &&
	    (a->in.compare = app_find_model(a, cfg->compare, &e)) < 0)
		goto fail;
	if (app_list_hardware(a, &e) != 0 ||
	    (cfg->spec.hardware[0] && (a->in.hw = app_find_hardware(
	                                   a, cfg->spec.hardware, &e)) < 0))
		goto fail;
	if (update(a, &e) != 0)
		goto fail;
	if (a->in.compare >= 0 && !a->has_cmp) {   /* --laws A,B: B must plan */
		mp_error_set(&e, "%s", a->note[a->n_note - 1]);
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "moeplan tui: %s\n", e.msg);
	app_free(a);
	return MP_EXIT_FAIL;
}

void app_free(struct app *a)
{
	session_free(a->session);
	session_free(a->cmp);
	a->session = a->cmp = NULL;
	app_work_free(a);
	app_lists_free(a);
}

void app_draw(struct app *a, struct grid *g)
{
	int rows = (int)a->view.n_detail;

	if (a->ui.detail_top > rows - 1)
		a->ui.detail_top = rows > 0 ? rows - 1 : 0;
	render_screen(g, &a->view, &a->ui);
}
