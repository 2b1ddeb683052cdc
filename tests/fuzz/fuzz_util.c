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

static char scratch[4096];

static void remove_scratch(void)
{
	if (scratch[0] != '\0')
		unlink(scratch);
}

const char *fuzz_file(const uint8_t *data, size_t size)
{
	FILE *f;

	if (scratch[0] == '\0') {
		int fd;

		const char *dir = getenv("TMPDIR");

		snprintf(scratch, sizeof scratch, "%s/moeplan-fuzz-XXXXXX.yaml",
		         dir != NULL && dir[0] == '/' ? dir : "/tmp");
		if ((fd = mkstemps(scratch, 5)) < 0) {
			perror("fuzz: mkstemps");
			abort();
		}
		close(fd);
		atexit(remove_scratch);
	}
	if ((f = fopen(scratch, "wb")) == NULL ||
	    (size > 0 && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
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
