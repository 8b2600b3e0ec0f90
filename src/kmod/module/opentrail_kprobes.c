// SPDX-License-Identifier: GPL-2.0
/*
 * opentrail_kprobes: the kernel-module probe backend of opentrail.
 *
 * One kretprobe per function of opentrail's probe dictionary, chosen at load
 * time with probes="f1,f2=symbol,f3=symbol@address". Every call made by the
 * followed processes is printed as one line of opentrail's format:
 *
 *   [opentrail] FUNC.entry pid=TGID tid=TID comm="COMM" key=value ...
 *   [opentrail] FUNC.ret pid=TGID tid=TID comm="COMM" ret=HEX key=value ...
 *
 * Field names are those of the probe dictionary (src/cases/probes.c).
 *
 * Safety rules kept throughout:
 *  - every read of kernel (or user) memory goes through copy_from_kernel_nofault()
 *    (copy_from_user_nofault() for the user path): a stale or wrong pointer
 *    gives a missing field, never an oops;
 *  - structures are laid out by the kernel's own headers (struct dentry, qstr,
 *    file, inode, path, filename, renamedata, socket, sock, open_how);
 *  - the two private structures (struct open_flags of fs/internal.h and struct
 *    nameidata of fs/namei.c) are not in any installed header: no mirror of them
 *    is declared here. Their field offsets come from the running kernel's BTF,
 *    read by the user side and passed as off_open_flag, off_acc_mode and
 *    off_nd_dentry; without them only the pointers are recorded;
 *  - strings are copied to a local buffer first and printed with escapes.
 */
#define pr_fmt(fmt) fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/kprobes.h>
#include <linux/ptrace.h>
#include <linux/uaccess.h>
#include <linux/sched.h>
#include <linux/percpu.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/dcache.h>
#include <linux/path.h>
#include <linux/net.h>
#include <net/sock.h>
#include <uapi/linux/openat2.h>

#define OT_TAG		"[opentrail] "
#define OT_LINE_MAX	960	/* below the printk record limit */
#define OT_STR_MAX	200	/* bytes of one string copied from memory */
#define OT_NARGS	6
#define OT_MAX_PIDS	16

static char *probes = "do_filp_open,__d_alloc";
module_param(probes, charp, 0444);
MODULE_PARM_DESC(probes, "functions to probe: name[=symbol[@hexaddress]],...");

static int target_pid;
module_param(target_pid, int, 0444);
MODULE_PARM_DESC(target_pid, "thread-group id to follow (0: see target_pids)");

static char *target_pids = "";
module_param(target_pids, charp, 0444);
MODULE_PARM_DESC(target_pids, "comma list of thread-group ids to follow");

static char *target_comm = "";
module_param(target_comm, charp, 0444);
MODULE_PARM_DESC(target_comm, "follow tasks with this comm (exact match)");

static char *run_id = "";
module_param(run_id, charp, 0444);
MODULE_PARM_DESC(run_id, "identifier printed in the load and unload facts");

static int maxactive;
module_param(maxactive, int, 0444);
MODULE_PARM_DESC(maxactive, "kretprobe instances per probe (0: 4 per cpu, at least 64)");

static int off_open_flag = -1;
module_param(off_open_flag, int, 0444);
MODULE_PARM_DESC(off_open_flag, "BTF offset of open_flags.open_flag (-1: unknown)");

static int off_acc_mode = -1;
module_param(off_acc_mode, int, 0444);
MODULE_PARM_DESC(off_acc_mode, "BTF offset of open_flags.acc_mode (-1: unknown)");

static int off_nd_dentry = -1;
module_param(off_nd_dentry, int, 0444);
MODULE_PARM_DESC(off_nd_dentry, "BTF offset of nameidata.path.dentry (-1: unknown)");

/* Arguments saved at entry, handed to the return handler. */
struct ot_call {
	unsigned long arg[OT_NARGS];
};

struct ot_line {
	char buf[OT_LINE_MAX];
	size_t len;
	bool full;
	char str[OT_STR_MAX + 1];
};

static DEFINE_PER_CPU(struct ot_line, ot_lines);

typedef void (*ot_fill_t)(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret);

struct ot_func {
	const char *name;
	ot_fill_t entry;
	ot_fill_t ret;
	bool ret_any;	/* ret filler runs for every return value, not only pointers */
};

struct ot_slot {
	const struct ot_func *func;
	struct kretprobe rp;
	char symbol[KSYM_NAME_LEN];
	bool wanted;
	bool registered;
	int err;
};

static pid_t ot_pids[OT_MAX_PIDS];
static int ot_npids;

/* ---- output -------------------------------------------------------------- */

