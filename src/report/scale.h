/* SPDX-License-Identifier: MIT */
/* Markdown that stays readable at scale: when a log holds more calls than a person
 * reads one by one, the report shows the distinct call shapes with their counts
 * (the odd ones in full), per-function latency, errors by function and errno, and
 * pointer chains grouped by the steps they take. The JSON and the raw log keep
 * every call. */
#ifndef OT_REPORT_SCALE_H
#define OT_REPORT_SCALE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/pointers.h"
#include "trace/trace.h"

/* Beyond this many calls the Markdown summarises instead of drawing every call. */
#define OT_MD_FULL_TREE_MAX_CALLS 1000

bool ot_md_summarises(const struct ot_trace *t);
/* Does the Markdown embed the raw log? Only when it draws every call and the log kept
 * every line's text (record.h: OT_LOG_KEEP_LINES_MAX); otherwise it names the log file
 * and its line numbers refer to that file. */
bool ot_md_embeds_raw_log(const struct ot_log *log, const struct ot_trace *t);
/* "## Call shapes", "## Latency", "## Errors" of the whole trace T: ANCHOR's calls are
 * numbered op#N. */
void ot_md_call_summary(FILE *f, const struct ot_trace *t, const char *anchor);

/* The same counted operation by operation (any order): DRAW_NOW when the trace will
 * not keep the operations (each shape's first is drawn when seen, while it may be one
 * of the odd ones; without op numbers). */
struct ot_scale;
struct ot_scale *ot_scale_new(bool draw_now);
void ot_scale_add_op(struct ot_scale *sc, const struct ot_trace *t, const struct ot_call *root);
void ot_scale_write(FILE *f, struct ot_scale *sc, const struct ot_trace *t, const char *anchor);
void ot_scale_free(struct ot_scale *sc);

/* What SC counted, for a renderer other than the Markdown's, in the Markdown's order
 * (sorted by the first call). */
struct ot_scale_shape {
	const char *text; /* "do_sys_openat2 → > 0 { do_filp_open → ok { ... } }" */
	size_t count;
	unsigned first_line;
	const struct ot_call *root; /* its first operation, when the trace keeps it */
	size_t first_size;	    /* that operation's calls */
};
struct ot_scale_error {
	const char *func;
	int err;
	size_t count;
	unsigned first_line;
};
/* Sorts SC as the Markdown shows it; returns the operations it counted. */
size_t ot_scale_sort(struct ot_scale *sc, size_t *nshapes, size_t *nerrors);
void ot_scale_shape_at(const struct ot_scale *sc, size_t i, struct ot_scale_shape *out);
void ot_scale_error_at(const struct ot_scale *sc, size_t i, struct ot_scale_error *out);
/* Each function's time from entry to return, in µs (nearest-rank percentiles), for
 * the functions with timed calls in order of their first: sorts SC and returns how
 * many functions (0: no call had both timestamps). */
struct ot_scale_latency {
	const char *func;
	size_t calls;
	double min, median, p99, max;
};
size_t ot_scale_latency_sort(struct ot_scale *sc);
void ot_scale_latency_at(const struct ot_scale *sc, size_t i, struct ot_scale_latency *out);
/* The pointer chains grouped by their steps (event:field sequence), with counts. */
void ot_md_chain_shapes(FILE *f, const struct ot_pointers *p);

#endif
