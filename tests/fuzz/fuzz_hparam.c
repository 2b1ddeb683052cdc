/*
 * fuzz_hparam.c — fuzz target: the batch-size / learning-rate law loader
 * (io/hparam_load.c over io/yamldoc.c and core/hparams.c).  The input is an
 * hparams file.  A file that loads is asked for a suggestion at the ends
 * and middle of its fitted compute range and far outside it.
 *
 * Invariants: a failed load says why; a loaded file is ready; inside its
 * fit range a suggestion that succeeds is finite and positive and not
 * flagged as extrapolated; far outside it, it is flagged.
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "core/hparams.h"
#include "io/hparam_load.h"

static void ask(const struct hparams *h, double C, int inside)
{
	struct hparams_pick p;
	struct mp_error err;

	if (hparams_suggest(h, C, &p, &err) != 0) {
		if (err.msg[0] == '\0')
			fuzz_fail("hparams_suggest failed without a message");
		return;
	}
	if (!(p.batch_tokens > 0 && isfinite(p.batch_tokens) && p.lr > 0 &&
	      isfinite(p.lr)))
		fuzz_fail("C %g: batch %g, lr %g", C, p.batch_tokens, p.lr);
	if (inside == p.extrapolated)
		fuzz_fail("C %g in [%g, %g]: extrapolated %d", C, h->fit_lo,
		          h->fit_hi, p.extrapolated);
	(void)hparams_batch_sequences(&p, 4096);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mp_error err;
	struct hparams *h;

	mp_error_clear(&err);
	h = hparam_load(fuzz_file(data, size), &err);
	if (h == NULL) {
		if (err.msg[0] == '\0')
			fuzz_fail("hparam_load failed without a message");
		return 0;
	}
	if (!h->ready)
		fuzz_fail("hparams loaded but not ready");
	ask(h, h->fit_lo, 1);
	ask(h, h->fit_hi, 1);
	ask(h, sqrt(h->fit_lo) * sqrt(h->fit_hi), 1);
	if (h->fit_lo > 1e-300)
		ask(h, h->fit_lo / 10, 0);
	if (h->fit_hi < 1e300)
		ask(h, h->fit_hi * 10, 0);
	hparams_free(h);
	return 0;
}
