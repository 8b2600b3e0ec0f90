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

# The guest's arguments: --all, or the cases to run.
GUEST_CMD='
sel="$*"; [ "$sel" = --all ] && sel=$(opentrail list | awk "{ print \$1 }")
opentrail run --out /out "$@" >/out/run.stdout 2>/out/run.stderr; echo $? >/out/run.status
opentrail trace --out /out/trace -- cat /proc/version >/out/trace.stdout 2>&1; echo $? >/out/trace.status
# without --out: the log comes back with the results, reported again on the host
opentrail trace -- cat /proc/version >/out/rt.stdout 2>/out/rt.stderr; echo $? >/out/rt.status
opentrail trace --out /out/kids -- sh -c "for i in 1 2 3; do cat /proc/version; done" >/out/kids.stdout 2>&1; echo $? >/out/kids.status
opentrail trace --top-only --out /out/top -- sh -c "for i in 1 2 3; do cat /proc/version; done" >/out/top.stdout 2>&1; echo $? >/out/top.status
OPENTRAIL_BPF_ATTACH=kprobe opentrail run -v --out /out/kprobe case17_missing_file socket_inet_stream \
	>/out/kprobe.stdout 2>/out/kprobe.stderr; echo $? >/out/kprobe.status
opentrail run --backend kmod --out /out/kmod "$@" >/out/kmod.stdout 2>/out/kmod.stderr; echo $? >/out/kmod.status
# A permission error traced as another user, with the lines of the functions that decide it.
echo secret >/work/secret; chmod 600 /work/secret
opentrail trace --user 1000 --lines may_open,generic_permission --out /out/user -- cat /work/secret \
	>/out/user.stdout 2>&1; echo $? >/out/user.status
# Two runs of a case may see the kernel in different states (a prefix evicted by an
# earlier case): a case whose runs disagree is run once more with both backends.
for c in $sel; do
	opentrail compare --case $c /out/$c.log /out/kmod/$c.log >/dev/null 2>&1 && continue
	opentrail run --out /out $c >>/out/run.stdout 2>&1
	opentrail run --backend kmod --out /out/kmod $c >>/out/kmod.stdout 2>&1
	echo "$c" >>/out/reruns.txt
done
exit 0'

# check_case17_log LOG: the first do_filp_open allocates a dentry for the missing
# name and returns ERR_PTR(-ENOENT); the second finds that dentry by lookup.
check_case17_log()
{
	awk '
	/do_fil[pe]_open.entry/ { op++; if (op == 1) { n = $0; sub(/.*name="/, "", n); sub(/".*/, "", n); sub(/.*\//, "", n); missing = n } }
	op == 1 && /__d_alloc.entry/ && index($0, "name=\"" missing "\"") { alloc_named = 1 }
	op == 1 && /__d_alloc.ret/ { d = $0; sub(/.* ret=/, "", d); sub(/ .*/, "", d); dentry = d }
	op == 1 && /do_fil[pe]_open.ret/ && / ret=fffffffffffffffe/ { enoent1 = 1 }
	op == 2 && /__d_lookup_rcu.ret/ && index($0, "ret=" dentry) { found2 = 1 }
	op == 2 && /__d_alloc.entry/ { alloc2 = 1 }
	END {
		if (!alloc_named) print "no __d_alloc of \"" missing "\" in the first open"
		if (!enoent1) print "the first do_filp_open did not return fffffffffffffffe"
		if (!found2) print "the second open did not find dentry " dentry " by __d_lookup_rcu"
		if (alloc2) print "the second open allocated a dentry"
	}' "$1"
}

# lines_seq LOG: the source lines (file:line, from the line.facts) the last
# generic_permission call of LOG ran, in order: the same whichever backend saw them.
lines_seq()
{
	awk '/line.fact/ { id = $0; sub(/.* id=/, "", id); sub(/ .*/, "", id); at = $0; sub(/.* at="/, "", at); sub(/".*/, "", at); where[id] = at }
	/generic_permission.entry/ { n++ }
	/generic_permission.line/ { id = $0; sub(/.* id=/, "", id); sub(/ .*/, "", id); seq[n] = seq[n] " " where[id] }
	END { print seq[n] }' "$1"
}

# The sampled matrix (make check): the whole catalogue on FULL_KERNELS, one case of
# each family (tests/lib.sh) on the others; LAB_MATRIX=full: everything.
FULL_KERNELS="6.12"
FAMILIES=$LAB_FAMILY_CASES
full=
for k in $LAB_KERNELS; do
	case " $FULL_KERNELS " in *" $k "*) full="$full $k" ;; *) [ "$LAB_MATRIX" = full ] && full="$full $k" ;; esac
done
part=$(for k in $LAB_KERNELS; do case " $full " in *" $k "*) ;; *) printf ' %s' "$k" ;; esac; done)
# the long guests first, so that the short ones fill the other slot meanwhile
LAB_KERNELS="${full# }$part"
echo "lab matrix: cases, the whole catalogue with both backends, on${full:- no kernel}"
[ -z "$part" ] || echo "lab matrix: cases, one case per family ($(echo $FAMILIES | wc -w) of $($OT list | wc -l)) with both backends, on$part"

