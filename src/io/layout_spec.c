/*
 * layout_spec.c — the --layout text of a layout's pins (layout_spec.h):
 * parsing it, one field at a time or a whole list, and writing it back.
 * A pinned degree is > 0; a pinned ZeRO stage or recomputation policy is
 * >= 0 (core/cluster.h's cluster_pin_allows).
 */
#include "config.h"

#include "layout_spec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const layout_spec_key[LAYOUT_SPEC_N_KEYS] = {
	"tp", "pp", "dp", "ep", "zero", "recompute", "mb",
};

/* The integer keys: name, field, smallest and largest value. */
static const struct {
	const char *key;
	size_t off;
	int lo, hi;
} int_keys[] = {
	{ "tp", offsetof(struct layout, tp), 1, 1 << 20 },
	{ "pp", offsetof(struct layout, pp), 1, 1 << 20 },
	{ "dp", offsetof(struct layout, dp), 1, 1 << 24 },
	{ "ep", offsetof(struct layout, ep), 1, 1 << 20 },
	{ "zero", offsetof(struct layout, zero), 0, 3 },
	{ "mb", offsetof(struct layout, micro_batch), 1, 1 << 20 },
	/* not one of the TUI's keys: the interleaved chunks (layout.h) */
	{ "vpp", offsetof(struct layout, vpp), 1, LAYOUT_MAX_VPP },
};
#define N_INT_KEYS (sizeof int_keys / sizeof int_keys[0])

static const char *const recompute_name[] = { "none", "selective", "full" };

void layout_spec_init(struct layout *l)
{
	memset(l, 0, sizeof *l);
	l->zero = -1;
	l->recompute = (enum layout_recompute)-1;
}

int layout_spec_pinned(const struct layout *l)
{
	return l->tp > 0 || l->pp > 0 || l->dp > 0 || l->ep > 0 || l->cp > 0 ||
	       l->vpp > 0 ||
	       l->micro_batch > 0 || l->micro_batches > 0 || l->zero >= 0 ||
	       (int)l->recompute >= 0;
}

static int set_recompute(struct layout *l, const char *val,
                         struct mp_error *e)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(val, recompute_name[i]) == 0) {
			l->recompute = (enum layout_recompute)i;
			return 0;
		}
	if (strcmp(val, "auto") != 0)
		return mp_error_set(e, "--layout recompute: expected none, "
		                    "selective, full or auto, got '%.64s'", val);
	l->recompute = (enum layout_recompute)-1;
	return 0;
}

/* A whole decimal integer from lo to hi, or "auto" (the free value). */
static int set_int(int *field, int lo, int hi, int free_value,
                   const char *key, const char *val, struct mp_error *e)
{
	char *end;
	long v;

	if (strcmp(val, "auto") == 0) {
		*field = free_value;
		return 0;
	}
	errno = 0;
	v = strtol(val, &end, 10);
	if (end == val || *end != '\0' || errno != 0 || v < lo || v > hi)
		return mp_error_set(e, "--layout %s: expected an integer from %d to "
		                    "%d (or auto), got '%.64s'", key, lo, hi, val);
	*field = (int)v;
	return 0;
}

int layout_spec_set(struct layout *l, const char *key, const char *val,
                    struct mp_error *e)
{
	if (strcmp(key, "recompute") == 0)
		return set_recompute(l, val, e);
	for (size_t i = 0; i < N_INT_KEYS; i++)
		if (strcmp(key, int_keys[i].key) == 0)
			return set_int((int *)(void *)((char *)l + int_keys[i].off),
			               int_keys[i].lo, int_keys[i].hi,
			               int_keys[i].lo == 0 ? -1 : 0, key, val, e);
	return mp_error_set(e, "--layout: unknown key '%.32s' (expected "
	                    LAYOUT_SPEC_KEYS ")", key);
}

int layout_spec_parse(struct layout *l, const char *text, struct mp_error *e)
{
	char buf[256], *save = NULL;

	if (snprintf(buf, sizeof buf, "%s", text) >= (int)sizeof buf)
		return mp_error_set(e, "--layout: too long");
	if (strspn(buf, ",") == strlen(buf))
		return mp_error_set(e, "--layout: expected key=value,... (keys "
		                    LAYOUT_SPEC_KEYS ")");
	for (char *kv = strtok_r(buf, ",", &save); kv != NULL;
	     kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');

		if (eq == NULL)
			return mp_error_set(e, "--layout: expected key=value, got "
			                    "'%.64s'", kv);
		*eq = '\0';
		if (layout_spec_set(l, kv, eq + 1, e) != 0)
			return -1;
	}
	return 0;
}

const char *layout_spec_get(const struct layout *l, const char *key,
                            char *buf, size_t n)
{
	snprintf(buf, n, "auto");
	if (strcmp(key, "recompute") == 0) {
		int r = (int)l->recompute;

		if (r >= 0 && r < 3)
			snprintf(buf, n, "%s", recompute_name[r]);
		return buf;
	}
	for (size_t i = 0; i < N_INT_KEYS; i++) {
		int v = *(const int *)(const void *)((const char *)l +
		                                      int_keys[i].off);

		if (strcmp(key, int_keys[i].key) == 0 && v >= int_keys[i].lo &&
		    (v > 0 || int_keys[i].lo == 0))
			snprintf(buf, n, "%d", v);
	}
	return buf;
}

const char *layout_spec_format(const struct layout *l, char *buf, size_t n)
{
	size_t len = 0;

	if (n > 0)
		buf[0] = '\0';
	for (size_t k = 0; k < LAYOUT_SPEC_N_KEYS && len < n; k++) {
		char v[16];

		layout_spec_get(l, layout_spec_key[k], v, sizeof v);
		if (strcmp(v, "auto") != 0)
			len += (size_t)snprintf(buf + len, n - len, "%s%s=%s",
			                        len ? "," : "", layout_spec_key[k], v);
	}
	if (l->vpp > 0 && len < n)
		snprintf(buf + len, n - len, "%svpp=%d", len ? "," : "", l->vpp);
	return buf;
}
