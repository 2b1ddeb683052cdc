/*
 * fit_jobs.c — the forked bootstrap workers and the parent that gathers
 * their rows (see fit_jobs.h).
 */
#include "config.h"

#include "fit_jobs.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_JOBS 256

struct record {
	uint64_t index;
	double theta[LAWFIT_MAX_PAR];
};

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

/* A worker: resamples w, w + N, ...; never returns. */
static void worker(struct lawfit *F, const struct lawfit_data *d,
                   const double *theta, size_t p, unsigned long seed,
                   size_t B, int w, int jobs, int fd)
{
	struct record rec;
	struct mp_error err;

	memset(&rec, 0, sizeof rec);
	for (size_t b = (size_t)w; b < B; b += (size_t)jobs) {
		/* rec.theta holds LAWFIT_MAX_PAR: the fitter's p fit */
		rec.index = b;
		if (lawfit_bootstrap(F, d, theta, seed, b, 1, rec.theta, &err) != 0 ||
		    write_all(fd, &rec, sizeof rec) != 0)
			_exit(1);
	}
	(void)p;
	_exit(0);
}

static int in_process(struct lawfit *F, const struct lawfit_data *d,
                      const double *theta, size_t p, unsigned long seed,
                      size_t B, fit_progress_fn progress, double *out,
                      struct mp_error *err)
{
	for (size_t b = 0; b < B; b++) {
		if (lawfit_bootstrap(F, d, theta, seed, b, 1, out + b * p, err) != 0)
			return -1;
		if (progress != NULL)
			progress(b + 1, B);
	}
	return 0;
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

/* Read the workers' rows until every one has closed the pipe. */
static size_t gather(int fd, size_t p, size_t B, fit_progress_fn progress,
                     double *out)
{
	struct record rec;
	size_t done = 0;

	while (read_record(fd, &rec) > 0) {
		if (rec.index >= B)
			break;
		memcpy(out + rec.index * p, rec.theta, p * sizeof *out);
		done++;
		if (progress != NULL)
			progress(done, B);
	}
	return done;
}

/* Wait for the n workers; -1 if one failed. */
static int reap(const pid_t *pid, int n)
{
	int bad = 0, st;

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

static int spawn(struct lawfit *F, const struct lawfit_data *d,
                 const double *theta, size_t p, unsigned long seed, size_t B,
                 int jobs, int fd[2], pid_t *pid, int *started)
{
	for (*started = 0; *started < jobs; ++*started) {
		pid_t c = fork();

		if (c < 0)
			return -1;
		if (c == 0) {
			close(fd[0]);
			worker(F, d, theta, p, seed, B, *started, jobs, fd[1]);
		}
		pid[*started] = c;
	}
	return 0;
}

int fit_jobs_bootstrap(struct lawfit *F, const struct lawfit_data *d,
                       const double *theta, size_t p, unsigned long seed,
                       size_t B, int jobs, fit_progress_fn progress,
                       double *out, struct mp_error *err)
{
	pid_t pid[MAX_JOBS];
	int fd[2], started, rc;
	size_t done;

	if (jobs > (int)B)
		jobs = B > 0 ? (int)B : 1;
	if (jobs <= 1)
		return in_process(F, d, theta, p, seed, B, progress, out, err);
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	for (size_t i = 0; i < B * p; i++)
		out[i] = NAN;
	if (pipe(fd) != 0)
		return mp_error_set(err, "bootstrap: pipe: %s", strerror(errno));
	fflush(NULL);                 /* no buffered output twice */
	rc = spawn(F, d, theta, p, seed, B, jobs, fd, pid, &started);
	close(fd[1]);
	done = rc == 0 ? gather(fd[0], p, B, progress, out) : 0;
	close(fd[0]);
	if (rc != 0)
		for (int w = 0; w < started; w++)
			kill(pid[w], SIGTERM);
	if (reap(pid, started) != 0 || rc != 0 || done != B)
		return mp_error_set(err, "bootstrap: a worker failed (%zu of %zu "
		                    "resamples came back)", done, B);
	return 0;
}
