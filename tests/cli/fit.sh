#!/bin/sh
# fit.sh — the model file `moeplan fit --output` writes: it loads
# (laws check), `plan --laws FILE` plans with it, it records the data
# file's SHA-256 as sha256sum(1) computes it (not moeplan's own), its
# provenance, points and covariance, and it is the same byte for byte on
# 1 and 2 processes (SOURCE_DATE_EPOCH fixes the date).  A fit that is
# refused leaves no file and an old one whole.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
SOURCE_DATE_EPOCH=1700000000
LC_ALL=C
export MOEPLAN_DATADIR SOURCE_DATE_EPOCH LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-fit.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

data=$top_srcdir/share/data/chinchilla-figure4-epoch.csv
fit() {
	"$MOEPLAN" fit epoch2024:dense --data "$data" --column N='Model Size' \
		--compute 'Training FLOP' --exclude-top-loss 5 --refine 10 "$@"
}

mkdir "$tmp/two"   # the model's name is the file's: the same in both
if fit --bootstrap 10 --jobs 1 --output "$tmp/one.yaml" >"$tmp/out" 2>"$tmp/err"
then ok "fit --output"; else bad "fit --output: $(cat "$tmp/err")"; fi
fit --bootstrap 10 --jobs 2 --output "$tmp/two/one.yaml" >/dev/null 2>&1
if cmp -s "$tmp/one.yaml" "$tmp/two/one.yaml"; then ok "the same file on 1 and 2 jobs"
else bad "the file differs between --jobs 1 and --jobs 2"; fi
if "$MOEPLAN" laws check "$tmp/one.yaml" >/dev/null 2>"$tmp/err"
then ok "laws check loads it"; else bad "laws check: $(cat "$tmp/err")"; fi
if "$MOEPLAN" plan --laws "$tmp/one.yaml" --budget 5.88e23 >"$tmp/plan" 2>"$tmp/err" &&
   grep -q '^best: dense' "$tmp/plan"
then ok "plan --laws plans with it"; else bad "plan --laws: $(cat "$tmp/err")"; fi
if command -v sha256sum >/dev/null 2>&1; then
	want=$(sha256sum <"$data" | cut -d' ' -f1)
	if grep -q "data_sha256: \"$want\"" "$tmp/one.yaml"
	then ok "data_sha256 is sha256sum's $want"; else bad "data_sha256 is not $want"; fi
fi
for key in 'provenance: fitted' 'points: 240' 'resamples: 10' \
           'date: "2023-11-14T22:13:20Z"' '- log_A'; do
	if grep -q -- "$key" "$tmp/one.yaml"; then ok "the file has '$key'"
	else bad "the file lacks '$key'"; fi
done
rows=$(awk '/covariance:/ { on = 1; next } on && /^ *- - / { n++ }
            on && /^ *[a-z]/ { on = 0 } END { print n + 0 }' "$tmp/one.yaml")
[ "$rows" = 5 ] && ok "a 5 x 5 covariance" || bad "covariance has $rows rows"
cp "$tmp/one.yaml" "$tmp/keep.yaml"
if "$MOEPLAN" fit epoch2024:dense --data "$data" --output "$tmp/keep.yaml" \
	>/dev/null 2>&1; then bad "a fit without the N column succeeded"
elif cmp -s "$tmp/one.yaml" "$tmp/keep.yaml" &&
     [ "$(ls "$tmp" | grep -c '^keep')" = 1 ]
then ok "a refused fit leaves the old file whole, no temporary file"
else bad "a refused fit changed the old file"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
