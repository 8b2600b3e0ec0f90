#!/bin/sh
# Bad input, failing writes and stale files (issue "never a false pass, never a
# half-written report"): each test is one row of that issue's table. About 1 s.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
SEED1=tests/fixtures/seed001_case17.log
C17=case17_missing_file

# An earlier run's files in --out, then a run whose trigger cannot start: exit 2,
# no verdict printed, the earlier log and reports untouched.
t_begin run_never_reports_stale_files
mkdir -p $D/r1 $D/trig
cp $SEED1 $D/r1/$C17.log
$OT check --case $C17 --format md,json --out $D/r1 $D/r1/$C17.log >/dev/null
sums=$(cat $D/r1/* | md5sum)
t_expect_status 2 $OT run --triggers /nonexistent --out $D/r1 $C17
t_grep 'trigger /nonexistent/' $T_TMP/t_err
grep -q 'pass\|incomplete' $T_TMP/t_out && t_fail "a verdict was printed: $(cat $T_TMP/t_out)"
printf '#!/bin/sh\necho "setup failed" >&2\nexit 1\n' >$D/trig/$C17; chmod +x $D/trig/$C17
t_expect_status 2 $OT run --triggers $D/trig --out $D/r1 $C17
grep -q 'pass\|incomplete' $T_TMP/t_out && t_fail "a verdict was printed: $(cat $T_TMP/t_out)"
[ "$(cat $D/r1/* | md5sum)" = "$sums" ] || t_fail "the earlier log or reports changed"
[ -z "$(ls -A $D/r1 | grep -v "^$C17\.")" ] || t_fail "files left behind: $(ls -A $D/r1)"
t_end

t_begin run_workdir_is_a_file
touch $D/afile
t_expect_status 2 $OT run --workdir $D/afile --out $D/r2 $C17
t_grep 'workdir .*is not a directory' $T_TMP/t_err
[ "$(wc -l <$T_TMP/t_err)" = 1 ] || t_fail "not one line: $(cat $T_TMP/t_err)"
[ ! -e $D/r2 ] || t_fail "something was written: $(ls -R $D/r2)"
t_end

t_begin run_out_is_a_file
t_expect_status 2 $OT run --out $D/afile $C17
t_grep 'out .*is not a directory' $T_TMP/t_err
[ "$(wc -l <$T_TMP/t_err)" = 1 ] || t_fail "not one line: $(cat $T_TMP/t_err)"
[ -s $T_TMP/t_out ] && t_fail "stdout says: $(cat $T_TMP/t_out)"
[ ! -s $D/afile ] || t_fail "the file was written"
t_end

t_begin check_pair_is_never_half_written
mkdir -p $D/c1/seed001_case17.json
t_expect_status 2 $OT check --case $C17 --format md,json --out $D/c1 $SEED1
t_grep 'seed001_case17.json: Is a directory' $T_TMP/t_err
[ ! -e $D/c1/seed001_case17.md ] || t_fail "the .md of the pair was left behind"
[ "$(ls -A $D/c1)" = seed001_case17.json ] || t_fail "left behind: $(ls -A $D/c1)"
t_end

t_begin check_failing_write_keeps_previous_report
mkdir -p $D/c2
$OT check --case $C17 --format md,json --out $D/c2 $SEED1 >/dev/null
sums=$(cat $D/c2/* | md5sum)
(ulimit -f 4; $OT check --case $C17 --format md,json --out $D/c2 $SEED1 >$T_TMP/t_out 2>$T_TMP/t_err)
st=$?
[ $st = 2 ] || t_fail "exit $st, expected 2"
t_grep 'cannot write .*/c2/seed001_case17.md: File too large' $T_TMP/t_err
[ "$(cat $D/c2/* | md5sum)" = "$sums" ] || t_fail "a previous report was replaced"
[ "$(ls -A $D/c2 | wc -l)" = 2 ] || t_fail "temporary files left: $(ls -A $D/c2)"
t_end

t_begin check_same_base_name_is_refused
mkdir -p $D/other
cp $SEED1 $D/other/
t_expect_status 2 $OT check --out $D/c3 $SEED1 $D/other/seed001_case17.log
t_grep 'would both be reported as' $T_TMP/t_err
[ ! -e $D/c3/seed001_case17.md ] || t_fail "a report was written"
t_end

t_begin check_nul_and_bad_utf8_are_escaped_and_warned
printf '[opentrail] do_filp_open.entry pid=1 tid=1 comm="a\377" name="x\\x00y" dfd=3\000tail=1\n[opentrail] do_filp_open.ret pid=1 tid=1 comm="c" ret=0\n' >$D/nul.log
t_expect_status 0 $OT check --format md,json --out $D/c4 $D/nul.log
J=$D/c4/nul.json
t_grep '"input_warnings"' $J
t_grep '"line": *1' $J
t_grep 'x\\\\x00y' $J
t_grep '3\\\\x00tail=1' $J
t_grep 'Warning: 1 input line held bytes' $D/c4/nul.md
# strict UTF-8: iconv fails on any invalid byte
iconv -f UTF-8 -t UTF-8 $J >/dev/null 2>&1 || t_fail "the JSON is not valid UTF-8"
iconv -f UTF-8 -t UTF-8 $D/c4/nul.md >/dev/null 2>&1 || t_fail "the Markdown is not valid UTF-8"
t_end

t_begin list_to_full_device_fails
t_expect_status 2 sh -c "$OT list >/dev/full"
t_grep 'cannot write the standard output' $T_TMP/t_err
t_end

t_begin trace_bad_targets_are_caught_before_attaching
t_expect_status 2 $OT trace -- /nonexistent/cmd
t_grep 'cannot run /nonexistent/cmd: no such program' $T_TMP/t_err
t_expect_status 2 $OT trace -- no-such-program-anywhere
t_grep 'no such program on \$PATH' $T_TMP/t_err
t_expect_status 2 $OT trace -p 999999
t_grep 'no process 999999' $T_TMP/t_err
t_expect_status 2 $OT trace -f do_filp_open,no_such_func -- true
t_grep "unknown function 'no_such_func'" $T_TMP/t_err
t_end

t_begin trace_that_cannot_probe_leaves_no_log
mkdir -p $D/t1
t_expect_status 2 $OT trace --out $D/t1 -- true
[ -z "$(ls -A $D/t1)" ] || t_fail "left behind: $(ls -A $D/t1)"
t_end

t_begin check_reads_other_modules_facts
printf '[PTRCHK] dentry check ptr=ffff888004a1b000 ok=1\n[PTRCHK] second pass count=3\n' >$D/facts.log
t_expect_status 1 $OT check --format json $D/facts.log
t_grep '"fact": *"PTRCHK"' $T_TMP/t_out
t_grep '"ok": *"\?1' $T_TMP/t_out
$OT check $D/facts.log >$T_TMP/t_md 2>&1
t_grep '\*\*PTRCHK\*\*' $T_TMP/t_md
t_end
