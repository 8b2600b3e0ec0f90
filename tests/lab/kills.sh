#!/bin/sh
# Kills, on every lab kernel ($LAB_KERNELS, two at a time) with both backends,
# while other processes keep calling open():
# - SIGINT to `opentrail run --all` after its first case: exit 130, no further
#   case, the case in flight (if any) written and marked interrupted="SIGINT",
#   never a pass, no temporary file left, nothing left attached or loaded;
# - SIGINT to `opentrail trace -- sleep 30` once attached: exit 130, its log
#   marked interrupted (bpf: trace has no kmod backend);
# - SIGKILL to `opentrail run --all` in the middle of a case;
# and after each, the next `opentrail run` of a case passes. One boot per kernel.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
CASE=${KILLS_CASE:-case17_missing_file}

cat >"$T_TMP/kills_guest" <<'EOF'
#!/bin/sh
# kills_guest CASE: writes /out/<backend>/<step>.status and the runs' outputs.
case_id=$1
# wait_for SECONDS CMD...: poll CMD every 0.2 s.
wait_for() {
	n=$(($1 * 5)); shift
	while [ $n -gt 0 ]; do "$@" && return 0; usleep 200000; n=$((n - 1)); done
	return 1
}
has_log() { ls "$1"/*.log >/dev/null 2>&1; }
module_loaded() { grep -q '^opentrail_kprobes ' /proc/modules; }
# the traced command runs only once the probes are attached (trace releases it then)
traced() { grep -qsx sleep /proc/[0-9]*/comm; }

# Concurrent open() load, not followed by the probes (they follow their target).
mkdir -p /work/load && cd /work/load || exit 1
echo x >exist
sh -c 'while :; do cat exist >/dev/null; cat missing 2>/dev/null; done' &
l1=$!
sh -c 'i=0; while :; do i=$((i + 1)); echo a >f$((i % 20)); cat f$((i % 20)) >/dev/null; rm -f f$((i % 10)); done' &
l2=$!
cd /work || exit 1

for be in bpf kmod; do
	o=/out/$be
	mkdir -p "$o"
	# SIGINT after the first case of --all.
	opentrail run --backend $be --all --out "$o/int" >"$o/int.stdout" 2>"$o/int.stderr" &
	p=$!
	wait_for 300 has_log "$o/int" || echo "no first case in time" >>"$o/int.stderr"
	kill -INT $p
	wait $p
	echo $? >"$o/int.status"
	module_loaded && echo loaded >"$o/int.module" || echo none >"$o/int.module"
	opentrail run --backend $be --out "$o/after_int" "$case_id" >"$o/after_int.stdout" 2>&1
	echo $? >"$o/after_int.status"

	if [ $be = bpf ]; then
		opentrail trace --out "$o/trace" -- sleep 30 >"$o/trace.stdout" 2>"$o/trace.stderr" &
		p=$!
		wait_for 120 traced || echo "not attached in time" >>"$o/trace.stderr"
		sleep 1
		kill -INT $p
		wait $p
		echo $? >"$o/trace.status"
	fi

	# SIGKILL in the middle of a case (kmod: while the module is loaded).
	opentrail run --backend $be --all --out "$o/kill" >"$o/kill.stdout" 2>"$o/kill.stderr" &
	p=$!
	wait_for 300 has_log "$o/kill" || echo "no first case in time" >>"$o/kill.stderr"
	[ $be = kmod ] && wait_for 60 module_loaded
	kill -KILL $p
	wait $p
	echo $? >"$o/kill.status"
	module_loaded && echo loaded >"$o/kill.module" || echo none >"$o/kill.module"
	opentrail run --backend $be --out "$o/after_kill" "$case_id" >"$o/after_kill.stdout" 2>&1
	echo $? >"$o/after_kill.status"
	module_loaded && echo loaded >"$o/after_kill.module" || echo none >"$o/after_kill.module"
done
kill $l1 $l2 2>/dev/null
dmesg | grep -E 'Oops|BUG:|WARNING:|general protection' | head -n 20 >/out/kernel_bad.txt
exit 0
EOF

# check_eq FILE WANT WHAT
check_eq() { [ "$(cat "$1" 2>/dev/null)" = "$2" ] || t_fail "$3: $(cat "$1" 2>/dev/null || echo missing), want $2"; }

# The interrupted runs' leftovers: any log marked interrupted has reports that do not pass.
check_interrupted() # DIR
{
	ls -A "$1" 2>/dev/null | grep -q '^\.' && t_fail "temporary files left in $1: $(ls -A "$1" | grep '^\.')"
	for log in "$1"/*.log; do
		[ -f "$log" ] || continue
		grep -q 'interrupted="SIGINT"' "$log" || continue
		echo "  interrupted and written: $log"
		j=${log%.log}.json
		[ -f "$j" ] || { t_fail "no report for $log"; continue; }
		[ "$(sed -n 's/^  "verdict": "\([a-z ]*\)",*$/\1/p' "$j" | head -n 1)" != pass ] ||
			t_fail "$j passes although interrupted"
		grep -q 'the run was interrupted (SIGINT)' "${log%.log}.md" || t_fail "${log%.log}.md does not say it was interrupted"
	done
}

kills_on()
{
	k=$1 out=$T_TMP/kills-$1
	$OT lab --kernel "$k" --timeout 1800 --add "$T_TMP/kills_guest" --out "$out" -- \
		sh /opentrail/add/kills_guest "$CASE" >"$out.stdout" 2>"$out.stderr"
	st=$?
	for be in bpf kmod; do
		o=$out/$be
		t_begin "kills_sigint_${k}_$be"
		[ "$st" = 0 ] || t_fail "lab exited $st: $(tail -n 5 "$out.stderr")"
		check_eq "$o/int.status" 130 "run --all after SIGINT exited"
		[ "$(grep -c ' report ' "$o/int.stdout" 2>/dev/null)" -lt 31 ] || t_fail "every case ran despite SIGINT"
		check_interrupted "$o/int"
		check_eq "$o/int.module" none "module after SIGINT"
		check_eq "$o/after_int.status" 0 "the next run of $CASE ($(tail -n 2 "$o/after_int.stdout" 2>/dev/null))"
		if [ $be = bpf ]; then
			check_eq "$o/trace.status" 130 "trace after SIGINT exited"
			grep -q 'interrupted="SIGINT"' "$o/trace/trace.log" 2>/dev/null || t_fail "trace.log not marked interrupted"
		fi
		t_end
		t_begin "kills_sigkill_${k}_$be"
		[ "$st" = 0 ] || t_fail "lab exited $st"
		check_eq "$o/kill.status" 137 "run --all after SIGKILL exited"
		check_eq "$o/after_kill.status" 0 "the next run of $CASE after SIGKILL ($(tail -n 2 "$o/after_kill.stdout" 2>/dev/null))"
		check_eq "$o/after_kill.module" none "module after the next run"
		t_end
	done
	t_begin "kills_kernel_clean_$k"
	[ -f "$out/kernel_bad.txt" ] || t_fail "no kernel log check came back"
	[ -s "$out/kernel_bad.txt" ] && t_fail "kernel: $(head -n 3 "$out/kernel_bad.txt")"
	t_end
}

lab_sample kills 5.10
lab_each kills_on
