#!/bin/sh
# In the lab guest: every case with the BPF backend into /out/bpf, then with the
# kernel module into /out/kmod, and the two runs of each case compared
# (opentrail compare). The kernel's own state can differ between two runs (a
# path prefix evicted from the dcache by an earlier case's drop_caches, say): a
# case whose two runs tell different stories is run once more with both
# backends and compared again, its first runs kept in /out/first/. Each such
# case is listed in /out/reruns.txt. Exit 0 when every final run passed.
set -u
out=${1:-/out}
# run_all BACKEND: the catalogue; its progress lines (one per case as it finishes)
# also to stderr, which the lab streams to the host's terminal; stdout in BACKEND.txt,
# stderr in BACKEND.err.
run_all()
{
	opentrail run --all --backend "$1" --out "$out/$1" 2>&1 >"$out/$1.txt" |
		while IFS= read -r l; do
			case $l in 'opentrail: ['[0-9]*) echo "$l" >&2 ;; esac
			echo "$l" >>"$out/$1.err"
		done
}
run_all bpf
run_all kmod
: >"$out/reruns.txt"
for c in $(opentrail list | awk '{ print $1 }'); do
	opentrail compare --case "$c" "$out/bpf/$c.log" "$out/kmod/$c.log" >/dev/null 2>&1 && continue
	mkdir -p "$out/first/bpf" "$out/first/kmod"
	for b in bpf kmod; do
		for f in "$out/$b/$c".*; do [ -e "$f" ] && mv "$f" "$out/first/$b/"; done
		opentrail run --backend "$b" --out "$out/$b" "$c" >>"$out/$b.txt" 2>&1
	done
	if opentrail compare --case "$c" "$out/bpf/$c.log" "$out/kmod/$c.log" >/dev/null 2>&1; then
		echo "$c: the runs differed, the second runs agree" >>"$out/reruns.txt"
	else
		echo "$c: the runs differed twice" >>"$out/reruns.txt"
	fi
done
st=0
for b in bpf kmod; do
	for j in "$out/$b"/*.json; do
		grep -q '^  "verdict": "pass"' "$j" || { echo "$b $(basename "$j" .json): not a pass"; st=1; }
	done
done
exit $st
