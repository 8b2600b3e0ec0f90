/* SPDX-License-Identifier: MIT */
/* Tracing any command (started stopped at a gate and released once the probes
 * are attached) or a running process, into one log: `opentrail trace`. */
#ifndef OT_LIVE_TRACE_RUN_H
#define OT_LIVE_TRACE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "live/spawn.h"
#include "probe/backend.h"

struct ot_trace_opts {
	const struct ot_backend *backend;
	const char *const *funcs;
	size_t nfuncs;
	char *const *cmd; /* the command to start, or NULL with PID */
	struct ot_run_as run_as; /* who CMD runs as (--user) */
	pid_t pid;	  /* the running process to follow (with no CMD) */
	bool follow_children;
	bool verbose;
	const char *path_glob; /* in-kernel filters (src/probe/backend.h) */
	bool errors_only;
	const char *const *lines; /* functions whose source lines to probe (--lines) */
	size_t nlines;
	FILE *log; /* the run's opening run.fact is already there */
};

enum ot_trace_end {
	OT_TRACE_ENDED,	      /* the command or the process exited */
	OT_TRACE_DETACHED,    /* -p: SIGINT/SIGTERM detached the probes (a whole trace) */
	OT_TRACE_INTERRUPTED, /* a started command cut short by SIGINT/SIGTERM */
};

struct ot_trace_result {
	enum ot_trace_end end;
	struct ot_backend_stats stats;
	int status;	   /* the command's wait status (-1: unknown) */
	bool cannot_probe; /* with -1: the backend cannot probe this kernel */
	char why[512];	   /* with -1: what stopped the trace; else a warning, or "" */
};

/* Starts the command (or follows PID), attaches the backend, releases the command
 * and moves records into O->log until the command ends, the process exits or a
 * signal arrives; then detaches and writes the closing run.fact. Returns 0 when
 * the log holds the trace, -1 when nothing was traced (WHY says why; the
 * command, if started, is gone). */
int ot_live_trace(const struct ot_trace_opts *o, struct ot_trace_result *r);

#endif