bpf_run_on()
{
	k=$1 out=$T_TMP/bpf-$1
	# The catalogue as the booted opentrail knows it, or the families' cases.
	cases=$($OT list | awk '{print $1}') sel=--all
	case " $full " in *" $k "*) ;; *) cases=$FAMILIES sel=$(echo $FAMILIES) ;; esac
	# The kernel's debug info and source first (Debian's -dbg and linux-source, once):
	# the lab hands its source index to the guest, where the cases that name lines
	# probe them. A kernel whose -dbg package is not served (5.10) runs without.
	ver=$($OT lab resolve --kernel "$k" 2>/dev/null)
	have_lines=0
	[ -n "$ver" ] && timeout 900 $OT debuginfo --quiet "$ver" >"$out.di" 2>&1 && have_lines=1
	t_begin "bpf_run_${k}_lab"
	# shellcheck disable=SC2086 # the case list, one word each
	$OT lab --kernel "$k" --timeout 1800 --out "$out" -- sh -c "$GUEST_CMD" guest $sel \
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

	# A long run says how far it is: one progress line per case on stderr, as it finishes.
	t_begin "bpf_run_${k}_progress"
	n=$(echo $cases | wc -w)
	got=$(grep -c "^opentrail: \[[0-9]*/$n\] [a-z_0-9]* (bpf): [a-z ]* in [0-9.]* s" "$out/run.stderr")
	[ "$got" = "$n" ] || t_fail "$got progress lines for $n cases: $(head -n 2 "$out/run.stderr")"
	grep -q "^opentrail: \[1/$n\] .*, about [0-9 mins]* left$" "$out/run.stderr" ||
		t_fail "the first progress line gives no estimate of what is left"
	t_end

	t_begin "bpf_run_${k}_case17_raw_log"
	why=$(check_case17_log "$out/case17_missing_file.log")
	[ -z "$why" ] || t_fail "$why"
	t_end

	[ ! -s "$out/reruns.txt" ] && true || echo "  $k: run again after the backends disagreed: $(tr '\n' ' ' <"$out/reruns.txt")"
	t_begin "bpf_run_${k}_trace"
	[ "$(cat "$out/trace.status" 2>/dev/null)" = 0 ] || t_fail "trace exited $(cat "$out/trace.status" 2>/dev/null): $(tail -n 3 "$out/trace.stdout")"
	# records name the function as this kernel does (do_file_open on 7.x)
	t_grep 'do_fil[pe]_open.entry .*name="/proc/version"' "$out/trace/trace.log"
	t_grep 'do_fil[pe]_open.ret .*dname="version"' "$out/trace/trace.log"
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

	# The lab's round trip: a trace without --out left its log in the results, named
	# with its host path, and the host wrote its reports beside it, with source lines
	# where the kernel's debug info is served.
	t_begin "bpf_run_${k}_trace_round_trip"
	[ "$(cat "$out/rt.status" 2>/dev/null)" = 0 ] || t_fail "trace exited $(cat "$out/rt.status" 2>/dev/null): $(tail -n 3 "$out/rt.stderr")"
	rt=$(ls "$out"/opentrail-trace-*.log 2>/dev/null | head -n 1)
	[ -s "$rt" ] || t_fail "no opentrail-trace-*.log came back in $out"
	grep -qF "on the host $(readlink -f "$out")/$(basename "$rt")" "$out/rt.stderr" ||
		t_fail "the message does not name the host path: $(cat "$out/rt.stderr")"
	[ -s "${rt%.log}.md" ] && [ -s "${rt%.log}.json" ] || t_fail "no report beside $rt on the host"
	if [ "$have_lines" = 1 ]; then
		grep -q 'fs/[a-z_]*\.c:[0-9]' "${rt%.log}.md" || t_fail "the host's report has no source lines"
	fi
	t_end

	# trace follows the processes the command starts (strace -f), unless --top-only.
	t_begin "bpf_run_${k}_trace_follows_children"
	[ "$(cat "$out/kids.status" 2>/dev/null)" = 0 ] || t_fail "trace exited $(cat "$out/kids.status" 2>/dev/null): $(tail -n 3 "$out/kids.stdout")"
	n=$(grep 'do_fil[pe]_open.entry .*name="/proc/version"' "$out/kids/trace.log" 2>/dev/null | grep -o ' pid=[0-9]*' | sort -u | wc -l)
	[ "$n" -ge 3 ] || t_fail "the three cats' opens come from $n processes, want 3"
	n=$(grep -c 'do_fil[pe]_open.entry .*name="/proc/version"' "$out/top/trace.log" 2>/dev/null)
	[ "$n" = 0 ] || t_fail "with --top-only $n of the children's opens were traced"
	t_end

	# Call sites: with the kernel's debug info (Debian's -dbg package, once per kernel),
	# every traced call of case17 resolves to file:line, and where lookup_open is
	# inlined it shows as its own level between path_openat and d_alloc_parallel.
	ver=$(sed -n 's/.* kernel="\([^"]*\)".*/\1/p' "$out/case17_missing_file.log" | head -n 1)
	if timeout 900 $OT debuginfo --no-source --quiet "$ver" >"$out.di" 2>&1; then
		t_begin "bpf_run_${k}_call_sites"
		mkdir -p "$out/src"
		$OT check --no-download --case case17_missing_file --format md,json --out "$out/src" \
			"$out/case17_missing_file.log" >/dev/null 2>&1
		j=$out/src/case17_missing_file.json
		with=$(sed -n 's/^    "calls_with_caller": \([0-9]*\).*/\1/p' "$j")
		res=$(sed -n 's/^    "resolved": \([0-9]*\).*/\1/p' "$j")
		[ -n "$with" ] && [ "$with" -gt 0 ] && [ "$res" = "$with" ] ||
			t_fail "call sites: $res of $with calls with a caller resolved"
		grep -q 'Reverse trace' "$out/src/case17_missing_file.md" || t_fail "no reverse trace"
		if grep -q 'skipped="[^"]*lookup_open:' "$out/case17_missing_file.log"; then
			grep -q 'lookup_open</i> \[inlined\]' "$out/src/case17_missing_file.md" ||
				t_fail "lookup_open is inlined here but the call tree does not show it"
		fi
		t_end
	else
		echo "  bpf_run_${k}_call_sites: no debug info for $ver ($(tail -n 1 "$out.di")): not checked"
	fi

	# Line probes (with the debug info): the lines of generic_permission that ran, the
	# line that decided EACCES, the same lines seen by both backends; without it, the
	# line claims are skipped, saying why.
	if [ "$have_lines" = 1 ]; then
		t_begin "bpf_run_${k}_lines"
		for b in "" kmod/; do
			j=$out/${b}perm_rdwr_denied.json
			grep -q '"origin": {"errno": "EACCES", "call": "generic_permission", .*"text": "return -EACCES;"' "$j" ||
				t_fail "${b:-bpf/}perm_rdwr_denied: no origin at 'return -EACCES;' ($(grep -o '"origin": {[^}]*}' "$j" | head -n 1))"
			for c in perm_rdwr_denied perm_rdwr_ok case17_missing_file; do
				grep -q '{"name": "\(ran\|not_ran\|origin\) .*"verdict": "\(fail\|skipped\|not evidenced\)"' "$out/$b$c.json" &&
					t_fail "${b:-bpf/}$c: a line claim did not pass: $(grep -o '{"name": "\(ran\|not_ran\|origin\) [^}]*' "$out/$b$c.json" | grep -v '"pass"' | head -n 1 | cut -c 1-300)"
			done
			grep -q 'line.fact .*refused=' "$out/${b}perm_rdwr_denied.log" &&
				echo "  $k ${b:-bpf/}: refused line probes: $(grep -c 'line.fact .*refused=' "$out/${b}perm_rdwr_denied.log")"
		done
		grep -q '### Lines that ran' "$out/case17_missing_file.md" || t_fail "case17: no lines that ran"
		# Both backends ran the same lines, in the same order, in the failing call.
		lines_seq "$out/perm_rdwr_denied.log" >"$out/lines-bpf.seq"
		lines_seq "$out/kmod/perm_rdwr_denied.log" >"$out/lines-kmod.seq"
		[ -s "$out/lines-bpf.seq" ] && cmp -s "$out/lines-bpf.seq" "$out/lines-kmod.seq" ||
			t_fail "the backends saw different lines: bpf [$(cut -c 1-200 "$out/lines-bpf.seq")] kmod [$(cut -c 1-200 "$out/lines-kmod.seq")]"
		grep -q 'Permission denied' "$out/user.stdout" ||
			t_fail "trace --user 1000: cat did not fail as uid 1000: $(tail -n 2 "$out/user.stdout")"
		grep -q '"origin": {"errno": "EACCES", "call": "[a-z_]*", .*"file": "fs/namei.c", "line": [0-9]*, "func": "generic_permission", .*"text": "return -EACCES;"' "$out/user/trace.json" ||
			t_fail "trace --user 1000 --lines: no EACCES origin line ($(grep -o '"origin": {[^}]*}' "$out/user/trace.json" | head -n 1))"
		t_end
	else
		t_begin "bpf_run_${k}_lines_skipped"
		grep -q 'run.fact .*lines_unavailable=' "$out/perm_rdwr_denied.log" ||
			t_fail "no debug info here, and the log does not say the lines were unavailable"
		grep -q '{"name": "ran .*"verdict": "skipped"' "$out/perm_rdwr_denied.json" ||
			t_fail "the line claims were not skipped"
		t_end
		echo "  $k: no debug info for $ver: line probes not run ($(tail -n 1 "$out.di" 2>/dev/null))"
	fi

	t_begin "bpf_run_${k}_kprobe_path"
	t_grep 'attach="[^"]*do_filp_open=kprobe:do_fil[pe]_open' "$out/kprobe/case17_missing_file.log"
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
