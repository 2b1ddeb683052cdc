/*
 * resolve.c — NAME or FILE to a file, and the list of installed names, for
 * models, hardware profiles and architectures (see resolve.h).
 */
#include "config.h"

#include "io/resolve.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "io/datadir.h"
#include "io/profile.h"

#define RESOLVE_DIRS 2

/* What each kind is called, where its files live, and what lists them. */
static const struct {
	const char *name;        /* in messages: "unknown model 'x'" */
	const char *sub;         /* datadir_find's directory */
	int profiles;            /* the calibrated profiles directory too */
	const char *lister;      /* how a user sees what there is */
} kinds[RESOLVE_KINDS] = {
	[RESOLVE_MODEL] = { "model", "models", 0, "moeplan laws list" },
	[RESOLVE_HARDWARE] = { "hardware", "hardware", 1, "moeplan list hardware" },
	[RESOLVE_ARCH] = { "arch", "arch", 0, "moeplan list arch" },
};

const char *resolve_kind_name(enum resolve_kind k)
{
	return kinds[k].name;
}

int resolve_kind_parse(const char *s, enum resolve_kind *k)
{
	for (int i = 0; i < RESOLVE_KINDS; i++) {
		size_t n = strlen(kinds[i].name);

		if (strcmp(s, kinds[i].name) == 0 ||
		    (strncmp(s, kinds[i].name, n) == 0 && strcmp(s + n, "s") == 0)) {
			*k = (enum resolve_kind)i;
			return 0;
		}
	}
	return -1;
}

static int ends_with_yaml(const char *s)
{
	size_t n = strlen(s);

	return n >= 5 && strcmp(s + n - 5, ".yaml") == 0;
}

static int is_regular(const char *path);

/* A Hugging Face config.json (--arch only reads one: io/arch_file.h). */
static int ends_with_json(const char *s)
{
	size_t n = strlen(s);

	return n >= 5 && strcmp(s + n - 5, ".json") == 0;
}

int resolve_is_file(const char *arg)
{
	return strchr(arg, '/') != NULL || ends_with_yaml(arg) ||
	       ends_with_json(arg);
}

/* dir/NAME.EXT if it is a regular file (malloc'd), else NULL. */
static char *in_dir(const char *dir, const char *arg, const char *ext)
{
	char *path;

	if (dir == NULL || asprintf(&path, "%s/%s.%s", dir, arg, ext) < 0)
		return NULL;
	if (!is_regular(path)) {
		free(path);
		return NULL;
	}
	return path;
}

/* Letters, digits, '.', '_' and '-', not starting with '.'. */
static int valid_name(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && strchr("._-", *s) == NULL)
			return 0;
	return 1;
}

/* A FILE argument: a regular file, returned as given. */
static char *find_file(enum resolve_kind k, const char *arg,
                       struct mp_error *err)
{
	static const char *const what[RESOLVE_KINDS][2] = {
		[RESOLVE_MODEL] = { "a", "model" },
		[RESOLVE_HARDWARE] = { "a", "hardware profile" },
		[RESOLVE_ARCH] = { "an", "architecture" },
	};
	struct stat st;
	char *path;

	if (stat(arg, &st) != 0) {
		mp_error_set(err, "%s: no such %s file (%s)", arg, what[k][1],
		             strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		mp_error_set(err, "%s: not %s %s file (%s)", arg, what[k][0],
		             what[k][1],
		             S_ISDIR(st.st_mode) ? "a directory" :
		             S_ISFIFO(st.st_mode) ? "a FIFO" : "not a regular file");
		return NULL;
	}
	if ((path = strdup(arg)) == NULL)
		mp_error_set(err, "out of memory");
	return path;
}

/* The kind's directories in search order (malloc'd; NULL where there is
 * none): how many slots there are, or -1 with err when a kind with one
 * directory has none (datadir_find's error says where it looked). */
static int search_dirs(enum resolve_kind k, const char *override,
                       char *dir[RESOLVE_DIRS], struct mp_error *err)
{
	struct mp_error ignored;

	dir[0] = dir[1] = NULL;
	if (!kinds[k].profiles) {
		dir[0] = datadir_find(kinds[k].sub,
		                      k == RESOLVE_MODEL ? override : NULL, err);
		return dir[0] != NULL ? 1 : -1;
	}
	dir[0] = datadir_find(kinds[k].sub, NULL, &ignored);
	dir[1] = profile_dir(&ignored);
	return 2;
}

static void free_dirs(char *dir[RESOLVE_DIRS])
{
	for (int i = 0; i < RESOLVE_DIRS; i++)
		free(dir[i]);
}

static int is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* "A and B": the directories searched, for the error. */
static void dirs_text(char *const dir[RESOLVE_DIRS], int n, char *buf,
                      size_t size)
{
	static const char *const none[RESOLVE_DIRS] = {
		"(no hardware directory)", "(no profiles directory)"
	};

	if (n == 1)
		snprintf(buf, size, "%s", dir[0]);
	else
		snprintf(buf, size, "%s and %s", dir[0] ? dir[0] : none[0],
		         dir[1] ? dir[1] : none[1]);
}

char *resolve_find(enum resolve_kind k, const char *arg, const char *override,
                   struct mp_error *err)
{
	char *dir[RESOLVE_DIRS], *path = NULL, where[2048];
	int n;

