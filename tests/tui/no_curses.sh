#!/bin/sh
# no_curses.sh — curses stays in src/tui: no file elsewhere under src (the
# core, io, the front end) includes a curses header, and under src/tui
# only term.c does (the view model, src/tui/view.[ch], included).  The
# layers' other includes are tests/layers.sh's.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
pattern='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses(w)?/)?(n?curses|term|panel|menu|form)\.h[>"]'
fail=0

hits=$(cd "$top_srcdir" && grep -rlE "$pattern" src --include='*.c' --include='*.h' |
	grep -v '^src/tui/' || true)
if [ -n "$hits" ]; then
	echo "FAIL: curses included outside src/tui: $hits"
	fail=1
else
	echo "ok: no curses header outside src/tui"
fi
for f in src/tui/view.c src/tui/view.h; do
	if [ ! -f "$top_srcdir/$f" ]; then
		echo "FAIL: $f is missing"
		fail=1
	elif grep -qE "$pattern" "$top_srcdir/$f"; then
		echo "FAIL: $f includes curses"
		fail=1
	else
		echo "ok: $f does not include curses"
	fi
done
hits=$(cd "$top_srcdir" && grep -lE "$pattern" src/tui/*.c src/tui/*.h |
	grep -v '^src/tui/term\.c$' || true)
if [ -n "$hits" ]; then
	echo "FAIL: under src/tui only term.c may include curses: $hits"
	fail=1
else
	echo "ok: under src/tui only term.c includes curses"
fi
# the pattern itself: it must find the one include there is
if grep -qE "$pattern" "$top_srcdir/src/tui/term.c"; then
	echo "ok: the pattern finds term.c's include"
else
	echo "FAIL: the pattern misses term.c's curses include"
	fail=1
fi
exit $fail
