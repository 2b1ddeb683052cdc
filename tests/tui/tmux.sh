#!/bin/sh
# tmux.sh — the real program driven in a tmux pane, end to end: the plan
# on screen, the budget stepped, the unit switched, the help opened and
# closed, the plan exported (JSON and YAML), the window shrunk below 80x24
# and grown back, a burst of resizes, q; then SIGTERM and Ctrl-C: each way out gives the
# terminal back (its modes as before, the screen restored).
#
# Every wait polls capture-pane until the text shows or a deadline passes
# (no fixed sleeps).  Skips (77) only when tmux is not installed.
set -u
: "${MOEPLAN:?}"
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed"; exit 77; }

unset TMUX               # run inside a tmux session too: ours is separate
tmp=$(mktemp -d "${TMPDIR:-/tmp}/moeplan-tmux.XXXXXX") || exit 1
sock=$tmp/sock
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
t() { tmux -S "$sock" -f "$tmp/tmux.conf" "$@"; }
cleanup() { t kill-server >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
WAIT=${TUI_WAIT:-20}     # seconds any one screen may take (valgrind: more)

printf 'set -g status off\n' >"$tmp/tmux.conf"
mkdir "$tmp/xdg"         # no calibrated profiles of this machine

# The program runs under a small shell that, when it ends, prints its exit
# status and whether the terminal's modes (stty -g) are as before, then
# waits: the pane and its last screen stay to be read.
cat >"$tmp/run.sh" <<'EOS'
trap : INT
before=$(stty -g)
"$@"
rc=$?
after=$(stty -g)
[ "$before" = "$after" ] && tty=same || tty=changed
echo "moeplan exited $rc, terminal modes $tty"
exec sleep 600
EOS

screen() { t capture-pane -p -t "$1" 2>/dev/null; }
# wait_for PANE TEXT: poll until TEXT is on the screen (1 if it never is)
wait_for() {
	end=$(( $(date +%s) + WAIT ))
	while :; do
		screen "$1" >"$tmp/screen"
		grep -qF -- "$2" "$tmp/screen" && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1 2>/dev/null || sleep 1
	done
}
# wait_re PANE REGEX: poll until a line of the screen matches REGEX
wait_re() {
	end=$(( $(date +%s) + WAIT ))
	while :; do
		screen "$1" >"$tmp/screen"
		grep -q -- "$2" "$tmp/screen" && return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1 2>/dev/null || sleep 1
	done
}
# wait_gone PANE TEXT: poll until TEXT has left the screen
wait_gone() {
	end=$(( $(date +%s) + WAIT ))
	while :; do
		screen "$1" >"$tmp/screen"
		grep -qF -- "$2" "$tmp/screen" || return 0
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.1 2>/dev/null || sleep 1
	done
}
start() {  # start SESSION [ENV=VALUE...] ARGS...: the program in a new
	s=$1    # 100x30 session; ARGS "-" for bare moeplan, else tui ARGS
	shift
	envs=
	while [ $# -gt 0 ] && case $1 in *=*) true ;; *) false ;; esac; do
		envs="$envs $1"
		shift
	done
	if [ "${1:-}" = - ]; then
		shift
		set -- "$MOEPLAN"
	else
		set -- "$MOEPLAN" tui "$@"
	fi
	# shellcheck disable=SC2086
	t new-session -d -s "$s" -x 100 -y 30 \
		env LC_ALL=C.UTF-8 TERM=xterm-256color XDG_DATA_HOME="$tmp/xdg" \
		MOEPLAN_DATADIR="${MOEPLAN_DATADIR:-}" $envs \
		sh "$tmp/run.sh" "$@"
}
# colours SESSION: the screen's colour escapes (foreground, 8 or 256)
colours() {
	t capture-pane -e -p -t "$1" | grep -c "$(printf '\033')\[\(3[0-7]\|38;5;[0-9]*\)m"
}
# ended SESSION STATUS: the program ended with STATUS, the terminal restored
ended() {
	if wait_for "$1" "moeplan exited"; then
		grep -qF "moeplan exited $2," "$tmp/screen" && ok "$1: exit status $2" ||
			bad "$1: $(grep -F 'moeplan exited' "$tmp/screen")"
		grep -qF "terminal modes same" "$tmp/screen" &&
			ok "$1: the terminal's modes are restored" ||
			bad "$1: the terminal's modes changed"
		grep -qF "Loss vs budget" "$tmp/screen" &&
			bad "$1: the TUI is still on the screen" ||
			ok "$1: the screen is given back"
	else
		bad "$1: the program did not end:"; cat "$tmp/screen"
	fi
}

# ---- a session through everything --------------------------------------------
start main --budget 1e22 --hardware h100-sxm --devices 8 || {
	bad "tmux cannot start a session"; exit 1; }
if wait_for main "best:"; then
	ok "the plan is on the screen"
else
	bad "no plan on the screen:"; cat "$tmp/screen"
fi
grep -q 'Budget  *1\.0e22 FLOPs' "$tmp/screen" && ok "the budget field shows 1.0e22 FLOPs" ||
	bad "the budget field does not show 1.0e22 FLOPs"
for w in Inputs Results "Loss vs budget" "h100-sxm (datasheet)"; do
	grep -qF "$w" "$tmp/screen" && ok "the screen shows '$w'" ||
		bad "the screen lacks '$w'"
done

# + steps the budget by sqrt(10): 1e22 x 3.1623 = 3.2e22 to two digits
t send-keys -t main +
wait_for main "3.2e22 FLOPs" && ok "+ steps the budget to 3.2e22" ||
	{ bad "+ did not step the budget to 3.2e22:"; cat "$tmp/screen"; }
t send-keys -t main -- -
wait_for main "Budget   1.0e22 FLOPs" && ok "- steps it back to 1.0e22" ||
	bad "- did not step the budget back"

# Enter edits the budget in place; a bad value is refused with a message
t send-keys -t main Enter
wait_for main "Budget: 1e+22" && ok "Enter opens the budget for editing" ||
	{ bad "Enter did not open the budget:"; cat "$tmp/screen"; }
t send-keys -t main C-u
t send-keys -t main -l 3e21
t send-keys -t main Enter
wait_for main "Budget   3.0e21 FLOPs" && ok "a budget typed in is planned" ||
	{ bad "the typed budget was not taken:"; cat "$tmp/screen"; }
t send-keys -t main Enter C-u
t send-keys -t main -l lots
t send-keys -t main Enter
if wait_for main "'lots' is not a number" &&
	tail -n 1 "$tmp/screen" | grep -q "^Budget: .*'lots' is not a number"; then
	ok "a bad budget is refused on the status line"
else
	bad "no message for a bad budget:"; cat "$tmp/screen"
fi
grep -q "Budget   3.0e21 FLOPs" "$tmp/screen" && ok "and the budget stays as it was" ||
	bad "the bad budget changed the field"

# Tab goes round the panes: the details take the results' place at 100 wide
t send-keys -t main Tab Tab Tab
wait_for main "Details: " && ok "Tab reaches the details pane" ||
	bad "Tab did not reach the details pane"
# on a cluster the run comes first; the itemised FLOPs are a page down
grep -qF "Cluster, 8 devices" "$tmp/screen" &&
	ok "the details open with the run on the cluster" ||
	bad "no cluster run in the details"
t send-keys -t main NPage
wait_for main "FLOPs per token, forward" &&
	ok "the details itemise the FLOPs" || bad "no itemised FLOPs in the details"
t send-keys -t main Home
t send-keys -t main Tab
wait_for main "Results " && ok "Tab again: back to the inputs, results shown" ||
	bad "Tab did not come back round"

# u: the budget's unit becomes device-hours, and the plan is re-solved
t send-keys -t main u
if wait_for main "Unit     device-hours"; then
	ok "u switches the unit to device-hours"
else
	bad "u did not switch the unit:"; cat "$tmp/screen"
fi
grep -q 'Budget  *[0-9.]*[kMG]* h ' "$tmp/screen" &&
	ok "the budget is shown in hours" || bad "the budget is not in hours"
grep -qF "Loss vs budget (device-hours)" "$tmp/screen" &&
	ok "the chart is in device-hours" || bad "the chart's unit did not follow"

# ? opens the help, any key closes it
t send-keys -t main '?'
wait_for main "any key closes this" && ok "? opens the help" ||
	bad "? did not open the help"
for k in "Tab, Shift-Tab" "Enter" "export the plan" "quit"; do
	grep -qF "$k" "$tmp/screen" && ok "the help lists '$k'" ||
		bad "the help lacks '$k'"
done
t send-keys -t main x
wait_gone main "any key closes this" && ok "a key closes the help" ||
	bad "the help did not close"

# e: export in the format the name ends in: JSON, YAML, CSV
best=$(sed -n 's/.*best: \([a-z]*\) (loss.*/\1/p' "$tmp/screen" | head -n 1)
for f in plan.json plan.yaml plan.csv; do
	t send-keys -t main e
	wait_for main "Export to:" || bad "e did not open the export line"
	t send-keys -t main C-u
	t send-keys -t main -l "$tmp/$f"
	t send-keys -t main Enter
	if wait_for main "wrote $tmp/$f"; then
		ok "e wrote $f"
	else
		bad "e did not write $f:"; cat "$tmp/screen"
	fi
done
if [ -s "$tmp/plan.json" ] && grep -q "\"best\": \"$best\"" "$tmp/plan.json"; then
	ok "plan.json names the winner the screen shows ($best)"
else
	bad "plan.json does not name '$best' as best"
fi
grep -q '"budget_unit": "hours"' "$tmp/plan.json" &&
	ok "plan.json has the budget in hours" || bad "plan.json: budget_unit is not hours"
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/plan.json" &&
		ok "plan.json is valid JSON" || bad "plan.json is not valid JSON"
fi
grep -q "^best: $best\$" "$tmp/plan.yaml" && ok "plan.yaml names the same winner" ||
	bad "plan.yaml does not name '$best' as best"
# the CSV's best column (5th) is 1 on the winner's row, whose path is 2nd
csv_best=$(awk -F, 'NR > 1 && $5 == 1 { print $2 }' "$tmp/plan.csv")
[ "$csv_best" = "$best" ] && ok "plan.csv marks the same winner" ||
	bad "plan.csv marks '$csv_best' as best, not '$best'"
left=$(ls -A "$tmp" | grep -v -e '^plan\.json$' -e '^plan\.yaml$' -e '^plan\.csv$' \
	-e '^sock$' -e '^tmux\.conf$' -e '^screen$' -e '^xdg$' -e '^run\.sh$' || true)
[ -z "$left" ] && ok "no temporary file left beside the exports" ||
	bad "files left beside the exports: $left"

# resize below 80x24 and back
t resize-window -t main -x 70 -y 20
wait_for main "Terminal too small" && ok "at 70x20 it says the terminal is too small" ||
	{ bad "no 'too small' message at 70x20:"; cat "$tmp/screen"; }
grep -qF "70x20" "$tmp/screen" && ok "the message gives the size" ||
	bad "the message does not give the size"
t resize-window -t main -x 100 -y 30
wait_for main "best:" && ok "at 100x30 the plan is back" ||
	bad "the plan did not come back after growing the window"

# a burst of resizes, as fast as tmux sends them (each a SIGWINCH), through
# sizes too small, tiny, odd and large; then it still answers keys
for s in 60x15 200x60 81x25 1x1 79x24 150x40 20x5 120x35 80x24 300x90 \
         10x40 90x8 133x27 70x20 100x30 2x2 180x50 85x26 40x12 100x30; do
	t resize-window -t main -x "${s%x*}" -y "${s#*x}" 2>/dev/null
done
if wait_for main "best:" && wait_re main 'Budget  *[0-9.]*[kMG]* h '; then
	ok "after a burst of 20 resizes the plan is drawn at 100x30"
else
	bad "after a burst of resizes the plan is not on the screen:"; cat "$tmp/screen"
fi
t send-keys -t main '?'
wait_for main "any key closes this" && ok "and it still answers keys" ||
	bad "no answer to keys after the resizes"
t send-keys -t main x
wait_gone main "any key closes this" || bad "the help did not close"

# q quits with status 0 and gives the terminal back
t send-keys -t main q
ended main 0

# ---- bare moeplan on a terminal; colours, and NO_COLOR ------------------------
start bare -
wait_for bare "best:" && ok "bare moeplan on a terminal opens the planner" ||
	{ bad "bare moeplan did not open the planner:"; cat "$tmp/screen"; }
n=$(colours bare)
[ "$n" -gt 0 ] && ok "in colour on a colour terminal ($n coloured runs)" ||
	bad "no colours on a colour terminal"
t send-keys -t bare q
ended bare 0
start nocolor NO_COLOR=1 --budget 1e21
wait_for nocolor "best:" || bad "NO_COLOR: no plan on the screen"
n=$(colours nocolor)
[ "$n" = 0 ] && ok "NO_COLOR=1: no colours" || bad "NO_COLOR=1: $n coloured runs"
t send-keys -t nocolor q
ended nocolor 0

# ---- a locale that is not UTF-8: ASCII only -----------------------------------
start ascii LC_ALL=C --budget 1e21
if wait_for ascii "- Inputs ---"; then
	ok "LC_ALL=C: the rules are ASCII"
else
	bad "LC_ALL=C: no ASCII screen:"; cat "$tmp/screen"
fi
LC_ALL=C grep -q "$(printf '[\200-\377]')" "$tmp/screen" &&
	bad "LC_ALL=C: bytes that are not ASCII on the screen" ||
	ok "LC_ALL=C: nothing but ASCII on the screen"
t send-keys -t ascii q
ended ascii 0

# ---- signals give the terminal back -------------------------------------------
# SIGTERM to the program; Ctrl-C typed (SIGINT): it restores the terminal
# and dies of the signal (128 + 15, 128 + 2)
for sig in TERM INT; do
	start "sig$sig" || bad "tmux cannot start a session"
	wait_for "sig$sig" "best:" || bad "SIG$sig: no plan on the screen"
	if [ "$sig" = INT ]; then
		t send-keys -t "sig$sig" C-c
		ended "sigINT" 130
	else
		shell=$(t display -p -t "sig$sig" '#{pane_pid}')
		pid=$(ps -o pid= --ppid "$shell" | tr -d ' ')
		[ -n "$pid" ] && kill -TERM "$pid"
		ended "sigTERM" 143
	fi
done

exit $fail
