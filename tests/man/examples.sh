#!/bin/sh
# examples.sh — runs every example command of the man pages against the
# built moeplan.
#
# The commands are the lines "$ ..." of the literal displays in the
# EXAMPLES sections of moeplan.1 and moeplan-models.5, taken mechanically
# from the mdoc source (escapes \e, \(aq, \(dq, \- and \& undone).  They run
# in order, with bash -o pipefail, in one scratch directory that holds the
# files moeplan-models(5) shows after a comment '.\" file: NAME', with HOME
# and XDG_DATA_HOME inside it and MOEPLAN_DATADIR as make check sets it.
# A command passes when it exits 0.  A program a pipeline needs that is
# not installed (jq, gnuplot) is replaced by a stub that reads its input
# and succeeds, so that the moeplan part still runs and still counts.
# SVG files the examples write must be well-formed (xmllint, if present).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
LC_ALL=C
export LC_ALL MOEPLAN_DATADIR

if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP: bash is not installed"
	exit 77
fi
case $MOEPLAN in
/*) ;;
*) MOEPLAN=$(pwd)/$MOEPLAN ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-examples.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/bin" "$tmp/home" "$tmp/work"
# the runs that moeplan(1)'s fit example fits (share/data/README)
cp "$top_srcdir/share/data/chinchilla-figure4-epoch.csv" "$tmp/work/"
ln -s "$MOEPLAN" "$tmp/bin/moeplan"
PATH=$tmp/bin:$PATH
HOME=$tmp/home
XDG_DATA_HOME=$tmp/home/.local/share
export PATH HOME XDG_DATA_HOME

# mdoc escapes that may appear in a literal display
unescape='s/\\e/\\/g; s/\\(aq/'"'"'/g; s/\\(dq/"/g; s/\\-/-/g; s/\\&//g'

# The "$ " lines of EXAMPLES in page $1.
commands() {
	awk '/^\.Sh / { ex = ($2 == "EXAMPLES") }
	     ex && /^\.Bd -literal/ { lit = 1; next }
	     ex && /^\.Ed/ { lit = 0 }
	     ex && lit && /^\$ / { print substr($0, 3) }' "$1" | sed "$unescape"
}

# Write the files marked '.\" file: NAME' in page $1 into the work directory.
files() {
	for name in $(sed -n 's/^\.\\" file: //p' "$1"); do
		MARK=".\\\" file: $name" awk '$0 == ENVIRON["MARK"] { on = 1; next }
			on && /^\.Bd/ { lit = 1; next }
			on && lit && /^\.Ed/ { exit }
			on && lit { print }' "$1" | sed "$unescape" >"$tmp/work/$name"
		echo "file: $name ($(wc -l <"$tmp/work/$name" | tr -d ' ') lines)"
	done
}

# Stubs for the programs of a command line that are not installed.
stubs() {
	echo "$1" | tr '|' '\n' | sed 's/&&/\n/g' | while read -r first _; do
		case $first in
		'' | *=* | moeplan | mkdir | cp) continue ;;
		*[!A-Za-z0-9_.-]*) continue ;;   # not a command name: a quoted part
		esac
		if ! command -v "$first" >/dev/null 2>&1; then
			printf '#!/bin/sh\ncat >/dev/null\n' >"$tmp/bin/$first"
			chmod +x "$tmp/bin/$first"
			echo "  (no $first here: a stub stands in for it)"
		fi
	done
}

pass=0
fail=0
for page in man/moeplan.1 man/moeplan-models.5; do
	src=$top_srcdir/$page
	files "$src"
	n=$(commands "$src" | wc -l)
	if [ "$n" -lt 5 ]; then
		echo "FAIL: $page: only $n example commands found"
		fail=$((fail + 1))
	fi
	commands "$src" >"$tmp/commands"
	while IFS= read -r cmd; do
		stubs "$cmd"
		if (cd "$tmp/work" && bash -o pipefail -c "$cmd") \
		    >"$tmp/out" 2>"$tmp/err" </dev/null; then
			echo "ok: $cmd"
			pass=$((pass + 1))
		else
			echo "FAIL (status $?): $cmd"
			sed 's/^/  stderr: /' "$tmp/err" | head -5
			fail=$((fail + 1))
		fi
	done <"$tmp/commands"
done

for svg in "$tmp"/work/*.svg; do
	[ -f "$svg" ] || continue
	if ! command -v xmllint >/dev/null 2>&1; then
		echo "note: no xmllint, $(basename "$svg") not checked"
	elif xmllint --noout "$svg" 2>"$tmp/err"; then
		echo "ok: $(basename "$svg") is well-formed XML"
		pass=$((pass + 1))
	else
		echo "FAIL: $(basename "$svg") is not well-formed XML"
		head -5 "$tmp/err"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
