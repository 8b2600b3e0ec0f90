/* SPDX-License-Identifier: MIT */
/* What the JSON report shares with the other JSON writers (the Trace Event Format's
 * args): a record's fields as an object, each shown as the JSON report shows it. */
#ifndef OT_REPORT_JSON_H
#define OT_REPORT_JSON_H

#include <stdbool.h>

#include "record/record.h"
#include "report/jsonw.h"

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

#endif
