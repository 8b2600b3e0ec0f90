#!/bin/sh
# A realistic opentrail log for the benchmarks and the scaling tests: N lines of
# opens by several threads, as the BPF backend writes them. Every open of a thread
# reuses that thread's kernel path buffer (getname's names_cache page), so the
# same address appears in every operation, as on a real kernel; one open in 500
# misses (ENOENT), the rest are dcache hits. Timestamps (ts=) give latencies.
# Usage: bench/gen_log.sh LINES > file.log
set -eu
n=${1:-1000000}
awk -v n="$n" 'BEGIN {
	nthreads = 4
	printf "[opentrail] run.fact kernel=\"6.12.0-bench\" backend=\"bpf\" probes=\"do_sys_openat2,do_filp_open,path_openat,link_path_walk,__d_lookup_rcu,d_alloc_parallel,__d_alloc\" lost=0\n"
	lines = 1; op = 0; ts = 1000000000
	while (lines < n) {
		t = op % nthreads; pid = 700 + int(t / 2); tid = 900 + t; op++
		buf = sprintf("ffff8880%04x0000", 4096 + t)      # one path buffer per thread
		stk = sprintf("ffffc900%04x3d40", 100 + t)
		miss = (op % 500 == 0)
		dir = sprintf("lib%d", op % 3); file = sprintf("f%d.so", op % 97)
		if (miss) file = sprintf("missing%d", op)
		path = "/usr/" dir "/" file
		h = sprintf("comm=\"app%d\"", t)
		hd = sprintf("pid=%d tid=%d %s", pid, tid, h)
		ts += 2000
		printf "[opentrail] do_sys_openat2.entry %s ts=%d dfd=-100 filename=00007ffd%08x path=\"%s\" flags=0x80000 mode=0x0\n", hd, ts, op * 64, path
		printf "[opentrail] do_filp_open.entry %s ts=%d dfd=-100 pathname=ffff8881%08x name_ptr=%s name=\"%s\" op=%s open_flag=0x8000 acc_mode=0x4\n", hd, ts + 300, 256 * t, buf, path, stk
		printf "[opentrail] path_openat.entry %s ts=%d nd=ffffc900%04x3c00 flags=0x41\n", hd, ts + 400, 100 + t
		printf "[opentrail] link_path_walk.entry %s ts=%d name_ptr=%s name=\"%s\" nd=ffffc900%04x3c00\n", hd, ts + 500, buf, path, 100 + t
		printf "[opentrail] __d_lookup_rcu.entry %s ts=%d parent=ffff888003a00000 qstr=%s name_ptr=ffff8880%04x0001 len=3 hash=0x1b2c3d4 name=\"usr\"\n", hd, ts + 600, stk, 4096 + t
		printf "[opentrail] __d_lookup_rcu.ret %s ts=%d ret=ffff888003a01000 inode=ffff888003b01000 dname=\"usr\"\n", hd, ts + 700
		printf "[opentrail] __d_lookup_rcu.entry %s ts=%d parent=ffff888003a01000 qstr=%s name_ptr=ffff8880%04x0005 len=%d hash=0x2c3d4e5 name=\"%s\"\n", hd, ts + 800, stk, 4096 + t, length(dir), dir
		printf "[opentrail] __d_lookup_rcu.ret %s ts=%d ret=ffff888003a02%03x inode=ffff888003b02%03x dname=\"%s\"\n", hd, ts + 900, 64 * (op % 3), 64 * (op % 3), dir
		printf "[opentrail] link_path_walk.ret %s ts=%d ret=0\n", hd, ts + 1000
		printf "[opentrail] __d_lookup_rcu.entry %s ts=%d parent=ffff888003a02%03x qstr=%s name_ptr=ffff8880%04x%04x len=%d hash=0x3d4e5f6 name=\"%s\"\n", hd, ts + 1100, 64 * (op % 3), stk, 4096 + t, 6 + length(dir), length(file), file
		if (miss) {
			printf "[opentrail] __d_lookup_rcu.ret %s ts=%d ret=0000000000000000\n", hd, ts + 1300
			printf "[opentrail] path_openat.ret %s ts=%d ret=fffffffffffffffe\n", hd, ts + 1500
			printf "[opentrail] do_filp_open.ret %s ts=%d ret=fffffffffffffffe\n", hd, ts + 1600
			printf "[opentrail] do_sys_openat2.ret %s ts=%d ret=fffffffffffffffe\n", hd, ts + 1700
			printf "[opentrail] user.fact %s seq=%d call=\"open\" path=\"%s\" flags=0x80000 ret=-1 errno=2 errname=\"ENOENT\"\n", hd, op, path
		} else {
			printf "[opentrail] __d_lookup_rcu.ret %s ts=%d ret=ffff888003a1%04x inode=ffff888003b1%04x dname=\"%s\"\n", hd, ts + 1200 + (op % 7) * 100, 64 * (op % 97), 64 * (op % 97), file
			printf "[opentrail] path_openat.ret %s ts=%d ret=ffff888004%06x\n", hd, ts + 1500, 256 * (op % 4096)
			printf "[opentrail] do_filp_open.ret %s ts=%d ret=ffff888004%06x dentry=ffff888003a1%04x inode=ffff888003b1%04x\n", hd, ts + 1600, 256 * (op % 4096), 64 * (op % 97), 64 * (op % 97)
			printf "[opentrail] do_sys_openat2.ret %s ts=%d ret=%016x\n", hd, ts + 1700, 3 + t
			printf "[opentrail] user.fact %s seq=%d call=\"open\" path=\"%s\" flags=0x80000 ret=%d errno=0\n", hd, op, path, 3 + t
		}
		lines += 15
	}
}'
