/* SPDX-License-Identifier: MIT */
/* The trace as a timeline (--format perfetto): the JSON Trace Event Format that
 * Perfetto UI, chrome://tracing and Chrome DevTools load. A track per thread, a
 * complete ("X") slice per call named by its function, nested as the calls were, with
 * its arguments, decoded return, errno and source line as args; what the program saw
 * (user.fact) as an instant on its thread. docs/perfetto.md says what is drawn how. */
#ifndef OT_REPORT_PERFETTO_H
#define OT_REPORT_PERFETTO_H

#include <stdio.h>

#include "report/report.h"
#include "trace/trace.h"

/* The events of a trace built streamed: each operation written, when it completes,
 * into a spool file, copied into the report at the end (the events need no order). */
struct ot_perfetto_spool;
/* NULL: no spool file could be made. LOG: its first call record sets the clock. */
struct ot_perfetto_spool *ot_perfetto_spool_new(const struct ot_log *log);
void ot_perfetto_spool_add_op(struct ot_perfetto_spool *sp, const struct ot_trace *t,
			      const struct ot_call *root);
void ot_perfetto_spool_free(struct ot_perfetto_spool *sp);

/* The report: the events of M's spool when the trace was streamed, else of the whole
 * trace. 0, or -1 when a write failed. */
int ot_report_perfetto_with(FILE *f, const struct ot_report_input *in,
			    const struct ot_report_model *m);
int ot_report_perfetto(FILE *f, const struct ot_report_input *in);

#endif
