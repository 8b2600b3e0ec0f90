/* SPDX-License-Identifier: MIT */
/* Reports: Markdown for people, JSON for machines; both from the same trace and claims. */
#ifndef OT_REPORT_H
#define OT_REPORT_H

#include <stdio.h>

#include "cases/catalogue.h"
#include "claims/result.h"
#include "trace/trace.h"

struct ot_report_input {
	const struct ot_log *log;
	const struct ot_trace *trace;
	const struct ot_case *kase; /* NULL: trace claim block only */
	const struct ot_claim_set *claims;
};

/* What both renderers read besides the input: counts, pointer chains, run facts.
 * Built once when a log gets both reports. */
struct ot_report_model;

struct ot_report_model *ot_report_model_build(const struct ot_report_input *in);
void ot_report_model_free(struct ot_report_model *m);

int ot_report_markdown_with(FILE *f, const struct ot_report_input *in,
			    const struct ot_report_model *m);
int ot_report_json_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m);

/* The model of a trace built streamed (trace.h), gathered while it is built:
 * begin registers on T, before its first record, what the reports in FMTS (bit 0 md,
 * bit 1 json, bit 2 perfetto) will need; every record read is then passed in log order; after
 * ot_trace_end, model gives the model (and frees the stream). NULL: out of memory, or
 * no spool file for the JSON's calls or the timeline's events (bit 2, perfetto). */
struct ot_report_stream;
struct ot_report_stream *ot_report_stream_begin(struct ot_trace *t, unsigned fmts);
int ot_report_stream_record(struct ot_report_stream *rs, const struct ot_record *r);
struct ot_report_model *ot_report_stream_model(struct ot_report_stream *rs,
					       const struct ot_report_input *in);
void ot_report_stream_free(struct ot_report_stream *rs);

/* When a log is read streamed, and what else then reads its trace. */
struct ot_read_plan {
	/* After a line: is it time to stream? (NULL: never) */
	bool (*stream_now)(const struct ot_log *log, void *arg);
	/* T is begun streamed, before its first record: register its other consumers
	 * (NULL: none). */
	void (*streaming)(struct ot_trace *t, void *arg);
	void *arg;
};

/* Reads the log at PATH ("-": stdin) into LOG and T. Whole, unless PLAN (NULL: none)
 * says, after a line, that it is time to stream: then T is built streamed from there
 * on (the records read so far go to it first) and *RS gathers the model of the
 * reports in FMTS. Returns 0 (T complete; *RS NULL when whole), or -1 with errno (the
 * file could not be read; LOG and T freed). */
int ot_report_read_log(const char *path, unsigned fmts, const struct ot_read_plan *plan,
		       struct ot_log *log, struct ot_trace *t, struct ot_report_stream **rs);

/* One report on its own (builds and frees the model). */
int ot_report_markdown(FILE *f, const struct ot_report_input *in);
int ot_report_json(FILE *f, const struct ot_report_input *in);

#endif
