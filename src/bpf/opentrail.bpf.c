// SPDX-License-Identifier: MIT
/* The BPF side of opentrail: OT_RCP_SLOTS generic slots, each an fentry/fexit
 * pair and a kprobe/kretprobe pair. The user side (opentrail.c) gives a slot its
 * function (the attach target) and its recipe (src/probe/recipe.h, resolved from
 * the probe spec against this kernel's BTF) before load, and loads one pair per
 * slot, whichever the kernel allows; where attach cookies exist (5.15 on), one
 * kprobe/kretprobe pair serves every kprobe'd slot instead. Nothing here names a
 * kernel function, an argument position or a member offset: the recipes, read-only
 * at load, say it all (to a slot's own programs the verifier sees them as
 * constants; to the shared pair they are data, every index bounded). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "opentrail.h"
#include "arch.h"

#define MAX_ERRNO 4095

/* The process to follow (0: all), and which slots record: set by the user side
 * before load, or, for a program set held across the cases of a run, before each
 * case is armed (see armed below). */
__u32 targ_tgid = 0;
__u8 slot_on[OT_RCP_SLOTS] = {};
/* Follow the processes the target starts too (trace, like strace -f). */
const volatile __u32 follow_children = 0;
/* Record the caller's return address at entry (source-level call sites). */
const volatile __u32 want_frames = 1;
/* What each slot reads. */
const volatile struct ot_rcp_func recipes[OT_RCP_SLOTS] = {};
/* Each slot's function's text [lo, hi) (0: unknown), to check the return
 * address fentry_caller reads. */
const volatile __u64 func_lo[OT_RCP_SLOTS] = {};
const volatile __u64 func_hi[OT_RCP_SLOTS] = {};

/* Wake the reader only once this many bytes are pending (0: at every record).
 * A wakeup per record costs more than the record (the reader is scheduled for
 * each); the reader also looks on its own at every poll timeout, and drains the
 * ring when the run ends, so nothing waits for long or stays behind. */
const volatile __u64 wakeup_bytes = 0;

/* Build every record whole in the ring rather than in the task's scratch copy
 * (OPENTRAIL_BPF_RECORDS=ring: the path a record takes when no scratch copy is
 * free, tested on its own). */
const volatile __u32 ring_direct = 0;

/* Records the ring buffer had no room for; read by the user side at the end. */
__u64 lost = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, OT_BPF_RINGBUF); /* the user side may set another size */
} events SEC(".maps");

/* Records are built in a scratch copy and only their used length is copied into
 * the ring: most records hold one short name, a third of the 700 bytes of a whole
 * one. Where a program can be preempted the copy belongs to the task, not to the
 * CPU: a BPF program runs with migration disabled but, on a preemptible kernel
 * (preempt=full or lazy, PREEMPT_RT), an fentry program does not run with
 * preemption disabled, and a task preempted mid-record must find its copy as it
 * left it (elsewhere: cpu_scratch). On one task programs nest only through interrupts,
 * which return before the task goes on: a depth and OT_BPF_NEST copies suffice.
 * Keyed by the task_struct's address, which no other task can have before this
 * one is freed (when its entry is deleted, see on_task_free). */
struct task_scratch {
	__u32 depth; /* copies in use: the next free one */
	__u32 pad;
	struct ot_bpf_event ev[OT_BPF_NEST];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OT_BPF_TASKS);
	__type(key, __u64);
	__type(value, struct task_scratch);
} scratch SEC(".maps");

/* Where no program can be preempted (kprobes, whose handlers run with preemption
 * off; fentry on a kernel that does not preempt kernel code), the copies belong to
 * the CPU instead: an array lookup rather than a hash lookup per record, and
 * programs on one CPU nest only through interrupts, as on one task. Set by the
 * user side before load. */
const volatile __u32 cpu_scratch = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct task_scratch);
} scratch_cpu SEC(".maps");

/* Never written: what a task's scratch copies are made from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct task_scratch);
} scratch_zero SEC(".maps");

/* Records built whole in the ring because their task had no scratch copy (more
 * than OT_BPF_TASKS tasks recording, or ring_direct); read by the user side. */
__u64 whole_records = 0;

/* kretprobes see only the return register: the arguments a return's fields read
 * (the recipe's ret_args; none in today's spec) are kept at the entry, per
 * thread, slot and nesting depth, so that a return is paired with its own entry. */
struct call_key {
	__u32 tid;
	__u32 slot;
};

struct frame_key {
	__u32 tid;
	__u32 slot;
	__u32 depth;
	__u32 pad;
};

