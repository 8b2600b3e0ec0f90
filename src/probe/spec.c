// SPDX-License-Identifier: MIT
/* The probe spec (see spec.h): every function opentrail probes, by role, with the
 * path each field is read from. Field keys are the contract between the backends
 * (which emit them) and the claims (which read them); paths name parameters and
 * members as the kernel's BTF does, so one table serves every kernel. */
#include "probe/spec.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/hashmap.h"

/* clang-format off: one field per macro reads better than the formatter's layout */
#define FLD(k, kd, p, ...) { .key = k, .kind = kd, .path = p, __VA_ARGS__ }
/* A field's kind is how a log describes it (record/kinds.h) and so how every report
 * shows it: P an address, I a signed int, D a directory fd (AT_FDCWD), U a count, id
 * or boolean in decimal, M a mask, mode or hash in hex, S text. */
#define P(k, p)	 FLD(k, OT_FK_PTR, p)
#define SP(k, p) FLD(k, OT_FK_PTR, p, .on_stack = true, .doc = "on the caller's stack")
#define I(k, p)	 FLD(k, OT_FK_INT32, p)
#define D(k, p)	 FLD(k, OT_FK_DFD, p)
#define U(k, p)	 FLD(k, OT_FK_UINT, p)
#define M(k, p)	 FLD(k, OT_FK_MASK, p)
#define S(k, p)	 FLD(k, OT_FK_STR, p, .read = OT_READ_KSTR)
#define US(k, p) FLD(k, OT_FK_STR, p, .read = OT_READ_USTR)
/* A counted name (a qstr's name is not NUL-terminated inside a path). */
#define QS(k, p, len) FLD(k, OT_FK_STR, p, .read = OT_READ_COUNTED, .with = len)
#define ISNULL(k, p)  FLD(k, OT_FK_UINT, p, .read = OT_READ_ISNULL)
#define SAME(k, p, w) FLD(k, OT_FK_UINT, p, .read = OT_READ_SAME, .with = w)
#define S_IF(k, p, g, m, v) \
	FLD(k, OT_FK_STR, p, .read = OT_READ_KSTR, .guard = g, .guard_mask = m, .guard_val = v)

#define S_IFMT	0170000
#define S_IFLNK 0120000

/* A dentry D: its address, its name and its inode. */
#define DENTRY(d) P("dentry", d), P("dname_ptr", d "->d_name.name"), \
	S("dname", d "->d_name.name"), P("inode", d "->d_inode")
/* A dentry D whose inode is being attached: the inode comes from parameter INO. */
#define DENTRY_INODE(d, ino) P("dentry", d), P("dname_ptr", d "->d_name.name"), \
	S("dname", d "->d_name.name"), P("inode", ino)
/* A struct qstr * Q, and PARENT. */
#define QSTR(parent, q) P("parent", parent), SP("qstr", q), P("name_ptr", q "->name"), \
	U("len", q "->len"), M("hash", q "->hash"), QS("name", q "->name", "len")
/* A returned dentry. */
#define RET_DENTRY P("inode", "$ret->d_inode"), S("dname", "$ret->d_name.name")
#define PERM	   P("inode", "inode"), M("mode", "inode->i_mode"), U("uid", "inode->i_uid.val"), \
	M("mask", "mask")
#define SOCK(s)	   P("sock", s), P("sk", s "->sk"), P("sk_socket", s "->sk->sk_socket")
#define NAMES(...) { __VA_ARGS__, NULL }
#define NONE	   { { 0 } }

