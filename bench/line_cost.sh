#!/bin/sh
# Line probes' cost: in one lab boot per kernel, what one hit of a line probe adds
# to the traced program, opentrail (`trace --lines FUNC`, BPF) against
# kprobe_events with a probe at each of the same addresses, and how long attaching
# a function's whole line set takes. The guest half is bench/line_cost_guest.sh.
# The kernel's source index is built first (opentrail debuginfo; the lab hands it
# to the guest). Per configuration: the median of ROUNDS rounds and the spread.
#
# Usage: bench/line_cost.sh [-n N] [-r ROUNDS] [-f FUNC] [-o DIR] [KERNEL...]
#        bench/line_cost.sh --table RESULTS    (the table of a saved results file)
# KERNEL: 6.1, 6.12, newest (default 6.12 newest; 5.10 has no debug info to plan from).
set -eu
cd "$(dirname "$0")/.."

# table RESULTS: the guest's "result" lines as a Markdown table, then the goal.
# Added ns per hit: opentrail's lines over its calls-only run, kprobe_events' over
# untraced, each divided by its hits per iteration (the warm-up iterations run traced
# too, so hits are spread over n + warmup).
table()
{
	awk '
	function median(s,   n, a, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo = a[1]; hi = a[n]
		return n % 2 ? a[(n + 1) / 2] : int((a[n / 2] + a[n / 2 + 1]) / 2)
	}
	function val(k,   i, p) {
		for (i = 2; i <= NF; i++) { p = index($i, "="); if (substr($i, 1, p - 1) == k) return substr($i, p + 1) }
		return ""
	}
	/^info kernel=/ { kernel = val("kernel"); n = val("n"); rounds = val("rounds"); fn = val("function"); root = val("root") }
	/^info / && !/^info kernel=/ { note[++nn] = $0 }
	/^result / {
		c = val("config")
		if (!(c in wall)) order[++nc] = c
		wall[c] = wall[c] " " val("wall_ns")
		if (val("hits") != "") hits[c] = hits[c] " " val("hits")
		if (val("points") != "") points[c] = val("points")
		if (val("planned") != "") planned[c] = val("planned")
		if (val("lines_attach_ms") != "") att[c] = att[c] " " val("lines_attach_ms")
		if (val("refused") != "") refused[c] = val("refused")
		lost[c] += val("lost") + val("overrun")
	}
	END {
		if (!nc) { print "no results"; exit 1 }
		printf "kernel %s, lines of %s (calls: %s), %d x open+close per round (+200 warm-up), %d rounds (median, min-max)\n\n", kernel, fn, root, n, rounds
		print "| configuration | wall ns/iter | spread | probes | hits/iter | added ns/iter | added ns per hit | attach ms (line set) | lost |"
		print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		for (i = 1; i <= nc; i++) { c = order[i]; m[c] = median(wall[c]); sp[c] = lo "-" hi }
		for (i = 1; i <= nc; i++) {
			c = order[i]
			h = (c in hits) ? median(hits[c]) / (n + 200) : 0
			base = c == "lines" ? m["calls"] : m["untraced"]
			added = c == "untraced" ? 0 : m[c] - base
			per[c] = h > 0 ? added / h : 0
			pr = (c in points) ? points[c] ((c in planned) ? " of " planned[c] : "") ((c in refused) && refused[c] ? " (" refused[c] " refused)" : "") : ""
			printf "| %s | %d | %s | %s | %s | %d | %s | %s | %d |\n", c, m[c], sp[c], pr, h ? sprintf("%.1f", h) : "", added, per[c] ? sprintf("%.0f", per[c]) : "", (c in att) ? median(att[c]) : "", lost[c]
		}
		print ""
		if (per["kprobe_events"] > 0 && per["lines"] > 0)
			printf "goal (opentrail per line hit vs kprobe_events at the same addresses): %.2f (goal <= 1.00)\n", per["lines"] / per["kprobe_events"]
		for (i = 1; i <= nn; i++) print note[i]
	}' "$1"
}

if [ "${1:-}" = --table ]; then
	[ $# -eq 2 ] || { echo "usage: bench/line_cost.sh --table RESULTS" >&2; exit 2; }
	table "$2"
	exit
fi

n=2000 rounds=3 out=bench-out func=generic_permission
while getopts n:r:o:f: opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) rounds=$OPTARG ;;
	o) out=$OPTARG ;;
	f) func=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 6.12 newest
make -s build/opentrail build/bench/open_loop
mkdir -p "$out"
for k in "$@"; do
	res=$out/line_cost-$k.txt
	ver=$(build/opentrail lab resolve --kernel "$k")
	echo "== $k ($ver): $res" >&2
	build/opentrail debuginfo --quiet "$ver" >&2 ||
		{ echo "line_cost: no source index of $ver: its line set cannot be planned" >&2; continue; }
	build/opentrail lab --kernel "$k" --timeout 3000 --out "$out/lab-$k" --add build/bench/open_loop \
		--add bench/line_cost_guest.sh -- \
		sh /opentrail/add/line_cost_guest.sh "$n" "$rounds" "$func" >"$res"
	table "$res"
	echo
done
