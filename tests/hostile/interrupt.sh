#!/bin/sh
# interrupt.sh — `moeplan calibrate` interrupted by SIGINT or SIGTERM at
# random points, 20 trials: each leaves the previous profile byte for byte
# as it was (or, when the calibration finished before the signal, or the
# signal came while the write held signals and was delivered after the
# rename, a whole new profile that loads) and no temporary file; then two
# calibrations at once into one file leave a whole profile that loads.
#
# The trials run `calibrate --quick --threads 1` (about 6 s here) and send
# the signal after a random delay: 16 trials within its first 2 s (the
# benchmark), 4 between 2 and 9 s (the fit, the write, or after the end).
# The seed is printed; INTERRUPT_SEED=N repeats a run.  The write itself,
# killed at random moments 200 times, is tests/hostile/test_interrupt.
# Skips (77) under valgrind: a calibration there takes minutes.
set -u
: "${MOEPLAN:?set MOEPLAN to the moeplan binary}"
if [ -n "${MOEPLAN_REAL:-}" ]; then
	echo "SKIP: under valgrind (test_interrupt covers the write)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-interrupt.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok: $1"; }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }

seed=${INTERRUPT_SEED:-$(( $(date +%s) % 100000 + $$ ))}
echo "seed $seed (INTERRUPT_SEED=$seed repeats this run)"
# the previous profile: a datasheet one, as a user's file would be
prev=$tmp/previous.yaml
cp "${top_srcdir:?}/share/hardware/generic-cpu.yaml" "$prev" || exit 1

# loads FILE: moeplan cost reads the profile and predicts a GEMM
loads() {
	"$MOEPLAN" cost --hardware "$1" --gemm 256,256,256 --format json \
		>"$tmp/cost" 2>"$tmp/cost.err" && grep -q '"seconds"' "$tmp/cost"
}
# strays: files in the directory other than the profile and the copy
strays() {
	ls -A "$tmp/d" | grep -v '^p\.yaml$' || true
}

mkdir "$tmp/d"
i=1
while [ "$i" -le 20 ]; do
	delay=$(awk -v s="$seed" -v i="$i" 'BEGIN { srand(s);
		for (j = 1; j <= i; j++) r = rand();
		printf "%.2f", i <= 16 ? 0.05 + 1.95 * r : 2 + 7 * r }')
	sig=INT signo=2
	[ $((i % 2)) -eq 0 ] && sig=TERM signo=15
	cp "$prev" "$tmp/d/p.yaml"
	# in the foreground: a background job of sh would ignore SIGINT
	timeout --preserve-status -s "$sig" "$delay" \
		"$MOEPLAN" calibrate --quick --threads 1 --output "$tmp/d/p.yaml" \
		>/dev/null 2>"$tmp/err"
	rc=$?
	left=$(strays)
	if [ "$rc" -eq 0 ]; then
		# finished before the signal: a whole new profile
		if grep -q '^calibrated: true' "$tmp/d/p.yaml" && loads "$tmp/d/p.yaml"; then
			what="finished first; a whole new profile that loads"
		else
			what="finished first, but the new profile does not load: $(cat "$tmp/cost.err")"
			left="${left}!"
		fi
	elif [ "$rc" -eq $((128 + signo)) ]; then
		if cmp -s "$prev" "$tmp/d/p.yaml"; then
			what="died of SIG$sig; the previous profile byte for byte"
		elif grep -q '^calibrated: true' "$tmp/d/p.yaml" &&
		     loads "$tmp/d/p.yaml"; then
			# the signal came while the write was held (from the
			# temporary file to the rename) and was delivered after it
			what="died of SIG$sig after the rename; a whole new profile that loads"
		else
			what="died of SIG$sig and the previous profile CHANGED"
			left="${left}!"
		fi
	else
		what="exit status $rc: $(cat "$tmp/err")"
		left="${left}!"
	fi
	if [ -z "$left" ]; then
		ok "trial $i: SIG$sig after $delay s: $what"
	else
		bad "trial $i: SIG$sig after $delay s: $what; left: $left"
		rm -f "$tmp/d"/p.yaml.tmp*
	fi
	i=$((i + 1))
done

# two calibrations at once, into one file
rm -f "$tmp/d/p.yaml"
"$MOEPLAN" calibrate --quick --threads 1 --output "$tmp/d/p.yaml" \
	>/dev/null 2>"$tmp/err1" &
p1=$!
"$MOEPLAN" calibrate --quick --threads 1 --output "$tmp/d/p.yaml" \
	>/dev/null 2>"$tmp/err2" &
p2=$!
wait "$p1"; r1=$?
wait "$p2"; r2=$?
[ "$r1" -eq 0 ] && [ "$r2" -eq 0 ] && ok "two calibrations at once both succeed" ||
	bad "two calibrations at once: exit $r1 ($(cat "$tmp/err1")), $r2 ($(cat "$tmp/err2"))"
if grep -q '^calibrated: true' "$tmp/d/p.yaml" && loads "$tmp/d/p.yaml"; then
	ok "and leave one whole profile that loads"
else
	bad "two calibrations at once left a profile that does not load: $(cat "$tmp/cost.err")"
fi
[ -z "$(strays)" ] && ok "and no temporary file" || bad "files left: $(strays)"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
