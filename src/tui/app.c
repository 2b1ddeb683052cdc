/*
 * app.c — the interactive planner's state and its update cycle (app.h):
 * inputs -> law set and hardware profile loaded (plan_opts.h) -> request
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

#include "render.h"

/* ---- loading ----------------------------------------------------------- */

/* The options the inputs stand for, as plan_opts.h takes them.  Paths and
 * the checkpoint are left to build_request: changing them needs no
 * reload. */
void app_opts(const struct app *a, struct plan_opts *o)
{
	*o = a->cfg.opts;
	if (a->in.model >= 0)
		o->laws = a->models[a->in.model];
	o->paths = 0;
	o->has_ckpt = 0;
	o->unit = a->in.unit;
	if (a->in.hw >= 0) {
		o->hardware = a->hw[a->in.hw].path;
		o->devices = a->in.devices;
	} else {                           /* these need a profile */
		o->hardware = NULL;
		o->devices = 0;
		o->price = NAN;
		o->batch_tokens = 0;
	}
}

/* Load the law set and profile of the inputs unless they are loaded. */
static int load(struct app *a, struct mp_error *err)
{
	struct plan_opts o;
	struct plan_setup s;

	if (a->have_setup && a->setup_model == a->in.model &&
	    a->setup_hw == a->in.hw && a->setup_unit == a->in.unit)
		return 0;
	app_opts(a, &o);
	if (plan_setup_open(&o, &s, err) != 0)
		return -1;
	if (a->have_setup)
		plan_setup_free(&a->setup);
	a->setup = s;
	/* the request points into the setup (its profile's model): repoint */
	if (a->setup.has_profile)
		a->setup.req.cost = &a->setup.profile.model;
	a->have_setup = 1;
	a->setup_model = a->in.model;
	a->setup_hw = a->in.hw;
	a->setup_gen++;
	a->setup_unit = a->in.unit;
	return 0;
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
	return a->in.model >= 0 ? a->models[a->in.model] : a->cfg.opts.laws;
}

/* The request: the law set's, with the paths, checkpoint and budget of
 * the inputs. */
static int build_request(struct app *a, struct mp_error *err)
{
	struct plan_request *r = &a->req;
	struct plan_opts o;
	int n = 0, ckpt = isfinite(a->in.ckpt_N1) && isfinite(a->in.ckpt_D1);
	double budget;

	app_opts(a, &o);
	budget = plan_setup_budget(&a->setup, &o, a->in.budget);
	*r = a->setup.req;
	r->budget = budget;
	r->devices = a->in.hw >= 0 ? a->in.devices : 0;
	a->n_note = 0;
	for (int p = 0; p < PATH_COUNT; p++) {
		if (a->in.paths && !(a->in.paths & (1u << p)))
			r->laws[p] = NULL;
		n += r->laws[p] != NULL;
	}
	if (n == 0)
		return mp_error_set(err, "law set %s has no law for the paths chosen",
		                    laws_label(a));
	r->has_checkpoint = ckpt && r->laws[PATH_UPCYCLE] != NULL;
	r->ckpt_params = a->in.ckpt_N1;
	r->ckpt_tokens = a->in.ckpt_D1;
	r->ckpt_paid = a->in.ckpt_paid;
	if (ckpt && !r->has_checkpoint)
		note(a, "checkpoint not used: no upcycle path planned");
	if (isfinite(a->in.ckpt_N1) != isfinite(a->in.ckpt_D1))
		note(a, "checkpoint: give both N1 and D1");
	if (!isfinite(budget) || budget <= 0)
		return mp_error_set(err, "the budget cannot be planned in %s",
		                    view_unit_label(a->in.unit));
	return 0;
}

