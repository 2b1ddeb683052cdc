#!/bin/sh
# sweep.sh — no NaN or Inf reaches any output: every bundled law (each law
# of each model file, so every path) is planned at budgets 1e15, 1e16, ...
# 1e30 FLOPs in every format (table, csv, json, yaml, svg), with a hardware
# profile (time and money columns) and, for upcycling, from a checkpoint;
# and the frontier over the same range in every format.  Each run must
# either succeed with finite numbers or fail (exit 1) with a clear
# message: no feasible plan, or a law that is not fitted.
#
# Finite means: no "nan", "inf", "infinity" or "n/a" anywhere in the
# output; in json and csv, a solved path has its loss, params, tokens and
# flops (never null or empty); in svg, every coordinate is a number.
#
# Under valgrind (MOEPLAN_REAL set) or with SWEEP_QUICK=1 only the budgets
# 1e15, 1e22, 1e30 and the formats table and json are planned.  Prints one
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
formats="table csv json yaml svg"
if [ -n "${MOEPLAN_REAL:-}" ] || [ "${SWEEP_QUICK:-0}" = 1 ]; then
	budgets="1e15 1e22 1e30"
	formats="table json"
fi

pass=0
fail=0
fails=

# bad_numbers FORMAT FILE: prints what is not finite in FILE, if anything
bad_numbers() {
	grep -inE '(^|[^a-z])(nan|-?inf|infinity)([^a-z]|$)|n/a' "$2" | head -n 3
	case $1 in
	json)   # a solved path: loss, params, tokens, flops are numbers
		awk '/"solved": true/ { s = 1 } /"solved": false/ { s = 0 }
		     s && /"(loss|params|tokens|flops)": null/ { print FILENAME ": " $0 }' "$2" ;;
	csv)    # columns: budget,path,law,solved,best,loss,... params (9),
	        # tokens (11), flops (14): before any quoted field
		awk -F, 'NR > 1 && $4 == 1 && ($6 == "" || $9 == "" || $11 == "" || $14 == "") {
		         print "solved row with an empty number: " $0 }' "$2" ;;
	svg)
		grep -nE '="[^"]*(nan|inf)[^"]*"' "$2" | head -n 3 ;;
	esac
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
	why=
	if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
		why="exit $rc"
	elif [ "$rc" -eq 1 ] &&
	     ! grep -qE 'no feasible plan|is not fitted' "$tmp/err"; then
		why="failed without a clear reason"
	elif [ -n "$(bad_numbers "$fmt" "$tmp/out")" ]; then
		why="non-finite output: $(bad_numbers "$fmt" "$tmp/out" | head -n 1)"
	elif grep -qiE '(^|[^a-z])(nan|-?inf|infinity)([^a-z]|$)|n/a' "$tmp/err"; then
		why="non-finite on stderr: $(head -n 1 "$tmp/err")"
	fi
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
	for law in $(echo "$laws" | tr ',' ' '); do
		spec=$model:$law
		before=$fail
		path=$("$MOEPLAN" laws show "$spec" 2>/dev/null |
		       sed -n 's/^path *//p' | head -n 1)
		for b in $budgets; do
			for f in $formats; do
				run "$spec plan $b $f" plan --budget "$b" --laws "$spec" --format "$f"
			done
			run "$spec plan $b h100" plan --budget "$b" --laws "$spec" \
				--hardware h100-sxm --format json
			case $path in
			upcycle*)
				run "$spec plan $b checkpoint" plan --budget "$b" --laws "$spec" \
					--checkpoint N1=1e9,D1=1e11 --format json ;;
			esac
		done
		for f in $formats; do
			run "$spec frontier $f" frontier --from 1e15 --to 1e30 --steps 16 \
				--laws "$spec" --format "$f"
		done
		if [ "$fail" -eq "$before" ]; then echo "ok: $spec ($path)"
		else echo "FAIL: $spec ($path): $((fail - before)) runs"; fi
	done
done <"$tmp/laws"
# every path of every model at once (the default law set and each model)
while IFS='	' read -r model laws source; do
	for b in $budgets; do
		run "$model plan $b" plan --budget "$b" --laws "$model" --format json
	done
done <"$tmp/laws"
[ -n "$fails" ] && echo "$fails" | sed 1d
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
