#!/bin/sh
# The trigger programs of the repository's other cases (CASES.md, second table;
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
TRIG=build/triggers
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT
trap '' PIPE
W=$TMP/work
OUT=$TMP/out
ERR=$TMP/err

# Case, then the expected operations: "call result[ ERRNAME]" joined by ";",
# where result is "fd" (a descriptor >= 0) or the exact return value.
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

# One user.fact line, as docs/line-format.md writes it.
Q='"([^"\\]|\\.)*"'
FACT_RE="^\[opentrail\] user\.fact pid=[0-9]+ tid=[0-9]+ comm=$Q seq=[0-9]+ call=\"[a-z_0-9]+\" path=$Q flags=0x[0-9a-f]+ ret=-?[0-9]+ errno=[0-9]+ errname=\"(E[A-Z0-9]+)?\"( [a-z_]+=(-?[0-9]+|$Q))*\$"

# The operations of a run's output, in the EXPECT notation.
summarise() {
	grep '^\[opentrail\] user\.fact ' "$1" | sed -E \
		's/.* call="([a-z_0-9]+)" .* ret=(-?[0-9]+) errno=[0-9]+ errname="([A-Z0-9]*)".*/\1 \2 \3/' |
		awk '$1 ~ /^(open|openat|openat2|raw_openat|socket)$/ && $2 >= 0 { $2 = "fd" }
		     { s = s (NR > 1 ? ";" : "") $1 " " $2 ($3 != "" ? " " $3 : "") } END { print s }'
}

# fact SEQ: the user.fact line with that seq number.
fact() { grep " seq=$1 " "$OUT"; }
# field SEQ KEY: the value of KEY= in fact SEQ (quotes kept for strings).
field() { fact "$1" | sed -nE "s/.* $2=(0x[0-9a-f]+|-?[0-9]+|$Q).*/\\1/p"; }
# base SEQ: the last component of fact SEQ's path.
base() { field "$1" path | sed -E 's/^"(.*)"$/\1/; s|.*/||'; }

# check_facts CASE PID: the facts in $OUT are well-formed and as expected.
check_facts() {
	c=$1; pid=$2
	want=$(printf '%s\n' "$EXPECT" | awk -F'\t' -v c="$c" '$1 == c { print $2 }')
	n=$(grep -c '^\[opentrail\] user\.fact ' "$OUT")
	[ "$n" -gt 0 ] || { t_fail "no user.fact line"; return; }
	bad=$(grep '^\[opentrail\] user\.fact ' "$OUT" | grep -Evc "$FACT_RE")
	[ "$bad" = 0 ] || t_fail "$bad malformed user.fact line(s): $(grep -Ev "$FACT_RE" "$OUT" | head -1)"
	[ "$(grep -vc '^\[opentrail\] user\.fact ' "$OUT")" = 0 ] || t_fail "stdout has other lines"
	seqs=$(sed -E 's/.* seq=([0-9]+) .*/\1/' "$OUT" | tr '\n' ' ')
	[ "$seqs" = "$(seq 1 "$n" | tr '\n' ' ')" ] || t_fail "seq is $seqs"
	[ -z "$pid" ] || [ "$(grep -vc " pid=$pid tid=$pid " "$OUT")" = 0 ] ||
		t_fail "a fact's pid/tid is not the trigger's ($pid)"
	grep -Eq 'errno=0 errname="[^"]' "$OUT" && t_fail "errname given with errno 0"
	grep -Eq 'errno=[1-9][0-9]* errname=""' "$OUT" && t_fail "errno without errname"
	got=$(summarise "$OUT")
	[ "$got" = "$want" ] || t_fail "operations are '$got', expected '$want'"
}

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

# skipped CASE STATUS: the one accepted reason not to run, printed as a pass.
skipped() {
	[ "$1" = case5_mount_jump ] && [ "$2" = 1 ] && grep -q 'no loop device support' "$ERR" ||
		return 1
	echo "PASS $t_name (skipped: this kernel has no loop device support)"
	return 0
}

