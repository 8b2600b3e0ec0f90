/* SPDX-License-Identifier: MIT */
/* What the JSON report shares with the other JSON writers (the Trace Event Format's
 * args): a record's fields as an object, each shown as the JSON report shows it. */
#ifndef OT_REPORT_JSON_H
#define OT_REPORT_JSON_H

#include <stdbool.h>

#include "record/record.h"
#include "report/jsonw.h"
#include "srcmap/srctext.h"
#include "trace/trace.h"

/* The report's layout: the top object's keys and the members of its arrays and
 * objects each on a line of their own; each such member whole on its one line (a
 * call tree, a claim with its evidence, a pointer chain). Laid out level by level, the
 * indentation was half the bytes of a report of many calls (609 MB for a million log
 * lines; 287 MB like this). */
#define OT_JSON_REPORT_LINES 2

/* How fields are shown, remembered per function and key (NULL: looked up each time). */
struct ot_show_memo;
struct ot_show_memo *ot_show_memo_new(void); /* free() it; NULL: out of memory */

/* R's fields as an object (SKIP_RET: without "ret"): addresses and masks as "0x.."
 * strings, signed values as numbers, text as strings; a key given twice once. */
/* A call's "line_entry" and "line_ret" members: the log lines of its records (null
 * for a record it lacks); the JSON report and the Perfetto timeline both write them. */
void ot_json_call_log_lines(struct ot_jw *w, const struct ot_call *c);
void ot_json_fields_object(struct ot_jw *w, struct ot_show_memo *m, const struct ot_record *r,
			   bool skip_ret);
/* ROOT and its subtree as the report's "calls" hold it (without op numbers). */
void ot_json_call_tree(struct ot_jw *w, const struct ot_trace *t, struct ot_show_memo *memo,
		       struct ot_srctext *text, const struct ot_call *root);

/* The spooled calls (report/model.h) into the open "calls" array; -1 if the spool
 * could not be read back. */
struct ot_json_calls;
int ot_json_calls_copy(struct ot_jw *w, struct ot_json_calls *jc);

#endif
