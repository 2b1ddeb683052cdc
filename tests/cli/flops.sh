#!/bin/sh
# flops.sh — golden cases of `moeplan flops`: for each tests/cli/flops/NAME.args
# (the arguments, one line, shell-quoted, paths relative to the top source
# directory), run `$MOEPLAN flops ARGS` there and compare stdout, stderr and
# the exit status with NAME.out, NAME.err and NAME.status exactly.
# GENERATE=1 rewrites the golden files instead (review the diff!).
#
# Environment (set by `make check`): MOEPLAN, the binary; top_srcdir.
: "${MOEPLAN:?set MOEPLAN to the moeplan binary}"
top_srcdir=${top_srcdir:-$(dirname "$0")/../..}
cd "$top_srcdir" || exit 99
dir=tests/cli/flops
tmp=$(mktemp -d "${TMPDIR:-/tmp}/flops.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM
LC_ALL=C
export LC_ALL

n=0
failed=0
for args in "$dir"/*.args; do
	name=${args%.args}
	eval "set -- $(cat "$args")"
	"$MOEPLAN" flops "$@" >"$tmp/out" 2>"$tmp/err"
	echo "$?" >"$tmp/status"
	n=$((n + 1))
	if [ -n "$GENERATE" ]; then
		for k in out err status; do cp "$tmp/$k" "$name.$k"; done
		echo "generated: $name"
		continue
	fi
	ok=1
	for k in out err status; do
		if ! cmp -s "$name.$k" "$tmp/$k"; then
			echo "FAIL: $name.$k differs:"
			diff -u "$name.$k" "$tmp/$k" | sed 's/^/    /'
			ok=0
		fi
	done
	if [ "$ok" = 1 ]; then
		echo "ok: $name"
	else
		failed=$((failed + 1))
	fi
done
echo "$((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
