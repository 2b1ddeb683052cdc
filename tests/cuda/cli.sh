#!/bin/sh
# cli.sh — `moeplan calibrate` and the CUDA back end on the command line,
# in every build (with CUDA or without) and on every machine (with a GPU
# or without):
#
#   - --list-backends lists cblas and cuda, and under cuda whether it runs
#     here ("usable here: ..." or "not usable here: REASON");
#   - where it does not, --backend cuda fails with exit status 1, the
#     message "moeplan: back end 'cuda': REASON" (the same REASON), and
#     writes no profile; on this build's kind of machine REASON is one of
#     "no CUDA driver found (libcuda.so.1: ...)", "the CUDA driver found no
#     usable GPU (cuInit: ...)" or "this moeplan was built without CUDA";
#   - everywhere: a dtype the back end does not run (fp32) is an error
#     (1) naming it, an unknown dtype or device number a usage error (2)
#     naming --dtype or --device, a second cblas device an error (1).
set -u
MOEPLAN=${MOEPLAN:-./src/moeplan}
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-cuda-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM

# run ARGS...: status in $got, stdout and stderr in $tmp/out, $tmp/err
run() {
	"$MOEPLAN" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
}

run calibrate --list-backends
if [ "$got" -eq 0 ] && grep -q '^cblas ' "$tmp/out" &&
	grep -q '^cuda  *an NVIDIA GPU' "$tmp/out"; then
	ok "--list-backends lists cblas and cuda"
else
	bad "--list-backends: exit $got: $(cat "$tmp/out" "$tmp/err")"
fi
status=$(sed -n '/^cuda /{n;p;}' "$tmp/out" | sed 's/^ *//')
case $status in
"usable here: "*) usable=1; ok "cuda: $status" ;;
"not usable here: "*) usable=0; ok "cuda: $status" ;;
*) usable=0; bad "no line under cuda says whether it runs here: '$status'" ;;
esac

if [ "$usable" -eq 0 ]; then
	reason=${status#not usable here: }
	run calibrate --backend cuda --quick --output "$tmp/p.yaml"
	if [ "$got" -eq 1 ] && [ ! -s "$tmp/out" ] && [ ! -e "$tmp/p.yaml" ] &&
		[ "$(cat "$tmp/err")" = "moeplan: back end 'cuda': $reason" ]; then
		ok "--backend cuda without a GPU: exit 1, the reason, no profile"
	else
		bad "--backend cuda: exit $got: $(cat "$tmp/err")"
	fi
	case $reason in
	"no CUDA driver found (libcuda.so.1: "*")" | \
	"the CUDA driver found no usable GPU (cuInit: "*")" | \
	"this moeplan was built without CUDA "*)
		ok "the reason names what is missing" ;;
	*) bad "an unexpected reason: $reason" ;;
	esac
else
	run calibrate --backend cuda --device 1023 --output "$tmp/p.yaml"
	if [ "$got" -eq 1 ] && grep -q -- "--device 1023: this machine has" \
		"$tmp/err"; then
		ok "--device 1023: not on this machine (exit 1)"
	else
		bad "--device 1023: exit $got: $(cat "$tmp/err")"
	fi
fi

# expect STATUS TEXT ARGS...: exit STATUS and TEXT in stderr
expect() {
	want=$1 text=$2
	shift 2
	run "$@"
	if [ "$got" -eq "$want" ] && grep -q -F -- "$text" "$tmp/err"; then
		ok "$*: exit $want, '$text'"
	else
		bad "$*: exit $got (want $want): $(cat "$tmp/err")"
	fi
}
expect 1 "moeplan: back end 'cuda' does not run fp32" \
	calibrate --backend cuda --dtype fp32 --output "$tmp/p.yaml"
expect 2 "--dtype: unknown dtype 'fp9'" \
	calibrate --backend cuda --dtype fp9
expect 2 "--dtype needs a value" calibrate --dtype
expect 2 "--device: expected an integer from 0 to 1023, got '-1'" \
	calibrate --backend cuda --device -1
expect 2 "--device: expected an integer from 0 to 1023, got 'x'" \
	calibrate --device x
expect 1 "back end 'cblas' has one device, 0 (this machine), not 1" \
	calibrate --backend cblas --device 1 --output "$tmp/p.yaml"
expect 1 "back end 'cblas' does not run bf16" \
	calibrate --dtype bf16 --output "$tmp/p.yaml"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
