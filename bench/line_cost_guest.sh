#!/bin/sh
# The guest half of bench/line_cost.sh: runs in the lab VM (busybox sh, tracefs
# mounted, /work on ext4, the kernel's source index handed in by the lab). What one
# hit of a line probe costs: N open()+close() of an existing file, each of which runs
# FUNC (generic_permission by default), untraced; under `opentrail trace -f ROOT`
# (the call probes alone); under `opentrail trace -f ROOT --lines FUNC` (the same plus
# one probe per source line of FUNC); and under kprobe_events with one probe at each
# of the same addresses (taken from the line.facts opentrail wrote). ROUNDS rounds,
# the configurations in turn; one "result" line per measurement.
# Usage: line_cost_guest.sh N ROUNDS [FUNC]
set -u
N=${1:-2000}
ROUNDS=${2:-3}
FUNC=${3:-generic_permission}
T=/sys/kernel/tracing
F=/work/line_cost_file
W=200
ROOT=do_sys_openat2
echo x >"$F"
echo "info kernel=$(uname -r) function=$FUNC root=$ROOT n=$N rounds=$ROUNDS cpus=$(grep -c ^processor /proc/cpuinfo)"

result() { # result CONFIG ROUND OPEN_LOOP_LINE [KEY=VALUE...]
	c=$1 r=$2 line=$3
	shift 3
	echo "result config=$c round=$r ${line#open_loop } $*"
}
loop() { open_loop -n "$N" -w "$W" "$F"; }

# opentrail_run ROUND CONFIG [ARGS...]: the workload under `opentrail trace ARGS`;
# hits= the line records, points= the line probes attached, attach_ms= from the
# attach message (-v).
opentrail_run() {
	r=$1 c=$2
	shift 2
	d=/tmp/lc.$c.$r
	opentrail trace -v "$@" --out "$d" -- open_loop -n "$N" -w "$W" "$F" >"$d.out" 2>"$d.err"
	st=$?
	line=$(grep '^open_loop ' "$d.out")
	hits=$(grep -c '\.line ' "$d/trace.log")
	recs=$(grep -cE '\.(entry|ret) ' "$d/trace.log")
	lost=$(grep 'run.fact' "$d/trace.log" | grep -o ' lost=[0-9]*' | tail -n 1)
	att=$(sed -n 's/.*bpf: \([0-9]*\) of \([0-9]*\) line probes attached in \([0-9]*\) ms.*/points=\1 planned=\2 lines_attach_ms=\3/p' "$d.err")
	result "$c" "$r" "$line" "hits=$hits records=$recs lost=${lost# lost=} status=$st $att"
	# the addresses, for kprobe_events (first round only)
	[ "$c" = lines ] && [ ! -s /tmp/lc.points ] &&
		sed -n 's/.*line.fact .* probe="\([^"]*\)".*/\1/p' "$d/trace.log" | grep -v refused >/tmp/lc.points
	rm -rf "$d" "$d.out" "$d.err"
}

# kprobe_events ROUND: one probe per address of the line set, no fetch arguments
# (a line probe records which line ran, nothing else).
kprobe_events() {
	[ -s /tmp/lc.points ] || { echo "info no line points to place"; return; }
	echo >"$T/trace"
	i=0 refused=0
	while read -r p; do
		echo "p:otline/l$i $p" >>"$T/kprobe_events" 2>/dev/null || refused=$((refused + 1))
		i=$((i + 1))
	done </tmp/lc.points
	echo 1 >"$T/events/otline/enable"
	echo 1 >"$T/tracing_on"
	line=$(loop)
	echo 0 >"$T/events/otline/enable"
	ev=$(grep -c ': l[0-9]*:' "$T/trace")
	over=$(grep -h '^overrun:' "$T"/per_cpu/cpu*/stats | awk '{ s += $2 } END { print s + 0 }')
	echo 0 >"$T/events/otline/enable" 2>/dev/null
	echo >"$T/kprobe_events"
	result kprobe_events "$1" "$line" "hits=$ev points=$((i - refused)) refused=$refused overrun=$over"
}

# The buffer must hold every event of a round (else hits are undercounted): 16 MB per CPU.
echo 16384 >"$T/buffer_size_kb"
rm -f /tmp/lc.points
r=1
while [ "$r" -le "$ROUNDS" ]; do
	result untraced "$r" "$(loop)"
	opentrail_run "$r" calls -f "$ROOT"
	opentrail_run "$r" lines -f "$ROOT" --lines "$FUNC"
	kprobe_events "$r"
	r=$((r + 1))
done
