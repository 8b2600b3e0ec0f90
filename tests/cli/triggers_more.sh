#!/bin/sh
# The trigger programs of the repository's other cases (docs/cases.md;
# docs/trigger-protocol.md), run on this machine as root in a temporary work
# directory, as tests/cli/triggers.sh runs the seed cases:
#  - without --gate, twice in a row: exit 0, well-formed user.fact lines
#    (seq 1..N, errno and errname agreeing), the results the case expects, the
#    extra fields its claims use, and nothing left behind (work directory,
#    mounts, loop devices);
#  - with --gate, through fifos on fds 3/4: R, then G, then D, then G, with the
#    case's setup done at R (and its operations done at D), and the facts
#    written only after the second G.
# case5_mount_jump needs loop devices: when the kernel has none, the trigger
# says so ("no loop device support") and that alone counts as a skip.
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
. tests/triggers_lib.sh
LOOP_CASE=case5_mount_jump

# The cases and their operations, in the notation of tests/triggers_lib.sh.
EXPECT='
case1_relative	open fd;close 0
case2_deep_miss	open -1 ENOENT
case3_deep_hit	open fd;close 0;open fd;close 0
case4_create_flow	open fd;close 0;open fd;close 0
case5_mount_jump	open fd;close 0
case6_symlink_loop	open -1 ELOOP
case8_create_excl	open fd;close 0;open -1 EEXIST
case8_long_name	open fd;close 0;open fd;close 0
case10_rename	open fd;close 0;rename 0;open fd;close 0
case11_bulk_rename	rename 0;open fd;close 0
case13_salt	open fd;close 0;open fd;close 0
case14_symmetry	open fd;close 0;open fd;close 0
case16_exists_vs_missing	open fd;close 0;open -1 ENOENT
case16_openat2_front_door	openat fd;close 0;openat2 fd;close 0;openat2 -1 ENOENT
demo_at_fdcwd	open fd;close 0;openat fd;close 0;raw_openat fd;close 0
demo_dup_names	open fd;close 0;open fd;close 0
demo_o_path	open fd;close 0
demo_o_tmpfile	open fd;fstat 0;close 0
demo_toctou	rename 0;symlink 0;open fd;fstat 0;openat fd;fstat 0;close 0;close 0
'

# fact SEQ: the user.fact line with that seq number.
fact() { grep " seq=$1 " "$OUT"; }
# field SEQ KEY: the value of KEY= in fact SEQ (quotes kept for strings).
field() { fact "$1" | sed -nE "s/.* $2=(0x[0-9a-f]+|-?[0-9]+|$Q).*/\\1/p"; }
# base SEQ: the last component of fact SEQ's path.
base() { field "$1" path | sed -E 's/^"(.*)"$/\1/; s|.*/||'; }

# want_eq WHAT GOT WANT
want_eq() { [ "$2" = "$3" ] || t_fail "$1 is '$2', expected '$3'"; }

