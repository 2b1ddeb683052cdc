#!/bin/sh
# lists.sh — Makefile.am's file lists match the tree, so that a new file
# that is in no list fails make check instead of going silently
# undistributed or uninstalled:
#
#   - each installed data list names exactly its directory's files:
#     dist_models_DATA models/*.yaml, dist_hardware_DATA
#     share/hardware/*.yaml, dist_arch_DATA share/arch/*.yaml,
#     dist_man_MANS man/*.[1-9] (install needs explicit lists; automake
#     has no portable wildcard);
#   - every file under models/, share/ and man/, and every .c and .h under
#     src/, is named in Makefile.am, by its path or by a directory above
#     it (EXTRA_DIST share/examples distributes that directory whole);
#   - no source or data file is named twice.
#
# It reads Makefile.am in top_srcdir (distributed with the package), its
# comments left out.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top_srcdir" || exit 1
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-lists.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# Makefile.am's logical lines: comments dropped, continuations joined
awk '/^[[:space:]]*#/ { next }
	{ sub(/[[:space:]]+#.*/, ""); line = line $0 }
	/\\$/ { sub(/\\$/, "", line); next }
	{ print line; line = "" }' Makefile.am >"$tmp/lines"
# every word of it, one a line
tr -s ' \t' '\n\n' <"$tmp/lines" | grep -v '^$' >"$tmp/words"

# listed VAR: the words assigned to VAR (= and +=), sorted
listed() {
	awk -v v="$1" '$1 == v && ($2 == "=" || $2 == "+=") {
		for (i = 3; i <= NF; i++) print $i }' "$tmp/lines" | sort
}

# each installed list against its directory
check_list() {
	var=$1 desc=$2
	shift 2
	listed "$var" >"$tmp/listed"
	ls "$@" 2>/dev/null | sort >"$tmp/present"
	if [ ! -s "$tmp/listed" ]; then
		bad "$var: not found in Makefile.am (renamed? update tests/lists.sh)"
		return
	fi
	missing=$(comm -13 "$tmp/listed" "$tmp/present" | tr '\n' ' ')
	extra=$(comm -23 "$tmp/listed" "$tmp/present" | tr '\n' ' ')
	if [ -n "$missing" ]; then
		bad "$var lacks $missing(add them to it in Makefile.am)"
	elif [ -n "$extra" ]; then
		bad "$var names files that are not there: $extra"
	else
		ok "$var names every $desc ($(wc -l <"$tmp/present" | tr -d ' '))"
	fi
}
check_list dist_models_DATA 'models/*.yaml' models/*.yaml
check_list dist_hardware_DATA 'share/hardware/*.yaml' share/hardware/*.yaml
check_list dist_arch_DATA 'share/arch/*.yaml' share/arch/*.yaml
check_list dist_man_MANS 'man page' man/*.[1-9]

# every file of the data directories and every source, named somewhere
{
	find models share man -type f
	find src -type f \( -name '*.c' -o -name '*.h' \)
} | sort >"$tmp/files"
unnamed=$(while read -r f; do
	d=$f
	found=
	while :; do
		if grep -qxF "$d" "$tmp/words"; then found=1; break; fi
		case $d in */*) d=${d%/*} ;; *) break ;; esac
	done
	[ -n "$found" ] || echo "$f"
done <"$tmp/files" | tr '\n' ' ')
if [ -n "$unnamed" ]; then
	bad "named nowhere in Makefile.am: $unnamed(add each to its directory's block)"
else
	ok "every file of models, share, man and every source of src is named ($(wc -l <"$tmp/files" | tr -d ' '))"
fi

# and each source or data file once
twice=$(grep -E '^(src|models|share|man)/.*\.(c|h|yaml|[1-9])$' "$tmp/words" |
	sort | uniq -d | tr '\n' ' ')
if [ -n "$twice" ]; then
	bad "named twice in Makefile.am: $twice"
else
	ok "no source or data file is named twice"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
