# The shared part of the trigger suites, tests/cli/triggers.sh and
# tests/cli/triggers_more.sh: each runs a set of trigger programs
# (build/triggers/<case>, docs/trigger-protocol.md) as root in a temporary work
# directory. (It lives outside tests/cli/, where tests/run.sh would run it as a
# suite of its own.)
#
# A suite sources tests/lib.sh and this file from the top of the tree, then sets
#   EXPECT     its cases, one a line: CASE, a tab, the expected operations as
#              "call result[ ERRNAME]" joined by ";", where result is "fd" (a
#              descriptor >= 0) or the exact return value;
#   LOOP_CASE  the case that needs loop devices: when the kernel has none, the
#              trigger says so ("no loop device support") and that alone counts
#              as a skip;
# and defines check_extra CASE (the fields its claims rely on) and check_clean
# CASE (nothing of the run is left). at_ready CASE and at_done CASE, checks at
# the R and D gates, do nothing unless the suite redefines them.
TRIG=build/triggers
TMP=$(mktemp -d) || exit 2
trap 'rm -rf "$TMP"' EXIT
trap '' PIPE
W=$TMP/work
OUT=$TMP/out
ERR=$TMP/err

# One user.fact line, as docs/line-format.md writes it.
Q='"([^"\\]|\\.)*"'
FACT_RE="^\[opentrail\] user\.fact pid=[0-9]+ tid=[0-9]+ comm=$Q seq=[0-9]+ call=\"[a-z_0-9]+\" path=$Q flags=0x[0-9a-f]+ ret=-?[0-9]+ errno=[0-9]+ errname=\"(E[A-Z0-9]+)?\"( [a-z_]+=(-?[0-9]+|0x[0-9a-f]+|$Q))*\$"

# The operations of a run's output, in the EXPECT notation.
summarise() {
	grep '^\[opentrail\] user\.fact ' "$1" | sed -E \
		's/.* call="([a-z_0-9]+)" .* ret=(-?[0-9]+) errno=[0-9]+ errname="([A-Z0-9]*)".*/\1 \2 \3/' |
		awk '$1 ~ /^(open|openat|openat2|raw_openat|socket)$/ && $2 >= 0 { $2 = "fd" }
		     { s = s (NR > 1 ? ";" : "") $1 " " $2 ($3 != "" ? " " $3 : "") } END { print s }'
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

# at_ready CASE, at_done CASE: a suite's checks at the R and D gates.
at_ready() { :; }
at_done() { :; }

# skipped CASE STATUS: the one accepted reason not to run, printed as a pass.
skipped() {
	[ "$1" = "$LOOP_CASE" ] && [ "$2" = 1 ] && grep -q 'no loop device support' "$ERR" ||
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

# Starts "$TRIG/$1 --gate" in the background (its pid in $pid), its fds 3 and 4
# on the fifos $TMP/ready and $TMP/gate, which the caller then opens as fds 5
# (read) and 6 (written).
start_gated() { # CASE
	rm -f "$TMP/ready" "$TMP/gate"
	mkfifo "$TMP/ready" "$TMP/gate" || return 1
	"$TRIG/$1" --gate --workdir "$W" 3>"$TMP/ready" 4<"$TMP/gate" >"$OUT" 2>"$ERR" &
	pid=$!
}

run_gated() { # CASE
	c=$1
	t_begin "trigger_${c}_gate"
	start_gated "$c" || { t_fail mkfifo; t_end; return; }
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

# A runner that gives up at R: the gate closes without G; the trigger undoes
# its setup and exits 1.
run_gate_closed() { # TEST CASE
	c=$2
	t_begin "$1"
	start_gated "$c" || { t_fail mkfifo; t_end; return; }
	exec 5<"$TMP/ready" 6>"$TMP/gate"
	gate_read r1
	exec 6>&-
	wait "$pid"
	st=$?
	exec 5<&-
	if [ "$r1" != R ] && skipped "$c" "$st"; then return; fi
	[ "$r1" = R ] || t_fail "read '$r1', expected R"
	[ "$st" = 1 ] || t_fail "exit $st, expected 1"
	t_grep 'closed before' "$ERR"
	grep -q user.fact "$OUT" && t_fail "facts without operations"
	check_clean "$c"
	t_end
}

# run_cases SUITE: every case of EXPECT, twice without the gate and once with
# it; the suite fails at once (as SUITE_built) when a trigger is not built.
run_cases() {
	cases=$(printf '%s\n' "$EXPECT" | cut -f1 | grep .)
	missing=
	for c in $cases; do
		[ -x "$TRIG/$c" ] || missing="$missing $c"
	done
	if [ -n "$missing" ]; then
		echo "FAIL $1_built (not built:$missing; run make)"
		exit 1
	fi
	for c in $cases; do
		run_plain "$c" 1
		run_plain "$c" 2
		run_gated "$c"
	done
}
