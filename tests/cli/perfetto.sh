#!/bin/sh
# --format perfetto: the trace as a timeline in the JSON Trace Event Format. Each
# output is validated by tests/tools/trace_event_check.c (the format's rules: strict
# JSON, required fields and types, X durations, B/E balance, nesting per thread,
# metadata names), its counts compared with the log's own lines and with the JSON
# report; then loaded by a real consumer, Chrome DevTools' trace engine from npm.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
CHK=build/tests/trace_event_check
[ -x $CHK ] || make -s $CHK >/dev/null 2>&1 || echo "FAIL perfetto_checker_builds"

# entry and return lines of a log, counted from its text (every shape opentrail reads)
entries() { grep -cE '\.entry |\]\[ENTRY\]' "$1"; }
rets() { grep -cE '\.ret |\]\[RET\]' "$1"; }

t_begin perfetto_fixtures_follow_the_trace_event_format
n=0; mkdir -p "$D/fx"
for log in tests/fixtures/seed000_case7.log tests/fixtures/seed001_case17.log \
	tests/fixtures/seed001_c17_replay.log tests/fixtures/lab-6.12/*/*.log; do
	o="$D/fx/$n"; n=$((n + 1))
	b=$(basename "$log" .log)
	$OT check --no-download --format json,perfetto --out "$o" "$log" >/dev/null 2>"$D/err"
	[ $? -le 1 ] || { t_fail "check $log: $(head -c 200 "$D/err")"; continue; }
	[ -s "$o/$b.perfetto.json" ] || { t_fail "no $o/$b.perfetto.json"; continue; }
	e=$(entries "$log"); r=$(rets "$log")
	# a call slice per call: as many with an entry as the log has entry lines, as
	# many with a return as return lines; and the JSON report's calls and threads
	$CHK "$o/$b.perfetto.json" --report "$o/$b.json" --entries "$e" --rets "$r" \
		>"$D/chk" 2>&1 || t_fail "$log: $(cat "$D/chk")"
done
t_end

# The lab logs are whole: every call paired, so paired slices = entry lines = return
# lines; the program's results (user.fact) are drawn where the kernel returned them.
t_begin perfetto_paired_calls_are_slices_and_user_results_instants
log=tests/fixtures/lab-6.12/bpf/case17_missing_file.log
$OT check --format perfetto --out "$D/c17" "$log" >/dev/null
$CHK "$D/c17/case17_missing_file.perfetto.json" --slices 24 --paired "$(entries "$log")" \
	--threads 1 --user 2 >"$D/chk" 2>&1 || t_fail "$(cat "$D/chk")"
[ "$(entries "$log")" = 24 ] || t_fail "the fixture has $(entries "$log") entries, not 24"
f="$D/c17/case17_missing_file.perfetto.json"
t_grep '"name": "do_filp_open", "cat": "call", "ph": "X", "ts": 5623821.800, "dur": 3127.280, "pid": 155, "tid": 155' "$f"
t_grep '"ret": "ERR_PTR(-ENOENT)", "ret_raw": "0xfffffffffffffffe", "errno": "ENOENT"' "$f"
t_grep '"name": "open() = -1 ENOENT", "cat": "user", "ph": "i", "s": "t", "ts": 5627005.144' "$f"
t_grep '"name": "thread_name", "ph": "M", "pid": 155, "tid": 155, "args": {"name": "case17_missing_"}' "$f"
t_grep '"name": "process_name", "ph": "M", "pid": 155' "$f"
t_end

# Calls the log does not close, returns with no entry, a record without a timestamp,
# timestamps out of order, threads interleaved: still slices that nest.
t_begin perfetto_unpaired_and_untimed_calls_still_nest
cat >"$D/edge.log" <<'LOG'
[opentrail] do_filp_open.ret pid=10 tid=10 comm="a" ts=1000 ret=fffffffffffffffe
[opentrail] do_filp_open.entry pid=10 tid=10 comm="a" ts=2000 dfd=-100
[opentrail] path_openat.entry pid=10 tid=11 comm="a2" ts=2100 flags=0x41
[opentrail] path_openat.entry pid=10 tid=10 comm="a" ts=1500 flags=0x41
[opentrail] __d_alloc.entry pid=10 tid=10 comm="a" ts=2600 len=3
[opentrail] path_openat.ret pid=10 tid=10 comm="a" ts=2900 ret=fffffffffffffffe
[opentrail] do_filp_open.ret pid=10 tid=10 comm="a" ret=fffffffffffffffe
[opentrail] path_openat.ret pid=10 tid=11 comm="a2" ts=2500 ret=ffff888000001000
[opentrail] do_filp_open.entry pid=10 tid=10 comm="a" ts=4000 dfd=-100
[opentrail] path_openat.entry pid=10 tid=10 comm="a" ts=4100 flags=0x41
[opentrail] do_filp_open.entry pid=20 tid=20 comm="b" ts=4200 dfd=-100
LOG
t_expect_status 1 $OT check --format json,perfetto --out "$D/edge" "$D/edge.log"
$CHK "$D/edge/edge.perfetto.json" --report "$D/edge/edge.json" --slices 8 --entries 7 \
	--rets 4 --paired 3 --threads 3 >"$D/chk" 2>&1 || t_fail "$(cat "$D/chk")"
t_grep '"time": "no entry in the log: drawn without duration at its return"' "$D/edge/edge.perfetto.json"
t_grep '"time": "timestamps out of order: moved to nest in its caller"' "$D/edge/edge.perfetto.json"
t_grep '"slices_moved_to_nest": 1' "$D/edge/edge.perfetto.json"
# no timestamps at all: the log's lines are the clock
sed 's/ ts=[0-9]*//' "$D/edge.log" >"$D/nots.log"
t_expect_status 1 $OT check --format perfetto --out "$D/nots" "$D/nots.log"
$CHK "$D/nots/nots.perfetto.json" --slices 8 >"$D/chk" 2>&1 || t_fail "$(cat "$D/chk")"
t_grep '"clock": "log lines (the log has no timestamps): 1 us per line"' "$D/nots/nots.perfetto.json"
t_end

