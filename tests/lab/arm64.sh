#!/bin/sh
# The lab on arm64: Debian's arm64 cloud kernels boot under qemu-system-aarch64
# with the guest protocol of amd64 (the command's stdout, stderr and exit status
# passed through on their own lines, ext4 at /work, the disk modules loaded, /out
# coming back with its checksums), and --arch is checked before anything starts.
# Needs qemu-system-arm and network once (the kernels are cached).
set -u
# shellcheck source=tests/lib.sh
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }

# arch_is_checked: a wrong --arch, or a kernel of the other architecture, is a
# usage error (exit 2) before any download or boot.
arch_is_checked()
{
	t_begin lab_arm64_arch_checked
	t_expect_status 2 "$OT" lab --arch sparc -- true
	t_grep "wants one of: amd64 arm64" "$T_TMP/t_err"
	t_expect_status 2 "$OT" lab --arch arm64 --kernel 6.12.1-cloud-amd64 -- true
	t_grep "is an amd64 kernel, not arm64" "$T_TMP/t_err"
	t_end
}

# arm64_on SERIES: one boot of SERIES for arm64.
arm64_on()
{
	k=$1 out=$T_TMP/arm64-$1
	t_begin "lab_arm64_$k"
	ver=$($OT lab resolve --arch arm64 --kernel "$k" 2>"$out.resolve")
	case $ver in *-arm64) ;; *) t_fail "cannot resolve arm64 $k: '$ver' $(cat "$out.resolve")" ;; esac
	# shellcheck disable=SC2016 # expanded by the guest's shell
	"$OT" lab --arch arm64 --kernel "$k" --timeout 240 --out "$out" -- \
		sh -c 'uname -rm; grep " /work " /proc/mounts; lsmod | grep -q "^virtio_blk " && echo module virtio_blk
			echo to-stderr >&2; uname -r >/out/arm64.txt; exit 7' \
		>"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 7 ] || t_fail "exited $st, expected the guest's 7: $(tail -n 6 "$out.stderr")"
	[ "$(sed -n 1p "$out.stdout")" = "$ver aarch64" ] ||
		t_fail "guest uname -rm '$(sed -n 1p "$out.stdout")', want '$ver aarch64'"
	grep -q ' /work ext4 ' "$out.stdout" || t_fail "no ext4 at /work: $(cat "$out.stdout")"
	grep -qx 'module virtio_blk' "$out.stdout" || t_fail "virtio_blk was not loaded from the kernel's modules"
	grep -qx to-stderr "$out.stderr" || t_fail "the guest's stderr did not come through"
	! grep -q to-stderr "$out.stdout" || t_fail "the guest's stderr came out on stdout"
	[ "$(cat "$out/arm64.txt" 2>/dev/null)" = "$ver" ] || t_fail "arm64.txt did not come back intact"
	grep -q '^OPENTRAIL-LAB-READY' "$out/console.log" 2>/dev/null || t_fail "no console.log from ttyAMA0"
	echo "  $ver: $(grep -o 'boot to first command: [0-9.]* s' "$out.stderr" | sed -n 1p)"
	t_end
}

arch_is_checked
lab_sample arm64 6.12
lab_each arm64_on
