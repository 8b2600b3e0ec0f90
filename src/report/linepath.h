/* SPDX-License-Identifier: MIT */
/* Why a call returned what it returned: the source lines that ran inside it (line
 * probes, docs/source-index.md "Line probes"), and, for every failing operation,
 * where its error was decided: the deepest traced call whose return first carries
 * the errno, and the last of its lines that ran. */
#ifndef OT_REPORT_LINEPATH_H
#define OT_REPORT_LINEPATH_H

#include <stdbool.h>
#include <stdio.h>

#include "report/jsonw.h"
#include "report/report.h"
#include "srcmap/srctext.h"
#include "trace/trace.h"

/* A line probe's point, as its line.fact describes it. */
struct ot_line_at {
	const char *file; /* NULL: the fact is malformed */
	unsigned line;
	const char *func;	/* the function the line is in (innermost of its chain) */
	const char *inlined_in; /* the chain beyond FUNC ("generic_permission"), or NULL */
	unsigned depth;		/* how many functions FUNC is inlined into */
	char buf[512];
};

/* Is NAME one of the comma-separated functions of a point's CHAIN? */
bool ot_chain_has(const char *chain, const char *name);

/* Point POINT (a line.fact record) read into AT; false when it is malformed. */
bool ot_line_at_of(const struct ot_record *point, struct ot_line_at *at);

struct ot_origin {
	const struct ot_call *call; /* where the error was decided (deepest traced) */
	int err;		    /* the errno */
	/* The line that decided it, among the lines that ran in CALL (a function's
	 * closing line, its epilogue, left out): the last one whose source names the
	 * errno (NAMES_ERRNO), else the last one. NULL: none of CALL's lines ran. */
	const struct ot_record *hit;
	const struct ot_record *point; /* HIT's line.fact, or NULL */
	bool names_errno;
};

/* The origin of ROOT's error (TEXT: the source, or NULL); false when ROOT did not
 * fail with an errno. */
bool ot_origin_of(const struct ot_trace *t, const struct ot_call *root, struct ot_srctext *text,
		  struct ot_origin *o);

/* How an origin's sentence is written: the Markdown's (code spans, line links), a
 * terminal's (plain, "L12"), or a terminal's without log lines (operations grouped). */
enum ot_origin_style { OT_ORIGIN_MD, OT_ORIGIN_TEXT, OT_ORIGIN_NO_LINES };

/* "EACCES was decided in generic_permission (L14); the last line that ran there naming
 * it: fs/namei.c:420: return -EACCES; (L12)", or why there is no line. */
void ot_origin_sentence(FILE *f, const struct ot_trace *t, const struct ot_origin *o,
			struct ot_srctext *text, enum ot_origin_style st);

/* One step of a call's lines: a run of consecutive hits of one source line. */
struct ot_line_step {
	const struct ot_record *first, *last;
	struct ot_line_at at;
	unsigned hits;
};
/* The next step of C's hits from *I on (start with 0); false at the end. Hits whose
 * point is unknown are skipped (a log cut before its line.fact). */
bool ot_line_step_next(const struct ot_trace *t, const struct ot_call *c, size_t *i,
		       struct ot_line_step *s);

/* JSON members of call C: "lines" (when it has line hits) and, for a failing root,
 * "origin". TEXT reads source lines (NULL: none). */
void ot_linepath_json_call(struct ot_jw *w, const struct ot_trace *t, const struct ot_call *c,
			   struct ot_srctext *text);

/* The Markdown section: each failing operation's origin, then the lines that ran in
 * each call that has line hits. Nothing when the log has neither line probes nor a
 * failing operation. */
void ot_linepath_markdown(FILE *f, const struct ot_report_input *in);

#endif
