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

# kprobe_events: entry with the arguments opentrail reads at do_filp_open's entry
# (dfd, the path string, open_flag, acc_mode), and the return value.
kprobe_events() {
	echo >"$T/trace"
	if ! echo "p:otbench/dfo_entry $fn dfd=%di:s32 name=+0(+0(%si)):string open_flag=+0(%dx):x32 acc_mode=+8(%dx):x32" >"$T/kprobe_events" ||
		! echo "r:otbench/dfo_ret $fn ret=\$retval:x64" >>"$T/kprobe_events"; then
		echo "info kprobe_events refused the probe definitions"
		echo >"$T/kprobe_events"
		return
	fi
	echo 1 >"$T/events/otbench/enable"
	echo 1 >"$T/tracing_on"
	line=$(loop)
	echo 0 >"$T/events/otbench/enable"
	ev=$(grep -c 'dfo_' "$T/trace")
	echo >"$T/kprobe_events"
	result kprobe_events "$1" "$line" "events=$ev"
}

# function_graph on the subtree of do_filp_open: every function it calls.
function_graph() {
	echo >"$T/trace"
	if ! echo "$fn" >"$T/set_graph_function" || ! echo function_graph >"$T/current_tracer"; then
		echo "info function_graph unavailable"
		return
	fi
	echo 1 >"$T/tracing_on"
	line=$(loop)
	echo nop >"$T/current_tracer"
	echo >"$T/set_graph_function"
	result function_graph "$1" "$line"
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
