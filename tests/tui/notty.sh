#!/bin/sh
# notty.sh — `moeplan tui` away from a terminal: with the TUI built, a
# clear error and exit status 2 when standard output (or input) is not a
# terminal; built with --disable-tui, it says so with exit status 1.  Bare
# `moeplan` off a terminal prints the usage (tests/cli/cases/noargs).
set -u
: "${MOEPLAN:?}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-notty.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

if "$MOEPLAN" tui --help >"$tmp/help" 2>&1; then
	grep -q '^usage: moeplan tui' "$tmp/help" && ok "tui --help prints its usage" ||
		bad "tui --help: $(head -n 1 "$tmp/help")"
	"$MOEPLAN" tui --budget 1e21 </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 2 ] && ok "stdout not a terminal: exit status 2" ||
		bad "stdout not a terminal: exit status $rc, want 2"
	grep -q 'moeplan tui: standard output is not a terminal' "$tmp/err" &&
		ok "the message says stdout is not a terminal" ||
		bad "message: $(cat "$tmp/err")"
	[ -s "$tmp/out" ] && bad "something was written to stdout" ||
		ok "nothing on stdout"
	"$MOEPLAN" tui --budget nonsense </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 2 ] && grep -q -- '--budget' "$tmp/err" &&
		ok "a bad --budget is a usage error before the terminal check" ||
		bad "bad --budget: exit $rc, $(cat "$tmp/err")"
else
	"$MOEPLAN" tui </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = 1 ] && grep -q -- '--disable-tui' "$tmp/err" &&
		ok "built without the TUI: tui says so, exit status 1" ||
		bad "without the TUI: exit $rc, $(cat "$tmp/err")"
fi
exit $fail
