#!/bin/sh
# models-bad.sh — make check's entry for the malformed model files: runs
# the golden-case driver (tests/cli/run.sh) over tests/models-bad, whose
# cases are `laws check NAME.yaml`, exit status 1 and the one message in
# NAME.err, run in that directory (its WORKDIR) so the file names are short.
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=${top_srcdir:-$(cd "$here/../.." && pwd)}
export top_srcdir
exec sh "$here/run.sh" "$top_srcdir/tests/models-bad" "$@"
