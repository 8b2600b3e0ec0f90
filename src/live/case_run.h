/* SPDX-License-Identifier: MIT */
/* Running one case live: the trigger program with the gate protocol
 * (docs/trigger-protocol.md) under a probe backend, into one log. */
#ifndef OT_LIVE_CASE_RUN_H
#define OT_LIVE_CASE_RUN_H

#include <stdbool.h>

#include "cases/catalogue.h"
#include "probe/backend.h"

struct ot_run_opts {
	const struct ot_backend *backend;
	const struct ot_case *kase;
	const char *trigger;  /* path of the trigger program */
	const char *workdir;  /* passed as --workdir (NULL: the trigger's default) */
	const char *log_path; /* the log to write */
	bool verbose;
	const char *lines; /* --lines: functions whose lines to probe (NULL: the case's) */
	void *held;	   /* the backend's programs held for the run (backend.h hold), or NULL */
};

enum ot_run_status {
	OT_RUN_OK = 0,	   /* the log holds the run (the claims decide the verdict) */
	OT_RUN_FAILED = 1, /* the trigger failed during or after its operations */
	OT_RUN_CANNOT = 2, /* the backend cannot probe this kernel: WHY names what is missing */
	OT_RUN_NO_LOG = 3, /* nothing ran (trigger missing or failed before its start
			    * gate) or the log could not be written: no log, WHY says why */
	OT_RUN_INTERRUPTED = 4, /* SIGINT/SIGTERM: the log holds what was captured, marked so */
};

struct ot_run_result {
	unsigned long records;
	unsigned long lost;
	int trigger_status; /* waitpid status of the trigger, or -1 */
	char run_id[64];    /* written first into the log (run.fact run_id=...) */
	char why[512];
};

/* Runs the case's trigger under the backend and writes everything to the log
 * (atomically: a temporary file renamed into place at the end): an opening run.fact
 * with the run id, the backend's records, the trigger's user.fact lines, and a
 * closing run.fact (kernel, backend, case, lost). With OT_RUN_CANNOT or
 * OT_RUN_NO_LOG no log is written and an earlier one stays as it was. */
enum ot_run_status ot_run_case(const struct ot_run_opts *o, struct ot_run_result *r);

#endif
