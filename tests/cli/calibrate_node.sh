#!/bin/sh
# calibrate_node.sh — a CPU profile from `moeplan calibrate --quick`
# describes one node: its cluster block has one device per node, the
# machine's memory (checked here against sysconf through getconf:
# _PHYS_PAGES x PAGE_SIZE, and /proc/meminfo's MemTotal where there is
# one), no links to other nodes, and the file says how the memory was
# read; the profile loads (cost on it), and since one device has no links
# a --layout pin on it is refused as on any profile without a cluster.
set -u
: "${MOEPLAN:?}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 failed=0
ok() { echo "ok: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $1"; failed=$((failed + 1)); }
export HOME="$tmp" XDG_DATA_HOME="$tmp/data"

if ! timeout 120 "$MOEPLAN" calibrate --backend cblas --quick \
	--output "$tmp/p.yaml" >/dev/null 2>"$tmp/err"; then
	bad "calibrate --quick failed: $(cat "$tmp/err")"
	echo "$pass passed, $failed failed"
	exit 1
fi
block=$(sed -n '/^cluster:/,/^[^ ]/p' "$tmp/p.yaml")
mem=$(echo "$block" | awk '$1 == "memory_bytes:" { print $2 }')
want=$(awk -v p="$(getconf _PHYS_PAGES)" -v s="$(getconf PAGE_SIZE)" \
	'BEGIN { printf "%.0f", p * s }')
if [ -n "$mem" ] && awk -v m="$mem" -v w="$want" 'BEGIN { exit !(m == w) }'; then
	ok "cluster.memory_bytes $mem is sysconf's _PHYS_PAGES x PAGE_SIZE"
else
	bad "cluster.memory_bytes '$mem', sysconf says $want"
fi
if [ -r /proc/meminfo ]; then
	kb=$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)
	awk -v m="$mem" -v k="$kb" 'BEGIN { d = m - k * 1024; if (d < 0) d = -d
		exit !(m > 0 && d <= 0.01 * k * 1024) }' &&
		ok "and within 1% of /proc/meminfo's MemTotal (${kb} kB)" ||
		bad "memory_bytes $mem is not /proc/meminfo's MemTotal ${kb} kB"
fi
echo "$block" | grep -q '^  devices_per_node: 1$' &&
	ok "one device per node" || bad "devices_per_node is not 1: $block"
echo "$block" | grep -q 'inter_node' && bad "an inter-node link: $block" ||
	ok "no inter-node link"
grep -q '^source: .*memory_bytes the machine.s memory read at calibration time' \
	"$tmp/p.yaml" && ok "the file says where the memory comes from" ||
	bad "the source does not say how memory_bytes was read"
"$MOEPLAN" cost --hardware "$tmp/p.yaml" --gemm 256,256,256 >/dev/null \
	2>"$tmp/err" && ok "the profile loads (cost on it)" ||
	bad "the profile does not load: $(cat "$tmp/err")"
"$MOEPLAN" plan --budget 1e18 --hardware "$tmp/p.yaml" --layout tp=1 \
	>/dev/null 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] && grep -q -- "--layout" "$tmp/err" &&
	ok "a layout pin on one linkless device is a usage error" ||
	bad "plan --layout on the CPU profile: exit $rc: $(cat "$tmp/err")"

echo "$pass passed, $failed failed"
[ "$failed" -eq 0 ]
