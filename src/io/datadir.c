/*
 * datadir.c — finding the models and hardware directories (see datadir.h).
 */
#include "config.h"

#include "io/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef MOEPLAN_PKGDATADIR
#define MOEPLAN_PKGDATADIR ""
#endif
#ifndef MOEPLAN_SRCDIR
#define MOEPLAN_SRCDIR ""
#endif

#define DATADIR_CANDIDATES 5

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Append "tried" to the list in buf (for the error message). */
static void note_tried(char *buf, size_t size, const char *path)
{
	size_t len = strlen(buf);

	if (len + strlen(path) + 3 < size)
		snprintf(buf + len, size - len, "%s%s", len ? ", " : "", path);
}

char *datadir_find(const char *sub, const char *override, struct mp_error *err)
{
	const char *env = getenv("MOEPLAN_DATADIR");
	const char *base[DATADIR_CANDIDATES] = {
		env, env, MOEPLAN_PKGDATADIR, MOEPLAN_SRCDIR, MOEPLAN_SRCDIR,
	};
	static const char *const mid[DATADIR_CANDIDATES] = {
		"", "share/", "", "", "share/",
	};
	char tried[MP_ERROR_MSG / 2] = "", *path;

	if (override != NULL) {
		struct stat st;

		if (is_dir(override) && (path = strdup(override)) != NULL)
			return path;
		if (stat(override, &st) == 0)
			mp_error_set(err, "%s directory '%s' is not a directory", sub,
			             override);
		else
			mp_error_set(err, "%s directory '%s' does not exist", sub,
			             override);
		return NULL;
	}
	for (int i = 0; i < DATADIR_CANDIDATES; i++) {
		if (base[i] == NULL || base[i][0] == '\0')
			continue;
		if (asprintf(&path, "%s/%s%s", base[i], mid[i], sub) < 0) {
			mp_error_set(err, "out of memory");
			return NULL;
		}
		if (is_dir(path))
			return path;
		note_tried(tried, sizeof tried, path);
		free(path);
	}
	mp_error_set(err, "no %s directory found (tried: %s); set "
	             "MOEPLAN_DATADIR to the directory holding %s/", sub,
	             tried[0] ? tried : "nothing", sub);
	return NULL;
}
