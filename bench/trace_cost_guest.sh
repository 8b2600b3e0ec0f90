#!/bin/sh
# The guest half of bench/trace_cost.sh: runs in the lab VM (busybox sh, tracefs
# mounted, /work on ext4). Measures one open()+close() of an existing file
# untraced, under the kernel's own tracers and under opentrail, ROUNDS times in
# turn (so that a slow moment of the host spreads over every configuration), and
# prints one "result" line per measurement for the host half to tabulate.
# Usage: trace_cost_guest.sh N ROUNDS [NAME=OPENTRAIL_BINARY...]
set -u
N=${1:-3000}
ROUNDS=${2:-3}
shift 2 2>/dev/null || shift $#
[ $# -gt 0 ] || set -- opentrail=opentrail
T=/sys/kernel/tracing
F=/work/trace_cost_file
W=200
PIPE=
echo x >"$F"

# The function opentrail calls do_filp_open, as this kernel names it.
fn=do_filp_open
grep -q ' do_filp_open$' /proc/kallsyms || ! grep -q ' do_file_open$' /proc/kallsyms || fn=do_file_open
echo "info kernel=$(uname -r) function=$fn n=$N rounds=$ROUNDS cpus=$(grep -c ^processor /proc/cpuinfo)"

# result CONFIG ROUND OPEN_LOOP_LINE [KEY=VALUE...]
result() {
	c=$1 r=$2 line=$3
	shift 3
	echo "result config=$c round=$r ${line#open_loop } $*"
}

loop() { open_loop -n "$N" -w "$W" "$F"; }

untraced() { result untraced "$1" "$(loop)"; }

# The kernel's tracers keep binary events in their buffer and format text only
# when it is read; opentrail's reader writes its text log during the run. With
# PIPE set, a reader formats the tracer's text into a file during the run
# too (`cat trace_pipe`, as a user following a trace live does), so that both
# sides pay for their text in the same wall time. What the buffer overwrote
# before the reader took it is given as "overrun".
pipe_start() {
	[ -n "$PIPE" ] || return 0
	cat "$T/trace_pipe" >/tmp/trace_cost_pipe &
	pipe_pid=$!
}
# pipe_stop: lets the reader drain the buffer, then stops it; sets "pipe_info".
pipe_stop() {
	pipe_info=
	[ -n "$PIPE" ] || return 0
	sleep 1
	kill "$pipe_pid" 2>/dev/null
	wait "$pipe_pid" 2>/dev/null
	over=$(grep -h '^overrun:' "$T"/per_cpu/cpu*/stats | awk '{ s += $2 } END { print s + 0 }')
	pipe_info="lines=$(wc -l </tmp/trace_cost_pipe) overrun=$over"
	rm -f /tmp/trace_cost_pipe
}

# kprobe_events: at do_filp_open's entry and return, the fields opentrail reads
# there, as `opentrail list --probes` gives them for this kernel's BTF (each
# field's kprobe_events fetch argument); "fetch=" says "ret_fields" when the return
# probe reads them too, "retval" when it could read only the return value.
fetchargs() { # fetchargs entry|ret: the role's fields of that half, " k=FETCH..."
	opentrail list --probes --btf /sys/kernel/btf/vmlinux 2>/dev/null | awk -v h="$1" '
		/^do_filp_open / { f = 1; next } /^[^ ]/ { f = 0 }
		f && $1 == h && /kprobe_events: / { s = $0; sub(/.*kprobe_events: /, "", s); sub(/]$/, "", s); printf " %s", s }'
}
kprobe_events() {
	echo >"$T/trace"
	efields=$(fetchargs entry) rfields=$(fetchargs ret) fetch=ret_fields
	[ -n "$rfields" ] || fetch=retval
	if ! echo "p:otbench/dfo_entry $fn$efields" >"$T/kprobe_events" ||
		! echo "r:otbench/dfo_ret $fn ret=\$retval:x64$rfields" >>"$T/kprobe_events"; then
		echo "info kprobe_events refused the probe definitions"
		echo >"$T/kprobe_events"
		return
	fi
	echo 1 >"$T/events/otbench/enable"
	echo 1 >"$T/tracing_on"
	pipe_start
	line=$(loop)
	echo 0 >"$T/events/otbench/enable"
	pipe_stop
	if [ -n "$PIPE" ]; then
		echo >"$T/kprobe_events"
		result kprobe_events+pipe "$1" "$line" "$pipe_info fetch=$fetch"
		return
	fi
	ev=$(grep -c 'dfo_' "$T/trace")
	echo >"$T/kprobe_events"
	result kprobe_events "$1" "$line" "events=$ev fetch=$fetch"
}

