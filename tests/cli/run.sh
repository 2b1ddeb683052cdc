#!/bin/sh
# run.sh — the golden-case driver for the moeplan command line: every
# golden test of what the program prints runs through it, in one format
# (in the manner of jq's tests/jq.test runner).
#
# Usage: tests/cli/run.sh [CASEDIR [NAME...]]
#   CASEDIR  a case directory (default: $top_srcdir/tests/cli/cases)
#   NAME...  only these cases (default: every NAME.cmd in CASEDIR)
#
# A case NAME is four files in CASEDIR:
#   NAME.cmd     one line: moeplan's arguments, shell-quoted, subcommand
#                first (e.g.  plan --budget 1e22 --format csv); the line
#                is eval'd by sh as the argument list
#   NAME.out     the expected stdout, byte for byte
#   NAME.err     the expected stderr, byte for byte
#   NAME.status  the expected exit status, one line (0, 1 or 2)
# Any other file in CASEDIR (a NAME.yaml input, WORKDIR) is data.
#
# Where a case runs: in the top source directory, so that paths in
# NAME.cmd are relative to it -- unless CASEDIR holds a file WORKDIR,
# whose one line names the directory relative to CASEDIR ("." for CASEDIR
# itself: tests/models-bad does that, so that its messages name its files
# as short as "alias.yaml:15:10: ...").  Every case runs with stdin from
# /dev/null, LC_ALL=C, HOME and XDG_DATA_HOME in an empty temporary
# directory (no calibrated profile of the user's changes a result), and
# MOEPLAN_DATADIR=$top_srcdir unless it is set.  Nothing is written into
# CASEDIR or the source tree, except with GENERATE=1.
#
# Output: one line per case, "ok NAME", or "FAIL NAME: moeplan ARGS"
# after a unified diff (expected, then actual) of each part that differs;
# then exactly "N passed, N failed".  Exit status 1 if any case failed
# (or none was found), 0 otherwise.
#
# Environment (make check sets the first two):
#   MOEPLAN     the program (default: $top_srcdir/src/moeplan)
#   top_srcdir  the source tree (default: two levels up from here)
#   GENERATE=1  write NAME.out, NAME.err and NAME.status from what the
#               program does now, instead of comparing (review the diff
#               before committing them: a golden records, it does not judge)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
top_srcdir=$(cd "$top_srcdir" && pwd) || exit 1
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
GENERATE=${GENERATE:-0}
LC_ALL=C
export LC_ALL MOEPLAN_DATADIR

case $MOEPLAN in
/*) ;;
*) MOEPLAN=$(pwd)/$MOEPLAN ;;
esac
if [ ! -x "$MOEPLAN" ]; then
	echo "run.sh: $MOEPLAN is not an executable (set MOEPLAN)" >&2
	exit 1
fi

if [ $# -gt 0 ]; then
	cases=$1
	shift
else
	cases=$top_srcdir/tests/cli/cases
fi
if ! cases=$(cd "$cases" 2>/dev/null && pwd); then
	echo "run.sh: no case directory '$cases'" >&2
	exit 1
fi
workdir=$top_srcdir
if [ -f "$cases/WORKDIR" ]; then
	if ! workdir=$(cd "$cases" && cd "$(cat WORKDIR)" && pwd); then
		echo "run.sh: $cases/WORKDIR: no such directory" >&2
		exit 1
	fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM
mkdir "$tmp/home"
HOME=$tmp/home
XDG_DATA_HOME=$tmp/home/.local/share
export HOME XDG_DATA_HOME

if [ $# -gt 0 ]; then
	names=$*
else
	names=$(cd "$cases" && ls | sed -n 's/\.cmd$//p')
fi

pass=0
fail=0
if [ -z "$names" ]; then
	echo "FAIL: no cases (NAME.cmd) in $cases"
	fail=1
fi
for name in $names; do
	base=$cases/$name
	if [ ! -f "$base.cmd" ]; then
		echo "FAIL $name: no $name.cmd"
		fail=$((fail + 1))
		continue
	fi
	if [ "$(wc -l <"$base.cmd")" -gt 1 ]; then
		echo "FAIL $name: $name.cmd is more than one line"
		fail=$((fail + 1))
		continue
	fi
	args=$(cat "$base.cmd")
	( cd "$workdir" && eval "set -- $args" && exec "$MOEPLAN" "$@" ) \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	echo $? >"$tmp/status"

	if [ "$GENERATE" = 1 ]; then
		for part in out err status; do
			cp "$tmp/$part" "$base.$part" || exit 1
		done
		echo "generated $name"
		pass=$((pass + 1))
		continue
	fi

	ok=1
	for part in status out err; do
		if [ ! -f "$base.$part" ]; then
			echo "  $name: no $name.$part (GENERATE=1 writes it)"
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
