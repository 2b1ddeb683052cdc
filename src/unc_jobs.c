/*
 * unc_jobs.c — the forked workers of a plan's draws and the parent that
 * gathers their samples (see unc_jobs.h; the pattern of fit_jobs.c).
 */
#include "config.h"

#include "unc_jobs.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 256

struct record {
	uint64_t item;                 /* k count + (i - first) */
	struct unc_sample s;
};

_Static_assert(sizeof(struct record) <= PIPE_BUF,
               "a record must be written in one piece");

static int write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Item j: draw first + j % count at budget j / count. */
static int one_item(struct unc *u, const double *budgets, unsigned long seed,
                    size_t first, size_t count, size_t j,
                    struct unc_sample *out, struct mp_error *err)
{
	return unc_draw(u, budgets[j / count], seed, first + j % count, out, err);
}

/* A worker: items w, w + N, ...; never returns. */
static void worker(struct unc *u, const double *budgets, size_t total,
                   unsigned long seed, size_t first, size_t count, int w,
                   int jobs, int fd)
{
	struct record rec;
	struct mp_error err;

	memset(&rec, 0, sizeof rec);
	for (size_t j = (size_t)w; j < total; j += (size_t)jobs) {
		rec.item = j;
		if (one_item(u, budgets, seed, first, count, j, &rec.s, &err) != 0 ||
		    write_all(fd, &rec, sizeof rec) != 0)
			_exit(1);
	}
	_exit(0);
}

static ssize_t read_record(int fd, struct record *rec)
{
	size_t got = 0;

	while (got < sizeof *rec) {
		ssize_t r = read(fd, (char *)rec + got, sizeof *rec - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got == 0 && r == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Read the workers' records until every one has closed the pipe. */
static size_t gather(int fd, size_t total, struct unc_sample *out)
{
	struct record rec;
	size_t done = 0;

	while (read_record(fd, &rec) > 0) {
		if (rec.item >= total)
			break;
		out[rec.item] = rec.s;
		done++;
	}
	return done;
}

/* Wait for the n workers; -1 if one failed. */
static int reap(const pid_t *pid, int n)
{
	int bad = 0, st = 0;

	for (int w = 0; w < n; w++) {
		while (waitpid(pid[w], &st, 0) < 0)
			if (errno != EINTR) {
				bad = 1;
				break;
			}
		bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	}
	return bad ? -1 : 0;
}

static int spawn(struct unc *u, const double *budgets, size_t total,
                 unsigned long seed, size_t first, size_t count, int jobs,
                 int fd[2], pid_t *pid, int *started)
{
	for (*started = 0; *started < jobs; ++*started) {
		pid_t c = fork();

		if (c < 0)
			return -1;
		if (c == 0) {
			close(fd[0]);
			worker(u, budgets, total, seed, first, count, *started, jobs,
			       fd[1]);
		}
		pid[*started] = c;
	}
	return 0;
}

int unc_jobs_draw(struct unc *u, const double *budgets, size_t nb,
                  unsigned long seed, size_t first, size_t count, int jobs,
                  struct unc_sample *out, struct mp_error *err)
{
	size_t total = nb * count, done;
	pid_t pid[MAX_JOBS];
	int fd[2], started, rc;

	if (jobs > (int)total)
		jobs = total > 0 ? (int)total : 1;
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (jobs <= 1) {
		for (size_t j = 0; j < total; j++)
			if (one_item(u, budgets, seed, first, count, j, &out[j], err) != 0)
				return -1;
		return 0;
	}
	if (pipe(fd) != 0)
		return mp_error_set(err, "draws: pipe: %s", strerror(errno));
	fflush(NULL);                 /* no buffered output twice */
	rc = spawn(u, budgets, total, seed, first, count, jobs, fd, pid, &started);
	close(fd[1]);
	done = rc == 0 ? gather(fd[0], total, out) : 0;
	close(fd[0]);
	if (rc != 0)
		for (int w = 0; w < started; w++)
			kill(pid[w], SIGTERM);
	if (reap(pid, started) != 0 || rc != 0 || done != total)
		return mp_error_set(err, "draws: a worker failed (%zu of %zu draws "
		                    "came back)", done, total);
	return 0;
}
