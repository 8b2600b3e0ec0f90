// SPDX-License-Identifier: MIT
/* The BPF side of opentrail: for every function of the probe dictionary an
 * fentry/fexit pair and a kprobe/kretprobe pair reading the same fields. The user
 * side (opentrail.c) loads one pair per function, whichever the kernel allows, and
 * leaves the others unloaded. Kernel memory is read only through CO-RE reads, so
 * one object serves every kernel that has BTF. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "opentrail.h"

#define MAX_ERRNO 4095

/* The process to follow (0: all); set by the user side before load. */
const volatile __u32 targ_tgid = 0;

/* Records the ring buffer had no room for; read by the user side at the end. */
__u64 lost = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 * 1024 * 1024);
} events SEC(".maps");

/* kretprobes see only the return register: the entry's arguments are kept per
 * thread, function and nesting depth so that a return is paired with its own entry. */
struct call_key {
	__u32 tid;
	__u32 func;
};

struct frame_key {
	__u32 tid;
	__u32 func;
	__u32 depth;
	__u32 pad;
};

struct args {
	__u64 a[OT_BPF_MAX_ARGS];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct call_key);
	__type(value, __u32);
} depths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct frame_key);
	__type(value, struct args);
} frames SEC(".maps");

/* dentry's inline name buffer: d_iname up to 6.13, d_shortname after. */
struct dentry___iname {
	unsigned char d_iname[32];
} __attribute__((preserve_access_index));

/* vfs_rename's argument; only the dentries are read, whose names did not change. */
struct renamedata___any {
	struct dentry *old_dentry;
	struct dentry *new_dentry;
} __attribute__((preserve_access_index));

static __always_inline bool traced(void)
{
	return !targ_tgid || (__u32)(bpf_get_current_pid_tgid() >> 32) == targ_tgid;
}

/* A pointer that can be dereferenced: not NULL and not an ERR_PTR. */
static __always_inline bool ptr_ok(__u64 p)
{
	return p && p < (__u64)-MAX_ERRNO;
}

static __always_inline void put(struct ot_bpf_event *e, int i, __u64 v)
{
	e->w[i] = v;
	e->present |= 1u << i;
}

/* A NUL-terminated kernel string into string slot K, for dictionary field I. */
static __always_inline void put_kstr(struct ot_bpf_event *e, int i, int k, const void *p)
{
	long n;

	if (!ptr_ok((__u64)p))
		return;
	n = bpf_probe_read_kernel_str(e->s[k], OT_BPF_STR_MAX, p);
	if (n <= 0)
		return;
	e->slen[k] = n - 1;
	e->present |= 1u << i;
}

static __always_inline void put_ustr(struct ot_bpf_event *e, int i, int k, const void *p)
{
	long n;

	if (!p)
		return;
	n = bpf_probe_read_user_str(e->s[k], OT_BPF_STR_MAX, p);
	if (n <= 0)
		return;
	e->slen[k] = n - 1;
	e->present |= 1u << i;
}

/* A qstr's name is not NUL-terminated at len (it points into the whole path). */
static __always_inline void put_counted(struct ot_bpf_event *e, int i, int k, const void *p,
					__u32 len)
{
	__u32 n = len < OT_BPF_STR_MAX ? len : OT_BPF_STR_MAX - 1;

	if (!ptr_ok((__u64)p))
		return;
	n &= OT_BPF_STR_MAX - 1;
	if (bpf_probe_read_kernel(e->s[k], n, p))
		return;
	e->slen[k] = n;
	e->present |= 1u << i;
}

/* The dictionary's DENTRY_FIELDS at I..I+3: dentry, dname_ptr, dname (slot K), inode. */
static __always_inline void put_dentry(struct ot_bpf_event *e, int i, int k, struct dentry *d)
{
	const unsigned char *name;

	put(e, i, (__u64)d);
	if (!ptr_ok((__u64)d))
		return;
	name = BPF_CORE_READ(d, d_name.name);
	put(e, i + 1, (__u64)name);
	put_kstr(e, i + 2, k, name);
	put(e, i + 3, (__u64)BPF_CORE_READ(d, d_inode));
}

