/*
 * test_syntax.c — law.c checks each expression's syntax before libmatheval
 * sees it (libmatheval leaks on a syntax error, echoes unknown characters
 * to stdout and overflows its stack on long chains).  That check must
 * accept exactly what libmatheval accepts: here every string of up to
 * four pieces from an alphabet of numbers, names, constants, functions,
 * operators, parentheses and blanks is given to both, and the verdicts
 * must agree.  libmatheval itself is the oracle (its syntax errors leak:
 * tests/lsan.supp and tests/valgrind.supp suppress exactly that), except
 * that text it accepts only by skipping an unknown character (which it
 * echoes to stdout) counts as refused.
 */
#include "config.h"

#include <fcntl.h>
#include <matheval.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/law.h"
#include "../unit/tap.h"

/* Under ASan: the slow unwinder, so that the leak suppression sees
 * yyparse in the stacks of libmatheval's leaks (it has no frame pointers).
 * ASan reads this hook at start-up; other builds ignore it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

static const char *const piece[] = {
	"N", "1", ".", "e", "E5", "-", "+", "*", "/", "^", "(", ")", " ",
	"exp", "pi_2",
};
#define PIECES (sizeof piece / sizeof piece[0])

static int quiet_fd = -1, stdout_fd = -1;

/* libmatheval's verdict.  Its scanner skips a character it does not know
 * (a '.' without digits) after echoing it to stdout: that counts as a
 * rejection (law.c refuses such text).  The echo goes to a scratch file. */
static int matheval_accepts(const char *text)
{
	char buf[64];
	void *ev;
	off_t echoed;

	snprintf(buf, sizeof buf, "%s", text);
	fflush(stdout);
	if (ftruncate(quiet_fd, 0) != 0 || lseek(quiet_fd, 0, SEEK_SET) != 0)
		return -1;
	dup2(quiet_fd, STDOUT_FILENO);
	ev = evaluator_create(buf);
	fflush(stdout);
	dup2(stdout_fd, STDOUT_FILENO);
	echoed = lseek(quiet_fd, 0, SEEK_END);
	if (ev == NULL)
		return 0;
	evaluator_destroy(ev);
	return echoed == 0;
}

/* law.c's verdict: a syntax error, or anything else (accepted). */
static int law_accepts(const char *text, char *msg, size_t size)
{
	struct mp_error err;
	struct law *L = law_new("t", "t", PATH_DENSE, COUNT_TOTAL);
	int rc;

	mp_error_clear(&err);
	law_add_coefficient(L, "E5", 1, &err);
	rc = law_set_expr(L, LAW_LOSS, text, &err);
	law_free(L);
	snprintf(msg, size, "%s", rc == 0 ? "" : err.msg);
	return rc == 0 || (strstr(err.msg, "cannot parse") == NULL &&
	                   strstr(err.msg, "empty expression") == NULL &&
	                   strstr(err.msg, "expression has") == NULL &&
	                   strstr(err.msg, "nested too deeply") == NULL);
}

int main(void)
{
	size_t idx[4], n, agree = 0, total = 0, mismatches = 0;
	char text[64], msg[600], what[800];

	char scratch[] = "/tmp/moeplan-echo-XXXXXX";

	quiet_fd = mkstemp(scratch);
	unlink(scratch);
	stdout_fd = dup(STDOUT_FILENO);
	if (quiet_fd < 0 || stdout_fd < 0)
		return 1;
	for (n = 1; n <= 4; n++) {
		size_t count = 1;

		for (size_t k = 0; k < n; k++)
			count *= PIECES;
		for (size_t c = 0; c < count; c++) {
			size_t r = c;
			int m, l;

			text[0] = '\0';
			for (size_t k = 0; k < n; k++) {
				idx[k] = r % PIECES;
				r /= PIECES;
				strcat(text, piece[idx[k]]);
			}
			m = matheval_accepts(text);
			l = law_accepts(text, msg, sizeof msg);
			total++;
			if (m == l || (m && strstr(msg, "literal out of range"))) {
				agree++;
				continue;
			}
			if (++mismatches <= 20) {
				snprintf(what, sizeof what, "\"%s\": libmatheval %s, law.c %s "
				         "(%s)", text, m ? "accepts" : "rejects",
				         l ? "accepts" : "rejects", msg);
				check(0, what);
			}
		}
	}
	snprintf(what, sizeof what, "law.c and libmatheval agree on %zu of %zu "
	         "expressions (literals out of range aside)", agree, total);
	check(agree == total, what);
	/* the deliberate differences: bounded depth and finite literals */
	check(!law_accepts("1e999", msg, sizeof msg) && matheval_accepts("1e999"),
	      "a literal out of range: refused by law.c only");
	check(law_accepts("log10 (N)", msg, sizeof msg),
	      "log10 with a blank before its '(' is accepted");
	close(quiet_fd);
	close(stdout_fd);
	return check_done();
}