# The checker itself finds what breaks the format (else the tests above prove nothing).
t_begin perfetto_checker_rejects_broken_traces
bad() { # NAME JSON: the checker must refuse it
	printf '%s\n' "$2" >"$D/bad-$1.json"
	$CHK "$D/bad-$1.json" >/dev/null 2>&1 && t_fail "the checker accepted $1: $2"
}
M='{"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"t"}},{"name":"process_name","ph":"M","pid":1,"tid":1,"args":{"name":"p"}}'
X() { echo "{\"name\":\"$1\",\"cat\":\"call\",\"ph\":\"X\",\"ts\":$2,\"dur\":$3,\"pid\":1,\"tid\":1}"; }
printf '[%s,%s,%s]\n' "$M" "$(X a 0 10)" "$(X b 2 3)" >"$D/good.json"
$CHK "$D/good.json" --slices 2 >/dev/null 2>&1 || t_fail "the checker refused a good trace"
bad not_json "[$M,$(X a 0 10),]"
bad partial_overlap "[$M,$(X a 0 10),$(X b 5 10)]"
bad negative_dur "[$M,$(X a 0 -1)]"
bad no_ts "[$M,{\"name\":\"a\",\"ph\":\"X\",\"dur\":1,\"pid\":1,\"tid\":1}]"
bad string_pid "[$M,{\"name\":\"a\",\"ph\":\"X\",\"ts\":1,\"dur\":1,\"pid\":\"1\",\"tid\":1}]"
bad unclosed_B "[$M,{\"name\":\"a\",\"ph\":\"B\",\"ts\":1,\"pid\":1,\"tid\":1}]"
bad crossed_BE "[$M,{\"name\":\"a\",\"ph\":\"B\",\"ts\":1,\"pid\":1,\"tid\":1},{\"name\":\"b\",\"ph\":\"B\",\"ts\":2,\"pid\":1,\"tid\":1},{\"name\":\"a\",\"ph\":\"E\",\"ts\":3,\"pid\":1,\"tid\":1},{\"name\":\"b\",\"ph\":\"E\",\"ts\":4,\"pid\":1,\"tid\":1}]"
bad unnamed_thread "[$(X a 0 1)]"
printf '[%s,%s]\n' "$M" "$(X a 0 10)" >"$D/one.json"
$CHK "$D/one.json" --slices 2 >/dev/null 2>&1 && t_fail "the checker accepted a wrong slice count"
t_end

