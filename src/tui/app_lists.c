/*
 * app_lists.c — what the Laws and Hardware inputs cycle through: the
 * model files of the models directory, and the hardware profiles (the
 * bundled datasheet ones, then every calibrated profile found in
 * profile_dir()).  Part of app.h.
 */
#include "config.h"

#include "app.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/datadir.h"
#include "io/model_load.h"

int app_list_models(struct app *a, struct mp_error *err)
{
	char *dir = datadir_find("models", a->cfg.opts.models_dir, err);
	int rc;

	if (dir == NULL)
		return -1;
	rc = model_list(dir, &a->models, &a->n_models, err);
	free(dir);
	return rc;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct app_hw *)x)->name,
	              ((const struct app_hw *)y)->name);
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

/* NAME.yaml files of dir, sorted by name; a missing dir adds nothing. */
static int scan(struct app *a, const char *dir, struct mp_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t first = a->n_hw;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char name[64], path[1024];

		if (n <= 5 || n - 5 >= sizeof name || de->d_name[0] == '.' ||
		    strcmp(de->d_name + n - 5, ".yaml") != 0)
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(n - 5), de->d_name);
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if (add_hw(a, name, path, err) != 0) {
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	qsort(a->hw + first, a->n_hw - first, sizeof *a->hw, by_name);
	return 0;
}

int app_list_hardware(struct app *a, struct mp_error *err)
{
	struct mp_error ignore;
	char *dir;
	int rc = 0;

	if ((dir = datadir_find("hardware", NULL, &ignore)) != NULL) {
		rc = scan(a, dir, err);
		free(dir);
	}
	if (rc == 0 && (dir = profile_dir(&ignore)) != NULL) {
		rc = scan(a, dir, err);
		free(dir);
	}
	return rc;
}

int app_find_hardware(struct app *a, const char *arg, struct mp_error *err)
{
	size_t n = strlen(arg);
	const char *base;
	char *path;

	if (strchr(arg, '/') == NULL && (n < 5 || strcmp(arg + n - 5, ".yaml"))) {
		for (size_t i = 0; i < a->n_hw; i++)
			if (strcmp(a->hw[i].name, arg) == 0)
				return (int)i;
	}
	/* a file, or a name only profile_find knows: its error names the
	 * places tried */
	if ((path = profile_find(arg, err)) == NULL)
		return -1;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	{
		char name[64];

		snprintf(name, sizeof name, "%.*s", (int)(n < 63 ? n : 63), base);
		if (add_hw(a, name, path, err) != 0) {
			free(path);
			return -1;
		}
	}
	free(path);
	return (int)a->n_hw - 1;
}

void app_lists_free(struct app *a)
{
	model_list_free(a->models, a->n_models);
	a->models = NULL;
	a->n_models = 0;
	free(a->hw);
	a->hw = NULL;
	a->n_hw = 0;
}
