// SPDX-License-Identifier: MIT
/* The probe dictionary (see probes.h). Field names here are the contract
 * between the backends (which emit them) and the claims (which read them). */
#include "probes.h"

#include <string.h>

#define P(k) { k, OT_FK_PTR, NULL, false }
#define SP(k) { k, OT_FK_PTR, "on the caller's stack", true }
#define S(k) { k, OT_FK_STR, NULL, false }
#define I(k) { k, OT_FK_INT32, NULL, false }
#define U(k) { k, OT_FK_UINT, NULL, false }

/* Shared field groups. */
#define QSTR_FIELDS P("parent"), SP("qstr"), P("name_ptr"), U("len"), U("hash"), S("name")
#define DENTRY_FIELDS P("dentry"), P("dname_ptr"), S("dname"), P("inode")

/* clang-format off: one function per entry reads better than the formatter's layout */
static const struct ot_probe probes[] = {
	{ "do_sys_openat2", OT_RET_LONG, "open,openat,openat2,raw_openat,creat",
	  "syscall-level open: the fd or -errno the user gets",
	  { I("dfd"), P("filename"), S("path"), U("flags"), U("mode") }, { {0} } },
	{ "getname", OT_RET_PTR, NULL, "copies the user path into a struct filename",
	  { P("filename") }, { P("name_ptr"), S("name") } },
	{ "getname_flags", OT_RET_PTR, NULL, "copies the user path into a struct filename",
	  { P("filename"), U("flags") }, { P("name_ptr"), S("name") } },
	{ "do_filp_open", OT_RET_PTR, NULL, "resolves the path and opens the file",
	  { I("dfd"), P("pathname"), P("name_ptr"), S("name"), SP("op"), U("open_flag"), U("acc_mode") },
	  { DENTRY_FIELDS, P("sb"), U("f_mode") } },
	{ "path_openat", OT_RET_PTR, NULL, "one walk attempt (RCU, ref-walk, then REVAL)",
	  { SP("nd"), U("flags") }, { {0} } },
	{ "link_path_walk", OT_RET_INT, NULL, "walks every component but the last",
	  { P("name_ptr"), S("name"), SP("nd") }, { {0} } },
	{ "open_last_lookups", OT_RET_PTR, NULL, "looks up (or creates) the last component",
	  { SP("nd"), P("file"), U("open_flag") }, { {0} } },
	{ "do_open", OT_RET_INT, NULL, "permission checks and vfs_open of the final dentry",
	  { SP("nd"), P("file"), U("open_flag") }, { {0} } },
	{ "step_into", OT_RET_PTR, NULL, "moves the walk onto a dentry (follows mounts, symlinks)",
	  { DENTRY_FIELDS, P("sb"), U("flags"), U("mode"), S("body") }, { {0} } },
	{ "pick_link", OT_RET_PTR, NULL, "starts following a symlink",
	  { DENTRY_FIELDS, S("body") }, { S("body") } },
	{ "lookup_open", OT_RET_PTR, NULL, "dcache lookup of the last component, create if asked",
	  { P("dir"), S("dir_name"), U("open_flag") }, { P("inode"), S("dname") } },
	{ "d_lookup", OT_RET_PTR, NULL, "hashed dcache lookup under rename_lock",
	  { QSTR_FIELDS }, { P("inode"), S("dname") } },
	{ "__d_lookup", OT_RET_PTR, NULL, "hashed dcache lookup (ref-walk)",
	  { QSTR_FIELDS }, { P("inode"), S("dname") } },
	{ "__d_lookup_rcu", OT_RET_PTR, NULL, "hashed dcache lookup (RCU walk)",
	  { QSTR_FIELDS }, { P("inode"), S("dname") } },
	{ "d_alloc_parallel", OT_RET_PTR, NULL, "allocates an in-lookup dentry for a miss",
	  { QSTR_FIELDS }, { P("inode") } },
	{ "__d_alloc", OT_RET_PTR, NULL, "allocates a dentry and copies its name",
	  { P("sb"), SP("qstr"), P("name_ptr"), U("len"), U("hash"), S("name") },
	  { P("dname_ptr"), S("dname"), P("inode"), U("unhashed"), U("inline_name") } },
	{ "__d_add", OT_RET_VOID, NULL, "hashes a dentry (positive or negative)",
	  { DENTRY_FIELDS }, { {0} } },
	{ "d_splice_alias", OT_RET_PTR, NULL, "a filesystem's lookup result handed to the dcache",
	  { DENTRY_FIELDS }, { {0} } },
	{ "d_add", OT_RET_VOID, NULL, "hashes a dentry with its inode",
	  { DENTRY_FIELDS }, { {0} } },
	{ "atomic_open", OT_RET_PTR, NULL, "filesystem-side lookup+create+open",
	  { DENTRY_FIELDS, U("open_flag") }, { {0} } },
	{ "vfs_create", OT_RET_INT, NULL, "creates a regular file", { DENTRY_FIELDS, U("mode") }, { {0} } },
	{ "__d_lookup_unhash_wake", OT_RET_VOID, NULL,
	  "d_lookup_done's out-of-line part: ends the in-lookup state and wakes waiters",
	  { DENTRY_FIELDS }, { {0} } },
	{ "may_open", OT_RET_INT, NULL, "access checks before opening",
	  { P("inode"), U("mode"), I("acc_mode"), U("flag") }, { {0} } },
	{ "inode_permission", OT_RET_INT, NULL, "permission check of an inode",
	  { P("inode"), U("mode"), U("uid"), U("mask") }, { {0} } },
	{ "generic_permission", OT_RET_INT, NULL, "mode-bit / ACL permission check",
	  { P("inode"), U("mode"), U("uid"), U("mask") }, { {0} } },
	{ "vfs_open", OT_RET_INT, NULL, "opens a path into a struct file", { P("file") }, { {0} } },
	{ "do_dentry_open", OT_RET_INT, NULL, "sets up the struct file", { P("file"), P("inode") }, { {0} } },
	{ "fd_install", OT_RET_VOID, NULL, "publishes a file in the fd table",
	  { I("fd"), P("file"), P("private_data") }, { {0} } },
	{ "d_delete", OT_RET_VOID, NULL, "unlink: turns a dentry negative or unhashes it",
	  { DENTRY_FIELDS }, { {0} } },
	/* 6.1 returns void, 6.12 the parent to put next: not used, not decoded. */
	{ "__dentry_kill", OT_RET_VOID, NULL, "frees a dentry (eviction)", { DENTRY_FIELDS }, { {0} } },
	{ "__lookup_mnt", OT_RET_PTR, NULL, "finds the mount on a mountpoint dentry (NULL: none)",
	  { DENTRY_FIELDS }, { {0} } },
	{ "vfs_tmpfile", OT_RET_INT, NULL, "O_TMPFILE: creates an unnamed file in a directory",
	  { P("dir"), S("dir_name"), U("mode") }, { {0} } },
	{ "fput", OT_RET_VOID, NULL, "drops a file reference", { P("file") }, { {0} } },
	{ "fput_close", OT_RET_VOID, NULL, "drops a file reference on close (newer kernels)",
	  { P("file") }, { {0} } },
	{ "do_unlinkat", OT_RET_INT, "unlink,unlinkat", "syscall-level unlink",
	  { I("dfd"), P("filename") }, { {0} } },
	{ "do_renameat2", OT_RET_INT, "rename,renameat,renameat2", "syscall-level rename",
	  { I("olddfd"), I("newdfd"), U("flags") }, { {0} } },
	{ "vfs_rename", OT_RET_INT, NULL, "filesystem-level rename", { P("old_dentry"), P("new_dentry") }, { {0} } },
	{ "d_move", OT_RET_VOID, NULL, "moves a dentry to its new name",
	  { DENTRY_FIELDS, P("target"), S("target_name") }, { {0} } },
	{ "full_name_hash", OT_RET_INT, NULL, "salted name hash", { P("salt"), P("name_ptr"), U("len") }, { {0} } },
	{ "__sys_socket", OT_RET_INT, "socket", "syscall-level socket()",
	  { I("family"), I("type"), I("protocol") }, { {0} } },
	{ "sock_alloc", OT_RET_PTR, NULL, "allocates the struct socket (inode-backed)", { {0} }, { {0} } },
	{ "inet_create", OT_RET_INT, NULL, "AF_INET: creates the struct sock and links it",
	  { P("sock"), I("protocol") }, { P("sock"), P("sk"), P("sk_socket") } },
	{ "sock_alloc_file", OT_RET_PTR, NULL, "wraps the socket in a struct file",
	  { P("sock"), P("sk"), P("sk_socket") }, { P("private_data") } },
};
/* clang-format on */

