/*
 * fuzz.h — what the fuzz targets in tests/fuzz share.
 *
 * Each target (fuzz_model.c, fuzz_profile.c, fuzz_units.c, fuzz_law.c,
 * fuzz_runs_csv.c)
 * defines libFuzzer's entry point, LLVMFuzzerTestOneInput.  It is linked
 * two ways: with clang's -fsanitize=fuzzer into a fuzzer (configure
 * --enable-fuzz, `make fuzz`), and with replay.c's main() into a plain
 * program that make check runs over the target's kept corpus
 * (tests/fuzz/corpus/TARGET/), so every input that once crashed stays a
 * regression test in every build (sanitizers, valgrind, plain gcc).
 *
 * A target returns 0 for every input; a bug shows as a crash, a sanitizer
 * report, a valgrind error, or fuzz_fail() (an invariant broken, e.g. a
 * non-finite number where the code promises a finite one).
 */
#ifndef MP_FUZZ_H
#define MP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data to the process's scratch file (created once, rewritten each
 * call) and return its path: for loaders that read files. */
const char *fuzz_file(const uint8_t *data, size_t size);

/* data as a malloc'd NUL-terminated string (stops at the first NUL). */
char *fuzz_string(const uint8_t *data, size_t size);

/* Report a broken invariant on stderr and abort. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                     noreturn));

#endif
