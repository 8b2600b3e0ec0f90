# Shared helpers for the shell test suites. Each test prints "PASS name" or
# "FAIL name"; the suite runner (tests/run.sh) adds them up.
# Usage: . tests/lib.sh; t_begin NAME; ...checks...; t_end
OT=${OT:-build/opentrail}
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); export T_TMP; }
t_failed=0
t_name=
t_begin() { t_name=$1; t_failed=0; }
t_fail() { echo "  $t_name: $*" >&2; t_failed=1; }
t_end() { if [ "$t_failed" = 0 ]; then echo "PASS $t_name"; else echo "FAIL $t_name"; fi; }
# t_expect_status WANT CMD...: run CMD, fail unless its exit status is WANT.
t_expect_status() {
	want=$1; shift
	"$@" >"$T_TMP/t_out" 2>"$T_TMP/t_err"; got=$?
	[ "$got" = "$want" ] || t_fail "'$*' exited $got, expected $want ($(head -c 300 "$T_TMP/t_err"))"
}
t_grep() { grep -q -- "$1" "$2" || t_fail "'$1' not found in $2"; }
