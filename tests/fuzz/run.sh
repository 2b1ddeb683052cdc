#!/bin/sh
# run.sh — run one libFuzzer target for a bounded time (make fuzz).
#
# Usage: run.sh TARGET SECONDS   (TARGET: model, profile, hparam, units, law or
# runs_csv)
# Run from the build directory, after configure CC=clang --enable-fuzz.
# The working corpus lives in tests/fuzz/work/TARGET (kept between runs);
# it is seeded with the kept corpus tests/fuzz/corpus/TARGET and with the
# data files the target reads (models/, share/hardware/, the malformed
# model files of tests/models-bad).  A crash leaves its input in
# tests/fuzz/crashes/ and fails the run: copy it into the kept corpus
# once fixed, so that make check replays it.  Prints the executions and
# the corpus size.
set -u
target=${1:?usage: run.sh TARGET SECONDS}
secs=${2:-20}
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
fuzzer=tests/fuzz/fuzz_$target
work=tests/fuzz/work/$target
seeds=tests/fuzz/work/seeds-$target
crashes=tests/fuzz/crashes
[ -x "$fuzzer" ] || { echo "run.sh: no $fuzzer (make $fuzzer)" >&2; exit 1; }
mkdir -p "$work" "$seeds" "$crashes" || exit 1

# seeds: plain files, copied so that libFuzzer never writes into the sources
cp "$top_srcdir/tests/fuzz/corpus/$target/"* "$seeds/" 2>/dev/null
dict=
case $target in
model)
	cp "$top_srcdir"/models/*.yaml "$top_srcdir"/tests/models-bad/*.yaml \
		"$seeds/" 2>/dev/null
	dict=-dict=$top_srcdir/tests/fuzz/model.dict ;;
hparam)
	cp "$top_srcdir"/share/hparams/*.yaml "$seeds/" 2>/dev/null
	dict=-dict=$top_srcdir/tests/fuzz/model.dict ;;
profile)
	cp "$top_srcdir"/share/hardware/*.yaml "$seeds/" 2>/dev/null
	dict=-dict=$top_srcdir/tests/fuzz/model.dict ;;
law)
	dict=-dict=$top_srcdir/tests/fuzz/law.dict ;;
runs_csv)
	cp "$top_srcdir"/share/data/*.csv "$seeds/" 2>/dev/null ;;
esac

# libmatheval's parse-error leak is known (tests/lsan.supp), but law.c
# checks the syntax first, so libmatheval should never fail: the fast
# unwinder (30x faster here) cannot see yyparse in libmatheval's frames,
# so a leak report through libmatheval means that check let a bad
# expression through.  FUZZ_ASAN_OPTIONS=fast_unwind_on_malloc=0 applies
# the suppression.
LSAN_OPTIONS=suppressions=$top_srcdir/tests/lsan.supp:print_suppressions=0
ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-}
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS
log=tests/fuzz/work/$target.log
"$fuzzer" $dict -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len=65536 -print_final_stats=1 -artifact_prefix="$crashes/$target-" \
	"$work" "$seeds" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
found=$(ls "$work" | wc -l)
seeded=$(ls "$seeds" | wc -l)
echo "fuzz $target: ${execs:-?} executions in $secs s;" \
	"corpus: $seeded seeds, $found inputs of new coverage kept in $work"
if [ "$rc" -ne 0 ]; then
	echo "fuzz $target: FAILED (exit $rc); the input is in $crashes:" >&2
	grep -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" | head -n 20 >&2
	exit 1
fi
