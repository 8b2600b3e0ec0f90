// SPDX-License-Identifier: MIT
/* The case catalogue (CASES.md) as data. Claims use the language of
 * src/claims/claims.h; op#N is the N-th call of the case's anchor function.
 * Scopes like op[__d_alloc]#1 ("the open that allocated a dentry") also let the
 * claims be checked on the seeds' logs, whose first opens are the dynamic
 * loader's. Every case also gets the trace claim block (pairs, decoded,
 * user_agrees) from the claims engine. */
#include "cases/catalogue.h"

#include <string.h>

#define OPEN_PATH "do_sys_openat2,getname,do_filp_open,path_openat,link_path_walk,"
#define DCACHE "lookup_open,d_lookup,__d_lookup,__d_lookup_rcu,d_alloc_parallel,__d_alloc,d_splice_alias,__d_add"

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
	    "user 1 == -1 EACCES",
	    "ran generic_permission#last@op#1 \"mask &= MAY_READ | MAY_WRITE | MAY_EXEC;\"",
	    "origin do_filp_open@op#1 generic_permission \"return -EACCES\"" },
	  "generic_permission -> acl_permission_check: the 'other' bits r-- lack MAY_WRITE.",
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