#define NPROBES (sizeof(probes) / sizeof(probes[0]))

const struct ot_probe *ot_probe_find(const char *func)
{
	for (size_t i = 0; i < NPROBES; i++)
		if (strcmp(probes[i].func, func) == 0)
			return &probes[i];
	return NULL;
}

const struct ot_probe *ot_probe_at(size_t i)
{
	return i < NPROBES ? &probes[i] : NULL;
}

size_t ot_probe_count(void)
{
	return NPROBES;
}

bool ot_probe_field_kind(const char *func, bool is_ret, const char *key, enum ot_field_kind *kind)
{
	const struct ot_probe *p = ot_probe_find(func);

	if (!p)
		return false;
	const struct ot_field_spec *f = is_ret ? p->ret : p->entry;
	for (size_t i = 0; i < OT_MAX_FIELDS && f[i].key; i++) {
		if (strcmp(f[i].key, key) == 0) {
			*kind = f[i].kind;
			return true;
		}
	}
	return false;
}

bool ot_probe_field_on_stack(const char *func, bool is_ret, const char *key)
{
	const struct ot_probe *p = ot_probe_find(func);

	if (!p)
		return false;
	const struct ot_field_spec *f = is_ret ? p->ret : p->entry;
	for (size_t i = 0; i < OT_MAX_FIELDS && f[i].key; i++)
		if (strcmp(f[i].key, key) == 0)
			return f[i].on_stack;
	return false;
}

const char *ot_probe_user_stand_in(const char *func)
{
	/* do_sys_openat2 returns do_filp_open's error, or an fd when it returned a file. */
	static const char *const stand_in[][2] = { { "do_sys_openat2", "do_filp_open" } };

	for (size_t i = 0; i < sizeof(stand_in) / sizeof(stand_in[0]); i++)
		if (!strcmp(stand_in[i][0], func))
			return stand_in[i][1];
	return NULL;
}
