#!/bin/sh
# opentrail run / trace on a machine whose kernel cannot probe functions (the
# build hosts: fentry refused, no kprobes): exit 2, a message naming what is
# missing and pointing into the lab. Bad input is exit 2 too, on any kernel.
set -u
. tests/lib.sh
[ -n "${T_TMP:-}" ] || { T_TMP=$(mktemp -d); trap 'rm -rf "$T_TMP"' EXIT; }
D=$T_TMP/bpf_host
mkdir -p "$D"

# Whether this kernel has kprobes at all (the lab kernels do; the hosts do not).
has_kprobes() { [ -e /sys/bus/event_source/devices/kprobe/type ]; }

t_begin bpf_host_run_cannot_probe
if has_kprobes; then
	echo "  (this kernel has kprobes: the refusal path is covered by the lab)" >&2
else
	t_expect_status 2 $OT run --out "$D" case17_missing_file
	t_grep 'no kprobes' "$T_TMP/t_err"
	t_grep 'fentry' "$T_TMP/t_err"
	t_grep 'opentrail lab -- opentrail run case17_missing_file' "$T_TMP/t_err"
	[ -e "$D/case17_missing_file.md" ] && t_fail "a report was written for a run that could not probe"
	[ -e "$D/case17_missing_file.log" ] && t_fail "a log was left by a run that could not probe"
fi
t_end

t_begin bpf_host_trace_cannot_probe
if ! has_kprobes; then
	t_expect_status 2 $OT trace --out "$D/trace" -- true
	t_grep 'no kprobes' "$T_TMP/t_err"
	t_grep 'opentrail lab -- opentrail trace' "$T_TMP/t_err"
fi
t_end

t_begin bpf_host_run_needs_root
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	t_expect_status 2 setpriv --reuid=65534 --regid=65534 --clear-groups \
		$OT run --out "$D/nobody" case17_missing_file
	t_grep 'needs root' "$T_TMP/t_err"
	t_grep 'opentrail lab' "$T_TMP/t_err"
	t_expect_status 2 setpriv --reuid=65534 --regid=65534 --clear-groups $OT trace -- true
	t_grep 'needs root (CAP_BPF and CAP_PERFMON' "$T_TMP/t_err"
fi
t_end

t_begin bpf_host_run_bad_input
t_expect_status 2 $OT run --out "$D" no_such_case
t_grep "unknown case 'no_such_case'" "$T_TMP/t_err"
t_grep 'opentrail list' "$T_TMP/t_err"
t_expect_status 2 $OT run --out "$D"
t_grep 'no CASE given' "$T_TMP/t_err"
t_expect_status 2 $OT run --backend nosuch --out "$D" case17_missing_file
t_expect_status 2 $OT trace
t_end

t_begin bpf_host_help
t_expect_status 0 $OT run --help
t_grep 'EXAMPLES' "$T_TMP/t_out"
t_grep 'opentrail lab -- opentrail run' "$T_TMP/t_out"
t_expect_status 0 $OT trace --help
t_grep 'EXAMPLES' "$T_TMP/t_out"
t_end

# Every field the probe spec lists for a function must have a slot in the
# BPF layout (src/bpf/opentrail.c); -v names the missing ones before calibrating,
# so this holds on any kernel.
t_begin bpf_host_layout_covers_dictionary
all=$($OT list --probes | awk '{print $1}' | paste -sd, -)
[ -n "$all" ] || t_fail "opentrail list --probes printed no function"
$OT trace -v -f "$all" --out "$D/layout" -- true >"$T_TMP/t_out" 2>"$T_TMP/t_err"
if grep 'do not record' "$T_TMP/t_err" >&2; then
	t_fail "the BPF side lacks probe spec fields (above)"
fi
t_end
