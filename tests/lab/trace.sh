#!/bin/sh
# `opentrail trace` live on every lab kernel, one boot each: the in-kernel filters
# (--path keeps the /etc open and not the /proc one; --errors-only keeps the
# failing open and not the succeeding one; what they left out is counted in the
# run.fact and the report), and a `trace -p` that SIGINT ends: the log marked
# detached (not interrupted), a whole report that passes (the calls the attach or
# the detach cut are in flight, not unpaired) and exit status 0, not 130 -- or, where
# the kernel skipped probe runs, a report that says so and cannot pass; and twenty
# opens blocked at once, whose returns a kretprobe may miss: counted, never a pass;
# and the kernel's kprobe_events, given the fetch arguments `list --probes` prints,
# reads the same name and dentry name opentrail reads.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }

cat >"$T_TMP/trace_guest" <<'GUEST'
#!/bin/sh
wait_for() { # wait_for SECONDS CMD...: poll CMD every 0.2 s
	n=$(($1 * 5)); shift
	while [ $n -gt 0 ]; do "$@" && return 0; usleep 200000; n=$((n - 1)); done
	return 1
}
opentrail trace --path '/etc/*' --out /out/path -- sh -c 'cat /etc/hostname; cat /proc/version' \
	>/out/path.stdout 2>/out/path.stderr; echo $? >/out/path.status
opentrail trace --errors-only --out /out/err -- sh -c 'cat /proc/version; cat /nonexistent' \
	>/out/err.stdout 2>/out/err.stderr; echo $? >/out/err.status
sh -c 'while :; do cat /proc/version >/dev/null; usleep 100000; done' &
loop=$!
# -v says how each function is probed once the probes are attached
opentrail trace -v -p $loop --out /out/pid >/out/pid.stdout 2>/out/pid.stderr &
p=$!
wait_for 120 grep -q 'do_sys_openat2' /out/pid.stderr || echo "not attached in time" >>/out/pid.stderr
sleep 2
kill -INT $p
wait $p
echo $? >/out/pid.status
kill $loop
# Twenty opens blocked at once (a FIFO with no writer yet): more calls in progress
# than a kretprobe has instances (maxactive, 10 on one CPU), so a kprobe run misses
# returns; fexit misses none.
mkfifo /tmp/ot_fifo
opentrail trace --out /out/fifo -- sh -c 'i=0; while [ $i -lt 20 ]; do cat /tmp/ot_fifo >/dev/null & i=$((i + 1)); done; sleep 8; echo x >/tmp/ot_fifo; wait' \
	>/out/fifo.stdout 2>/out/fifo.stderr
echo $? >/out/fifo.status
# The kernel's own tracer, given the fetch arguments `list --probes` prints for this
# kernel's BTF, must read what opentrail reads: do_filp_open's name and dentry.
T=/sys/kernel/tracing
opentrail list --probes --btf /sys/kernel/btf/vmlinux >/out/explain.txt 2>&1
fn=$(awk '/^do_filp_open / { n = $2 == "as" ? $3 : $1; sub(/,$/, "", n); print n }' /out/explain.txt)
half() { awk -v h="$1" '/^do_filp_open / { f = 1; next } /^[^ ]/ { f = 0 }
	f && $1 == h && /kprobe_events: / { s = $0; sub(/.*kprobe_events: /, "", s); sub(/]$/, "", s); printf " %s", s }' /out/explain.txt; }
echo x >/tmp/ot_kev_file
echo >$T/trace
if echo "p:otchk/e $fn$(half entry)" >$T/kprobe_events && echo "r:otchk/r $fn$(half ret)" >>$T/kprobe_events; then
	echo 1 >$T/events/otchk/enable
	echo 1 >$T/tracing_on
	cat /tmp/ot_kev_file >/dev/null
	echo 0 >$T/events/otchk/enable
	grep -E ' (e|r): ' $T/trace >/out/kev.txt
else
	echo "refused: $(tail -n 3 $T/error_log)" >/out/kev.txt
fi
echo >$T/kprobe_events
dmesg | grep -E 'Oops|BUG:|WARNING:|general protection' | head -n 20 >/out/kernel_bad.txt
exit 0
GUEST

json_verdict() { sed -n 's/^  "verdict": "\([a-z ]*\)",*$/\1/p' "$1" | head -n 1; }
check_eq() { [ "$(cat "$1" 2>/dev/null)" = "$2" ] || t_fail "$3: $(cat "$1" 2>/dev/null || echo missing), want $2"; }
OPEN='do_sys_openat2.entry'

# pass_unless_missed K RUN WHAT: the run in $out/RUN passes and exited 0 -- unless
# the kernel skipped probe runs (missed=): then its report says so, it does not
# pass and it exited 1.
pass_unless_missed()
{
	L=$out/$2/trace.log
	v=$($OT check --format json "$L" 2>/dev/null | json_verdict -)
	missed=$(grep -o ' missed=[0-9]*' "$L" | tail -n 1)
	if [ -n "$missed" ]; then
		echo "  $1: $3:$missed probe runs skipped by the kernel: verdict $v"
		[ "$v" != pass ] || t_fail "verdict pass although the kernel skipped$missed probe runs"
		t_grep 'the kernel skipped [0-9]* probe runs' "$out/$2/trace.md"
		check_eq "$out/$2.status" 1 "$3 (probe runs skipped) exited"
	else
		[ "$v" = pass ] || t_fail "verdict '$v', want pass: $(grep -o '[0-9]* of [0-9]* calls unpaired[^|]*' "$out/$2/trace.md" | head -n 1)"
		check_eq "$out/$2.status" 0 "$3 exited"
	fi
}