static void ot_printf(struct ot_line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(l->buf + l->len, sizeof(l->buf) - l->len, fmt, ap);
	va_end(ap);
	if (n < 0 || l->len + n >= sizeof(l->buf)) {
		l->full = true;
		return;
	}
	l->len += n;
}

/* Appends " key=\"...\"" with the escapes of docs/line-format.md. */
static void ot_put_bytes(struct ot_line *l, const char *key, const char *s,
			 size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t room, i;
	char *p;

	ot_printf(l, " %s=\"", key);
	if (l->full)
		return;
	p = l->buf + l->len;
	room = sizeof(l->buf) - l->len - 2;	/* closing quote and NUL */
	for (i = 0; i < n; i++) {
		unsigned char ch = s[i];

		if (ch == '\\' || ch == '"' || ch == '\n' || ch == '\t') {
			if (room < 2)
				break;
			*p++ = '\\';
			*p++ = ch == '\n' ? 'n' : ch == '\t' ? 't' : ch;
			room -= 2;
		} else if (ch < 0x20 || ch >= 0x7f) {
			if (room < 4)
				break;
			*p++ = '\\';
			*p++ = 'x';
			*p++ = hex[ch >> 4];
			*p++ = hex[ch & 15];
			room -= 4;
		} else {
			if (room < 1)
				break;
			*p++ = ch;
			room--;
		}
	}
	*p++ = '"';
	*p = '\0';
	l->len = p - l->buf;
}

static void ot_put_ptr(struct ot_line *l, const char *key, unsigned long v)
{
	ot_printf(l, " %s=%016lx", key, v);
}

static void ot_put_int(struct ot_line *l, const char *key, int v)
{
	ot_printf(l, " %s=%d", key, v);
}

static void ot_put_uint(struct ot_line *l, const char *key, unsigned long v)
{
	ot_printf(l, " %s=%lu", key, v);
}

static void ot_put_mask(struct ot_line *l, const char *key, unsigned long v)
{
	ot_printf(l, " %s=0x%lx", key, v);
}

/* ---- fault-tolerant reads ------------------------------------------------ */

static bool ot_valid(unsigned long p)
{
	return p && !IS_ERR_VALUE(p);
}

static bool ot_read(void *dst, const void *src, size_t size)
{
	if (!ot_valid((unsigned long)src))
		return false;
	return copy_from_kernel_nofault(dst, src, size) == 0;
}

static bool ot_read_ulong(const void *src, unsigned long *v)
{
	return ot_read(v, src, sizeof(*v));
}

/*
 * Copies a NUL-terminated string of at most OT_STR_MAX bytes into l->str, a
 * page at a time: the string's own bytes are mapped, what follows may not be.
 * (The kernel exports only the two copy_*_nofault() primitives to modules.)
 * Returns its length, or -1 if nothing could be read.
 */
static long ot_copy_str(struct ot_line *l, unsigned long p, bool user)
{
	size_t got = 0;

	while (got < OT_STR_MAX) {
		size_t chunk = PAGE_SIZE - ((p + got) & (PAGE_SIZE - 1));
		char *nul;
		long err;

		chunk = min_t(size_t, chunk, OT_STR_MAX - got);
		if (user)
			err = copy_from_user_nofault(l->str + got,
						     (const void __user *)(p + got),
						     chunk);
		else
			err = copy_from_kernel_nofault(l->str + got,
						       (const void *)(p + got),
						       chunk);
		if (err)
			break;
		nul = memchr(l->str + got, '\0', chunk);
		if (nul)
			return nul - l->str;
		got += chunk;
	}
	if (!got)
		return -1;
	return got;
}

/* A NUL-terminated kernel string. */
static void ot_put_kstr(struct ot_line *l, const char *key, unsigned long p)
{
	long n;

	if (!ot_valid(p))
		return;
	n = ot_copy_str(l, p, false);
	if (n >= 0)
		ot_put_bytes(l, key, l->str, n);
}

/* A NUL-terminated user string (do_sys_openat2's filename). */
static void ot_put_ustr(struct ot_line *l, const char *key, unsigned long p)
{
	long n;

	if (!p)
		return;
	n = ot_copy_str(l, p, true);
	if (n >= 0)
		ot_put_bytes(l, key, l->str, n);
}

/* A counted name (qstr): not NUL-terminated in the middle of a path. */
static void ot_put_name(struct ot_line *l, const char *key, unsigned long p,
			unsigned int len)
{
	size_t n = min_t(size_t, len, OT_STR_MAX);

	if (!ot_valid(p))
		return;
	if (n && copy_from_kernel_nofault(l->str, (const void *)p, n))
		return;
	ot_put_bytes(l, key, l->str, n);
}

static bool ot_read_qstr(unsigned long p, struct qstr *q)
{
	return ot_read(q, (const void *)p, sizeof(*q));
}

