#!/bin/sh
# The probe spec against real kernels' BTF, offline: for every lab kernel in the
# cache (and this machine's own), `opentrail list --probes --btf` must find each
# argument at the position the kernel's prototype gives it, found here
# independently with bpftool, and pick the member names the kernel has.
# may_open(path, acc_mode, flag) on 5.10 has acc_mode second; idmap comes first
# from 5.12 on: reading it by position is what once made a report say acc_mode=32770.
set -u
. tests/lib.sh

# param_pos BTFDUMP FUNC PARAM: PARAM's position in FUNC's prototype, per bpftool.
param_pos()
{
	# Two passes: the prototype may come before the function in the dump.
	awk -v f="$2" -v p="$3" '
	NR == FNR { if ($2 == "FUNC" && $3 == "\047" f "\047") { sub(/type_id=/, "", $4); want = $4 } next }
	/^\[/ { id = $1; gsub(/[\[\]]/, "", id); inproto = (id == want); n = 0; next }
	inproto && /^\t\047/ { name = $1; gsub(/\047/, "", name); if (name == p) { print n; exit } n++ }
	' "$1" "$1"
}

# first_func BTFDUMP NAME...: the first NAME that is a function in the dump.
first_func()
{
	d=$1
	shift
	for f in "$@"; do
		grep -q "FUNC '$f' " "$d" && { echo "$f"; return; }
	done
}

check_btf()
{
	label=$1 btf=$2 dump=$T_TMP/btf-$1.txt out=$T_TMP/explain-$1.txt
	t_begin "probe_spec_btf_$label"
	if ! bpftool btf dump file "$btf" >"$dump" 2>/dev/null; then
		t_fail "bpftool cannot read $btf"
		t_end
		return
	fi
	$OT list --probes --btf "$btf" >"$out" 2>"$out.err" || t_fail "list --btf failed: $(cat "$out.err")"
	# Arguments by name: the position opentrail reads is the prototype's.
	for fp in may_open:acc_mode may_open:flag vfs_create:dentry vfs_create:mode \
		d_splice_alias:dentry d_splice_alias:inode inode_permission:mask; do
		f=${fp%%:*} p=${fp#*:}
		want=$(param_pos "$dump" "$f" "$p")
		[ -n "$want" ] || { t_fail "bpftool finds no parameter $p of $f"; continue; }
		got=$(awk -v f="$f" -v p="$p" '$1 == f { in_f = 1; next } /^[^ ]/ { in_f = 0 }
			in_f && $1 == "entry" && $2 == p { print $3; exit }' "$out")
		[ "$got" = "arg$want" ] || t_fail "$f.$p read from '$got', the prototype has it as arg$want"
	done
	# Roles by the name the kernel has: the open anchor is found on every kernel.
	real=$(first_func "$dump" do_filp_open do_file_open)
	[ -n "$real" ] || t_fail "neither do_filp_open nor do_file_open in BTF"
	if [ "$real" = do_filp_open ]; then
		t_grep '^do_filp_open  *[0-9]* parameters' "$out"
	else
		t_grep "^do_filp_open  *as $real" "$out"
	fi
	# Members by name: the dentry's inline name is d_iname or, from 6.14, d_shortname.
	member=d_iname
	grep -q "'d_shortname' type_id" "$dump" && member=d_shortname
	grep -q "inline_name .*->$member (address)" "$out" ||
		t_fail "__d_alloc's inline_name is not read from $member: $(grep inline_name "$out")"
	# Nothing the spec names is silently dropped: every absent field says why.
	! grep -q 'absent: $' "$out" || t_fail "an absent field without a reason"
	t_end
}

[ -r /sys/kernel/btf/vmlinux ] && check_btf host /sys/kernel/btf/vmlinux
for k in $LAB_KERNELS; do
	dir=$(lab/opentrail-lab fetch --kernel "$k" 2>/dev/null) || dir=
	f=
	for c in "$dir/vmlinux" "$dir/vmlinux.elf"; do [ -n "$dir" ] && [ -f "$c" ] && f=$c && break; done
	if [ -z "$f" ]; then
		echo "  probe_spec_btf_$k: kernel $k is not in the lab's cache: not checked"
		continue
	fi
	check_btf "$k" "$f"
done
