#!/bin/sh
# completion.sh — the bash completion (share/completion/moeplan.bash) on
# command lines typed against the built moeplan: subcommands, each
# command's options, formats, paths, units, model and law names, hardware
# profiles, architectures, and eval's variables.  Exit 77 without bash.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
MOEPLAN=${MOEPLAN:-$top_srcdir/src/moeplan}
MOEPLAN_DATADIR=${MOEPLAN_DATADIR:-$top_srcdir}
export MOEPLAN MOEPLAN_DATADIR

if ! command -v bash >/dev/null 2>&1; then
	echo "SKIP: bash is not installed"
	exit 77
fi
case $MOEPLAN in
/*) ;;
*) MOEPLAN=$(pwd)/$MOEPLAN ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-completion.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/bin"
ln -s "$MOEPLAN" "$tmp/bin/moeplan"
export PATH="$tmp/bin:$PATH" HOME="$tmp" XDG_DATA_HOME="$tmp/data"

# the script as installed (built with pkgdatadir filled in), else the source
script=$(dirname "$MOEPLAN")/../share/completion/moeplan
[ -f "$script" ] || script=$top_srcdir/share/completion/moeplan.bash
export script

exec bash -c '
set -u
. "$script" || exit 1
pass=0 fail=0

# The completions of the line "$1" (cursor at its end), one per line.
complete_line() {
	COMP_LINE=$1
	COMP_POINT=${#1}
	COMPREPLY=()
	_moeplan
	printf "%s\n" "${COMPREPLY[@]}" | sort -u
}

# expect LINE WORD...: every WORD is offered.
expect() {
	local line=$1 w got
	shift
	got=$(complete_line "$line")
	for w in "$@"; do
		if ! grep -qxF -- "$w" <<<"$got"; then
			echo "FAIL: \"$line\" does not offer $w (offers: $(echo $got))"
			fail=$((fail + 1))
			return
		fi
	done
	echo "ok: \"$line\" offers $*"
	pass=$((pass + 1))
}

# only LINE WORD...: exactly these words are offered.
only() {
	local line=$1 got want
	shift
	got=$(complete_line "$line" | tr "\n" " ")
	want=$(printf "%s\n" "$@" | sort -u | tr "\n" " ")
	if [ "$got" = "$want" ]; then
		echo "ok: \"$line\" offers exactly: $want"
		pass=$((pass + 1))
	else
		echo "FAIL: \"$line\" offers \"$got\", want \"$want\""
		fail=$((fail + 1))
	fi
}

expect "moeplan " plan frontier eval laws list flops calibrate cost
only "moeplan fr" frontier
only "moeplan --v" --version
only "moeplan plan --bu" --budget
expect "moeplan plan --" --budget --unit --hardware --devices --price --laws --path --checkpoint --fix --format --help
expect "moeplan frontier --" --from --to --steps --format
only "moeplan plan --format " table csv json yaml svg
only "moeplan flops --format " table csv json yaml
only "moeplan cost --format " table csv json yaml
only "moeplan eval --format " table csv json yaml
only "moeplan laws --format " table csv json yaml
only "moeplan frontier --format " table csv json yaml svg
only "moeplan plan --path " dense moe upcycle all
only "moeplan frontier --unit " flops hours usd
only "moeplan plan --budget " 
only "moeplan plan --laws liew" liew2025
only "moeplan plan --laws liew2025:" dense moe upcycled
expect "moeplan plan --hardware h" h100-sxm h200
only "moeplan flops --arch mix" mixtral-8x7b mixtral-8x7b-v0.1
only "moeplan flops --mlp g" geglu gelu
only "moeplan plan --layout tp=8,re" tp=8,recompute=
only "moeplan tui --layout recompute=s" recompute=selective
only "moeplan flops --unt" --untied
expect "moeplan cost --" --hardware --gemm --moe-layer --arch --tokens --skew
only "moeplan cost --arch mix" mixtral-8x7b mixtral-8x7b-v0.1
only "moeplan laws " list show check
only "moeplan list " models hardware arch
only "moeplan list --format " table csv json yaml
only "moeplan laws show chin" chinchilla
only "moeplan eval kap" kaplan2020
only "moeplan eval liew2025:upcycled D" D1= D2=
only "moeplan calibrate --q" --quick
only "moeplan calibrate --l" --list-backends
only "moeplan calibrate --backend " cblas cuda
only "moeplan calibrate --backend cu" cuda
only "moeplan calibrate --dt" --dtype
only "moeplan calibrate --backend cb" cblas
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
'
