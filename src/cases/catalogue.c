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

static const struct ot_case cases[] = {
	/* From the seeds. */
	{ "case7_symlink_fast", "Symlink follow", "symlink resolved quickly",
	  "case7_symlink_fast", "do_filp_open",
	  OPEN_PATH "step_into,pick_link,lookup_open,__d_alloc",
	  { "hit pick_link@op#1",
	    "ret_ok do_filp_open@op[pick_link]#1",
	    "field do_filp_open.ret:dname@op[pick_link]#1 == \"target.txt\"",
	    "user 1 == fd" },
	  "The walk follows good_link through pick_link (fs/namei.c: step_into -> pick_link); the "
	  "file opened is the target's dentry, so its d_name is target.txt." },
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
	  "module; here the second open's lookup is the replay." },
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
	  "allocated external name; shorter names live in the dentry itself." },
	{ "stage2_te_miss", "Basename offset",
	  "the dentry's name is copied from the basename inside the full path",
	  "stage2_te_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ptr_diff __d_alloc.entry{name=\"t_e.txt\"}:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == user#1:prefix_len",
	    "same_ptr __d_alloc.ret:ret@op#1 do_filp_open.ret:dentry@op#1",
	    "same_ptr __d_alloc.ret:dname_ptr@op#1 do_filp_open.ret:dname_ptr@op#1",
	    "ret_ok do_filp_open@op#1", "user 1 == fd" },
	  "The qstr handed to __d_alloc points into the struct filename's buffer at the last "
	  "component (fs/namei.c: link_path_walk sets nd->last), so the address difference is the "
	  "length of the directory prefix." },
	{ "stage2_tm_miss", "Negative dentry cached",
	  "a missing name is cached as a negative dentry and found again",
	  "stage2_tm_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ret_err do_filp_open@op#1 ENOENT", "ret_err do_filp_open@op#2 ENOENT",
	    "count __d_alloc@op#1 >= 1", "count __d_alloc@op#2 == 0",
	    "same_ptr __d_alloc.ret:ret@op#1 __d_lookup_rcu.ret:ret@op#2",
	    "user 1 == -1 ENOENT", "user 2 == -1 ENOENT" },
	  "Same mechanism as case17, after dropped caches." },
	{ "stage2_lm_miss", "Relative miss", "a relative name is its own basename",
	  "stage2_lm_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ptr_diff __d_alloc.entry#last:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == 0",
	    "ret_err do_filp_open@op#1 ENOENT", "user 1 == -1 ENOENT" },
	  "With a one-component relative path, nd->last.name is the start of the filename buffer." },
	{ "stage2_a_miss", "Two missing levels on a loop mount",
	  "every component not in the dcache is allocated; the basename sits 12 bytes in",
	  "stage2_a_miss", "do_filp_open", OPEN_PATH DCACHE,
	  { "ptr_diff __d_alloc.entry{name=\"a.txt\"}:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == len(\"/mnt/loopfs/\")",
	    "hit __d_alloc.entry{name=\"a.txt\"}@op#1",
	    "ret_err do_filp_open@op#1 ENOENT", "user 1 == -1 ENOENT" },
	  "The mount pins /mnt and /mnt/loopfs in the dcache across drop_caches (a mounted-on "
	  "dentry is in use), so only a.txt, on the freshly made ext2 filesystem, is allocated; "
	  "its name starts 12 bytes into \"/mnt/loopfs/a.txt\"." },
	{ "stage2_lifecycle", "Hit, delete, evict",
	  "one dentry pointer from lookup hit to d_delete to __dentry_kill",
	  "stage2_lifecycle", "do_filp_open", OPEN_PATH DCACHE ",d_delete,__dentry_kill,do_unlinkat",
	  { "ret_ok do_filp_open@op#1",
	    "same_ptr do_filp_open.ret:dentry@op#1 d_delete.entry:dentry",
	    "same_ptr d_delete.entry:dentry __dentry_kill.entry:dentry",
	    "user 1 == fd" },
	  "unlink calls d_delete (fs/dcache.c); a dentry with no users is killed at once or on "
	  "drop_caches (shrink_dcache_sb -> __dentry_kill)." },
	{ "stage2_rebuild", "Rebuild after eviction", "after eviction a new dentry is allocated",
	  "stage2_rebuild", "do_filp_open", OPEN_PATH DCACHE ",__dentry_kill",
	  { "ret_ok do_filp_open@op#1", "ret_ok do_filp_open@op#2",
	    "new_ptr do_filp_open.ret:dentry@op#1 do_filp_open.ret:dentry@op#2",
	    "same_ptr do_filp_open.ret:dentry@op#1 __dentry_kill.entry:dentry",
	    "count __d_alloc@op#2 >= 1" },
	  "drop_caches frees the unused dentry (__dentry_kill); the next open allocates anew." },
	{ "perm_rdwr_ok", "Permission granted", "O_RDWR on a 0644 file owned by the caller",
	  "perm_rdwr_ok", "do_filp_open", OPEN_PATH "do_open,may_open,inode_permission,generic_permission",
	  { "field may_open.entry:acc_mode@op#1 == 6", "field inode_permission.entry:mask@op#1 & 6",
	    "ret_ok generic_permission#last@op#1", "ret_ok do_filp_open@op#1", "user 1 == fd" },
	  "do_open computes acc_mode = MAY_OPEN | ACC_MODE(O_RDWR) (fs/namei.c, fs/internal.h "
	  "build_open_flags); MAY_READ|MAY_WRITE = 6." },
	{ "perm_rdwr_denied", "Permission denied", "O_RDWR by another uid on a 0644 root file",
	  "perm_rdwr_denied", "do_filp_open", OPEN_PATH "do_open,may_open,inode_permission,generic_permission",
	  { "ret_err generic_permission#last@op#1 EACCES", "ret_err do_filp_open@op#1 EACCES",
	    "user 1 == -1 EACCES" },
	  "generic_permission -> acl_permission_check: the 'other' bits r-- lack MAY_WRITE." },
	{ "socket_inet_stream", "socket(AF_INET, SOCK_STREAM, 0)",
	  "the socket, its sock and its file point at each other", "socket_inet_stream",
	  "__sys_socket", "__sys_socket,sock_alloc,inet_create,sock_alloc_file,fd_install",
	  { "same_ptr sock_alloc.ret:ret inet_create.entry:sock",
	    "same_ptr sock_alloc.ret:ret sock_alloc_file.entry:sock",
	    "same_ptr sock_alloc.ret:ret fd_install.entry:private_data",
	    "same_ptr sock_alloc.ret:ret inet_create.ret:sk_socket",
	    "ret_ok __sys_socket@op#1", "user 1 == fd" },
	  "__sys_socket -> sock_create -> sock_alloc + inet_create (sk->sk_socket = sock via "
	  "sock_init_data); sock_alloc_file sets file->private_data = sock; fd_install publishes." },
};

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
