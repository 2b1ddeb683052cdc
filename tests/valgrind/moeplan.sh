#!/bin/sh
# moeplan.sh — stands in for $MOEPLAN in script tests under configure
# --enable-valgrind (see run-test.sh): runs $MOEPLAN_REAL under valgrind
# with its report in $MOEPLAN_VALGRIND_LOGS/vg.PID, so that the script sees
# the program's own stdout and stderr.  The exit status is the program's,
# or 1 when valgrind found an error.
#
# `moeplan calibrate` runs without valgrind: it is a timing benchmark
# (seconds of GEMMs natively, most of an hour under memcheck, and its
# timings would be meaningless there); the cost-model fit it ends with is
# covered under valgrind by tests/unit/test_cost.
case ${1:-} in
calibrate) exec "${MOEPLAN_REAL:?}" "$@" ;;
esac
# shellcheck disable=SC2086
exec "${VALGRIND:-valgrind}" ${VALGRIND_FLAGS:-} \
	--log-file="${MOEPLAN_VALGRIND_LOGS:-/tmp}/vg.%p" \
	"${MOEPLAN_REAL:?}" "$@"
