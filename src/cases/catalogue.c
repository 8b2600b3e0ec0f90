// SPDX-License-Identifier: MIT
/* The case catalogue as data (docs/cases.md is generated from it by
 * scripts/cases-doc.sh). Claims use the language of
 * src/claims/claims.h; op#N is the N-th call of the case's anchor function.
 * Scopes like op[__d_alloc]#1 ("the open that allocated a dentry") also let the
 * claims be checked on the seeds' logs, whose first opens are the dynamic
 * loader's. Every case also gets the trace claim block (pairs, decoded,
 * user_agrees) from the claims engine. */
#include "cases/catalogue.h"

#include <stdlib.h>
#include <string.h>

#define OPEN_PATH OT_OPEN_PATH
#define DCACHE    OT_DCACHE

/* clang-format off */
static const struct ot_case cases[] = {
	/* From the seeds. */
	{ "case7_symlink_fast", "Symlink follow", "symlink resolved quickly",
	  "case7_symlink_fast", "do_filp_open",
	  OPEN_PATH "step_into,pick_link,lookup_open,__d_alloc",
	  { "field step_into.entry{dname=\"good_link\"}:mode@op#last & 0xa000",
	    "field step_into.entry{dname=\"good_link\"}:body@op#last == \"target.txt\"",
	    "hit step_into.entry{dname=\"target.txt\"}@op#last",
	    "ret_ok do_filp_open@op#last",
	    "field do_filp_open.ret:dname@op#last == \"target.txt\"",
	    "user 1 == fd" },
	  "The walk steps onto good_link, a symlink (S_IFLNK, 0xa000), and step_into follows it "
	  "(fs/namei.c: step_into -> pick_link, inlined into step_into on the Debian 6.1 and 6.12 "
	  "kernels, so step_into's dentry mode and link body are the evidence); the file opened is "
	  "the target's dentry, so its d_name is target.txt. op#last is the case's one open (in the "
	  "seeds' logs the loader's opens come first).", NULL },
	{ "case17_missing_file", "Missing-file dentry proof", "missing-file dentry proof",
	  "case17_missing_file", "do_filp_open", OPEN_PATH DCACHE,
	  { "count __d_alloc@op#1 >= 1",
	    "ret_err do_filp_open@op[__d_alloc]#1 ENOENT",
	    "order __d_alloc.entry@op[__d_alloc]#1 before do_filp_open.ret@op[__d_alloc]#1",
	    "field __d_alloc.ret:inode@op[__d_alloc]#1 == NULL",
	    "ret_err do_filp_open@op[__d_alloc]#1+1 ENOENT",
	    "count __d_alloc@op[__d_alloc]#1+1 == 0",
	    "same_ptr __d_alloc.ret:ret@op[__d_alloc]#1 __d_lookup_rcu.ret:ret@op[__d_alloc]#1+1",
	    "user 1 == -1 ENOENT", "user 2 == -1 ENOENT" },
	  "lookup_open (fs/namei.c) misses in d_lookup, allocates with d_alloc_parallel -> __d_alloc, "
	  "the filesystem's lookup finds nothing and d_splice_alias(NULL, dentry) hashes the negative "
	  "dentry (fs/dcache.c: __d_add -> __d_rehash); the second open finds it by __d_lookup_rcu "
	  "(lookup_fast) and allocates nothing. The seeds proved the hashing with a d_lookup replay "
	  "module; here the second open's lookup is the replay.", "step_into" },
	{ "stage2_minimal_open", "Long name, external allocation",
	  "a name longer than the inline buffer is allocated outside the dentry",
	  "stage2_minimal_open", "do_filp_open", OPEN_PATH DCACHE,
	  { "field __d_alloc.ret#1:inline_name@op#1 == 0",
	    "same_ptr __d_alloc.ret:ret@op#1 d_splice_alias.entry:dentry@op#1",
	    "same_ptr __d_alloc.ret:dname_ptr@op#1 do_filp_open.ret:dname_ptr@op#1",
	    "same_ptr __d_alloc.ret:ret@op#1 do_filp_open.ret:dentry@op#1",
	    "same_ptr __d_alloc.ret:ret@op#1 __d_lookup_rcu.ret:ret@op#2",
	    "count __d_alloc@op#2 == 0",
	    "user 1 == fd", "user 3 == fd" },
	  "__d_alloc (fs/dcache.c) copies a name longer than DNAME_INLINE_LEN into a separately "
	  "allocated external name; shorter names live in the dentry itself.", NULL },
	{ "stage2_te_miss", "Basename offset",
	  "the dentry's name is copied from the basename inside the full path",
	  "stage2_te_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ptr_diff __d_alloc.entry{name=\"t_e.txt\"}:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == user#1:prefix_len",
	    "same_ptr __d_alloc.ret:ret@op#1 do_filp_open.ret:dentry@op#1",
	    "same_ptr __d_alloc.ret:dname_ptr@op#1 do_filp_open.ret:dname_ptr@op#1",
	    "ret_ok do_filp_open@op#1", "user 1 == fd" },
	  "The qstr handed to __d_alloc points into the struct filename's buffer at the last "
	  "component (fs/namei.c: link_path_walk sets nd->last), so the address difference is the "
	  "length of the directory prefix.", NULL },
	{ "stage2_tm_miss", "Negative dentry cached",
	  "a missing name is cached as a negative dentry and found again",
	  "stage2_tm_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ret_err do_filp_open@op#1 ENOENT", "ret_err do_filp_open@op#2 ENOENT",
	    "count __d_alloc@op#1 >= 1", "count __d_alloc@op#2 == 0",
	    "same_ptr __d_alloc.ret:ret@op#1 __d_lookup_rcu.ret:ret@op#2",
	    "user 1 == -1 ENOENT", "user 2 == -1 ENOENT" },
	  "Same mechanism as case17, after dropped caches.", NULL },
	{ "stage2_lm_miss", "Relative miss", "a relative name is its own basename",
	  "stage2_lm_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ptr_diff __d_alloc.entry#last:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == 0",
	    "ret_err do_filp_open@op#1 ENOENT", "user 1 == -1 ENOENT" },
	  "With a one-component relative path, nd->last.name is the start of the filename buffer.", NULL },
	{ "stage2_a_miss", "Two missing levels on a loop mount",
	  "every component not in the dcache is allocated; the basename sits 12 bytes in",
	  "stage2_a_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ptr_diff __d_alloc.entry{name=\"a.txt\"}:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == len(\"/mnt/loopfs/\")",
	    "hit __d_alloc.entry{name=\"a.txt\"}@op#1",
	    "ret_err do_filp_open@op#1 ENOENT", "user 1 == -1 ENOENT" },
	  "The mount pins /mnt and /mnt/loopfs in the dcache across drop_caches (a mounted-on "
	  "dentry is in use), so only a.txt, on the freshly made ext2 filesystem, is allocated; "
	  "its name starts 12 bytes into \"/mnt/loopfs/a.txt\".", NULL },
	{ "stage2_lifecycle", "Hit, delete, evict",
	  "one dentry pointer from lookup hit to d_delete to __dentry_kill",
	  "stage2_lifecycle", "do_filp_open", OPEN_PATH DCACHE ",d_delete,__dentry_kill,do_unlinkat",
	  { "ret_ok do_filp_open@op#1",
	    "same_ptr do_filp_open.ret:dentry@op#1 d_delete.entry:dentry",
	    "same_ptr d_delete.entry:dentry __dentry_kill.entry:dentry",
	    "user 1 == fd" },
	  "unlink calls d_delete (fs/dcache.c); a dentry with no users is killed at once or on "
	  "drop_caches (shrink_dcache_sb -> __dentry_kill).", NULL },
	{ "stage2_rebuild", "Rebuild after eviction", "after eviction a new dentry is allocated",
	  "stage2_rebuild", "do_filp_open", OPEN_PATH DCACHE ",__dentry_kill",
	  { "ret_ok do_filp_open@op#1", "ret_ok do_filp_open@op#2",
	    "same_ptr do_filp_open.ret:dentry@op#1 __dentry_kill.entry:dentry",
	    "count __d_alloc@op#2 >= 1",
	    "same_ptr __d_alloc.ret#last:ret@op#2 do_filp_open.ret:dentry@op#2" },
	  "drop_caches frees the unused dentry (__dentry_kill); the next open allocates anew: the "
	  "dentry it opens is the one its last __d_alloc returned. The new dentry may well sit at "
	  "the freed one's address (the slab reuses it, as seen on 7.2), so a different address "
	  "is no part of the proof.", NULL },
	{ "perm_rdwr_ok", "Permission granted", "O_RDWR on a 0644 file owned by the caller",
	  "perm_rdwr_ok", "do_filp_open", OPEN_PATH "do_open,may_open,inode_permission,generic_permission",
	  { "field may_open.entry:acc_mode@op#1 == 6",
	    "field inode_permission.entry#last:mask@op#1 & 6",
	    "ret_ok generic_permission#last@op#1", "ret_ok do_filp_open@op#1", "user 1 == fd",
	    "not_ran generic_permission#last@op#1 \"mask &= MAY_READ | MAY_WRITE | MAY_EXEC;\"" },
	  "do_open computes acc_mode = MAY_OPEN | ACC_MODE(O_RDWR) (fs/namei.c, fs/internal.h "
	  "build_open_flags); MAY_READ|MAY_WRITE = 6.", "generic_permission" },
	{ "perm_rdwr_denied", "Permission denied", "O_RDWR by another uid on a 0644 root file",
	  "perm_rdwr_denied", "do_filp_open", OPEN_PATH "do_open,may_open,inode_permission,generic_permission",
	  { "ret_err generic_permission#last@op#1 EACCES", "ret_err do_filp_open@op#1 EACCES",
	    "user 1 == -1 EACCES", "field generic_permission.entry#last:mode@op#1 == 0x81a4",
	    "field generic_permission.entry#last:uid@op#1 == 0",
	    "field generic_permission.entry#last:mask@op#1 & 2",
	    "ran generic_permission#last@op#1 \"mask &= MAY_READ | MAY_WRITE | MAY_EXEC;\"",
	    "origin do_filp_open@op#1 generic_permission \"return -EACCES\"" },
	  "What decided it, read from the kernel: the file's i_mode 0x81a4 (a regular file, "
	  "rw-r--r--), its owner uid 0, and the mask MAY_OPEN|MAY_READ|MAY_WRITE (0x26) that "
	  "may_open asks for O_RDWR. generic_permission -> acl_permission_check: the caller is "
	  "not the owner, so the 'other' bits r-- apply, and they lack MAY_WRITE.",
	  "generic_permission" },
	{ "socket_inet_stream", "socket(AF_INET, SOCK_STREAM, 0)",
	  "the socket, its sock and its file point at each other", "socket_inet_stream",
	  "__sys_socket", "__sys_socket,sock_alloc,inet_create,sock_alloc_file,fd_install",
	  { "same_ptr sock_alloc.ret:ret inet_create.entry:sock",
	    "same_ptr sock_alloc.ret:ret sock_alloc_file.entry:sock",
	    "same_ptr sock_alloc.ret:ret fd_install.entry:private_data",
	    "same_ptr sock_alloc.ret:ret inet_create.ret:sk_socket",
	    "ret_ok __sys_socket@op#1", "user 1 == fd" },
	  "__sys_socket -> sock_create -> sock_alloc + inet_create (sk->sk_socket = sock via "
	  "sock_init_data); sock_alloc_file sets file->private_data = sock; fd_install publishes.", NULL },
	/* From the same repository's other cases. */
	{ "case1_relative", "Relative create", "a relative O_CREAT takes the create path",
	  "case1_relative", "do_filp_open", OPEN_PATH DCACHE ",do_open",
	  { "field do_filp_open.ret:f_mode@op#1 & 0x100000",
	    "hit __d_alloc.entry{name=\"rel.txt\"}@op#1", "ret_ok do_filp_open@op#1", "user 1 == fd" },
	  "lookup_open (fs/namei.c) sets FMODE_CREATED (0x100000) on the file when it calls the "
	  "filesystem's create (ext4_create), not vfs_create, so the create path is read from the "
	  "returned file's f_mode.", NULL },
	{ "case2_deep_miss", "Deep miss", "the walk stops at the first missing component",
	  "case2_deep_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "hit __d_alloc.entry{name=\"alpha\"}@op#1",
	    "absent __d_alloc.entry{name=\"beta\"}@op#1", "absent __d_alloc.entry{name=\"gamma\"}@op#1",
	    "absent __d_alloc.entry{name=\"x.txt\"}@op#1",
	    "ret_err do_filp_open@op#1 ENOENT", "user 1 == -1 ENOENT" },
	  "link_path_walk -> walk_component -> lookup_slow allocates 'alpha', the filesystem finds "
	  "nothing, and step_into on the negative dentry ends the walk with -ENOENT. Ancestors of "
	  "the case directory may be allocated too after drop_caches; the claims name components.", NULL },
	{ "case3_deep_hit", "Deep hit", "a warm path is found entirely in the dcache",
	  "case3_deep_hit", "do_filp_open", OPEN_PATH DCACHE,
	  { "ret_ok do_filp_open@op#2", "count __d_alloc@op#2 == 0",
	    "hit __d_lookup_rcu.ret{dname=\"f.txt\"}@op#2",
	    "same_ptr do_filp_open.ret:dentry@op#1 do_filp_open.ret:dentry@op#2",
	    "user 1 == fd", "user 3 == fd" },
	  "The second walk finds every component by __d_lookup_rcu (lookup_fast).", NULL },
	{ "case4_create_flow", "Create, then reopen", "create path first, dcache hit second",
	  "case4_create_flow", "do_filp_open", OPEN_PATH DCACHE ",do_open",
	  { "field do_filp_open.ret:f_mode@op#1 & 0x100000", "hit __d_alloc@op#1",
	    "count __d_alloc@op#2 == 0",
	    "same_ptr do_filp_open.ret:dentry@op#1 do_filp_open.ret:dentry@op#2",
	    "user 1 == fd", "user 3 == fd" },
	  "The created dentry stays hashed; the reopen finds it (FMODE_CREATED only on the first).", NULL },
	{ "case5_mount_jump", "Mount crossing", "the walk crosses onto a loop-mounted ext2",
	  "case5_mount_jump", "do_filp_open", OPEN_PATH "step_into,__lookup_mnt,__d_alloc",
	  { "ret_ok __lookup_mnt{dname=\"mnt\"}@op#1",
	    "new_ptr step_into.entry{dname=\"mnt\"}:sb@op#1 do_filp_open.ret:sb@op#1",
	    "ret_ok do_filp_open@op#1", "user 1 == fd" },
	  "step_into -> handle_mounts -> __follow_mount_rcu (or traverse_mounts) asks __lookup_mnt "
	  "(fs/namespace.c) for the mount on the 'mnt' dentry; the file's dentry lives on the "
	  "mounted filesystem's superblock.", NULL },
	{ "case6_symlink_loop", "Symlink loop", "link_a -> link_b -> link_a ends in ELOOP",
	  "case6_symlink_loop", "do_filp_open", OPEN_PATH "step_into,pick_link",
	  { "field step_into.entry{dname=\"link_a\"}:mode@op#1 & 0xa000",
	    "count step_into.entry{dname=\"link_b\"}@op#1 >= 10",
	    "ret_err step_into#last@op#1 ELOOP",
	    "ret_err do_filp_open@op#1 ELOOP", "user 1 == -1 ELOOP" },
	  "pick_link (fs/namei.c; inlined into step_into on these kernels) returns -ELOOP once "
	  "nd->total_link_count reaches MAXSYMLINKS (40), after following link_a and link_b in turn. "
	  "The seeds' run reported a pass with ENOENT: its setup never ran.", NULL },
	{ "case8_create_excl", "Exclusive create", "O_EXCL creates once, then fails with EEXIST",
	  "case8_create_excl", "do_filp_open", OPEN_PATH DCACHE ",do_open",
	  { "ret_ok do_filp_open@op#1", "hit __d_alloc@op#1",
	    "order __d_alloc.entry@op#1 before d_splice_alias.entry@op#1",
	    "field do_filp_open.ret:f_mode@op#1 & 0x100000",
	    "ret_err do_filp_open@op#2 EEXIST",
	    "user 1 == fd", "user 3 == -1 EEXIST" },
	  "CASES.md says d_lookup_done follows __d_alloc. d_lookup_done is an inline "
	  "(include/linux/dcache.h) that calls __d_lookup_unhash_wake only while the dentry is "
	  "still in lookup; ext4_lookup's d_splice_alias -> __d_add (fs/dcache.c) already ended "
	  "that state, so the claim is the d_splice_alias. EEXIST comes from do_open: O_EXCL "
	  "without FMODE_CREATED. The seeds counted -EEXIST as a success.", NULL },
	{ "case8_long_name", "65-byte name", "a long name is allocated outside the dentry",
	  "case8_long_name", "do_filp_open", OPEN_PATH DCACHE,
	  { "field __d_alloc.ret#last:inline_name@op#1 == 0",
	    "field __d_alloc.entry#last:len@op#1 == 65",
	    "same_ptr __d_alloc.ret:ret@op#1 do_filp_open.ret:dentry@op#1",
	    "ret_ok do_filp_open@op#1", "user 1 == fd" },
	  "As stage2_minimal_open: names of DNAME_INLINE_LEN or more bytes get an external name.", NULL },
	{ "case10_rename", "Directory rename", "the renamed directory keeps its dentry",
	  "case10_rename", "do_filp_open", OPEN_PATH DCACHE ",step_into,do_renameat2,vfs_rename,d_move",
	  { "hit d_move",
	    "same_ptr __d_lookup_rcu.ret{dname=\"d_old\"}:ret@op#1 d_move.entry:dentry",
	    "same_ptr d_move.entry:dentry __d_lookup_rcu.ret{dname=\"d_new\"}:ret@op#2",
	    "count __d_alloc@op#2 == 0", "ret_ok do_filp_open@op#2", "user 4 == fd" },
	  "vfs_rename -> d_move (fs/dcache.c: __d_move) rehashes the same dentry under its new "
	  "name; nothing is allocated for it. The dentry is followed by the dcache lookup that "
	  "finds it (__d_lookup_rcu), not by step_into: since 6.17 (fs/namei.c) a plain "
	  "directory is stepped into inline and only step_into_slowpath is a function.", NULL },
	{ "case11_bulk_rename", "Bulk rename", "children move with their directory",
	  "case11_bulk_rename", "do_filp_open", OPEN_PATH DCACHE ",do_renameat2,d_move",
	  { "count d_move == 1", "count __d_alloc@op#1 == 0", "ret_ok do_filp_open@op#1",
	    "user 2 == fd" },
	  "Only the directory's dentry is moved; its 100 children hang off it unchanged.", NULL },
	{ "case13_salt", "Salted hash", "the same name hashes differently under two parents",
	  "case13_salt", "do_filp_open", OPEN_PATH DCACHE,
	  { "new_ptr d_alloc_parallel.entry{name=\"same.txt\"}:hash@op#1 d_alloc_parallel.entry{name=\"same.txt\"}:hash@op#2",
	    "new_ptr d_alloc_parallel.entry{name=\"same.txt\"}:parent@op#1 d_alloc_parallel.entry{name=\"same.txt\"}:parent@op#2",
	    "ret_ok do_filp_open@op#1", "ret_ok do_filp_open@op#2" },
	  "hash_name (fs/namei.c) seeds full_name_hash with the parent dentry's address (salt).", NULL },
	{ "case14_symmetry", "break_A vs break_@", "two names, two hashes, both created",
	  "case14_symmetry", "do_filp_open", OPEN_PATH DCACHE ",do_open",
	  { "new_ptr d_alloc_parallel.entry{name=\"break_A\"}:hash@op#1 d_alloc_parallel.entry{name=\"break_@\"}:hash@op#2",
	    "field do_filp_open.ret:f_mode@op#1 & 0x100000",
	    "field do_filp_open.ret:f_mode@op#2 & 0x100000",
	    "user 1 == fd", "user 3 == fd" },
	  "The seeds' 'collision' names do not collide; the promise is two distinct creates.", NULL },
	{ "case16_exists_vs_missing", "Exists vs missing", "the error path releases the file",
	  "case16_exists_vs_missing", "do_filp_open", OPEN_PATH DCACHE ",fput,fput_close",
	  { "ret_ok do_filp_open@op#1", "ret_err do_filp_open@op#2 ENOENT",
	    "hit fput|fput_close@op#2", "absent fput|fput_close@op#1", "user 1 == fd",
	    "user 3 == -1 ENOENT" },
	  "path_openat (fs/namei.c) allocates the struct file first and releases it on error: "
	  "with fput() up to 6.14, with fput_close() since (7.2's path_openat), so either counts.", NULL },
	{ "case16_openat2_front_door", "openat and openat2", "both doors lead to do_filp_open",
	  "case16_openat2_front_door", "do_filp_open", "do_sys_openat2,getname,getname_flags,do_filp_open,fd_install",
	  { "order getname|getname_flags.entry before do_filp_open.entry", "count do_filp_open == 3",
	    "count fd_install == 2", "same_ptr fd_install.entry#1:fd do_sys_openat2.ret#1:ret",
	    "same_ptr fd_install.entry#2:fd do_sys_openat2.ret#2:ret",
	    "ret_err do_sys_openat2#3 ENOENT", "user 1 == fd", "user 3 == fd", "user 5 == -1 ENOENT" },
	  "do_sys_openat2 (fs/open.c): getname, get_unused_fd_flags, do_filp_open, then fd_install "
	  "only if the file opened. getname() copies the name by getname_flags(), inlined into it "
	  "up to 6.12; in 7.x getname() itself is inlined and getname_flags() is the function "
	  "that runs: either is the evidence.", NULL },
	{ "demo_at_fdcwd", "AT_FDCWD three ways", "open, openat(AT_FDCWD) and syscall 257 meet",
	  "demo_at_fdcwd", "do_filp_open", "do_sys_openat2,do_filp_open",
	  { "count do_filp_open == 3", "field do_filp_open.entry:dfd == AT_FDCWD",
	    "field do_filp_open.entry:name == \"f.txt\"", "user 1 == fd", "user 3 == fd",
	    "user 5 == fd" },
	  "glibc's open() is openat(AT_FDCWD, ...): all three are syscall 257.", NULL },
	{ "demo_dup_names", "Same basename, two directories", "two dentries, two hashes, two parents",
	  "demo_dup_names", "do_filp_open", OPEN_PATH DCACHE,
	  { "new_ptr d_alloc_parallel.entry{name=\"common\"}:hash@op#1 d_alloc_parallel.entry{name=\"common\"}:hash@op#2",
	    "new_ptr d_alloc_parallel.entry{name=\"common\"}:parent@op#1 d_alloc_parallel.entry{name=\"common\"}:parent@op#2",
	    "new_ptr do_filp_open.ret:dentry@op#1 do_filp_open.ret:dentry@op#2" },
	  "A dentry is keyed by (parent, name): same name, different parents, different dentries.", NULL },
	{ "demo_o_path", "O_PATH", "an O_PATH open checks no access and opens nothing",
	  "demo_o_path", "do_filp_open", OPEN_PATH "do_open,may_open,inode_permission,vfs_open,do_dentry_open",
	  { "ret_ok do_filp_open@op#1", "absent may_open@op#1",
	    "hit vfs_open@op#1", "field do_filp_open.ret:f_mode@op#1 & 0x4000", "user 1 == fd" },
	  "path_openat (fs/namei.c) sends O_PATH to do_o_path: path_lookupat, then vfs_open; "
	  "do_open (inlined here) and its may_open never run. do_dentry_open (fs/open.c) sets FMODE_PATH (0x4000) "
	  "and opens nothing.", NULL },
	{ "demo_o_tmpfile", "O_TMPFILE", "an unnamed file: no name in the directory, nlink 0",
	  "demo_o_tmpfile", "do_filp_open", OPEN_PATH DCACHE ",vfs_tmpfile",
	  { "ret_ok vfs_tmpfile@op#1", "absent d_alloc_parallel@op#1",
	    "hit __d_alloc.entry{name=\"/\"}@op#1", "ret_ok do_filp_open@op#1", "user 1 == fd",
	    "user 2:nlink == 0" },
	  "do_tmpfile -> vfs_tmpfile (fs/namei.c) allocates the dentry with the placeholder name "
	  "\"/\" (d_alloc(parent, &slash_name)), never looks a name up, and the inode has nlink 0.", NULL },
	{ "demo_toctou", "TOCTOU: path vs pinned dirfd", "a re-resolved path lands elsewhere",
	  "demo_toctou", "do_filp_open", OPEN_PATH "step_into,pick_link,do_renameat2",
	  { "new_ptr do_filp_open.ret:dentry@op#1 do_filp_open.ret:dentry@op#2",
	    "field step_into.entry{dname=\"real\"}:mode@op#1 & 0xa000",
	    "field do_filp_open.entry:dfd@op#2 >= 0",
	    "ret_ok do_filp_open@op#1", "ret_ok do_filp_open@op#2" },
	  "The path is resolved anew at each open (through the swapped-in symlink); the dirfd pins "
	  "the original directory's dentry.", NULL },
	/* The errno atlas: one error each, provoked for real (a real condition, the real
	 * syscall); the claims follow the kernel's source, checked on every lab kernel. */
	{ "errno_enotdir_file_component", "ENOTDIR: a component is a file",
	  "open(\"file/x\"): the walk cannot go on into a regular file",
	  "errno_enotdir_file_component", "do_sys_openat2", OPEN_PATH "step_into",
	  { "ret_err path_openat#last@op#1 ENOTDIR", "ret_err do_filp_open@op#1 ENOTDIR",
	    "ret_err do_sys_openat2@op#1 ENOTDIR", "user 1 == -1 ENOTDIR",
	    "origin do_sys_openat2@op#1 link_path_walk|path_openat \"return -ENOTDIR\"" },
	  "link_path_walk (fs/namei.c) steps onto each component but the last; before going on "
	  "it checks that the dentry can be looked up in (d_can_lookup: a directory) and returns "
	  "-ENOTDIR for 'file', so 'x' is never looked at. Same code on 5.10, 6.1, 6.12 and 7.2, "
	  "but the deciding call differs: link_path_walk on 7.2; path_openat on 6.1 (BTF names "
	  "no link_path_walk there: only a fragment, link_path_walk.part.0.constprop.0) and on "
	  "6.12 (the line runs in the part of link_path_walk inlined into path_openat).",
	  "link_path_walk" },
	{ "errno_enotdir_o_directory", "ENOTDIR: O_DIRECTORY on a file",
	  "open(file, O_DIRECTORY) is refused after the walk, before may_open",
	  "errno_enotdir_o_directory", "do_sys_openat2", OPEN_PATH "may_open",
	  { "ret_err path_openat#last@op#1 ENOTDIR", "absent may_open@op#1",
	    "ret_err do_sys_openat2@op#1 ENOTDIR", "user 1 == -1 ENOTDIR",
	    "origin do_sys_openat2@op#1 path_openat \"(nd->flags & LOOKUP_DIRECTORY) && !d_can_lookup\"" },
	  "O_DIRECTORY becomes LOOKUP_DIRECTORY (build_open_flags, fs/open.c); do_open "
	  "(fs/namei.c) returns -ENOTDIR for a final dentry that is not a directory, before "
	  "may_open. do_open is inlined into path_openat on every lab kernel, so the deciding "
	  "call is path_openat and the line is do_open's (its lines are the ones probed). The "
	  "line table gives 'return -ENOTDIR;' no instruction of its own: the last line that "
	  "runs is the test before it.",
	  "do_open" },
	{ "errno_eisdir_wronly_dir", "EISDIR: a directory opened for writing",
	  "open(dir, O_WRONLY): may_open refuses MAY_WRITE on a directory",
	  "errno_eisdir_wronly_dir", "do_sys_openat2", OPEN_PATH "may_open",
	  { "field may_open.entry:acc_mode@op#1 & 2", "field may_open.entry:mode@op#1 & 0x4000",
	    "ret_err may_open@op#1 EISDIR", "ret_err do_sys_openat2@op#1 EISDIR",
	    "user 1 == -1 EISDIR", "origin do_sys_openat2@op#1 may_open \"return -EISDIR\"" },
	  "may_open (fs/namei.c) switches on the inode's type: for S_IFDIR, MAY_WRITE (2) gives "
	  "-EISDIR before any permission check of the file (the walk checked the directories' "
	  "search permission through inode_permission before). do_open's own "
	  "EISDIR is for O_CREAT only. Man page and kernel agree.", "may_open" },
	{ "errno_enametoolong_component", "ENAMETOOLONG: a 256-byte component",
	  "the VFS lets a long name through; the filesystem's lookup refuses it",
	  "errno_enametoolong_component", "do_sys_openat2",
	  OPEN_PATH "lookup_open,d_alloc_parallel,__d_alloc,ext4_lookup",
	  { "field ext4_lookup.entry:len@op#1 == 256", "ret_err ext4_lookup@op#1 ENAMETOOLONG",
	    "ret_err do_filp_open@op#1 ENAMETOOLONG", "ret_err do_sys_openat2@op#1 ENAMETOOLONG",
	    "user 1 == -1 ENAMETOOLONG" },
	  "getname checks only the whole path against PATH_MAX; fs/namei.c has no per-component "
	  "limit, so the name is hashed, missed and given an in-lookup dentry (d_alloc_parallel); "
	  "ext4_lookup (fs/ext4/namei.c) returns -ENAMETOOLONG for more than EXT4_NAME_LEN "
	  "(255) bytes. The man page's 'a component was too long' is the filesystem's answer, "
	  "not the VFS's. Its lines are probed, but no claim names the deciding one: on 6.1 and "
	  "6.12 the last line that ran is return ERR_PTR(-ENAMETOOLONG), on 7.2 the line table "
	  "gives that return no instruction of its own.", "ext4_lookup" },
	{ "errno_eloop_o_nofollow", "ELOOP: O_NOFOLLOW on a symlink",
	  "the walk stops on the link itself, and may_open will not open a symlink",
	  "errno_eloop_o_nofollow", "do_sys_openat2", OPEN_PATH "step_into,may_open",
	  { "field may_open.entry:mode@op#1 & 0xa000", "ret_err may_open@op#1 ELOOP",
	    "ret_err do_sys_openat2@op#1 ELOOP", "user 1 == -1 ELOOP",
	    "origin do_sys_openat2@op#1 may_open \"switch (inode->i_mode & S_IFMT)\"" },
	  "Without LOOKUP_FOLLOW the last component is not followed: the walk ends on the "
	  "symlink's dentry (S_IFLNK, 0xa000) and may_open (fs/namei.c) returns -ELOOP for it. "
	  "No loop is involved: ELOOP is what the kernel says for 'this is a symlink'. The line "
	  "table gives 'return -ELOOP;' no instruction of its own: the switch's jump goes "
	  "straight to the shared return, so the last line that runs is the switch.",
	  "may_open" },
	{ "errno_emfile_rlimit", "EMFILE: RLIMIT_NOFILE reached",
	  "no descriptor is free below the limit: the path is never walked",
	  "errno_emfile_rlimit", "do_sys_openat2", "do_sys_openat2,getname,alloc_fd,do_filp_open",
	  { "ret_err alloc_fd@op#1 EMFILE", "absent do_filp_open@op#1",
	    "ret_err do_sys_openat2@op#1 EMFILE", "user 1 == -1 EMFILE",
	    "origin do_sys_openat2@op#1 alloc_fd \"-EMFILE\"" },
	  "do_sys_openat2 (fs/open.c) reserves a descriptor before opening: get_unused_fd_flags -> "
	  "alloc_fd(0, rlimit(RLIMIT_NOFILE), flags) (fs/file.c) finds the lowest free fd at or "
	  "above the limit and returns -EMFILE; do_filp_open never runs. 7.2 reserves it through "
	  "FD_ADD (include/linux/file.h), still before the open.", "alloc_fd" },
	{ "errno_ebadf_dirfd", "EBADF: a dirfd that is not open",
	  "openat(bad fd, relative path): path_init finds no file behind the dirfd",
	  "errno_ebadf_dirfd", "do_sys_openat2", OPEN_PATH "path_init,__d_lookup_rcu",
	  { "field do_sys_openat2.entry:dfd@op#1 == 900", "ret_err path_init@op#1 EBADF",
	    "absent __d_lookup_rcu@op#1", "ret_err do_sys_openat2@op#1 EBADF",
	    "user 1 == -1 EBADF", "origin do_sys_openat2@op#1 path_init \"return ERR_PTR(-EBADF)\"" },
	  "A relative path starts at the dirfd: path_init (fs/namei.c) looks it up (fdget_raw; "
	  "CLASS(fd_raw) since 6.12) and returns ERR_PTR(-EBADF) when no file is behind it; the "
	  "walk never starts.", "path_init" },
	{ "errno_efault_bad_path", "EFAULT: a pathname pointer to no memory",
	  "the name cannot be copied in: strncpy_from_user faults",
	  "errno_efault_bad_path", "do_sys_openat2",
	  "do_sys_openat2,getname,getname_flags,do_filp_open,__d_lookup_rcu",
	  { "ret_err getname|getname_flags@op#1 EFAULT", "absent __d_lookup_rcu@op#1",
	    "ret_err do_sys_openat2@op#1 EFAULT",
	    "user 1 == -1 EFAULT" },
	  "getname -> getname_flags (do_getname in 7.2) -> strncpy_from_user "
	  "(lib/strncpy_from_user.c) faults on the unmapped page and returns -EFAULT, handed "
	  "back as ERR_PTR(-EFAULT). In 7.2 the struct filename is a CLASS and do_file_open "
	  "is still called, with the error as its name, and passes it on. strncpy_from_user "
	  "cannot be probed (notrace: not in ftrace's function list on 6.1), so the deciding "
	  "call seen is getname (getname_flags on 7.2), whose line names no errno: no origin "
	  "claim by line.", "getname_flags" },
	{ "errno_einval_tmpfile_rdonly", "EINVAL: O_TMPFILE read-only",
	  "an unnamed file that could not be written is refused before anything else",
	  "errno_einval_tmpfile_rdonly", "do_sys_openat2",
	  "do_sys_openat2,getname,getname_flags,do_filp_open",
	  { "field do_sys_openat2.entry:flags@op#1 & 0x400000",
	    "absent getname|getname_flags@op#1", "absent do_filp_open@op#1",
	    "ret_err do_sys_openat2@op#1 EINVAL", "user 1 == -1 EINVAL" },
	  "build_open_flags (fs/open.c): __O_TMPFILE (0x400000) needs O_DIRECTORY and an access "
	  "mode with MAY_WRITE, else -EINVAL, before getname and the walk. build_open_flags is "
	  "declared inline, which the kernel compiles notrace, and kprobe events refuse a notrace "
	  "function (EINVAL, for its entry and every line, on 6.1 and 6.12): the BPF backend "
	  "cannot probe it, so the evidence is that do_sys_openat2 failed before it copied the "
	  "name in, and the report's origin is do_sys_openat2. The module's own kprobes can, and "
	  "its lines are probed: with the module the report names return -EINVAL; "
	  "(fs/open.c:1244 on 6.12), with BPF every point says it was refused.",
	  "build_open_flags" },
	{ "errno_e2big_open_how", "E2BIG: a longer struct open_how with a non-zero tail",
	  "openat2 refuses bytes it does not know unless they are zero",
	  "errno_e2big_open_how", "__x64_sys_openat2",
	  "__x64_sys_openat2,do_sys_openat2,getname,do_filp_open",
	  { "field __x64_sys_openat2.entry:usize@op#1 == 32",
	    "ret_err __x64_sys_openat2@op#1 E2BIG", "absent do_sys_openat2",
	    "absent do_filp_open", "user 1 == -1 E2BIG" },
	  "SYSCALL_DEFINE4(openat2) (fs/open.c) copies the caller's struct with "
	  "copy_struct_from_user (include/linux/uaccess.h): a size above the kernel's 24 bytes "
	  "is accepted only when the extra bytes are zero (check_zeroed_user), else -E2BIG. "
	  "This is decided in the syscall's own entry, before do_sys_openat2, so the case is "
	  "anchored on __x64_sys_openat2. Its lines are those of __do_sys_openat2 (the "
	  "SYSCALL_DEFINE body, inlined into the entry): on 6.12 the last that ran is "
	  "copy_struct_from_user's return ret ?: -E2BIG; (include/linux/uaccess.h:403).",
	  "__do_sys_openat2" },
	{ "errno_einval_resolve_flag", "EINVAL: an unknown resolve flag",
	  "openat2 refuses resolve bits it does not know",
	  "errno_einval_resolve_flag", "do_sys_openat2",
	  "do_sys_openat2,getname,getname_flags,do_filp_open",
	  { "field do_sys_openat2.entry:resolve@op#1 == 0x10000000000",
	    "absent getname|getname_flags@op#1", "absent do_filp_open@op#1",
	    "ret_err do_sys_openat2@op#1 EINVAL", "user 1 == -1 EINVAL" },
	  "build_open_flags (fs/open.c) returns -EINVAL for any resolve bit outside "
	  "VALID_RESOLVE_FLAGS, before the path is copied in (open() cannot pass resolve flags; "
	  "openat2 checks every argument). build_open_flags is inline, so notrace: BPF cannot "
	  "probe it and its origin is do_sys_openat2; the module names the line (see "
	  "errno_einval_tmpfile_rdonly).",
	  "build_open_flags" },
	{ "errno_exdev_beneath", "EXDEV: RESOLVE_BENEATH and an absolute path",
	  "an absolute path jumps to the root, which RESOLVE_BENEATH forbids",
	  "errno_exdev_beneath", "do_sys_openat2", OPEN_PATH "path_init,nd_jump_root,__d_lookup_rcu",
	  { "ret_err nd_jump_root@op#1 EXDEV", "ret_err path_init@op#1 EXDEV",
	    "absent __d_lookup_rcu@op#1", "ret_err do_sys_openat2@op#1 EXDEV",
	    "user 1 == -1 EXDEV", "origin do_sys_openat2@op#1 nd_jump_root \"return -EXDEV\"" },
	  "path_init (fs/namei.c) starts an absolute path with nd_jump_root, which returns -EXDEV "
	  "at once under LOOKUP_BENEATH: the path is refused even though the file is beneath the "
	  "dirfd.", "nd_jump_root" },
	{ "errno_exdev_no_xdev", "EXDEV: RESOLVE_NO_XDEV through a mount point",
	  "openat2 may not cross a mount, and the path goes through one",
	  "errno_exdev_no_xdev", "do_sys_openat2", OPEN_PATH "may_open",
	  { "field do_sys_openat2.entry:resolve@op#1 == 1", "ret_err path_openat#last@op#1 EXDEV",
	    "absent may_open@op#1", "ret_err do_filp_open@op#1 EXDEV",
	    "ret_err do_sys_openat2@op#1 EXDEV", "user 1 == -1 EXDEV" },
	  "RESOLVE_NO_XDEV (1) becomes LOOKUP_NO_XDEV; the walk of \"mnt/f.txt\" reaches "
	  "\"mnt\", a tmpfs mount point, and the mount handling in step_into (fs/namei.c: "
	  "__follow_mount_rcu gives up, then traverse_mounts / handle_mounts) returns -EXDEV "
	  "instead of crossing; the file is never reached (no may_open). The deciding code "
	  "is inlined into the walk on the lab kernels, so the report names the deepest "
	  "traced call, and the line from handle_mounts' probed lines.", "handle_mounts" },
	{ "errno_eloop_no_symlinks", "ELOOP: RESOLVE_NO_SYMLINKS through a symlink",
	  "openat2 will follow no symlink, and says ELOOP",
	  "errno_eloop_no_symlinks", "do_sys_openat2", OPEN_PATH "step_into,pick_link,may_open",
	  { "field step_into.entry{dname=\"link\"}:mode@op#1 & 0xa000",
	    "ret_err step_into#last@op#1 ELOOP", "absent may_open@op#1",
	    "ret_err do_sys_openat2@op#1 ELOOP", "user 1 == -1 ELOOP",
	    "origin do_sys_openat2@op#1 pick_link|step_into \"return ERR_PTR(-ELOOP)\"" },
	  "pick_link (fs/namei.c) returns -ELOOP under LOOKUP_NO_SYMLINKS before reading the "
	  "link. pick_link is inlined into step_into on 5.10, 6.1 and 6.12 and a function of its "
	  "own on 7.2 (called from step_into_slowpath), so the deciding call is step_into there "
	  "and pick_link here; the line is pick_link's on all.",
	  "pick_link" },
	{ "errno_eagain_resolve_cached", "EAGAIN: RESOLVE_CACHED on a name not in the dcache",
	  "the RCU walk misses, and the ref-walk retry is refused at once",
	  "errno_eagain_resolve_cached", "do_sys_openat2", OPEN_PATH "path_init,__d_lookup_rcu",
	  { "count path_openat@op#1 == 2", "ret_err path_openat#1@op#1 ECHILD",
	    "ret_err path_init#last@op#1 EAGAIN", "ret_err do_sys_openat2@op#1 EAGAIN",
	    "user 1 == -1 EAGAIN",
	    "origin do_sys_openat2@op#1 path_init \"return ERR_PTR(-EAGAIN)\"" },
	  "RESOLVE_CACHED (LOOKUP_CACHED, Linux 5.12) allows the RCU walk only: the miss on "
	  "f.txt needs try_to_unlazy, which legitimize_links refuses under LOOKUP_CACHED, so "
	  "the first path_openat ends with -ECHILD; do_filp_open retries without LOOKUP_RCU and "
	  "path_init (fs/namei.c) returns ERR_PTR(-EAGAIN): 'LOOKUP_CACHED requires RCU, ask "
	  "caller to retry'. RESOLVE_CACHED came upstream in 5.12, yet Debian's 5.10 has it "
	  "(the lab's 5.10 returns EAGAIN, from path_init); a kernel without it refuses the flag "
	  "in build_open_flags (EINVAL): the trigger then says so (run.fact unsupported) and the "
	  "claims are skipped, not failed.",
	  "path_init" },
	{ "errno_erofs_readonly_mount", "EROFS: a write open on a read-only mount",
	  "the permission check refuses a write to a read-only filesystem's file",
	  "errno_erofs_readonly_mount", "do_sys_openat2",
	  OPEN_PATH "may_open,inode_permission,generic_permission",
	  { "ret_err inode_permission#last@op#1 EROFS", "ret_err do_filp_open@op#1 EROFS", "ret_err do_sys_openat2@op#1 EROFS",
	    "user 1 == -1 EROFS" },
	  "The walk finds the file; do_open -> may_open -> inode_permission(MAY_WRITE) "
	  "(fs/namei.c) refuses a write to a regular file of a read-only superblock "
	  "(sb_permission, inlined into inode_permission) with -EROFS, before the mode bits "
	  "are looked at.", "inode_permission" },
	{ "errno_eperm_noatime", "EPERM: O_NOATIME on another user's file",
	  "the read is allowed, O_NOATIME is not: only the owner may set it",
	  "errno_eperm_noatime", "do_sys_openat2",
	  OPEN_PATH "may_open,inode_permission,generic_permission",
	  { "ret_ok inode_permission#last@op#1", "ret_err do_filp_open@op#1 EPERM",
	    "ret_err do_sys_openat2@op#1 EPERM", "user 1 == -1 EPERM",
	    "origin do_sys_openat2@op#1 may_open \"O_NOATIME\"" },
	  "may_open (fs/namei.c) checks the permission first (inode_permission: read granted "
	  "to uid 65534 on a 0644 file), then 'O_NOATIME can only be set by the owner or "
	  "superuser': inode_owner_or_capable is false, so -EPERM.", "may_open" },
	{ "errno_eopnotsupp_tmpfile", "EOPNOTSUPP: O_TMPFILE on procfs",
	  "an unnamed file is asked of a filesystem that cannot make one",
	  "errno_eopnotsupp_tmpfile", "do_sys_openat2", OPEN_PATH "vfs_tmpfile",
	  { "field do_sys_openat2.entry:flags@op#1 & 0x400000", "ret_err vfs_tmpfile@op#1 EOPNOTSUPP",
	    "ret_err do_filp_open@op#1 EOPNOTSUPP", "ret_err do_sys_openat2@op#1 EOPNOTSUPP",
	    "user 1 == -1 EOPNOTSUPP", "origin do_sys_openat2@op#1 vfs_tmpfile \"-EOPNOTSUPP\"" },
	  "O_TMPFILE (__O_TMPFILE 0x400000 with O_DIRECTORY) on /proc: the flags pass "
	  "build_open_flags, path_openat takes do_tmpfile, the walk finds the directory, and "
	  "vfs_tmpfile (fs/namei.c) first checks MAY_WRITE|MAY_EXEC on it (granted to root), "
	  "then finds no tmpfile operation in procfs's directory inode: -EOPNOTSUPP. "
	  "vfs_tmpfile returned the dentry (an ERR_PTR) up to 6.2 and an int since 6.3.",
	  "vfs_tmpfile" },
	{ "errno_ebusy_excl_mounted", "EBUSY: O_EXCL on a mounted block device",
	  "an exclusive open of a loop device that a mounted file system holds",
	  "errno_ebusy_excl_mounted", "do_sys_openat2", OPEN_PATH "blkdev_open,bd_prepare_to_claim",
	  { "field blkdev_open.entry:f_flags@op#1 & 0x80", "ret_err bd_prepare_to_claim@op#1 EBUSY",
	    "ret_err blkdev_open@op#1 EBUSY", "ret_err do_filp_open@op#1 EBUSY",
	    "ret_err do_sys_openat2@op#1 EBUSY", "user 1 == -1 EBUSY",
	    "origin do_sys_openat2@op#1 bd_prepare_to_claim \"return -EBUSY\"" },
	  "For a block device file do_dentry_open calls the device's open, blkdev_open "
	  "(block/fops.c; fs/block_dev.c in 5.10): O_EXCL (0x80) asks for an exclusive claim, "
	  "and bd_prepare_to_claim finds the device already held by another holder (the "
	  "mounted ext2): -EBUSY.", "bd_prepare_to_claim" },
	{ "errno_enfile_file_max", "ENFILE: fs.file-max reached",
	  "the descriptor is free, the struct file is not: the system-wide limit refuses it",
	  "errno_enfile_file_max", "do_sys_openat2",
	  "do_sys_openat2,getname,alloc_fd,do_filp_open,path_openat,alloc_empty_file",
	  { "ret_ok alloc_fd@op#1", "ret_err alloc_empty_file@op#1 ENFILE",
	    "ret_err do_filp_open@op#1 ENFILE", "ret_err do_sys_openat2@op#1 ENFILE",
	    "user 1 == -1 ENFILE", "origin do_sys_openat2@op#1 alloc_empty_file \"-ENFILE\"" },
	  "The trigger holds 256 files open, lowers fs.file-max to 1 and becomes uid 65534. do_sys_openat2 reserves "
	  "the descriptor (alloc_fd: RLIMIT_NOFILE is not reached), then path_openat asks "
	  "alloc_empty_file (fs/file_table.c) for a struct file: more files are open than "
	  "fs.file-max and the caller is not capable(CAP_SYS_ADMIN), so after the exact "
	  "(percpu_counter_sum) count it returns ERR_PTR(-ENFILE). Root would not be refused. "
	  "The files the trigger holds keep the approximate count that the first test reads "
	  "(percpu_counter_read_positive) above the limit: in a small guest it can read 0, "
	  "and the kernel then lets the open through (seen once with the module).",
	  "alloc_empty_file" },
	{ "errno_enxio_fifo_no_reader", "ENXIO: a FIFO opened to write with no reader",
	  "O_WRONLY|O_NONBLOCK on a FIFO nobody reads: the FIFO's own open refuses it",
	  "errno_enxio_fifo_no_reader", "do_sys_openat2", OPEN_PATH "fifo_open",
	  { "field fifo_open.entry:f_flags@op#1 & 0x800", "ret_err fifo_open@op#1 ENXIO",
	    "ret_err do_filp_open@op#1 ENXIO", "ret_err do_sys_openat2@op#1 ENXIO",
	    "user 1 == -1 ENXIO", "origin do_sys_openat2@op#1 fifo_open \"-ENXIO\"" },
	  "The walk and the permission check pass; do_dentry_open calls the FIFO's open, "
	  "fifo_open (fs/pipe.c), which for a writer with O_NONBLOCK (0x800) and no reader "
	  "returns -ENXIO.", "fifo_open" },
	{ "errno_enospc_tmpfs_inodes", "ENOSPC: O_CREAT on a filesystem with no inode left",
	  "a tmpfs of one inode (its root's) has no room for a new file, whatever its free blocks",
	  "errno_enospc_tmpfs_inodes", "do_sys_openat2",
	  OPEN_PATH "lookup_open,shmem_mknod,shmem_get_inode",
	  { "field do_sys_openat2.entry:flags@op#1 & 0x40",
	    "hit shmem_mknod.entry{dname=\"new.txt\"}@op#1", "ret_err shmem_mknod@op#1 ENOSPC",
	    "ret_err do_filp_open@op#1 ENOSPC", "ret_err do_sys_openat2@op#1 ENOSPC",
	    "ran shmem_get_inode@op#1 shmem_reserve_inode|shmem_get_inode \"return -ENOSPC;\"",
	    "user 1 == -1 ENOSPC",
	    "origin do_sys_openat2@op#1 shmem_get_inode|shmem_mknod \"-ENOSPC\"" },
	  "The trigger mounts a tmpfs with nr_inodes=1: its root directory holds the one inode. "
	  "O_CREAT (0x40) on new.txt misses and lookup_open calls the directory's create, "
	  "shmem_create -> shmem_mknod (mm/shmem.c), which asks shmem_get_inode for an inode: "
	  "shmem_reserve_inode (inlined into it on x86-64, a call of its own on arm64) finds "
	  "the superblock's count of free inodes at 0 and refuses with -ENOSPC (the line that "
	  "ran, read from the kernel). Up to 6.2 "
	  "shmem_get_inode returns NULL for it and "
	  "shmem_mknod answers with the -ENOSPC it started with; since 6.3 __shmem_get_inode "
	  "returns ERR_PTR(-ENOSPC) and shmem_mknod passes it on.",
	  "__shmem_get_inode|shmem_get_inode,shmem_reserve_inode,shmem_mknod" },
	{ "errno_enomem_fifo_pipe_pages", "ENOMEM: a FIFO over the user's pipe-pages limit",
	  "no memory ran short: the FIFO's pipe is refused by fs.pipe-user-pages-hard",
	  "errno_enomem_fifo_pipe_pages", "do_sys_openat2", OPEN_PATH "fifo_open,alloc_pipe_info",
	  { "field fifo_open.entry:f_flags@op#1 & 0x800", "field alloc_pipe_info.ret:ret@op#1 == NULL",
	    "ret_err fifo_open@op#1 ENOMEM", "ret_err do_filp_open@op#1 ENOMEM",
	    "ret_err do_sys_openat2@op#1 ENOMEM", "user 1 == -1 ENOMEM",
	    "ran alloc_pipe_info@op#1 \"(void) account_pipe_buffers(user, pipe_bufs, 0);\"",
	    "origin do_sys_openat2@op#1 fifo_open \"-ENOMEM\"" },
	  "The trigger sets fs.pipe-user-pages-hard to 1 and becomes uid 65534. The FIFO's "
	  "first open, fifo_open (fs/pipe.c), finds no pipe on the inode and asks "
	  "alloc_pipe_info for one: the user's pipe buffers with the new pipe's 16 pages "
	  "would exceed the hard limit, and the caller has neither CAP_SYS_RESOURCE nor "
	  "CAP_SYS_ADMIN (pipe_is_unprivileged_user), so alloc_pipe_info gives the "
	  "accounting back (the line that ran: account_pipe_buffers(user, pipe_bufs, 0)) and "
	  "returns NULL, which fifo_open reports as -ENOMEM. "
	  "O_NONBLOCK (0x800) keeps the open from waiting for a writer had it got its pipe.",
	  "fifo_open,alloc_pipe_info" },
	{ "errno_ewouldblock_lease", "EWOULDBLOCK: O_NONBLOCK against a lease",
	  "a write open would break a read lease: with O_NONBLOCK it does not wait",
	  "errno_ewouldblock_lease", "do_sys_openat2", OPEN_PATH "do_dentry_open,__break_lease",
	  { "field do_sys_openat2.entry:flags@op#1 & 0x801", "ret_err __break_lease@op#1 EWOULDBLOCK",
	    "ret_err do_filp_open@op#1 EWOULDBLOCK", "ret_err do_sys_openat2@op#1 EWOULDBLOCK",
	    "user 1 == -1 EWOULDBLOCK", "origin do_sys_openat2@op#1 __break_lease \"-EWOULDBLOCK\"" },
	  "The trigger holds a read lease on the file (fcntl F_SETLEASE F_RDLCK on a read-only "
	  "descriptor) and opens it O_WRONLY|O_NONBLOCK (0x801). do_dentry_open (fs/open.c) "
	  "calls break_lease, and __break_lease (fs/locks.c) finds the read lease in conflict "
	  "with a writer: it starts the break (the lease owner is sent SIGIO, which the "
	  "trigger ignores) and, the open being O_NONBLOCK, returns -EWOULDBLOCK instead of "
	  "waiting for the owner. EWOULDBLOCK is EAGAIN (11) on Linux: the program sees EAGAIN.",
	  "__break_lease" },
	{ "errno_eintr_fifo_signal", "EINTR: a blocking FIFO open interrupted by a signal",
	  "the kernel returns -ERESTARTSYS, the program sees EINTR: its handler asked for no restart",
	  "errno_eintr_fifo_signal", "do_sys_openat2", OPEN_PATH "fifo_open,wait_for_partner",
	  { "ret_err wait_for_partner@op#1 ERESTARTSYS",
	    "ret_err fifo_open@op#1 ERESTARTSYS", "ret_err do_sys_openat2@op#1 ERESTARTSYS",
	    "user 1 == -1 EINTR", "origin do_sys_openat2@op#1 wait_for_partner \"-ERESTARTSYS\"" },
	  "A reader's blocking open of a FIFO (O_RDONLY) waits for a writer: fifo_open "
	  "(fs/pipe.c) sleeps in wait_for_partner, interruptibly. The trigger's SIGALRM, "
	  "caught by a handler installed without SA_RESTART, wakes it with no writer come, "
	  "so wait_for_partner returns -ERESTARTSYS and every caller up to do_sys_openat2 "
	  "hands it on. No program ever sees ERESTARTSYS (512): on the way out the signal "
	  "code runs the handler and, as it has no SA_RESTART, turns the return into -EINTR "
	  "(with SA_RESTART the open would be restarted). The kernel's return and the "
	  "program's errno differ, and both are true.",
	  "wait_for_partner" },
	{ "errno_enametoolong_path", "ENAMETOOLONG: a whole path of PATH_MAX bytes",
	  "a path that fills PATH_MAX is refused while it is copied in, before the walk",
	  "errno_enametoolong_path", "do_sys_openat2",
	  "do_sys_openat2,getname,getname_flags,do_filp_open",
	  { "ret_err getname|getname_flags@op#1 ENAMETOOLONG",
	    "ret_err do_sys_openat2@op#1 ENAMETOOLONG", "user 1 == -1 ENAMETOOLONG" },
	  "getname -> getname_flags (fs/namei.c; do_getname in 7.2) copies at most PATH_MAX "
	  "(4096) bytes with strncpy_from_user; a name that fills them without its NUL is "
	  "refused with -ENAMETOOLONG. Each component is short ('./'), so the walk's own "
	  "limit (NAME_MAX) is never reached.", "getname_flags" },
	{ "errno_eperm_raw_socket", "EPERM: a raw socket without CAP_NET_RAW",
	  "socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) as uid 65534: inet_create refuses it",
	  "errno_eperm_raw_socket", "__sys_socket",
	  "__sys_socket,__sock_create,sock_alloc,inet_create,sock_release,__sock_release",
	  { "field __sock_create.entry:type@op#1 == 3", "ret_err inet_create@op#1 EPERM",
	    "ret_err __sock_create@op#1 EPERM", "ret_err __sys_socket@op#1 EPERM",
	    "user 1 == -1 EPERM", "origin __sys_socket@op#1 inet_create \"-EPERM\"" },
	  "__sock_create allocates the socket (sock_alloc) and calls the family's create: "
	  "inet_create (net/ipv4/af_inet.c) finds the raw protocol and refuses SOCK_RAW (3) "
	  "to a caller without CAP_NET_RAW in its network namespace with -EPERM.", "inet_create" },
	{ "errno_enfile_socket", "ENFILE from socket(): fs.file-max reached",
	  "the socket and its sock are made, the struct file for them is refused",
	  "errno_enfile_socket", "__sys_socket",
	  "__sys_socket,sock_alloc,inet_create,alloc_fd,sock_alloc_file,alloc_empty_file,fd_install",
	  { "ret_ok inet_create@op#1", "ret_ok alloc_fd@op#1",
	    "ret_err alloc_empty_file@op#1 ENFILE", "ret_err sock_alloc_file@op#1 ENFILE",
	    "absent fd_install@op#1", "ret_err __sys_socket@op#1 ENFILE", "user 1 == -1 ENFILE",
	    "origin __sys_socket@op#1 alloc_empty_file \"-ENFILE\"" },
	  "The trigger holds 256 files open, lowers fs.file-max to 1 and becomes uid 65534. __sys_socket makes the "
	  "socket (sock_alloc) and its sock (inet_create), reserves the descriptor, then "
	  "sock_alloc_file asks alloc_empty_file (through alloc_file_pseudo) for the struct "
	  "file: ERR_PTR(-ENFILE), as for open; sock_alloc_file releases the socket and "
	  "nothing is installed.", "alloc_empty_file" },
	{ "socket_emfile_release", "The socket puzzle: EMFILE after the socket was made",
	  "socket() fails for want of a descriptor after sock_alloc and inet_create ran: the "
	  "socket and its sock are released, nothing is installed",
	  "socket_emfile_release", "__sys_socket",
	  "__sys_socket,sock_alloc,inet_create,alloc_fd,sock_alloc_file,fd_install,sock_release,"
	  "__sock_release,inet_release,tcp_close,sk_free",
	  { "ret_ok inet_create@op#1", "ret_err alloc_fd@op#1 EMFILE",
	    "same_ptr sock_alloc.ret:ret inet_release.entry:sock",
	    "same_ptr inet_create.ret:sk inet_release.entry:sk",
	    "same_ptr inet_create.ret:sk tcp_close.entry:sk",
	    "same_ptr inet_create.ret:sk sk_free.entry:sk",
	    "absent sock_alloc_file@op#1", "absent fd_install@op#1",
	    "ret_err __sys_socket@op#1 EMFILE", "user 1 == -1 EMFILE",
	    "origin __sys_socket@op#1 alloc_fd \"-EMFILE\"" },
	  "__sys_socket (net/socket.c) creates the socket before it asks for a descriptor: "
	  "__sock_create -> sock_alloc, inet_create makes the struct sock. sock_map_fd then asks "
	  "get_unused_fd_flags -> alloc_fd, which returns -EMFILE at RLIMIT_NOFILE, and calls "
	  "sock_release(sock), whose body is __sock_release(sock, NULL). No call of "
	  "sock_release itself is seen on the lab kernels (inet_release returns into "
	  "__sock_release: net/socket.c:654 on 6.1, :641 on 6.12), so the claims follow the "
	  "socket into inet_release, called through sock->ops->release: it hands the sock to the "
	  "protocol's close (tcp_close), whose last reference frees it (sk_free, in the same "
	  "call); __sock_release then drops the socket's inode (iput), whose memory the VFS "
	  "frees after an RCU grace period, outside this thread. No file is made and nothing "
	  "reaches the fd table.", "alloc_fd" },
	{ "errno_eafnosupport_family", "EAFNOSUPPORT: an unknown address family",
	  "socket(255, ...): refused before anything is allocated",
	  "errno_eafnosupport_family", "__sys_socket", "__sys_socket,__sock_create,sock_alloc",
	  { "field __sock_create.entry:family@op#1 == 255",
	    "ret_err __sock_create@op#1 EAFNOSUPPORT", "absent sock_alloc@op#1",
	    "ret_err __sys_socket@op#1 EAFNOSUPPORT", "user 1 == -1 EAFNOSUPPORT",
	    "origin __sys_socket@op#1 __sock_create \"return -EAFNOSUPPORT\"" },
	  "__sock_create (net/socket.c) checks family < NPROTO first and returns -EAFNOSUPPORT; "
	  "sock_alloc never runs.", "__sock_create" },
	{ "errno_einval_socket_type", "EINVAL: an unknown socket type",
	  "socket(AF_INET, 11, 0): the type is checked before the family's create",
	  "errno_einval_socket_type", "__sys_socket", "__sys_socket,__sock_create,sock_alloc",
	  { "field __sock_create.entry:type@op#1 == 11", "ret_err __sock_create@op#1 EINVAL",
	    "absent sock_alloc@op#1", "ret_err __sys_socket@op#1 EINVAL",
	    "user 1 == -1 EINVAL", "origin __sys_socket@op#1 __sock_create \"return -EINVAL\"" },
	  "__sys_socket lets 11 through (no flag bits outside SOCK_TYPE_MASK); __sock_create "
	  "(net/socket.c) returns -EINVAL for a type at or above SOCK_MAX (11).", "__sock_create" },
	{ "errno_esocktnosupport_seqpacket", "ESOCKTNOSUPPORT: SOCK_SEQPACKET over AF_INET",
	  "socket(AF_INET, SOCK_SEQPACKET, 0): the family has no protocol of that type",
	  "errno_esocktnosupport_seqpacket", "__sys_socket",
	  "__sys_socket,__sock_create,sock_alloc,inet_create",
	  { "field __sock_create.entry:type@op#1 == 5", "field inet_create.entry:protocol@op#1 == 0",
	    "ret_err inet_create@op#1 ESOCKTNOSUPPORT", "ret_err __sock_create@op#1 ESOCKTNOSUPPORT",
	    "ret_err __sys_socket@op#1 ESOCKTNOSUPPORT", "user 1 == -1 ESOCKTNOSUPPORT",
	    "origin __sys_socket@op#1 inet_create \"-ESOCKTNOSUPPORT\"" },
	  "SOCK_SEQPACKET (5) is below SOCK_MAX, so __sock_create allocates the socket and calls "
	  "inet_create (net/ipv4/af_inet.c), which begins its search with "
	  "err = -ESOCKTNOSUPPORT; inetsw[SOCK_SEQPACKET] is empty (SCTP registers there "
	  "only when loaded, and for its own protocol number), so after asking for a module "
	  "twice it returns -ESOCKTNOSUPPORT. socket(2) does not list this errno; the "
	  "kernel returns it.", "inet_create" },
	{ "errno_eprotonosupport_inet_udp", "EPROTONOSUPPORT: a stream socket over UDP",
	  "socket(AF_INET, SOCK_STREAM, IPPROTO_UDP): inet_create finds no such protocol",
	  "errno_eprotonosupport_inet_udp", "__sys_socket",
	  "__sys_socket,__sock_create,sock_alloc,inet_create",
	  { "field inet_create.entry:protocol@op#1 == 17",
	    "ret_err inet_create@op#1 EPROTONOSUPPORT", "ret_err __sock_create@op#1 EPROTONOSUPPORT",
	    "ret_err __sys_socket@op#1 EPROTONOSUPPORT", "user 1 == -1 EPROTONOSUPPORT",
	    "origin __sys_socket@op#1 inet_create \"err = -EPROTONOSUPPORT\"" },
	  "__sock_create allocates the socket and calls the family's create, inet_create "
	  "(net/ipv4/af_inet.c): SOCK_STREAM's protocol list holds TCP only, so the search sets "
	  "err = -EPROTONOSUPPORT; it asks for a module (request_module) twice, searches again, "
	  "and gives up.", "inet_create" },
};
/* clang-format on */

