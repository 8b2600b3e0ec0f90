#!/bin/sh
# The errno atlas's trigger programs (and the socket puzzle's), run on this machine
# as root in a temporary work directory, as tests/cli/triggers.sh runs the seed
# cases: each provokes its error for real, so the errno in its user.fact comes from
# the real system call of this machine's kernel (twice without the gate, once with
# it, nothing left behind). And the catalogue and the trigger programs are one
# list: every case's trigger is built, every trigger built belongs to a case.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/triggers_lib.sh
chmod 755 "$TMP" # errno_eperm_noatime walks it as uid 65534
LOOP_CASE=errno_ebusy_excl_mounted

# The cases and their operations, in the notation of tests/triggers_lib.sh.
EXPECT='
errno_e2big_open_how	openat2 -1 E2BIG
errno_eafnosupport_family	socket -1 EAFNOSUPPORT
errno_ebusy_excl_mounted	open -1 EBUSY
errno_eagain_resolve_cached	openat2 -1 EAGAIN
errno_ebadf_dirfd	openat -1 EBADF
errno_efault_bad_path	raw_openat -1 EFAULT
errno_einval_resolve_flag	openat2 -1 EINVAL
errno_einval_socket_type	socket -1 EINVAL
errno_einval_tmpfile_rdonly	open -1 EINVAL
errno_eisdir_wronly_dir	open -1 EISDIR
errno_eloop_no_symlinks	openat2 -1 ELOOP
errno_eloop_o_nofollow	open -1 ELOOP
errno_emfile_rlimit	open -1 EMFILE
errno_enametoolong_component	open -1 ENAMETOOLONG
errno_enotdir_file_component	open -1 ENOTDIR
errno_enotdir_o_directory	open -1 ENOTDIR
errno_eprotonosupport_inet_udp	socket -1 EPROTONOSUPPORT
errno_esocktnosupport_seqpacket	socket -1 ESOCKTNOSUPPORT
errno_exdev_beneath	openat2 -1 EXDEV
errno_exdev_no_xdev	openat2 -1 EXDEV
errno_erofs_readonly_mount	open -1 EROFS
errno_eperm_noatime	open -1 EPERM
errno_enxio_fifo_no_reader	open -1 ENXIO
errno_eopnotsupp_tmpfile	open -1 EOPNOTSUPP
errno_enospc_tmpfs_inodes	open -1 ENOSPC
errno_ewouldblock_lease	open -1 EAGAIN
errno_eintr_fifo_signal	open -1 EINTR
errno_enametoolong_path	open -1 ENAMETOOLONG
errno_eperm_raw_socket	socket -1 EPERM
socket_emfile_release	socket -1 EMFILE
'
# Triggers that change the whole machine (fs.file-max, fs.pipe-user-pages-hard,
# for every unprivileged process): run in the lab guest only (tests/lab/cases.sh),
# never here.
LAB_ONLY='errno_enfile_file_max errno_enfile_socket errno_enomem_fifo_pipe_pages'

check_extra() {
	case $1 in
	errno_emfile_rlimit | socket_emfile_release)
		# the limit is set back: this shell's next descriptor still opens
		[ "$(ulimit -n)" -gt 5 ] || t_fail "RLIMIT_NOFILE left at $(ulimit -n)" ;;
	esac
}
check_clean() {
	left=$(ls -A "$W" 2>/dev/null)
	[ -z "$left" ] || t_fail "the work directory still holds: $left"
	return 0
}
run_cases triggers_atlas

# Every errno_* trigger of src/triggers/ is in EXPECT above (a new atlas case is
# checked here too).
t_begin triggers_atlas_all_listed
for f in src/triggers/errno_*.c; do
	c=$(basename "$f" .c)
	case " $LAB_ONLY " in *" $c "*) continue ;; esac
	printf '%s\n' "$EXPECT" | grep -q "^$c	" || t_fail "$c is not in this suite's EXPECT (nor LAB_ONLY)"
done
t_end

# One registration per case: the catalogue's triggers and the programs built from
# src/triggers/ are the same set.
t_begin catalogue_and_triggers_agree
$OT list -v | sed -n 's/^ *trigger: \([^ ]*\) .*/\1/p' | sort -u >"$TMP/want"
ls build/triggers | grep -v '^obj$' | sort >"$TMP/built"
[ -s "$TMP/want" ] || t_fail "opentrail list -v names no trigger"
extra=$(comm -13 "$TMP/want" "$TMP/built" | tr '\n' ' ')
missing=$(comm -23 "$TMP/want" "$TMP/built" | tr '\n' ' ')
[ -z "$missing" ] || t_fail "cases whose trigger is not built: $missing"
[ -z "$extra" ] || t_fail "triggers that no case runs: $extra"
t_end
