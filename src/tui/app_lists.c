/*
 * app_lists.c — what the Laws and Hardware inputs cycle through: the
 * model files and the hardware profiles (the bundled datasheet ones, then
 * the calibrated ones), listed by io/resolve.h as `moeplan list` lists
 * them.  Part of app.h.
 */
#include "config.h"

#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/resolve.h"

int app_list_models(struct app *a, struct mp_error *err)
{
	const char *dir = a->cfg.spec.models_dir[0] ? a->cfg.spec.models_dir : NULL;
	struct resolve_entry *list;
	size_t n;

	if (resolve_list(RESOLVE_MODEL, dir, &list, &n, err) != 0)
		return -1;
	if ((a->models = calloc(n ? n : 1, sizeof *a->models)) == NULL) {
		resolve_list_free(list, n);
		return mp_error_set(err, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		a->models[i] = list[i].name;     /* taken over */
		list[i].name = NULL;
	}
	a->n_models = n;
	resolve_list_free(list, n);
	return 0;
}

int app_find_model(struct app *a, const char *arg, struct mp_error *err)
{
	char **m;

	for (size_t i = 0; i < a->n_models; i++)
		if (strcmp(a->models[i], arg) == 0)
			return (int)i;
	/* a file, or a name the directory does not list: the session
	 * resolves it, and says why when it cannot */
	if ((m = realloc(a->models, (a->n_models + 1) * sizeof *m)) == NULL)
		return mp_error_set(err, "out of memory");
	a->models = m;
	if ((m[a->n_models] = strdup(arg)) == NULL)
		return mp_error_set(err, "out of memory");
	return (int)a->n_models++;
}

static int add_hw(struct app *a, const char *name, const char *path,
                  struct mp_error *err)
{
	struct app_hw *h = realloc(a->hw, (a->n_hw + 1) * sizeof *h);

	if (h == NULL)
		return mp_error_set(err, "out of memory");
	a->hw = h;
	h = &a->hw[a->n_hw++];
	snprintf(h->name, sizeof h->name, "%s", name);
	snprintf(h->path, sizeof h->path, "%s", path);
	return 0;
}

int app_list_hardware(struct app *a, struct mp_error *err)
{
	struct resolve_entry *list;
	size_t n;
	int rc = 0;

	if (resolve_list(RESOLVE_HARDWARE, NULL, &list, &n, err) != 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = add_hw(a, list[i].name, list[i].path, err);
	resolve_list_free(list, n);
	return rc;
}

int app_find_hardware(struct app *a, const char *arg, struct mp_error *err)
{
	const char *base;
	char *path;
	size_t n;
	int rc;

	if (!resolve_is_file(arg))
		for (size_t i = 0; i < a->n_hw; i++)
			if (strcmp(a->hw[i].name, arg) == 0)
				return (int)i;
	/* a file, or a name not listed: resolve_find's error names the
	 * places tried */
	if ((path = resolve_find(RESOLVE_HARDWARE, arg, NULL, err)) == NULL)
		return -1;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	{
		char name[64];

		snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), base);
		rc = add_hw(a, name, path, err);
	}
	free(path);
	return rc != 0 ? -1 : (int)a->n_hw - 1;
}

void app_lists_free(struct app *a)
{
	for (size_t i = 0; i < a->n_models; i++)
		free(a->models[i]);
	free(a->models);
	a->models = NULL;
	a->n_models = 0;
	free(a->hw);
	a->hw = NULL;
	a->n_hw = 0;
}