/* qstr fields: [parent] qstr name_ptr len hash name */
static void ot_put_qstr(struct ot_line *l, unsigned long qp)
{
	struct qstr q;

	ot_put_ptr(l, "qstr", qp);
	if (!ot_read_qstr(qp, &q))
		return;
	ot_put_ptr(l, "name_ptr", (unsigned long)q.name);
	ot_put_uint(l, "len", q.len);
	ot_put_mask(l, "hash", q.hash);
	ot_put_name(l, "name", (unsigned long)q.name, q.len);
}

static unsigned long ot_dentry_inode(unsigned long d)
{
	unsigned long inode = 0;
	struct dentry *dp = (struct dentry *)d;

	ot_read_ulong(&dp->d_inode, &inode);
	return inode;
}

/* The name of a dentry, as NAME_KEY (and its pointer as PTR_KEY if given). */
static void ot_put_dname(struct ot_line *l, const char *ptr_key,
			 const char *name_key, unsigned long d)
{
	struct dentry *dp = (struct dentry *)d;
	struct qstr q;

	if (!ot_read(&q, &dp->d_name, sizeof(q)))
		return;
	if (ptr_key)
		ot_put_ptr(l, ptr_key, (unsigned long)q.name);
	ot_put_name(l, name_key, (unsigned long)q.name, q.len);
}

/* dentry dname_ptr dname inode; INODE is used when the caller passes one. */
static void ot_put_dentry(struct ot_line *l, unsigned long d,
			  bool have_inode, unsigned long inode)
{
	ot_put_ptr(l, "dentry", d);
	if (!ot_valid(d))
		return;
	ot_put_dname(l, "dname_ptr", "dname", d);
	ot_put_ptr(l, "inode", have_inode ? inode : ot_dentry_inode(d));
}

static void ot_put_inode_attrs(struct ot_line *l, unsigned long ip)
{
	struct inode *inode = (struct inode *)ip;
	umode_t mode;
	kuid_t uid;

	ot_put_ptr(l, "inode", ip);
	if (ot_read(&mode, &inode->i_mode, sizeof(mode)))
		ot_put_mask(l, "mode", mode);
	if (ot_read(&uid, &inode->i_uid, sizeof(uid)))
		ot_put_uint(l, "uid", __kuid_val(uid));
}

/* struct open_flags: private to fs/internal.h, fields at BTF offsets. */
static void ot_put_open_flags(struct ot_line *l, unsigned long op,
			      bool acc_mode)
{
	int v;

	if (off_open_flag >= 0 &&
	    ot_read(&v, (const void *)(op + off_open_flag), sizeof(v)))
		ot_put_mask(l, "open_flag", (unsigned int)v);
	if (acc_mode && off_acc_mode >= 0 &&
	    ot_read(&v, (const void *)(op + off_acc_mode), sizeof(v)))
		ot_put_int(l, "acc_mode", v);
}

/* struct nameidata: private to fs/namei.c; nd->path.dentry at a BTF offset. */
static unsigned long ot_nd_dentry(unsigned long nd)
{
	unsigned long d = 0;

	if (off_nd_dentry < 0)
		return 0;
	ot_read_ulong((const void *)(nd + off_nd_dentry), &d);
	return d;
}

/* ---- per-function fields -------------------------------------------------- */

#define ARG(n) (c->arg[n])

static void e_do_sys_openat2(struct ot_line *l, const struct ot_call *c,
			     unsigned long ret)
{
	struct open_how how;

	ot_put_int(l, "dfd", (int)ARG(0));
	ot_put_ptr(l, "filename", ARG(1));
	ot_put_ustr(l, "path", ARG(1));
	if (ot_read(&how, (const void *)ARG(2), sizeof(how))) {
		ot_put_mask(l, "flags", how.flags);
		ot_put_mask(l, "mode", how.mode);
	}
}

static void e_getname(struct ot_line *l, const struct ot_call *c,
		      unsigned long ret)
{
	ot_put_ptr(l, "filename", ARG(0));
}

static void e_getname_flags(struct ot_line *l, const struct ot_call *c,
			    unsigned long ret)
{
	ot_put_ptr(l, "filename", ARG(0));
	ot_put_mask(l, "flags", (unsigned int)ARG(1));
}

static void ot_put_filename(struct ot_line *l, unsigned long fp)
{
	struct filename *f = (struct filename *)fp;
	unsigned long name;

	if (!ot_read_ulong(&f->name, &name))
		return;
	ot_put_ptr(l, "name_ptr", name);
	ot_put_kstr(l, "name", name);
}

static void r_getname(struct ot_line *l, const struct ot_call *c,
		      unsigned long ret)
{
	ot_put_filename(l, ret);
}

