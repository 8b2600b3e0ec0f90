#!/bin/sh
# A probed function that lives in a loadable module: on Debian's generic flavour
# of 6.12 ext4 is a module, so errno_enametoolong_component's ext4_lookup is
# `ext4_lookup [ext4]` in kallsyms. One boot runs the case with both backends; on
# the host: both pass, ext4_lookup was attached by kprobe as a function of module
# ext4, and its fields were read through the module's BTF (the case's
# `field ext4_lookup.entry:len` claim passes only if they were). The module for the
# generic kernel is built first when missing.
set -u
# shellcheck source=tests/lib.sh
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
C=errno_enametoolong_component

json_verdict() { sed -n 's/^  "verdict": "\([a-z ]*\)",*$/\1/p' "$1" | head -n 1; }

# The generic flavour of the cloud kernel `--kernel 6.12` resolves to.
generic_of_6_12()
{
	cloud=$($OT lab resolve --kernel 6.12 2>/dev/null) || return 1
	case $cloud in *-cloud-amd64) echo "${cloud%-cloud-amd64}-amd64" ;; *) return 1 ;; esac
}

# Builds build/kmod/VERSION/opentrail_kprobes.ko when it is not there.
module_for()
{
	[ -s "build/kmod/$1/opentrail_kprobes.ko" ] && return 0
	kdir=$($OT lab headers --kernel "$1") || return 1
	make --no-print-directory kmod KDIR="$kdir" >"$T_TMP/kmod-build.log" 2>&1
}

# check_backend B: the run of backend B passed and attached ext4_lookup in module ext4.
check_backend()
{
	b=$1 out=$T_TMP/modfn
	t_begin "module_function_${b}"
	[ "$(cat "$out/$b.status" 2>/dev/null)" = 0 ] ||
		t_fail "opentrail run --backend $b: $(tail -n 3 "$out/$b.stdout" 2>/dev/null)"
	v=$(json_verdict "$out/$b/$C.json")
	[ "$v" = pass ] || t_fail "verdict '$v'"
	grep -q "ext4_lookup *: kprobe/kretprobe on ext4_lookup" "$out/$b.stdout" ||
		t_fail "ext4_lookup not attached by kprobe: $(grep ext4_lookup "$out/$b.stdout" | head -n 2)"
	grep -q "(in module ext4: attached by kprobe)" "$out/$b.stdout" ||
		t_fail "ext4_lookup not resolved as a function of module ext4"
	grep -q 'ext4_lookup\.entry .* len=256' "$out/$b/$C.log" ||
		t_fail "no ext4_lookup entry with len=256 (the module's BTF not used?)"
	t_end
}

K=$(generic_of_6_12)
if [ -z "$K" ]; then
	t_begin module_function_lab
	t_fail "cannot resolve the generic flavour of 6.12"
	t_end
	exit
fi
echo "lab matrix: module_functions on $K"
t_begin module_function_lab
module_for "$K" || t_fail "cannot build the module for $K: $(tail -n 3 "$T_TMP/kmod-build.log" 2>/dev/null)"
# shellcheck disable=SC2016 # $b is the guest's
"$OT" lab --kernel "$K" --timeout 400 --out "$T_TMP/modfn" -- sh -c '
	for b in bpf kmod; do
		opentrail run -v --backend $b --out /out/$b '"$C"' >/out/$b.stdout 2>&1
		echo $? >/out/$b.status
	done' >"$T_TMP/modfn.stdout" 2>"$T_TMP/modfn.stderr"
st=$?
[ "$st" = 0 ] || t_fail "the lab exited $st: $(tail -n 5 "$T_TMP/modfn.stderr")"
t_end
check_backend bpf
check_backend kmod
