#!/bin/sh
# layers.sh — the layers of src include only downwards.  From the bottom:
#
#   core    src/core   includes only src/core
#   io      src/io     src/core, src/io
#   bench   src/bench  src/core, src/io (calibrate.h writes profiles
#                      through io/profile.h, so bench sits above io)
#   tui     src/tui    src/core, src/io (the session, the field table, the
#                      sinks); not src/bench
#   (front) src/*.[ch] anything
#
# bench and tui are side by side: neither includes the other.  Each
# library's outside headers stay in it too: <yaml.h> only in src/io,
# <cblas.h> only in src/bench (curses only in src/tui/term.c:
# tests/tui/no_curses.sh).  Makefile.am's link lines say the same (CORE_LIBS,
# IO_LIBS, BENCH_LIBS, TUI_LIBS): a core test that used io would not link.
#
# An include "NAME" without a directory is the including file's own
# directory's if the file is there, else src/NAME (-I src): the front end.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top_srcdir" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

# allowed LAYER: the layers its files may include
allowed() {
	case $1 in
	core) echo "core" ;;
	io) echo "core io" ;;
	bench) echo "core io bench" ;;
	tui) echo "core io tui" ;;
	esac
}

# includes DIR: "FILE LAYER" for each quoted include of the files in DIR,
# LAYER the layer the included file belongs to (config.h is none)
includes() {
	for f in "src/$1"/*.c "src/$1"/*.h; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" |
		while read -r inc; do
			case $inc in
			config.h) continue ;;
			*/*) layer=${inc%%/*} ;;
			*)
				if [ -f "src/$1/$inc" ]; then layer=$1
				elif [ -f "src/$inc" ]; then layer=front
				else layer=unknown; fi ;;
			esac
			echo "$f $layer $inc"
		done
	done
}

for layer in core io bench tui; do
	n=$(ls "src/$layer"/*.c "src/$layer"/*.h 2>/dev/null | wc -l)
	if [ "$n" -eq 0 ]; then
		bad "src/$layer has no sources"
		continue
	fi
	ok_layers=$(allowed "$layer")
	hits=$(includes "$layer" | while read -r f l inc; do
		case " $ok_layers " in
		*" $l "*) ;;
		*) echo "$f includes \"$inc\" ($l)" ;;
		esac
	done)
	if [ -n "$hits" ]; then
		bad "src/$layer includes beyond $(echo "$ok_layers" | sed 's/ /, /g'): $hits"
	else
		ok "src/$layer ($n files) includes only $(echo "$ok_layers" | sed 's/ /, /g')"
	fi
done

# the outside libraries' headers, each in its own layer
sys_pattern() { echo "^[[:space:]]*#[[:space:]]*include[[:space:]]*<$1>"; }
hits=$(grep -rlE "$(sys_pattern 'yaml\.h')" src --include='*.c' --include='*.h' |
	grep -v '^src/io/' || true)
if [ -n "$hits" ]; then bad "<yaml.h> included outside src/io: $hits"
else ok "<yaml.h> only in src/io"; fi
hits=$(grep -rlE "$(sys_pattern 'cblas\.h')" src --include='*.c' --include='*.h' |
	grep -v '^src/bench/' || true)
if [ -n "$hits" ]; then bad "<cblas.h> included outside src/bench: $hits"
else ok "<cblas.h> only in src/bench"; fi

# the check itself: it sees the includes that are there
if includes bench | grep -q '^src/bench/calibrate\.h io io/profile\.h$' &&
	includes core | grep -q '^src/core/plan\.h core law\.h$'; then
	ok "the check finds bench's io include and core's own"
else
	bad "the check misses includes it should find"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
