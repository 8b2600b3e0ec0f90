#!/bin/sh
# Offline analysis speed and memory: `opentrail check --format md` and
# `--format json` on realistic logs (bench/gen_log.sh: several threads, one
# shared kernel path buffer per thread) of 100k and 1M lines. Prints lines/s and
# peak RSS for each, and how far 100k -> 1M is from linear.
# Goals (issue 10): >= 1,000,000 lines/s for both formats on 1M lines, peak
# memory < 200 MB, 100k -> 1M within 1.2x of linear; and (issue 21) 1M lines within 4x the
# time of awk '{n+=NF}' over the same file, in the same run, and < 200 MB also when a case
# is verified (the last line: md with --case case17_missing_file on the large log).
# Usage: bench/check_throughput.sh [SMALL_LINES] [LARGE_LINES]
set -eu
cd "$(dirname "$0")/.."
small=${1:-100000}
large=${2:-1000000}
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
bench/gen_log.sh "$large" >"$d/large.log"
head -n "$small" "$d/large.log" >"$d/small.log"
# The floor: awk reading every field of the same file, in the same run (goal: check within 4x).
/usr/bin/time -f '%e' -o "$d/awk" awk '{ n += NF } END { print n }' "$d/large.log" >/dev/null
for fmt in md json; do
	for size in small large; do
		lines=$(wc -l <"$d/$size.log")
		/usr/bin/time -f '%e %M' -o "$d/time" build/opentrail check --format "$fmt" \
			--out "$d/out" "$d/$size.log" >/dev/null || true
		# the last line: a failing verdict (exit 1) adds a line before it
		secs=$(tail -n 1 "$d/time" | cut -d' ' -f1)
		kb=$(tail -n 1 "$d/time" | cut -d' ' -f2)
		awk -v f="$fmt" -v l="$lines" -v s="$secs" -v k="$kb" 'BEGIN {
			if (s < 0.01) s = 0.01
			printf "%-4s %8d lines: %6.2f s  %9.0f lines/s  peak RSS %5.0f MB\n", f, l, s, l / s, k / 1024 }'
		echo "$fmt $size $lines $secs" >>"$d/all"
	done
done
awk '{ t[$1 " " $2] = $4; n[$1 " " $2] = $3 }
END {
	for (f = 1; f <= 2; f++) {
		fmt = f == 1 ? "md" : "json"
		ts = t[fmt " small"]; tl = t[fmt " large"]
		if (ts < 0.01) ts = 0.01
		printf "%-4s %d -> %d lines: time x%.1f for lines x%.1f (%.2fx of linear)\n", fmt,
			n[fmt " small"], n[fmt " large"], tl / ts, n[fmt " large"] / n[fmt " small"],
			(tl / ts) / (n[fmt " large"] / n[fmt " small"])
	}
}' "$d/all"
awk -v a="$(tail -n 1 "$d/awk")" '$2 == "large" {
	if (a < 0.01) a = 0.01
	printf "%-4s %d lines: %.2f s, awk {n+=NF} %.2f s: %.1fx awk\n", $1, $3, $4, a, $4 / a
}' "$d/all"
/usr/bin/time -f '%e %M' -o "$d/time" build/opentrail check --format md \
	--case case17_missing_file --out "$d/out" "$d/large.log" >/dev/null || true
tail -n 1 "$d/time" | awk -v l="$(wc -l <"$d/large.log")" '{
	printf "md   %d lines, --case case17_missing_file: %.2f s, peak RSS %.0f MB\n", l, $1, $2 / 1024 }'
