/* SPDX-License-Identifier: MIT */
/* A probe backend: attaches to the live kernel, follows one process (and its
 * threads), and writes what it sees as lines of opentrail's format
 * (docs/line-format.md) to a log. The BPF backend and the kernel-module backend
 * both implement this; the runner and the analysis never know which one ran. */
#ifndef OT_BACKEND_H
#define OT_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

struct ot_lineplan;

struct ot_backend_opts {
	const char *const *funcs; /* functions to probe (probe spec names) */
	size_t nfuncs;
	pid_t target;	      /* tgid to follow (0: every process -- only for `trace -p`) */
	bool follow_children; /* and the processes it starts, theirs... (BPF backend) */
	bool verbose;	      /* print what calibration decided on stderr */
	FILE *log;	      /* where records go, one line each */
	/* In-kernel filters (BPF backend only; NULL/false: none). An operation is a
	 * call of a syscall-level role (the spec's user_call: do_sys_openat2, ...)
	 * with every call under it; while a filter is on, calls outside any operation
	 * are not recorded. */
	const char *path_glob; /* only operations whose path matches (src/probe/glob.h) */
	bool errors_only;      /* only operations whose root returns an error */
	/* Line probes (NULL: none): a plan placed on this kernel (src/probe/lineplace.h).
	 * The backend probes every placed point, sets the why of those the kernel
	 * refuses, and writes the plan's line.fact records after its run.fact; each hit
	 * is a line "OF.line pid= tid= comm= ts= id=ID". */
	struct ot_lineplan *lines;
	/* What the backend's hold() returned for the run (NULL: none): open() then switches
	 * on the held functions among FUNCS instead of loading its own, when they cover
	 * them. */
	void *held;
};

struct ot_backend_stats {
	unsigned long records; /* lines written */
	unsigned long lost;    /* records dropped (ring buffer full, kretprobe nmissed, ...) */
	/* Probe runs the kernel skipped (recursion_misses, a kprobe link's missed): calls
	 * of any process, made on a CPU where the probe was busy or with no kretprobe
	 * instance free, so some traced calls may be missing. */
	unsigned long missed;
	/* With a filter: operations it left out; operations kept whole because they
	 * outgrew the in-kernel buffer before their root returned (--errors-only); and
	 * operations kept because their path could not be read (--path). */
	unsigned long filtered_out;
	unsigned long filter_overflows;
	unsigned long filter_path_unread;
};

struct ot_backend {
	const char *name; /* "bpf", "kmod" */
	/* Check what the kernel allows, attach what can be attached. On failure returns -1 with a
	 * one-line reason in WHY naming what is missing (root, BTF, kprobes, ...). Writes a
	 * run.fact line with probes="..." (attached) and skipped="f:reason,..." to o->log. */
	int (*open)(const struct ot_backend_opts *o, void **state, char *why, size_t whysz);
	/* Move pending records to the log; wait at most TIMEOUT_MS. Returns records moved or -1. */
	int (*poll)(void *state, int timeout_ms);
	/* Stop recording, drain what is left, detach, free. */
	int (*close)(void *state, struct ot_backend_stats *stats);
	/* Optional (NULL: every open loads its own). For a run of many cases: load and
	 * attach o->funcs (the union of the cases' functions) once, for no process and
	 * recording nothing, into *HELD; each case's open (with o->held) then switches its
	 * own functions on for its process, and its close switches them off and detaches
	 * only the case's line probes. release() detaches and frees what hold() made.
	 * Everything a case's log says is as its own load would have said it. */
	int (*hold)(const struct ot_backend_opts *o, void **held, char *why, size_t whysz);
	void (*release)(void *held);
	/* Optional. Between two cases of a held run: the later cases' line sets are
	 * LATER[0..N) (each "f,g|h", NULL for none); the points of other functions may be
	 * detached now, in the background, until the next open(). */
	void (*retire)(void *held, const char *const *later, size_t n);
};

extern const struct ot_backend ot_backend_bpf;

/* For the backends' run.fact lists: append to the string in BUF (size SZ), truncating. */
void ot_appendf(char *buf, size_t sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* snprintf for explanations (why a field is absent, ...): cut when too long, as
 * nothing parses their end. */
void ot_setf(char *buf, size_t sz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
extern const struct ot_backend ot_backend_kmod;

#endif