#define NCASES (sizeof(cases) / sizeof(cases[0]))

const struct ot_case *ot_case_find(const char *id)
{
	for (size_t i = 0; i < NCASES; i++)
		if (!strcmp(cases[i].id, id))
			return &cases[i];
	return NULL;
}

const struct ot_case *ot_case_at(size_t i)
{
	return i < NCASES ? &cases[i] : NULL;
}

size_t ot_case_count(void)
{
	return NCASES;
}

int ot_probe_union_of(const struct ot_case *const *cases, size_t ncases, struct ot_probe_union *u)
{
	size_t len = 0, cap = 1;
	size_t *uses;
	char *at;

	memset(u, 0, sizeof(*u));
	for (size_t i = 0; i < ncases; i++) {
		len += strlen(cases[i]->probes) + 1;
		for (const char *p = cases[i]->probes; *p; p++)
			cap += *p == ',';
		cap++;
	}
	u->buf = malloc(len + 1);
	u->funcs = calloc(cap, sizeof(*u->funcs));
	uses = calloc(cap, sizeof(*uses));
	if (!u->buf || !u->funcs || !uses) {
		free(uses);
		ot_probe_union_free(u);
		return -1;
	}
	at = u->buf;
	for (size_t i = 0; i < ncases; i++) {
		for (const char *p = cases[i]->probes; *p;) {
			size_t n = strcspn(p, ","), k;

			for (k = 0; k < u->n; k++)
				if (strlen(u->funcs[k]) == n && !strncmp(u->funcs[k], p, n))
					break;
			if (n && k == u->n) {
				memcpy(at, p, n);
				at[n] = '\0';
				u->funcs[u->n++] = at;
				at += n + 1;
			}
			if (n)
				uses[k]++;
			p += n + (p[n] == ',');
		}
	}
	/* insertion sort, stable: more uses first */
	for (size_t i = 1; i < u->n; i++) {
		const char *f = u->funcs[i];
		size_t c = uses[i], j = i;

		for (; j > 0 && uses[j - 1] < c; j--) {
			u->funcs[j] = u->funcs[j - 1];
			uses[j] = uses[j - 1];
		}
		u->funcs[j] = f;
		uses[j] = c;
	}
	free(uses);
	return 0;
}

void ot_probe_union_free(struct ot_probe_union *u)
{
	free(u->funcs);
	free(u->buf);
	memset(u, 0, sizeof(*u));
}
