# shellcheck shell=bash
# Booting the lab guest under qemu, watching it with a deadline, and reading
# back what it produced. Sourced by opentrail-lab; uses say/die from there.
# shellcheck disable=SC2034 # LAB_TIMED_OUT and LAB_READY_AT are read there

# kvm_usable: true when hardware virtualisation is there and /dev/kvm opens.
# (A /dev/kvm without vmx/svm in the CPU flags boots nothing: use TCG then.)
kvm_usable()
{
	[ "$LAB_ARCH" = "$(host_arch)" ] || return 1 # another architecture is emulated
	[ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
	grep -qwE 'vmx|svm' /proc/cpuinfo || return 1
	timeout 10 "$LAB_QEMU" -accel kvm -machine none -nodefaults -display none \
		-S -monitor none -no-user-config -daemonize -pidfile "$LAB_RUN/kvm-probe.pid" \
		>/dev/null 2>&1 || return 1
	kill "$(cat "$LAB_RUN/kvm-probe.pid")" 2>/dev/null
	return 0
}

# choose_accel: "kvm" or "tcg" ($OPENTRAIL_LAB_ACCEL forces one).
choose_accel()
{
	case ${OPENTRAIL_LAB_ACCEL:-auto} in
	kvm | tcg) echo "$OPENTRAIL_LAB_ACCEL" ;;
	*) if kvm_usable; then echo kvm; else echo tcg; fi ;;
	esac
}

# make_disks: the ext4 work disk and the (sparse, raw) result disk.
make_disks()
{
	truncate -s "${OPENTRAIL_LAB_WORK_SIZE:-4G}" "$LAB_RUN/work.img"
	mkfs.ext4 -q -F -L work "$LAB_RUN/work.img" || die 2 "mkfs.ext4 failed"
	truncate -s "${OPENTRAIL_LAB_OUT_SIZE:-2G}" "$LAB_RUN/result.img"
}

# start_stream_readers VERBOSE: FIFOs for the three serial ports and one reader
# each: the console to console.log (and stderr with -v), the command's stdout
# and stderr to ours.
start_stream_readers()
{
	mkfifo "$LAB_RUN/console.fifo" "$LAB_RUN/stdout.fifo" "$LAB_RUN/stderr.fifo"
	if [ "$1" = 1 ]; then
		tee "$LAB_RUN/console.log" <"$LAB_RUN/console.fifo" | sed 's/^/guest: /' >&2 &
	else
		cat <"$LAB_RUN/console.fifo" >"$LAB_RUN/console.log" &
	fi
	LAB_PIDS+=($!)
	cat <"$LAB_RUN/stdout.fifo" &
	LAB_PIDS+=($!)
	cat <"$LAB_RUN/stderr.fifo" >&2 &
	LAB_PIDS+=($!)
}

# start_qemu KERNEL INITRD ACCEL: boot in the background; sets LAB_QEMU_PID.
# The machine, its serial lines and disks are the architecture's (lab/arch.sh).
# The guest's RCU grace periods are expedited (rcupdate.rcu_expedited=1): under
# emulation on one vCPU a normal one takes tens of milliseconds, and detaching a
# kprobe waits for two or three of them, one probe after the other (docs/lab.md).
start_qemu()
{
	local kernel=$1 initrd=$2 accel=$3 cpu=${OPENTRAIL_LAB_CPU:-max}
	[ "$accel" = kvm ] && cpu=host
	arch_machine_args "$LAB_ARCH" con gout gerr
	LAB_DISK_ARGS=()
	arch_add_disk "$LAB_ARCH" "$LAB_RUN/work.img" ,cache=unsafe
	arch_add_disk "$LAB_ARCH" "$LAB_RUN/result.img" ''
	"$LAB_QEMU" -nodefaults -no-user-config -display none -no-reboot \
		-accel "$accel" -cpu "$cpu" -m "${OPENTRAIL_LAB_MEM:-1024}" -smp "$LAB_SMP" \
		-kernel "$kernel" -initrd "$initrd" \
		-append "$LAB_GUEST_APPEND loglevel=5 panic=-1 rcupdate.rcu_expedited=1 rdinit=/init $LAB_APPEND" \
		-chardev "file,id=con,path=$LAB_RUN/console.fifo" \
		-chardev "file,id=gout,path=$LAB_RUN/stdout.fifo" \
		-chardev "file,id=gerr,path=$LAB_RUN/stderr.fifo" \
		"${LAB_MACHINE_ARGS[@]}" "${LAB_DISK_ARGS[@]}" \
		</dev/null >"$LAB_RUN/qemu.log" 2>&1 &
	LAB_QEMU_PID=$!
}

