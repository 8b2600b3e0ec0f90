#!/bin/sh
# The lab on arm64: Debian's arm64 cloud kernels boot under qemu-system-aarch64
# with the guest protocol of amd64 (the command's stdout, stderr and exit status
# passed through on their own lines, ext4 at /work, the disk modules loaded, /out
# coming back with its checksums), and --arch is checked before anything starts.
# Then the catalogue on arm64 with both backends (catalogue_on).
# Needs qemu-system-arm, gcc-aarch64-linux-gnu and network once (the kernels, the
# arm64 libraries of the cross build and the debug info are cached).
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

json_verdict() { sed -n 's/^  "verdict": "\([a-z ]*\)",*$/\1/p' "$1" | head -n 1; }

# arm64_build VERSION: the cross build (make ARCH=arm64: opentrail, its triggers,
# its BPF object) brought up to date, and the module for VERSION built when it is
# missing or older than its source.
arm64_build()
{
	make --no-print-directory ARCH=arm64 all >>"$T_TMP/arm64-build.log" 2>&1 || return 1
	ko=build/arm64/kmod/$1/opentrail_kprobes.ko
	[ -n "$(find "$ko" -newer src/kmod/module/opentrail_kprobes.c 2>/dev/null)" ] &&
		[ -n "$(find "$ko" -newer src/probe/recipe.h)" ] && return 0
	kdir=$($OT lab headers --arch arm64 --kernel "$1" 2>>"$T_TMP/arm64-build.log") || return 1
	make --no-print-directory ARCH=arm64 kmod KDIR="$kdir" >>"$T_TMP/arm64-build.log" 2>&1
}

# catalogue_prepare SERIES: what catalogue_on needs, made before any guest boots
# (never while a guest's initramfs is taken from the build): the arm64 build, the
# module and the debug info of SERIES; a failure is kept for catalogue_on to say.
catalogue_prepare()
{
	k=$1 out=$T_TMP/arm64-cat-$1
	ver=$($OT lab resolve --arch arm64 --kernel "$k" 2>/dev/null)
	echo "$ver" >"$out.ver"
	: >"$out.why"
	arm64_build "$ver" || echo "cannot build for arm64 $ver: $(tail -n 3 "$T_TMP/arm64-build.log")" >>"$out.why"
	timeout 900 "$OT" debuginfo --quiet "$ver" >"$out.di" 2>&1 ||
		echo "no debug info for $ver: $(tail -n 2 "$out.di")" >>"$out.why"
}

# catalogue_on SERIES: one boot of arm64 SERIES runs the cases with both backends
# (the sample: one case per family; LAB_MATRIX=full: the whole catalogue), with
# the kernel's debug info, so that the cases' lines are probed. On the host:
# each case passed with each backend and lost nothing, and the two backends tell
# the same story (opentrail compare).
catalogue_on()
{
	k=$1 out=$T_TMP/arm64-cat-$1
	t_begin "lab_arm64_catalogue_${k}_lab"
	ver=$(cat "$out.ver")
	[ ! -s "$out.why" ] || t_fail "$(cat "$out.why")"
	cases=$LAB_FAMILY_CASES
	[ "$LAB_MATRIX" = full ] && cases=$($OT list | awk '{ print $1 }')
	start=$(date +%s)
	# shellcheck disable=SC2016,SC2086 # expanded by the guest's shell; the case list, one word each
	"$OT" lab --arch arm64 --kernel "$k" --timeout 3000 --out "$out" -- sh -c '
		for b in bpf kmod; do
			opentrail run --backend $b --out /out/$b "$@" >/out/$b.stdout 2>/out/$b.stderr
			echo $? >/out/$b.status
		done' guest $cases >"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "the lab exited $st: $(tail -n 5 "$out.stderr")"
	echo "  $ver: $(echo "$cases" | wc -w) cases, both backends, $(($(date +%s) - start)) s in the lab"
	t_end
	for c in $cases; do
		t_begin "lab_arm64_catalogue_${k}_$c"
		for b in bpf kmod; do
			v=$(json_verdict "$out/$b/$c.json" 2>/dev/null)
			[ "$v" = pass ] || t_fail "$b: verdict '$v' ($(grep -m 2 -E '\*\*FAIL\*\*|not evidenced\*\*|\| skipped' "$out/$b/$c.md" 2>/dev/null | cut -c 1-200))"
			grep -q 'run.fact .*kernel=".*lost=0' "$out/$b/$c.log" 2>/dev/null || t_fail "$b: lost records or no closing run.fact"
		done
		$OT compare --case "$c" "$out/bpf/$c.log" "$out/kmod/$c.log" >"$out/compare-$c.txt" 2>&1 ||
			t_fail "the backends disagree: $(head -n 3 "$out/compare-$c.txt")"
		t_end
	done
}

arch_is_checked
lab_sample arm64 6.12
lab_each arm64_on
echo "lab matrix: arm64 catalogue, $([ "$LAB_MATRIX" = full ] && echo the whole catalogue || echo one case per family) with both backends, on $LAB_KERNELS"
for k in $LAB_KERNELS; do catalogue_prepare "$k"; done
lab_each catalogue_on
