#!/bin/sh
# bench/line_cost.sh's table from a saved results file (a lab run on 6.12): medians
# and spreads, hits per iteration over the warm-up too, the added cost per hit of
# opentrail's line probes (over its calls-only run) and of kprobe_events at the
# same addresses (over untraced), and the goal's ratio.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

t_begin line_cost_table
sh bench/line_cost.sh --table tests/fixtures/bench/line_cost.txt >"$D/table" 2>&1 ||
	t_fail "--table exited $?"
t_grep '| untraced | 11802 | 9887-11803 |  |  | 0 |  |  | 0 |' "$D/table"
t_grep '| lines | 130301 | 104241-134930 | 53 of 53 | 42.1 | 112686 | 2675 | 1580 | 0 |' "$D/table"
t_grep '| kprobe_events | 99974 | 87383-136992 | 53 (0 refused) | 42.2 | 88172 | 2089 |  | 0 |' "$D/table"
t_grep 'goal (opentrail per line hit vs kprobe_events at the same addresses): 1.28 (goal <= 1.00)' "$D/table"
t_end

t_begin line_cost_table_empty
echo "info kernel=x" >"$D/empty"
sh bench/line_cost.sh --table "$D/empty" >"$D/out" 2>&1
[ $? -ne 0 ] || t_fail "a results file without results gave status 0"
t_grep 'no results' "$D/out"
t_end