# function_graph on the subtree of do_filp_open: every function it calls.
function_graph() {
	echo >"$T/trace"
	if ! echo "$fn" >"$T/set_graph_function" || ! echo function_graph >"$T/current_tracer"; then
		echo "info function_graph unavailable"
		return
	fi
	echo 1 >"$T/tracing_on"
	pipe_start
	line=$(loop)
	echo 0 >"$T/tracing_on"
	pipe_stop # before the tracer changes: not while trace_pipe is open (EBUSY)
	echo nop >"$T/current_tracer"
	echo >"$T/set_graph_function"
	result "function_graph${PIPE:++pipe}" "$1" "$line" "$pipe_info"
}

# opentrail NAME BINARY ROUND CONFIG [-f FUNC]: the workload under `opentrail trace`.
# attach_ms: from just before opentrail starts to the workload's first instruction.
opentrail_run() {
	name=$1 bin=$2 r=$3 c=$4
	shift 4
	d=/tmp/tc.$name.$c.$r
	t0=$(open_loop --now)
	"$bin" trace -v "$@" --out "$d" -- open_loop -n "$N" -w "$W" "$F" >"$d.out" 2>"$d.err"
	st=$?
	line=$(grep '^open_loop ' "$d.out")
	start=${line#*start_ns=}
	start=${start%% *}
	sum=$(grep 'records, lost=' "$d.out")
	recs=${sum##*(}
	recs=${recs%% records*}
	lost=${sum##*lost=}
	lost=${lost%%[,)]*}
	fact_lost=$(grep 'run.fact' "$d/trace.log" | grep -o ' lost=[0-9]*' | tail -n 1)
	load=$(grep -o 'loaded in [0-9]* ms' "$d.err" | grep -o '[0-9]*')
	att=$(grep -o 'attached in [0-9]* ms' "$d.err" | grep -o '[0-9]*')
	result "$name:$c" "$r" "$line" "attach_ms=$(((start - t0) / 1000000))" \
		"records=$recs lost=$lost fact_lost=${fact_lost# lost=} load_ms=${load:-?} attach_only_ms=${att:-?} status=$st"
	rm -rf "$d" "$d.out" "$d.err"
}

r=1
while [ "$r" -le "$ROUNDS" ]; do
	untraced "$r"
	PIPE=
	kprobe_events "$r"
	function_graph "$r"
	PIPE=1
	kprobe_events "$r"
	function_graph "$r"
	for v in "$@"; do
		opentrail_run "${v%%=*}" "${v#*=}" "$r" one -f do_filp_open
		opentrail_run "${v%%=*}" "${v#*=}" "$r" default
	done
	r=$((r + 1))
done

# Lost records are never silent: a burst through a one-page ring buffer (where the
# build has the knob) must show in the summary, the run.fact line and the report.
for v in "$@"; do
	name=${v%%=*} bin=${v#*=}
	d=/tmp/tc.lost.$name
	OPENTRAIL_BPF_RINGBUF=4096 "$bin" trace --out "$d" -- open_loop -n "$N" -w 0 "$F" >"$d.out" 2>&1
	sum=$(grep 'records, lost=' "$d.out")
	fact=$(grep 'run.fact' "$d/trace.log" | grep -o ' lost=[0-9]*' | tail -n 1)
	warn=$(grep -c 'records were lost' "$d/trace.md")
	echo "lost name=$name ring=4096 summary=\"${sum#*: }\" fact_lost=${fact# lost=} report_warnings=$warn"
	rm -rf "$d" "$d.out"
done
