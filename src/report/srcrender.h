/* SPDX-License-Identifier: MIT */
/* The reports' source-level parts (src/srcmap/srcinfo.h has the facts): inlined
 * levels and call sites in the call tree, the reverse trace (from the failing return
 * back to the user's call, each step with file:line), source lines around its call
 * sites, and the JSON fields call_site, inlined and definition. */
#ifndef OT_REPORT_SRCRENDER_H
#define OT_REPORT_SRCRENDER_H

#include "report/jsonw.h"
#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

struct ot_term;

/* Prints C's inlined levels (outermost first) into the call tree below STEM and
 * returns the stem C itself is drawn with (C is then the last child); NULL when C has
 * none (draw it as usual). Caller frees. TM NULL: the Markdown's <pre> tree (HTML);
 * else a terminal's (termstyle.h). */
char *ot_src_tree_levels(FILE *f, const struct ot_trace *t, const struct ot_call *c,
			 const char *stem, bool last, const struct ot_term *tm);
/* Appends "at FILE:LINE" (C's call site) to C's line in the call tree (TM as above). */
void ot_src_tree_site(FILE *f, const struct ot_trace *t, const struct ot_call *c,
		      const struct ot_term *tm);

/* The Markdown sections "Reverse trace" and "Source at the call sites" (or one line
 * saying why there are no source lines). */
void ot_src_markdown(FILE *f, const struct ot_report_input *in);

/* Adds call_site, inlined and definition to call C's JSON object. */
void ot_src_json_call(struct ot_jw *w, const struct ot_trace *t, const struct ot_call *c);
/* Adds "source" (what was resolved) and "reverse_trace" to the report's root. */
void ot_src_json(struct ot_jw *w, const struct ot_report_input *in);

#endif
