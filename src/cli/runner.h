/* SPDX-License-Identifier: MIT */
/* Running one case live: the trigger program with the gate protocol
 * (docs/trigger-protocol.md) under a probe backend, into one log. */
#ifndef OT_RUNNER_H
#define OT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cases/catalogue.h"
#include "probe/backend.h"

struct ot_run_opts {
	const struct ot_backend *backend;
	const struct ot_case *kase;
	const char *trigger;  /* path of the trigger program */
	const char *workdir;  /* passed as --workdir (NULL: the trigger's default) */
	const char *log_path; /* the log to write */
	bool verbose;
};

enum ot_run_status {
	OT_RUN_OK = 0,	   /* the log holds the run (the claims decide the verdict) */
	OT_RUN_FAILED = 1, /* the trigger failed (setup, a gate, a timeout) */
	OT_RUN_CANNOT = 2, /* the backend cannot probe this kernel: WHY names what is missing */
};

struct ot_run_result {
	unsigned long records;
	unsigned long lost;
	int trigger_status; /* waitpid status of the trigger, or -1 */
	char why[512];
};

/* Runs the case's trigger under the backend and writes everything to the log:
 * the backend's records, the trigger's user.fact lines, and a closing run.fact
 * (kernel, backend, case, lost). */
enum ot_run_status ot_run_case(const struct ot_run_opts *o, struct ot_run_result *r);

/* Splits a comma-separated probe list into FUNCS (pointers into a copy that the
 * caller frees with free(*buf)). Returns the count, or -1. */
int ot_split_list(const char *list, char **buf, const char ***funcs);

/* The closing run.fact line: kernel (uname -r), backend, case (may be NULL), time,
 * records and lost. */
int ot_write_run_fact(FILE *log, const char *backend, const char *case_id, unsigned long records,
		      unsigned long lost);

#endif
