// SPDX-License-Identifier: GPL-2.0
/*
 * opentrail_kprobes: the kernel-module probe backend of opentrail.
 *
 * It knows no kernel function. The loader (opentrail's kmod backend) resolves
 * each function of its probe spec on the running kernel and passes, in the same
 * order, what to attach and how to read each field:
 *
 *   probes="NAME=SYMBOL[@HEXADDRESS],..."   one kretprobe each (the address picks
 *                                           one of several static functions)
 *   recipes="HEX..."                        one struct ot_rcp_func per probe
 *                                           (src/probe/recipe.h), from the
 *                                           kernel's BTF: argument positions and
 *                                           member offsets by name, and how each
 *                                           value is written
 *   keys="E0,E1,...|R0,R1,...;..."          per probe, the key of each entry
 *                                           and return field, by position
 *
 *   lines="ID=SYMBOL+HEXOFF,ID=+HEXOFF,ID@HEXADDRESS,..."
 *                                           line probes: one kprobe each (no
 *                                           return handler); "=+HEXOFF" is in
 *                                           the previous item's symbol, an
 *                                           address stands for a symbol name
 *                                           several functions share
 *
 * Every call made by the followed processes is printed as one record of
 * docs/line-format.md, in its final form (the loader only copies it to the log):
 *
 *   [opentrail] NAME.entry pid=TGID tid=TID comm="COMM" KEY=VALUE ... caller=HEX
 *   [opentrail] NAME.ret pid=TGID tid=TID comm="COMM" ret=HEX KEY=VALUE ...
 *
 * written by the rules of lineformat.h (src/record/lineformat.h), which the
 * user side writes by too: the tag, the escaping of quoted values, how each
 * value is written. Every line probe they run is printed as
 *
 *   [opentrail] line id=ID pid=TGID tid=TID comm="COMM" ts=NANOSECONDS
 *
 * and the loader gives it the name of the function it belongs to. Line probes
 * the kernel refuses are listed in load facts, lines_refused="ID:ERRNO,...".
 *
 * Safety rules kept throughout:
 *  - every read of kernel (or user) memory goes through copy_from_kernel_nofault()
 *    (copy_from_user_nofault() for user strings): a stale or wrong pointer gives
 *    a missing field, never an oops;
 *  - a recipe is checked before use: argument numbers, field references and
 *    string slots out of range make the module refuse to load.
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
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/version.h>

#include "recipe.h"
#include "lineformat.h"

#define OT_LINE_MAX	960	/* below the printk record limit */
#define OT_STR_MAX	OT_RCP_STR_MAX	/* bytes of one string copied from memory */
#define OT_MAX_PIDS	16
#define OT_KEY_MAX	32	/* bytes of a field's key */
#define OT_MAX_LINES	1024	/* line probes: the loader's OT_KMOD_LINES */
#define OT_REFUSED_MAX	600	/* bytes of one lines_refused= list */

/* Strings longer than a charp parameter's 1024 bytes: copied into buffers. */
static char probes[OT_RCP_SLOTS * (2 * KSYM_NAME_LEN + 20)];
module_param_string(probes, probes, sizeof(probes), 0);
MODULE_PARM_DESC(probes, "functions to probe: name=symbol[@hexaddress],...");

static char recipes[OT_RCP_SLOTS * 2 * sizeof(struct ot_rcp_func) + 1];
module_param_string(recipes, recipes, sizeof(recipes), 0);
MODULE_PARM_DESC(recipes, "hex of one struct ot_rcp_func per probe, in order");

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

/*
 * lines= is as long as the plan (tens of bytes a point), keys= a few hundred
 * bytes a probe: a charp parameter stops at 1024 bytes, so each string is copied
 * whole here and parsed in place by ot_init; the symbols the kprobes name and
 * the keys the records carry point into it until the module goes.
 */
static char *lines;
static char *keys;

static int ot_set_str(const char *val, const struct kernel_param *kp)
{
	char *copy = kstrdup(val, GFP_KERNEL);

	if (!copy)
		return -ENOMEM;
	kfree(*(char **)kp->arg);
	*(char **)kp->arg = copy;
	return 0;
}

