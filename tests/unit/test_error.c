/*
 * test_error.c — error values (src/core/error.c): what setting, clearing,
 * prefixing and locating do to the message, the position and the subject
 * (what / what_name).
 */
#include "config.h"

#include <string.h>

#include "core/error.h"
#include "tap.h"

static void test_subject(void)
{
	struct mp_error e;

	mp_error_clear(&e);
	check(e.what == MP_WHAT_NONE && e.what_name[0] == '\0',
	      "a cleared error has no subject");
	check(mp_error_set(&e, "derived '%s' is bad", "Na") == -1 &&
	      mp_error_what(&e, MP_WHAT_DERIVED, "Na") == -1,
	      "mp_error_set and mp_error_what return -1");
	check(e.what == MP_WHAT_DERIVED, "subject set");
	check_str(e.what_name, "Na", "subject name set");
	check(mp_error_is_about(&e, MP_WHAT_DERIVED, "Na"), "is about derived Na");
	check(mp_error_is_about(&e, MP_WHAT_DERIVED, NULL), "is about a derived");
	check(!mp_error_is_about(&e, MP_WHAT_DERIVED, "N"), "not about derived N");
	check(!mp_error_is_about(&e, MP_WHAT_DERIVED, "Na2"),
	      "not about derived Na2");
	check(!mp_error_is_about(&e, MP_WHAT_VARIABLE, "Na"),
	      "not about a variable Na");

	mp_error_prefix(&e, "law '%s'", "moe");
	check_str(e.msg, "law 'moe': derived 'Na' is bad", "prefix: message");
	check(mp_error_is_about(&e, MP_WHAT_DERIVED, "Na"), "prefix keeps it");
	mp_error_locate(&e, "f.yaml", 3, 4);
	check(mp_error_is_about(&e, MP_WHAT_DERIVED, "Na") && e.line == 3,
	      "locate keeps it");

	mp_error_set(&e, "something else");
	check(e.what == MP_WHAT_NONE && e.what_name[0] == '\0',
	      "a new message resets the subject");
	check(e.line == 3, "mp_error_set leaves the position");
	mp_error_what(&e, MP_WHAT_LOSS, NULL);
	check(mp_error_is_about(&e, MP_WHAT_LOSS, NULL) &&
	      e.what_name[0] == '\0', "a subject without a name");
	mp_error_at(&e, "g.yaml", 1, 2, "again");
	check(e.what == MP_WHAT_NONE, "mp_error_at resets the subject");
	mp_error_what(&e, MP_WHAT_SHAPE_KEY, "top_k");
	mp_error_clear(&e);
	check(e.what == MP_WHAT_NONE && e.what_name[0] == '\0' &&
	      e.msg[0] == '\0' && e.line == 0, "clear resets all");
}

/* A name longer than what_name holds: cut, and matched on what was kept. */
static void test_long_name(void)
{
	char a[2000], b[2000];
	struct mp_error e;
	size_t kept = sizeof e.what_name - 1;

	/* two names that differ only at byte 200 are told apart */
	memset(a, 'x', 300);
	a[300] = '\0';
	memcpy(b, a, sizeof b);
	b[200] = 'y';
	mp_error_clear(&e);
	mp_error_set(&e, "long");
	mp_error_what(&e, MP_WHAT_VARIABLE, a);
	check(mp_error_is_about(&e, MP_WHAT_VARIABLE, a), "300-byte name matches");
	check(!mp_error_is_about(&e, MP_WHAT_VARIABLE, b),
	      "one differing at byte 200 does not");
	check(!mp_error_is_about(&e, MP_WHAT_VARIABLE, "xxx"),
	      "a short prefix of it does not");

	/* longer than what_name holds */
	memset(a, 'x', 1500);
	a[1500] = '\0';
	memcpy(b, a, sizeof b);
	b[10] = 'y';
	mp_error_what(&e, MP_WHAT_VARIABLE, a);
	check(strlen(e.what_name) == kept && kept < 1500, "a 1500-byte name is "
	      "cut to what what_name holds");
	check(mp_error_is_about(&e, MP_WHAT_VARIABLE, a), "and still matches");
	check(!mp_error_is_about(&e, MP_WHAT_VARIABLE, b),
	      "one differing in the kept part does not");
}

int main(void)
{
	test_subject();
	test_long_name();
	return check_done();
}
