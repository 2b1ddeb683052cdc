#!/bin/sh
# arch.sh — the architectures installed: `moeplan list arch` names every
# NAME.yaml and every Hugging Face NAME.json of share/arch (a .json only
# where no NAME.yaml shadows it, as --arch looks for .yaml first), each
# with its file, as the directory holds them; and `flops --arch` on a
# Llama-like config of a family moeplan does not know says on stderr that
# it read it with Llama's keys, and counts it as the same config under its
# own family name (llama-2-7b-hf.json, whose only difference is the name).
set -u
: "${MOEPLAN:?}"
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
export MOEPLAN_DATADIR="${MOEPLAN_DATADIR:-$top_srcdir}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 failed=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }
export HOME="$tmp" XDG_DATA_HOME="$tmp/data"

# 1. list arch against the directory
dir=$MOEPLAN_DATADIR/share/arch
for f in "$dir"/*.yaml "$dir"/*.json; do
	b=${f##*/}
	n=${b%.*}
	case $b in *.json) [ -f "$dir/$n.yaml" ] && continue ;; esac
	echo "$n $f"
done | sort >"$tmp/want"
"$MOEPLAN" list arch 2>"$tmp/err" | awk '{ print $1, $2 }' | sort >"$tmp/got"
if cmp -s "$tmp/want" "$tmp/got"; then
	ok "list arch: the $(wc -l <"$tmp/want" | tr -d ' ') .yaml and .json files of share/arch"
else
	bad "list arch differs from share/arch: $(diff "$tmp/want" "$tmp/got" | head -5)"
fi
grep -q '\.json$' "$tmp/got" && ok "list arch lists Hugging Face configs" ||
	bad "list arch lists no .json"
# every name listed is one --arch takes
bad_name=
while read -r n f; do
	"$MOEPLAN" flops --arch "$n" >/dev/null 2>&1 || bad_name="$bad_name $n"
done <"$tmp/got"
[ -z "$bad_name" ] && ok "every name listed is one flops --arch reads" ||
	bad "flops --arch refuses:$bad_name"

# 2. a Llama-like config of an unknown family: the note, the same counts
like=$top_srcdir/tests/cli/cases/flops-hf-llama-like.json
"$MOEPLAN" flops --arch "$like" --format csv >"$tmp/like" 2>"$tmp/like.err"
"$MOEPLAN" flops --arch "$dir/llama-2-7b-hf.json" --format csv >"$tmp/llama" \
	2>"$tmp/llama.err"
grep -q "note: .*model_type 'yi' is not a family moeplan knows: read with Llama's keys" \
	"$tmp/like.err" && ok "flops --arch on model_type yi prints the reader's note" ||
	bad "no note for model_type yi: $(cat "$tmp/like.err")"
[ ! -s "$tmp/llama.err" ] && ok "a known family (llama) has no note" ||
	bad "a note for llama: $(cat "$tmp/llama.err")"
if [ -s "$tmp/like" ] && cmp -s "$tmp/like" "$tmp/llama"; then
	ok "the Llama-like config counts as Llama-2-7B's config does"
else
	bad "the Llama-like config counts differently from llama-2-7b-hf.json"
fi

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