static const struct ot_probe probes[] = {
	{ "do_sys_openat2", NAMES("do_sys_openat2"), OT_RET_LONG, "open,openat,openat2,raw_openat,creat",
	  "syscall-level open: the fd or -errno the user gets",
	  { D("dfd", "dfd"), P("filename", "filename"), US("path", "filename"),
	    M("flags", "how->flags"), M("mode", "how->mode"), U("resolve", "how->resolve") }, NONE },
	/* openat2's own entry: it copies struct open_how in (copy_struct_from_user)
	 * before do_sys_openat2 runs; its arguments come in the saved registers:
	 * the system call's first, third and fourth, which x86-64 passes in di, dx
	 * and r10, arm64 in x0, x2 and x3. The role keeps x86's name, which the
	 * catalogue's claims use on either architecture. */
	{ "__x64_sys_openat2", NAMES("__x64_sys_openat2", "__arm64_sys_openat2"), OT_RET_LONG,
	  "openat2", "syscall entry of openat2: checks and copies struct open_how",
	  { D("dfd", "regs->di|regs->regs[0]"), P("how", "regs->dx|regs->regs[2]"),
	    U("usize", "regs->r10|regs->regs[3]") }, NONE },
	{ "getname", NAMES("getname"), OT_RET_PTR, NULL, "copies the user path into a struct filename",
	  { P("filename", "filename") },
	  { P("name_ptr", "$ret->name"), S("name", "$ret->name") } },
	{ "getname_flags", NAMES("getname_flags"), OT_RET_PTR, NULL,
	  "copies the user path into a struct filename",
	  { P("filename", "filename"), M("flags", "flags") },
	  { P("name_ptr", "$ret->name"), S("name", "$ret->name") } },
	{ "alloc_fd", NAMES("alloc_fd"), OT_RET_INT, NULL,
	  "reserves the lowest free descriptor (-EMFILE at RLIMIT_NOFILE)",
	  { U("start", "start"), U("end", "end"), M("flags", "flags") }, NONE },
	{ "do_filp_open", NAMES("do_filp_open", "do_file_open"), OT_RET_PTR, NULL,
	  "resolves the path and opens the file",
	  { D("dfd", "dfd"), P("pathname", "pathname"), P("name_ptr", "pathname->name"),
	    S("name", "pathname->name"), SP("op", "op"), M("open_flag", "op->open_flag"),
	    I("acc_mode", "op->acc_mode") },
	  { DENTRY("$ret->f_path.dentry"), P("sb", "$ret->f_path.dentry->d_sb"),
	    M("f_mode", "$ret->f_mode") } },
	{ "path_openat", NAMES("path_openat"), OT_RET_PTR, NULL,
	  "one walk attempt (RCU, ref-walk, then REVAL)",
	  { SP("nd", "nd"), M("flags", "flags") }, NONE },
	{ "path_init", NAMES("path_init"), OT_RET_PTR, NULL,
	  "sets the walk's start (root, cwd or dirfd) and scope",
	  { SP("nd", "nd"), D("dfd", "nd->dfd"), M("flags", "flags") }, NONE },
	{ "nd_jump_root", NAMES("nd_jump_root"), OT_RET_INT, NULL,
	  "moves the walk to the root (an absolute path, an absolute symlink)",
	  { SP("nd", "nd"), M("flags", "nd->flags") }, NONE },
	{ "link_path_walk", NAMES("link_path_walk"), OT_RET_INT, NULL,
	  "walks every component but the last",
	  { P("name_ptr", "name"), S("name", "name"), SP("nd", "nd") }, NONE },
	{ "open_last_lookups", NAMES("open_last_lookups"), OT_RET_PTR, NULL,
	  "looks up (or creates) the last component",
	  { SP("nd", "nd"), P("file", "file"), M("open_flag", "op->open_flag") }, NONE },
	{ "do_open", NAMES("do_open"), OT_RET_INT, NULL,
	  "permission checks and vfs_open of the final dentry",
	  { SP("nd", "nd"), P("file", "file"), M("open_flag", "op->open_flag") }, NONE },
	/* Newer kernels keep a fast path inline and call step_into_slowpath for
	 * everything else (mount points, symlinks). */
	{ "step_into", NAMES("step_into", "step_into_slowpath"), OT_RET_PTR, NULL,
	  "moves the walk onto a dentry (follows mounts, symlinks)",
	  { DENTRY("dentry"), P("sb", "dentry->d_sb"), M("flags", "flags"),
	    M("mode", "dentry->d_inode->i_mode"),
	    /* a fast symlink keeps its body in i_link (a union: read it for links only) */
	    S_IF("body", "dentry->d_inode->i_link", "mode", S_IFMT, S_IFLNK) }, NONE },
	{ "pick_link", NAMES("pick_link"), OT_RET_PTR, NULL, "starts following a symlink",
	  { DENTRY_INODE("link->dentry", "inode"), S("body", "inode->i_link") },
	  { S("body", "$ret") } },
	{ "lookup_open", NAMES("lookup_open"), OT_RET_PTR, NULL,
	  "dcache lookup of the last component, create if asked",
	  { P("dir", "nd->path.dentry"), S("dir_name", "nd->path.dentry->d_name.name"),
	    M("open_flag", "op->open_flag") }, { RET_DENTRY } },
	{ "ext4_lookup", NAMES("ext4_lookup"), OT_RET_PTR, NULL,
	  "ext4's lookup of a name in a directory",
	  { DENTRY("dentry"), U("len", "dentry->d_name.len") }, NONE },
	{ "d_lookup", NAMES("d_lookup"), OT_RET_PTR, NULL, "hashed dcache lookup under rename_lock",
	  { QSTR("parent", "name") }, { RET_DENTRY } },
	{ "__d_lookup", NAMES("__d_lookup"), OT_RET_PTR, NULL, "hashed dcache lookup (ref-walk)",
	  { QSTR("parent", "name") }, { RET_DENTRY } },
	{ "__d_lookup_rcu", NAMES("__d_lookup_rcu"), OT_RET_PTR, NULL, "hashed dcache lookup (RCU walk)",
	  { QSTR("parent", "name") }, { RET_DENTRY } },
	{ "d_alloc_parallel", NAMES("d_alloc_parallel"), OT_RET_PTR, NULL,
	  "allocates an in-lookup dentry for a miss",
	  { QSTR("parent", "name") }, { P("inode", "$ret->d_inode") } },
	{ "__d_alloc", NAMES("__d_alloc"), OT_RET_PTR, NULL, "allocates a dentry and copies its name",
	  { P("sb", "sb"), SP("qstr", "name"), P("name_ptr", "name->name"), U("len", "name->len"),
	    M("hash", "name->hash"), QS("name", "name->name", "len") },
	  { P("dname_ptr", "$ret->d_name.name"), S("dname", "$ret->d_name.name"),
	    P("inode", "$ret->d_inode"),
	    /* hlist_bl_unhashed(): a dentry is hashed once d_hash.pprev is set */
	    ISNULL("unhashed", "$ret->d_hash.pprev"),
	    /* the name is the dentry's inline buffer (d_iname, d_shortname since 6.14) */
	    SAME("inline_name", "&$ret->d_iname|&$ret->d_shortname", "dname_ptr") } },
	{ "__d_add", NAMES("__d_add"), OT_RET_VOID, NULL, "hashes a dentry (positive or negative)",
	  { DENTRY_INODE("dentry", "inode") }, NONE },
	{ "d_splice_alias", NAMES("d_splice_alias"), OT_RET_PTR, NULL,
	  "a filesystem's lookup result handed to the dcache",
	  { DENTRY_INODE("dentry", "inode") }, NONE },
	{ "d_add", NAMES("d_add"), OT_RET_VOID, NULL, "hashes a dentry with its inode",
	  { DENTRY_INODE("entry", "inode") }, NONE },
	{ "atomic_open", NAMES("atomic_open"), OT_RET_PTR, NULL, "filesystem-side lookup+create+open",
	  { DENTRY("dentry"), M("open_flag", "open_flag") }, NONE },
	{ "vfs_create", NAMES("vfs_create"), OT_RET_INT, NULL, "creates a regular file",
	  { DENTRY("dentry"), M("mode", "mode") }, NONE },
	/* What d_lookup_done() calls out of line: __d_lookup_done up to 5.19. */
	{ "__d_lookup_unhash_wake", NAMES("__d_lookup_done", "__d_lookup_unhash_wake"), OT_RET_VOID,
	  NULL, "d_lookup_done's out-of-line part: ends the in-lookup state and wakes waiters",
	  { DENTRY("dentry") }, NONE },
	{ "may_open", NAMES("may_open"), OT_RET_INT, NULL, "access checks before opening",
	  { P("inode", "path->dentry->d_inode"), M("mode", "path->dentry->d_inode->i_mode"),
	    I("acc_mode", "acc_mode"), M("flag", "flag") }, NONE },
	{ "inode_permission", NAMES("inode_permission"), OT_RET_INT, NULL,
	  "permission check of an inode", { PERM }, NONE },
	{ "generic_permission", NAMES("generic_permission"), OT_RET_INT, NULL,
	  "mode-bit / ACL permission check", { PERM }, NONE },
	{ "vfs_open", NAMES("vfs_open"), OT_RET_INT, NULL, "opens a path into a struct file",
	  { P("file", "file") }, NONE },
	{ "do_dentry_open", NAMES("do_dentry_open"), OT_RET_INT, NULL, "sets up the struct file",
	  { P("file", "f"), P("inode", "f->f_path.dentry->d_inode") }, NONE },
	/* The security modules' say on an open: -EACCES or -EPERM from a policy the mode
	 * bits allowed. */
	{ "security_file_open", NAMES("security_file_open"), OT_RET_INT, NULL,
	  "asks the security modules whether the file may be opened",
	  { P("file", "file"), M("f_flags", "file->f_flags"), M("f_mode", "file->f_mode"),
	    P("inode", "file->f_inode") }, NONE },
	{ "fd_install", NAMES("fd_install"), OT_RET_VOID, NULL, "publishes a file in the fd table",
	  { I("fd", "fd"), P("file", "file"), P("private_data", "file->private_data") }, NONE },
	{ "d_delete", NAMES("d_delete"), OT_RET_VOID, NULL,
	  "unlink: turns a dentry negative or unhashes it", { DENTRY("dentry") }, NONE },
	/* 6.1 returns void, 6.12 the parent to put next: not used, not decoded. */
	{ "__dentry_kill", NAMES("__dentry_kill", "dentry_kill"), OT_RET_VOID, NULL,
	  "frees a dentry (eviction)", { DENTRY("dentry") }, NONE },
	{ "__lookup_mnt", NAMES("__lookup_mnt"), OT_RET_PTR, NULL,
	  "finds the mount on a mountpoint dentry (NULL: none)", { DENTRY("dentry") }, NONE },
	/* Up to 6.2 the directory is a dentry argument, then the parent's path. */
	{ "vfs_tmpfile", NAMES("vfs_tmpfile"), OT_RET_INT, NULL,
	  "O_TMPFILE: creates an unnamed file in a directory",
	  { P("dir", "parentpath->dentry|dentry"),
	    S("dir_name", "parentpath->dentry->d_name.name|dentry->d_name.name"),
	    M("mode", "mode") }, NONE },
	{ "fput", NAMES("fput"), OT_RET_VOID, NULL, "drops a file reference", { P("file", "file") }, NONE },
	{ "fput_close", NAMES("fput_close"), OT_RET_VOID, NULL,
	  "drops a file reference on close (newer kernels)", { P("file", "file") }, NONE },
	{ "do_unlinkat", NAMES("do_unlinkat", "filename_unlinkat"), OT_RET_INT, "unlink,unlinkat",
	  "syscall-level unlink", { D("dfd", "dfd"), P("filename", "name") }, NONE },
	{ "do_renameat2", NAMES("do_renameat2", "filename_renameat2"), OT_RET_INT,
	  "rename,renameat,renameat2", "syscall-level rename",
	  { I("olddfd", "olddfd"), I("newdfd", "newdfd"), M("flags", "flags") }, NONE },
	{ "vfs_rename", NAMES("vfs_rename"), OT_RET_INT, NULL, "filesystem-level rename",
	  { P("old_dentry", "rd->old_dentry"), P("new_dentry", "rd->new_dentry") }, NONE },
	{ "d_move", NAMES("d_move"), OT_RET_VOID, NULL, "moves a dentry to its new name",
	  { DENTRY("dentry"), P("target", "target"), S("target_name", "target->d_name.name") }, NONE },
	{ "full_name_hash", NAMES("full_name_hash"), OT_RET_INT, NULL, "salted name hash",
	  { P("salt", "salt"), P("name_ptr", "name"), U("len", "len") }, NONE },
	{ "fifo_open", NAMES("fifo_open"), OT_RET_INT, NULL,
	  "a FIFO's open: waits for, or refuses, the other end",
	  { P("inode", "inode"), P("filp", "filp"), M("f_flags", "filp->f_flags") }, NONE },
	/* Sleeps until the FIFO's other end opens; -ERESTARTSYS when a signal woke it. */
	{ "wait_for_partner", NAMES("wait_for_partner"), OT_RET_INT, NULL,
	  "a blocking FIFO open waits for the other end (-ERESTARTSYS: a signal came first)",
	  { P("pipe", "pipe") }, NONE },
	{ "alloc_pipe_info", NAMES("alloc_pipe_info"), OT_RET_PTR, NULL,
	  "a new pipe (NULL past fs.pipe-user-pages-hard, unless CAP_SYS_RESOURCE/ADMIN)",
	  NONE, NONE },
	/* 7.2 calls its second parameter flags, with a meaning of its own: not read. */
	{ "__break_lease", NAMES("__break_lease"), OT_RET_INT, NULL,
	  "an open that conflicts with a lease breaks it (-EWOULDBLOCK: O_NONBLOCK, no wait)",
	  { P("inode", "inode") }, NONE },
	{ "shmem_mknod", NAMES("shmem_mknod"), OT_RET_INT, NULL,
	  "tmpfs: a new inode for a created name",
	  { P("dir", "dir"), DENTRY("dentry"), M("mode", "mode") }, NONE },
	/* __shmem_get_inode since 6.3 (ERR_PTR on failure); NULL before. */
	{ "shmem_get_inode", NAMES("__shmem_get_inode", "shmem_get_inode"), OT_RET_PTR, NULL,
	  "tmpfs: allocates an inode, if the superblock's inode count allows one",
	  { P("sb", "sb"), P("dir", "dir"), M("mode", "mode") }, NONE },
	{ "__sys_socket", NAMES("__sys_socket"), OT_RET_INT, "socket", "syscall-level socket()",
	  { I("family", "family"), I("type", "type"), I("protocol", "protocol") }, NONE },
	{ "__sock_create", NAMES("__sock_create"), OT_RET_INT, NULL,
	  "checks family and type, allocates the socket, calls the family's create",
	  { I("family", "family"), I("type", "type"), I("protocol", "protocol"), I("kern", "kern") },
	  NONE },
	{ "sock_alloc", NAMES("sock_alloc"), OT_RET_PTR, NULL,
	  "allocates the struct socket (inode-backed)", NONE, NONE },
	{ "inet_create", NAMES("inet_create"), OT_RET_INT, NULL,
	  "AF_INET: creates the struct sock and links it",
	  { P("sock", "sock"), I("protocol", "protocol") }, { SOCK("sock") } },
	{ "blkdev_open", NAMES("blkdev_open"), OT_RET_INT, NULL,
	  "a block device file's open (O_EXCL: an exclusive claim)",
	  { P("inode", "inode"), P("file", "filp"), M("f_flags", "filp->f_flags") }, NONE },
	{ "bd_prepare_to_claim", NAMES("bd_prepare_to_claim"), OT_RET_INT, NULL,
	  "prepares an exclusive claim of a block device (-EBUSY: another holder)",
	  { P("bdev", "bdev") }, NONE },
	{ "alloc_empty_file", NAMES("alloc_empty_file"), OT_RET_PTR, NULL,
	  "a new struct file (-ENFILE past fs.file-max, unless CAP_SYS_ADMIN)",
	  { M("flags", "flags") }, NONE },
	{ "sock_alloc_file", NAMES("sock_alloc_file"), OT_RET_PTR, NULL,
	  "wraps the socket in a struct file",
	  { SOCK("sock") }, { P("private_data", "$ret->private_data") } },
	{ "sock_release", NAMES("sock_release"), OT_RET_VOID, NULL,
	  "closes a socket that has no file: the family's release, then the inode",
	  { SOCK("sock") }, NONE },
	{ "__sock_release", NAMES("__sock_release"), OT_RET_VOID, NULL,
	  "the family's release of a socket, then its inode (iput) when no file holds it",
	  { SOCK("sock"), P("inode", "inode") }, NONE },
	{ "inet_release", NAMES("inet_release"), OT_RET_INT, NULL,
	  "AF_INET's release: the protocol closes the sock",
	  { SOCK("sock") }, NONE },
	{ "tcp_close", NAMES("tcp_close"), OT_RET_VOID, NULL,
	  "TCP's close of a sock (drops the reference it holds)",
	  { P("sk", "sk") }, NONE },
	{ "sk_free", NAMES("sk_free"), OT_RET_VOID, NULL,
	  "drops a sock's last reference: the sock is destructed and freed",
	  { P("sk", "sk") }, NONE },
};
/* clang-format on */

