#!/bin/sh
# uncertainty.sh — plans with uncertainty from the command line: the same
# bands on 1 and 2 processes; shards 0/2 + 1/2 (and 0/3 .. 2/3, in any
# order) read back by --from-draws give the report of one run, byte for
# byte; a shard missing, given twice or of another seed is refused; the
# shares of best (with keep and none) sum to 1; epoch2024's median N lies
# within the Monte Carlo error of its point plan, inside p10..p90; a law
# without a covariance says so; a frontier's bands are the same on 2
# processes and its SVG shades one band per path; the options' usage
# errors exit 2.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
LC_ALL=C
export MOEPLAN_DATADIR LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-unc.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

plan() { "$MOEPLAN" plan --laws epoch2024 --budget 5.88e23 "$@"; }
same() {  # same WHAT FILE1 FILE2
	if cmp -s "$2" "$3"; then ok "$1"
	else bad "$1"; diff "$2" "$3" | head -10; fi
}
# status WHAT WANT CMD...: the exit status of CMD is WANT
status() {
	what=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" = "$want" ]; then ok "$what (exit $want)"
	else bad "$what: exit $got, want $want: $(cat "$tmp/err")"; fi
}

# --- jobs and shards -------------------------------------------------------
plan --uncertainty 300 --seed 7 >"$tmp/one.txt"
plan --uncertainty 300 --seed 7 --jobs 2 >"$tmp/two.txt"
same "the same bands on 1 and 2 processes" "$tmp/one.txt" "$tmp/two.txt"
grep -q '^uncertainty: 300 draws (seed 7)' "$tmp/one.txt" &&
	ok "the table says the draws and the seed" || bad "no bands block"
plan --uncertainty 300 --seed 7 --format json >"$tmp/one.json"
plan --uncertainty 300 --seed 7 --shard 0/2 >"$tmp/s0.csv"
plan --uncertainty 300 --seed 7 --shard 1/2 --jobs 2 >"$tmp/s1.csv"
plan --from-draws "$tmp/s0.csv" --from-draws "$tmp/s1.csv" >"$tmp/merged.txt"
same "shards 0/2 + 1/2 merged: the table of one run" "$tmp/one.txt" \
	"$tmp/merged.txt"
plan --from-draws "$tmp/s1.csv" --from-draws "$tmp/s0.csv" --seed 7 \
	--uncertainty 300 --format json >"$tmp/merged.json"
same "merged in the other order: the JSON of one run" "$tmp/one.json" \
	"$tmp/merged.json"
rows=$(($(wc -l <"$tmp/s0.csv") + $(wc -l <"$tmp/s1.csv") - 2))
[ "$rows" = 300 ] && ok "the shards hold 300 draws of one path" ||
	bad "the shards hold $rows rows, want 300"
for i in 0 1 2; do
	plan --uncertainty 300 --seed 7 --shard $i/3 >"$tmp/t$i.csv"
done
plan --from-draws "$tmp/t2.csv" --from-draws "$tmp/t0.csv" \
	--from-draws "$tmp/t1.csv" >"$tmp/merged3.txt"
same "three shards merged: the same table" "$tmp/one.txt" "$tmp/merged3.txt"
status "a shard missing" 1 plan --from-draws "$tmp/s0.csv"
grep -q 'hold 150 of the 300 draws' "$tmp/err" && ok "it says how many" ||
	bad "shard missing: $(cat "$tmp/err")"
status "a shard given twice" 1 plan --from-draws "$tmp/s0.csv" \
	--from-draws "$tmp/s0.csv"
status "draws of another seed" 1 plan --seed 8 --from-draws "$tmp/s0.csv"
status "draws of another budget" 1 "$MOEPLAN" plan --laws epoch2024 \
	--budget 1e22 --from-draws "$tmp/s0.csv"
status "a file that is not draws" 1 plan --from-draws \
	"$top_srcdir/share/data/chinchilla-figure4-epoch.csv"

# --- what the bands say ----------------------------------------------------
# col FILE NAME: the column NAME of the CSV's first data row (a quoted
# cell, which may hold commas, is read as one: the numbers are not quoted)
col() {
	awk -F, -v name="$2" '{ gsub(/"[^"]*"/, "q") }
		NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
		NR == 2 { print $c; exit }' "$1"
}
plan --uncertainty 1000 --format csv >"$tmp/p.csv"
n=$(col "$tmp/p.csv" params)
awk -v n="$n" -v lo="$(col "$tmp/p.csv" params_p10)" \
    -v med="$(col "$tmp/p.csv" params_p50)" \
    -v hi="$(col "$tmp/p.csv" params_p90)" 'BEGIN {
	# the median of N_opt over 1000 draws: its standard error is about
	# 1.25 sd / sqrt(1000), sd ~ (ln p90 - ln p10) / 2.56 (Gaussian)
	sd = (log(hi) - log(lo)) / 2.563; se = 1.2533 * sd / sqrt(1000)
	exit !(lo < n && n < hi && lo < med && med < hi &&
	       sqrt(log(med / n) ^ 2) < 4 * se) }' &&
	ok "epoch2024: N_opt inside p10..p90, the median within 4 se of it" ||
	bad "epoch2024: N $n, band $(col "$tmp/p.csv" params_p10) $(col "$tmp/p.csv" params_p50) $(col "$tmp/p.csv" params_p90)"