struct args {
	__u64 a[OT_RCP_ARGS];
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

/* Processes started by the target (and by those), when following children. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} followed SEC(".maps");

static __always_inline bool followed_tgid(__u32 tgid)
{
	return tgid == targ_tgid || (follow_children && bpf_map_lookup_elem(&followed, &tgid));
}

/* Set by the user side once every program is attached. Until then nothing is
 * recorded: functions are attached one after the other, and a call that ran
 * between its entry's attach and its return's would look like an entry that
 * never returned. With everything armed at once, a call is either seen whole or,
 * when it began before (trace -p of a running process), by its return alone. */
__u32 armed = 0;

/* ID: bpf_get_current_pid_tgid(), read once per program run. */
static __always_inline bool traced(__u64 id)
{
	if (!armed)
		return false;
	return !targ_tgid || followed_tgid((__u32)(id >> 32));
}

/* The same for a function's slot: switched on for this run or case. */
static __always_inline bool slot_traced(__u32 slot, __u64 id)
{
	return slot < OT_RCP_SLOTS && slot_on[slot] && traced(id);
}

/* A followed process forks: the child (a new thread group) is followed from its
 * first instruction on, exec included. Loaded only when following children. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = parent->tgid, ctgid = child->tgid;
	__u8 one = 1;

	if (ctgid != ptgid && followed_tgid(ptgid))
		bpf_map_update_elem(&followed, &ctgid, &one, BPF_ANY);
	return 0;
}

/* A task is freed: it runs no more, and its scratch copies go. Freed only after
 * its last context switch, so even what it records on its way out of do_exit
 * (closing its files) finds its copies. Loaded with the scratch copies. */
SEC("tp_btf/sched_process_free")
int BPF_PROG(on_task_free, struct task_struct *p)
{
	__u64 task = (__u64)p;

	bpf_map_delete_elem(&scratch, &task);
	return 0;
}

/* A pointer that can be dereferenced: not NULL and not an ERR_PTR. */
/* V, an index read from a recipe, made less than N (else 0) in one register, where
 * the verifier sees the bound: the compiler may otherwise test a copy and index
 * with the original. Needed where the slot, and so the recipe, is not a constant
 * (the shared kprobe programs). */
#define INDEX_BELOW(v, n) asm volatile("if %0 < %1 goto +1; %0 = 0" : "+r"(v) : "i"(n))

static __always_inline bool ptr_ok(__u64 p)
{
	return p && p < (__u64)-MAX_ERRNO;
}

static __always_inline int read_sized(__u64 *v, __u64 addr, __u8 size)
{
	__u32 v32 = 0;
	__u16 v16 = 0;
	__u8 v8 = 0;
	int err;

	switch (size) {
	case 1:
		err = bpf_probe_read_kernel(&v8, 1, (void *)addr);
		*v = v8;
		return err;
	case 2:
		err = bpf_probe_read_kernel(&v16, 2, (void *)addr);
		*v = v16;
		return err;
	case 4:
		err = bpf_probe_read_kernel(&v32, 4, (void *)addr);
		*v = v32;
		return err;
	default:
		return bpf_probe_read_kernel(v, 8, (void *)addr);
	}
}

/* The recipe's value of field F: the argument or return value followed through
 * its steps. False when a pointer on the way is NULL, an ERR_PTR or unreadable. */
static __always_inline bool field_value(const volatile struct ot_rcp_field *f, const __u64 *a,
					__u64 r, __u64 *out)
{
	__u8 size = f->size, nsteps = f->nsteps;
	__u64 v;

	if (f->src == OT_SRC_RET) {
		v = r;
	} else {
		__u64 arg = f->arg;

		if (arg >= OT_RCP_ARGS)
			return false;
		INDEX_BELOW(arg, OT_RCP_ARGS);
		v = a[arg];
	}
	if (!nsteps) {
		if (size < 8)
			v &= (1ULL << (size * 8)) - 1;
		*out = v;
		return true;
	}
#pragma unroll
	for (int s = 0; s < OT_RCP_STEPS; s++) {
		__u64 at;

		if (s >= nsteps)
			break;
		if (!ptr_ok(v))
			return false;
		at = v + f->off[s];
		if (s == nsteps - 1) {
			if (f->addr)
				v = at;
			else if (read_sized(&v, at, size))
				return false;
		} else if (bpf_probe_read_kernel(&v, 8, (void *)at)) {
			return false;
		}
	}
	*out = v;
	return true;
}

static __always_inline void put(struct ot_bpf_event *e, int i, __u64 v)
{
	e->w[i] = v;
	e->present |= 1u << i;
}

/* Fills the record's fields from the N recipe fields F (entry or return). */
static __noinline int fill(struct ot_bpf_event *e, const volatile struct ot_rcp_field *f,
			   const __u64 *a, __u64 r)
{
#pragma unroll
	for (int i = 0; i < OT_RCP_FIELDS; i++) {
		const volatile struct ot_rcp_field *x = &f[i];
		__u8 rd = x->read, guard = x->guard, aux = x->aux, k = x->str & 1;
		__u64 v = 0, ai = aux;
		long n;

		if (x->src == OT_SRC_NONE)
			continue;
		if (guard) {
			__u64 g = guard - 1;

			INDEX_BELOW(g, OT_RCP_FIELDS);
			if (guard > OT_RCP_FIELDS || !(e->present & (1u << g)) ||
			    (e->w[g] & x->guard_mask) != x->guard_val)
				continue;
		}
		if (!field_value(x, a, r, &v))
			continue;
		switch (rd) {
		case OT_RD_VALUE:
			put(e, i, v);
			break;
		case OT_RD_ISNULL:
			put(e, i, v == 0);
			break;
		case OT_RD_SAME:
			INDEX_BELOW(ai, OT_RCP_FIELDS);
			if (aux < OT_RCP_FIELDS && (e->present & (1u << ai)))
				put(e, i, e->w[ai] == v);
			break;
		case OT_RD_KSTR:
		case OT_RD_USTR:
			if (rd == OT_RD_KSTR && !ptr_ok(v))
				break;
			if (!v)
				break;
			if (rd == OT_RD_KSTR)
				n = bpf_probe_read_kernel_str(e->s[k], OT_BPF_STR_MAX, (void *)v);
			else
				n = bpf_probe_read_user_str(e->s[k], OT_BPF_STR_MAX, (void *)v);
			if (n > 0) {
				e->slen[k] = n - 1;
				put(e, i, v);
			}
			break;
		case OT_RD_COUNTED: {
			__u64 len;

			if (!ptr_ok(v) || aux >= OT_RCP_FIELDS || !(e->present & (1u << aux)))
				break;
			INDEX_BELOW(ai, OT_RCP_FIELDS);
			len = e->w[ai];
			if (len > OT_BPF_STR_MAX - 1)
				len = OT_BPF_STR_MAX - 1;
			len &= OT_BPF_STR_MAX - 1;
			if (bpf_probe_read_kernel(e->s[k], len, (void *)v))
				break;
			e->slen[k] = len;
			put(e, i, v);
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* The running task's scratch copies, made at its first record (or the CPU's, see
 * cpu_scratch). NULL when the map is full (the record is then built whole in the
 * ring). */
static __always_inline struct task_scratch *task_scratch(void)
{
	struct task_scratch *ts, *z;
	__u32 zero = 0;
	__u64 task;

	if (ring_direct)
		return NULL;
	if (cpu_scratch)
		return bpf_map_lookup_elem(&scratch_cpu, &zero);
	task = bpf_get_current_task();
	ts = bpf_map_lookup_elem(&scratch, &task);
	if (ts)
		return ts;
	z = bpf_map_lookup_elem(&scratch_zero, &zero);
	if (!z)
		return NULL;
	/* An interrupt may have made it in between: never replace one. */
	bpf_map_update_elem(&scratch, &task, z, BPF_NOEXIST);
	return bpf_map_lookup_elem(&scratch, &task);
}

/* Fills the header of a new record. */
static __always_inline void ev_header(struct ot_bpf_event *e, __u32 type, __u32 slot, __u64 id)
{
	e->type = type;
	e->slot = slot;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->ts = bpf_ktime_get_ns();
	e->ret = 0;
	e->present = 0;
	e->slen[0] = 0;
	e->slen[1] = 0;
	e->nframes = 0;
	e->direct = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
}

/* The next free scratch copy of TS for a record, its header filled; NULL when all
 * are in use (interrupts nested deeper than OT_BPF_NEST). ev_done(TS) follows. */
static __always_inline struct ot_bpf_event *ev_begin(struct task_scratch *ts, __u32 type,
						     __u32 slot, __u64 id)
{
	__u32 level = ts->depth;
	struct ot_bpf_event *e;

	if (level >= OT_BPF_NEST)
		return NULL;
	ts->depth = level + 1;
	e = &ts->ev[level];
	ev_header(e, type, slot, id);
	return e;
}

/* The record in TS's last copy is sent or dropped: the copy is free again. */
static __always_inline void ev_done(struct task_scratch *ts)
{
	__u32 level = ts->depth;

	if (level)
		ts->depth = level - 1;
}

/* A whole record reserved in the ring, its header filled: when the task has no
 * scratch copy. NULL (and counted as lost) when the ring has no room left.
 * ev_submit or ev_release with WHOLE follows a non-NULL return. */
static __always_inline struct ot_bpf_event *ev_begin_whole(__u32 type, __u32 slot, __u64 id)
{
	struct ot_bpf_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return NULL;
	}
	__sync_fetch_and_add(&whole_records, 1);
	ev_header(e, type, slot, id);
	return e;
}

/* Submit flags: wake the reader only when enough is pending. */
static __always_inline __u64 wakeup_flag(void)
{
	if (!wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes ? BPF_RB_FORCE_WAKEUP
									     : BPF_RB_NO_WAKEUP;
}

/* The target of the direct call that returns to RET, when it is SLOT's function
 * or the padding right before it (0 otherwise: another function, an indirect
 * call, a word that is no return address). The instruction's size and encoding
 * are the architecture's (arch.h). */
static __always_inline __u64 call_target(__u32 slot, __u64 ret)
{
	__u64 lo = func_lo[slot], target;
	__u8 call[OT_CALL_LEN] = {};

	if (!lo || bpf_probe_read_kernel(call, sizeof(call), (void *)(ret - OT_CALL_LEN)) ||
	    !OT_CALL_IS(call))
		return 0;
	target = OT_CALL_DEST(call, ret);
	return ot_call_reaches(target, lo) ? target : 0;
}

/* fentry: the caller without unwinding the stack (bpf_get_stack costs more than
 * the rest of the record). The trampoline saved the function's N argument
 * registers and a slot for its return value (an fexit is attached too) just
 * below its own frame; above come the saved rbp and the return addresses. Up to
 * 6.x the first is the one into the function (just past its patched call), the
 * next the one into the caller: taken when the first lies in the function. 7.x
 * leaves out the first: the word there is taken as the caller's when the five
 * bytes before it are a direct call to the function (or to the padding right
 * before it). Anything else is unwound as before. Only x86's trampoline is known
 * (OT_FENTRY_FRAME): elsewhere the caller is always unwound. */
static __always_inline bool fentry_caller(unsigned long long *ctx, __u32 slot,
					  struct ot_bpf_event *e)
{
	__u64 w[3] = {}, lo = func_lo[slot], hi = func_hi[slot], target;

	if (!OT_FENTRY_FRAME || !lo || bpf_probe_read_kernel(w, sizeof(w), (void *)(ctx + recipes[slot].nargs + 1)))
		return false;
	if (w[1] >= lo && w[1] < hi) {
		e->frames[0] = w[1];
		e->frames[1] = w[2];
	} else {
		target = call_target(slot, w[1]);
		if (!target)
			return false;
		e->frames[0] = target;
		e->frames[1] = w[1];
	}
	e->nframes = 2;
	e->direct = 1;
	return true;
}

/* kprobe: the probe is on the function's first instruction, so the return
 * address into the caller is where the call left it (arch.h: the word at the
 * stack pointer on x86, the link register on arm64) -- unless a kretprobe on
 * the function has already put its trampoline's address there (the
 * kretprobe is attached first, so that the entry's handler runs before its own:
 * the kernel runs the handlers of one address newest first). Taken when it
 * returns from a direct call to the function; anything else is unwound. */
static __always_inline bool kprobe_caller(struct pt_regs *ctx, __u32 slot, struct ot_bpf_event *e)
{
	__u64 ret = 0;

	if (OT_KPROBE_RET(ctx, &ret) || !call_target(slot, ret))
		return false;
	e->frames[0] = OT_KPROBE_IP(ctx);
	e->frames[1] = ret;
	e->nframes = 2;
	e->direct = 1;
	return true;
}

/* The used length of E: its header and its string slots as far as they are used. */
static __always_inline __u32 ev_len(const struct ot_bpf_event *e)
{
	__u32 s0 = e->slen[0], s1 = e->slen[1], len;

	if (s1)
		len = OT_BPF_HDR_LEN + OT_BPF_STR_MAX + (s1 < OT_BPF_STR_MAX ? s1 : OT_BPF_STR_MAX);
	else
		len = OT_BPF_HDR_LEN + (s0 < OT_BPF_STR_MAX ? s0 : OT_BPF_STR_MAX);
	return len > sizeof(*e) ? sizeof(*e) : len;
}

/* Copies the used part of E into the ring. */
static __always_inline void ev_output(const struct ot_bpf_event *e)
{
	if (bpf_ringbuf_output(&events, (void *)e, ev_len(e), wakeup_flag()))
		__sync_fetch_and_add(&lost, 1);
}

/* Drops E: a whole record's reservation is discarded (a scratch copy is freed
 * by ev_done). */
static __always_inline void ev_release(struct ot_bpf_event *e, bool whole)
{
	if (whole)
		bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
}

/* Sends E: its used part copied into the ring, or (WHOLE) its reservation
 * submitted. */
static __always_inline void ev_submit(struct ot_bpf_event *e, bool whole)
{
	if (whole)
		bpf_ringbuf_submit(e, wakeup_flag());
	else
		ev_output(e);
}

static __always_inline void frame_push(__u32 slot, const __u64 *a)
{
	struct call_key ck = {.tid = (__u32)bpf_get_current_pid_tgid(), .slot = slot};
	struct frame_key fk = {.tid = ck.tid, .slot = slot};
	__u32 *dp = bpf_map_lookup_elem(&depths, &ck);
	__u32 depth = dp ? *dp : 0;

	if (depth < OT_BPF_MAX_DEPTH) {
		fk.depth = depth;
		bpf_map_update_elem(&frames, &fk, a, BPF_ANY);
	}
	depth++;
	bpf_map_update_elem(&depths, &ck, &depth, BPF_ANY);
}

static __always_inline void frame_pop(__u32 slot, __u64 *a)
{
	struct call_key ck = {.tid = (__u32)bpf_get_current_pid_tgid(), .slot = slot};
	struct frame_key fk = {.tid = ck.tid, .slot = slot};
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
	for (int i = 0; i < OT_RCP_ARGS; i++)
		a[i] = saved->a[i];
	bpf_map_delete_elem(&frames, &fk);
}

/* ---- In-kernel filters (trace --path, --errors-only) ---------------------------
 * An operation is one call of a root slot (a syscall-level role, do_sys_openat2
 * for open) and every call under it on its thread. With a filter on, a record is
 * emitted only inside an operation that passes: --path decides at the root's
 * entry (its path against a glob), --errors-only at the root's return (did it
 * fail?), so until then the operation's records wait in a per-thread buffer in
 * the kernel. What a filter leaves out is counted, never silently lost: an
 * operation that outgrows its buffer is flushed and kept whole (counted), one
 * whose path cannot be read is kept (counted). Separate from the record path
 * above: the programs only call filter_entry/filter_return before a record and
 * filter_submit instead of bpf_ringbuf_submit. */

#define OT_FILTER_BUF	   64 /* records of one operation held until its root returns */
#define OT_FILTER_ROOT	   1  /* filter_root[slot]: a root returning a long (-errno) */
#define OT_FILTER_ROOT_INT 2  /* a root returning an int (-errno in 32 bits) */

const volatile __u32 filter_on = 0;
const volatile __u32 filter_errors_only = 0;
const volatile __u32 filter_path = 0;
const volatile __u8 filter_root[OT_RCP_SLOTS] = {};
/* 1 + the root's entry field that holds the path (0: it has none) */
const volatile __u8 filter_path_field[OT_RCP_SLOTS] = {};
/* The glob, compiled by src/probe/glob.c: bit j of glob_lit[c] says token j
 * matches byte c, bit j of glob_star that token j is `*`. */
const volatile __u64 glob_lit[256] = {};
const volatile __u64 glob_star = 0;
const volatile __u32 glob_ntok = 0;

/* Read by the user side at the end, for the closing run.fact. */
__u64 filtered_out = 0;
__u64 filter_overflows = 0;
__u64 filter_path_unread = 0;

struct op_state {
	__u32 depth; /* nested roots on this thread */
	__u32 n;     /* records in the thread's buffer */
	__u8 keep;   /* the operation's records are emitted (or buffered) */
	__u8 buffering;
	__u8 pad[6];
};

struct op_buf {
	struct ot_bpf_event ev[OT_FILTER_BUF];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct op_state);
} op_states SEC(".maps");

/* Buffers of the threads inside a kept operation (--errors-only). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct op_buf);
} op_bufs SEC(".maps");

/* Never written: what a new buffer is made from. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct op_buf);
} op_buf_zero SEC(".maps");

/* One pass over S with the glob's state (src/probe/glob.h): no backtracking. */
static __noinline int glob_run(const char *s)
{
	__u64 d = 1, star = glob_star;

	d |= (d & star) << 1;
	for (int i = 0; i < OT_BPF_STR_MAX; i++) {
		__u8 c = s[i];

		if (!c)
			break;
		d = ((d & glob_lit[c]) << 1) | (d & star);
		d |= (d & star) << 1;
		if (!d)
			return 0;
	}
	return (d >> (glob_ntok & 63)) & 1;
}

/* Does the root's path match? 1 yes, 0 no, -1 it could not be read. */
static __always_inline int path_matches(__u32 slot, const __u64 *a)
{
	/* On the stack: a per-CPU copy could be overwritten by a task that preempts
	 * this one (see scratch). */
	char s[OT_BPF_STR_MAX] = {};
	__u32 fi = filter_path_field[slot];
	const volatile struct ot_rcp_field *f;
	__u64 v;
	long n;

	if (!fi || fi > OT_RCP_FIELDS)
		return -1;
	f = &recipes[slot].entry[fi - 1];
	if (!field_value(f, a, 0, &v) || !v)
		return -1;
	if (f->read == OT_RD_USTR)
		n = bpf_probe_read_user_str(s, OT_BPF_STR_MAX, (void *)v);
	else
		n = bpf_probe_read_kernel_str(s, OT_BPF_STR_MAX, (void *)v);
	if (n <= 0 || n >= OT_BPF_STR_MAX) /* unreadable, or maybe cut */
		return -1;
	return glob_run(s);
}

/* Emits the N buffered records of BUF, in order. */
static __noinline int filter_flush(struct op_buf *buf, __u32 n)
{
	for (__u32 i = 0; i < OT_FILTER_BUF; i++) {
		if (i >= n)
			break;
		ev_output(&buf->ev[i]);
	}
	return 0;
}

/* A root is entered on a thread outside any operation: does the operation pass
 * so far, and (--errors-only) where do its records wait? */
static __noinline int filter_op_begin(__u32 slot, const __u64 *a, __u32 tid)
{
	struct op_state st = {.depth = 1, .keep = 1};
	__u32 zero = 0;

	if (filter_path) {
		int m = path_matches(slot, a);

		if (m < 0)
			__sync_fetch_and_add(&filter_path_unread, 1);
		else if (!m)
			st.keep = 0;
	}
	if (!st.keep) {
		__sync_fetch_and_add(&filtered_out, 1);
	} else if (filter_errors_only) {
		struct op_buf *z = bpf_map_lookup_elem(&op_buf_zero, &zero);

		if (z && !bpf_map_update_elem(&op_bufs, &tid, z, BPF_ANY))
			st.buffering = 1;
		else /* no buffer free: recorded whole, whatever it returns */
			__sync_fetch_and_add(&filter_overflows, 1);
	}
	if (bpf_map_update_elem(&op_states, &tid, &st, BPF_ANY)) {
		__sync_fetch_and_add(&lost, 1); /* cannot follow it: said, not hidden */
		return 0;
	}
	return st.keep;
}

/* Before an entry record: is it inside an operation that passes (so far)? */
static __always_inline bool filter_entry(__u32 slot, const __u64 *a)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct op_state *st = bpf_map_lookup_elem(&op_states, &tid);

	if (!filter_root[slot])
		return st && st->keep;
	if (st) {
		st->depth++;
		return st->keep;
	}
	return filter_op_begin(slot, a, tid);
}

/* The root returns R: --errors-only decides now; the operation ends. */
static __noinline int filter_op_end(__u32 slot, __u64 r, __u32 tid, struct op_state *st)
{
	__s64 ret = filter_root[slot] == OT_FILTER_ROOT_INT ? (__s64)(__s32)r : (__s64)r;
	bool failed = ret < 0 && ret >= -MAX_ERRNO;
	int keep = st->keep, buffering = st->buffering;
	__u32 n = st->n;

	if (keep && buffering) {
		struct op_buf *buf = bpf_map_lookup_elem(&op_bufs, &tid);

		if (failed && buf)
			filter_flush(buf, n);
		if (!failed) {
			keep = 0;
			__sync_fetch_and_add(&filtered_out, 1);
		}
		bpf_map_delete_elem(&op_bufs, &tid);
	}
	bpf_map_delete_elem(&op_states, &tid);
	return keep;
}

/* Before a return record: is it inside an operation that passes? */
static __always_inline bool filter_return(__u32 slot, __u64 r)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct op_state *st = bpf_map_lookup_elem(&op_states, &tid);

	if (!st)
		return false; /* outside any operation */
	if (!filter_root[slot])
		return st->keep;
	if (st->depth > 1) {
		st->depth--;
		return st->keep;
	}
	return filter_op_end(slot, r, tid, st);
}

/* A record is complete: to the ring buffer, or into the thread's buffer while its
 * operation waits for the root's return. A full buffer is flushed, and the rest of
 * the operation goes straight out. WHOLE: E was reserved whole in the ring. */
static __always_inline void filter_submit(struct ot_bpf_event *e, bool whole)
{
	__u32 tid;
	struct op_state *st;
	struct op_buf *buf;
	__u32 n;

	if (!filter_errors_only) {
		ev_submit(e, whole);
		return;
	}
	tid = (__u32)bpf_get_current_pid_tgid();
	st = bpf_map_lookup_elem(&op_states, &tid);
	buf = st && st->buffering ? bpf_map_lookup_elem(&op_bufs, &tid) : NULL;
	if (!st || !buf) {
		ev_submit(e, whole);
		return;
	}
	n = st->n;
	if (n >= OT_FILTER_BUF) {
		filter_flush(buf, n);
		st->buffering = 0;
		st->n = 0;
		__sync_fetch_and_add(&filter_overflows, 1);
		ev_submit(e, whole);
		return;
	}
	if (bpf_probe_read_kernel(&buf->ev[n & (OT_FILTER_BUF - 1)], sizeof(*e), e)) {
		ev_submit(e, whole);
		return;
	}
	st->n = n + 1;
	ev_release(e, whole);
}

/* Builds a record of TYPE with BUILD (statements on `e`) and sends it: in the
 * task's scratch copy, else whole in the ring. Both ways are spelled out so that
 * each knows at compile time which kind of memory `e` is. */
#define RECORD(type, BUILD)                                                                        \
	do {                                                                                       \
		struct task_scratch *ts = task_scratch();                                          \
		struct ot_bpf_event *e = ts ? ev_begin(ts, type, slot, id) : NULL;                 \
		if (e) {                                                                           \
			BUILD;                                                                     \
			filter_submit(e, false);                                                   \
			ev_done(ts);                                                               \
		} else {                                                                           \
			e = ev_begin_whole(type, slot, id);                                        \
			if (!e)                                                                    \
				return 0;                                                          \
			BUILD;                                                                     \
			filter_submit(e, true);                                                    \
		}                                                                                  \
	} while (0)

/* ctx[I] as one load at a constant offset: the verifier refuses a load through
 * a ctx pointer the compiler has moved (as it does to merge a switch's cases). */
#define CTX_LOAD(dst, ctx, i) asm volatile("%0 = *(u64 *)(%1 + %2)" : "=r"(dst) : "r"(ctx), "i"((i) * 8))

/* An fentry program's arguments: ctx[i] for the prototype's parameters only
 * (the verifier refuses a read past them; the recipe's NARGS is a constant). */
#define FENTRY_ARG(i)                                                                              \
	if (i < recipes[slot].nargs && (recipes[slot].args_used & (1u << i)))                      \
		CTX_LOAD(a[i], ctx, i);
/* fexit: the return value follows the parameters. */
#define FEXIT_RET(i)                                                                               \
	if (recipes[slot].nargs == i && !recipes[slot].ret_void)                                   \
		CTX_LOAD(r, ctx, i);

/* What an entry record holds past its header: the caller (fentry: read from the
 * trampoline's frame, else unwound), then the recipe's entry fields. */
#define FENTRY_BUILD                                                                               \
	if (want_frames && !fentry_caller(ctx, slot, e)) {                                         \
		long got = bpf_get_stack(ctx, e->frames, sizeof(e->frames), 0);                    \
		e->nframes = got > 0 ? (__u32)got >> 3 : 0;                                        \
	}                                                                                          \
	fill(e, recipes[slot].entry, a, 0)
/* kprobe: the caller read at the stack pointer where it can be checked, else
 * unwound. */
#define KPROBE_BUILD                                                                               \
	if (want_frames && !kprobe_caller(ctx, slot, e)) {                                         \
		long got = bpf_get_stack(ctx, e->frames, sizeof(e->frames), 0);                    \
		e->nframes = got > 0 ? (__u32)got >> 3 : 0;                                        \
	}                                                                                          \
	fill(e, recipes[slot].entry, a, 0)
#define RET_BUILD                                                                                  \
	e->ret = r;                                                                                \
	fill(e, recipes[slot].ret, a, r)

/* A kprobe's and a kretprobe's work for the function of SLOT. */
static __always_inline int kprobe_entry(struct pt_regs *ctx, __u32 slot)
{
	__u64 a[OT_RCP_ARGS] = OT_KPROBE_ARGS(ctx);
	__u64 id = bpf_get_current_pid_tgid();

	if (!slot_traced(slot, id))
		return 0;
	if (recipes[slot].ret_args)
		frame_push(slot, a);
	if (filter_on && !filter_entry(slot, a))
		return 0;
	RECORD(OT_BPF_REC_ENTRY, KPROBE_BUILD);
	return 0;
}

static __always_inline int kprobe_return(struct pt_regs *ctx, __u32 slot)
{
	__u64 a[OT_RCP_ARGS] = {}, r = OT_KPROBE_RC(ctx), id = bpf_get_current_pid_tgid();

	if (!slot_traced(slot, id))
		return 0;
	if (recipes[slot].ret_args)
		frame_pop(slot, a);
	if (filter_on && !filter_return(slot, r))
		return 0;
	RECORD(OT_BPF_REC_RET, RET_BUILD);
	return 0;
}

#define OT_BPF_PROGS(n)                                                                            \
	SEC("fentry")                                                                              \
	int fentry_##n(unsigned long long *ctx)                                                    \
	{                                                                                          \
		const __u32 slot = n;                                                              \
		__u64 a[OT_RCP_ARGS] = {}, id = bpf_get_current_pid_tgid();                        \
		if (!slot_traced(slot, id))                                                        \
			return 0;                                                                  \
		FENTRY_ARG(0) FENTRY_ARG(1) FENTRY_ARG(2) FENTRY_ARG(3) FENTRY_ARG(4)              \
		    FENTRY_ARG(5) if (filter_on && !filter_entry(slot, a)) return 0;               \
		RECORD(OT_BPF_REC_ENTRY, FENTRY_BUILD);                                            \
		return 0;                                                                          \
	}                                                                                          \
	SEC("fexit")                                                                               \
	int fexit_##n(unsigned long long *ctx)                                                     \
	{                                                                                          \
		const __u32 slot = n;                                                              \
		__u64 a[OT_RCP_ARGS] = {}, r = 0, id = bpf_get_current_pid_tgid();                 \
		if (!slot_traced(slot, id))                                                        \
			return 0;                                                                  \
		FENTRY_ARG(0) FENTRY_ARG(1) FENTRY_ARG(2) FENTRY_ARG(3) FENTRY_ARG(4)              \
		FENTRY_ARG(5) FEXIT_RET(0) FEXIT_RET(1) FEXIT_RET(2) FEXIT_RET(3) FEXIT_RET(4)     \
		FEXIT_RET(5) FEXIT_RET(6)                                                          \
		if (filter_on && !filter_return(slot, r))                                          \
			return 0;                                                                  \
		RECORD(OT_BPF_REC_RET, RET_BUILD);                                                 \
		return 0;                                                                          \
	}                                                                                          \
	SEC("kprobe")                                                                              \
	int kprobe_##n(struct pt_regs *ctx)                                                        \
	{                                                                                          \
		return kprobe_entry(ctx, n);                                                       \
	}                                                                                          \
	SEC("kretprobe")                                                                           \
	int kretprobe_##n(struct pt_regs *ctx)                                                     \
	{                                                                                          \
		return kprobe_return(ctx, n);                                                      \
	}

OT_RCP_SLOT_LIST(OT_BPF_PROGS)

/* One kprobe and one kretprobe program for every function: the attach cookie is
 * the function's slot (5.15 and later). A kprobe program is not bound to its
 * function when it is loaded, as an fentry program is, so these two, verified
 * once, replace a pair per function and the load's time with them. */
SEC("kprobe")
int kprobe_shared(struct pt_regs *ctx)
{
	__u64 slot = bpf_get_attach_cookie(ctx);

	if (slot >= OT_RCP_SLOTS)
		return 0;
	return kprobe_entry(ctx, (__u32)slot);
}

SEC("kretprobe")
int kretprobe_shared(struct pt_regs *ctx)
{
	__u64 slot = bpf_get_attach_cookie(ctx);

	if (slot >= OT_RCP_SLOTS)
		return 0;
	return kprobe_return(ctx, (__u32)slot);
}

/* Line probes (--lines): one program is attached at the address of every source
 * line to watch (a kprobe at FUNC+OFFSET), and tells the points apart by the
 * attach cookie, the point's id (line_hit: kernels 5.15 and later), or else by the
 * probed address (line_hit_addr: the user side fills line_ids). A hit is a header
 * alone: which line, which thread, when. Loaded only when lines are probed, and
 * never with a filter on (the user side refuses that pair). */
/* The point each attach cookie stands for in the run's plan, plus one (0: not this
 * case's: a point kept attached from an earlier case of the run). */
__u32 line_local[OT_BPF_LINE_IDS] = {};

/* Without attach cookies: the running address of each attached point -> its id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OT_BPF_LINE_IDS);
	__type(key, __u64);
	__type(value, __u32);
} line_ids SEC(".maps");

static __always_inline int line_record(__u64 id, __u64 cookie);

SEC("kprobe")
int line_hit(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (!traced(id))
		return 0;
	return line_record(id, bpf_get_attach_cookie(ctx));
}

SEC("kprobe")
int line_hit_addr(struct pt_regs *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), addr;
	__u32 *cookie;

	if (!traced(id))
		return 0;
	addr = OT_KPROBE_HIT_ADDR(ctx);
	cookie = bpf_map_lookup_elem(&line_ids, &addr);
	return cookie ? line_record(id, *cookie) : 0;
}

static __always_inline int line_record(__u64 id, __u64 cookie)
{
	struct ot_bpf_line_hit *e;
	__u32 local;

	if (cookie >= OT_BPF_LINE_IDS)
		return 0;
	local = line_local[cookie];
	if (!local)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
		return 0;
	}
	e->type = OT_BPF_REC_LINE;
	e->slot = local - 1;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, wakeup_flag());
	return 0;
}

/* GPL-compatible, as the kernel requires for the probe_read helpers. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";
