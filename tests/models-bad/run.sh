#!/bin/sh
# run.sh — the malformed model files: `moeplan laws check NAME.yaml` must
# exit 1 and print exactly the one line in NAME.err on stderr (with the
# file:line:col of the fault).  Runs from this directory so the file names
# in the messages are short.  Needs $MOEPLAN (set by make check).
: "${MOEPLAN:?set MOEPLAN to the moeplan binary}"
cd "$(dirname "$0")" || exit 1
pass=0
fail=0
for f in *.yaml; do
	name=${f%.yaml}
	if [ ! -f "$name.err" ]; then
		echo "FAIL: $f: no $name.err"
		fail=$((fail + 1))
		continue
	fi
	want=$(cat "$name.err")
	got=$("$MOEPLAN" laws check "$f" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -eq 1 ] && [ "$got" = "$want" ]; then
		echo "ok: $f"
		pass=$((pass + 1))
	else
		echo "FAIL: $f (exit $rc, want 1)"
		echo "  want: $want"
		echo "  got:  $got"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