	if (resolve_is_file(arg))
		return find_file(k, arg, err);
	if (!valid_name(arg)) {
		mp_error_set(err, "'%s' is not a %s name (letters, digits, '.', '_' "
		             "and '-') or a file (with '/' or ending .yaml or "
		             ".json)", arg, kinds[k].name);
		return NULL;
	}
	if ((n = search_dirs(k, override, dir, err)) < 0)
		return NULL;
	/* an architecture is NAME.yaml, else a config NAME.json */
	for (int i = 0; i < n && path == NULL; i++) {
		path = in_dir(dir[i], arg, "yaml");
		if (path == NULL && k == RESOLVE_ARCH)
			path = in_dir(dir[i], arg, "json");
	}
	if (path == NULL) {
		dirs_text(dir, n, where, sizeof where);
		mp_error_set(err, "unknown %s '%s' (looked for %s.yaml%s in %s; '%s' "
		             "shows what there is)", kinds[k].name, arg, arg,
		             k == RESOLVE_ARCH ? " and .json" : "", where,
		             kinds[k].lister);
	}
	free_dirs(dir);
	return path;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct resolve_entry *)x)->name,
	              ((const struct resolve_entry *)y)->name);
}

static int listed(const struct resolve_entry *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return 1;
	return 0;
}

/* The name of an entry of dir that a kind lists: NAME.yaml, and for
 * architectures NAME.json unless NAME.yaml is there too (the resolver
 * takes the .yaml first); NULL for any other. */
static char *entry_name(const char *dir, const char *file, int json_too)
{
	size_t len = strlen(file);
	char *name, *yaml = NULL;
	int shadowed;

	if (len <= 5 || file[0] == '.')
		return NULL;
	if (ends_with_yaml(file))
		return strndup(file, len - 5);
	if (!json_too || !ends_with_json(file) ||
	    (name = strndup(file, len - 5)) == NULL)
		return NULL;
	shadowed = asprintf(&yaml, "%s/%s.yaml", dir, name) < 0 ||
	           is_regular(yaml);
	free(yaml);
	if (shadowed) {
		free(name);
		return NULL;
	}
	return name;
}

/* Append the entries of dir (entry_name) not already listed, sorted among
 * themselves.  0, or -1 when memory runs out. */
static int scan(const char *dir, int json_too, struct resolve_entry **list,
                size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t first = *n;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		struct resolve_entry *grown, *e;
		char *name = entry_name(dir, de->d_name, json_too);

		if (name == NULL)
			continue;
		if ((grown = realloc(*list, (*n + 1) * sizeof **list)) == NULL) {
			free(name);
			break;
		}
		*list = grown;
		e = &grown[*n];
		e->name = name;
		e->path = NULL;
		if (asprintf(&e->path, "%s/%s", dir, de->d_name) < 0) {
			free(e->name);
			break;
		}
		if (listed(*list, first, e->name) || !is_regular(e->path)) {
			free(e->name);
			free(e->path);
			continue;
		}
		(*n)++;
	}
	closedir(d);
	if (de != NULL)
		return -1;
	if (*n - first > 1)                /* (*list is NULL while empty) */
		qsort(*list + first, *n - first, sizeof **list, by_name);
	return 0;
}

int resolve_list(enum resolve_kind k, const char *override,
                 struct resolve_entry **out, size_t *n, struct mp_error *err)
{
	char *dir[RESOLVE_DIRS];
	int m, rc = 0;

	*out = NULL;
	*n = 0;
	if ((m = search_dirs(k, override, dir, err)) < 0)
		return -1;
	for (int i = 0; rc == 0 && i < m; i++)
		if (dir[i] != NULL && scan(dir[i], k == RESOLVE_ARCH, out, n) != 0)
			rc = mp_error_set(err, "out of memory");
	free_dirs(dir);
	if (rc != 0) {
		resolve_list_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

void resolve_list_free(struct resolve_entry *list, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(list[i].name);
		free(list[i].path);
	}
	free(list);
}
