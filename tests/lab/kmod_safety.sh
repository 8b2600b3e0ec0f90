#!/bin/sh
# The kernel module's safety, on every lab kernel: 200 load/unload cycles of
# opentrail_kprobes (four probe sets and their recipes, as four cases resolve
# them on that kernel, one per cycle in turn) while other processes open, create, rename and delete files,
# one of them blocked inside open() on a FIFO (so that unloads happen with
# return probes in flight). Then: every cycle loaded and unloaded, every unload
# reported its nmissed, and the kernel log has no oops, BUG or WARNING.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
CYCLES=${KMOD_SAFETY_CYCLES:-200}

# The part that runs in the guest (as root, in an ext4 /work).
cat >"$T_TMP/kmod_safety_guest" <<'EOF'
#!/bin/sh
cycles=$1
ko=/opentrail/build/kmod/$(uname -r)/opentrail_kprobes.ko
[ -f "$ko" ] || { echo "guest: no module at $ko"; exit 1; }
# Four probe sets with their recipes, as opentrail resolves them on this kernel:
# one run of each case writes the module's parameters (probes=, recipes=).
g=0 n=0
for c in case17_missing_file stage2_lifecycle socket_inet_stream case8_create_excl; do
	OPENTRAIL_KMOD_PARAMS_FILE=/work/params$g opentrail run --backend kmod --out /work/r$g $c \
		>/work/r$g.txt 2>&1 || { echo "guest: run $c failed: $(tail -n 3 /work/r$g.txt)"; exit 1; }
	n=$((n + $(sed -n 's/^probes=\([^ ]*\) .*/\1/p' /work/params$g | tr ',' '\n' | grep -c .)))
	g=$((g + 1))
done
echo "guest: $n probes in 4 sets"

# Keep every kernel log line (cat stops if the ring buffer overtakes it: restart).
(while :; do cat /dev/kmsg; done) >/work/kmsg.txt 2>/dev/null &
logger_pid=$!
mkdir -p /work/s && cd /work/s || exit 1
mkfifo fifo
echo data >exist
# Followed: a shell opening existing and missing files itself, and one that
# blocks in open() on the FIFO until the writer comes.
sh -c 'i=0; while :; do i=$((i + 1)); read x <exist; read x <miss_$((i % 50)) 2>/dev/null; sleep 0.02; done' &
t1=$!
sh -c 'while :; do read x <fifo; done' &
t2=$!
# Not followed: the filter path, under load.
sh -c 'while :; do echo y >fifo; sleep 0.1; done' &
w1=$!
sh -c 'while :; do cat exist >/dev/null; ls /nonexistent >/dev/null 2>&1; sleep 0.01; done' &
w2=$!
sh -c 'while :; do echo a >f; mv f g; ln -s g l; cat l >/dev/null; rm -f g l; sleep 0.01; done' &
w3=$!

loaded=0 unloaded=0
i=0 t0=$(date +%s)
while [ $i -lt "$cycles" ]; do
	# shellcheck disable=SC2046 # probes=... recipes=... are two words
	if insmod "$ko" $(cat /work/params$((i % 4))) target_pids="$t1,$t2" run_id="s$i"; then
		loaded=$((loaded + 1))
		rmmod opentrail_kprobes && unloaded=$((unloaded + 1))
	fi
	i=$((i + 1))
	[ $((i % 50)) != 0 ] || echo "guest: $i cycles, $(($(date +%s) - t0)) s"
done
kill $t1 $t2 $w1 $w2 $w3 2>/dev/null
echo y >fifo &
sleep 1
kill $logger_pid 2>/dev/null
reports=$(grep -o 'run_id="s[0-9]*" event="unload" nmissed=[0-9]*' /work/kmsg.txt | sort -u)
nrep=$(printf '%s\n' "$reports" | grep -c unload)
nmissed=$(printf '%s\n' "$reports" | sed -n 's/.*nmissed=//p' | awk '{ s += $1 } END { print s + 0 }')
records=$(grep -c '\[opentrail\] [a-z_]*\.\(entry\|ret\) ' /work/kmsg.txt)
bad=$(dmesg | grep -c -E 'Oops|BUG:|WARNING:|general protection|Call Trace')
echo "guest: cycles=$cycles loaded=$loaded unloaded=$unloaded unload_reports=$nrep nmissed=$nmissed records=$records bad=$bad"
dmesg | grep -E 'Oops|BUG:|WARNING:|general protection|Call Trace' | head -n 20
EOF

safety_on()
{
	k=$1 out=$T_TMP/kmod-safety-$1
	t_begin "kmod_safety_$k"
	# oops=panic: a kernel failure ends the guest at once (the lab exits 4).
	OPENTRAIL_LAB_APPEND="oops=panic ${OPENTRAIL_LAB_APPEND:-}" $OT lab --kernel "$k" --smp "${KMOD_SAFETY_SMP:-1}" --timeout 1500 --add "$T_TMP/kmod_safety_guest" --out "$out" -- \
		sh /opentrail/add/kmod_safety_guest "$CYCLES" >"$out.stdout" 2>"$out.stderr"
	st=$?
	[ "$st" = 0 ] || t_fail "lab exited $st: $(tail -n 8 "$out.stderr")"
	res=$(grep '^guest: cycles=' "$out.stdout")
	echo "  $k: $res"
	[ -n "$res" ] || t_fail "no result line: $(tail -n 5 "$out.stdout")"
	for want in "cycles=$CYCLES" "loaded=$CYCLES" "unloaded=$CYCLES" "unload_reports=$CYCLES" "bad=0"; do
		case " $res " in *" $want "*) ;; *) t_fail "want $want in: $res" ;; esac
	done
	case "$res" in *" nmissed="[0-9]*) ;; *) t_fail "no nmissed total" ;; esac
	case "$res" in *" records=0"*) t_fail "the followed processes produced no records" ;; esac
	t_end
}

LAB_KERNELS=${KMOD_SAFETY_KERNELS:-$LAB_KERNELS}
[ -n "${KMOD_SAFETY_KERNELS:-}" ] || lab_sample kmod_safety 5.10
lab_each safety_on