#define NPROBES (sizeof(probes) / sizeof(probes[0]))

/* Every role and kernel name -> its probe, by hash: the parser asks per field and
 * the reports per value. A role wins over another probe's kernel name, as the table
 * is read: roles first, then names. Built on first use; the table never changes. */
static struct ot_map probe_index;

static void index_probes(void)
{
	bool added;

	for (size_t i = 0; i < NPROBES; i++) {
		size_t *at = ot_map_get(&probe_index, probes[i].func, strlen(probes[i].func), &added);

		if (added)
			*at = i;
	}
	for (size_t i = 0; i < NPROBES; i++)
		for (size_t n = 0; n < OT_MAX_NAMES && probes[i].names[n]; n++) {
			const char *name = probes[i].names[n];
			size_t *at = ot_map_get(&probe_index, name, strlen(name), &added);

			if (added)
				*at = i;
		}
}

const struct ot_probe *ot_probe_find(const char *func)
{
	size_t *at;

	if (!probe_index.n)
		index_probes();
	at = ot_map_find(&probe_index, func, strlen(func));
	return at ? &probes[*at] : NULL;
}

const char *ot_probe_role_of(const char *name)
{
	const struct ot_probe *p = ot_probe_find(name);

	return p ? p->func : NULL;
}

/* Names of roles that run only off a fast path (see spec.h). */
static const char *const slow_paths[] = { "step_into_slowpath" };

