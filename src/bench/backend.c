/*
 * backend.c — the table of back ends, dtype names, and opening, closing
 * and synchronising a device (see backend.h).  The table owns nothing:
 * each back end is a const struct in its own file.
 */
#include "config.h"

#include "backend.h"

#include <string.h>

extern const struct bench_backend bench_backend_cblas;
extern const struct bench_backend bench_backend_cuda;

/* The back ends, the default first.  A new back end: one line here. */
static const struct bench_backend *const backends[] = {
	&bench_backend_cblas,
	&bench_backend_cuda,
	NULL
};

static const char *const dtype_names[BENCH_DTYPES] = {
	"fp32", "tf32", "bf16", "fp16", "fp8"
};

const char *bench_dtype_name(enum bench_dtype d)
{
	return (unsigned)d < BENCH_DTYPES ? dtype_names[d] : NULL;
}

int bench_dtype_parse(const char *name)
{
	for (int d = 0; d < BENCH_DTYPES; d++)
		if (strcmp(name, dtype_names[d]) == 0)
			return d;
	return -1;
}

const struct bench_backend *const *bench_backend_list(void)
{
	return backends;
}

const struct bench_backend *bench_backend_find(const char *name)
{
	for (size_t i = 0; backends[i] != NULL; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
}

int bench_backend_open(struct bench_device *d, const struct bench_backend *b,
                       const struct bench_open_opts *o, struct mp_error *err)
{
	memset(d, 0, sizeof *d);
	if ((unsigned)o->dtype >= BENCH_DTYPES ||
	    !(b->dtypes & BENCH_DTYPE_BIT(o->dtype)))
		return mp_error_set(err, "back end '%s' does not run %s", b->name,
		                    (unsigned)o->dtype < BENCH_DTYPES ?
		                    dtype_names[o->dtype] : "that dtype");
	if (b->open(o, &d->state, err) != 0)
		return -1;
	d->backend = b;
	d->dtype = o->dtype;
	return 0;
}

void bench_backend_close(struct bench_device *d)
{
	if (d->backend != NULL)
		d->backend->close(d->state);
	memset(d, 0, sizeof *d);
}

void bench_backend_sync(const struct bench_device *d)
{
	if (d != NULL && d->backend != NULL && d->backend->sync != NULL)
		d->backend->sync(d->state);
}