/* The dictionary's QSTR_FIELDS at 0..5: parent, qstr, name_ptr, len, hash, name (slot 0). */
static __always_inline void put_qstr(struct ot_bpf_event *e, __u64 parent, const struct qstr *q)
{
	const unsigned char *name;
	__u32 len;

	put(e, 0, parent);
	put(e, 1, (__u64)q);
	if (!ptr_ok((__u64)q))
		return;
	name = BPF_CORE_READ(q, name);
	len = BPF_CORE_READ(q, len);
	put(e, 2, (__u64)name);
	put(e, 3, len);
	put(e, 4, BPF_CORE_READ(q, hash));
	put_counted(e, 5, 0, name, len);
}

/* inode, mode, uid at I..I+2 (permission checks). */
static __always_inline void put_inode_perm(struct ot_bpf_event *e, int i, struct inode *ino)
{
	put(e, i, (__u64)ino);
	if (!ptr_ok((__u64)ino))
		return;
	put(e, i + 1, BPF_CORE_READ(ino, i_mode));
	put(e, i + 2, BPF_CORE_READ(ino, i_uid.val));
}

static __always_inline __u64 inline_name_addr(struct dentry *d)
{
	if (bpf_core_field_exists(struct dentry___iname, d_iname))
		return (__u64)d + bpf_core_field_offset(struct dentry___iname, d_iname);
	return (__u64)d + bpf_core_field_offset(struct dentry, d_shortname);
}

static __always_inline struct ot_bpf_event *ev_begin(__u32 type, __u32 func)
{
	struct ot_bpf_event *e;
	__u64 id;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return NULL;
	}
	id = bpf_get_current_pid_tgid();
	e->type = type;
	e->func = func;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->ts = bpf_ktime_get_ns();
	e->ret = 0;
	e->present = 0;
	e->slen[0] = 0;
	e->slen[1] = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	return e;
}