bool ot_probe_is_slow_path(const char *name)
{
	for (size_t i = 0; name && i < sizeof(slow_paths) / sizeof(slow_paths[0]); i++)
		if (!strcmp(slow_paths[i], name))
			return true;
	return false;
}

int ot_probe_field_index(const struct ot_field_spec *fields, const char *key)
{
	for (int i = 0; i < OT_MAX_FIELDS && fields[i].key; i++)
		if (strcmp(fields[i].key, key) == 0)
			return i;
	return -1;
}

const struct ot_probe *ot_probe_at(size_t i)
{
	return i < NPROBES ? &probes[i] : NULL;
}

bool ot_probe_serves(const struct ot_probe *p, const char *call)
{
	size_t n = strlen(call);

	for (const char *w = p->user_call; w && *w;) {
		const char *end = strchr(w, ',');
		size_t len = end ? (size_t)(end - w) : strlen(w);

		if (len == n && !strncmp(w, call, n))
			return true;
		w = end ? end + 1 : NULL;
	}
	return false;
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
			*kind = f[i].kind == OT_FK_DFD	  ? OT_FK_INT32
				: f[i].kind == OT_FK_MASK ? OT_FK_UINT
							  : f[i].kind;
			return true;
		}
	}
	return false;
}

static enum ot_field_kind ret_field_kind(enum ot_ret_kind k)
{
	switch (k) {
	case OT_RET_PTR:
		return OT_FK_ERRPTR;
	case OT_RET_INT:
		return OT_FK_ERRINT;
	case OT_RET_LONG:
		return OT_FK_ERRLONG;
	case OT_RET_VOID:
		break;
	}
	return OT_FK_VOID;
}

