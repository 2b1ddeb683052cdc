#!/bin/sh
# calibrate.sh — `moeplan calibrate --quick` into a temporary directory:
# it finishes in bounded time, writes a profile that `moeplan cost` loads
# and that says how it was made (format 3: back end, dtype), and an
# interrupted calibration leaves the previous profile untouched; the back
# ends are listed, and an unknown one is a usage error.
set -u
: "${MOEPLAN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# 1. a quick calibration, bounded in time
start=$(date +%s)
if timeout 60 "$MOEPLAN" calibrate --backend cblas --quick --output "$tmp/p.yaml" \
	>"$tmp/out" 2>"$tmp/err"; then
	ok "calibrate --quick exits 0 in $(( $(date +%s) - start )) s"
else
	bad "calibrate --quick failed: $(cat "$tmp/err")"
fi
grep -q '^calibrated: true' "$tmp/p.yaml" && ok "profile says calibrated: true" ||
	bad "profile lacks calibrated: true"
grep -q '^version: 3$' "$tmp/p.yaml" && ok "profile is format version 3" ||
	bad "profile is not version 3: $(grep '^version' "$tmp/p.yaml")"
if sed -n '/^calibration:/,$p' "$tmp/p.yaml" | grep -q '^  backend: cblas$' &&
	sed -n '/^calibration:/,$p' "$tmp/p.yaml" | grep -q '^  dtype: fp32$'; then
	ok "calibration block names back end cblas and dtype fp32"
else
	bad "calibration block lacks backend cblas / dtype fp32"
fi
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

# 3. the back ends: listed; an unknown one is a usage error naming --backend
if "$MOEPLAN" calibrate --list-backends >"$tmp/list" 2>"$tmp/err" &&
	grep -q '^cblas ' "$tmp/list" && [ ! -s "$tmp/err" ]; then
	ok "--list-backends lists cblas"
else
	bad "--list-backends: $(cat "$tmp/list" "$tmp/err")"
fi
"$MOEPLAN" calibrate --backend nosuch --output "$tmp/x.yaml" >"$tmp/out" 2>"$tmp/err"
got=$?
if [ "$got" -eq 2 ] && grep -q -- "--backend: unknown back end 'nosuch'" "$tmp/err" &&
	[ ! -e "$tmp/x.yaml" ]; then
	ok "an unknown back end is a usage error (exit 2) naming --backend"
else
	bad "--backend nosuch: exit $got: $(cat "$tmp/err")"
fi

# 4. interrupted: the old profile stays as it was, no temporary files remain
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
