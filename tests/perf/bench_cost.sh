#!/bin/sh
# bench_cost.sh — accuracy of the calibrated kernel cost model (make bench).
#
# Calibrates this machine (the full grid), then predicts kernels that are
# not in the calibration grid (single GEMMs; whole MoE layers with balanced
# and skewed routing) and compares with their measured times: median and
# 90th-percentile absolute relative error of the model, beside a pure
# roofline model and a constant-MFU model (tests/perf/cost_accuracy.c).
# Targets: median <= 10%, p90 <= 25%.  Last, the largest square GEMM the
# calibration measured against a plain sgemm loop on the same shape.
# Run it on an otherwise idle machine: timings on a loaded one mean little.
set -u
: "${MOEPLAN:?}" "${top_builddir:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

echo "== moeplan calibrate"
start=$(date +%s)
"$MOEPLAN" calibrate --output "$tmp/p.yaml" || exit 1
echo "calibration took $(( $(date +%s) - start )) s"

echo "== held-out kernels"
"$top_builddir/tests/perf/cost_accuracy" "$tmp/p.yaml" -v | tee "$tmp/acc" || exit 1

n=$(awk '/^square/ { print $2 }' "$tmp/acc")
cal=$(awk '/^square/ { print $4 }' "$tmp/acc")
loop=$("$top_builddir/tests/perf/sgemm_loop" "$n" 5) || exit 1
awk -v n="$n" -v c="$cal" -v l="$loop" 'BEGIN {
	printf "== harness: square %d sgemm, calibrate %.4g FLOP/s, plain loop %.4g FLOP/s, ratio %.3f\n",
	       n, c, l, c / l }'
