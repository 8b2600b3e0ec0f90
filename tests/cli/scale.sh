#!/bin/sh
# opentrail check at scale: 8x the lines may not take more than 20x the time
# (generous: only super-linear behaviour fails it), on the realistic log of
# bench/gen_log.sh (threads sharing one kernel path buffer per thread, which made
# the pointer analysis quartic), and on one thread's calls nested without returns
# (checked with a case's claims, whose scopes looked into every subtree); a large
# log's reports, streamed, are the whole trace's, and name the log instead of
# embedding it. Costs about 4 s.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

now() { date +%s.%N; }
# seconds that `check --format md,json [ARGS]` takes on $1 (the best of two runs)
check_time() {
	log=$1
	shift
	best=
	for _ in 1 2; do
		s=$(now)
		timeout 120 $OT check --format md,json --out "$D/out" "$@" "$log" >/dev/null 2>"$D/err"
		st=$?
		e=$(now)
		[ $st -le 1 ] || { t_fail "check $log exited $st ($(head -c 200 "$D/err"))"; echo 999; return; }
		best=$(awk -v s="$s" -v e="$e" -v b="$best" 'BEGIN { t = e - s; print (b == "" || t < b) ? t : b }')
	done
	echo "$best"
}

t_begin scale_check_8x_lines_within_20x_time
bench/gen_log.sh 12500 >"$D/small.log"
bench/gen_log.sh 100000 >"$D/big.log"
ts=$(check_time "$D/small.log")
tb=$(check_time "$D/big.log")
# a floor of 20 ms keeps process start-up from deciding the ratio
ok=$(awk -v s="$ts" -v b="$tb" 'BEGIN { if (s < 0.02) s = 0.02; print (b <= 20 * s) ? 1 : 0 }')
echo "  12,500 lines: $ts s; 100,000 lines: $tb s"
[ "$ok" = 1 ] || t_fail "100,000 lines took $tb s, more than 20x the $ts s of 12,500"
t_end

# $1 do_filp_open entries on one thread, each inside the one before, none returning
deep_log() {
	awk -v n="$1" 'BEGIN {
		print "[1.000000] [trace_user_trigger] loaded target_comm=user_trigger user=deep.c"
		for (i = 0; i < n; i++)
			printf "[%d.%06d] [trace_user_trigger] do_filp_open.entry pid=1000 " \
			    "comm=user_trigger dfd=4294967196 pathname=ffff8dda12eb4000 " \
			    "op=ffffd0c940c9%04x\n", 2 + int(i / 1000000), i % 1000000, i % 65536
	}'
}

t_begin scale_deep_nesting_case_claims_8x_within_20x_time
deep_log 25000 >"$D/deep_small.log"
deep_log 200000 >"$D/deep_big.log"
ts=$(check_time "$D/deep_small.log" --case case17_missing_file)
tb=$(check_time "$D/deep_big.log" --case case17_missing_file)
ok=$(awk -v s="$ts" -v b="$tb" 'BEGIN { if (s < 0.02) s = 0.02; print (b <= 20 * s) ? 1 : 0 }')
echo "  25,000 nested calls: $ts s; 200,000: $tb s"
[ "$ok" = 1 ] || t_fail "200,000 nested calls took $tb s, more than 20x the $ts s of 25,000"
t_end

t_begin scale_large_markdown_summarises_and_json_is_valid
t_expect_status 0 $OT check --format md,json --out "$D/o2" "$D/big.log"
[ -s "$D/o2/big.md" ] || t_fail "no Markdown report"
t_grep '^## Call shapes' "$D/o2/big.md"
t_grep '^## Latency' "$D/o2/big.md"
t_grep '^## Errors' "$D/o2/big.md"
# 100,000 lines are 6,667 opens, one in 500 a miss: the first shape counts the hits
t_grep '| 6,654 × | `do_sys_openat2 → > 0 { do_filp_open → ok' "$D/o2/big.md"
t_grep '| `do_filp_open` | ENOENT (2) | 13 |' "$D/o2/big.md"
grep -q '^## Call tree' "$D/o2/big.md" && t_fail "a 46,668-call log drew its whole call tree"
if command -v jq >/dev/null 2>&1; then
	n=$(jq '.calls | length' "$D/o2/big.json") || t_fail "the JSON report does not parse"
	[ "$n" = 6667 ] || t_fail "JSON has $n top-level calls, want 6667"
fi
t_end

t_begin scale_small_run_keeps_full_call_tree
t_expect_status 1 $OT check --case case17_missing_file tests/fixtures/seed001_case17.log
t_grep '^## Call tree' "$T_TMP/t_out"
grep -q '^## Call shapes' "$T_TMP/t_out" && t_fail "a small run was summarised"
t_end

# A large log is analysed streamed (operations released as they complete); the reports
# must say exactly what the whole trace says: same bytes, Markdown and JSON. 20,000
# lines of gen_log: four threads interleaved, misses, shared buffers, latency.
t_begin scale_streamed_reports_equal_whole_trace_reports
bench/gen_log.sh 20000 >"$D/mid.log"
SOURCE_DATE_EPOCH=0 t_expect_status 0 $OT check --format md,json --out "$D/streamed" "$D/mid.log"
SOURCE_DATE_EPOCH=0 OPENTRAIL_WHOLE_TRACE=1 t_expect_status 0 $OT check --format md,json \
	--out "$D/whole" "$D/mid.log"
cmp -s "$D/streamed/mid.md" "$D/whole/mid.md" || t_fail "the streamed Markdown differs from the whole trace's"
cmp -s "$D/streamed/mid.json" "$D/whole/mid.json" || t_fail "the streamed JSON differs from the whole trace's"
# and the numbers are the log's: 20,011 lines are 1,334 opens (1,332 hits, 2 misses)
t_grep '| 1,332 × | `do_sys_openat2 → > 0' "$D/streamed/mid.md"
t_grep '| `do_filp_open` | ENOENT (2) | 2 |' "$D/streamed/mid.md"
t_grep '^| `__d_lookup_rcu` | 4002 | 4002 | 0 |' "$D/streamed/mid.md"
t_end

# A large log's Markdown names its log instead of embedding it; its line numbers are
# plain references into that file.
t_begin scale_markdown_names_its_log_instead_of_embedding_it
t_grep '^Not embedded: the log is `.*mid.log` (20011 lines)' "$D/streamed/mid.md"
grep -q '<a id="L' "$D/streamed/mid.md" && t_fail "the raw log was embedded"
grep -q '](#L' "$D/streamed/mid.md" && t_fail "a line reference links to an absent anchor"
t_grep '| \[\?L[0-9]' "$D/streamed/mid.md"
t_end

# A log given on stdin cannot be read twice (for call sites): it is analysed whole,
# and says the same.
t_begin scale_stdin_log_stays_whole_and_says_the_same
# (the lines naming the log aside)
names='^# opentrail report:\|^| Log |\|^Not embedded:'
SOURCE_DATE_EPOCH=0 t_expect_status 0 $OT check --format md "$D/mid.log"
grep -v "$names" "$T_TMP/t_out" >"$D/file.md"
SOURCE_DATE_EPOCH=0 t_expect_status 0 $OT check --format md - <"$D/mid.log"
grep -v "$names" "$T_TMP/t_out" >"$D/stdin.md"
cmp -s "$D/file.md" "$D/stdin.md" || t_fail "stdin (whole) and file (streamed) Markdown differ"
t_grep '^## Call shapes' "$D/stdin.md"
t_end
