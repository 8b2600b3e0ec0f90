/* SPDX-License-Identifier: MIT */
/* The log of `opentrail trace`: DIR/trace.log, written beside its name and renamed
 * there once complete; without --out a temporary file that stays (its path is
 * said). Errors are said on stderr, once. */
#ifndef OT_LIVE_TRACE_LOG_H
#define OT_LIVE_TRACE_LOG_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "record/outfile.h"

struct ot_trace_log {
	char path[PATH_MAX];
	struct ot_outfile of;
	FILE *f;
	bool atomic;
};

/* Opens the log in OUTDIR (made if missing), or a temporary one when OUTDIR is
 * NULL. Returns 0 or -1. */
int ot_trace_log_open(struct ot_trace_log *l, const char *outdir);
/* Completes the log (renamed into place, or closed). Returns 0 or -1. */
int ot_trace_log_commit(struct ot_trace_log *l);
/* A trace that never ran leaves no log (an earlier DIR/trace.log stays). */
void ot_trace_log_abort(struct ot_trace_log *l);

#endif
