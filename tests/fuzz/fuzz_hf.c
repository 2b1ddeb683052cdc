/*
 * fuzz_hf.c — fuzz target: the Hugging Face config.json reader
 * (io/hf_config.c over io/yamldoc.c and core/arch_spec.c), both directly
 * and through the architecture-file loader (io/arch_file.c), which routes
 * a document with a model_type or architectures key to it.  The input is a
 * config.json.  An architecture that loads is counted.
 *
 * Invariants: a failed read says why (a non-empty message) and where (a
 * file, and a line and column from 1, when the document loaded); a loaded
 * architecture passes arch_check, and its parameter counts and FLOPs are
 * finite and non-negative, with active <= total.
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>

#include "core/arch.h"
#include "io/arch_file.h"
#include "io/hf_config.h"
#include "io/yamldoc.h"

static void check_counts(const struct arch *a)
{
	struct arch_params p;
	struct arch_flops f;
	struct mp_error err;

	if (arch_check(a, &err) != 0)
		fuzz_fail("loaded architecture fails arch_check: %s", err.msg);
	arch_count_params(a, &p);
	arch_count_flops(a, &f);
	if (!isfinite(p.total) || !isfinite(p.active) || p.active < 0 ||
	    p.active > p.total || p.nonemb_active < 0)
		fuzz_fail("counts total %g, active %g, non-embedding active %g",
		          p.total, p.active, p.nonemb_active);
	if (!isfinite(f.training) || f.forward < 0 || f.attn_qkv < 0)
		fuzz_fail("FLOPs forward %g, training %g", f.forward, f.training);
}

static void check_failure(const struct mp_error *err, int located)
{
	if (err->msg[0] == '\0')
		fuzz_fail("a failed read without a message");
	if (located && (err->file[0] == '\0' || err->line < 1 || err->col < 1))
		fuzz_fail("'%s' without a position (%d:%d)", err->msg, err->line,
		          err->col);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	struct yamldoc y;
	struct arch a;
	struct mp_error err;
	char note[256];

	mp_error_clear(&err);
	if (yamldoc_load(&y, path, &err) == 0) {
		if (hf_config_read(&y, &a, note, sizeof note, &err) == 0)
			check_counts(&a);
		else
			check_failure(&err, 1);
		yamldoc_free(&y);
	}
	if (arch_file_load_noted(path, &a, note, sizeof note, &err) == 0)
		check_counts(&a);
	else
		check_failure(&err, 0);
	return 0;
}
