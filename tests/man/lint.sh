#!/bin/sh
# lint.sh — `mandoc -Tlint` on both man pages, style messages included,
# must say nothing.  The only messages let through are about the system's
# manual database (a page this one refers to, such as moeplan-models(5)
# before it is installed, or jq(1), is not in it), which no page can fix.
# Exit 77 (skipped) without mandoc.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}

if ! command -v mandoc >/dev/null 2>&1; then
	echo "SKIP: mandoc is not installed"
	exit 77
fi

fail=0
for page in man/moeplan.1 man/moeplan-models.5; do
	out=$(mandoc -Tlint -W style "$top_srcdir/$page" 2>&1 |
	      grep -v -e 'referenced manual not found' -e 'mandoc\.db')
	if [ -n "$out" ]; then
		echo "FAIL: $page"
		echo "$out"
		fail=1
	else
		echo "ok: $page is lint-clean"
	fi
done
exit $fail