static void e_do_filp_open(struct ot_line *l, const struct ot_call *c,
			   unsigned long ret)
{
	ot_put_int(l, "dfd", (int)ARG(0));
	ot_put_ptr(l, "pathname", ARG(1));
	ot_put_filename(l, ARG(1));
	ot_put_ptr(l, "op", ARG(2));
	ot_put_open_flags(l, ARG(2), true);
}

static void r_do_filp_open(struct ot_line *l, const struct ot_call *c,
			   unsigned long ret)
{
	struct file *f = (struct file *)ret;
	unsigned long d, sb;
	fmode_t mode;

	if (!ot_read_ulong(&f->f_path.dentry, &d))
		return;
	ot_put_dentry(l, d, false, 0);
	if (ot_valid(d) && ot_read_ulong(&((struct dentry *)d)->d_sb, &sb))
		ot_put_ptr(l, "sb", sb);
	if (ot_read(&mode, &f->f_mode, sizeof(mode)))
		ot_put_mask(l, "f_mode", (__force unsigned int)mode);
}

static void e_path_openat(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	ot_put_ptr(l, "nd", ARG(0));
	ot_put_mask(l, "flags", (unsigned int)ARG(2));
}

static void e_link_path_walk(struct ot_line *l, const struct ot_call *c,
			     unsigned long ret)
{
	ot_put_ptr(l, "name_ptr", ARG(0));
	ot_put_kstr(l, "name", ARG(0));
	ot_put_ptr(l, "nd", ARG(1));
}

/* open_last_lookups(nd, file, op), do_open(nd, file, op) */
static void e_nd_file_op(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	ot_put_ptr(l, "nd", ARG(0));
	ot_put_ptr(l, "file", ARG(1));
	ot_put_open_flags(l, ARG(2), false);
}

static void e_step_into(struct ot_line *l, const struct ot_call *c,
			unsigned long ret)
{
	struct dentry *dp = (struct dentry *)ARG(2);
	struct inode *inode;
	unsigned long v;
	umode_t mode;

	ot_put_dentry(l, ARG(2), false, 0);
	ot_put_mask(l, "flags", (unsigned int)ARG(1));
	if (!ot_valid(ARG(2)))
		return;
	if (ot_read_ulong(&dp->d_sb, &v))
		ot_put_ptr(l, "sb", v);
	inode = (struct inode *)ot_dentry_inode(ARG(2));
	if (!ot_valid((unsigned long)inode) ||
	    !ot_read(&mode, &inode->i_mode, sizeof(mode)))
		return;
	ot_put_mask(l, "mode", mode);
	/* A fast symlink keeps its body in i_link (pick_link is inlined). */
	if (S_ISLNK(mode) && ot_read_ulong(&inode->i_link, &v) && v)
		ot_put_kstr(l, "body", v);
}

/* __lookup_mnt(mnt, dentry) */
static void e_lookup_mnt(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	ot_put_dentry(l, ARG(1), false, 0);
}

/* vfs_tmpfile(idmap, parentpath, file, mode) */
static void e_vfs_tmpfile(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	struct path p;

	if (ot_read(&p, (const void *)ARG(1), sizeof(p))) {
		ot_put_ptr(l, "dir", (unsigned long)p.dentry);
		ot_put_dname(l, NULL, "dir_name", (unsigned long)p.dentry);
	}
	ot_put_mask(l, "mode", (umode_t)ARG(3));
}

static void e_pick_link(struct ot_line *l, const struct ot_call *c,
			unsigned long ret)
{
	struct inode *inode = (struct inode *)ARG(2);
	struct path link;
	unsigned long body;

	if (ot_read(&link, (const void *)ARG(1), sizeof(link)))
		ot_put_dentry(l, (unsigned long)link.dentry, true, ARG(2));
	/* Fast symlinks keep their body in i_link; others need I/O. */
	if (ot_read_ulong(&inode->i_link, &body))
		ot_put_kstr(l, "body", body);
}

static void r_pick_link(struct ot_line *l, const struct ot_call *c,
			unsigned long ret)
{
	ot_put_kstr(l, "body", ret);
}

static void e_lookup_open(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	unsigned long dir = ot_nd_dentry(ARG(0));

	if (dir) {
		ot_put_ptr(l, "dir", dir);
		ot_put_dname(l, NULL, "dir_name", dir);
	}
	ot_put_open_flags(l, ARG(2), false);
}

/* A returned dentry: inode dname. */
static void r_dentry(struct ot_line *l, const struct ot_call *c,
		     unsigned long ret)
{
	if (!ot_valid(ret))
		return;
	ot_put_ptr(l, "inode", ot_dentry_inode(ret));
	ot_put_dname(l, NULL, "dname", ret);
}

