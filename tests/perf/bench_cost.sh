#!/bin/sh
# bench_cost.sh — accuracy of the calibrated kernel cost model (make bench).
#
# ROUNDS rounds (default 3, BENCH_COST_ROUNDS) of tests/perf/cost_accuracy
# --interleaved: it calibrates this machine as `moeplan calibrate` does
# (the full grid, or --quick with BENCH_COST_QUICK=1: the same grid,
# protocol and fit) and, between the calibration's own samples, measures
# kernels that are not in the grid (single GEMMs; whole MoE layers with
# balanced and skewed routing), so that load from elsewhere on a shared
# machine hits the model's samples and the held-out measurements alike.
# It prints the median and 90th-percentile absolute relative error of the
# model, beside a pure roofline model and a constant-MFU model, and the
# harness check: the largest square GEMM timed by the calibration's
# protocol and by a plain sgemm loop, alternately.  The last table is the
# median over rounds.  Targets: median <= 10%, p90 <= 25%, harness within
# 10%.  Then one `moeplan calibrate` is timed, and the square GEMM it
# measured is compared with tests/perf/sgemm_loop in its own process.
#
# Each round prints the load average and how idle the CPUs were before it,
# and how many cores other processes kept busy meanwhile (the machine's
# CPU time less this script's children's, over the wall time);
# BENCH_IDLE_WAIT=S waits up to S seconds for 90% idle CPUs before each
# round; BENCH_COST_KEEP=DIR keeps the outputs.
set -u
: "${MOEPLAN:?}" "${top_builddir:?}"
rounds=${BENCH_COST_ROUNDS:-3}
quick=
[ "${BENCH_COST_QUICK:-0}" = 1 ] && quick=--quick
acc="$top_builddir/tests/perf/cost_accuracy"
tmp=$(mktemp -d) || exit 1
trap '[ -n "${BENCH_COST_KEEP:-}" ] && cp -r "$tmp"/. "$BENCH_COST_KEEP"/; rm -rf "$tmp"' EXIT

# percent of CPU time idle over one second
idle() {
	set -- $(head -1 /proc/stat); i0=$5; t0=0; shift
	for x in "$@"; do t0=$((t0 + x)); done
	sleep 1
	set -- $(head -1 /proc/stat); i1=$5; t1=0; shift
	for x in "$@"; do t1=$((t1 + x)); done
	echo $(( 100 * (i1 - i0) / (t1 - t0 + (t1 == t0)) ))
}

# busy CPU seconds of the whole machine so far
busy() {
	awk -v hz="$(getconf CLK_TCK)" 'NR == 1 {
		printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat
}

# CPU seconds of this script's children, from the output of the times
# builtin (run in this shell: a subshell's children are not ours) in $1
own() {
	awk 'NR == 2 {
		for (i = 1; i <= 2; i++) {
			split($i, a, "m"); sub("s", "", a[2]); t += 60 * a[1] + a[2]
		}
		printf "%.2f", t }' "$1"
}

now() {
	date +%s.%N
}

r=1
while [ "$r" -le "$rounds" ]; do
	waited=0
	while [ "$waited" -lt "${BENCH_IDLE_WAIT:-0}" ] && [ "$(idle)" -lt 90 ]; do
		waited=$((waited + 1))
	done
	echo "== round $r: load $(cut -d' ' -f1-3 /proc/loadavg), CPUs $(idle)% idle"
	start=$(now)
	b0=$(busy)
	times >"$tmp/times"
	c0=$(own "$tmp/times")
	"$acc" --interleaved $quick -v >"$tmp/acc$r" || exit 1
	times >"$tmp/times"
	c1=$(own "$tmp/times")
	b1=$(busy)
	end=$(now)
	grep -v '^summary' "$tmp/acc$r"
	awk -v b0="$b0" -v b1="$b1" -v c0="$c0" -v c1="$c1" -v s="$start" \
		-v e="$end" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
		printf "round took %.1f s; load after %s; other processes kept %.2f cores busy\n",
		       e - s, l, (b1 - b0 - (c1 - c0)) / (e - s) }'
	r=$((r + 1))
done

echo "== median over $rounds rounds (|rel err| %, median / p90)"
cat "$tmp"/acc* | awk '
	function med(s,   n, i, j, t, v) {
		n = split(s, v, " ")
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && v[j - 1] + 0 > v[j] + 0; j--) {
				t = v[j]; v[j] = v[j - 1]; v[j - 1] = t
			}
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	/^summary/ {
		k = $2; names[k] = 1; cases[k] = $3
		for (i = 4; i <= 9; i++) col[k, i] = col[k, i] " " $i
	}
	/^harness/ { h = h " " $NF }
	END {
		printf "%-13s %5s  %-15s  %-15s  %-15s\n", "", "cases", "model",
		       "roofline", "const-MFU"
		split("gemm moe moe_balanced moe_skewed", order, " ")
		for (o = 1; o <= 4; o++) {
			k = order[o]
			if (!(k in names))
				continue
			printf "%-13s %5d  %5.1f / %5.1f    %5.1f / %5.1f    %5.1f / %5.1f\n",
			       k, cases[k], med(col[k, 4]), med(col[k, 5]), med(col[k, 6]),
			       med(col[k, 7]), med(col[k, 8]), med(col[k, 9])
		}
		if (h != "")
			printf "harness ratio (plain loop / protocol, interleaved): %.3f\n", med(h)
	}'

echo "== moeplan calibrate $quick"
start=$(now)
"$MOEPLAN" calibrate $quick --output "$tmp/p.yaml" >"$tmp/cal" || exit 1
echo "took $(echo "$(now) $start" | awk '{ printf "%.1f", $1 - $2 }') s (load $(cut -d' ' -f1-3 /proc/loadavg))"
awk '/^ *- kernel:/ { k = $3 } /tag: square/ { sq = 1 } /^ *- [0-9]/ && sq { n = $2 }
	/seconds:/ && sq { if (n > best) { best = n; t = $2 }; sq = 0 }
	END { print best, t }' "$tmp/p.yaml" >"$tmp/sq"
read -r n t <"$tmp/sq"
loop=$("$top_builddir/tests/perf/sgemm_loop" "$n" 5) || exit 1
awk -v n="$n" -v t="$t" -v l="$loop" 'BEGIN {
	printf "square %d: calibrate %.4g FLOP/s, sgemm_loop process %.4g FLOP/s, ratio %.3f\n",
	       n, 2 * n * n * n / t, l, 2 * n * n * n / t / l }'
