#!/bin/sh
# calibrate.sh — `moeplan calibrate --quick` into a temporary directory:
# it finishes in bounded time, writes a profile that `moeplan cost` loads,
# and an interrupted calibration leaves the previous profile untouched.
set -u
: "${MOEPLAN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# 1. a quick calibration, bounded in time
start=$(date +%s)
if timeout 60 "$MOEPLAN" calibrate --quick --output "$tmp/p.yaml" \
	>"$tmp/out" 2>"$tmp/err"; then
	ok "calibrate --quick exits 0 in $(( $(date +%s) - start )) s"
else
	bad "calibrate --quick failed: $(cat "$tmp/err")"
fi
grep -q '^calibrated: true' "$tmp/p.yaml" && ok "profile says calibrated: true" ||
	bad "profile lacks calibrated: true"
[ -s "$tmp/err" ] && bad "stderr not empty when not a terminal: $(cat "$tmp/err")" ||
	ok "nothing on stderr when it is not a terminal"

# 2. the profile loads and predicts
if "$MOEPLAN" cost --hardware "$tmp/p.yaml" --gemm 300,200,100 --format json \
	>"$tmp/cost" 2>"$tmp/err" && grep -q '"seconds"' "$tmp/cost"; then
	ok "cost loads the calibrated profile"
else
	bad "cost on the profile failed: $(cat "$tmp/err")"
fi
if "$MOEPLAN" cost --hardware "$tmp/p.yaml" \
	--moe-layer tokens=512,d=256,ff=512,experts=16,top_k=2,skew=1.2 \
	>"$tmp/cost" 2>"$tmp/err" && grep -q '^combine' "$tmp/cost"; then
	ok "cost of an MoE layer on the calibrated profile"
else
	bad "moe-layer cost failed: $(cat "$tmp/err")"
fi

# 3. interrupted: the old profile stays as it was, no temporary files remain
cp "$tmp/p.yaml" "$tmp/old.yaml"
"$MOEPLAN" calibrate --quick --output "$tmp/p.yaml" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -TERM "$pid" 2>/dev/null   # (background jobs of sh ignore SIGINT)
wait "$pid" 2>/dev/null
cmp -s "$tmp/p.yaml" "$tmp/old.yaml" && ok "interrupted run left the profile intact" ||
	bad "interrupted run changed the profile"
ls "$tmp" | grep -q 'tmp' && bad "temporary file left behind: $(ls "$tmp")" ||
	ok "no temporary file left"
exit $fail