/* d_lookup, __d_lookup, __d_lookup_rcu, d_alloc_parallel (parent, qstr) */
static void e_parent_qstr(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	ot_put_ptr(l, "parent", ARG(0));
	ot_put_qstr(l, ARG(1));
}

static void r_inode_only(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	if (ot_valid(ret))
		ot_put_ptr(l, "inode", ot_dentry_inode(ret));
}

static void e_d_alloc(struct ot_line *l, const struct ot_call *c,
		      unsigned long ret)
{
	ot_put_ptr(l, "sb", ARG(0));
	ot_put_qstr(l, ARG(1));
}

static void r_d_alloc(struct ot_line *l, const struct ot_call *c,
		      unsigned long ret)
{
	struct dentry *d = (struct dentry *)ret;
	unsigned long pprev, name;
	struct qstr q;

	if (!ot_valid(ret) || !ot_read(&q, &d->d_name, sizeof(q)))
		return;
	name = (unsigned long)q.name;
	ot_put_ptr(l, "dname_ptr", name);
	ot_put_name(l, "dname", name, q.len);
	ot_put_ptr(l, "inode", ot_dentry_inode(ret));
	/* d_unhashed(): the hash list's pprev is NULL until __d_add. */
	if (ot_read_ulong(&d->d_hash.pprev, &pprev))
		ot_put_uint(l, "unhashed", !pprev);
	/* Address arithmetic only: is the name the dentry's inline buffer? */
	ot_put_uint(l, "inline_name", name == (unsigned long)d->d_iname);
}

/* __d_add(dentry, inode), d_add(dentry, inode) */
static void e_dentry_inode(struct ot_line *l, const struct ot_call *c,
			   unsigned long ret)
{
	ot_put_dentry(l, ARG(0), true, ARG(1));
}

static void e_d_splice_alias(struct ot_line *l, const struct ot_call *c,
			     unsigned long ret)
{
	ot_put_dentry(l, ARG(1), true, ARG(0));
}

/* d_delete, __dentry_kill, __d_lookup_done (dentry) */
static void e_dentry(struct ot_line *l, const struct ot_call *c,
		     unsigned long ret)
{
	ot_put_dentry(l, ARG(0), false, 0);
}

static void e_atomic_open(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	ot_put_dentry(l, ARG(1), false, 0);
	ot_put_mask(l, "open_flag", (unsigned int)ARG(3));
}

static void e_vfs_create(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	ot_put_dentry(l, ARG(2), false, 0);
	ot_put_mask(l, "mode", (umode_t)ARG(3));
}

static void e_may_open(struct ot_line *l, const struct ot_call *c,
		       unsigned long ret)
{
	struct path p;
	unsigned long inode;
	umode_t mode;

	if (ot_read(&p, (const void *)ARG(1), sizeof(p))) {
		inode = ot_dentry_inode((unsigned long)p.dentry);
		ot_put_ptr(l, "inode", inode);
		if (ot_read(&mode, &((struct inode *)inode)->i_mode,
			    sizeof(mode)))
			ot_put_mask(l, "mode", mode);
	}
	ot_put_int(l, "acc_mode", (int)ARG(2));
	ot_put_mask(l, "flag", (unsigned int)ARG(3));
}

/* inode_permission, generic_permission (idmap, inode, mask) */
static void e_permission(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	ot_put_inode_attrs(l, ARG(1));
	ot_put_mask(l, "mask", (unsigned int)ARG(2));
}

static void e_vfs_open(struct ot_line *l, const struct ot_call *c,
		       unsigned long ret)
{
	ot_put_ptr(l, "file", ARG(1));
}

/* do_dentry_open(f, ...): the inode argument was dropped in newer kernels. */
static void e_do_dentry_open(struct ot_line *l, const struct ot_call *c,
			     unsigned long ret)
{
	struct file *f = (struct file *)ARG(0);
	unsigned long d;

	ot_put_ptr(l, "file", ARG(0));
	if (ot_read_ulong(&f->f_path.dentry, &d) && ot_valid(d))
		ot_put_ptr(l, "inode", ot_dentry_inode(d));
}

static void e_fd_install(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	struct file *f = (struct file *)ARG(1);
	unsigned long priv;

	ot_put_int(l, "fd", (int)ARG(0));
	ot_put_ptr(l, "file", ARG(1));
	if (ot_read_ulong(&f->private_data, &priv))
		ot_put_ptr(l, "private_data", priv);
}

static void e_file(struct ot_line *l, const struct ot_call *c,
		   unsigned long ret)
{
	ot_put_ptr(l, "file", ARG(0));
}

static void e_do_renameat2(struct ot_line *l, const struct ot_call *c,
			   unsigned long ret)
{
	ot_put_int(l, "olddfd", (int)ARG(0));
	ot_put_int(l, "newdfd", (int)ARG(2));
	ot_put_mask(l, "flags", (unsigned int)ARG(4));
}