static void ot_free_str(void *arg)
{
	kfree(*(char **)arg);
	*(char **)arg = NULL;
}

static const struct kernel_param_ops ot_str_ops = {
	.set = ot_set_str,
	.free = ot_free_str,
};
module_param_cb(lines, &ot_str_ops, &lines, 0);
MODULE_PARM_DESC(lines, "line probes: id=symbol+hexoffset,id=+hexoffset,id@hexaddress,...");
module_param_cb(keys, &ot_str_ops, &keys, 0);
MODULE_PARM_DESC(keys, "field keys per probe, in order: entry,...|return,...;...");

static int maxactive;
module_param(maxactive, int, 0444);
MODULE_PARM_DESC(maxactive, "kretprobe instances per probe (0: 4 per cpu, at least 64)");

/* Arguments saved at entry, handed to the return handler. */
struct ot_call {
	unsigned long arg[OT_RCP_ARGS];
};

struct ot_line {
	char buf[OT_LINE_MAX];
	size_t len;
	bool full;
	char str[OT_STR_MAX + 1];
};

static DEFINE_PER_CPU(struct ot_line, ot_lines);

struct ot_slot {
	char name[KSYM_NAME_LEN];
	char symbol[KSYM_NAME_LEN];
	struct ot_rcp_func rcp;
	const char *key[2][OT_RCP_FIELDS];	/* entry, return: into keys= */
	struct kretprobe rp;
	bool registered;
	int err;
};

static struct ot_slot *ot_slots;
static int ot_nslots;

/* One line probe: its kprobe and the id of its point in the loader's plan. */
struct ot_lpt {
	struct kprobe kp;
	unsigned int id;
};

static struct ot_lpt *ot_lpts;
static struct kprobe **ot_lkps;	/* the registered ones, to unregister at once */
static int ot_nlpts, ot_nlkps;
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

/* Appends " key=\"...\"": N bytes of S, escaped by lineformat.h's one rule. */
static void ot_put_bytes(struct ot_line *l, const char *key, const char *s,
			 size_t n)
{
	size_t q;

	ot_printf(l, " %s=", key);
	if (l->full)
		return;
	q = ot_line_quote(l->buf + l->len, sizeof(l->buf) - l->len, s, n);
	if (!q)
		l->full = true;
	l->len += q;
}

/* Appends " key=VALUE", V written as PUT says (enum ot_line_put). */
static void ot_put_value(struct ot_line *l, const char *key, u8 put,
			 unsigned long v)
{
	switch (put) {
	case OT_PUT_INT32:
		ot_printf(l, OT_LINE_PUT_DEC, key, (long long)(s32)(u32)v);
		break;
	case OT_PUT_DEC:
		ot_printf(l, OT_LINE_PUT_DEC, key, (long long)v);
		break;
	case OT_PUT_HEX:
		ot_printf(l, OT_LINE_PUT_HEX, key, (unsigned long long)v);
		break;
	default:
		ot_printf(l, OT_LINE_PUT_PTR, key, (unsigned long long)v);
		break;
	}
}

