#!/bin/sh
# The BPF backend live, on every lab kernel: one boot each runs every case
# (`opentrail run --all`), a `trace` of an ordinary command, and two cases again
# with kprobes forced (the kretprobe pairing path). On the host: every case left
# its log and reports, lost nothing, passed, and `opentrail check` on the raw log
# gives the run's verdict again. case17's raw log is also read directly, so the
# backend is checked even where the claims are wrong.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }

# The top-level verdict of an opentrail JSON report ("pass", "fail", "incomplete").
json_verdict() { sed -n 's/^  "verdict": "\([a-z ]*\)",*$/\1/p' "$1" | head -n 1; }

GUEST_CMD='
opentrail run --all --out /out >/out/run.stdout 2>/out/run.stderr; echo $? >/out/run.status
opentrail trace --out /out/trace -- cat /proc/version >/out/trace.stdout 2>&1; echo $? >/out/trace.status
OPENTRAIL_BPF_ATTACH=kprobe opentrail run -v --out /out/kprobe case17_missing_file socket_inet_stream \
	>/out/kprobe.stdout 2>/out/kprobe.stderr; echo $? >/out/kprobe.status
opentrail run --backend kmod --all --out /out/kmod >/out/kmod.stdout 2>/out/kmod.stderr; echo $? >/out/kmod.status
exit 0'

# check_case17_log LOG: the first do_filp_open allocates a dentry for the missing
# name and returns ERR_PTR(-ENOENT); the second finds that dentry by lookup.
check_case17_log()
{
	awk '
	/do_filp_open.entry/ { op++; if (op == 1) { n = $0; sub(/.*name="/, "", n); sub(/".*/, "", n); sub(/.*\//, "", n); missing = n } }
	op == 1 && /__d_alloc.entry/ && index($0, "name=\"" missing "\"") { alloc_named = 1 }
	op == 1 && /__d_alloc.ret/ { d = $0; sub(/.* ret=/, "", d); sub(/ .*/, "", d); dentry = d }
	op == 1 && /do_filp_open.ret/ && / ret=fffffffffffffffe/ { enoent1 = 1 }
	op == 2 && /__d_lookup_rcu.ret/ && index($0, "ret=" dentry) { found2 = 1 }
	op == 2 && /__d_alloc.entry/ { alloc2 = 1 }
	END {
		if (!alloc_named) print "no __d_alloc of \"" missing "\" in the first open"
		if (!enoent1) print "the first do_filp_open did not return fffffffffffffffe"
		if (!found2) print "the second open did not find dentry " dentry " by __d_lookup_rcu"
		if (alloc2) print "the second open allocated a dentry"
	}' "$1"
}

bpf_run_on()
{
	k=$1 out=$T_TMP/bpf-$1
	# The catalogue as the booted opentrail knows it.
	cases=$($OT list | awk '{print $1}')
	t_begin "bpf_run_${k}_lab"
	$OT lab --kernel "$k" --timeout 1200 --out "$out" -- sh -c "$GUEST_CMD" \
		>"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "the lab exited $st: $(tail -n 5 "$out.stderr")"
	[ -s "$out/run.status" ] || t_fail "opentrail run did not finish"
	t_end
	[ -s "$out/run.status" ] || return

	for c in $cases; do
		t_begin "bpf_run_${k}_$c"
		log=$out/$c.log
		if [ ! -s "$log" ] || [ ! -s "$out/$c.json" ] || [ ! -s "$out/$c.md" ]; then
			t_fail "missing log or report for $c"
			t_end
			continue
		fi
		grep -q 'run.fact .*kernel=".*lost=0' "$log" || t_fail "lost records or no closing run.fact"
		v=$(json_verdict "$out/$c.json")
		[ "$v" = pass ] || t_fail "verdict '$v' ($(grep -m 3 -E '\*\*FAIL\*\*|not evidenced\*\*|\| skipped' "$out/$c.md" | cut -c 1-200))"
		mkdir -p "$out/recheck"
		$OT check --case "$c" --format json --out "$out/recheck" "$log" >/dev/null 2>&1
		v2=$(json_verdict "$out/recheck/$c.json")
		[ "$v2" = "$v" ] || t_fail "opentrail check on the host says '$v2', the run said '$v'"
		t_end
	done

	t_begin "bpf_run_${k}_case17_raw_log"
	why=$(check_case17_log "$out/case17_missing_file.log")
	[ -z "$why" ] || t_fail "$why"
	t_end

	t_begin "bpf_run_${k}_trace"
	[ "$(cat "$out/trace.status" 2>/dev/null)" = 0 ] || t_fail "trace exited $(cat "$out/trace.status" 2>/dev/null): $(tail -n 3 "$out/trace.stdout")"
	t_grep 'do_filp_open.entry .*name="/proc/version"' "$out/trace/trace.log"
	t_grep 'do_filp_open.ret .*dname="version"' "$out/trace/trace.log"
	[ -s "$out/trace/trace.md" ] || t_fail "no trace report"
	t_end

	# The kernel-module backend on every case, and the cross-check: both backends
	# must tell the same story (opentrail compare), whatever the addresses.
	for c in $cases; do
		t_begin "kmod_run_${k}_$c"
		v=$(json_verdict "$out/kmod/$c.json")
		[ "$v" = pass ] || t_fail "kmod verdict '$v' ($(grep -m 3 -E '\*\*FAIL\*\*|not evidenced\*\*|\| skipped' "$out/kmod/$c.md" 2>/dev/null | cut -c 1-200))"
		grep -q 'kmod.fact run_id="[^"]*" event="unload" nmissed=' "$out/kmod/$c.log" 2>/dev/null ||
			t_fail "no unload report (nmissed) in the kmod log"
		$OT compare --case "$c" "$out/$c.log" "$out/kmod/$c.log" >"$out/compare-$c.txt" 2>&1 ||
			t_fail "bpf and kmod disagree: $(grep -v '^  not compared' "$out/compare-$c.txt" | head -n 3)"
		t_end
	done

	t_begin "bpf_run_${k}_kprobe_path"
	t_grep 'attach="[^"]*do_filp_open=kprobe:do_filp_open' "$out/kprobe/case17_missing_file.log"
	for c in case17_missing_file socket_inet_stream; do
		v=$(json_verdict "$out/kprobe/$c.json")
		[ "$v" = pass ] || t_fail "$c with kprobes: verdict '$v'"
	done
	# inet_create's return reads the socket saved at its entry (kretprobe pairing).
	t_grep 'inet_create.ret .* sock=[0-9a-f]\{16\} sk=[0-9a-f]\{16\}' "$out/kprobe/socket_inet_stream.log"
	why=$(check_case17_log "$out/kprobe/case17_missing_file.log")
	[ -z "$why" ] || t_fail "kprobes: $why"
	t_end
}

lab_each bpf_run_on