/* Entry fields, in the slots of each function's entry layout (opentrail.c). */
static __always_inline void fill_entry(struct ot_bpf_event *e, int func, const __u64 *a)
{
	switch (func) {
	case OT_FN_do_sys_openat2: {
		struct open_how *how = (void *)a[2];

		put(e, 0, a[0]);
		put(e, 1, a[1]);
		put_ustr(e, 2, 0, (void *)a[1]);
		put(e, 3, BPF_CORE_READ(how, flags));
		put(e, 4, BPF_CORE_READ(how, mode));
		break;
	}
	case OT_FN_getname:
		put(e, 0, a[0]);
		break;
	case OT_FN_getname_flags:
		put(e, 0, a[0]);
		put(e, 1, a[1]);
		break;
	case OT_FN_do_filp_open: {
		struct filename *fn = (void *)a[1];
		struct open_flags *op = (void *)a[2];
		const char *name = BPF_CORE_READ(fn, name);

		put(e, 0, a[0]);
		put(e, 1, a[1]);
		put(e, 2, (__u64)name);
		put_kstr(e, 3, 0, name);
		put(e, 4, a[2]);
		put(e, 5, BPF_CORE_READ(op, open_flag));
		put(e, 6, BPF_CORE_READ(op, acc_mode));
		break;
	}
	case OT_FN_path_openat:
		put(e, 0, a[0]);
		put(e, 1, a[2]);
		break;
	case OT_FN_link_path_walk:
		put(e, 0, a[0]);
		put_kstr(e, 1, 0, (void *)a[0]);
		put(e, 2, a[1]);
		break;
	case OT_FN_open_last_lookups:
	case OT_FN_do_open: {
		struct open_flags *op = (void *)a[2];

		put(e, 0, a[0]);
		put(e, 1, a[1]);
		put(e, 2, BPF_CORE_READ(op, open_flag));
		break;
	}
	case OT_FN_step_into: {
		struct dentry *d = (void *)a[2];
		struct inode *ino;

		put_dentry(e, 0, 0, d);
		put(e, 4, a[1]);
		if (!ptr_ok(a[2]))
			break;
		put(e, 5, (__u64)BPF_CORE_READ(d, d_sb));
		/* pick_link is inlined here on 6.1 and 6.12: a symlink's mode and (fast
		 * symlinks keep it in i_link) its body show the walk following it. */
		ino = BPF_CORE_READ(d, d_inode);
		if (!ptr_ok((__u64)ino))
			break;
		put(e, 6, BPF_CORE_READ(ino, i_mode));
		put_kstr(e, 7, 1, BPF_CORE_READ(ino, i_link));
		break;
	}
	case OT_FN_pick_link: {
		struct path *link = (void *)a[1];
		struct inode *ino = (void *)a[2];

		put_dentry(e, 0, 0, BPF_CORE_READ(link, dentry));
		/* Fast symlinks keep their body in i_link; others are read later. */
		put_kstr(e, 4, 1, BPF_CORE_READ(ino, i_link));
		break;
	}
	case OT_FN_lookup_open: {
		struct nameidata *nd = (void *)a[0];
		struct open_flags *op = (void *)a[2];
		struct dentry *dir = BPF_CORE_READ(nd, path.dentry);

		put(e, 0, (__u64)dir);
		put_kstr(e, 1, 0, BPF_CORE_READ(dir, d_name.name));
		put(e, 2, BPF_CORE_READ(op, open_flag));
		break;
	}
	case OT_FN_d_lookup:
	case OT_FN___d_lookup:
	case OT_FN___d_lookup_rcu:
	case OT_FN_d_alloc_parallel:
		put_qstr(e, a[0], (void *)a[1]);
		break;
	case OT_FN___d_alloc:
		/* Same layout as QSTR_FIELDS, with the superblock where the parent is. */
		put_qstr(e, a[0], (void *)a[1]);
		break;
	case OT_FN___d_add:
	case OT_FN_d_add:
		/* The inode being attached: the dentry's own d_inode is still NULL here. */
		put_dentry(e, 0, 0, (void *)a[0]);
		put(e, 3, a[1]);
		break;
	case OT_FN_d_splice_alias:
		put_dentry(e, 0, 0, (void *)a[1]);
		put(e, 3, a[0]);
		break;
	case OT_FN_atomic_open:
		put_dentry(e, 0, 0, (void *)a[1]);
		put(e, 4, a[3]);
		break;
	case OT_FN_vfs_create:
		put_dentry(e, 0, 0, (void *)a[2]);
		put(e, 4, a[3]);
		break;
	case OT_FN___d_lookup_done:
	case OT_FN___d_lookup_unhash_wake: /* what d_lookup_done() calls since 6.0 */
	case OT_FN_d_delete:
	case OT_FN___dentry_kill:
		put_dentry(e, 0, 0, (void *)a[0]);
		break;
	case OT_FN_may_open: {
		struct path *path = (void *)a[1];
		struct inode *ino = BPF_CORE_READ(path, dentry, d_inode);

		put(e, 0, (__u64)ino);
		if (ptr_ok((__u64)ino))
			put(e, 1, BPF_CORE_READ(ino, i_mode));
		put(e, 2, a[2]);
		put(e, 3, a[3]);
		break;
	}
	case OT_FN_inode_permission:
	case OT_FN_generic_permission:
		put_inode_perm(e, 0, (void *)a[1]);
		put(e, 3, a[2]);
		break;
	case OT_FN_vfs_open:
		put(e, 0, a[1]);
		break;
	case OT_FN_do_dentry_open: {
		/* The inode argument exists only up to 6.11: take it from the file's path. */
		struct file *f = (void *)a[0];

		put(e, 0, a[0]);
		put(e, 1, (__u64)BPF_CORE_READ(f, f_path.dentry, d_inode));
		break;
	}
	case OT_FN_fd_install: {
		struct file *f = (void *)a[1];

		put(e, 0, a[0]);
		put(e, 1, a[1]);
		put(e, 2, (__u64)BPF_CORE_READ(f, private_data));
		break;
	}
	case OT_FN___lookup_mnt:
		put_dentry(e, 0, 0, (void *)a[1]);
		break;
	case OT_FN_vfs_tmpfile: {
		struct path *parent = (void *)a[1];
		struct dentry *dir = BPF_CORE_READ(parent, dentry);

		put(e, 0, (__u64)dir);
		put_kstr(e, 1, 0, BPF_CORE_READ(dir, d_name.name));
		put(e, 2, a[3]);
		break;
	}
	case OT_FN_fput:
	case OT_FN_fput_close:
		put(e, 0, a[0]);
		break;
	case OT_FN_do_unlinkat:
		put(e, 0, a[0]);
		put(e, 1, a[1]);
		break;
	case OT_FN_do_renameat2:
		put(e, 0, a[0]);
		put(e, 1, a[2]);
		put(e, 2, a[4]);
		break;
	case OT_FN_vfs_rename: {
		struct renamedata___any *rd = (void *)a[0];

		put(e, 0, (__u64)BPF_CORE_READ(rd, old_dentry));
		put(e, 1, (__u64)BPF_CORE_READ(rd, new_dentry));
		break;
	}
	case OT_FN_d_move: {
		struct dentry *target = (void *)a[1];

		put_dentry(e, 0, 0, (void *)a[0]);
		put(e, 4, a[1]);
		put_kstr(e, 5, 1, BPF_CORE_READ(target, d_name.name));
		break;
	}
	case OT_FN_full_name_hash:
		put(e, 0, a[0]);
		put(e, 1, a[1]);
		put(e, 2, a[2]);
		break;
	case OT_FN___sys_socket:
		put(e, 0, a[0]);
		put(e, 1, a[1]);
		put(e, 2, a[2]);
		break;
	case OT_FN_inet_create:
		put(e, 0, a[1]);
		put(e, 1, a[2]);
		break;
	case OT_FN_sock_alloc_file: {
		struct socket *sock = (void *)a[0];
		struct sock *sk = BPF_CORE_READ(sock, sk);

		put(e, 0, a[0]);
		put(e, 1, (__u64)sk);
		put(e, 2, (__u64)BPF_CORE_READ(sk, sk_socket));
		break;
	}
	default:
		break;
	}
}

