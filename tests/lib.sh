# Shared helpers for the shell test suites. Each test prints "PASS name" or
# "FAIL name"; the suite runner (tests/run.sh) adds them up.
# Usage: . tests/lib.sh; t_begin NAME; ...checks...; t_end
OT=${OT:-build/opentrail}
# The lab kernels the lab suites run on (the Makefile's LAB_KERNELS).
LAB_KERNELS=${LAB_KERNELS:-5.10 6.1 6.12 newest}
# The lab matrix: LAB_MATRIX=full runs every lab suite on every kernel of
# LAB_KERNELS; sample (make check's default, to stay well inside CI's time) runs each
# suite on the kernels it names in lab_sample, so that every kernel is booted by
# some suite and the whole catalogue runs on two kernels (tests/lab/cases.sh).
LAB_MATRIX=${LAB_MATRIX:-sample}
case $LAB_MATRIX in full | sample) ;; *) echo "LAB_MATRIX=$LAB_MATRIX: want full or sample" >&2; exit 2 ;; esac
# One case of each family of the catalogue (the open path, permissions and line
# probes, sockets and the socket puzzle, each errno family of the atlas): what the
# sampled matrix runs where it does not run the whole catalogue.
LAB_FAMILY_CASES="case17_missing_file case7_symlink_fast stage2_lifecycle perm_rdwr_ok perm_rdwr_denied
socket_inet_stream socket_emfile_release errno_enotdir_file_component errno_emfile_rlimit
errno_e2big_open_how errno_eagain_resolve_cached errno_eafnosupport_family"

# lab_sample SUITE KERNEL...: in the sampled matrix, keep only these of LAB_KERNELS
# and say so (a "lab matrix:" line, which tests/run.sh gathers); in the full one,
# keep them all.
lab_sample() {
	_suite=$1; shift
	if [ "$LAB_MATRIX" = sample ]; then
		_keep=
		for _k in $LAB_KERNELS; do
			case " $* " in *" $_k "*) _keep="$_keep $_k" ;; esac
		done
		LAB_KERNELS=${_keep# }
	fi
	echo "lab matrix: $_suite on ${LAB_KERNELS:-no kernel} ($LAB_MATRIX)"
}

# lab_each FUNC: FUNC K for every lab kernel K, LAB_JOBS (2) guests at a time (each
# guest is one emulated CPU): a kernel starts as soon as a slot is free, so a slow
# kernel does not hold an idle core. Their PASS/FAIL lines come out in kernel order.
lab_each() {
	_f=$1 _pids=
	for _k in $LAB_KERNELS; do
		while :; do
			_n=0
			for _p in $_pids; do kill -0 "$_p" 2>/dev/null && _n=$((_n + 1)); done
			[ "$_n" -lt "${LAB_JOBS:-2}" ] && break
			sleep 1
		done
		"$_f" "$_k" >"$T_TMP/each-$_f-$_k.out" 2>&1 &
		_pids="$_pids $!"
	done
	# shellcheck disable=SC2086 # a list of pids
	wait $_pids
	for _k in $LAB_KERNELS; do cat "$T_TMP/each-$_f-$_k.out"; done
}
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
