#!/bin/sh
# The lab, end to end, on both kernels: boot, run a command as root that prints
# `uname -r`, attaches an fentry BPF program (which the host kernel refuses) and
# counts open() calls, writes a file to /out; check all three on the host. Then
# a second run: no download, no initramfs rebuild, and the command's stdout,
# stderr and exit status come through unchanged. Needs qemu and network once
# (the kernels are cached).
set -u
# shellcheck source=tests/lib.sh
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
LOADER=build/lab/open_count

# smoke_on SERIES: one boot of SERIES; checks version, BPF count, returned file.
smoke_on()
{
	k=$1 out=$T_TMP/smoke-$1
	t_begin "lab_smoke_$k"
	ver=$($OT lab resolve --kernel "$k" 2>"$out.resolve")
	[ -n "$ver" ] || t_fail "cannot resolve kernel $k: $(cat "$out.resolve")"
	# shellcheck disable=SC2016 # expanded by the guest's shell
	"$OT" lab --kernel "$k" --timeout 150 --add "$LOADER" --out "$out" -- \
		sh -c 'uname -r; open_count; printf "opentrail lab smoke on %s\n" "$(uname -r)" >/out/smoke.txt' \
		>"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "exited $st: $(tail -n 8 "$out.stderr")"
	[ "$(sed -n 1p "$out.stdout")" = "$ver" ] ||
		t_fail "guest uname -r '$(sed -n 1p "$out.stdout")' is not the resolved '$ver'"
	grep -q '^open_count: fentry/do_sys_openat2 attached, count=[1-9]' "$out.stdout" ||
		t_fail "the fentry program did not count opens: $(cat "$out.stdout")"
	want=$(printf 'opentrail lab smoke on %s\n' "$ver" | sha256sum | cut -d' ' -f1)
	got=$(sha256sum "$out/smoke.txt" 2>/dev/null | cut -d' ' -f1)
	[ "$got" = "$want" ] || t_fail "smoke.txt did not come back intact ($(cat "$out/smoke.txt" 2>&1))"
	[ -s "$out/console.log" ] || t_fail "no console.log"
	grep -q 'boot to first command: [0-9.]* s' "$out.stderr" || t_fail "no boot time reported"
	t_end
}

# rerun_is_cached: the same kernel again does no download and no rebuild, and
# passes stdout, stderr and the exit status through.
rerun_is_cached()
{
	out=$T_TMP/rerun
	t_begin lab_rerun_cached_passthrough
	"$OT" lab --kernel 6.12 --timeout 150 --add "$LOADER" --out "$out" -- \
		sh -c 'echo to-stdout; echo to-stderr >&2; exit 7' >"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 7 ] || t_fail "exited $st, expected the guest's 7: $(tail -n 5 "$out.stderr")"
	[ "$(cat "$out.stdout")" = to-stdout ] || t_fail "stdout was '$(cat "$out.stdout")'"
	grep -qx to-stderr "$out.stderr" || t_fail "the guest's stderr did not come through"
	! grep -q 'downloading\|building initramfs' "$out.stderr" ||
		t_fail "the second run downloaded or rebuilt: $(grep 'downloading\|building' "$out.stderr")"
	t_end
}

missing_tool_is_named()
{
	t_begin lab_missing_qemu_names_package
	OPENTRAIL_LAB_QEMU=qemu-system-absent t_expect_status 2 "$OT" lab -- true
	t_grep 'install the Debian package qemu-system-x86' "$T_TMP/t_err"
	t_expect_status 2 "$OT" lab --kernel 6.12
	t_end
}

# flavour_boots: a kernel of the same series in Debian's generic flavour (ext4, its
# journal and the crc32c they ask the crypto API for by name are modules there)
# boots, mounts its ext4 work disk and runs a command.
flavour_boots()
{
	out=$T_TMP/flavour
	t_begin lab_generic_flavour_boots
	cloud=$($OT lab resolve --kernel 6.12 2>"$out.resolve")
	ver=${cloud%-cloud-amd64}-amd64
	[ -n "$cloud" ] || t_fail "cannot resolve 6.12: $(cat "$out.resolve")"
	"$OT" lab --kernel "$ver" --timeout 300 --out "$out" -- \
		sh -c 'uname -r; grep " /work " /proc/mounts; lsmod | sed -n "s/^\(ext4\|jbd2\|crc32c[a-z_]*\) .*/module \1/p"' \
		>"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "$ver exited $st: $(tail -n 4 "$out.stderr")"
	[ "$(sed -n 1p "$out.stdout")" = "$ver" ] || t_fail "guest uname -r '$(sed -n 1p "$out.stdout")', want $ver"
	grep -q ' /work ext4 ' "$out.stdout" || t_fail "no ext4 at /work: $(cat "$out.stdout")"
	echo "  $ver: $(grep -c '^module' "$out.stdout") of its modules checked loaded: $(grep '^module' "$out.stdout" | tr '\n' ' ')"
	t_end
}

missing_tool_is_named
flavour_boots
lab_sample smoke 6.1 newest
lab_each smoke_on
rerun_is_cached
