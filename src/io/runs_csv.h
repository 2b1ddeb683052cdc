/*
 * runs_csv.h — reading a CSV file of training runs (moeplan fit --data).
 *
 * The format is RFC 4180's: a header row naming the columns, then one row
 * per run; fields separated by ',', rows by LF or CRLF; a field may be
 * quoted ("..."), with "" for a quote inside, and may then hold commas and
 * line breaks.  Blank lines are skipped.  Every row must have as many
 * fields as the header.  A file is at most RUNS_CSV_MAX_BYTES, with at
 * most RUNS_CSV_MAX_COLS columns; a NUL byte is refused.
 *
 * Cells are kept as text: a column is read as numbers only when a caller
 * asks (runs_csv_number), so that the text columns a file may carry
 * (Epoch's colours) cost nothing.  Each cell keeps its line and column in
 * the file for messages ("runs.csv:12:7: column 'loss': 'n/a' is not a
 * number").  The table owns every string; runs_csv_free releases them.
 */
#ifndef MP_RUNS_CSV_H
#define MP_RUNS_CSV_H

#include <stddef.h>

#include "core/error.h"
#include "core/sha256.h"

#define RUNS_CSV_MAX_BYTES (64L * 1024 * 1024)
#define RUNS_CSV_MAX_COLS 1024

struct runs_csv {
	char *file;                 /* the path as given, for messages */
	size_t n_cols, n_rows;
	char **header;              /* n_cols names */
	char **cell;                /* n_rows x n_cols, row major */
	int *line, *col;            /* each cell's 1-based line and column */
	char sha256[SHA256_HEX];    /* of the file's bytes, lower-case hex */
};

/* Read and parse path.  0, or -1 with err ("file:line:col: ...") and t
 * empty (runs_csv_free is harmless). */
int runs_csv_load(const char *path, struct runs_csv *t, struct mp_error *err);

/* Parse text (len bytes; need not be NUL-terminated) as the file name. */
int runs_csv_parse(const char *text, size_t len, const char *name,
                   struct runs_csv *t, struct mp_error *err);

void runs_csv_free(struct runs_csv *t);

/* The index of the column named header, -1 if none, -2 if several. */
int runs_csv_column(const struct runs_csv *t, const char *header);

/*
 * The cell (row, col) as a number: the whole field (blanks around it
 * allowed) read by strtod, finite.  0, or -1 with err at the cell naming
 * the column ("column 'loss': 'abc' is not a number").
 */
int runs_csv_number(const struct runs_csv *t, size_t row, size_t col,
                    double *out, struct mp_error *err);

#endif