# A large log is analysed streamed: the events go to a spool as operations complete.
# They must be the whole trace's events (in another order: the format needs none).
t_begin perfetto_streamed_events_equal_whole_trace_events
bench/gen_log.sh 20000 >"$D/mid.log"
t_expect_status 0 $OT check --format json,perfetto --out "$D/s" "$D/mid.log"
OPENTRAIL_WHOLE_TRACE=1 t_expect_status 0 $OT check --format perfetto --out "$D/w" "$D/mid.log"
sort "$D/s/mid.perfetto.json" >"$D/s.sorted"
sort "$D/w/mid.perfetto.json" >"$D/w.sorted"
cmp -s "$D/s.sorted" "$D/w.sorted" || t_fail "the streamed events differ from the whole trace's"
$CHK "$D/s/mid.perfetto.json" --report "$D/s/mid.json" --entries "$(entries "$D/mid.log")" \
	--rets "$(rets "$D/mid.log")" --paired "$(entries "$D/mid.log")" --threads 4 \
	--user 1334 >"$D/chk" 2>&1 || t_fail "$(cat "$D/chk")"
t_end

t_begin perfetto_format_option_errors_and_combinations
t_expect_status 2 $OT check --format md,perfeto tests/fixtures/seed000_case7.log
t_grep "unknown format 'perfeto'" "$T_TMP/t_err"
t_expect_status 2 $OT check --format perfetto tests/fixtures/seed000_case7.log tests/fixtures/seed001_case17.log
t_grep 'need --out DIR' "$T_TMP/t_err"
t_expect_status 0 $OT check --format md,json,perfetto --out "$D/all" tests/fixtures/seed000_case7.log
for x in md json perfetto.json; do [ -s "$D/all/seed000_case7.$x" ] || t_fail "no seed000_case7.$x"; done
ls "$D/all" | grep -q '\.tmp' && t_fail "a temporary file was left in --out"
$OT check --format perfetto tests/fixtures/seed000_case7.log >"$D/stdout.json" 2>/dev/null
$CHK "$D/stdout.json" --slices 9 >/dev/null 2>&1 || t_fail "--format perfetto to stdout is not a valid trace"
t_expect_status 2 $OT run --format pdf case17_missing_file
t_grep "unknown format 'pdf'" "$T_TMP/t_err"
t_expect_status 2 $OT trace --format md,xml -- true
t_grep "unknown format 'xml'" "$T_TMP/t_err"
t_end

# A real consumer: Chrome DevTools' trace engine (the Performance panel's model, from
# npm) loads the timeline and finds, per thread, the name, the slices, the roots of the
# call tree and its depth that opentrail's JSON report has.
t_begin perfetto_loads_in_devtools_trace_engine
if ENGINE=$(tests/tools/trace_engine/install.sh build/tests/trace_engine 2>"$D/inst"); then
	for f in "$D/c17/case17_missing_file" "$D/edge/edge" "$D/s/mid"; do
		[ -f "$f.json" ] || $OT check --format json --out "$(dirname "$f")" \
			tests/fixtures/lab-6.12/bpf/case17_missing_file.log >/dev/null
		timeout 300 node tests/tools/trace_engine/load.mjs "$ENGINE" "$f.perfetto.json" \
			"$f.json" >"$D/eng" 2>"$D/eng.err" || { t_fail "the engine failed on $f: $(head -c 300 "$D/eng.err")"; continue; }
		[ "$(sed -n 1p "$D/eng")" = "$(sed -n 2p "$D/eng")" ] ||
			t_fail "$f: the engine saw $(sed -n 1p "$D/eng"), the report has $(sed -n 2p "$D/eng")"
	done
else
	t_fail "cannot install the trace engine: $(cat "$D/inst")"
fi
t_end
