#!/bin/sh
# bench_uncertainty.sh — how long a plan with uncertainty takes (make
# bench): epoch2024 at Chinchilla's budget (5.88e23 FLOPs) with
# BENCH_UNC_DRAWS draws (default 1000) on 1 and on N processes
# (BENCH_UNC_JOBS, default: the CPUs online), the same in H100-hours on
# a 64-device cluster (the cost model in every draw), liew2025 with a checkpoint
# (three paths, no covariance: the bands' cost without draws), and a
# 25-budget frontier with the same draws at every budget.  Prints wall
# seconds and milliseconds a draw, and checks that --jobs does not change
# the result (draw i is seeded by (seed, i) alone).  Target: a 1000-draw
# plan under 5 s on one process.  The fit's own figures are
# bench_fit.sh's.
set -u
: "${MOEPLAN:?}" "${top_srcdir:?}"
D=${BENCH_UNC_DRAWS:-1000}
jobs=${BENCH_UNC_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

now() { date +%s.%N; }
# run NAME ARGS...: wall seconds of one moeplan command into $secs
run() {
	name=$1; shift
	t0=$(now)
	"$MOEPLAN" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || {
		echo "FAIL: $name: $(cat "$tmp/$name.err")"; fail=1; }
	secs=$(echo "$(now) $t0" | awk '{ printf "%.2f", $1 - $2 }')
}
per() { echo "$1 $2" | awk '{ printf "%.2f", 1000 * $1 / $2 }'; }

p="plan --laws epoch2024 --budget 5.88e23"
run point $p
echo "epoch2024 plan, no draws:            $secs s"
run one $p --uncertainty "$D" --jobs 1
one=$secs
echo "epoch2024 plan, $D draws, 1 job:     $secs s ($(per "$secs" "$D") ms a draw)"
run many $p --uncertainty "$D" --jobs "$jobs"
echo "epoch2024 plan, $D draws, $jobs jobs:    $secs s ($(per "$secs" "$D") ms a draw)"
if cmp -s "$tmp/one.out" "$tmp/many.out"; then
	echo "ok: the bands are the same on 1 and $jobs jobs"
else
	echo "FAIL: the bands differ between 1 and $jobs jobs"; fail=1
fi
sed -n '/^uncertainty/,/^coefficients/p' "$tmp/one.out"
run hours plan --laws epoch2024 --budget '100000 hours' --hardware h100-sxm \
	--devices 64 --uncertainty "$D" --jobs 1
echo "epoch2024 plan in H100-hours on 64, $D draws, 1 job: $secs s"
run none plan --budget 1e22 --checkpoint N1=1e9,D1=1e11 --uncertainty "$D"
echo "liew2025 plan, no covariance:        $secs s"
run front frontier --laws epoch2024 --from 1e18 --to 1e26 --steps 25 \
	--uncertainty "$D" --jobs "$jobs"
echo "epoch2024 frontier, 25 x $D draws, $jobs jobs: $secs s ($(per "$secs" \
	$((25 * D))) ms a draw)"
echo "$one $D" | awk '{ exit !($1 * 1000 / $2 < 5) }' || {
	echo "FAIL: over the target (5 s for 1000 draws on one process)"; fail=1; }
exit $fail
