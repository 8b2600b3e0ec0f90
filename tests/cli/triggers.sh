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
TRIG=build/triggers
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT
trap '' PIPE
chmod 755 "$TMP" # perm_rdwr_denied walks it as uid 65534
W=$TMP/work
OUT=$TMP/out
ERR=$TMP/err
LOOP_MNT=/mnt/loopfs

# Case, then the expected operations: "call result[ ERRNAME]" joined by ";",
# where result is "fd" (a descriptor >= 0) or the exact return value.
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

# One user.fact line, as docs/line-format.md writes it.
Q='"([^"\\]|\\.)*"'
FACT_RE="^\[opentrail\] user\.fact pid=[0-9]+ tid=[0-9]+ comm=$Q seq=[0-9]+ call=\"[a-z_]+\" path=$Q flags=0x[0-9a-f]+ ret=-?[0-9]+ errno=[0-9]+ errname=\"(E[A-Z0-9]+)?\"( [a-z_]+=(-?[0-9]+|$Q))*\$"

# The operations of a run's output, in the EXPECT notation.
summarise() {
	grep '^\[opentrail\] user\.fact ' "$1" | sed -E \
		's/.* call="([a-z_]+)" .* ret=(-?[0-9]+) errno=[0-9]+ errname="([A-Z0-9]*)".*/\1 \2 \3/' |
		awk '{ r = $2; if (($1 == "open" || $1 == "socket") && r >= 0) r = "fd";
		       s = s (NR > 1 ? ";" : "") $1 " " r ($3 != "" ? " " $3 : "") } END { print s }'
}

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

# skipped CASE STATUS: the one accepted reason not to run, printed as a pass.
skipped() {
	[ "$1" = stage2_a_miss ] && [ "$2" = 1 ] && grep -q 'no loop device support' "$ERR" || return 1
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
		grep -q user.fact "$OUT" && t_fail "facts before the operations"
		printf G >&6
		gate_read r2
		[ "$r2" = D ] || t_fail "read '$r2' after G, expected D"
		[ -d "$W/$c" ] || t_fail "case directory removed before the last G"
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

# A runner that gives up: the gate closes without G; the trigger cleans up and exits 1.
run_gate_closed() {
	c=case17_missing_file
	t_begin trigger_gate_closed
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
	[ "$r1" = R ] || t_fail "read '$r1', expected R"
	[ "$st" = 1 ] || t_fail "exit $st, expected 1"
	t_grep 'closed before' "$ERR"
	grep -q user.fact "$OUT" && t_fail "facts without operations"
	check_clean "$c"
	t_end
}

cases=$(printf '%s\n' "$EXPECT" | cut -f1 | grep .)
missing=
for c in $cases; do
	[ -x "$TRIG/$c" ] || missing="$missing $c"
done
if [ -n "$missing" ]; then
	echo "FAIL triggers_built (not built:$missing; run make)"
	exit 1
fi
mnt_existed=0
[ -e "$LOOP_MNT" ] && mnt_existed=1
for c in $cases; do
	run_plain "$c" 1
	run_plain "$c" 2
	run_gated "$c"
done
run_gate_closed

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
