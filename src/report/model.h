/* SPDX-License-Identifier: MIT */
/* The report model (see report.h): what the Markdown and JSON renderers share. */
#ifndef OT_REPORT_MODEL_H
#define OT_REPORT_MODEL_H

#include "report/pointers.h"
#include "report/report.h"
#include "report/runinfo.h"
#include "report/summary.h"

struct ot_scale;
struct ot_perfetto_spool;

/* The JSON report's "calls" of a trace built streamed: each operation written when it
 * completes into a spool file, copied in thread and root order at the end. */
struct ot_json_calls;
struct ot_json_calls *ot_json_calls_new(void); /* NULL: no spool file could be made */
void ot_json_calls_add_op(struct ot_json_calls *jc, const struct ot_trace *t,
			  const struct ot_call *root);
void ot_json_calls_free(struct ot_json_calls *jc);

struct ot_report_model {
	struct ot_run_info ri;
	struct ot_summary s;
	struct ot_pointers p;
	/* a trace built streamed keeps no operation: what the writers draw from them */
	struct ot_scale *scale;		    /* the Markdown's summaries at scale */
	struct ot_json_calls *calls;	    /* the JSON's calls */
	struct ot_perfetto_spool *perfetto; /* the timeline's events (report_perfetto.h) */
};

#endif
