#!/bin/sh
# Line probes in the kernel module, on one lab kernel (LINES_KMOD_KERNEL, 6.1 by
# default): one boot runs perm_rdwr_denied and perm_rdwr_ok (whose cases probe
# generic_permission's lines) with the module, and perm_rdwr_denied with BPF (its line
# program by attach cookie, then by address, as on kernels without cookies). On the
# host: the module's logs describe every point (line.fact), registered all the
# points it was given, recorded generic_permission.line hits whose ids are points
# of the plan, lost nothing and passed; and within the failing generic_permission
# call both backends (and both BPF line programs) ran the same lines in the same
# order (ids, not addresses).
# The guest needs the kernel's source index: taken from this machine's cache
# (`opentrail debuginfo VERSION` builds it); without it the suite is skipped.
set -u
# shellcheck source=tests/lib.sh
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
K=${LINES_KMOD_KERNEL:-6.1}

# The top-level verdict of an opentrail JSON report ("pass", "fail", "incomplete").
json_verdict() { sed -n 's/^  "verdict": "\([a-z ]*\)",*$/\1/p' "$1" | head -n 1; }

# fail_ids LOG: the ids of the generic_permission lines run in each call that
# returned -EACCES, one call a line. The hits are taken from the previous
# generic_permission return on (a probe on the first instruction may run before or
# after the entry record, by backend).
fail_ids()
{
	awk '
	/ generic_permission\.line / { id = $0; sub(/.* id=/, "", id); sub(/ .*/, "", id); ids = ids " " id; next }
	/ generic_permission\.ret / {
		r = $0; sub(/.* ret=/, "", r); sub(/ .*/, "", r)
		if (r == "fffffffffffffff3" || r == "00000000fffffff3") print substr(ids, 2)
		ids = ""
	}' "$1"
}

# check_kmod_log LOG CASE: line facts, hits of known points, nothing lost, a pass.
check_kmod_log()
{
	log=$1 c=$2
	[ -s "$log" ] || { t_fail "no log for $c"; return; }
	nfacts=$(grep -c ' line\.fact .* of="generic_permission"' "$log")
	[ "$nfacts" -gt 0 ] || t_fail "$c: no line.fact for generic_permission"
	nrefused=$(grep ' line\.fact ' "$log" | grep -c ' refused=')
	sent=$(sed -n 's/.* kmod\.fact .* lines=\([0-9]*\) lines_attached=\([0-9]*\)$/\1 \2/p' "$log")
	[ -n "$sent" ] || { t_fail "$c: the module did not say how many line probes it registered"; sent="? ?"; }
	given=${sent% *} registered=${sent#* }
	[ "$given" = "$registered" ] || t_fail "$c: the module registered $registered of $given line probes"
	[ "$registered" = $((nfacts - nrefused)) ] ||
		t_fail "$c: $registered registered, but $nfacts line facts of which $nrefused refused"
	grep -q 'generic_permission\.line pid=[0-9]* tid=[0-9]* comm="[^"]*" ts=[0-9]* id=[0-9]*$' "$log" ||
		t_fail "$c: no generic_permission.line hit"
	# Every hit is a point of the plan that was probed.
	bad=$(awk '
	/ line\.fact / { id = $0; sub(/.* id=/, "", id); sub(/ .*/, "", id); if ($0 !~ / refused=/) ok[id] = 1; next }
	/\.line / { id = $0; sub(/.* id=/, "", id); if (!(id in ok)) { print id; exit } }' "$log")
	[ -z "$bad" ] || t_fail "$c: a hit of id $bad, which no probed line.fact describes"
	grep -q 'kmod\.fact .* lines_nmissed=0$' "$log" ||
		t_fail "$c: the module missed line probe hits ($(grep -o 'lines_nmissed=[0-9]*' "$log"))"
	grep -q 'run\.fact .*kernel=".*lost=0' "$log" || t_fail "$c: lost records or no closing run.fact"
	v=$(json_verdict "${log%.log}.json")
	[ "$v" = pass ] || t_fail "$c: verdict '$v'"
}

lines_kmod_on()
{
	k=$1 out=$T_TMP/lines-$1
	ver=$($OT lab resolve --kernel "$k" 2>"$out.resolve")
	[ -n "$ver" ] || { t_begin "lines_kmod_${k}_lab"; t_fail "cannot resolve kernel $k: $(cat "$out.resolve")"; t_end; return; }
	cache=${OPENTRAIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opentrail}
	idx=$cache/debuginfo/$ver/srcindex
	if [ ! -s "$idx" ]; then
		echo "SKIP lines_kmod_$k: no source index of $ver at $idx (opentrail debuginfo $ver builds it)"
		return
	fi
	t_begin "lines_kmod_${k}_lab"
	# The lab hands the kernel's source index and source files to the guest itself.
	"$OT" lab --kernel "$k" --timeout 400 --out "$out" -- sh -c '
		opentrail run --backend kmod --out /out/kmod perm_rdwr_denied perm_rdwr_ok >/out/kmod.stdout 2>&1
		echo $? >/out/kmod.status
		opentrail run --out /out/bpf perm_rdwr_denied >/out/bpf.stdout 2>&1
		echo $? >/out/bpf.status
		OPENTRAIL_BPF_LINES=addr opentrail run --out /out/bpfaddr perm_rdwr_denied >/out/bpfaddr.stdout 2>&1
		echo $? >/out/bpfaddr.status' >"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "the lab exited $st: $(tail -n 5 "$out.stderr")"
	[ "$(cat "$out/kmod.status" 2>/dev/null)" = 0 ] ||
		t_fail "opentrail run --backend kmod: $(tail -n 3 "$out/kmod.stdout" 2>/dev/null)"
	[ "$(cat "$out/bpf.status" 2>/dev/null)" = 0 ] ||
		t_fail "opentrail run (bpf): $(tail -n 3 "$out/bpf.stdout" 2>/dev/null)"
	t_end

	for c in perm_rdwr_denied perm_rdwr_ok; do
		t_begin "lines_kmod_${k}_$c"
		check_kmod_log "$out/kmod/$c.log" "$c"
		t_end
	done

	t_begin "lines_kmod_${k}_same_lines_as_bpf"
	kids=$(fail_ids "$out/kmod/perm_rdwr_denied.log" | tail -n 1)
	bids=$(fail_ids "$out/bpf/perm_rdwr_denied.log" | tail -n 1)
	[ -n "$kids" ] || t_fail "no line hits in the module's failing generic_permission call"
	[ "$(echo "$kids" | wc -w)" -ge 3 ] || t_fail "only '$kids' ran in the failing call"
	[ "$kids" = "$bids" ] || t_fail "the failing call ran lines '$kids' (kmod) but '$bids' (bpf)"
	t_end

	# The line program of kernels without attach cookies (5.10), which tells the
	# points apart by the probed address: on this kernel, the same lines.
	t_begin "lines_kmod_${k}_bpf_by_address_same_lines"
	[ "$(cat "$out/bpfaddr.status" 2>/dev/null)" = 0 ] ||
		t_fail "OPENTRAIL_BPF_LINES=addr opentrail run: $(tail -n 3 "$out/bpfaddr.stdout" 2>/dev/null)"
	aids=$(fail_ids "$out/bpfaddr/perm_rdwr_denied.log" | tail -n 1)
	[ "$kids" = "$aids" ] || t_fail "the failing call ran lines '$kids' (kmod) but '$aids' (bpf by address)"
	t_end
}

echo "lab matrix: lines_kmod on $K"
lines_kmod_on "$K"
