#!/bin/sh
# options.sh — the options each subcommand's --help lists are the options
# moeplan(1) documents for it, no more and no fewer.
#
# From --help: the first column of the lines that start with blanks and a
# dash ("  --from X, --to Y   ..." gives --from and --to), as the bash
# completion reads them.  From the man page: every 'Fl' of an '.It' line in
# the list that follows a comment '.\" options: CMD...' (shared lists name
# several commands).  Every command of `moeplan --help` must be documented;
# a documented command this build lacks (tui under --disable-tui) is noted.
#
# Formats: for every command with --format, the formats its '.It Fl -format'
# item names ('.Cm' words) are the ones `moeplan CMD --format help` prints
# (the program's sink table), in the same order.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
page=$top_srcdir/man/moeplan.1
LC_ALL=C
export LC_ALL

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-options.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

help_options() {
	awk '/^ +-/ {
		sub(/^ +/, "")
		i = index($0, "  ")
		spec = i ? substr($0, 1, i - 1) : $0
		n = split(spec, w, /[ ,]+/)
		for (j = 1; j <= n; j++)
			if (w[j] ~ /^-/)
				print w[j]
	}' | sort -u
}

# "CMD OPTION" for every option the man page documents.
awk '
	/^\.\\" options:/ { owners = $0; sub(/^[^:]*: */, "", owners); depth = 0; next }
	/^\.S[hs]/ { owners = "" }
	owners == "" { next }
	/^\.Bl/ { depth++; next }
	/^\.El/ { if (--depth == 0) owners = ""; next }
	depth == 1 && /^\.It / {
		n = split(owners, cmd, " ")
		for (i = 2; i < NF; i++)
			if ($i == "Fl") {
				w = $(i + 1)
				gsub(/\\&/, "", w)
				for (c = 1; c <= n; c++)
					print cmd[c], "-" w
			}
	}' "$page" | sort -u >"$tmp/man"

# "CMD FORMAT" for every format the man page's --format items name.
awk '
	/^\.\\" options:/ { owners = $0; sub(/^[^:]*: */, "", owners); depth = 0; next }
	/^\.S[hs]/ { owners = "" }
	owners == "" { next }
	/^\.Bl/ { depth++; next }
	/^\.El/ { if (--depth == 0) owners = ""; infmt = 0; next }
	depth == 1 && /^\.It / { infmt = ($2 == "Fl" && $3 == "-format"); next }
	infmt && /^\.Cm / {
		n = split(owners, cmd, " ")
		for (c = 1; c <= n; c++)
			print cmd[c], $2
	}' "$page" >"$tmp/manfmt"

"$MOEPLAN" --help | awk '/^Commands:/ { on = 1; next }
	on && /^  [a-z]/ { print $1 }' >"$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
	echo "FAIL: no commands in 'moeplan --help'"
	exit 1
fi

fail=0
for cmd in $(cat "$tmp/commands"); do
	if ! "$MOEPLAN" "$cmd" --help >"$tmp/text" 2>/dev/null; then
		echo "note: $cmd --help fails in this build (configured without it?)"
		continue
	fi
	help_options <"$tmp/text" >"$tmp/help"
	cp "$tmp/help" "$tmp/help.$cmd"
	awk -v c="$cmd" '$1 == c { print $2 }' "$tmp/man" | sort -u >"$tmp/doc"
	if [ ! -s "$tmp/doc" ]; then
		echo "FAIL: $cmd: moeplan.1 documents no option of it"
		fail=1
	elif cmp -s "$tmp/help" "$tmp/doc"; then
		echo "ok: $cmd: $(wc -l <"$tmp/help" | tr -d ' ') options, the same in --help and moeplan.1"
	else
		echo "FAIL: $cmd: options differ (< only in --help, > only in moeplan.1)"
		diff "$tmp/help" "$tmp/doc" | grep '^[<>]'
		fail=1
	fi
done
for cmd in $(cat "$tmp/commands"); do
	grep -qx -- --format "$tmp/help.$cmd" 2>/dev/null || continue
	"$MOEPLAN" "$cmd" --format help >"$tmp/fmt" 2>/dev/null
	awk -v c="$cmd" '$1 == c { print $2 }' "$tmp/manfmt" >"$tmp/docfmt"
	if [ ! -s "$tmp/fmt" ]; then
		echo "FAIL: $cmd: '--format help' lists no format"
		fail=1
	elif cmp -s "$tmp/fmt" "$tmp/docfmt"; then
		echo "ok: $cmd: formats $(echo $(cat "$tmp/fmt")), the same in the program and moeplan.1"
	else
		echo "FAIL: $cmd: formats differ (< the program's, > moeplan.1's)"
		diff "$tmp/fmt" "$tmp/docfmt" | grep '^[<>]'
		fail=1
	fi
done
for cmd in $(awk '{ print $1 }' "$tmp/man" | sort -u); do
	grep -qx "$cmd" "$tmp/commands" ||
		echo "note: $cmd is documented but not in this build"
done
exit $fail
