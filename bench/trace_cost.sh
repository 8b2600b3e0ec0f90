#!/bin/sh
# Tracing cost: one open()+close() of an existing file on ext4, in one lab boot
# per kernel, untraced, under kprobe_events (entry with arguments + return on
# do_filp_open), under function_graph (the do_filp_open subtree) and under
# opentrail (`trace -f do_filp_open` and `trace` with its default open path).
# Every configuration runs ROUNDS times in turn; the table gives the median and
# the spread (min-max) per configuration, the ratios against untraced and the
# two goals. See bench/README.md.
#
# Usage: bench/trace_cost.sh [-n N] [-r ROUNDS] [-o DIR] [-b NAME=BINARY]... [KERNEL...]
#        bench/trace_cost.sh --table RESULTS    (the table of a saved results file)
# KERNEL: 5.10, 6.1, 6.12, newest (default 6.1 newest). -b compares another build
# of opentrail (a static binary, carried into the guest) with the current one.
set -eu
cd "$(dirname "$0")/.."

# table RESULTS: the guest's "result" lines as a Markdown table, then the ratios.
table()
{
	awk '
	function median(s,   n, a, i, j, t) {
		n = split(s, a, " ")
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		lo = a[1]; hi = a[n]
		return n % 2 ? a[(n + 1) / 2] : int((a[n / 2] + a[n / 2 + 1]) / 2)
	}
	function goals(c, name, k, what, op) {
		if (!(k in m))
			return
		printf "%s (%s vs %s%s): %.2f (goal %s 1.00)\n", name, c, k, what, (m[c] - base) / (m[k] - base), op
		if ((k "+pipe") in m)
			printf "%s, wall against %s+pipe (both write their text during the run): %.2f\n", name, k, (m[c] - base) / (m[k "+pipe"] - base)
		if (cm_of[k] - cbase > 0)
			printf "%s, CPU of the traced loop (the probes alone): %.2f\n", name, (cm_of[c] - cbase) / (cm_of[k] - cbase)
	}
	function val(k,   i, p) {
		for (i = 2; i <= NF; i++) { p = index($i, "="); if (substr($i, 1, p - 1) == k) return substr($i, p + 1) }
		return ""
	}
	/^info kernel=/ { kernel = val("kernel"); n = val("n"); rounds = val("rounds"); fn = val("function") }
	/^result / {
		c = val("config")
		if (!(c in wall)) order[++nc] = c
		wall[c] = wall[c] " " val("wall_ns"); cpu[c] = cpu[c] " " val("cpu_ns")
		if (val("attach_ms") != "") att[c] = att[c] " " val("attach_ms")
		if (val("records") != "") { rec[c] = val("records"); lost[c] = lost[c] + val("lost") }
		if (val("events") != "") rec[c] = val("events")
		if (val("fetch") != "") fetch[c] = val("fetch")
		if (val("lines") != "") { rec[c] = val("lines") " lines"; lost[c] = lost[c] + val("overrun") }
	}
	/^lost / { lostline[++nl] = $0 }
	END {
		if (!nc) { print "no results"; exit 1 }
		printf "kernel %s, %s, %d x open+close per round, %d rounds (median, min-max)\n\n", kernel, fn, n, rounds
		print "| configuration | wall ns/iter | spread | x untraced | added ns | CPU ns/iter | attach ms | records (last round) | lost (all rounds) |"
		print "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		base = median(wall["untraced"])
		for (i = 1; i <= nc; i++) {
			c = order[i]
			m[c] = median(wall[c]); spread = lo "-" hi
			cm = median(cpu[c]); cm_of[c] = cm
			a = (c in att) ? median(att[c]) : ""
			printf "| %s | %d | %s | %.2f | %d | %d | %s | %s | %s |\n", c, m[c], spread, base ? m[c] / base : 0, m[c] - base, cm, a, rec[c], (c in lost) ? lost[c] : ""
		}
		print ""
		# Each goal three ways: wall against the tracer with its buffer alone (its text
		# is formatted only when read, opentrail writes it during the run); wall against
		# the tracer read live through trace_pipe into a file (both write their
		# text during the run); CPU of the traced loop alone (what the probes cost in
		# its context, no reader).
		for (c in fetch)
			printf "%s fetched at the return: %s\n", c, fetch[c] == "retval" ? "the return value only (no BTF member access here)" : "the return value and the fields opentrail reads there"
		cbase = cm_of["untraced"]
		for (i = 1; i <= nc; i++) {
			c = order[i]
			if (c ~ /:one$/) goals(c, "goal 1", "kprobe_events", ", added cost per call", "<=")
			if (c ~ /:default$/) goals(c, "goal 2", "function_graph", " on the subtree", "<")
		}
		for (i = 1; i <= nl; i++) print lostline[i]
	}' "$1"
}

if [ "${1:-}" = --table ]; then
	[ $# -eq 2 ] || { echo "usage: bench/trace_cost.sh --table RESULTS" >&2; exit 2; }
	table "$2"
	exit
fi

n=3000 rounds=3 out=bench-out variants=opentrail=opentrail adds=
while getopts n:r:o:b: opt; do
	case $opt in
	n) n=$OPTARG ;;
	r) rounds=$OPTARG ;;
	o) out=$OPTARG ;;
	b)
		[ -x "${OPTARG#*=}" ] || { echo "trace_cost: ${OPTARG#*=} is not an executable" >&2; exit 2; }
		variants="$variants ${OPTARG%%=*}=/opentrail/add/${OPTARG##*/}"
		adds="$adds --add ${OPTARG#*=}"
		;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 6.1 newest
make -s build/opentrail build/bench/open_loop
mkdir -p "$out"
for k in "$@"; do
	res=$out/trace_cost-$k.txt
	echo "== $k: $res" >&2
	# shellcheck disable=SC2086 # lists of words
	build/opentrail lab --kernel "$k" --timeout 3000 --out "$out/lab-$k" --add build/bench/open_loop \
		--add bench/trace_cost_guest.sh $adds -- \
		sh /opentrail/add/trace_cost_guest.sh "$n" "$rounds" $variants >"$res"
	table "$res"
	echo
done