static void e_vfs_rename(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	struct renamedata *rd = (struct renamedata *)ARG(0);
	unsigned long d;

	if (ot_read_ulong(&rd->old_dentry, &d))
		ot_put_ptr(l, "old_dentry", d);
	if (ot_read_ulong(&rd->new_dentry, &d))
		ot_put_ptr(l, "new_dentry", d);
}

static void e_d_move(struct ot_line *l, const struct ot_call *c,
		     unsigned long ret)
{
	ot_put_dentry(l, ARG(0), false, 0);
	ot_put_ptr(l, "target", ARG(1));
	ot_put_dname(l, NULL, "target_name", ARG(1));
}

static void e_full_name_hash(struct ot_line *l, const struct ot_call *c,
			     unsigned long ret)
{
	ot_put_ptr(l, "salt", ARG(0));
	ot_put_ptr(l, "name_ptr", ARG(1));
	ot_put_uint(l, "len", (unsigned int)ARG(2));
}

static void e_sys_socket(struct ot_line *l, const struct ot_call *c,
			 unsigned long ret)
{
	ot_put_int(l, "family", (int)ARG(0));
	ot_put_int(l, "type", (int)ARG(1));
	ot_put_int(l, "protocol", (int)ARG(2));
}

/* sock sk sk_socket */
static void ot_put_socket(struct ot_line *l, unsigned long sockp)
{
	struct socket *sock = (struct socket *)sockp;
	struct sock *sk;
	unsigned long sk_socket;

	ot_put_ptr(l, "sock", sockp);
	if (!ot_read(&sk, &sock->sk, sizeof(sk)))
		return;
	ot_put_ptr(l, "sk", (unsigned long)sk);
	if (ot_valid((unsigned long)sk) &&
	    ot_read_ulong(&sk->sk_socket, &sk_socket))
		ot_put_ptr(l, "sk_socket", sk_socket);
}

static void e_inet_create(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	ot_put_ptr(l, "sock", ARG(1));
	ot_put_int(l, "protocol", (int)ARG(2));
}

static void r_inet_create(struct ot_line *l, const struct ot_call *c,
			  unsigned long ret)
{
	ot_put_socket(l, ARG(1));
}

static void e_sock_alloc_file(struct ot_line *l, const struct ot_call *c,
			      unsigned long ret)
{
	ot_put_socket(l, ARG(0));
}

static void r_file_private(struct ot_line *l, const struct ot_call *c,
			   unsigned long ret)
{
	struct file *f = (struct file *)ret;
	unsigned long priv;

	if (ot_read_ulong(&f->private_data, &priv))
		ot_put_ptr(l, "private_data", priv);
}

static const struct ot_func ot_funcs[] = {
	{ "do_sys_openat2", e_do_sys_openat2, NULL },
	{ "getname", e_getname, r_getname },
	{ "getname_flags", e_getname_flags, r_getname },
	{ "do_filp_open", e_do_filp_open, r_do_filp_open },
	{ "path_openat", e_path_openat, NULL },
	{ "link_path_walk", e_link_path_walk, NULL },
	{ "open_last_lookups", e_nd_file_op, NULL },
	{ "do_open", e_nd_file_op, NULL },
	{ "step_into", e_step_into, NULL },
	{ "pick_link", e_pick_link, r_pick_link },
	{ "lookup_open", e_lookup_open, r_dentry },
	{ "d_lookup", e_parent_qstr, r_dentry },
	{ "__d_lookup", e_parent_qstr, r_dentry },
	{ "__d_lookup_rcu", e_parent_qstr, r_dentry },
	{ "d_alloc_parallel", e_parent_qstr, r_inode_only },
	{ "__d_alloc", e_d_alloc, r_d_alloc },
	{ "__d_add", e_dentry_inode, NULL },
	{ "d_splice_alias", e_d_splice_alias, NULL },
	{ "d_add", e_dentry_inode, NULL },
	{ "atomic_open", e_atomic_open, NULL },
	{ "vfs_create", e_vfs_create, NULL },
	{ "__d_lookup_unhash_wake", e_dentry, NULL },
	{ "may_open", e_may_open, NULL },
	{ "inode_permission", e_permission, NULL },
	{ "generic_permission", e_permission, NULL },
	{ "vfs_open", e_vfs_open, NULL },
	{ "do_dentry_open", e_do_dentry_open, NULL },
	{ "fd_install", e_fd_install, NULL },
	{ "d_delete", e_dentry, NULL },
	{ "__dentry_kill", e_dentry, NULL },
	{ "__lookup_mnt", e_lookup_mnt, NULL },
	{ "vfs_tmpfile", e_vfs_tmpfile, NULL },
	{ "fput", e_file, NULL },
	{ "fput_close", e_file, NULL },
	{ "do_renameat2", e_do_renameat2, NULL },
	{ "vfs_rename", e_vfs_rename, NULL },
	{ "d_move", e_d_move, NULL },
	{ "full_name_hash", e_full_name_hash, NULL },
	{ "__sys_socket", e_sys_socket, NULL },
	{ "sock_alloc", NULL, NULL },
	{ "inet_create", e_inet_create, r_inet_create, true },
	{ "sock_alloc_file", e_sock_alloc_file, r_file_private },
};