static void ot_put_ptr(struct ot_line *l, const char *key, unsigned long v)
{
	ot_put_value(l, key, OT_PUT_PTR, v);
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

/*
 * Before 5.14 the kprobe fault handler counted a page fault taken inside a
 * probe's handler as a missed hit of that probe (kprobe_fault_handler:
 * kprobes_inc_nmissed_count for KPROBE_HIT_ACTIVE; x86's copy fixup may fault
 * twice per copy), though the nofault read only failed and the hit was
 * recorded: a bad user pointer (open's EFAULT) would read as lost records.
 * There, a user page is read only when it is present (the non-faulting
 * get_user_pages_fast_only walk), so no fault is taken; from 5.14 on the kernel
 * no longer counts such faults and the copy alone is enough.
 */
static bool ot_user_page_readable(unsigned long addr)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
	struct page *page;

	if (get_user_pages_fast_only(addr & PAGE_MASK, 1, 0, &page) != 1)
		return false;
	put_page(page);
#endif
	return true;
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
		if (user && !ot_user_page_readable(p + got))
			break;
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

/* ---- recipes ------------------------------------------------------------- */

static bool ot_read_sized(unsigned long *v, unsigned long addr, u8 size)
{
	u8 v8;
	u16 v16;
	u32 v32;

	switch (size) {
	case 1:
		if (!ot_read(&v8, (const void *)addr, 1))
			return false;
		*v = v8;
		return true;
	case 2:
		if (!ot_read(&v16, (const void *)addr, 2))
			return false;
		*v = v16;
		return true;
	case 4:
		if (!ot_read(&v32, (const void *)addr, 4))
			return false;
		*v = v32;
		return true;
	default:
		return ot_read(v, (const void *)addr, sizeof(*v));
	}
}

/* The value of field F: an argument or the return value through its steps. */
static bool ot_field_value(const struct ot_rcp_field *f, const unsigned long *a,
			   unsigned long r, unsigned long *out)
{
	unsigned long v = f->src == OT_SRC_RET ? r : a[f->arg];
	int s;

	if (!f->nsteps) {
		if (f->size < sizeof(v))
			v &= (1UL << (f->size * 8)) - 1;
		*out = v;
		return true;
	}
	for (s = 0; s < f->nsteps; s++) {
		unsigned long at;

		if (!ot_valid(v))
			return false;
		at = v + f->off[s];
		if (s == f->nsteps - 1) {
			if (f->addr)
				v = at;
			else if (!ot_read_sized(&v, at, f->size))
				return false;
		} else if (!ot_read(&v, (const void *)at, sizeof(v))) {
			return false;
		}
	}
	*out = v;
	return true;
}

/* Appends " KEY=..." for every field of F that can be read (KEY: its key). */
static void ot_fill(struct ot_line *l, const struct ot_rcp_field *f,
		    const char *const *key, const unsigned long *a,
		    unsigned long r)
{
	unsigned long w[OT_RCP_FIELDS];
	bool have[OT_RCP_FIELDS] = { false };
	int i;

	for (i = 0; i < OT_RCP_FIELDS; i++) {
		const struct ot_rcp_field *x = &f[i];
		unsigned long v;
		long n;

		if (x->src == OT_SRC_NONE)
			continue;
		if (x->guard &&
		    (!have[x->guard - 1] ||
		     (w[x->guard - 1] & x->guard_mask) != x->guard_val))
			continue;
		if (!ot_field_value(x, a, r, &v))
			continue;
		switch (x->read) {
		case OT_RD_VALUE:
			break;
		case OT_RD_ISNULL:
			v = v == 0;
			break;
		case OT_RD_SAME:
			if (!have[x->aux])
				continue;
			v = w[x->aux] == v;
			break;
		case OT_RD_KSTR:
		case OT_RD_USTR:
			if (!v || (x->read == OT_RD_KSTR && !ot_valid(v)))
				continue;
			n = ot_copy_str(l, v, x->read == OT_RD_USTR);
			if (n < 0)
				continue;
			ot_put_bytes(l, key[i], l->str, n);
			w[i] = v;
			have[i] = true;
			continue;
		case OT_RD_COUNTED:
			if (!have[x->aux] || !ot_valid(v))
				continue;
			n = min_t(unsigned long, w[x->aux], OT_STR_MAX);
			if (n && copy_from_kernel_nofault(l->str, (const void *)v, n))
				continue;
			ot_put_bytes(l, key[i], l->str, n);
			w[i] = v;
			have[i] = true;
			continue;
		default:
			continue;
		}
		ot_put_value(l, key[i], x->put, v);
		w[i] = v;
		have[i] = true;
	}
}

/*
 * A recipe that could read out of bounds, or write a field it has no key for,
 * is refused before any probe exists.
 */
static bool ot_recipe_ok(const struct ot_rcp_field *f, const char *const *key)
{
	int i;

	for (i = 0; i < OT_RCP_FIELDS; i++) {
		const struct ot_rcp_field *x = &f[i];

		if (x->src == OT_SRC_NONE)
			continue;
		if (x->src > OT_SRC_RET || x->arg >= OT_RCP_ARGS ||
		    x->nsteps > OT_RCP_STEPS || x->str >= OT_RCP_STRS ||
		    (x->aux >= i &&
		     (x->read == OT_RD_SAME || x->read == OT_RD_COUNTED)) ||
		    x->guard > i || x->read > OT_RD_SAME ||
		    x->put > OT_PUT_HEX || !key[i])
			return false;
	}
	return true;
}

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
	ot_printf(l, OT_LINE_HEAD, func, kind, (unsigned int)current->tgid,
		  (unsigned int)current->pid);
	/* current->comm belongs to the running task: a plain copy is safe. */
	memcpy(l->str, current->comm, TASK_COMM_LEN);
	l->str[TASK_COMM_LEN - 1] = '\0';
	ot_put_bytes(l, "comm", l->str, strnlen(l->str, TASK_COMM_LEN));
	return l;
}

