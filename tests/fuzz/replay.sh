#!/bin/sh
# Replays the seed corpus and every past crash (tests/fuzz/crashes/) through both
# fuzzers, once each: a regression test, run by `make check`.
set -u
cd "$(dirname "$0")/../.." || exit 2
status=0
for h in parse pipeline; do
	set -- tests/fuzz/corpus/$h/*
	for c in tests/fuzz/crashes/*; do [ -f "$c" ] && set -- "$@" "$c"; done
	if build/fuzz/fuzz_$h -timeout=20 -rss_limit_mb=2048 "$@" >"build/fuzz/replay_$h.out" 2>&1; then
		echo "fuzz_$h: replayed $# inputs"
	else
		echo "fuzz_$h: an input failed:" >&2
		grep -E 'ERROR|SUMMARY|Running:' "build/fuzz/replay_$h.out" | tail -5 >&2
		status=1
	fi
done
exit $status
