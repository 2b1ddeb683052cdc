#!/bin/sh
# run.sh — golden-case driver for the moeplan command line.
#
# Each case NAME in tests/cli/cases/ is four files:
#   NAME.cmd     one line: the arguments to moeplan, shell-quoted
#   NAME.out     expected stdout, byte for byte
#   NAME.err     expected stderr, byte for byte
#   NAME.status  expected exit status
# The command runs in the source tree's root (so paths in NAME.cmd are
# relative to it) with LC_ALL=C.  A mismatch prints a unified diff.  One line
# per case, then "N passed, N failed"; exit status 1 if any failed.
#
# Usage: run.sh [NAME...]          (default: every case)
# Environment: MOEPLAN   the program (default: ../../src/moeplan from here)
#              top_srcdir the source tree (default: two levels up from here)
#              GENERATE=1 rewrite the expected files from the actual output
#                         (review the diff before committing them)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
cases=$top_srcdir/tests/cli/cases
GENERATE=${GENERATE:-0}
LC_ALL=C
export LC_ALL

case $MOEPLAN in
/*) ;;
*) MOEPLAN=$(pwd)/$MOEPLAN ;;
esac
if [ ! -x "$MOEPLAN" ]; then
	echo "run.sh: $MOEPLAN is not an executable (set MOEPLAN)" >&2
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

if [ $# -gt 0 ]; then
	names=$*
else
	names=$(cd "$cases" && ls *.cmd 2>/dev/null | sed 's/\.cmd$//')
fi

pass=0
fail=0
for name in $names; do
	base=$cases/$name
	if [ ! -f "$base.cmd" ]; then
		echo "FAIL $name: no $name.cmd"
		fail=$((fail + 1))
		continue
	fi
	args=$(cat "$base.cmd")
	( cd "$top_srcdir" && eval "set -- $args" && \
	  exec "$MOEPLAN" "$@" ) >"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/status"

	if [ "$GENERATE" = 1 ]; then
		cp "$tmp/out" "$base.out"
		cp "$tmp/err" "$base.err"
		cp "$tmp/status" "$base.status"
		echo "generated $name"
		pass=$((pass + 1))
		continue
	fi

	ok=1
	for part in status out err; do
		if [ ! -f "$base.$part" ]; then
			echo "  $name: missing $name.$part (run with GENERATE=1)"
			ok=0
		elif ! cmp -s "$base.$part" "$tmp/$part"; then
			echo "  $name: $part differs:"
			diff -u "$base.$part" "$tmp/$part" | \
				sed -e "1s|.*|--- expected $name.$part|" \
				    -e "2s|.*|+++ actual|"
			ok=0
		fi
	done
	if [ $ok = 1 ]; then
		echo "ok $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name: moeplan $args"
		fail=$((fail + 1))
	fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