static int ot_entry(struct ot_slot *s, struct kretprobe_instance *ri,
		    struct pt_regs *regs)
{
	struct ot_call *c = (struct ot_call *)ri->data;
	unsigned long caller;
	struct ot_line *l;
	int i;

	if (!ot_wanted())
		return 1;	/* no return handler for this call */
	for (i = 0; i < OT_RCP_ARGS; i++)
		c->arg[i] = regs_get_kernel_argument(regs, i);
	/* Kprobe handlers run with preemption off and do not nest. */
	l = ot_line_begin(s->name, "entry");
	ot_fill(l, s->rcp.entry, s->key[0], c->arg, 0);
#ifdef CONFIG_ARM64
	/*
	 * BL leaves the return address in the link register; the kretprobe
	 * replaces it only after this handler returns.
	 */
	caller = procedure_link_pointer(regs);
	ot_put_ptr(l, "caller", caller);
#else
	/* At the function's first instruction the stack top is the return address. */
	if (ot_read(&caller, (const void *)kernel_stack_pointer(regs), sizeof(caller)))
		ot_put_ptr(l, "caller", caller);
#endif
	pr_info("%s\n", l->buf);
	return 0;
}
NOKPROBE_SYMBOL(ot_entry);

static int ot_return(struct ot_slot *s, struct kretprobe_instance *ri,
		     struct pt_regs *regs)
{
	struct ot_call *c = (struct ot_call *)ri->data;
	unsigned long ret = regs_return_value(regs);
	struct ot_line *l;

	l = ot_line_begin(s->name, "ret");
	ot_put_ptr(l, "ret", ret);
	ot_fill(l, s->rcp.ret, s->key[1], c->arg, ret);
	pr_info("%s\n", l->buf);
	return 0;
}
NOKPROBE_SYMBOL(ot_return);

/* A line probe: no arguments, no return, only who ran it and when. */
static int ot_line_hit(struct kprobe *kp, struct pt_regs *regs)
{
	struct ot_lpt *p = container_of(kp, struct ot_lpt, kp);
	struct ot_line *l;

	if (!ot_wanted())
		return 0;
	l = this_cpu_ptr(&ot_lines);
	l->len = 0;
	l->full = false;
	l->buf[0] = '\0';
	ot_printf(l, OT_LINE_TAG "line id=%u pid=%d tid=%d", p->id, current->tgid,
		  current->pid);
	memcpy(l->str, current->comm, TASK_COMM_LEN);
	l->str[TASK_COMM_LEN - 1] = '\0';
	ot_put_bytes(l, "comm", l->str, strnlen(l->str, TASK_COMM_LEN));
	/* The clock of bpf_ktime_get_ns(): safe in any context. */
	ot_printf(l, " ts=%llu", ktime_get_mono_fast_ns());
	pr_info("%s\n", l->buf);
	return 0;	/* 0: the probed instruction runs as usual */
}
NOKPROBE_SYMBOL(ot_line_hit);

/*
 * One pair of handlers per slot, so that a handler knows its slot without
 * asking the kretprobe instance (whose layout changed across kernels).
 */
