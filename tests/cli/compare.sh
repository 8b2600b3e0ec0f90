#!/bin/sh
# opentrail compare: two runs agree when their shapes, returns, address relations
# and verdicts agree, whatever the addresses themselves are.
. tests/lib.sh
D=$(mktemp -d); trap 'rm -rf "$D"' EXIT

# $1 file, $2 dentry address of the allocation, $3 address the lookup returns,
# $4 do_filp_open's return, $5 extra probes in the run.fact
mklog() {
	cat > "$1" <<LOG
[opentrail] run.fact kernel="k" backend="x" probes="do_filp_open,__d_alloc,__d_lookup_rcu$5" skipped="pick_link:inlined" lost=0
[opentrail] do_filp_open.entry pid=7 tid=7 comm="t" dfd=-100 name="/w/m"
[opentrail] __d_alloc.entry pid=7 tid=7 comm="t" name="m" len=1
[opentrail] __d_alloc.ret pid=7 tid=7 comm="t" ret=$2 inode=0000000000000000
[opentrail] do_filp_open.ret pid=7 tid=7 comm="t" ret=fffffffffffffffe
[opentrail] do_filp_open.entry pid=7 tid=7 comm="t" dfd=-100 name="/w/m"
[opentrail] __d_lookup_rcu.entry pid=7 tid=7 comm="t" name="m"
[opentrail] __d_lookup_rcu.ret pid=7 tid=7 comm="t" ret=$3
[opentrail] do_filp_open.ret pid=7 tid=7 comm="t" ret=$4
LOG
}
mklog $D/a.log ffff888000001000 ffff888000001000 fffffffffffffffe ""
mklog $D/b.log ffff8880000bb000 ffff8880000bb000 fffffffffffffffe ",pick_link"
mklog $D/c.log ffff8880000bb000 ffff8880000cc000 fffffffffffffffe ""
mklog $D/d.log ffff888000001000 ffff888000001000 ffffffffffffffec ""

t_begin compare_same_story_other_addresses
t_expect_status 0 $OT compare --case case17_missing_file $D/a.log $D/b.log
t_grep '^AGREE' $T_TMP/t_out
t_grep 'not compared: pick_link (probed in .*b.log only; .*a.log: inlined)' $T_TMP/t_out
t_end

t_begin compare_broken_equality_differs
t_expect_status 1 $OT compare $D/a.log $D/c.log
t_grep 'address relation differs at call 4 (__d_lookup_rcu ret.ret)' $T_TMP/t_out
t_grep '^DIFFER' $T_TMP/t_out
t_end

t_begin compare_other_return_differs
t_expect_status 1 $OT compare --case case17_missing_file $D/a.log $D/d.log
t_grep 'return differs at call 3 (do_filp_open): ERR_PTR(-ENOENT) (L9) vs ERR_PTR(-ENOTDIR) (L9)' $T_TMP/t_out
t_grep "claim 'ret_err do_filp_open@op\[__d_alloc\]#1+1 ENOENT': pass vs fail" $T_TMP/t_out
t_end

t_begin compare_bad_input
t_expect_status 2 $OT compare $D/a.log
t_expect_status 2 $OT compare $D/a.log $D/none.log
t_end
