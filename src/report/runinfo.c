// SPDX-License-Identifier: MIT
/* Run information for the reports (see runinfo.h). */
#include "report/runinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *fact_or(const struct ot_trace *t, const char *key, const char *dflt)
{
	const char *v = ot_trace_run_fact(t, key);

	return v && *v ? v : dflt;
}

/* Without a time in the log the report is dated when it is written; SOURCE_DATE_EPOCH
 * (the reproducible-builds convention) pins that date so reports can be compared. */
static void analysis_time(char *out, size_t outsz)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, outsz, "unknown");
}

void ot_run_info_get(const struct ot_report_input *in, struct ot_run_info *ri)
{
	const struct ot_trace *t = in->trace;
	const char *time_fact = ot_trace_run_fact(t, "time");
	const char *lost = ot_trace_run_fact(t, "lost");

	memset(ri, 0, sizeof(*ri));
	ri->case_id = in->kase ? in->kase->id : ot_trace_run_fact(t, "case");
	ri->title = in->kase ? in->kase->title : "trace claim block only";
	ri->kernel = fact_or(t, "kernel", "unknown (offline log)");
	ri->interrupted = ot_trace_run_fact(t, "interrupted");
	ri->detached = ot_trace_run_fact(t, "detached");
	ri->filter_path = ot_trace_run_fact(t, "filter_path");
	ri->filter_errors_only = ot_trace_run_fact(t, "filter_errors_only") != NULL;
	ri->filtered_out = strtoull(fact_or(t, "filtered_out", "0"), NULL, 10);
	ri->filter_overflows = strtoull(fact_or(t, "filter_overflows", "0"), NULL, 10);
	ri->filter_path_unread = strtoull(fact_or(t, "filter_path_unread", "0"), NULL, 10);
	ri->backend = fact_or(t, "backend", "seed/unknown");
	if (time_fact && *time_fact) {
		snprintf(ri->time, sizeof(ri->time), "%s", time_fact);
		ri->time_from_log = true;
	} else {
		analysis_time(ri->time, sizeof(ri->time));
	}
	ri->lost = lost ? strtoull(lost, NULL, 10) : 0;
	ri->missed = strtoull(fact_or(t, "missed", "0"), NULL, 10);
	ri->verdict = in->claims ? in->claims->verdict : OT_CASE_INCOMPLETE;
}

bool ot_is_user_fact(const struct ot_record *r)
{
	return r->kind == OT_REC_FACT && r->func &&
	       (strcmp(r->func, "user.fact") == 0 || strcmp(r->func, "user") == 0);
}

bool ot_is_run_fact(const struct ot_record *r)
{
	return r->kind == OT_REC_FACT && r->func &&
	       (strcmp(r->func, "run.fact") == 0 || strcmp(r->func, "run") == 0);
}
