/*
 * fuzz_profile.c — fuzz target: the hardware-profile loader
 * (io/profile.c's profile_load over io/yamldoc.c).  The input is a profile
 * file.  A profile that loads has its cost model queried once.
 *
 * Invariants: a failed load says why; a loaded profile has a known dtype
 * with a positive peak (profile_derive succeeded) and as many samples as
 * its sample_count.
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>
#include <string.h>

#include "io/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hw_profile p;
	struct mp_error err;

	mp_error_clear(&err);
	if (profile_load(fuzz_file(data, size), &p, &err) != 0) {
		if (err.msg[0] == '\0')
			fuzz_fail("profile_load failed without a message");
		return 0;
	}
	if (!(p.model.elem_bytes > 0) || !(p.model.mfu_peak > 0))
		fuzz_fail("loaded profile with elem_bytes %g, peak %g",
		          p.model.elem_bytes, p.model.mfu_peak);
	if (p.n_samples > 0 && p.samples == NULL)
		fuzz_fail("%zu samples but no array", p.n_samples);
	(void)cost_gemm_seconds(&p.model, 4096, 4096, 4096);
	profile_free(&p);
	return 0;
}