#define OT_NFUNCS ARRAY_SIZE(ot_funcs)

static struct ot_slot ot_slots[OT_NFUNCS];

/* ---- handlers ------------------------------------------------------------- */

static bool ot_wanted(void)
{
	int i;

	if (ot_npids) {
		for (i = 0; i < ot_npids; i++)
			if (current->tgid == ot_pids[i])
				return true;
		return false;
	}
	if (target_comm[0])
		return strncmp(current->comm, target_comm, TASK_COMM_LEN) == 0;
	return true;
}

static struct ot_line *ot_line_begin(const char *func, const char *kind)
{
	struct ot_line *l = this_cpu_ptr(&ot_lines);

	l->len = 0;
	l->full = false;
	l->buf[0] = '\0';
	ot_printf(l, OT_TAG "%s.%s pid=%d tid=%d", func, kind,
		  current->tgid, current->pid);
	/* current->comm belongs to the running task: a plain copy is safe. */
	memcpy(l->str, current->comm, TASK_COMM_LEN);
	l->str[TASK_COMM_LEN - 1] = '\0';
	ot_put_bytes(l, "comm", l->str, strnlen(l->str, TASK_COMM_LEN));
	return l;
}

static void ot_line_emit(struct ot_line *l)
{
	pr_info("%s\n", l->buf);
}

static int ot_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ot_slot *s = container_of(get_kretprobe(ri), struct ot_slot, rp);
	struct ot_call *c = (struct ot_call *)ri->data;
	struct ot_line *l;
	int i;

	if (!ot_wanted())
		return 1;	/* no return handler for this call */
	for (i = 0; i < OT_NARGS; i++)
		c->arg[i] = regs_get_kernel_argument(regs, i);
	/* Kprobe handlers run with preemption off and do not nest. */
	l = ot_line_begin(s->func->name, "entry");
	if (s->func->entry)
		s->func->entry(l, c, 0);
	ot_line_emit(l);
	return 0;
}

static int ot_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct ot_call *c = (struct ot_call *)ri->data;
	unsigned long ret = regs_return_value(regs);
	struct ot_slot *s;
	struct ot_line *l;

	if (!rp)
		return 0;
	s = container_of(rp, struct ot_slot, rp);
	l = ot_line_begin(s->func->name, "ret");
	ot_put_ptr(l, "ret", ret);
	if (s->func->ret && (s->func->ret_any || ot_valid(ret)))
		s->func->ret(l, c, ret);
	ot_line_emit(l);
	return 0;
}

/* ---- setup ---------------------------------------------------------------- */

static void ot_parse_pids(void)
{
	const char *p = target_pids;
	int v;

	ot_npids = 0;
	if (target_pid > 0)
		ot_pids[ot_npids++] = target_pid;
	while (p && *p && ot_npids < OT_MAX_PIDS) {
		char num[16];
		size_t n = strcspn(p, ",");

		if (n && n < sizeof(num)) {
			memcpy(num, p, n);
			num[n] = '\0';
			if (!kstrtoint(num, 10, &v) && v > 0)
				ot_pids[ot_npids++] = v;
		}
		p += n;
		if (*p == ',')
			p++;
	}
}

static struct ot_slot *ot_find_slot(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < OT_NFUNCS; i++)
		if (strlen(ot_funcs[i].name) == n &&
		    !strncmp(ot_funcs[i].name, name, n))
			return &ot_slots[i];
	return NULL;
}

static void ot_fact_skip(const char *name, size_t n, int err,
			 const char *why)
{
	pr_info(OT_TAG "kmod.fact run_id=\"%s\" probe=\"%.*s\" error=%d skipped=\"%s\"\n",
		run_id, (int)n, name, err, why);
}

/*
 * One entry of probes=: NAME, NAME=SYMBOL or NAME=SYMBOL@HEXADDR (the address
 * picks one of several static functions of the same name).
 */
