#!/bin/sh
# Runs each fuzzer for SECONDS (default 60) from the committed seed corpus plus
# what earlier runs found (kept in build/fuzz/corpus/). A crash, a hang (-timeout)
# or a leak stops the run and leaves the input in build/fuzz/crashes/: add it to
# tests/fuzz/crashes/ with the fix, where every later `make check` replays it.
#   tests/fuzz/run.sh [SECONDS] [parse|pipeline]...
set -u
cd "$(dirname "$0")/../.." || exit 2
secs=${1:-60}
[ $# -gt 0 ] && shift
case $secs in '' | *[!0-9]*) echo "tests/fuzz/run.sh: SECONDS must be a number, not '$secs'" >&2; exit 2 ;; esac
harnesses=${*:-parse pipeline}
status=0
mkdir -p build/fuzz/crashes
for h in $harnesses; do
	bin=build/fuzz/fuzz_$h
	[ -x "$bin" ] || { echo "tests/fuzz/run.sh: $bin is not built (make fuzz-build)" >&2; exit 2; }
	mkdir -p "build/fuzz/corpus/$h"
	echo "== fuzz_$h for ${secs}s"
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len="${FUZZ_MAX_LEN:-4096}" \
		-print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$h-" \
		"build/fuzz/corpus/$h" "tests/fuzz/corpus/$h" >"build/fuzz/$h.out" 2>&1 || status=1
	grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE|ERROR|SUMMARY|Test unit written' \
		"build/fuzz/$h.out" | tail -5
done
exit $status
