/*
 * jobs.c — the forked workers and the parent that gathers their records
 * (see jobs.h).
 */
#include "config.h"

#include "jobs.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define JOBS_MAX 256

/* A record: the item's index, then its payload, which the callbacks read
 * as their own types: the head is a whole number of max_align_t so that,
 * in a buffer aligned as one, the payload is aligned for any type. */
#define RECORD_HEAD sizeof(max_align_t)

size_t jobs_payload_max(void)
{
	return PIPE_BUF - RECORD_HEAD;
}

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

/* 0 at the end of the pipe, -1 on a short or failed read, else n. */
static ssize_t read_record(int fd, unsigned char *rec, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, rec + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return got == 0 && r == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* A worker: items w, w + N, ...; never returns. */
static void worker(size_t total, int w, int jobs, size_t payload_size,
                   jobs_item_fn item, void *ctx, int fd)
{
	_Alignas(max_align_t) unsigned char rec[PIPE_BUF];
	struct mp_error err;

	memset(rec, 0, sizeof rec);
	for (size_t j = (size_t)w; j < total; j += (size_t)jobs) {
		uint64_t index = j;

		memcpy(rec, &index, sizeof index);
		if (item(ctx, j, rec + RECORD_HEAD, &err) != 0 ||
		    write_all(fd, rec, RECORD_HEAD + payload_size) != 0)
			_exit(1);
	}
	_exit(0);
}

/* Read the workers' records until every one has closed the pipe. */
static size_t gather(int fd, size_t total, size_t payload_size,
                     jobs_take_fn take, void *ctx)
{
	_Alignas(max_align_t) unsigned char rec[PIPE_BUF];
	size_t done = 0;
	uint64_t index;

	while (read_record(fd, rec, RECORD_HEAD + payload_size) > 0) {
		memcpy(&index, rec, sizeof index);
		if (index >= total)
			break;
		take(ctx, (size_t)index, rec + RECORD_HEAD, ++done);
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

static int in_process(size_t total, size_t payload_size, jobs_item_fn item,
                      jobs_take_fn take, void *ctx, struct mp_error *err)
{
	_Alignas(max_align_t) unsigned char payload[PIPE_BUF];

	for (size_t j = 0; j < total; j++) {
		memset(payload, 0, payload_size);
		if (item(ctx, j, payload, err) != 0)
			return -1;
		take(ctx, j, payload, j + 1);
	}
	return 0;
}

int jobs_run(size_t total, int jobs, size_t payload_size, jobs_item_fn item,
             jobs_take_fn take, void *ctx, const char *what,
             struct mp_error *err)
{
	pid_t pid[JOBS_MAX];
	int fd[2], started, rc = 0;
	size_t done;

	if (payload_size > jobs_payload_max())
		return mp_error_set(err, "%s: a record of %zu bytes exceeds "
		                    "PIPE_BUF", what, payload_size + RECORD_HEAD);
	if (jobs > (int)total)
		jobs = total > 0 ? (int)total : 1;
	if (jobs > JOBS_MAX)
		jobs = JOBS_MAX;
	if (jobs <= 1)
		return in_process(total, payload_size, item, take, ctx, err);
	if (pipe(fd) != 0)
		return mp_error_set(err, "%s: pipe: %s", what, strerror(errno));
	fflush(NULL);                 /* no buffered output twice */
	for (started = 0; started < jobs; started++) {
		pid_t c = fork();

		if (c < 0) {
			rc = -1;
			break;
		}
		if (c == 0) {
			close(fd[0]);
			worker(total, started, jobs, payload_size, item, ctx, fd[1]);
		}
		pid[started] = c;
	}
	close(fd[1]);
	done = rc == 0 ? gather(fd[0], total, payload_size, take, ctx) : 0;
	close(fd[0]);
	if (rc != 0)
		for (int w = 0; w < started; w++)
			kill(pid[w], SIGTERM);
	if (reap(pid, started) != 0 || rc != 0 || done != total)
		return mp_error_set(err, "%s: a worker failed (%zu of %zu came "
		                    "back)", what, done, total);
	return 0;
}
