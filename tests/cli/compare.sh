#!/bin/sh
# opentrail compare: two runs agree when their shapes, returns, address relations
# and verdicts agree, whatever the addresses themselves are.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

# $1 file, $2 dentry address of the allocation, $3 address the lookup returns,
# $4 do_filp_open's return, $5 extra probes in the run.fact, $6 the dentry d_splice_alias gets
mklog() {
	cat > "$1" <<LOG
[opentrail] run.fact kernel="k" backend="x" probes="do_filp_open,__d_alloc,d_splice_alias,__d_lookup_rcu$5" skipped="pick_link:inlined" lost=0
[opentrail] do_filp_open.entry pid=7 tid=7 comm="t" dfd=-100 name="/w/m"
[opentrail] __d_alloc.entry pid=7 tid=7 comm="t" name="m" len=1
[opentrail] __d_alloc.ret pid=7 tid=7 comm="t" ret=$2 inode=0000000000000000
[opentrail] d_splice_alias.entry pid=7 tid=7 comm="t" dentry=$6 inode=0000000000000000
[opentrail] d_splice_alias.ret pid=7 tid=7 comm="t" ret=0000000000000000
[opentrail] do_filp_open.ret pid=7 tid=7 comm="t" ret=fffffffffffffffe
[opentrail] do_filp_open.entry pid=7 tid=7 comm="t" dfd=-100 name="/w/m"
[opentrail] __d_lookup_rcu.entry pid=7 tid=7 comm="t" name="m"
[opentrail] __d_lookup_rcu.ret pid=7 tid=7 comm="t" ret=$3
[opentrail] do_filp_open.ret pid=7 tid=7 comm="t" ret=$4
LOG
}
mklog $D/a.log ffff888000001000 ffff888000001000 fffffffffffffffe "" ffff888000001000
mklog $D/b.log ffff8880000bb000 ffff8880000bb000 fffffffffffffffe ",pick_link" ffff8880000bb000
mklog $D/c.log ffff8880000bb000 ffff8880000bb000 fffffffffffffffe "" ffff8880000dd000
mklog $D/d.log ffff888000001000 ffff888000001000 ffffffffffffffec "" ffff888000001000
mklog $D/e.log ffff8880000bb000 ffff8880000cc000 fffffffffffffffe "" ffff8880000bb000

t_begin compare_same_story_other_addresses
t_expect_status 0 $OT compare --case case17_missing_file $D/a.log $D/b.log
t_grep '^AGREE' $T_TMP/t_out
t_grep 'not compared: pick_link (probed in .*b.log only; .*a.log: inlined)' $T_TMP/t_out
t_end

t_begin compare_broken_equality_in_an_operation_differs
t_expect_status 1 $OT compare $D/a.log $D/c.log
t_grep 'address relation differs at call 3 (d_splice_alias entry.dentry)' $T_TMP/t_out
t_grep '^DIFFER' $T_TMP/t_out
t_end

t_begin compare_across_operations_through_the_claims
# The second open's lookup no longer returns the first open's dentry: no address
# relation is compared across operations (memory is reused), but case17's claim is.
t_expect_status 0 $OT compare $D/a.log $D/e.log
t_expect_status 1 $OT compare --case case17_missing_file $D/a.log $D/e.log
t_grep "claim 'same_ptr __d_alloc.ret:ret@op\[__d_alloc\]#1 __d_lookup_rcu.ret:ret@op\[__d_alloc\]#1+1': pass vs fail" $T_TMP/t_out
t_end

t_begin compare_other_return_differs
t_expect_status 1 $OT compare --case case17_missing_file $D/a.log $D/d.log
t_grep 'return differs at call 4 (do_filp_open): ERR_PTR(-ENOENT) (L11) vs ERR_PTR(-ENOTDIR) (L11)' $T_TMP/t_out
t_grep "claim 'ret_err do_filp_open@op\[__d_alloc\]#1+1 ENOENT': pass vs fail" $T_TMP/t_out
t_end

t_begin compare_bad_input
t_expect_status 2 $OT compare $D/a.log
t_expect_status 2 $OT compare $D/a.log $D/none.log
t_end
