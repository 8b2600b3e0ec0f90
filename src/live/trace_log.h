/* SPDX-License-Identifier: MIT */
/* The log of `opentrail trace`: DIR/trace.log, written beside its name and renamed
 * there once complete; without --out a temporary file that stays (its path is
 * said). Errors are said on stderr, once. */
#ifndef OT_LIVE_TRACE_LOG_H
#define OT_LIVE_TRACE_LOG_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "util/outfile.h"

/* Inside the lab the guest's results directory comes back to the host: the lab
 * sets these, and a log without --out goes there instead of $TMPDIR. */
#define OT_LAB_RESULTS_ENV	"OPENTRAIL_LAB_RESULTS"	     /* the directory in the guest */
#define OT_LAB_HOST_RESULTS_ENV "OPENTRAIL_LAB_HOST_RESULTS" /* where it lands on the host */

struct ot_trace_log {
	char path[PATH_MAX];
	char host_path[PATH_MAX]; /* in the lab: where the log will be on the host ("" if not) */
	struct ot_outfile of;
	FILE *f;
	bool atomic;
};

/* Opens the log in OUTDIR (made if missing), or when OUTDIR is NULL a new one in
 * the lab's results directory (inside the lab) or $TMPDIR. Returns 0 or -1. */
int ot_trace_log_open(struct ot_trace_log *l, const char *outdir);
/* Completes the log (renamed into place, or closed). Returns 0 or -1. */
int ot_trace_log_commit(struct ot_trace_log *l);
/* A trace that never ran leaves no log (an earlier DIR/trace.log stays). */
void ot_trace_log_abort(struct ot_trace_log *l);

#endif
