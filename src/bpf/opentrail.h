/* SPDX-License-Identifier: MIT */
/* The record layout shared by the BPF side (opentrail.bpf.c) and the user side
 * (opentrail.c): one stream of typed records through a BPF ring buffer. The BPF
 * side knows no kernel function: it has OT_RCP_SLOTS generic program slots, and
 * the user side gives each slot a function to attach to and a recipe
 * (src/probe/recipe.h) saying what to read, before load. */
#ifndef OT_BPF_OPENTRAIL_H
#define OT_BPF_OPENTRAIL_H

#include "probe/recipe.h" /* OT_RCP_SLOTS: as many functions as one run may probe */

/* Record types (one stream, like retsnoop's rec_type). */
enum ot_bpf_rec_type {
	OT_BPF_REC_ENTRY = 1, /* a function was entered */
	OT_BPF_REC_RET = 2,   /* a function returned (ret holds the raw return register) */
	OT_BPF_REC_LINE = 3,  /* a source line ran (struct ot_bpf_line_hit; slot: the point's id) */
};

#define OT_BPF_WORDS	 OT_RCP_FIELDS /* one word per spec field */
#define OT_BPF_STRS	 OT_RCP_STRS
#define OT_BPF_STR_MAX	 (OT_RCP_STR_MAX + 1) /* a string slot: the string and its NUL (a
					       * power of two: the programs mask with it) */
#define OT_BPF_COMM_LEN	 16
#define OT_BPF_FRAMES	 6 /* kernel stack frames kept at entry, to find the caller */
#define OT_BPF_MAX_DEPTH 8 /* nesting of one function on one thread (kretprobe pairing) */

#define OT_BPF_NEST	 4    /* records one task may build at once (interrupts nest) */
#define OT_BPF_TASKS	 1024 /* tasks with scratch copies; the rest build whole records */
#define OT_BPF_RINGBUF	 (32 * 1024 * 1024) /* default ring size (OPENTRAIL_BPF_RINGBUF) */

/* One record. Field i of the slot's recipe is w[i] when bit i of PRESENT is
 * set; a string field is instead string slot s[k] (k: the recipe's STR), of
 * length slen[k]. A field whose bit is clear could not be read (e.g. the
 * dentry of an ERR_PTR return) or is absent on this kernel.
 *
 * A record is built in its task's scratch copy and only its used length goes
 * into the ring: the header, and the string slots up to the last byte used
 * (slot 0 alone, or slot 0 whole and slot 1 up to its length), no NUL. */
struct ot_bpf_event {
	__u32 type; /* enum ot_bpf_rec_type */
	__u32 slot;
	__u32 pid; /* tgid */
	__u32 tid;
	__u64 ts; /* bpf_ktime_get_ns() */
	__u64 ret;
	__u32 present;
	__u16 slen[OT_BPF_STRS];
	__u32 nframes; /* entry: the kernel stack, innermost first: the function, then its caller */
	__u32 direct;  /* frames[0] is in the function, frames[1] the return address into its
			* caller, read from the fentry trampoline's frame or at the kprobe's
			* stack pointer rather than unwound */
	__u64 frames[OT_BPF_FRAMES];
	char comm[OT_BPF_COMM_LEN];
	__u64 w[OT_BPF_WORDS];
	char s[OT_BPF_STRS][OT_BPF_STR_MAX];
};

/* Line points one program set may hold (attach cookies below this): a run of many
 * cases keeps every point it attached, each case switching its own on. */
#define OT_BPF_LINE_IDS 8192

/* A line probe's hit: the header of a record and nothing else (the point's id in
 * SLOT; its file:line, function and address are the run's line.fact). */
struct ot_bpf_line_hit {
	__u32 type; /* OT_BPF_REC_LINE */
	__u32 slot; /* the point's id: the program's attach cookie */
	__u32 pid;
	__u32 tid;
	__u64 ts;
	char comm[OT_BPF_COMM_LEN];
};

/* The fixed part of a record, before the string slots. */
#define OT_BPF_HDR_LEN __builtin_offsetof(struct ot_bpf_event, s)

#endif
