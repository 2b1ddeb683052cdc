/*
 * test_write.c — writes that cannot succeed (io/emit.c's atomic output,
 * through which profiles are written): each fails with a message naming
 * the file and the reason, leaves the old file byte for byte as it was and
 * leaves no temporary file; a device is written in place, never replaced.
 *
 * Runs as root here, so permission bits stop nothing: the places that
 * cannot be written are a path under a regular file (ENOTDIR), /proc
 * (read-only to root too), a directory, /dev/full (ENOSPC) and
 * RLIMIT_FSIZE with SIGXFSZ ignored (EFBIG part-way through a write).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/emit.h"
#include "../unit/tap.h"

static char dir[256];

/* Entries of dir other than the named one. */
static int others(const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strcmp(e->d_name, keep) != 0) {
			printf("  left behind: %s\n", e->d_name);
			n++;
		}
	closedir(d);
	return n;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static int same_text(const char *path, const char *text)
{
	char buf[4096];
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return strcmp(buf, text) == 0;
}

/* Write n bytes of 'x' through the atomic writer; 0 or -1 with err. */
static int atomic_write(const char *path, size_t n, struct mp_error *err)
{
	struct emit_atomic a;

	mp_error_clear(err);
	if (emit_atomic_open(&a, path, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		fputc('x', a.f);
	return emit_atomic_commit(&a, err);
}

static void expect_fail(const char *path, size_t n, const char *want,
                        const char *what)
{
	struct mp_error err;
	char msg[600];

	check(atomic_write(path, n, &err) != 0, what);
	snprintf(msg, sizeof msg, "%s: message '%s' names '%s'", what, err.msg,
	         want);
	check(strstr(err.msg, want) != NULL, msg);
}

int main(void)
{
	static const char old[] = "version: 1\n# the old profile\n";
	struct mp_error err;
	struct rlimit lim, saved;
	struct stat st;
	char path[512], link[512], under[512];

	snprintf(dir, sizeof dir, "%s/moeplan-write-XXXXXX",
	         getenv("TMPDIR") && getenv("TMPDIR")[0] == '/' ? getenv("TMPDIR")
	                                                         : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(path, sizeof path, "%s/p.yaml", dir);

	/* a plain write, then one that replaces it */
	check(atomic_write(path, 10, &err) == 0, "a plain write succeeds");
	check(write_file(path, old) == 0, "the old profile is in place");

	/* a write that fails part-way: the file size limit (EFBIG) */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &saved);
	lim = saved;
	lim.rlim_cur = 1000;
	check(setrlimit(RLIMIT_FSIZE, &lim) == 0, "file size limited to 1000 bytes");
	expect_fail(path, 100000, "File too large", "a write that fails part-way");
	setrlimit(RLIMIT_FSIZE, &saved);
	check(same_text(path, old), "part-way failure: the old file is intact");
	check_int(others("p.yaml"), 0, "part-way failure: no temporary file left");

	/* disk full: the device is written in place and stays a device */
	expect_fail("/dev/full", 100000, "No space left on device",
	            "/dev/full (disk full)");
	check(stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode),
	      "/dev/full is still a character device");
	check(atomic_write("/dev/null", 100, &err) == 0, "/dev/null is written");
	check(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode),
	      "/dev/null is still a character device");

	/* places where nothing can be created */
	snprintf(under, sizeof under, "%s/p.yaml/q.yaml", dir);
	expect_fail(under, 10, "Not a directory", "a path under a regular file");
	expect_fail("/proc/moeplan-test.yaml", 10, "/proc/moeplan-test.yaml",
	            "a file in /proc");
	expect_fail(dir, 10, "is a directory", "a directory as the target");
	expect_fail("", 10, "empty output file name", "an empty name");
	check(same_text(path, old), "after all that, the old file is intact");
	check_int(others("p.yaml"), 0, "and no temporary file is left");

	/* a symlink: its target is replaced, the link stays a link */
	snprintf(link, sizeof link, "%s/link.yaml", dir);
	check(symlink("p.yaml", link) == 0, "symlink made");
	check(atomic_write(link, 5, &err) == 0, "write through a symlink");
	check(lstat(link, &st) == 0 && S_ISLNK(st.st_mode),
	      "the symlink is still a symlink");
	check(same_text(path, "xxxxx"), "its target has the new text");

	unlink(link);
	unlink(path);
	rmdir(dir);
	return check_done();
}
