#!/bin/sh
# Runs every test suite and prints the total as "N passed, N failed".
# Suites: the unit tests (built with sanitizers), the CLI tests, the lab tests.
# OT_SKIP_LAB=1 leaves the lab suite out (it needs qemu and downloads kernels).
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0; failed=0
T_TMP=$(mktemp -d); export T_TMP
trap 'rm -rf "$T_TMP"' EXIT

tally() { # counts PASS/FAIL lines of a suite's output in $1
	p=$(grep -c '^PASS ' "$1"); f=$(grep -c '^FAIL ' "$1")
	passed=$((passed + p)); failed=$((failed + f))
}

echo "== unit tests"
build/tests/unit_tests >"$T_TMP/unit.out" 2>&1; st=$?
cat "$T_TMP/unit.out"
tally "$T_TMP/unit.out"
[ $st -eq 0 ] || grep -q '^FAIL ' "$T_TMP/unit.out" || { echo "FAIL unit_tests (exit $st)"; failed=$((failed + 1)); }

suites="tests/cli"
[ "${OT_SKIP_LAB:-0}" = 1 ] || suites="$suites tests/lab"
for dir in $suites; do
	for t in "$dir"/*.sh; do
		[ -e "$t" ] || continue
		echo "== $t"
		t0=$(date +%s)
		sh "$t" >"$T_TMP/suite.out" 2>&1; st=$?
		cat "$T_TMP/suite.out"
		echo "   ($t: $(($(date +%s) - t0)) s)"
		tally "$T_TMP/suite.out"
		grep '^lab matrix: ' "$T_TMP/suite.out" >>"$T_TMP/matrix"
		if [ $st -ne 0 ] && ! grep -q '^FAIL ' "$T_TMP/suite.out"; then
			echo "FAIL $t (exit $st)"; failed=$((failed + 1))
		fi
	done
done
# Which cells of the lab matrix ran (make check samples it: tests/lib.sh).
[ ! -s "$T_TMP/matrix" ] || { echo "== lab matrix"; cat "$T_TMP/matrix"; }
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
