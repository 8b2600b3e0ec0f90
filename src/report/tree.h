/* SPDX-License-Identifier: MIT */
/* The call tree as people read it: per thread, pstree-style, each call with its
 * decoded arguments and return and the log lines it came from. */
#ifndef OT_REPORT_TREE_H
#define OT_REPORT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "trace/trace.h"

/* One call's text: do_filp_open(dfd=AT_FDCWD, name="/x") -> ERR_PTR(-ENOENT). The
 * function is named as this kernel names it (run.fact roles=: do_file_open on 7.2,
 * __arm64_sys_openat2 on arm64), not by its role in the spec. */
void ot_call_label(FILE *f, const struct ot_trace *t, const struct ot_call *c);

/* How a label is shortened to fit a terminal's line (the report files never are). */
struct ot_label_fit {
	size_t max_str;	    /* text longer than this many characters shortened (0: never) */
	size_t max_args;    /* arguments shown, the rest as "…" (SIZE_MAX: all) */
	bool hide_ptrs;	    /* addresses (not NULL, not ERR_PTR) left out, as "…" */
	bool text_args;	    /* only the arguments shown as text (names, paths) */
	bool no_ret_fields; /* the return's fields as {…} */
	const char *err_on, *err_off; /* around a failing return's value, or NULL */
};
/* The label shortened as FIT says (NULL: ot_call_label's). */
void ot_call_label_fit(FILE *f, const struct ot_trace *t, const struct ot_call *c,
		       const struct ot_label_fit *fit);
/* The roles this kernel calls otherwise, for the tree's legend: "; do_file_open is the
 * claims' do_filp_open" (with BT around names, "`" in Markdown); "" when none. */
void ot_tree_renamed(FILE *f, const struct ot_trace *t, const char *bt);
/* For every call (by its index in t->calls): its 1-based position among the calls of
 * ANCHOR in log order -- the claims' op#N -- or 0. Caller frees; NULL without an anchor
 * (or out of memory), which reads as "no op numbers". */
size_t *ot_op_numbers(const struct ot_trace *t, const char *anchor);
/* Every thread's tree as an HTML <pre> block whose line references link to the raw log.
 * Calls of ANCHOR (may be NULL) are labelled op#N, the numbering the claims use. */
void ot_tree_markdown(FILE *f, const struct ot_trace *t, const char *anchor);
/* One operation's tree (ROOT and its calls) as its own <pre> block; OPS as above (NULL:
 * the numbers the trace gave its anchor's calls, ot_call.op, as a streamed trace does). */
void ot_tree_markdown_one(FILE *f, const struct ot_trace *t, const struct ot_call *root,
			  const size_t *ops);

#endif
