#!/bin/sh
# The trigger programs (build/triggers/<case>, docs/trigger-protocol.md), run on
# this machine as root in a temporary work directory:
#  - without --gate, twice in a row: exit 0, well-formed user.fact lines
#    (seq 1..N, pid of the trigger, errno and errname agreeing), the results
#    the case expects, and nothing left behind (work directory, mounts, loops);
#  - with --gate, through fifos on fds 3/4: R, then G, then D, then G, in that
#    order, with the case directory present between the gates and the facts
#    written only after the second G.
# stage2_a_miss needs loop devices: when the kernel has none, the trigger says
# so ("no loop device support") and that alone counts as a skip.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/triggers_lib.sh
chmod 755 "$TMP" # perm_rdwr_denied walks it as uid 65534
LOOP_MNT=/mnt/loopfs
LOOP_CASE=stage2_a_miss

# The cases and their operations, in the notation of tests/triggers_lib.sh.
EXPECT='
case7_symlink_fast	open fd;close 0
case17_missing_file	open -1 ENOENT;open -1 ENOENT
stage2_minimal_open	open fd;close 0;open fd;close 0
stage2_te_miss	open fd
stage2_tm_miss	open -1 ENOENT;open -1 ENOENT
stage2_lm_miss	open -1 ENOENT
stage2_a_miss	open -1 ENOENT
stage2_lifecycle	open fd;close 0;unlink 0;drop_caches 1
stage2_rebuild	open fd;close 0;drop_caches 1;open fd;close 0
perm_rdwr_ok	open fd
perm_rdwr_denied	open -1 EACCES
socket_inet_stream	socket fd;close 0
'

# check_extra CASE: the extra fields some cases print for the claims.
check_extra() {
	case $1 in
	stage2_te_miss | stage2_tm_miss)
		len=$(printf '%s/%s/' "$(cd "$W" && pwd -P)" "$1" | wc -c)
		[ "$(grep -c " prefix_len=$len\$" "$OUT")" = "$(grep -c . "$OUT")" ] ||
			t_fail "prefix_len is not $len: $(head -1 "$OUT")" ;;
	stage2_lm_miss) t_grep ' prefix_len=0$' "$OUT" ;;
	stage2_a_miss) t_grep ' path="/mnt/loopfs/a.txt" .* prefix_len=12$' "$OUT" ;;
	stage2_minimal_open)
		name=$(sed -nE '1s/.* path="([^"]*)".*/\1/p' "$OUT")
		[ "${#name}" -ge 64 ] || t_fail "the long name has ${#name} bytes, want >= 64" ;;
	perm_rdwr_denied | perm_rdwr_ok) t_grep ' flags=0x2 ' "$OUT" ;;
	esac
}

# check_clean CASE: nothing of the run is left.
check_clean() {
	left=$(ls -A "$W" 2>/dev/null)
	[ -z "$left" ] || t_fail "the work directory still holds: $left"
	[ "$1" = stage2_a_miss ] || return 0
	grep -q " $LOOP_MNT " /proc/self/mountinfo && t_fail "$LOOP_MNT is still mounted"
	[ "$mnt_existed" = 1 ] || [ ! -e "$LOOP_MNT" ] || t_fail "$LOOP_MNT was left behind"
	cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -qF "$W/" &&
		t_fail "a loop device still holds the image"
	return 0
}

mnt_existed=0
[ -e "$LOOP_MNT" ] && mnt_existed=1
run_cases triggers
run_gate_closed trigger_gate_closed case17_missing_file

t_begin trigger_usage
t_expect_status 2 "$TRIG/socket_inet_stream" --no-such-option
t_expect_status 0 "$TRIG/socket_inet_stream" --help
t_end

t_begin trigger_quoting
W="$TMP/a \"quoted\" = dir	tab"
"$TRIG/case7_symlink_fast" --workdir "$W" >"$OUT" 2>"$ERR" || t_fail "exit $?: $(cat "$ERR")"
check_facts case7_symlink_fast ""
t_grep 'path="[^"]*/a \\"quoted\\" = dir\\ttab/case7_symlink_fast/good_link"' "$OUT"
check_clean case7_symlink_fast
t_end
