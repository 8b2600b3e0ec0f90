/* SPDX-License-Identifier: MIT */
/* What the running kernel lets the BPF backend do, measured at start (as
 * retsnoop's calibration does), and how each function can be probed. */
#ifndef OT_BPF_CALIBRATE_H
#define OT_BPF_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

struct ot_calib {
	bool privileged;    /* CAP_BPF+CAP_PERFMON or CAP_SYS_ADMIN */
	bool btf;	    /* /sys/kernel/btf/vmlinux */
	bool fentry;	    /* a trampoline program loads and attaches */
	bool fentry_off;    /* fentry not tried: OPENTRAIL_BPF_ATTACH=kprobe */
	int fentry_err;	    /* errno of the refusal when !fentry (0: not tried) */
	bool kprobes;	    /* the kprobe PMU (or legacy kprobe_events) exists */
	const char *symsrc; /* where function names were looked up */
	struct btf *vmlinux_btf;
};

enum ot_attach_mode {
	OT_ATTACH_SKIP,
	OT_ATTACH_FENTRY, /* fentry + fexit on the BTF name */
	OT_ATTACH_KPROBE, /* kprobe + kretprobe on the (possibly suffixed) symbol */
};

struct ot_func_plan {
	enum ot_attach_mode mode;
	char sym[128]; /* the symbol attached to (e.g. "link_path_walk.part.0.constprop.0") */
	char why[128]; /* why skipped, or why not fentry (for -v); never contains ',' */
};

/* Measures privileges, BTF, fentry and kprobes (OPENTRAIL_BPF_ATTACH=kprobe in the
 * environment makes fentry count as refused, to exercise the kprobe programs).
 * Fills WHY (naming what is missing) and returns -1 when the kernel allows no way
 * to probe a function at all. */
int ot_calibrate(struct ot_calib *c, char *why, size_t whysz);
void ot_calib_free(struct ot_calib *c);

/* Decides how to probe each of FUNCS[0..N) (the kernel's symbol table is read once). */
int ot_plan_funcs(struct ot_calib *c, const char *const *funcs, size_t n,
		  struct ot_func_plan *plans);

#endif
