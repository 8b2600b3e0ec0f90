/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/* A recipe: how one function's record is filled, resolved at run time from the
 * probe spec (src/probe/spec.c) against the running kernel's BTF. Both backends
 * execute the same recipes -- the BPF programs read them from read-only data, the
 * kernel module from its `recipes` parameter -- so neither knows any function,
 * argument position or member offset of its own.
 *
 * Field i of a recipe fills slot i of the record (the spec's field i): a value is
 * taken from an argument or the return value, then followed through STEPS: every
 * step but the last reads a pointer at value + off[s]; the last one reads SIZE
 * bytes there (or, with ADDR, only computes the address). Shared by C userspace,
 * BPF C and kernel C: only __u8/__u16/__u32 types. */
#ifndef OT_PROBE_RECIPE_H
#define OT_PROBE_RECIPE_H

#ifndef __VMLINUX_H__ /* the BPF side has the kernel's types from vmlinux.h */
#include <linux/types.h>
#endif

#define OT_RCP_FIELDS	10 /* OT_MAX_FIELDS */
#define OT_RCP_STEPS	6
#define OT_RCP_ARGS	6  /* register arguments on x86-64 */
#define OT_RCP_STRS	2  /* string slots per record */
#define OT_RCP_STR_MAX	255 /* bytes of one string a record carries (NAME_MAX: a dentry
			     * name always fits); a longer one is cut there by both backends */
#define OT_RCP_MAGIC	0x6f74 /* "ot", first word of the module's parameter */

/* Slots: functions one run probes, each with its recipe (the BPF programs'
 * slots and the module's kretprobes), and the list the slot handlers of both
 * are generated from. */
#define OT_RCP_SLOTS	48
#define OT_RCP_SLOT_LIST(X)						\
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)	\
	X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21)	\
	X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31)	\
	X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) X(41)	\
	X(42) X(43) X(44) X(45) X(46) X(47)

enum ot_rcp_src {
	OT_SRC_NONE = 0, /* absent: the kernel has nothing at this path */
	OT_SRC_ARG = 1,	 /* argument number ARG */
	OT_SRC_RET = 2,	 /* the return value */
};

enum ot_rcp_read {
	OT_RD_VALUE = 0,   /* the value */
	OT_RD_KSTR = 1,	   /* NUL-terminated kernel string at the value */
	OT_RD_USTR = 2,	   /* NUL-terminated user string at the value */
	OT_RD_COUNTED = 3, /* field AUX's value bytes at the value */
	OT_RD_ISNULL = 4,  /* value == 0 */
	OT_RD_SAME = 5,	   /* value == field AUX's value */
};

struct ot_rcp_field {
	__u8 src;    /* enum ot_rcp_src */
	__u8 arg;    /* with OT_SRC_ARG: the argument's position */
	__u8 nsteps; /* 0: the argument or return value itself */
	__u8 read;   /* enum ot_rcp_read */
	__u8 size;   /* bytes of the last read (1, 2, 4, 8); with nsteps 0, of the argument */
	__u8 addr;   /* 1: the last step only adds its offset (an address, nothing read) */
	__u8 aux;    /* COUNTED: the length field; SAME: the field compared with */
	__u8 str;    /* string reads: the record's string slot */
	__u8 guard;  /* 0, or 1 + the field whose value must match GUARD_MASK/GUARD_VAL */
	__u8 put;    /* how the value is written (enum ot_line_put, record/lineformat.h):
		      * the module writes its records whole; the BPF side leaves it to
		      * the user side */
	__u8 pad[2];
	__u32 guard_mask;
	__u32 guard_val;
	__u16 off[OT_RCP_STEPS];
};

struct ot_rcp_func {
	__u8 nargs;    /* the prototype's parameter count (fexit finds the return value after them) */
	__u8 ret_void; /* the function returns nothing: there is no return value to read */
	__u8 args_used; /* bit i: some field reads argument i (fentry loads only those: older
			 * verifiers refuse a ctx read of, e.g., an int * argument) */
	__u8 ret_args;	/* bit i: some return field reads argument i (a kretprobe sees only
			 * the return register: the entry keeps those arguments for it) */
	__u8 pad[4];
	struct ot_rcp_field entry[OT_RCP_FIELDS];
	struct ot_rcp_field ret[OT_RCP_FIELDS];
};

#endif
