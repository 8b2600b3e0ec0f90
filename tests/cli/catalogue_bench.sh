#!/bin/sh
# bench/catalogue.sh's table from a saved results file (a lab run of the whole
# catalogue on 6.12 and 7.2, both backends): cases, totals, means, the slowest case, the
# figure for 31 cases and the whole run's wall time, per kernel and backend; and no table
# from no progress lines.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

t_begin catalogue_bench_table
sh bench/catalogue.sh --table tests/fixtures/bench/catalogue.txt >"$D/table" 2>&1 ||
	t_fail "--table exited $?"
bpf=$(grep -c '^6.12 opentrail: \[.* (bpf): ' tests/fixtures/bench/catalogue.txt)
sum=$(grep '^6.12 opentrail: \[.* (bpf): ' tests/fixtures/bench/catalogue.txt | sed 's/.* in \([0-9.]*\) s.*/\1/' |
	awk '{ s += $1 } END { printf "%.1f", s }')
grep -q "^| 6.12 | bpf | $bpf | 0 | $sum | " "$D/table" ||
	t_fail "bpf row: want $bpf cases and $sum s: $(grep bpf "$D/table")"
grep -q '^| 6.12 | kmod | 64 | 0 | ' "$D/table" || t_fail "no kmod row: $(cat "$D/table")"
# the whole run: the difference of the two uptimes of its line
whole=$(sed -n 's/^6.12 opentrail: run --all (bpf): whole run from \([0-9.]*\) to \([0-9.]*\)$/\1 \2/p' \
	tests/fixtures/bench/catalogue.txt | awk '{ printf "%.1f", $2 - $1 }')
[ -n "$whole" ] || t_fail "the fixture has no whole-run line"
grep -q "^| 6.12 | bpf | $bpf | 0 | $sum | .* | $whole |\$" "$D/table" ||
	t_fail "bpf row: want the whole run $whole s: $(grep bpf "$D/table")"
t_end

t_begin catalogue_bench_table_needs_progress_lines
echo "nothing here" >"$D/empty"
sh bench/catalogue.sh --table "$D/empty" >"$D/out" 2>&1 && t_fail "a table from no progress lines"
t_grep 'no progress lines' "$D/out"
t_end