#define OT_HANDLERS(n)							\
static int ot_entry_##n(struct kretprobe_instance *ri, struct pt_regs *regs) \
{									\
	return ot_entry(&ot_slots[n], ri, regs);			\
}									\
NOKPROBE_SYMBOL(ot_entry_##n);						\
static int ot_return_##n(struct kretprobe_instance *ri, struct pt_regs *regs) \
{									\
	return ot_return(&ot_slots[n], ri, regs);			\
}									\
NOKPROBE_SYMBOL(ot_return_##n);

OT_RCP_SLOT_LIST(OT_HANDLERS)

#define OT_HANDLER_PAIR(n) { ot_entry_##n, ot_return_##n },
static const struct {
	kretprobe_handler_t entry, ret;
} ot_handlers[] = { OT_RCP_SLOT_LIST(OT_HANDLER_PAIR) };
static_assert(ARRAY_SIZE(ot_handlers) == OT_RCP_SLOTS,
	      "OT_RCP_SLOT_LIST names OT_RCP_SLOTS slots");

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

/* One entry of probes=: NAME=SYMBOL or NAME=SYMBOL@HEXADDR. */
static int ot_parse_probe(struct ot_slot *s, const char *item, size_t n)
{
	const char *eq = memchr(item, '=', n);
	const char *at;
	size_t len;

	if (!eq || eq == item || (size_t)(eq - item) >= sizeof(s->name))
		return -EINVAL;
	memcpy(s->name, item, eq - item);
	s->name[eq - item] = '\0';
	len = n - (eq + 1 - item);
	at = memchr(eq + 1, '@', len);
	if (at) {
		char hex[24];
		size_t hl = n - (at + 1 - item);
		unsigned long addr;

		if (hl >= sizeof(hex))
			return -EINVAL;
		memcpy(hex, at + 1, hl);
		hex[hl] = '\0';
		if (kstrtoul(hex, 16, &addr))
			return -EINVAL;
		s->rp.kp.addr = (kprobe_opcode_t *)addr;
		len = at - (eq + 1);
	}
	if (!len || len >= sizeof(s->symbol))
		return -EINVAL;
	memcpy(s->symbol, eq + 1, len);
	s->symbol[len] = '\0';
	return 0;
}

static int ot_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* N bytes from 2N lowercase hex digits; -EINVAL on anything else. */
static int ot_unhex(u8 *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int hi = ot_hexval(src[2 * i]), lo = ot_hexval(src[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		dst[i] = hi << 4 | lo;
	}
	return 0;
}

/* A field's key: what the log parser reads as a key ([a-z0-9_], not empty). */
static bool ot_key_ok(const char *k)
{
	size_t n;

	for (n = 0; k[n]; n++)
		if (!((k[n] >= 'a' && k[n] <= 'z') ||
		      (k[n] >= '0' && k[n] <= '9') || k[n] == '_'))
			return false;
	return n && n < OT_KEY_MAX;
}

/* One item of keys=, cut in place: E0,E1,...|R0,R1,... (fields in order). */
static int ot_parse_keys(struct ot_slot *s, char *item)
{
	char *half[2];
	int h, i;

	half[0] = strsep(&item, "|");
	half[1] = item;
	if (!half[0] || !half[1])
		return -EINVAL;
	for (h = 0; h < 2; h++) {
		char *p = half[h];

		for (i = 0; p && *p; i++) {
			char *k = strsep(&p, ",");

			if (i == OT_RCP_FIELDS || !ot_key_ok(k))
				return -EINVAL;
			s->key[h][i] = k;
		}
	}
	return 0;
}

/* probes=, recipes= and keys= into ot_slots, checked. */
static int ot_parse_params(void)
{
	size_t want, i, n = 0;
	char *kp = keys;
	const char *p;

	for (p = probes; *p; p += strcspn(p, ","), p += *p == ',')
		n++;
	if (!n || n > OT_RCP_SLOTS)
		return -EINVAL;
	want = n * sizeof(struct ot_rcp_func);
	if (strlen(recipes) != 2 * want)
		return -EINVAL;
	ot_slots = kcalloc(n, sizeof(*ot_slots), GFP_KERNEL);
	if (!ot_slots)
		return -ENOMEM;
	for (i = 0, p = probes; i < n; i++) {
		struct ot_slot *s = &ot_slots[i];
		char *k = kp ? strsep(&kp, ";") : NULL;
		size_t len = strcspn(p, ",");

		if (ot_parse_probe(s, p, len) ||
		    ot_unhex((u8 *)&s->rcp,
			    recipes + 2 * i * sizeof(struct ot_rcp_func),
			    sizeof(struct ot_rcp_func)) ||
		    !k || ot_parse_keys(s, k) ||
		    !ot_recipe_ok(s->rcp.entry, s->key[0]) ||
		    !ot_recipe_ok(s->rcp.ret, s->key[1])) {
			kfree(ot_slots);
			ot_slots = NULL;
			return -EINVAL;
		}
		p += len + (p[len] == ',');
	}
	ot_nslots = n;
	return 0;
}

/* One item of lines=, cut out of the string: ID=SYM+OFF, ID=+OFF or ID@ADDR. */
static int ot_parse_line(struct ot_lpt *p, char *item, const char **sym)
{
	char *sep = strpbrk(item, "=@"), *plus;
	unsigned long v;

	if (!sep)
		return -EINVAL;
	if (*sep == '@') {
		*sep = '\0';
		if (kstrtouint(item, 10, &p->id) || kstrtoul(sep + 1, 16, &v) || !v)
			return -EINVAL;
		p->kp.addr = (kprobe_opcode_t *)v;
		return 0;
	}
	*sep = '\0';
	plus = strrchr(sep + 1, '+');
	if (kstrtouint(item, 10, &p->id) || !plus)
		return -EINVAL;
	*plus = '\0';
	if (plus > sep + 1)
		*sym = sep + 1;
	if (!*sym || strlen(*sym) >= KSYM_NAME_LEN ||
	    kstrtoul(plus + 1, 16, &v) || v > UINT_MAX)
		return -EINVAL;
	p->kp.symbol_name = *sym;
	p->kp.offset = v;
	return 0;
}

/* lines= into ot_lpts, checked; the string stays, as the symbols point into it. */
static int ot_parse_lines(void)
{
	const char *sym = NULL;
	char *p = lines, *item;
	size_t n = 0;
	int i = 0, err = -ENOMEM;

	if (!p || !*p)
		return 0;
	for (item = p, n = 1; (item = strchr(item, ',')); item++)
		n++;
	if (n > OT_MAX_LINES)
		return -EINVAL;
	ot_lpts = kvcalloc(n, sizeof(*ot_lpts), GFP_KERNEL);
	ot_lkps = kvcalloc(n, sizeof(*ot_lkps), GFP_KERNEL);
	if (!ot_lpts || !ot_lkps)
		goto bad;
	err = -EINVAL;
	while ((item = strsep(&p, ",")) != NULL) {
		if (i == (int)n || ot_parse_line(&ot_lpts[i], item, &sym))
			goto bad;
		ot_lpts[i].kp.pre_handler = ot_line_hit;
		i++;
	}
	ot_nlpts = i;
	return 0;
bad:
	kvfree(ot_lpts);
	kvfree(ot_lkps);
	ot_lpts = NULL;
	ot_lkps = NULL;
	return err;
}

/* Prints the refused line probes listed in BUF, as one load fact. */
static void ot_print_refused(char *buf, size_t *len)
{
	if (!*len)
		return;
	pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" lines_refused=\"%s\"\n",
		run_id, buf);
	*len = 0;
	buf[0] = '\0';
}

/*
 * Every line probe, before the function probes: the kernel runs the handlers
 * of one address newest first, so a function's entry record is printed before a
 * line probe on its first instruction. Refusals go out a few dozen a fact.
 */
static void ot_register_lines(void)
{
	char refused[OT_REFUSED_MAX + 32] = "";
	size_t len = 0;
	int i;

	for (i = 0; i < ot_nlpts; i++) {
		struct ot_lpt *p = &ot_lpts[i];
		int err = register_kprobe(&p->kp);

		if (!err) {
			ot_lkps[ot_nlkps++] = &p->kp;
			continue;
		}
		len += scnprintf(refused + len, sizeof(refused) - len, "%s%u:%d",
				 len ? "," : "", p->id, err);
		if (len >= OT_REFUSED_MAX)
			ot_print_refused(refused, &len);
	}
	ot_print_refused(refused, &len);
	if (ot_nlpts)
		pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" lines=%d lines_attached=%d\n",
			run_id, ot_nlpts, ot_nlkps);
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
	int active = maxactive, err;
	size_t attached = 0;
	int i;

	if (active <= 0)
		active = max_t(int, 64, 4 * num_possible_cpus());
	ot_parse_pids();
	err = ot_parse_params();
	if (!err) {
		err = ot_parse_lines();
		if (err) {
			kfree(ot_slots);
			ot_slots = NULL;
			ot_nslots = 0;
		}
	}
	pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" event=\"load\" targets=%d target_comm=\"%s\" maxactive=%d probes=%d lines=%d recipes=\"%s\"\n",
		run_id, ot_npids, target_comm, active, ot_nslots, ot_nlpts,
		err ? "refused: malformed" : "ok");
	if (err)
		return err;

	ot_register_lines();

	for (i = 0; i < ot_nslots; i++) {
		struct ot_slot *s = &ot_slots[i];

		if (!s->rp.kp.addr)
			s->rp.kp.symbol_name = s->symbol;
		s->rp.entry_handler = ot_handlers[i].entry;
		s->rp.handler = ot_handlers[i].ret;
		s->rp.data_size = sizeof(struct ot_call);
		s->rp.maxactive = active;
		s->err = register_kretprobe(&s->rp);
		if (s->err) {
			pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" probe=\"%s\" symbol=\"%s\" error=%d skipped=\"%s\"\n",
				run_id, s->name, s->symbol, s->err,
				ot_reg_reason(s->err));
			continue;
		}
		s->registered = true;
		attached++;
		pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" probe=\"%s\" symbol=\"%s\" kind=\"kretprobe\" attached=1\n",
			run_id, s->name, s->symbol);
	}
	pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" event=\"ready\" attached=%zu\n",
		run_id, attached);
	return 0;
}