run_plain() { # CASE RUN
	c=$1
	t_begin "trigger_${c}_run$2"
	"$TRIG/$c" --workdir "$W" >"$OUT" 2>"$ERR"
	st=$?
	if skipped "$c" "$st"; then return; fi
	[ "$st" = 0 ] || t_fail "exit $st: $(head -c 300 "$ERR")"
	[ -s "$ERR" ] && t_fail "stderr: $(head -c 300 "$ERR")"
	check_facts "$c" ""
	check_extra "$c"
	check_clean "$c"
	t_end
}

# Reads one line from fd 5 into $1 (empty at end of file).
gate_read() { IFS= read -r "$1" <&5 || eval "$1="; }

run_gated() { # CASE
	c=$1
	t_begin "trigger_${c}_gate"
	rm -f "$TMP/ready" "$TMP/gate"
	mkfifo "$TMP/ready" "$TMP/gate" || { t_fail mkfifo; t_end; return; }
	"$TRIG/$c" --gate --workdir "$W" 3>"$TMP/ready" 4<"$TMP/gate" >"$OUT" 2>"$ERR" &
	pid=$!
	(sleep 120; kill "$pid") >/dev/null 2>&1 &
	watchdog=$!
	exec 5<"$TMP/ready" 6>"$TMP/gate"
	gate_read r1
	if [ "$r1" = R ]; then
		[ -d "$W/$c" ] || t_fail "no case directory at R"
		at_ready "$c"
		grep -q user.fact "$OUT" && t_fail "facts before the operations"
		printf G >&6
		gate_read r2
		[ "$r2" = D ] || t_fail "read '$r2' after G, expected D"
		[ -d "$W/$c" ] || t_fail "case directory removed before the last G"
		at_done "$c"
		grep -q user.fact "$OUT" && t_fail "facts written inside the window"
		[ "$r2" = D ] && printf G >&6
	fi
	wait "$pid"
	st=$?
	exec 5<&- 6>&-
	kill "$watchdog" 2>/dev/null
	if [ "$r1" != R ] && skipped "$c" "$st"; then return; fi
	[ "$r1" = R ] || t_fail "read '$r1' first, expected R ($(head -c 300 "$ERR"))"
	[ "$st" = 0 ] || t_fail "exit $st: $(head -c 300 "$ERR")"
	check_facts "$c" "$pid"
	check_extra "$c"
	check_clean "$c"
	t_end
}

cases=$(printf '%s\n' "$EXPECT" | cut -f1 | grep .)
missing=
for c in $cases; do
	[ -x "$TRIG/$c" ] || missing="$missing $c"
done
if [ -n "$missing" ]; then
	echo "FAIL triggers_more_built (not built:$missing; run make)"
	exit 1
fi
for c in $cases; do
	run_plain "$c" 1
	run_plain "$c" 2
	run_gated "$c"
done

# A mount point under the case directory: a runner that gives up at R must
# still get the file system unmounted and the loop device released.
t_begin trigger_more_gate_closed
c=case5_mount_jump
rm -f "$TMP/ready" "$TMP/gate"
mkfifo "$TMP/ready" "$TMP/gate"
"$TRIG/$c" --gate --workdir "$W" 3>"$TMP/ready" 4<"$TMP/gate" >"$OUT" 2>"$ERR" &
pid=$!
exec 5<"$TMP/ready" 6>"$TMP/gate"
gate_read r1
exec 6>&-
wait "$pid"
st=$?
exec 5<&-
if [ "$r1" != R ] && skipped "$c" "$st"; then :; else
	[ "$r1" = R ] || t_fail "read '$r1', expected R"
	[ "$st" = 1 ] || t_fail "exit $st, expected 1"
	t_grep 'closed before' "$ERR"
	grep -q user.fact "$OUT" && t_fail "facts without operations"
	check_clean "$c"
	t_end
fi
