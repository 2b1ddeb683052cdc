#!/bin/sh
# sweep.sh — no NaN or Inf reaches any output: every bundled law (each law
# of each model file, so every path) is planned at budgets 1e15, 1e16, ...
# 1e30 FLOPs (json, alone and with a hardware profile for the time and
# money, and for upcycling from a checkpoint too), at 1e15, 1e22 and 1e30
# in every other format (table, csv, yaml, svg), and the frontier over
# 1e15..1e30 in every format; then every model with all its paths at
# once.  Each run must
# either succeed with finite numbers or fail (exit 1) with a clear
# message: no feasible plan, or a law that is not fitted; or be refused
# (exit 2) as a budget beyond what the laws can be asked about, with the
# limit named (a checkpoint's pinned N1 = 1e9 puts 1e26 past the box).
#
# Finite means: no "nan", "inf", "infinity" or "n/a" anywhere in the
# output; in json and csv, a solved path has its loss, params, tokens and
# flops (never null or empty); in svg, every coordinate is a number.
#
# Under valgrind (MOEPLAN_REAL set) or with SWEEP_QUICK=1, each model is
# planned with all its paths at once (not each law alone), in json at 1e15
# and 1e30, in every format and with the hardware profile at 1e22, and its
# frontier in json.  Prints one
# line per law and "N passed, N failed" (a check per run).
set -u
: "${MOEPLAN:?set MOEPLAN to the moeplan binary}"
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
LC_ALL=C
export MOEPLAN_DATADIR LC_ALL
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-sweep.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

budgets="1e15 1e16 1e17 1e18 1e19 1e20 1e21 1e22 1e23 1e24 1e25 1e26 1e27 1e28 1e29 1e30"
ends="1e15 1e22 1e30"
formats="table csv yaml svg"
quick=0
if [ -n "${MOEPLAN_REAL:-}" ] || [ "${SWEEP_QUICK:-0}" = 1 ]; then
	quick=1
	budgets="1e15 1e30"
	ends=1e22
fi

pass=0
fail=0
fails=

# check FORMAT STATUS COMMAND: one awk over the run's stdout and stderr; prints
# what is wrong, if anything
check() {
	awk -v fmt="$1" -v rc="$2" -v cmd="$3" '
	function bad(what) { if (why == "") why = what }
	FILENAME == ARGV[1] {                        # stdout
		line = tolower($0)
		if (line ~ /(^|[^a-z])(nan|-?inf|infinity)([^a-z]|$)/ || line ~ /n\/a/)
			bad("non-finite output: " $0)
		if (fmt == "json") {
			if ($0 ~ /"solved": true/) s = 1
			if ($0 ~ /"solved": false/) s = 0
			if (s && $0 ~ /"(loss|params|tokens|flops)": null/)
				bad("a solved path without a number: " $0)
		} else if (fmt == "csv" && cmd == "plan" && FNR == 1) {
			# the columns by name (all before any quoted field)
			n = split($0, h, ",")
			for (i = 1; i <= n; i++)
				col[h[i]] = i
		} else if (fmt == "csv" && cmd == "plan" && FNR > 1) {
			n = split($0, c, ",")
			if (c[col["solved"]] == 1 && (c[col["loss"]] == "" ||
			    c[col["params"]] == "" || c[col["tokens"]] == "" ||
			    c[col["flops"]] == ""))
				bad("a solved row with an empty number: " $0)
		} else if (fmt == "svg" && line ~ /="[^"]*(nan|inf)[^"]*"/) {
			bad("non-finite svg attribute: " $0)
		}
		next
	}
	{                                            # stderr
		line = tolower($0)
		if (line ~ /(^|[^a-z])(nan|-?inf|infinity)([^a-z]|$)/ || line ~ /n\/a/)
			bad("non-finite on stderr: " $0)
		if ($0 ~ /no feasible plan|is not fitted/) clear = 1
		if ($0 ~ /is beyond what the laws can be asked about \(limit /) beyond = 1
	}
	END {
		if (rc == 2 && beyond) rc = 0            # a budget past the box
		if (rc != 0 && rc != 1) bad("exit " rc)
		else if (rc == 1 && !clear) bad("failed without a clear reason")
		if (why != "") print why
	}' "$tmp/out" "$tmp/err"
}

# run LABEL ARGS...: one check
run() {
	label=$1
	shift
	timeout -k 5 120 "$MOEPLAN" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	fmt=table
	prev=
	for a in "$@"; do
		case $prev in --format) fmt=$a ;; esac
		prev=$a
	done
	why=$(check "$fmt" "$rc" "$1")
	if [ -z "$why" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		fails="$fails
FAIL: $label: moeplan $*: $why"
	fi
}

"$MOEPLAN" laws list | sed -E 's/  +/	/g' >"$tmp/laws" || exit 1
while IFS='	' read -r model laws source; do
	# quick: each model with all its paths at once, instead of each law
	[ "$quick" -eq 1 ] && laws=all
	for law in $(echo "$laws" | tr ',' ' '); do
		spec=$model:$law
		[ "$law" = all ] && spec=$model
		before=$fail
		path=$("$MOEPLAN" laws show "$spec" 2>/dev/null |
		       sed -n 's/^  path *//p' | head -n 1)
		for b in $budgets; do
			run "$spec plan $b json" plan --budget "$b" --laws "$spec" --format json
			[ "$quick" -eq 1 ] && continue
			run "$spec plan $b h100" plan --budget "$b" --laws "$spec" \
				--hardware h100-sxm --format json
			case $path in
			upcycle)
				run "$spec plan $b checkpoint" plan --budget "$b" --laws "$spec" \
					--checkpoint N1=1e9,D1=1e11 --format json ;;
			esac
		done
		for b in $ends; do
			for f in $formats; do
				run "$spec plan $b $f" plan --budget "$b" --laws "$spec" --format "$f"
			done
			run "$spec plan $b h100 table" plan --budget "$b" --laws "$spec" \
				--hardware h100-sxm
		done
		for f in json $formats; do
			[ "$quick" -eq 1 ] && [ "$f" != json ] && continue
			run "$spec frontier $f" frontier --from 1e15 --to 1e30 --steps 16 \
				--laws "$spec" --format "$f"
		done
		if [ "$fail" -eq "$before" ]; then echo "ok: $spec ($path)"
		else echo "FAIL: $spec ($path): $((fail - before)) runs"; fi
	done
done <"$tmp/laws"
# every path of every model at once (the default law set and each model)
while IFS='	' read -r model laws source; do
	[ "$quick" -eq 1 ] && break
	for b in $budgets; do
		run "$model plan $b" plan --budget "$b" --laws "$model" --format json
	done
done <"$tmp/laws"
# an upcycle from a checkpoint, in every format
for f in json $formats; do
	run "checkpoint $f" plan --budget 1e22 --checkpoint N1=1e9,D1=1e11,paid \
		--format "$f"
done
[ -n "$fails" ] && echo "$fails" | sed 1d
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
