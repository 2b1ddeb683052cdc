/*
 * fuzz_runs_csv.c — fuzz target: the CSV reader of training runs
 * (io/runs_csv.c), which moeplan fit --data reads.  The input is a CSV
 * file.  A table that parses has every cell read as a number.
 *
 * Invariants: a failed parse says why (a non-empty message); a parsed
 * table has rows of the header's width, each cell at a line and column
 * of at least 1 and NUL-terminated; a cell read as a number is finite,
 * and one that is not a number says why at its own line and column; the
 * digest is 64 hex digits.
 */
#include "config.h"

#include "fuzz.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/runs_csv.h"

static void check_cells(const struct runs_csv *t)
{
	struct mp_error err;
	double v;

	for (size_t r = 0; r < t->n_rows; r++)
		for (size_t c = 0; c < t->n_cols; c++) {
			size_t k = r * t->n_cols + c;

			if (t->cell[k] == NULL || t->line[k] < 2 || t->col[k] < 1)
				fuzz_fail("cell %zu,%zu: no text or position", r, c);
			mp_error_clear(&err);
			if (runs_csv_number(t, r, c, &v, &err) == 0) {
				if (!isfinite(v))
					fuzz_fail("cell '%s' read as %g", t->cell[k], v);
			} else if (err.msg[0] == '\0' || err.line != t->line[k] ||
			           err.col != t->col[k]) {
				fuzz_fail("cell '%s': an error without its position",
				          t->cell[k]);
			}
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct runs_csv t;
	struct mp_error err;

	mp_error_clear(&err);
	if (runs_csv_parse((const char *)data, size, "fuzz.csv", &t, &err) != 0) {
		if (err.msg[0] == '\0')
			fuzz_fail("runs_csv_parse failed without a message");
		return 0;
	}
	if (t.n_cols == 0 || strlen(t.sha256) != 64)
		fuzz_fail("a table without columns or digest");
	for (size_t c = 0; c < t.n_cols; c++)
		if (runs_csv_column(&t, t.header[c]) == -1)
			fuzz_fail("header '%s' not found", t.header[c]);
	check_cells(&t);
	runs_csv_free(&t);
	return 0;
}
