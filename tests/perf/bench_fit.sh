#!/bin/sh
# bench_fit.sh — how long `moeplan fit` takes (make bench): the Chinchilla
# refit of share/data (240 points, 5 parameters, Hoffmann et al.'s grid of
# 4500 starts) with the default --refine 100, with every grid point
# refined (BENCH_FIT_ALL=1), and a bootstrap of B resamples
# (BENCH_FIT_B, default 1000) on 1 and on N processes (BENCH_FIT_JOBS,
# default: the CPUs online).  Prints wall seconds of each, per resample
# for the bootstrap, and checks that the bootstrap's output is the same
# for every --jobs (resample b draws from (seed, b) alone).  Targets: the
# fit under 30 s, a resample under 50 ms on one process.
set -u
: "${MOEPLAN:?}" "${top_srcdir:?}"
B=${BENCH_FIT_B:-1000}
jobs=${BENCH_FIT_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}
data=$top_srcdir/share/data/chinchilla-figure4-epoch.csv
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

now() { date +%s.%N; }
fit() {
	"$MOEPLAN" fit epoch2024:dense --data "$data" --column N='Model Size' \
		--compute 'Training FLOP' --exclude-top-loss 5 "$@"
}
# run NAME ARGS...: wall seconds of one fit into $secs
run() {
	name=$1; shift
	t0=$(now)
	fit "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || {
		echo "FAIL: $name: $(cat "$tmp/$name.err")"; fail=1; }
	secs=$(echo "$(now) $t0" | awk '{ printf "%.2f", $1 - $2 }')
}

run fit
echo "fit, --refine 100:            $secs s"
fit_s=$secs
if [ "${BENCH_FIT_ALL:-0}" = 1 ]; then
	run all --refine 0
	echo "fit, all 4500 starts:         $secs s"
fi
run boot1 --bootstrap "$B" --jobs 1
b1=$secs
run bootn --bootstrap "$B" --jobs "$jobs"
bn=$secs
echo "$b1 $bn $fit_s $B $jobs" | awk '{
	printf "fit + %d resamples, 1 job:  %s s (%.1f ms a resample)\n", $4, $1, 1000 * ($1 - $3) / $4
	printf "fit + %d resamples, %d jobs: %s s (%.1f ms a resample)\n", $4, $5, $2, 1000 * ($2 - $3) / $4 }'
if cmp -s "$tmp/boot1.out" "$tmp/bootn.out"; then
	echo "ok: the bootstrap is the same on 1 and $jobs jobs"
else
	echo "FAIL: the bootstrap differs between 1 and $jobs jobs"; fail=1
fi
sed -n '/^parameter/,/^$/p' "$tmp/boot1.out"
echo "$fit_s $b1 $B" | awk '{ exit !($1 < 30 && ($2 - $1) / $3 < 0.05) }' || {
	echo "FAIL: over the targets (fit 30 s, 50 ms a resample)"; fail=1; }
exit $fail