static void __exit ot_exit(void)
{
	static struct kretprobe *regd[OT_RCP_SLOTS];
	unsigned long total = 0;
	int i, n = 0;

	for (i = 0; i < ot_nslots; i++)
		if (ot_slots[i].registered)
			regd[n++] = &ot_slots[i].rp;
	/* One batch: a single RCU grace period instead of one per probe. */
	if (n)
		unregister_kretprobes(regd, n);
	for (i = 0; i < ot_nslots; i++) {
		struct ot_slot *s = &ot_slots[i];
		unsigned long missed;

		if (!s->registered)
			continue;
		/* instances unavailable at entry + hits while a handler ran */
		missed = s->rp.nmissed + s->rp.kp.nmissed;
		total += missed;
		pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" probe=\"%s\" nmissed=%lu kind=\"kretprobe\"\n",
			run_id, s->name, missed);
	}
	kfree(ot_slots);
	if (ot_nlkps) {
		unsigned long missed = 0;

		unregister_kprobes(ot_lkps, ot_nlkps);
		/* hits while another probe's handler ran on that CPU */
		for (i = 0; i < ot_nlkps; i++)
			missed += ot_lkps[i]->nmissed;
		total += missed;
		pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" lines=%d lines_nmissed=%lu\n",
			run_id, ot_nlkps, missed);
	}
	kvfree(ot_lkps);
	kvfree(ot_lpts);
	pr_info(OT_LINE_TAG "kmod.fact run_id=\"%s\" event=\"unload\" nmissed=%lu\n",
		run_id, total);
}

module_init(ot_init);
module_exit(ot_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("opentrail: kretprobes that read what the loader's recipes say, as opentrail lines");