/* Return fields (besides ret itself), in the slots of each function's ret layout. */
static __always_inline void fill_ret(struct ot_bpf_event *e, int func, const __u64 *a, __u64 r)
{
	e->ret = r;
	switch (func) {
	case OT_FN_getname:
	case OT_FN_getname_flags: {
		struct filename *fn = (void *)r;
		const char *name;

		if (!ptr_ok(r))
			break;
		name = BPF_CORE_READ(fn, name);
		put(e, 0, (__u64)name);
		put_kstr(e, 1, 0, name);
		break;
	}
	case OT_FN_do_filp_open: {
		struct file *f = (void *)r;
		struct dentry *d;

		if (!ptr_ok(r))
			break;
		d = BPF_CORE_READ(f, f_path.dentry);
		put_dentry(e, 0, 0, d);
		put(e, 4, BPF_CORE_READ(f, f_mode));
		if (ptr_ok((__u64)d))
			put(e, 5, (__u64)BPF_CORE_READ(d, d_sb));
		break;
	}
	case OT_FN_pick_link:
		/* The body of the link (NULL when the walk jumps, e.g. /proc links). */
		put_kstr(e, 0, 0, (void *)r);
		break;
	case OT_FN_lookup_open:
	case OT_FN_d_lookup:
	case OT_FN___d_lookup:
	case OT_FN___d_lookup_rcu: {
		struct dentry *d = (void *)r;

		if (!ptr_ok(r))
			break;
		put(e, 0, (__u64)BPF_CORE_READ(d, d_inode));
		put_kstr(e, 1, 0, BPF_CORE_READ(d, d_name.name));
		break;
	}
	case OT_FN_d_alloc_parallel: {
		struct dentry *d = (void *)r;

		if (!ptr_ok(r))
			break;
		put(e, 0, (__u64)BPF_CORE_READ(d, d_inode));
		break;
	}
	case OT_FN___d_alloc: {
		struct dentry *d = (void *)r;
		const unsigned char *name;

		if (!ptr_ok(r))
			break;
		name = BPF_CORE_READ(d, d_name.name);
		put(e, 0, (__u64)name);
		put_kstr(e, 1, 0, name);
		put(e, 2, (__u64)BPF_CORE_READ(d, d_inode));
		/* hlist_bl_unhashed(): a dentry is hashed once d_hash.pprev is set. */
		put(e, 3, BPF_CORE_READ(d, d_hash.pprev) == NULL);
		put(e, 4, (__u64)name == inline_name_addr(d));
		break;
	}
	case OT_FN_inet_create: {
		struct socket *sock = (void *)a[1];
		struct sock *sk = BPF_CORE_READ(sock, sk);

		put(e, 0, a[1]);
		put(e, 1, (__u64)sk);
		put(e, 2, (__u64)BPF_CORE_READ(sk, sk_socket));
		break;
	}
	case OT_FN_sock_alloc_file: {
		struct file *f = (void *)r;

		if (!ptr_ok(r))
			break;
		put(e, 0, (__u64)BPF_CORE_READ(f, private_data));
		break;
	}
	default:
		break;
	}
}

