/* SPDX-License-Identifier: MIT */
/* What the running kernel lets the BPF backend do, measured at start (as
 * retsnoop's calibration does), and how each function can be probed. */
#ifndef OT_PROBE_CALIBRATE_H
#define OT_PROBE_CALIBRATE_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

struct ot_calib {
	bool privileged;    /* CAP_BPF+CAP_PERFMON or CAP_SYS_ADMIN */
	bool btf;	    /* /sys/kernel/btf/vmlinux */
	bool fentry;	    /* a trampoline program loads and attaches */
	bool fentry_off;    /* fentry not tried: OPENTRAIL_BPF_ATTACH=kprobe */
	bool fentry_forced; /* fentry even where preemptible: OPENTRAIL_BPF_ATTACH=fentry */
	int fentry_err;	    /* errno of the refusal when !fentry (0: not tried) */
	bool kprobes;	    /* the kprobe PMU (or legacy kprobe_events) exists */
	const char *symsrc; /* where function names were looked up */
	/* A BPF program can be preempted by another task on its CPU (preempt=full,
	 * lazy, PREEMPT_RT, or a model that could not be read): fentry/fexit then
	 * skip the calls other tasks make there meanwhile (counted as missed). */
	bool preemptible;
	char preempt_how[96]; /* what that was decided from, for -v */
	struct btf *vmlinux_btf;
};

/* Measures privileges, BTF, fentry and kprobes (OPENTRAIL_BPF_ATTACH=kprobe in the
 * environment makes fentry count as refused, to exercise the kprobe programs).
 * Fills WHY (naming what is missing) and returns -1 when the kernel allows no way
 * to probe a function at all. */
int ot_calibrate(struct ot_calib *c, char *why, size_t whysz);
void ot_calib_free(struct ot_calib *c);

/* Can a task running a BPF program be preempted by another on the same CPU (where
 * trampolines then skip calls, counted as missed: src/bpf/opentrail.c)? From
 * the kernel's version string (uname -v: PREEMPT_RT, PREEMPT, PREEMPT_DYNAMIC or
 * none), the current model of a dynamic kernel (debugfs sched/preempt, e.g.
 * "none (voluntary) full"; NULL when unreadable) and the command line's preempt=
 * (NULL: unreadable). Unknown counts as preemptible. HOW says what decided. */
bool ot_calib_preemptible(const char *uts_version, const char *sched_preempt, const char *cmdline,
			  char *how, size_t howsz);

#endif