# check_extra CASE: the paths, flags and extra fields the claims rely on.
check_extra() {
	d="\"$(cd "$W" && pwd -P)/$1"
	case $1 in
	case1_relative)
		want_eq path "$(field 1 path)" '"rel.txt"'
		want_eq flags "$(field 1 flags)" 0x41 ;;
	case2_deep_miss) want_eq path "$(field 1 path)" "$d/alpha/beta/gamma/x.txt\"" ;;
	case3_deep_hit | case4_create_flow | case8_long_name)
		want_eq "the second path" "$(field 3 path)" "$(field 1 path)" ;;
	case5_mount_jump)
		want_eq path "$(field 1 path)" "$d/mnt/f.txt\""
		p=$(field 1 parent_dev); m=$(field 1 mnt_dev)
		[ -n "$p" ] && [ -n "$m" ] && [ "$p" != "$m" ] ||
			t_fail "parent_dev '$p' and mnt_dev '$m' should differ" ;;
	case6_symlink_loop) want_eq path "$(field 1 path)" "$d/link_a\"" ;;
	case8_create_excl)
		want_eq flags "$(field 1 flags) $(field 3 flags)" "0xc1 0xc1"
		want_eq "the second path" "$(field 3 path)" "$(field 1 path)" ;;
	esac
	case $1 in
	case8_long_name)
		want_eq "the name's length" "$(base 1 | tr -d '\n' | wc -c)" 65
		want_eq name_len "$(field 1 name_len)" 65 ;;
	case10_rename)
		want_eq "rename" "$(field 3 path) $(field 3 new)" "$d/d_old\" $d/d_new\""
		want_eq "the paths" "$(field 1 path) $(field 4 path)" "$d/d_old/f\" $d/d_new/f\"" ;;
	case11_bulk_rename)
		want_eq "rename" "$(field 1 path) $(field 1 new)" "$d/dir\" $d/dir2\""
		want_eq path "$(field 2 path)" "$d/dir2/child_50\"" ;;
	case13_salt | demo_dup_names)
		want_eq "the basenames" "$(base 1)" "$(base 3)"
		[ "$(field 1 path)" != "$(field 3 path)" ] || t_fail "the two paths are the same" ;;
	case14_symmetry)
		want_eq "the paths" "$(field 1 path) $(field 3 path)" "$d/A/break_A\" $d/B/break_@\"" ;;
	case16_exists_vs_missing) want_eq path "$(field 1 path)" "$d/exists.txt\"" ;;
	case16_openat2_front_door)
		want_eq dirfd "$(field 1 dirfd) $(field 3 dirfd) $(field 5 dirfd)" "-100 -100 -100"
		want_eq "openat2 fields" "$(field 3 mode) $(field 3 resolve)" "0 0"
		want_eq "the second path" "$(field 3 path)" "$(field 1 path)" ;;
	demo_at_fdcwd)
		want_eq paths "$(field 1 path) $(field 3 path) $(field 5 path)" '"f.txt" "f.txt" "f.txt"'
		want_eq dirfd "$(field 3 dirfd) $(field 5 dirfd)" "-100 -100"
		want_eq nr "$(field 5 nr)" 257 ;;
	demo_o_path) want_eq flags "$(field 1 flags)" 0x200000 ;;
	demo_o_tmpfile)
		want_eq path "$(field 1 path)" "$d\""
		want_eq flags "$(field 1 flags)" 0x410002
		want_eq nlink "$(field 2 nlink)" 0 ;;
	demo_toctou)
		want_eq rename "$(field 1 path) $(field 1 new)" "$d/real\" $d/moved\""
		want_eq symlink "$(field 2 path) $(field 2 target)" "$d/real\" \"other\""
		want_eq "the path open's inode" "$(field 4 ino)" "$(field 3 expect_ino)"
		want_eq "the dirfd open's inode" "$(field 6 ino)" "$(field 5 expect_ino)"
		[ "$(field 4 ino)" != "$(field 6 ino)" ] || t_fail "both opens reached one inode"
		fd=$(field 5 dirfd)
		[ -n "$fd" ] && [ "$fd" -ge 0 ] || t_fail "openat's dirfd is '$fd'" ;;
	esac
}

# at_ready CASE: the setup is done before the operations (checked at R).
at_ready() {
	d=$W/$1
	case $1 in
	case1_relative) [ ! -e "$d/rel.txt" ] || t_fail "rel.txt exists at R" ;;
	case5_mount_jump)
		grep -q " $d/mnt " /proc/self/mountinfo || t_fail "nothing mounted at R"
		[ -f "$d/mnt/f.txt" ] || t_fail "no mnt/f.txt at R" ;;
	case6_symlink_loop) [ -L "$d/link_a" ] && [ -L "$d/link_b" ] || t_fail "no links at R" ;;
	case10_rename) [ -f "$d/d_old/f" ] && [ ! -e "$d/d_new" ] || t_fail "not d_old/f alone at R" ;;
	case11_bulk_rename)
		want_eq "files at R" "$(find "$d/dir" -maxdepth 1 -name 'child_*' 2>/dev/null | wc -l)" 100 ;;
	demo_toctou)
		[ -d "$d/real" ] && [ ! -L "$d/real" ] && [ ! -e "$d/moved" ] ||
			t_fail "real is not a plain directory at R" ;;
	esac
}

# at_done CASE: the operations happened inside the window (checked at D).
at_done() {
	d=$W/$1
	case $1 in
	case1_relative) [ -f "$d/rel.txt" ] || t_fail "no rel.txt at D" ;;
	case10_rename) [ -f "$d/d_new/f" ] || t_fail "no d_new/f at D" ;;
	case11_bulk_rename) [ -f "$d/dir2/child_99" ] || t_fail "no dir2/child_99 at D" ;;
	demo_toctou) [ -L "$d/real" ] && [ -d "$d/moved" ] || t_fail "no swap at D" ;;
	esac
}

# check_clean CASE: nothing of the run is left.
check_clean() {
	left=$(ls -A "$W" 2>/dev/null)
	[ -z "$left" ] || t_fail "the work directory still holds: $left"
	grep -qF " $W/" /proc/self/mountinfo && t_fail "a mount is left under $W"
	cat /sys/block/loop*/loop/backing_file 2>/dev/null | grep -qF "$W/" &&
		t_fail "a loop device still holds the image"
	return 0
}

run_cases triggers_more

# A mount point under the case directory: a runner that gives up at R must
# still get the file system unmounted and the loop device released.
run_gate_closed trigger_more_gate_closed case5_mount_jump