int app_view(struct app *a, struct mp_error *err)
{
	struct view_request vr;

	memset(&vr, 0, sizeof vr);
	vr.budget = a->in.budget;
	vr.unit = a->in.unit;
	vr.devices = a->in.devices;
	vr.hardware = a->setup.has_profile ? a->setup.profile.name : NULL;
	vr.calibrated = a->setup.has_profile && a->setup.profile.calibrated;
	vr.cost = a->req.cost;
	vr.price = a->req.price;
	vr.tokens_per_step = a->req.tokens_per_step;
	vr.laws = laws_label(a);
	vr.source = a->setup.model->source;
	vr.paths = a->in.paths;
	vr.ckpt_N1 = a->in.ckpt_N1;
	vr.ckpt_D1 = a->in.ckpt_D1;
	vr.ckpt_paid = a->in.ckpt_paid;
	vr.selected = a->in.selected;
	vr.n_note = a->n_note;
	vr.note = a->note_ptr;
	vr.chart_lo = a->job.lo;
	vr.chart_hi = a->job.hi;
	vr.chart_pending = a->job.next < APP_FR_POINTS || a->job.bisect;
	return view_build(&a->view, &vr, &a->plan, &a->fr, err);
}

/* Re-solve for the current inputs. */
static int update(struct app *a, struct mp_error *err)
{
	struct plan pl;

	mp_error_clear(err);
	if (load(a, err) != 0 || build_request(a, err) != 0)
		return -1;
	if (app_solve(a, &pl, err) != 0)
		return -1;
	app_schedule(a);
	a->plan = pl;
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
		if (strcmp(a->models[i], a->cfg.opts.laws) == 0)
			a->in.model = (int)i;
}

static void init_inputs(struct app *a, const struct tui_config *cfg)
{
	memset(&a->in, 0, sizeof a->in);
	a->in.budget = cfg->budget > 0 ? cfg->budget : 1e22;
	a->in.unit = cfg->opts.unit == UNIT_NONE ? UNIT_FLOPS : cfg->opts.unit;
	a->in.devices = cfg->opts.devices > 0 ? cfg->opts.devices : 1;
	a->in.hw = -1;
	a->in.paths = cfg->opts.paths;
	a->in.ckpt_N1 = cfg->opts.has_ckpt ? cfg->opts.ckpt_N1 : NAN;
	a->in.ckpt_D1 = cfg->opts.has_ckpt ? cfg->opts.ckpt_D1 : NAN;
	a->in.ckpt_paid = cfg->opts.ckpt_paid;
	a->in.selected = -1;
}

/* Load the law set as given, for the command line's own checks (--path,
 * --checkpoint) and messages; the exit status, errors printed. */
static int check_options(const struct tui_config *cfg)
{
	struct plan_setup s;
	int rc;

	if ((rc = plan_setup_load(&cfg->opts, "tui", &s)) == 0)
		plan_setup_free(&s);
	return rc;
}

int app_init(struct app *a, const struct tui_config *cfg, int utf8)
{
	struct mp_error e, ignore;
	int rc;

	memset(a, 0, sizeof *a);
	a->cfg = *cfg;
	a->setup_model = a->setup_hw = -2;
	a->ui.utf8 = utf8;
	a->ui.field = VIN_BUDGET;
	init_inputs(a, cfg);
	snprintf(a->export_path, sizeof a->export_path, "moeplan-plan.%s",
	         strcmp(cfg->opts.format, "json") == 0 ? "json" : "yaml");
	mp_error_clear(&e);
	if ((rc = check_options(cfg)) != 0)
		return rc;
	if (app_work_init(a) != 0) {
		mp_error_set(&e, "out of memory");
		goto fail;
	}
	if (app_list_models(a, &ignore) != 0)
		a->n_models = 0;               /* --laws FILE still works */
	find_model(a);
	if (app_list_hardware(a, &e) != 0 ||
	    (cfg->opts.hardware && (a->in.hw = app_find_hardware(
	                                 a, cfg->opts.hardware, &e)) < 0))
		goto fail;
	if (update(a, &e) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "moeplan tui: %s\n", e.msg);
	app_free(a);
	return EXIT_FAILURE;
}

void app_free(struct app *a)
{
	if (a->have_setup)
		plan_setup_free(&a->setup);
	app_work_free(a);
	app_lists_free(a);
	a->have_setup = 0;
}

void app_draw(struct app *a, struct grid *g)
{
	int rows = (int)a->view.n_detail;

	if (a->ui.detail_top > rows - 1)
		a->ui.detail_top = rows > 0 ? rows - 1 : 0;
	render_screen(g, &a->view, &a->ui);
}
