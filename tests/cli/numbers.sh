#!/bin/sh
# numbers.sh — the real binary's plan and frontier output checked against
# answers computed here, independently, in awk:
#   - Chinchilla's closed-form optimum (Hoffmann et al. 2022, Approach 3)
#     for the published fit at several budgets, through plan and frontier,
#     and for the unrounded one, --laws chinchilla's default;
#   - upcycling a checkpoint whose compute is sunk: D2 = C / (6 Na),
#     Na = N1 (1 + 0.642 (2 - 1)) (models/liew2025.yaml's derived rule);
#   - exit statuses and messages of infeasible and malformed requests.
# Prints one line per check and "N passed, N failed".
set -u
M=${MOEPLAN:?set MOEPLAN to the moeplan binary}
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# col FILE NAME: the value of column NAME in the first data row of a CSV.
col() {
	awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
	                       NR == 2 { print $c; exit }' "$1"
}
# near GOT WANT RELTOL WHAT
near() {
	if awk -v g="$1" -v w="$2" -v t="$3" 'BEGIN { d = g - w; if (d < 0) d = -d;
	    exit !(g != "" && d <= t * (w < 0 ? -w : w)) }'; then
		ok "$4: $1 ~ $2"
	else
		bad "$4: got '$1', want $2 (rel tol $3)"
	fi
}
# Chinchilla closed form: N_opt and D_opt at C, for the published fit
# (eq. 10 as printed) or, with a third argument "unrounded", the unrounded
# one (ln A = 6.0073404, ln B = 6.0179186, alpha = 0.33917084,
# beta = 0.2849083).
closed() {
	awk -v C="$1" -v what="$2" -v fit="${3:-published}" 'BEGIN {
		A = 406.4; B = 410.7; al = 0.34; be = 0.28
		if (fit == "unrounded") {
			A = exp(6.0073404); B = exp(6.0179186)
			al = 0.33917084; be = 0.2849083
		}
		G = exp(log(al * A / (be * B)) / (al + be))
		N = G * exp(log(C / 6) * be / (al + be)); D = exp(log(C / 6) * al / (al + be)) / G
		printf "%.10g\n", what == "N" ? N : D }'
}

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

for C in 1e19 1e21 1e23 1e25; do
	"$M" plan --laws chinchilla:published --budget "$C" --format csv >"$tmp/p.csv" ||
		bad "plan at $C exited $?"
	near "$(col "$tmp/p.csv" params)" "$(closed "$C" N)" 1e-3 "chinchilla N_opt at $C"
	near "$(col "$tmp/p.csv" tokens)" "$(closed "$C" D)" 1e-3 "chinchilla D_opt at $C"
	near "$(col "$tmp/p.csv" flops)" "$C" 1e-9 "chinchilla spends the budget at $C"
done

# --laws chinchilla plans with the unrounded fit, which gives the paper's
# approach-3 optimum of about 40B parameters at Gopher's 5.76e23 FLOPs.
for C in 1e21 5.76e23; do
	"$M" plan --laws chinchilla --budget "$C" --format csv >"$tmp/p.csv" ||
		bad "plan --laws chinchilla at $C exited $?"
	near "$(col "$tmp/p.csv" params)" "$(closed "$C" N unrounded)" 1e-3 \
		"chinchilla (unrounded) N_opt at $C"
	near "$(col "$tmp/p.csv" tokens)" "$(closed "$C" D unrounded)" 1e-3 \
		"chinchilla (unrounded) D_opt at $C"
done
near "$(col "$tmp/p.csv" params)" 40e9 0.02 "chinchilla at Gopher's budget: ~40B"

"$M" frontier --laws chinchilla:published --from 1e19 --to 1e25 --steps 7 \
	--format csv >"$tmp/f.csv" || bad "frontier exited $?"
rows=$(awk 'END { print NR - 1 }' "$tmp/f.csv")
[ "$rows" = 7 ] && ok "frontier has 7 rows" || bad "frontier has $rows rows, want 7"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "dense_params") c = i }
	NR > 1 { print $1, $c }' "$tmp/f.csv" | while read -r C N; do
	near "$N" "$(closed "$C" N)" 1e-3 "frontier N_opt at $C"
done >"$tmp/f.out"
cat "$tmp/f.out"
pass=$((pass + $(grep -c '^ok' "$tmp/f.out"))); fail=$((fail + $(grep -c '^FAIL' "$tmp/f.out")))

"$M" plan --budget 1e21 --path upcycle --checkpoint N1=1e9,D1=1e11 --format csv \
	>"$tmp/u.csv" || bad "checkpoint plan exited $?"
near "$(col "$tmp/u.csv" tokens_moe)" "$(awk 'BEGIN { printf "%.10g", 1e21 / (6 * 1e9 * 1.642) }')" \
	1e-9 "sunk checkpoint: D2 = C / (6 Na)"
near "$(col "$tmp/u.csv" flops_sunk)" 6e20 1e-12 "sunk compute = 6 N1 D1"

"$M" plan --budget 1e20 --path upcycle --checkpoint N1=1e9,D1=1e11,paid \
	>"$tmp/o" 2>"$tmp/e"
st=$?
[ "$st" = 1 ] && ok "paid checkpoint over budget: exit 1" || bad "exit $st, want 1"
grep -q 'the checkpoint alone (6e+20 FLOPs) exceeds the budget (1e+20 FLOPs)' "$tmp/o" &&
	ok "says why" || bad "no reason in: $(cat "$tmp/o")"

"$M" plan --budget 1e22 --unit flopz >/dev/null 2>"$tmp/e"
st=$?
[ "$st" = 2 ] && ok "unit typo: exit 2" || bad "unit typo: exit $st, want 2"

"$M" plan --budget 1e22 --format json >"$tmp/j"
for key in '"paths"' '"best"' '"warnings"' '"dense"' '"moe"' '"upcycle"'; do
	grep -q "$key" "$tmp/j" && ok "json has $key" || bad "json lacks $key"
done

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
