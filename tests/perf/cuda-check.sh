#!/bin/sh
# cuda-check.sh — the CUDA back end's check on a machine with an NVIDIA
# GPU (issue 14), in about 5 minutes: build with CUDA (unless OUT's
# moeplan is given), run the CUDA tests (tests/cuda), calibrate with
# `calibrate --backend cuda --quick`, print the profile's summary and the
# fit's residuals (per tag: count, median and worst |residual|; the worst
# samples), then the held-out check: shapes that are not in the grid
# (GEMMs, whole MoE layers balanced and skewed) timed by an independent
# harness (PyTorch, tests/perf/cuda_heldout.py) against `moeplan cost` on
# the new profile and on the shipped datasheet profile; the issue's bar is
# a median error of at most 10% and a p90 of at most 25%.
#
# Usage, from the top of the source tree:
#   tests/perf/cuda-check.sh [OUT]      (OUT: where the profile and the
#                                        logs go; default $OUT or ./cuda-check)
#   DATASHEET=h100-sxm tests/perf/cuda-check.sh   (default: h200)
#   MOEPLAN=path/to/moeplan ...          (skip the build)
# Written without a GPU to run it on; nothing here has run on one yet.
set -u
out=${1:-${OUT:-./cuda-check}}
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
datasheet=${DATASHEET:-h200}
log() { echo "== $*"; }

# 1. build (configure --with-cuda fails loudly where the toolkit is not)
if [ -z "${MOEPLAN:-}" ]; then
	log "build"
	nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv \
		2>&1 | tee "$out/nvidia-smi.txt"
	{ [ -x configure ] || autoreconf -fi; } &&
		./configure -q --with-cuda CFLAGS="-O2 -g" &&
		make -s -j"$(nproc)" >"$out/build.log" 2>&1 ||
		{ tail -n 30 "$out/build.log" 2>/dev/null; echo "build failed"; exit 1; }
	MOEPLAN=$(pwd)/src/moeplan
	log "tests/cuda"
	make -s -j"$(nproc)" check TESTS="tests/cuda/cli.sh \
		tests/cuda/test_cuda_loader tests/cuda/test_cuda_device" \
		>"$out/check.log" 2>&1
	cat tests/cuda/*.log | tee -a "$out/check.log" | grep -v '^ok: '
fi

# 2. calibrate
log "calibrate --backend cuda --quick"
"$MOEPLAN" calibrate --list-backends
start=$(date +%s)
if ! "$MOEPLAN" calibrate --backend cuda --quick --output "$out/cuda-quick.yaml" \
	2>&1 | tee "$out/calibrate.txt"; then
	echo "calibrate failed"
	exit 1
fi
echo "calibrate took $(( $(date +%s) - start )) s"
sed -n '1,/^model:/p' "$out/cuda-quick.yaml"
sed -n '/^calibration:/,/^  samples:/p' "$out/cuda-quick.yaml" |
	grep -v '^  samples:'

# 3. the fit's residuals, from the profile's raw samples
log "residuals by tag (count, median |r|, worst |r|), then the 15 worst"
awk '
	/^    - kernel: / { k = $3 }
	/^      tag: / { t = $2; nd = 0; d = "" }
	/^        - / { d = d (nd++ ? "x" : "") $2 }
	/^      seconds: / { s = $2 }
	/^      residual: / {
		r = $2 < 0 ? -$2 : $2
		key = k "/" t
		n[key]++; v[key, n[key]] = r
		print r, k, t, d, s >"'"$out"'/residuals.txt"
	}
	END {
		for (key in n) {
			m = n[key]
			for (i = 1; i <= m; i++) a[i] = v[key, i]
			for (i = 2; i <= m; i++)   # insertion sort
				for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
					x = a[j]; a[j] = a[j - 1]; a[j - 1] = x
				}
			printf "%-22s %5d %8.1f%% %8.1f%%\n", key, m,
				100 * a[int((m + 1) / 2)], 100 * a[m]
		}
	}' "$out/cuda-quick.yaml" | sort
sort -rn "$out/residuals.txt" | head -n 15 |
	awk '{ printf "%8.1f%%  %s %s %s  %s s\n", 100 * $1, $2, $3, $4, $5 }'

# 4. held-out shapes: PyTorch against moeplan cost
log "held-out check (PyTorch) against the calibrated and the $datasheet profiles"
if ! python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
	echo "no PyTorch with CUDA here: held-out check skipped"
	exit 0
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
python3 "$top/tests/perf/cuda_heldout.py" --moeplan "$MOEPLAN" \
	--profile "$out/cuda-quick.yaml" --datasheet "$datasheet" \
	--dtype bf16 | tee "$out/heldout.txt"
