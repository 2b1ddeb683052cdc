#!/bin/sh
# compare.sh — `plan --laws A,B,...` plans each law set as that set's own
# `plan --laws X` does: for each set, and for each path the comparison
# plans, the loss, params and tokens in the comparison's JSON equal those
# of the set's own plan (read apart from the comparison, by python3's json;
# the expected numbers come from a separate run of the single-set command,
# not from the comparison code).  Also: one law set (no comma) prints what
# it always did, not a comparison.  Exit 77 without python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
export MOEPLAN_DATADIR
LC_ALL=C
export LC_ALL

if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is not installed"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# check BUDGET PATHS SET...: the comparison of the sets against each one's
# own plan.
check() {
	budget=$1 paths=$2
	shift 2
	list=$(echo "$@" | tr ' ' ',')
	if ! "$MOEPLAN" plan --budget "$budget" --laws "$list" --path "$paths" \
	     --format json >"$tmp/cmp.json" 2>"$tmp/err"; then
		bad "plan --laws $list: $(head -n 1 "$tmp/err")"
		return
	fi
	for set in "$@"; do
		if ! "$MOEPLAN" plan --budget "$budget" --laws "$set" --path "$paths" \
		     --format json >"$tmp/one.json" 2>"$tmp/err"; then
			bad "plan --laws $set: $(head -n 1 "$tmp/err")"
			continue
		fi
		if msg=$(python3 - "$tmp/cmp.json" "$tmp/one.json" "$set" <<'PY'
import json, sys
cmp, one, name = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), sys.argv[3]
sets = [s for s in cmp["law_sets"] if s["laws"] == name]
assert len(sets) == 1, "%d entries for %s" % (len(sets), name)
got = sets[0]
assert got["model"] == one["model"], (got["model"], one["model"])
assert sorted(got["paths"]) == sorted(one["paths"]), (list(got["paths"]), list(one["paths"]))
for path, want in one["paths"].items():
    for key in ("loss", "params", "tokens", "flops"):
        g, w = got["paths"][path][key], want[key]
        assert g == w, "%s %s: %r in the comparison, %r alone" % (path, key, g, w)
assert got["best"] == one["best"], (got["best"], one["best"])
assert cmp["losses_comparable"] is False
print(", ".join("%s loss %.6f" % (p, one["paths"][p]["loss"]) for p in one["paths"]))
PY
		); then
			ok "$budget $paths: $set in the comparison = its own plan ($msg)"
		else
			bad "$budget $paths: $set: $msg"
		fi
	done
}

check 1e22 dense chinchilla epoch2024 liew2025
check 1e21 all liew2025 chinchilla
check 3e20 dense chinchilla:published kaplan2020

# one law set is the plan it always was
"$MOEPLAN" plan --budget 1e22 --laws chinchilla --format json >"$tmp/one.json" 2>&1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "law_sets" not in d and "paths" in d' "$tmp/one.json"; then
	ok "--laws chinchilla: a plan, not a comparison"
else
	bad "--laws chinchilla: $(head -n 3 "$tmp/one.json")"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
