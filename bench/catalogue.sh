#!/bin/sh
# The catalogue's time in the lab: in one boot per kernel, `opentrail run --all` with
# the BPF backend, then with the module, each case's seconds taken from the run's
# own progress lines (a case: its trigger's setup, attaching, the operations,
# detaching, the report). Prints per backend the cases, their total, the mean per
# case and that mean times 31 (the goal: under 60 s for 31 cases, BPF no slower than
# the module), and the whole run's wall time (what a run pays once besides its cases:
# BPF's load of the run's functions and, at the end, the detaching of everything it
# kept attached). Then, per backend, a run of its own of the catalogue's first 31 cases
# (the catalogue when the goal was set: case1..case17, stage2_*, perm_*, socket_inet_stream,
# demo_*), its whole wall time printed as a second table. See bench/README.md.
#
# Usage: bench/catalogue.sh [-o DIR] [KERNEL...]     (default: 6.12)
#        bench/catalogue.sh --table RESULTS          (the table of a saved results file)
set -eu
cd "$(dirname "$0")/.."

# table RESULTS: the progress lines ("KERNEL opentrail: [i/N] CASE (BACKEND): VERDICT
# in S s, ...") as a Markdown table.
table()
{
	# the cases that probe source lines (where the kernel's debug info is at hand)
	lines=$(build/opentrail list -v 2>/dev/null | awk '/^[a-z]/ { id = $1 } /^    lines:/ { printf "%s ", id }')
	awk -v lines="$lines" '
	BEGIN { nl = split(lines, l, " "); for (i = 1; i <= nl; i++) haslines[l[i]] = 1 }
	/ opentrail: run of the first 31 \([a-z]+\): / {
		b = $0; sub(/.*\(/, "", b); sub(/\).*/, "", b)
		first[$1 " " b] = $(NF) - $(NF - 2); nfirst++
		next
	}
	/ opentrail: run --all \([a-z]+\): whole run from / {
		b = $0; sub(/.*\(/, "", b); sub(/\).*/, "", b)
		wall[$1 " " b] = $(NF) - $(NF - 2)
		next
	}
	/ opentrail: \[[0-9]+\/[0-9]+\] [a-z0-9_]+ \([a-z]+\): / {
		k = $1; b = $0; sub(/.*\(/, "", b); sub(/\).*/, "", b)
		s = $0; sub(/.* in /, "", s); sub(/ s.*/, "", s)
		key = k " " b
		if (!(key in n)) order[++no] = key
		n[key]++; t[key] += s; if (s + 0 > mx[key]) mx[key] = s + 0
		if ($0 !~ /: pass in /) notpass[key]++
		c = $0; sub(/.*\] /, "", c); sub(/ .*/, "", c)
		part = key (c in haslines ? " with" : " without")
		pn[part]++; pt[part] += s
	}
	END {
		if (!no) { print "no progress lines in the results"; exit 1 }
		print "| kernel | backend | cases | not passed | total s | mean s | slowest s | for 31 cases s | whole run s |"
		print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		for (i = 1; i <= no; i++) {
			key = order[i]; split(key, kb, " ")
			printf "| %s | %s | %d | %d | %.1f | %.2f | %.1f | %.1f | %s |\n", kb[1], kb[2], n[key],
			    notpass[key], t[key], t[key] / n[key], mx[key], 31 * t[key] / n[key],
			    key in wall ? sprintf("%.1f", wall[key]) : "-"
		}
		if (nfirst) {
			print ""
			print "| kernel | backend | the first 31 cases, a run of their own: whole run s |"
			print "| --- | --- | ---: |"
			for (i = 1; i <= no; i++)
				if (order[i] in first) {
					split(order[i], kb, " ")
					printf "| %s | %s | %.1f |\n", kb[1], kb[2], first[order[i]]
				}
		}
		if (!nl)
			exit
		print ""
		print "| kernel | backend | line probes | cases | total s | mean s | for 31 cases s |"
		print "| --- | --- | --- | ---: | ---: | ---: | ---: |"
		for (i = 1; i <= no; i++)
			for (w = 0; w < 2; w++) {
				part = order[i] (w ? " without" : " with")
				if (!(part in pn))
					continue
				split(order[i], kb, " ")
				printf "| %s | %s | %s | %d | %.1f | %.2f | %.1f |\n", kb[1], kb[2],
				    w ? "no" : "yes", pn[part], pt[part], pt[part] / pn[part],
				    31 * pt[part] / pn[part]
			}
	}' "$1"
}

if [ "${1:-}" = --table ]; then
	[ -n "${2:-}" ] || { echo "usage: bench/catalogue.sh --table RESULTS" >&2; exit 2; }
	table "$2"
	exit
fi
out=
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) echo "usage: bench/catalogue.sh [-o DIR] [KERNEL...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- 6.12
[ -n "$out" ] || out=$(mktemp -d)
mkdir -p "$out"
: >"$out/results.txt"
for k in "$@"; do
	build/opentrail lab --kernel "$k" --timeout 3600 --out "$out/$k" -- sh -c \
		'for b in bpf kmod; do
			t0=$(cut -d" " -f1 /proc/uptime)
			opentrail run --all --backend $b --out /out/$b 2>&1 >/dev/null | grep "^opentrail: \["
			echo "opentrail: run --all ($b): whole run from $t0 to $(cut -d" " -f1 /proc/uptime)"
		done
		first=$(opentrail list | head -n 31 | cut -d" " -f1)
		for b in bpf kmod; do
			t0=$(cut -d" " -f1 /proc/uptime)
			# shellcheck disable=SC2086 # a list of cases
			opentrail run --backend $b --out /out/first31-$b $first >/dev/null 2>&1
			echo "opentrail: run of the first 31 ($b): exit $?, whole run from $t0 to $(cut -d" " -f1 /proc/uptime)"
		done' \
		>"$out/$k.progress" 2>"$out/$k.err" || { echo "lab on $k failed: $(tail -n 3 "$out/$k.err")" >&2; exit 1; }
	sed "s/^/$k /" "$out/$k.progress" >>"$out/results.txt"
done
echo "results: $out/results.txt"
table "$out/results.txt"
