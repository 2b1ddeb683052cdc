/*
 * layout_spec.h — `--layout tp=N,pp=N,dp=N,ep=N,zero=N,recompute=R,mb=N`:
 * the pins of the cluster layout search (core/cluster.h's spec.pin) as
 * text, one parser for cost, plan, frontier and tui (layout_spec.c).  The
 * TUI edits the same fields one key at a time.  Nothing here prints:
 * errors are values whose message names --layout and the key; the
 * command line prints them as usage errors.
 */
#ifndef MP_LAYOUT_SPEC_H
#define MP_LAYOUT_SPEC_H

#include <stddef.h>

#include "core/error.h"
#include "core/layout.h"

/* The keys, in the order help, messages and the TUI list them (the TUI
 * lists the first LAYOUT_SPEC_N_KEYS; vpp, the interleaved schedule's
 * chunks per stage, is parsed, printed and pinned but not one of its
 * inputs). */
#define LAYOUT_SPEC_KEYS "tp, pp, dp, ep, zero, recompute, mb, vpp"
#define LAYOUT_SPEC_N_KEYS 7
extern const char *const layout_spec_key[LAYOUT_SPEC_N_KEYS];

/* Every field free, as cluster_spec_init leaves them (the degrees 0,
 * zero and recompute -1). */
void layout_spec_init(struct layout *l);
/* Whether anything of l is pinned. */
int layout_spec_pinned(const struct layout *l);
/* Parse text ("tp=8,zero=1") into l, over what l pins already; 0, or -1
 * with err ("--layout tp: expected an integer from 1 to ..."). */
int layout_spec_parse(struct layout *l, const char *text,
                      struct mp_error *err);
/* One KEY=VALUE of it; the value "auto" frees the field.  0 or -1. */
int layout_spec_set(struct layout *l, const char *key, const char *val,
                    struct mp_error *err);
/* The value of key as --layout spells it, "auto" when free. */
const char *layout_spec_get(const struct layout *l, const char *key,
                            char *buf, size_t n);
/* The pinned fields as --layout spells them ("tp=8,zero=1"), "" if none. */
const char *layout_spec_format(const struct layout *l, char *buf, size_t n);

#endif
