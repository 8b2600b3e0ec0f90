#!/bin/sh
# opentrail check / list from the command line: exit codes, JSON numbers, errors.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT
SEED0=tests/fixtures/seed000_case7.log
SEED1=tests/fixtures/seed001_case17.log

t_begin check_seed000_case7_json
t_expect_status 1 $OT check --case case7_symlink_fast --format json $SEED0
J=$T_TMP/t_out
t_grep '"case": *"case7_symlink_fast"' $J
t_grep '"verdict": *"fail"' $J
t_grep '"do_filp_open.entry": *9' $J
t_grep '"do_filp_open.ret": *9' $J
t_grep '"ERR_PTR(-ENOENT)": *7' $J
t_grep '"ok": *2' $J
t_grep '"unparsed": *0' $J   # the module's "loaded" banner is a fact of its tag
t_end

t_begin check_without_case_passes_claim_block
t_expect_status 0 $OT check $SEED0
t_grep 'do_filp_open' $T_TMP/t_out
t_end

t_begin check_seed001_case17_md_to_dir
t_expect_status 1 $OT check --case case17_missing_file --format md,json --out $D $SEED1
[ -s $D/seed001_case17.md ] || t_fail "no markdown report"
[ -s $D/seed001_case17.json ] || t_fail "no json report"
t_grep 'seed001_case17.log: incomplete' $T_TMP/t_out
t_grep '__d_alloc' $D/seed001_case17.md
t_end

t_begin check_unknown_case_is_bad_input
t_expect_status 2 $OT check --case no_such_case $SEED0
t_grep "unknown case 'no_such_case'" $T_TMP/t_err
t_end

t_begin check_unreadable_file_is_bad_input
t_expect_status 2 $OT check $D/does-not-exist.log
t_grep 'cannot read' $T_TMP/t_err
t_end

t_begin check_no_trace_lines_is_bad_input
printf 'just prose\n[x] nothing here\n' > $D/prose.txt
t_expect_status 2 $OT check $D/prose.txt
t_grep 'no trace lines' $T_TMP/t_err
t_end

t_begin check_failed_claim_exits_1
cat > $D/fail.log <<'LOG'
[opentrail] run.fact kernel="k" backend="bpf" probes="do_filp_open,pick_link" lost=0
[opentrail] do_filp_open.entry pid=9 tid=9 comm="t" dfd=-100
[opentrail] do_filp_open.ret pid=9 tid=9 comm="t" ret=fffffffffffffffe
LOG
t_expect_status 1 $OT check --case case7_symlink_fast --format json $D/fail.log
t_grep '"verdict": *"fail"' $T_TMP/t_out
t_end

t_begin check_help_has_examples
t_expect_status 0 $OT check --help
t_grep 'EXAMPLES' $T_TMP/t_out
t_end

t_begin list_shows_every_case
t_expect_status 0 $OT list -v
for c in case7_symlink_fast case17_missing_file stage2_minimal_open stage2_te_miss \
	stage2_tm_miss stage2_lm_miss stage2_a_miss stage2_lifecycle stage2_rebuild \
	perm_rdwr_ok perm_rdwr_denied socket_inet_stream; do
	t_grep "^$c " $T_TMP/t_out
done
t_grep 'claim: ' $T_TMP/t_out
t_end

t_begin unknown_command_is_bad_input
t_expect_status 2 $OT frobnicate
t_end

t_begin bad_usage_exits_2
t_expect_status 2 $OT check --format xml tests/fixtures/seed000_case7.log
t_expect_status 2 $OT check
t_end

t_begin list_probes_shows_the_dictionary
t_expect_status 0 $OT list --probes -v
t_grep '^do_filp_open  *ptr ' $T_TMP/t_out
t_grep 'op(ptr,stack)' $T_TMP/t_out
t_grep '^__sys_socket  *int ' $T_TMP/t_out
t_end
