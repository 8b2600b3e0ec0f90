#!/bin/sh
# A case verified on a large log: the log streams, and the claims keep only what they
# name (src/claims/keep.h). Their results and every report must be the whole trace's:
# the lab's logs of real cases, each inside 3,000 lines of bench/gen_log.sh (after
# the case's operations, before them, and interleaved line by line, so that operations
# complete out of order), checked streamed and whole. And verifying a case costs
# about the memory of not verifying one (it kept the whole trace: 3x on 200,000 lines).
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

bench/gen_log.sh 3000 | tail -n +2 >"$D/filler"

t_begin claims_streamed_equal_whole_trace
n=0
for f in tests/fixtures/lab-6.12/bpf/*.log tests/fixtures/atlas/7.2/bpf/*.log; do
	c=$(basename "$f" .log)
	for shape in after before mixed; do
		b=$(echo "$f" | tr / _ | sed 's/\.log$//').$shape
		case $shape in
		after) cat "$f" "$D/filler" ;;
		before) head -n 1 "$f"; cat "$D/filler"; tail -n +2 "$f" ;;
		mixed) awk 'NR == FNR { fl[++n] = $0; next }
			{ print; for (i = 0; i < 3 && k < n; i++) print fl[++k] }
			END { while (k < n) print fl[++k] }' "$D/filler" "$f" ;;
		esac >"$D/$b.log"
		SOURCE_DATE_EPOCH=0 $OT check -N --case "$c" --format md,json,perfetto --out "$D/s" \
			"$D/$b.log" >/dev/null 2>"$D/err"
		st_s=$?
		SOURCE_DATE_EPOCH=0 OPENTRAIL_WHOLE_TRACE=1 $OT check -N --case "$c" \
			--format md,json,perfetto --out "$D/w" "$D/$b.log" >/dev/null 2>"$D/err"
		st_w=$?
		[ $st_s -le 1 ] && [ $st_s = $st_w ] || t_fail "$b: exit $st_s streamed, $st_w whole"
		cmp -s "$D/s/$b.md" "$D/w/$b.md" || t_fail "$b: the streamed Markdown differs"
		cmp -s "$D/s/$b.json" "$D/w/$b.json" || t_fail "$b: the streamed JSON differs"
		sort "$D/s/$b.perfetto.json" >"$D/s.sorted"
		sort "$D/w/$b.perfetto.json" >"$D/w.sorted"
		cmp -s "$D/s.sorted" "$D/w.sorted" || t_fail "$b: the streamed timeline differs"
		n=$((n + 1))
	done
done
[ $n -ge 12 ] || t_fail "only $n logs compared"
# the case's operations first: its claims hold, streamed as whole
t_grep '^\*\*Verdict: PASS\*\*' "$D/s/tests_fixtures_lab-6.12_bpf_case17_missing_file.after.md"
t_end

t_begin claims_streamed_memory_as_without_case
if [ -x /usr/bin/time ]; then
	bench/gen_log.sh 200000 >"$D/big.log"
	/usr/bin/time -f '%M' -o "$D/rss0" $OT check --out "$D/o" "$D/big.log" >/dev/null 2>&1
	/usr/bin/time -f '%M' -o "$D/rss1" $OT check --case case17_missing_file --out "$D/o" \
		"$D/big.log" >/dev/null 2>&1
	k0=$(tail -n 1 "$D/rss0")
	k1=$(tail -n 1 "$D/rss1")
	echo "  peak RSS without a case: $k0 KB, with case17_missing_file: $k1 KB"
	[ "$k1" -le $((k0 * 3 / 2)) ] || t_fail "verifying a case took $k1 KB, more than 1.5x $k0 KB"
else
	echo "  (no /usr/bin/time: not measured)"
fi
t_end
