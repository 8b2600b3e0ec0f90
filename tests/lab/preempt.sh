#!/bin/sh
# Records stay whole when a BPF program is preempted mid-record. On the newest
# lab kernel (preemption lazy by default) and on 6.12 booted with preempt=full,
# four shells each open their own file, a long name holding the shell's pid, in a
# loop under `opentrail trace` (the default open path). Every record that names
# one of those files must come from the shell whose pid the name holds, whole, and
# no record may be there twice: a scratch copy another task wrote into would show
# as a name in the wrong thread's record, a cut or mixed name, or a record sent
# twice. A trampoline (fentry/fexit) does not run a program on a CPU where it is
# already running, and a program preempted mid-record is still running: the calls
# other tasks make there meanwhile are not recorded. The kernel counts them in the
# program's recursion_misses, and so must opentrail (run.fact missed=, and the
# run cannot pass): every open of the shells is in the log or among those counted.
# opentrail takes kprobes by default on such kernels (their programs run with
# preemption off); the test asks for fentry, the way that is preempted.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }

# Opens per shell (and one more that creates the file).
N=${PREEMPT_OPENS:-400}

cat >"$T_TMP/preempt_guest" <<'GUEST'
#!/bin/sh
n=$1
mkdir -p /tmp/s
cat >/tmp/s/loop.sh <<'LOOP'
f=/tmp/s/otst-$$-
i=0
while [ $i -lt 200 ]; do f=${f}x; i=$((i + 1)); done
: >"$f"
i=0
while [ $i -lt "$1" ]; do : <"$f"; i=$((i + 1)); done
LOOP
OPENTRAIL_BPF_ATTACH=fentry opentrail trace -v --out /out/st -- sh -c "for k in 1 2 3 4; do sh /tmp/s/loop.sh $n & done; wait" \
	>/out/st.stdout 2>/out/st.stderr
echo $? >/out/st.status
dmesg | grep -E 'Oops|BUG:|WARNING:|general protection' | head -n 20 >/out/kernel_bad.txt
exit 0
GUEST

# check_log LOG N: every name otst-PID-xxx... is whole and in a record of thread PID;
# no record twice (same function, thread and time); four shells, none with more than
# N+1 do_sys_openat2 entries naming its file.
check_log()
{
	awk -v n="$2" '
	function val(k,   i, p) {
		for (i = 1; i <= NF; i++) { p = index($i, "="); if (substr($i, 1, p - 1) == k) return substr($i, p + 1) }
		return ""
	}
	index($0, "otst-") {
		tid = val("tid"); rest = $0
		while ((p = index(rest, "otst-")) > 0) {
			rest = substr(rest, p + 5)
			id = rest; sub(/-.*/, "", id)
			named++
			xs = substr(rest, length(id) + 2); sub(/[^x].*/, "", xs)
			if (id != tid) {
				if (bad++ < 5) print "thread " tid " record names otst-" id ": " substr($0, 1, 160)
			} else if (length(xs) != 200) {
				if (bad++ < 5) print "thread " tid ": a name cut or mixed: " substr($0, 1, 160)
			}
		}
		if ($2 ~ /^do_sys_openat2\.entry$/) opens[tid]++
	}
	/^\[opentrail\] [a-z_0-9.]+\.(entry|ret) / {
		key = $2 " " val("tid") " " val("ts")
		if (key in seen) { if (dup++ < 5) print "twice: " substr($0, 1, 160) }
		seen[key] = 1
	}
	END {
		k = 0
		for (t in opens) { k++; if (opens[t] > n + 1) print "thread " t ": " opens[t] " opens recorded, want at most " n + 1 }
		if (k != 4) print k " threads opened the files, want 4"
		if (!named) print "no record names the files"
		if (bad) print bad " records in the wrong thread or mixed"
		if (dup) print dup " records twice"
	}' "$1"
}

preempt_on()
{
	k=$1 append=$2 out=$T_TMP/preempt-$1
	t_begin "bpf_records_preempted_${k}${append:+_full}"
	OPENTRAIL_LAB_APPEND="$append ${OPENTRAIL_LAB_APPEND:-}" \
		$OT lab --kernel "$k" --timeout 1200 --add "$T_TMP/preempt_guest" --out "$out" -- \
		sh /opentrail/add/preempt_guest "$N" >"$out.stdout" 2>"$out.stderr"
	st=$?
	if [ "$st" != 0 ] || [ ! -f "$out/st/trace.log" ]; then
		t_fail "lab exited $st: $(tail -n 5 "$out.stderr" "$out/st.stderr" 2>/dev/null)"
		t_end
		return
	fi
	grep -q 'records built in per-task scratch copies' "$out/st.stderr" ||
		t_fail "-v does not say records are built in per-task scratch copies"
	lost=$(grep 'run.fact' "$out/st/trace.log" | grep -o ' lost=[0-9]*' | tail -n 1)
	# No call goes missing silently: the opens of the shells that are not in the log
	# are at most the runs the kernel skipped (missed=), and the report says so.
	missed=$(grep 'run.fact' "$out/st/trace.log" | grep -o ' missed=[0-9]*' | tail -n 1)
	missed=${missed#* missed=}
	got=$(grep -c 'do_sys_openat2.entry .*otst-' "$out/st/trace.log")
	want=$((4 * (N + 1)))
	[ $((got + ${missed:-0})) -ge $want ] ||
		t_fail "$got of $want opens recorded, and only ${missed:-0} runs said missed"
	[ "$lost" = " lost=0" ] || t_fail "run.fact$lost (want lost=0: the ring is large enough)"
	if [ "${missed:-0}" -gt 0 ]; then
		echo "  $k: $got of $want opens recorded; missed=$missed"
		t_grep 'the kernel skipped [0-9]* probe runs' "$out/st/trace.md"
		t_grep '| `no_loss` | \*\*not evidenced\*\* |' "$out/st/trace.md"
	fi
	bad=$(check_log "$out/st/trace.log" "$N")
	[ -z "$bad" ] || t_fail "$bad"
	[ ! -s "$out/kernel_bad.txt" ] || t_fail "kernel: $(head -n 3 "$out/kernel_bad.txt")"
	t_end
}

echo "lab matrix: preempt on newest, 6.12 (preempt=full)"
# the two guests at once (one emulated CPU each), their lines in this order
preempt_on newest "" >"$T_TMP/preempt-newest.out" 2>&1 &
preempt_on 6.12 preempt=full >"$T_TMP/preempt-6.12.out" 2>&1 &
wait
cat "$T_TMP/preempt-newest.out" "$T_TMP/preempt-6.12.out"