# Times in microseconds, without forking a process per reading.
now() { echo "${EPOCHREALTIME/./}"; }
elapsed_since() {
	local us=$((${EPOCHREALTIME/./} - $1))
	printf '%d.%d' $((us / 1000000)) $((us % 1000000 / 100000))
}

# watch_guest TIMEOUT T0: wait for qemu to end, at most TIMEOUT seconds after
# T0. Sets LAB_TIMED_OUT, and LAB_READY_AT (seconds from T0 to the guest's
# first command) when the guest got that far while we watched.
watch_guest()
{
	local timeout=$1 t0=$2
	LAB_TIMED_OUT=0 LAB_READY_AT=''
	while kill -0 "$LAB_QEMU_PID" 2>/dev/null; do
		if [ -z "$LAB_READY_AT" ] && grep -q '^OPENTRAIL-LAB-READY' "$LAB_RUN/console.log" 2>/dev/null; then
			LAB_READY_AT=$(elapsed_since "$t0")
			say "running (boot to first command: $LAB_READY_AT s)"
		fi
		if [ $((${EPOCHREALTIME/./} - t0)) -ge $((timeout * 1000000)) ]; then
			LAB_TIMED_OUT=1
			say "timeout: the guest did not finish within $timeout s; stopping qemu"
			stop_qemu
			break
		fi
		sleep 0.1
	done
	wait "$LAB_QEMU_PID" 2>/dev/null || true
	LAB_QEMU_PID=''
	[ -n "$LAB_READY_AT" ] || LAB_READY_AT="<$(elapsed_since "$t0")"
}

# stop_qemu: TERM, then KILL after 3 s.
stop_qemu()
{
	[ -n "${LAB_QEMU_PID:-}" ] || return 0
	kill "$LAB_QEMU_PID" 2>/dev/null || return 0
	for _ in $(seq 30); do
		kill -0 "$LAB_QEMU_PID" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -9 "$LAB_QEMU_PID" 2>/dev/null || true
}

# wait_stream_readers: the readers end when qemu closes the FIFOs; bounded.
wait_stream_readers()
{
	local pid
	for pid in "${LAB_PIDS[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	LAB_PIDS=()
}

# kernel_failure_excerpt CONSOLE: the first panic/oops report, if any.
kernel_failure_excerpt()
{
	grep -n -m 1 -E '^\[ *[0-9.]+\] (Kernel panic|Oops|BUG:|general protection fault|kernel BUG at)' "$1" |
		cut -d: -f1 | {
		read -r line || exit 1
		start=$((line > 3 ? line - 3 : 1))
		sed -n "${start},$((start + 40))p" "$1"
	}
}

# collect_results OUTDIR: untar the result disk, verify every file's checksum,
# move /out's files into OUTDIR. Prints the guest command's exit status.
collect_results()
{
	local outdir=$1 stage=$LAB_RUN/results
	mkdir -p "$stage"
	tar -xf "$LAB_RUN/result.img" -C "$stage" 2>/dev/null
	[ -f "$stage/lab/meta/status" ] || return 1
	if [ -s "$stage/lab/meta/SHA256SUMS" ] &&
		! (cd "$stage" && sha256sum -c --quiet --strict lab/meta/SHA256SUMS >&2); then
		say "results are corrupt: checksums do not match"
		return 2
	fi
	mkdir -p "$outdir"
	if [ -d "$stage/out" ]; then
		(cd "$stage/out" && tar -cf - .) | (cd "$outdir" && tar -xf -) || return 2
	fi
	say "collected $(grep -c . "$stage/lab/meta/SHA256SUMS") files into $outdir (checksums verified)"
	cat "$stage/lab/meta/status"
}