static __always_inline int on_entry(int func, const __u64 *a)
{
	struct ot_bpf_event *e = ev_begin(OT_BPF_REC_ENTRY, func);

	if (!e)
		return 0;
	fill_entry(e, func, a);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline int on_ret(int func, const __u64 *a, __u64 r)
{
	struct ot_bpf_event *e = ev_begin(OT_BPF_REC_RET, func);

	if (!e)
		return 0;
	fill_ret(e, func, a, r);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static __always_inline void fentry_args(void *ctx, __u64 *a)
{
	/* Missing arguments (fewer than OT_BPF_MAX_ARGS) stay 0: the helper refuses them. */
	for (int i = 0; i < OT_BPF_MAX_ARGS; i++)
		bpf_get_func_arg(ctx, i, &a[i]);
}

static __always_inline void kprobe_args(struct pt_regs *ctx, __u64 *a)
{
	a[0] = PT_REGS_PARM1(ctx);
	a[1] = PT_REGS_PARM2(ctx);
	a[2] = PT_REGS_PARM3(ctx);
	a[3] = PT_REGS_PARM4(ctx);
	a[4] = PT_REGS_PARM5(ctx);
}

static __always_inline void frame_push(int func, const __u64 *a)
{
	struct call_key ck = {.tid = (__u32)bpf_get_current_pid_tgid(), .func = func};
	struct frame_key fk = {.tid = ck.tid, .func = func};
	__u32 *dp = bpf_map_lookup_elem(&depths, &ck);
	__u32 depth = dp ? *dp : 0;

	if (depth < OT_BPF_MAX_DEPTH) {
		fk.depth = depth;
		bpf_map_update_elem(&frames, &fk, a, BPF_ANY);
	}
	depth++;
	bpf_map_update_elem(&depths, &ck, &depth, BPF_ANY);
}

static __always_inline void frame_pop(int func, __u64 *a)
{
	struct call_key ck = {.tid = (__u32)bpf_get_current_pid_tgid(), .func = func};
	struct frame_key fk = {.tid = ck.tid, .func = func};
	__u32 *dp = bpf_map_lookup_elem(&depths, &ck);
	struct args *saved;
	__u32 depth;

	if (!dp || !*dp)
		return; /* the entry was missed: the return carries no entry arguments */
	depth = *dp - 1;
	if (depth)
		bpf_map_update_elem(&depths, &ck, &depth, BPF_ANY);
	else
		bpf_map_delete_elem(&depths, &ck);
	fk.depth = depth;
	saved = bpf_map_lookup_elem(&frames, &fk);
	if (!saved)
		return;
	for (int i = 0; i < OT_BPF_MAX_ARGS; i++)
		a[i] = saved->a[i];
	bpf_map_delete_elem(&frames, &fk);
}

/* Four programs per function; the user side loads either the first two or the last two. */
#define OT_BPF_PROGS(fn)                                                                           \
	SEC("fentry/" #fn)                                                                         \
	int fentry_##fn(void *ctx)                                                                 \
	{                                                                                          \
		__u64 a[OT_BPF_MAX_ARGS] = {};                                                     \
		if (!traced())                                                                     \
			return 0;                                                                  \
		fentry_args(ctx, a);                                                               \
		return on_entry(OT_FN_##fn, a);                                                    \
	}                                                                                          \
	SEC("fexit/" #fn)                                                                          \
	int fexit_##fn(void *ctx)                                                                  \
	{                                                                                          \
		__u64 a[OT_BPF_MAX_ARGS] = {}, r = 0;                                              \
		if (!traced())                                                                     \
			return 0;                                                                  \
		fentry_args(ctx, a);                                                               \
		bpf_get_func_ret(ctx, &r);                                                         \
		return on_ret(OT_FN_##fn, a, r);                                                   \
	}                                                                                          \
	SEC("kprobe/" #fn)                                                                         \
	int kprobe_##fn(struct pt_regs *ctx)                                                       \
	{                                                                                          \
		__u64 a[OT_BPF_MAX_ARGS] = {};                                                     \
		if (!traced())                                                                     \
			return 0;                                                                  \
		kprobe_args(ctx, a);                                                               \
		frame_push(OT_FN_##fn, a);                                                         \
		return on_entry(OT_FN_##fn, a);                                                    \
	}                                                                                          \
	SEC("kretprobe/" #fn)                                                                      \
	int kretprobe_##fn(struct pt_regs *ctx)                                                    \
	{                                                                                          \
		__u64 a[OT_BPF_MAX_ARGS] = {};                                                     \
		if (!traced())                                                                     \
			return 0;                                                                  \
		frame_pop(OT_FN_##fn, a);                                                          \
		return on_ret(OT_FN_##fn, a, PT_REGS_RC(ctx));                                     \
	}

OT_BPF_FUNCS(OT_BPF_PROGS)

/* GPL-compatible, as the kernel requires for the probe_read helpers. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";
