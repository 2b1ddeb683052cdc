#!/bin/sh
# moeplan.sh — stands in for $MOEPLAN in script tests under configure
# --enable-valgrind (see run-test.sh): runs $MOEPLAN_REAL under valgrind
# with its report in $MOEPLAN_VALGRIND_LOGS/vg.PID, so that the script sees
# the program's own stdout and stderr.  The exit status is the program's,
# or 1 when valgrind found an error.
# shellcheck disable=SC2086
exec "${VALGRIND:-valgrind}" ${VALGRIND_FLAGS:-} \
	--log-file="${MOEPLAN_VALGRIND_LOGS:-/tmp}/vg.%p" \
	"${MOEPLAN_REAL:?}" "$@"