/* Appends "A" (B NULL) or "A:B" to BUF (SZ bytes, *N used), after SEP (' ' or ',')
 * unless first. */
static bool append_word(char *buf, size_t sz, size_t *n, const char *a, const char *b, char sep)
{
	const char s[2] = {sep, '\0'};
	int w = snprintf(buf + *n, sz - *n, "%s%s%s%s", *n ? s : "", a, b ? ":" : "", b ? b : "");

	if (w < 0 || (size_t)w >= sz - *n)
		return false;
	*n += (size_t)w;
	return true;
}

bool ot_probe_describe(const struct ot_probe *p, bool is_ret, char *buf, size_t sz)
{
	const struct ot_field_spec *f = is_ret ? p->ret : p->entry;
	size_t n = 0;

	if (!sz)
		return false;
	buf[0] = '\0';
	if (is_ret &&
	    !append_word(buf, sz, &n, "ret", ot_field_kind_name(ret_field_kind(p->ret_kind)), ' '))
		return false;
	for (size_t i = 0; i < OT_MAX_FIELDS && f[i].key; i++)
		if (!append_word(buf, sz, &n, f[i].key, ot_field_kind_name(f[i].kind), ' '))
			return false;
	return true;
}

bool ot_probe_names(const struct ot_probe *p, char *buf, size_t sz)
{
	size_t n = 0;

	if (!sz)
		return false;
	buf[0] = '\0';
	for (size_t i = 0; i < OT_MAX_NAMES && p->names[i]; i++)
		if (!append_word(buf, sz, &n, p->names[i], NULL, ','))
			return false;
	return true;
}

const struct ot_kinds *ot_probe_legacy_kinds(void)
{
	static struct ot_kinds *t;
	char names[256], entry[512], ret[512];

	if (t)
		return t;
	t = ot_kinds_new();
	for (size_t i = 0; i < NPROBES; i++) {
		/* the table is ours: every row fits */
		ot_probe_names(&probes[i], names, sizeof(names));
		ot_probe_describe(&probes[i], false, entry, sizeof(entry));
		ot_probe_describe(&probes[i], true, ret, sizeof(ret));
		ot_kinds_describe(t, probes[i].func, names, entry, ret);
	}
	/* The seeds wrote dfd= in functions and facts this spec does not describe. */
	ot_kinds_describe_any(t, "dfd", OT_FK_DFD);
	return t;
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
