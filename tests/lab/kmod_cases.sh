#!/bin/sh
# The twelve seed cases under the kernel-module backend, on both lab kernels:
# `opentrail run --backend kmod` in the guest, every case must pass, no record
# may be lost, every log must carry the module's unload report (nmissed), and
# the guest kernel must not oops (the lab would exit 4).
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
SEEDS="case7_symlink_fast case17_missing_file stage2_minimal_open stage2_te_miss stage2_tm_miss
stage2_lm_miss stage2_a_miss stage2_lifecycle stage2_rebuild perm_rdwr_ok perm_rdwr_denied
socket_inet_stream"

cases_on()
{
	k=$1 out=$T_TMP/kmod-cases-$1
	t_begin "kmod_seed_cases_$k"
	# shellcheck disable=SC2086
	OPENTRAIL_LAB_APPEND="oops=panic ${OPENTRAIL_LAB_APPEND:-}" \
		$OT lab --kernel "$k" --timeout 900 --out "$out" -- \
		opentrail run --backend kmod --out /out $SEEDS >"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "exited $st: $(grep -v ' pass ' "$out.stdout" | head -n 12; tail -n 4 "$out.stderr")"
	for c in $SEEDS; do
		line=$(grep "^$c " "$out.stdout")
		case "$line" in
		*" pass "*"kmod backend"*"lost=0"*) ;;
		*) t_fail "$c: ${line:-no result}" ;;
		esac
		log=$out/$c.log
		grep -q 'kmod.fact run_id="[^"]*" event="unload" nmissed=0' "$log" 2>/dev/null ||
			t_fail "$c: no unload report with nmissed=0 in its log"
	done
	t_end
}

for k in ${KMOD_CASES_KERNELS:-6.1 6.12}; do
	cases_on "$k"
done
