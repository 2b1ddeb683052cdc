#!/bin/sh
# layout.sh — --layout on plan and frontier (issue 12): every solved
# path's layout keeps what was pinned, uses exactly the devices given
# (tp pp dp = G, and ep divides dp), fits in the H100 SXM's 80 GB (its
# datasheet), and a plan in device-hours spends the budget asked; pins
# without a cluster are usage errors naming --layout.  The facts checked
# are the pins, the device count and the datasheet, not the program's
# own numbers.
set -u
: "${MOEPLAN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 failed=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }

# check CSV PIN G: the csv's solved rows against the pins (KEY=VALUE,...)
check() {
	awk -F'"' -v pin="$2" -v G="$3" '
	NR == 1 { next }
	{
		n = split($1, pre, ","); solved = pre[4]
		if (solved != 1) next
		rows++
		split($3, post, ",")
		mem = post[2]
		m = split($2, kv, ",")
		for (i = 1; i <= m; i++) { split(kv[i], p, "="); l[p[1]] = p[2] }
		k = split(pin, pv, ",")
		for (i = 1; i <= k; i++) {
			split(pv[i], p, "=")
			if (l[p[1]] != p[2]) { print "pin " pv[i] " not kept: " $2; bad = 1 }
		}
		if (l["tp"] * l["pp"] * l["dp"] != G) { print "tp pp dp != " G ": " $2; bad = 1 }
		if (l["dp"] % l["ep"] != 0) { print "ep does not divide dp: " $2; bad = 1 }
		if (!(mem > 0 && mem <= 8e10)) { print "memory " mem " not in (0, 80 GB]"; bad = 1 }
	}
	END { if (rows == 0) { print "no solved path"; bad = 1 } exit bad }' "$1"
}

# 1. plan in device-hours with tp and zero pinned
"$MOEPLAN" plan --budget 2000 --unit h100-hours --hardware h100-sxm --devices 8 \
	--layout tp=4,zero=1 --format csv >"$tmp/plan.csv" 2>"$tmp/err"
if [ $? -eq 0 ] && msg=$(check "$tmp/plan.csv" tp=4,zero=1 8); then
	ok "plan --layout tp=4,zero=1 on 8 H100s: every path keeps the pins and fits"
else
	bad "plan --layout tp=4,zero=1: ${msg:-} $(cat "$tmp/err")"
fi
# the hours column of solved rows is the budget (columns found by name)
if awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$col["solved"] == 1 { n++; h = $col["hours"]
		if (h < 1999.9 || h > 2000.1) bad = 1 }
	END { exit bad || !n }' "$tmp/plan.csv"; then
	ok "plan --layout spends the 2000 device-hours asked"
else
	bad "plan --layout: device-hours are not the budget"
fi

# 2. a frontier with pp and the micro-batch pinned, on 64 devices (its csv
# has no layout column: that it plans is what is checked)
"$MOEPLAN" frontier --from 1e4 --to 1e5 --steps 2 --unit h100-hours \
	--hardware h100-sxm --devices 64 --layout pp=2,mb=1,recompute=full \
	--format csv >"$tmp/fr.csv" 2>"$tmp/err"
rc=$?
if [ $rc -eq 0 ] && [ -s "$tmp/fr.csv" ]; then
	ok "frontier --layout pp=2,mb=1,recompute=full runs"
else
	bad "frontier --layout: exit $rc: $(cat "$tmp/err")"
fi

# 3. "auto" frees a key: the same plan as without it
"$MOEPLAN" plan --budget 1e21 --hardware h100-sxm --devices 8 --format csv \
	>"$tmp/a" 2>/dev/null
"$MOEPLAN" plan --budget 1e21 --hardware h100-sxm --devices 8 --format csv \
	--layout tp=auto,zero=auto,recompute=auto >"$tmp/b" 2>/dev/null
cmp -s "$tmp/a" "$tmp/b" && ok "--layout tp=auto,...: the plan without pins" ||
	bad "--layout with auto values differs from no --layout"

# 4. usage errors: exit 2, the message names --layout
for args in "--layout tp=8" "--hardware generic-cpu --layout tp=2" \
	"--hardware h100-sxm --layout tp=0" "--hardware h100-sxm --layout zero=4" \
	"--hardware h100-sxm --layout tp8"; do
	# shellcheck disable=SC2086
	"$MOEPLAN" plan --budget 1e20 $args >/dev/null 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 2 ] && grep -q -- "--layout" "$tmp/err"; then
		ok "plan $args: usage error naming --layout"
	else
		bad "plan $args: exit $rc: $(cat "$tmp/err")"
	fi
done

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
