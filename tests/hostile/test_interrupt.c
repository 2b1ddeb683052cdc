/*
 * test_interrupt.c — a write killed by SIGINT, SIGTERM or SIGHUP at a
 * random moment (io/emit.c's atomic output, through which profiles, plans
 * and TUI exports are written) leaves the target byte for byte one of the
 * versions written whole, never a mixture or a truncation, and leaves no
 * temporary file.
 *
 * A child writes two different contents A and B of 1 MiB in turn over the
 * same target, forever; the parent kills it after a random delay (0 to
 * 4 ms, seeded: TRIALS trials, INTERRUPT_SEED to repeat a run), then
 * checks the target and the directory.  The child does nothing but
 * write (create the temporary file, write, fsync, rename), so nearly every
 * kill lands inside a write: without the signals held, most trials leave
 * a temporary file.  Also: two writers at once over one target.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/emit.h"
#include "../unit/tap.h"

#define TRIALS 200
#define SIZE (1 << 20)

static char dir[256], target[300];

/* The byte at offset i of version v (0 or 1): not periodic in 4 KiB, so a
 * page of A in B's place shows. */
static unsigned char byte_of(int v, size_t i)
{
	return (unsigned char)((i * 2654435761u >> 7) + (unsigned)v * 131u + i / 4099);
}

static unsigned char version[2][SIZE];   /* filled before any fork */

static int write_version(int v)
{
	struct emit_atomic a;
	struct mp_error err;

	if (emit_atomic_open(&a, target, &err) != 0)
		return -1;
	if (fwrite(version[v], 1, SIZE, a.f) != SIZE) {
		emit_atomic_abort(&a);
		return -1;
	}
	return emit_atomic_commit(&a, &err);
}

/* Which version the target holds whole: 0 or 1, -1 if neither. */
static int target_version(void)
{
	FILE *f = fopen(target, "rb");
	static unsigned char buf[SIZE + 1];
	size_t n;
	int v;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n != SIZE)
		return -1;
	v = buf[0] == byte_of(0, 0) ? 0 : 1;
	for (size_t i = 0; i < SIZE; i++)
		if (buf[i] != byte_of(v, i))
			return -1;
	return v;
}

/* Entries in dir other than the target, removed once counted. */
static int strays(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[600];
	int n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && strcmp(e->d_name, "target") != 0) {
			printf("  left behind: %s\n", e->d_name);
			snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
			unlink(path);
			n++;
		}
	closedir(d);
	return n;
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static pid_t writer(int first)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (int v = first;; v ^= 1)
			if (write_version(v) != 0)
				_exit(3);
	}
	return pid;
}

int main(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	const char *tmpdir = getenv("TMPDIR"), *seed_env = getenv("INTERRUPT_SEED");
	unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 10)
	                         : (unsigned)time(NULL) ^ (unsigned)getpid();
	int whole = 0, clean = 0, by_signal = 0, ok_exit = 1;
	char msg[160];

	snprintf(dir, sizeof dir, "%s/moeplan-interrupt-XXXXXX",
	         tmpdir && tmpdir[0] == '/' ? tmpdir : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(target, sizeof target, "%s/target", dir);
	printf("seed %u (INTERRUPT_SEED=%u repeats this run)\n", seed, seed);
	srand(seed);
	for (int v = 0; v < 2; v++)
		for (size_t i = 0; i < SIZE; i++)
			version[v][i] = byte_of(v, i);
	check(write_version(0) == 0 && target_version() == 0,
	      "version A written whole to start with");

	for (int t = 0; t < TRIALS; t++) {
		int sig = sigs[t % 3], status, v, s;
		pid_t pid = writer(t & 1);

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		sleep_us(rand() % 4000);
		kill(pid, sig);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFSIGNALED(status) && WTERMSIG(status) == sig)
			by_signal++;
		else
			ok_exit = 0;
		v = target_version();
		s = strays();
		whole += v >= 0;
		clean += s == 0;
		if (v < 0 || s != 0)
			printf("  trial %d, signal %d after the writes began: target "
			       "%s, %d stray files\n", t, sig,
			       v < 0 ? "neither version whole" : "whole", s);
	}
	snprintf(msg, sizeof msg, "%d of %d kills: the target is one version, "
	         "whole", whole, TRIALS);
	check(whole == TRIALS, msg);
	snprintf(msg, sizeof msg, "%d of %d kills: no temporary file left",
	         clean, TRIALS);
	check(clean == TRIALS, msg);
	snprintf(msg, sizeof msg, "%d of %d writers died of the signal sent "
	         "(held during a write, delivered after)", by_signal, TRIALS);
	check(ok_exit, msg);

	/* two writers at once over one target, for a while, then stopped */
	{
		pid_t a = writer(0), b = writer(1);
		int sa, sb;

		sleep_us(300000);
		kill(a, SIGTERM);
		kill(b, SIGTERM);
		waitpid(a, &sa, 0);
		waitpid(b, &sb, 0);
		check(WIFSIGNALED(sa) && WIFSIGNALED(sb),
		      "two concurrent writers ran until stopped (no write failed)");
		check(target_version() >= 0,
		      "two concurrent writers: the target is one version, whole");
		check(strays() == 0, "two concurrent writers: no temporary file left");
	}
	unlink(target);
	rmdir(dir);
	return check_done();
}
