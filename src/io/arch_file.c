/*
 * arch_file.c — load an architecture YAML file (yamldoc: libyaml's document
 * API, no aliases, no duplicate keys) into a struct arch_spec through the
 * key table shared with the command line, then build the architecture;
 * or hand a Hugging Face config to io/hf_config.c (see arch_file.h).
 */
#include "config.h"

#include "io/arch_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arch_spec.h"
#include "io/hf_config.h"
#include "io/resolve.h"
#include "io/yamldoc.h"

#define MAX_KEYS 32

/* The yamldoc key table mirroring arch_keys (none required here: the
 * spec says which are, with a better message). */
static void key_table(struct yamldoc_key *t)
{
	size_t i = 0;

	for (const struct arch_key *k = arch_keys; k->name && i + 1 < MAX_KEYS;
	     k++, i++) {
		t[i].name = k->name;
		t[i].required = 0;
	}
	t[i].name = NULL;
	t[i].required = 0;
}

static int set_pair(struct yamldoc *y, const struct yamldoc_pair *p,
                    struct arch_spec *s, struct mp_error *err)
{
	const struct arch_key *key = arch_key_find(p->key);
	const char *text;

	if (yamldoc_string(y, p->value, &text, err) != 0 ||
	    arch_spec_set(s, key, text, err) != 0) {
		yamldoc_locate(y, p->value, err);
		mp_error_prefix(err, "%s", p->key);
		return -1;
	}
	return 0;
}

static int load_spec(struct yamldoc *y, struct arch_spec *s,
                     struct mp_error *err)
{
	struct yamldoc_key table[MAX_KEYS];
	yaml_node_t *root = yamldoc_root(y);
	struct yamldoc_pair p;
	size_t n = yamldoc_map_size(root);

	key_table(table);
	if (yamldoc_check_keys(y, root, table, "architecture", err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		yamldoc_map_pair(y, root, i, &p);
		if (set_pair(y, &p, s, err) != 0)
			return -1;
	}
	return 0;
}

/* Position err at the key a build error blames, else at the mapping. */
static int build(struct yamldoc *y, const struct arch_spec *s,
                 struct arch *a, struct mp_error *err)
{
	yaml_node_t *root = yamldoc_root(y), *at = root;
	struct yamldoc_pair p;
	size_t n = yamldoc_map_size(root);
	const char *bad;

	if (arch_spec_build(s, a, &bad, err) == 0)
		return 0;
	for (size_t i = 0; bad != NULL && i < n; i++) {
		yamldoc_map_pair(y, root, i, &p);
		if (strcmp(p.key, bad) == 0)
			at = p.key_node;
	}
	yamldoc_locate(y, at, err);
	return -1;
}

int arch_file_load_noted(const char *path, struct arch *a, char *note,
                         size_t n, struct mp_error *err)
{
	struct yamldoc y;
	struct arch_spec s;
	int rc;

	mp_error_clear(err);
	if (note != NULL && n > 0)
		note[0] = '\0';
	if (yamldoc_load(&y, path, err) != 0)
		return -1;
	if (hf_config_wanted(path, &y)) {
		rc = hf_config_read(&y, a, note, n, err);
	} else {
		arch_spec_init(&s);
		rc = load_spec(&y, &s, err);
		if (rc == 0)
			rc = build(&y, &s, a, err);
	}
	yamldoc_free(&y);
	return rc;
}

int arch_file_load(const char *path, struct arch *a, struct mp_error *err)
{
	return arch_file_load_noted(path, a, NULL, 0, err);
}

int arch_file_open_noted(const char *name_or_file, struct arch *a, char *note,
                         size_t n, struct mp_error *err)
{
	char *path = resolve_find(RESOLVE_ARCH, name_or_file, NULL, err);
	int rc;

	if (note != NULL && n > 0)
		note[0] = '\0';
	if (path == NULL)
		return -1;
	rc = arch_file_load_noted(path, a, note, n, err);
	free(path);
	return rc;
}

int arch_file_open(const char *name_or_file, struct arch *a,
                   struct mp_error *err)
{
	return arch_file_open_noted(name_or_file, a, NULL, 0, err);
}
