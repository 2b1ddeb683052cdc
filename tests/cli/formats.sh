#!/bin/sh
# formats.sh — every command in every format its --format offers (as
# `moeplan CMD --format help` lists them, from the sink table) writes a
# document that parses: JSON through python3's json, CSV through its csv
# module (a header, at least one row, equal column counts), SVG through its
# XML parser, YAML by structure (every line a key, a list item or a
# continuation, nothing else: python3 has no YAML reader here), a table as
# non-empty text.  A format a command does not offer, and an unknown one,
# are usage errors (exit 2) that name --format and list the formats
# offered.  Exit 77 without python3.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
export MOEPLAN_DATADIR
LC_ALL=C
export LC_ALL

if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is not installed"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-formats.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0
fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

# parses FORMAT FILE: 0 if FILE is a well-formed document of FORMAT.
parses() {
	case $1 in
	json) python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$2" ;;
	csv) python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert len(rows) >= 2, "no data row"
assert all(len(r) == len(rows[0]) for r in rows), "ragged rows"
' "$2" ;;
	svg) python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$2" ;;
	yaml) [ -s "$2" ] && ! grep -vqE '^( *- +)*( *)(("[^"]*"|[A-Za-z_][A-Za-z0-9_.-]*):( .*)?|- .*|-)$' "$2" &&
		head -n 1 "$2" | grep -qE '^[a-z_]+:' ;;
	table) [ -s "$2" ] ;;
	*) return 1 ;;
	esac
}

# CMD ARGS...: one run per format the command offers.
each_format() {
	cmd=$1
	shift
	formats=$("$MOEPLAN" "$cmd" --format help) || { bad "$cmd --format help fails"; return; }
	[ -n "$formats" ] || { bad "$cmd --format help lists nothing"; return; }
	for f in $formats; do
		if ! "$MOEPLAN" "$cmd" "$@" --format "$f" >"$tmp/out" 2>"$tmp/err"; then
			bad "$cmd $* --format $f: exit status $? ($(cat "$tmp/err"))"
		elif parses "$f" "$tmp/out"; then
			ok "$cmd --format $f parses"
		else
			bad "$cmd $* --format $f does not parse as $f"
			head -n 5 "$tmp/out"
		fi
	done
}

each_format plan --budget 1e21 --hardware h100-sxm --devices 8
each_format frontier --from 1e18 --to 1e22 --steps 5
each_format flops --arch mixtral-8x7b
each_format cost --hardware h100-sxm --gemm 256,256,256
each_format cost --hardware h100-sxm --arch llama-2-7b --train-tokens 1e12 --devices 8
each_format eval liew2025:upcycled N1=1e9 D1=1e11 D2=1e11
each_format laws list
# a comparison of law sets (plan --laws A,B): every format but svg
for f in table csv json yaml; do
	if "$MOEPLAN" plan --budget 1e21 --laws chinchilla,liew2025 --format "$f" \
	   >"$tmp/out" 2>"$tmp/err" && parses "$f" "$tmp/out"; then
		ok "plan --laws chinchilla,liew2025 --format $f parses"
	else
		bad "plan --laws chinchilla,liew2025 --format $f: $(head -n 1 "$tmp/err")"
	fi
done
each_format list hardware

# the verdict under each reading of the law set, in YAML: its structure
# (the numbers are test_session's, checked against the formulas; at 17
# digits the upcycle path's optimum moves under valgrind, so no golden)
"$MOEPLAN" plan --budget 1e20 --path moe,upcycle --format yaml >"$tmp/out" 2>&1
if grep -qx 'best: moe' "$tmp/out" && grep -qx 'variant: ln' "$tmp/out" &&
   grep -qx '  - name: log10' "$tmp/out" && grep -qx '    best: upcycle' "$tmp/out" &&
   grep -qx 'verdict_holds: false' "$tmp/out"; then
	ok "plan --format yaml: the log10 reading flips the verdict to upcycle"
else
	bad "plan --format yaml: variants: $(grep -n 'variant' "$tmp/out" | head -n 3)"
fi

# list arch names what share/arch holds, each as --arch takes it: NAME.yaml,
# and a Hugging Face NAME.json where no NAME.yaml is beside it
want=$(cd "${top_srcdir:?}/share/arch" && for f in *.yaml *.json; do
	n=${f%.*}
	case $f in *.json) [ -f "$n.yaml" ] && continue ;; esac
	echo "$n"
done | LC_ALL=C sort)
got=$("$MOEPLAN" list arch | awk '{ print $1 }')
if [ -n "$got" ] && [ "$got" = "$want" ]; then
	ok "list arch: the files of share/arch"
else
	bad "list arch: got '$got', want '$want'"
fi

# flops as YAML (the writer existed; the command refused it)
"$MOEPLAN" flops --arch llama-2-7b --format yaml >"$tmp/out" 2>&1
if grep -qx 'arch:' "$tmp/out" && grep -qx '  layers: 32' "$tmp/out"; then
	ok "flops --format yaml: llama-2-7b's 32 layers"
else
	bad "flops --format yaml: $(head -n 3 "$tmp/out")"
fi

# refused(CMD FORMAT ARGS...): exit 2, names --format, lists the formats
refused() {
	cmd=$1 f=$2
	shift 2
	want=$("$MOEPLAN" "$cmd" --format help | tr '\n' ',' | sed 's/,$//; s/,/, /g')
	"$MOEPLAN" "$cmd" "$@" --format "$f" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -eq 2 ] && [ ! -s "$tmp/out" ] &&
	   grep -q -- "--format: .*'$f' (expected $want)" "$tmp/err"; then
		ok "$cmd --format $f: exit 2, expected $want"
	else
		bad "$cmd --format $f: exit $st, $(head -n 1 "$tmp/err")"
	fi
}
refused flops svg --arch mixtral-8x7b
refused cost svg --hardware h100-sxm --gemm 64,64,64
refused eval svg liew2025:upcycled N1=1e9 D1=1e11 D2=1e11
refused laws svg list
refused list svg arch
refused plan xml --budget 1e21
"$MOEPLAN" plan --budget 1e21 --laws chinchilla,liew2025 --format svg \
	>"$tmp/out" 2>"$tmp/err"
st=$?
if [ "$st" -eq 2 ] && grep -q -- "--format: .*'svg' (expected table, csv, json, yaml)" "$tmp/err"; then
	ok "plan --laws A,B --format svg: exit 2 (a comparison has no chart)"
else
	bad "plan --laws A,B --format svg: exit $st, $(head -n 1 "$tmp/err")"
fi
refused frontier tsv --from 1e18 --to 1e22
refused flops xml --arch mixtral-8x7b
"$MOEPLAN" laws show kaplan2020 --format json >/dev/null 2>"$tmp/err"
st=$?
if [ "$st" -eq 2 ]; then
	ok "laws show --format json: exit 2 (show prints text)"
else
	bad "laws show --format json: exit $st"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
