#!/bin/sh
# The lab's fault handling: a guest kernel panic and a guest command that hangs
# past --timeout both come back non-zero (4 and 3), within the timeout plus a
# small margin, with the console text saved next to the results.
set -u
# shellcheck source=tests/lib.sh
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }

# run_timed OUT TIMEOUT COMMAND...: run a lab; sets st and took (seconds).
run_timed()
{
	out=$1 limit=$2
	shift 2
	t0=$(date +%s)
	"$OT" lab --kernel 6.12 --timeout "$limit" --out "$out" -- "$@" >"$out.stdout" 2>"$out.stderr"
	st=$?
	took=$(($(date +%s) - t0))
}

panic_comes_back()
{
	out=$T_TMP/panic
	t_begin lab_kernel_panic_exits_4
	run_timed "$out" 60 sh -c 'echo before-panic; echo c >/proc/sysrq-trigger; sleep 100'
	[ "$st" = 4 ] || t_fail "exited $st, expected 4: $(tail -n 5 "$out.stderr")"
	[ "$took" -le 75 ] || t_fail "took $took s with --timeout 60"
	grep -q 'Kernel panic' "$out/console.log" 2>/dev/null || t_fail "no panic text in console.log"
	grep -q 'lab: | .*Kernel panic' "$out.stderr" || t_fail "no panic excerpt printed"
	grep -qx before-panic "$out.stdout" || t_fail "the command's output before the panic was lost"
	t_end
}

hang_is_stopped()
{
	out=$T_TMP/hang
	t_begin lab_timeout_exits_3
	run_timed "$out" 20 sh -c 'echo started; sleep 600'
	[ "$st" = 3 ] || t_fail "exited $st, expected 3: $(tail -n 5 "$out.stderr")"
	[ "$took" -le 30 ] || t_fail "took $took s with --timeout 20"
	grep -q 'OPENTRAIL-LAB-READY' "$out/console.log" 2>/dev/null || t_fail "no console.log of the booted guest"
	grep -q 'timeout' "$out.stderr" || t_fail "no timeout message"
	grep -qx started "$out.stdout" || t_fail "the command's output before the timeout was lost"
	t_end
}

echo "lab matrix: faults on 6.12"
panic_comes_back
hang_is_stopped