"$MOEPLAN" plan --laws epoch2024 --budget 1e21 --checkpoint N1=2e9,D1=4e10 \
	--uncertainty 200 --format csv >"$tmp/k.csv"
awk -F, '{ gsub(/"[^"]*"/, "q") }
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ s += $c["p_best"]; keep = $c["p_keep"]; none = $c["p_none"]; n++ }
	END { exit !(n == 2 && (s + keep + none - 1) ^ 2 < 1e-20) }' "$tmp/k.csv" &&
	ok "P(best) over dense and continue, P(keep), P(none) sum to 1" ||
	bad "the shares do not sum to 1: $(cat "$tmp/k.csv")"

# --- a law without a covariance --------------------------------------------
"$MOEPLAN" plan --budget 1e22 --uncertainty 10 >"$tmp/none.txt" 2>&1
grep -q '^  law liew2025/moe has no covariance: no uncertainty$' \
	"$tmp/none.txt" && ok "liew2025: 'law X has no covariance'" ||
	bad "liew2025: no note: $(tail -5 "$tmp/none.txt")"
"$MOEPLAN" plan --budget 1e22 --uncertainty 10 --format json >"$tmp/none.json"
grep -q '"no_covariance": \[' "$tmp/none.json" &&
	ok "the JSON lists the laws without a covariance" ||
	bad "no no_covariance in the JSON"
status "a shard of a law set with no covariance" 1 "$MOEPLAN" plan \
	--budget 1e22 --uncertainty 10 --shard 0/2

# liew2025 with a covariance for its dense law alone (written here): the
# dense path is drawn, MoE at its point values, the upcycle from a drawn
# baseline; the shares still sum to 1
awk '{ print }
	/^    note: "Fit range approximate."$/ && !done { done = 1
	print "    fitted:"
	print "      data: made-up.csv"
	print "      data_sha256: \"" sprintf("%064d", 0) "\""
	print "      date: \"2026-12-02T00:00:00Z\""
	print "      moeplan_version: \"0.1.0\""
	print "      points: 100"
	print "      delta: 0.001"
	print "      objective: 0.001"
	print "      rms: 0.01"
	print "      parameters: [alpha, beta]"
	print "      covariance: [[0.000016, 0], [0, 0.000016]]" }' \
	"$top_srcdir/models/liew2025.yaml" | sed 's/^name: liew2025$/name: mixed/' \
	>"$tmp/mixed.yaml"
"$MOEPLAN" plan --laws "$tmp/mixed.yaml" --budget 1e22 --uncertainty 100 \
	>"$tmp/mixed.txt" 2>&1
grep -q '^coefficients  *drawn  *point values  *point (baseline drawn)$' \
	"$tmp/mixed.txt" && ok "mixed: drawn, point values, baseline drawn" ||
	bad "mixed: $(grep -A1 -B8 coefficients "$tmp/mixed.txt")"
grep -q '^  law mixed/moe has no covariance: no uncertainty (its path is drawn at its point values)$' \
	"$tmp/mixed.txt" && ok "mixed: the MoE law has no covariance, said so" ||
	bad "mixed: no note for the MoE law"
"$MOEPLAN" plan --laws "$tmp/mixed.yaml" --budget 1e22 --uncertainty 100 \
	--format csv >"$tmp/mixed.csv"
awk -F, '{ gsub(/"[^"]*"/, "q") }
	NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
	{ s += $c["p_best"]; none = $c["p_none"]; n++ }
	END { exit !(n == 3 && (s + none - 1) ^ 2 < 1e-20) }' "$tmp/mixed.csv" &&
	ok "mixed: P(best) of three paths and P(none) sum to 1" ||
	bad "mixed: the shares do not sum to 1"

# --- the frontier ------------------------------------------------------------
front() { "$MOEPLAN" frontier --laws epoch2024 --from 1e20 --to 1e24 \
	--steps 5 --uncertainty 100 "$@"; }
front >"$tmp/f1.txt"
front --jobs 2 >"$tmp/f2.txt"
same "frontier bands on 1 and 2 processes" "$tmp/f1.txt" "$tmp/f2.txt"
front --format svg >"$tmp/f.svg"
[ "$(grep -c 'class="band"' "$tmp/f.svg")" = 1 ] &&
	ok "the SVG shades one band (one path)" || bad "SVG bands: $(grep -c band "$tmp/f.svg")"

# --- usage -------------------------------------------------------------------
status "--shard without --uncertainty" 2 plan --shard 0/2
status "--shard 2/2" 2 plan --uncertainty 10 --shard 2/2
status "--shard x" 2 plan --uncertainty 10 --shard x
status "--shard with --format json" 2 plan --uncertainty 10 --shard 0/2 \
	--format json
status "--seed without --uncertainty" 2 plan --seed 3
status "--jobs without --uncertainty" 2 plan --jobs 2
status "--uncertainty 0" 2 plan --uncertainty 0
status "--uncertainty of a comparison" 2 "$MOEPLAN" plan \
	--laws epoch2024,chinchilla --budget 1e22 --uncertainty 10
status "--shard of a frontier" 2 front --shard 0/2

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
