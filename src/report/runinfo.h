/* SPDX-License-Identifier: MIT */
/* What both reports say about the run itself: case, kernel, backend, time, lost
 * records, and the facts the trigger recorded. */
#ifndef OT_REPORT_RUNINFO_H
#define OT_REPORT_RUNINFO_H

#include <stdbool.h>
#include <stddef.h>

#include "report/report.h"

struct ot_run_info {
	const char *case_id; /* NULL: no case */
	const char *title;
	const char *kernel;  /* "unknown (offline log)" without a run.fact */
	const char *backend; /* "seed/unknown" without a run.fact */
	char time[64];	     /* the run's time, else the analysis time (UTC) */
	bool time_from_log;
	unsigned long long lost;
	unsigned long long missed; /* probe runs the kernel skipped (run.fact missed=) */
	const char *interrupted; /* "SIGINT"/"SIGTERM" when a signal cut the run short, else NULL */
	const char *detached;	 /* "SIGINT"/"SIGTERM" when the user ended a trace -p, else NULL */
	enum ot_case_verdict verdict; /* incomplete without claims */
	/* In-kernel filters of a trace (run.fact filter_path=, filter_errors_only=1) */
	const char *filter_path; /* the glob, or NULL */
	bool filter_errors_only;
	unsigned long long filtered_out; /* operations the filters left out */
	unsigned long long filter_overflows, filter_path_unread; /* kept whole, see docs */
};

void ot_run_info_get(const struct ot_report_input *in, struct ot_run_info *ri);

bool ot_is_user_fact(const struct ot_record *r);
bool ot_is_run_fact(const struct ot_record *r);

#endif