trace_on()
{
	k=$1 out=$T_TMP/trace-$1
	$OT lab --kernel "$k" --timeout 900 --add "$T_TMP/trace_guest" --out "$out" -- \
		sh /opentrail/add/trace_guest >"$out.stdout" 2>"$out.stderr"
	st=$?

	t_begin "trace_${k}_path_filter"
	[ "$st" = 0 ] || t_fail "lab exited $st: $(tail -n 5 "$out.stderr")"
	check_eq "$out/path.status" 0 "trace --path exited ($(tail -n 2 "$out/path.stderr" 2>/dev/null))"
	L=$out/path/trace.log
	t_grep "$OPEN .*path=\"/etc/hostname\"" "$L"
	grep -q "path=\"/proc/version\"" "$L" 2>/dev/null && t_fail "the /proc/version open was recorded"
	grep -q 'name="/proc/version"' "$L" 2>/dev/null && t_fail "calls of the /proc/version open were recorded"
	t_grep 'run.fact .*filter_path="/etc/\*"' "$L"
	n=$(sed -n 's/.* filtered_out=\([0-9]*\).*/\1/p' "$L" 2>/dev/null)
	[ "${n:-0}" -ge 1 ] || t_fail "filtered_out=${n:-none}, want >= 1 (the /proc and loader opens)"
	t_grep 'Filters (in the kernel) | only operations whose path matches `/etc/\*`' "$out/path/trace.md"
	t_end

	t_begin "trace_${k}_errors_only"
	check_eq "$out/err.status" 0 "trace --errors-only exited ($(tail -n 2 "$out/err.stderr" 2>/dev/null))"
	L=$out/err/trace.log
	t_grep "$OPEN .*path=\"/nonexistent\"" "$L"
	# -ENOENT as a long, or as an int where the prototype returns int (7.x)
	t_grep 'do_sys_openat2.ret .*ret=\(ffffffff\|00000000\)fffffffe' "$L"
	grep -q 'path="/proc/version"' "$L" 2>/dev/null && t_fail "the succeeding /proc/version open was recorded"
	t_grep 'run.fact .*filter_errors_only=1' "$L"
	n=$(sed -n 's/.* filtered_out=\([0-9]*\).*/\1/p' "$L" 2>/dev/null)
	[ "${n:-0}" -ge 1 ] || t_fail "filtered_out=${n:-none}, want >= 1"
	t_end

	t_begin "trace_${k}_pid_sigint_is_a_whole_trace"
	L=$out/pid/trace.log
	t_grep 'run.fact .*detached="SIGINT"' "$L"
	grep -q 'interrupted=' "$L" 2>/dev/null && t_fail "the log is marked interrupted"
	t_grep "$OPEN .*path=\"/proc/version\"" "$L"
	t_grep 'Ended | detached by SIGINT' "$out/pid/trace.md"
	t_grep 'run.fact .*process="running"' "$L"
	# Every function starts and stops recording at once, and the calls the attach or the
	# detach cut are in flight: nothing is unpaired, so the trace passes and exits 0 --
	# unless the kernel skipped probe runs (a preemptible kernel skips the calls made on a
	# CPU while a task sits preempted in the same program): then it cannot pass, says
	# why, and exits 1.
	pass_unless_missed "$k" pid "trace -p after SIGINT"
	t_end

	# Returns a kretprobe missed are counted (missed=) and the run cannot pass; where
	# none was missed every blocked open is paired and the run passes. Never a pass
	# with returns missing.
	t_begin "trace_${k}_blocked_opens_never_a_false_pass"
	L=$out/fifo/trace.log
	n=$(grep -c "$OPEN .*path=\"/tmp/ot_fifo\"" "$L" 2>/dev/null)
	[ "${n:-0}" -ge 21 ] || t_fail "${n:-0} opens of the FIFO recorded, want 21 (20 cats, the writer)"
	pass_unless_missed "$k" fifo "trace of the blocked opens"
	t_end

	t_begin "trace_${k}_kprobe_events_reads_what_opentrail_reads"
	t_grep ' e: .* name="/tmp/ot_kev_file"' "$out/kev.txt"
	t_grep ' r: .* dname="ot_kev_file"' "$out/kev.txt"
	t_end

	t_begin "trace_${k}_kernel_clean"
	[ -f "$out/kernel_bad.txt" ] || t_fail "no kernel log check came back"
	[ -s "$out/kernel_bad.txt" ] && t_fail "kernel: $(head -n 3 "$out/kernel_bad.txt")"
	t_end
}

lab_sample trace 6.1 newest
lab_each trace_on
