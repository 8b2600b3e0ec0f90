#!/bin/sh
# The live layer's command line, offline: the filters' bad input is refused before
# anything is attached (exit 2, one clear reason, nothing written), and what a
# filtered or detached trace's run.fact says reaches the report.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

t_begin trace_path_glob_refused_before_attaching
mkdir -p $D/t
long=$(printf 'a%.0s' $(seq 64))
for g in '' "/$long" '/etc/[a' '[[:alpha:]]' '[z-a]' 'x\'; do
	t_expect_status 2 $OT trace --path "$g" --out $D/t -- true
	grep -q -- "--path '" $T_TMP/t_err || t_fail "'$g': the error does not name --path: $(head -c 200 $T_TMP/t_err)"
done
t_expect_status 2 $OT trace --path "/$long" -- true
t_grep 'at most 63 are matched in the kernel' $T_TMP/t_err
t_expect_status 2 $OT trace --path '' -- true
t_grep 'the glob is empty' $T_TMP/t_err
[ -z "$(ls -A $D/t)" ] || t_fail "left behind: $(ls -A $D/t)"
t_end

t_begin trace_filters_need_an_operation_root
t_expect_status 2 $OT trace -f do_filp_open,__d_alloc --errors-only -- true
t_grep 'names no syscall-level function (add do_sys_openat2)' $T_TMP/t_err
[ "$(wc -l <$T_TMP/t_err)" = 1 ] || t_fail "not one line: $(cat $T_TMP/t_err)"
t_expect_status 2 $OT trace -f do_filp_open --path '/etc/*' -- true
t_grep '^opentrail: --path decides per operation' $T_TMP/t_err
t_end

t_begin trace_help_says_filters_are_bpf_only
$OT trace --help 2>&1 | tr -s "\n " "  " >$T_TMP/help
t_grep '[-]-path=GLOB' $T_TMP/help
t_grep '[-]-errors-only' $T_TMP/help
t_grep 'in the kernel; BPF only' $T_TMP/help
t_grep 'With -p, SIGINT/SIGTERM gives 0 or' $T_TMP/help
t_end

t_begin check_reports_the_filters_of_a_filtered_trace
cat >$D/f.log <<'LOG'
[opentrail] run.fact pid=9 tid=9 comm="opentrail" run_id="r"
[opentrail] run.fact pid=9 tid=9 comm="opentrail" backend="bpf" probes="do_sys_openat2,do_filp_open"
[opentrail] do_sys_openat2.entry pid=5 tid=5 comm="cat" ts=1 dfd=4294967196 path="/etc/hostname"
[opentrail] do_filp_open.entry pid=5 tid=5 comm="cat" ts=2 dfd=4294967196 name="/etc/hostname"
[opentrail] do_filp_open.ret pid=5 tid=5 comm="cat" ts=3 ret=ffff888004000000
[opentrail] do_sys_openat2.ret pid=5 tid=5 comm="cat" ts=4 ret=3
[opentrail] run.fact pid=9 tid=9 comm="opentrail" kernel="6.1" backend="bpf" records=4 lost=0 filter_path="/etc/*" filter_errors_only=1 filtered_out=7 filter_overflows=1 filter_path_unread=0
LOG
t_expect_status 0 $OT check --format md,json --out $D/c $D/f.log
t_grep 'Filters (in the kernel) | only operations whose path matches `/etc/\*` and that failed; 7 operations filtered out; 1 kept whole' $D/c/f.md
t_grep '"filtered_out": 7' $D/c/f.json
t_grep '"path": "/etc/\*"' $D/c/f.json
t_end

t_begin check_detached_trace_is_whole_and_in_flight_is_not_unpaired
sed -e '$d' $D/f.log >$D/d.log
cat >>$D/d.log <<'LOG'
[opentrail] do_sys_openat2.entry pid=5 tid=6 comm="cat" ts=5 dfd=4294967196 path="/tmp/fifo"
[opentrail] run.fact pid=9 tid=9 comm="opentrail" kernel="6.1" backend="bpf" records=5 lost=0 detached="SIGINT"
LOG
t_expect_status 0 $OT check --format md,json --out $D/d $D/d.log
t_grep '1 call was in flight when the probes detached' $D/d/d.md
t_grep 'do_sys_openat2(dfd=AT_FDCWD, path="/tmp/fifo") (in flight' $D/d/d.md
t_grep '"in_flight": "at_detach"' $D/d/d.json
t_grep '"detached": "SIGINT"' $D/d/d.json
sed 's/detached=/interrupted=/' $D/d.log >$D/i.log
t_expect_status 1 $OT check --out $D/i $D/i.log
t_end

# trace -p joins a running process: a return whose call began before the attach is
# in flight, not unpaired -- but only in such a run.
t_begin check_joined_trace_return_before_attach_is_in_flight
{
	echo '[opentrail] run.fact pid=9 tid=9 comm="opentrail" run_id="r" process="running"'
	echo '[opentrail] do_filp_open.ret pid=5 tid=7 comm="cat" ts=1 ret=ffff888004000000'
	sed -e '1d' $D/d.log
} >$D/j.log
t_expect_status 0 $OT check --format md,json --out $D/j $D/j.log
t_grep '1 call had begun before the probes attached' $D/j/j.md
t_grep '(in flight: begun before the probes attached)' $D/j/j.md
t_grep '"in_flight": "at_attach"' $D/j/j.json
t_grep 'in flight when the probes attached or detached' $D/j/j.md
sed '1s/ process="running"//' $D/j.log >$D/u.log
t_expect_status 1 $OT check --format md --out $D/u $D/u.log
t_grep '1 of 3 calls unpaired' $D/u/u.md
t_end

# Probe runs the kernel skipped (run.fact missed=) may hide the traced program's
# calls: the run says so and cannot pass, even with nothing lost in the ring.
t_begin check_missed_probe_runs_never_pass
sed -e '$s/ lost=0/ lost=0 missed=12/' $D/d.log >$D/m.log
t_expect_status 1 $OT check --format md,json --out $D/m $D/m.log
t_grep 'the kernel skipped 12 probe runs' $D/m/m.md
t_grep '| `no_loss` | \*\*not evidenced\*\* |' $D/m/m.md
t_grep '"missed": 12' $D/m/m.json
t_grep '"verdict": "incomplete"' $D/m/m.json
t_end