static void ot_select(const char *item, size_t n)
{
	const char *eq = memchr(item, '=', n);
	size_t name_len = eq ? (size_t)(eq - item) : n;
	struct ot_slot *s;
	size_t sym_len;
	const char *at;

	s = ot_find_slot(item, name_len);
	if (!s) {
		ot_fact_skip(item, name_len, -EINVAL, "not in the probe dictionary");
		return;
	}
	s->wanted = true;
	if (!eq) {
		strscpy(s->symbol, s->func->name, sizeof(s->symbol));
		return;
	}
	sym_len = n - name_len - 1;
	at = memchr(eq + 1, '@', sym_len);
	if (at) {
		char hex[24];
		size_t hl = n - (at + 1 - item);
		unsigned long addr;

		if (hl < sizeof(hex)) {
			memcpy(hex, at + 1, hl);
			hex[hl] = '\0';
			if (!kstrtoul(hex, 16, &addr))
				s->rp.kp.addr = (kprobe_opcode_t *)addr;
		}
		sym_len = at - (eq + 1);
	}
	if (sym_len >= sizeof(s->symbol))
		sym_len = sizeof(s->symbol) - 1;
	memcpy(s->symbol, eq + 1, sym_len);
	s->symbol[sym_len] = '\0';
}

static const char *ot_reg_reason(int err)
{
	switch (err) {
	case -ENOENT:
		return "not found";
	case -EINVAL:
	case -EILSEQ:
		return "not probeable (inlined, blacklisted or not a function start)";
	case -EEXIST:
		return "already probed";
	case -ENOMEM:
		return "out of memory";
	default:
		return "register failed";
	}
}

static int __init ot_init(void)
{
	const char *p = probes;
	int active = maxactive;
	size_t i, attached = 0;

	if (active <= 0)
		active = max_t(int, 64, 4 * num_possible_cpus());
	ot_parse_pids();
	pr_info(OT_TAG "kmod.fact run_id=\"%s\" event=\"load\" targets=%d target_comm=\"%s\" maxactive=%d off_open_flag=%d off_acc_mode=%d off_nd_dentry=%d\n",
		run_id, ot_npids, target_comm, active, off_open_flag,
		off_acc_mode, off_nd_dentry);

	for (i = 0; i < OT_NFUNCS; i++)
		ot_slots[i].func = &ot_funcs[i];
	while (p && *p) {
		size_t n = strcspn(p, ",");

		if (n)
			ot_select(p, n);
		p += n;
		if (*p == ',')
			p++;
	}

	for (i = 0; i < OT_NFUNCS; i++) {
		struct ot_slot *s = &ot_slots[i];

		if (!s->wanted)
			continue;
		if (!s->rp.kp.addr)
			s->rp.kp.symbol_name = s->symbol;
		s->rp.entry_handler = ot_entry;
		s->rp.handler = ot_return;
		s->rp.data_size = sizeof(struct ot_call);
		s->rp.maxactive = active;
		s->err = register_kretprobe(&s->rp);
		if (s->err) {
			pr_info(OT_TAG "kmod.fact run_id=\"%s\" probe=\"%s\" symbol=\"%s\" error=%d skipped=\"%s\"\n",
				run_id, s->func->name, s->symbol, s->err,
				ot_reg_reason(s->err));
			continue;
		}
		s->registered = true;
		attached++;
		pr_info(OT_TAG "kmod.fact run_id=\"%s\" probe=\"%s\" symbol=\"%s\" kind=\"kretprobe\" attached=1\n",
			run_id, s->func->name, s->symbol);
	}
	pr_info(OT_TAG "kmod.fact run_id=\"%s\" event=\"ready\" attached=%zu\n",
		run_id, attached);
	return 0;
}

static void __exit ot_exit(void)
{
	static struct kretprobe *regd[OT_NFUNCS];
	unsigned long total = 0;
	size_t i;
	int n = 0;

	for (i = 0; i < OT_NFUNCS; i++)
		if (ot_slots[i].registered)
			regd[n++] = &ot_slots[i].rp;
	/* One batch: a single RCU grace period instead of one per probe. */
	if (n)
		unregister_kretprobes(regd, n);
	for (i = 0; i < OT_NFUNCS; i++) {
		struct ot_slot *s = &ot_slots[i];
		unsigned long missed;

		if (!s->registered)
			continue;
		/* instances unavailable at entry + hits while a handler ran */
		missed = s->rp.nmissed + s->rp.kp.nmissed;
		total += missed;
		pr_info(OT_TAG "kmod.fact run_id=\"%s\" probe=\"%s\" nmissed=%lu kind=\"kretprobe\"\n",
			run_id, s->func->name, missed);
	}
	pr_info(OT_TAG "kmod.fact run_id=\"%s\" event=\"unload\" nmissed=%lu\n",
		run_id, total);
}

module_init(ot_init);
module_exit(ot_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("opentrail: kretprobes on the open() path, printed as opentrail lines");
