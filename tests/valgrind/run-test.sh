#!/bin/sh
# run-test.sh — automake's LOG_COMPILER under configure --enable-valgrind:
# runs one test program under valgrind memcheck.
#
# A compiled test runs under valgrind itself.  A script test runs as is,
# with $MOEPLAN replaced by tests/valgrind/moeplan.sh, which runs the real
# program under valgrind and logs to a directory of this test; after the
# script, any valgrind report there fails the test (so an error counts
# even where the script only looks at the exit status).  Scripts named
# in $VALGRIND_SKIP (basenames) are skipped (exit 77): too slow under
# valgrind.
#
# Environment (set by make check): VALGRIND, VALGRIND_SUPP, VALGRIND_SKIP,
# MOEPLAN.
set -u
test=${1:?usage: run-test.sh TEST [ARGS...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
VALGRIND=${VALGRIND:-valgrind}
VALGRIND_FLAGS="--quiet --error-exitcode=1 --leak-check=full \
--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
--track-fds=no --num-callers=30"
[ -n "${VALGRIND_SUPP:-}" ] && VALGRIND_FLAGS="$VALGRIND_FLAGS --suppressions=$VALGRIND_SUPP"
export VALGRIND VALGRIND_FLAGS

if [ "$(head -c 2 "$test" 2>/dev/null)" != "#!" ]; then
	# shellcheck disable=SC2086
	exec "$VALGRIND" $VALGRIND_FLAGS "$test" "$@"
fi

name=$(basename "$test")
for s in ${VALGRIND_SKIP:-}; do
	if [ "$s" = "$name" ]; then
		echo "SKIP: $name is not run under valgrind (too slow there)"
		exit 77
	fi
done
logs=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-vg.XXXXXX") || exit 1
trap 'rm -rf "$logs"' EXIT
MOEPLAN_REAL=${MOEPLAN:?}
MOEPLAN=$here/moeplan.sh
MOEPLAN_VALGRIND_LOGS=$logs
export MOEPLAN MOEPLAN_REAL MOEPLAN_VALGRIND_LOGS
"$test" "$@"
rc=$?
bad=0
for log in "$logs"/vg.*; do
	[ -s "$log" ] || continue
	echo "valgrind reported errors ($(basename "$log")):"
	cat "$log"
	bad=1
done
if [ "$bad" -ne 0 ]; then
	echo "0 passed, 1 failed (valgrind)"
	exit 1
fi
exit "$rc"
