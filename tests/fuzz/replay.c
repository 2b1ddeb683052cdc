/*
 * replay.c — main() for the fuzz targets without libFuzzer: feeds every
 * file of a kept corpus through the target's LLVMFuzzerTestOneInput, so
 * that make check replays each input that once crashed, under whatever
 * the build has (ASan, UBSan, valgrind, or nothing).
 *
 * Usage: replay_TARGET [FILE|DIR...]; with no arguments the directory
 * $top_srcdir/tests/fuzz/corpus/TARGET (FUZZ_TARGET is set at compile
 * time) and the data files the target reads (models/ and tests/models-bad
 * for model, share/hardware for profile).  Prints one line per file and "N passed, N failed"; a failing
 * input aborts the program (that is what the target checks do), so
 * "failed" counts only files that could not be read.
 */
#include "config.h"

#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef FUZZ_TARGET
#error "compile with -DFUZZ_TARGET='\"name\"'"
#endif

static int pass, fail;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (f == NULL) {
		printf("FAIL: %s: cannot open\n", path);
		fail++;
		return;
	}
	do {
		if (len == cap) {
			unsigned char *tmp;

			cap = cap ? 2 * cap : 4096;
			if ((tmp = realloc(buf, cap)) == NULL) {
				printf("FAIL: %s: out of memory\n", path);
				fail++;
				free(buf);
				fclose(f);
				return;
			}
			buf = tmp;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	fflush(stdout);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok: %s (%zu bytes)\n", path, len);
	pass++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
	struct stat st;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	DIR *d;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		run_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL) {
		printf("FAIL: %s: cannot read the directory\n", path);
		fail++;
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **tmp;

			cap = cap ? 2 * cap : 64;
			if ((tmp = realloc(names, cap * sizeof *names)) == NULL)
				abort();
			names = tmp;
		}
		if (asprintf(&names[n++], "%s/%s", path, e->d_name) < 0)
			abort();
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);   /* a stable order */
	for (size_t i = 0; i < n; i++) {
		run_file(names[i]);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			run_path(argv[i]);
	} else {
		/* the kept corpus, and the data files the target reads */
		static const char *const seeds[][3] = {
			{ "model", "models", "tests/models-bad" },
			{ "profile", "share/hardware", NULL },
		};
		const char *top = getenv("top_srcdir");
		char *dir;

		if (top == NULL)
			top = ".";
		if (asprintf(&dir, "%s/tests/fuzz/corpus/%s", top, FUZZ_TARGET) < 0)
			return 1;
		run_path(dir);
		free(dir);
		for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
			if (strcmp(seeds[i][0], FUZZ_TARGET) != 0)
				continue;
			for (int j = 1; j < 3 && seeds[i][j] != NULL; j++) {
				if (asprintf(&dir, "%s/%s", top, seeds[i][j]) < 0)
					return 1;
				run_path(dir);
				free(dir);
			}
		}
	}
	if (pass + fail == 0) {
		printf("FAIL: no input found\n");
		fail++;
	}
	printf("%d passed, %d failed\n", pass, fail);
	return fail != 0;
}
