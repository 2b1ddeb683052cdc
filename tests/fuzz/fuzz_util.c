/*
 * fuzz_util.c — the scratch file, string copy and failure report shared by
 * the fuzz targets (see fuzz.h).
 */
#include "config.h"

#include "fuzz.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char scratch[64];
static int scratch_fd = -1;

/* The scratch file is unlinked at once and reached through /proc/self/fd,
 * so that nothing is left behind however the fuzzer ends (libFuzzer
 * leaves by _Exit on a time limit or a crash, skipping atexit). */
const char *fuzz_file(const uint8_t *data, size_t size)
{
	if (scratch_fd < 0) {
		const char *dir = getenv("TMPDIR");
		char path[4096];

		snprintf(path, sizeof path, "%s/moeplan-fuzz-XXXXXX",
		         dir != NULL && dir[0] == '/' ? dir : "/tmp");
		if ((scratch_fd = mkstemp(path)) < 0) {
			perror("fuzz: mkstemp");
			abort();
		}
		unlink(path);
		snprintf(scratch, sizeof scratch, "/proc/self/fd/%d", scratch_fd);
	}
	if (ftruncate(scratch_fd, 0) != 0 ||
	    (size > 0 && pwrite(scratch_fd, data, size, 0) != (ssize_t)size)) {
		perror("fuzz: writing the scratch file");
		abort();
	}
	return scratch;
}

char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("fuzz: invariant broken: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}
