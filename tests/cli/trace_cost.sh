#!/bin/sh
# bench/trace_cost.sh's table from a saved results file (medians, spreads, the
# ratios against the goals, lost records carried through), and the BPF
# backend's refusal of a ring buffer size it cannot use, before anything loads.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

t_begin trace_cost_table
sh bench/trace_cost.sh --table tests/fixtures/bench/trace_cost.txt >"$D/table" 2>&1 ||
	t_fail "--table exited $?"
t_grep '| untraced | 11000 | 10000-12000 | 1.00 | 0 | 10000 |' "$D/table"
t_grep '| kprobe_events | 16000 | 15000-17000 | 1.45 | 5000 | 15000 |  | 4406 |' "$D/table"
t_grep '| opentrail:one | 15000 | 14000-16000 | 1.36 | 4000 | 13000 | 900 | 4406 | 0 |' "$D/table"
t_grep '| opentrail:default | 61000 | 60000-62000 | 5.55 | 50000 | 40000 | 2000 | 61764 | 3 |' "$D/table"
t_grep 'goal 1 (opentrail:one vs kprobe_events, added cost per call): 0.80 (goal <= 1.00)' "$D/table"
t_grep 'goal 2 (opentrail:default vs function_graph on the subtree): 0.50 (goal < 1.00)' "$D/table"
t_grep 'lost name=opentrail ring=4096 summary="fail (17255 records, lost=38909)"' "$D/table"
t_end

# The kernel's tracers also read live through trace_pipe (text written during the
# run, as opentrail writes its log), and every goal also on the loop's CPU alone.
t_begin trace_cost_table_pipe
sh bench/trace_cost.sh --table tests/fixtures/bench/trace_cost_pipe.txt >"$D/table" 2>&1 ||
	t_fail "--table exited $?"
t_grep '| function_graph+pipe | 210000 | 210000-210000 | 21.00 | 200000 | 105000 |  | 64000 lines | 800000 |' "$D/table"
t_grep '| kprobe_events+pipe | 30000 | 30000-30000 | 3.00 | 20000 | 15000 |  | 4412 lines | 0 |' "$D/table"
t_grep '^kprobe_events fetched at the return: the return value and the fields opentrail reads there$' "$D/table"
t_grep 'goal 1 (opentrail:one vs kprobe_events, added cost per call): 0.80 (goal <= 1.00)' "$D/table"
t_grep 'goal 1, wall against kprobe_events+pipe (both write their text during the run): 0.20' "$D/table"
t_grep 'goal 1, CPU of the traced loop (the probes alone): 0.80' "$D/table"
t_grep 'goal 2 (opentrail:default vs function_graph on the subtree): 1.00 (goal < 1.00)' "$D/table"
t_grep 'goal 2, wall against function_graph+pipe (both write their text during the run): 0.50' "$D/table"
t_grep 'goal 2, CPU of the traced loop (the probes alone): 0.34' "$D/table"
t_end

t_begin trace_cost_table_empty
echo "info kernel=x" >"$D/empty"
sh bench/trace_cost.sh --table "$D/empty" >"$D/out" 2>&1
st=$?
[ $st -ne 0 ] || t_fail "a results file without results gave status 0"
t_grep 'no results' "$D/out"
t_end

t_begin bpf_ringbuf_size_refused
OPENTRAIL_BPF_RINGBUF=5000 $OT trace -f do_filp_open -- true >"$D/out" 2>&1
st=$?
[ $st -eq 2 ] || t_fail "trace exited $st, expected 2"
t_grep 'OPENTRAIL_BPF_RINGBUF=5000: want a ring buffer size in bytes, a power of two' "$D/out"
t_end
