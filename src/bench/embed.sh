#!/bin/sh
# embed.sh IN OUT — write OUT, a C file defining bench_cuda_fatbin (the
# bytes of IN, nvcc's fatbin of src/bench/cuda_kernels.cu) and
# bench_cuda_fatbin_size, for src/bench/cuda_fatbin.h.  POSIX od and sed.
set -eu
in=$1
out=$2
{
	echo '/* cuda_fatbin.c: written by src/bench/embed.sh from nvcc'"'"'s fatbin'
	echo ' * of src/bench/cuda_kernels.cu; do not edit. */'
	echo '#include "config.h"'
	echo ''
	echo '#include "bench/cuda_fatbin.h"'
	echo ''
	echo '_Alignas(64) const unsigned char bench_cuda_fatbin[] = {'
	od -An -v -tx1 "$in" | sed -e 's/[[:space:]]*$//' -e '/^$/d' \
		-e 's/[[:space:]]*\([0-9a-f][0-9a-f]\)/0x\1,/g' -e 's/^/	/'
	echo '};'
	echo 'const size_t bench_cuda_fatbin_size = sizeof bench_cuda_fatbin;'
} >"$out.tmp"
mv "$out.tmp" "$out"
