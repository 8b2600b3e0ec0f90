#!/bin/sh
# The arm64 cross build: `make ARCH=arm64` builds, in build/arm64/, a static
# aarch64 opentrail, every trigger and the benchmark's workload static for
# aarch64 too, and the BPF object. Skipped (a SKIP line) when the cross compiler,
# its C library or the arm64 libraries' sysroot (scripts/arm64-sysroot.sh, run by
# the first `make ARCH=arm64`) are not on this machine: the test downloads nothing.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
CACHE=${OPENTRAIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opentrail}
B=build/arm64

# Why the cross build cannot run here, or nothing.
missing()
{
	command -v aarch64-linux-gnu-gcc >/dev/null || { echo "no aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu)"; return; }
	[ -f /usr/aarch64-linux-gnu/include/stdio.h ] || { echo "no arm64 C library headers (libc6-dev-arm64-cross)"; return; }
	[ -f "$CACHE/sysroot-arm64/.versions" ] || echo "no arm64 sysroot in $CACHE (make ARCH=arm64 sysroot)"
}

# Whether `file` says FILE is a statically linked aarch64 executable.
static_aarch64()
{
	file -L "$1" >"$T_TMP/file.out"
	grep -q 'ARM aarch64' "$T_TMP/file.out" && grep -q 'statically linked' "$T_TMP/file.out"
}

why=$(missing)
if [ -n "$why" ]; then
	echo "SKIP cross_arm64_build ($why)"
	exit 0
fi

t_begin cross_arm64_build
if ! make --no-print-directory ARCH=arm64 -j2 >"$T_TMP/cross.log" 2>&1; then
	tail -20 "$T_TMP/cross.log" >&2
	t_fail "make ARCH=arm64 failed"
fi
for p in "$B/opentrail" "$B/bench/open_loop"; do
	static_aarch64 "$p" || t_fail "$p: not a static aarch64 executable: $(cat "$T_TMP/file.out")"
done
n=0
for src in src/triggers/*.c; do
	case $src in src/triggers/trigger.c | src/triggers/loopmount.c) continue ;; esac
	t=$B/triggers/$(basename "$src" .c)
	static_aarch64 "$t" || t_fail "$t: not a static aarch64 executable: $(cat "$T_TMP/file.out")"
	n=$((n + 1))
done
[ "$n" -gt 0 ] || t_fail "no trigger sources found"
file "$B/bpf/opentrail.bpf.o" | grep -q 'eBPF' || t_fail "$B/bpf/opentrail.bpf.o is no BPF object"
t_end
