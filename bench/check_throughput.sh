#!/bin/sh
# Offline analysis speed: `opentrail check` on a synthetic log of N opens (each a
# do_filp_open with a nested __d_alloc), Markdown + JSON reports. Prints lines/s.
# Usage: bench/check_throughput.sh [N_OPENS]   (default 20000: 80000 lines)
set -eu
cd "$(dirname "$0")/.."
n=${1:-20000}
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
awk -v n="$n" 'BEGIN {
	for (i = 0; i < n; i++) {
		# names in page-sized getname buffers, dentries 192 bytes apart, as in real runs
		printf "[opentrail] do_filp_open.entry pid=9 tid=9 comm=\"b\" dfd=-100 name_ptr=ffff8880%08x name=\"/w/f%d\"\n", i * 4096 + 32, i
		printf "[opentrail] __d_alloc.entry pid=9 tid=9 comm=\"b\" name_ptr=ffff8880%08x len=4 name=\"f%d\"\n", i * 4096 + 35, i
		printf "[opentrail] __d_alloc.ret pid=9 tid=9 comm=\"b\" ret=ffff8881%08x inode=0000000000000000\n", i * 192
		printf "[opentrail] do_filp_open.ret pid=9 tid=9 comm=\"b\" ret=fffffffffffffffe\n"
	}
}' >"$d/big.log"
lines=$(wc -l <"$d/big.log")
start=$(date +%s.%N)
build/opentrail check --format md,json --out "$d" "$d/big.log" >/dev/null || true
end=$(date +%s.%N)
awk -v l="$lines" -v s="$start" -v e="$end" 'BEGIN {
	printf "check: %d lines in %.2f s = %.0f lines/s\n", l, e - s, l / (e - s) }'
