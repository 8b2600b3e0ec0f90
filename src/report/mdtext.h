/* SPDX-License-Identifier: MIT */
/* Writing text safely into Markdown: inside HTML blocks (<pre>) and table cells. */
#ifndef OT_REPORT_MDTEXT_H
#define OT_REPORT_MDTEXT_H

#include <stdbool.h>
#include <stdio.h>

/* The one HTML escaper: S with &, < and > escaped, and " too when QUOTES (text that
 * may stand in an attribute value; the site's pages). */
void ot_html_escape(FILE *f, const char *s, bool quotes);
/* S with &, < and > escaped, for text inside an HTML block. */
void ot_md_html(FILE *f, const char *s);
/* S for a table cell: '|' escaped, newlines flattened, HTML-significant '<' and '&' escaped. */
void ot_md_cell(FILE *f, const char *s);
/* S as a code span in a table cell (backticks chosen so S's own backticks survive). */
void ot_md_code_cell(FILE *f, const char *s);
/* A link to the raw log's anchor of LINE: "[L12](#L12)"; plain "L12" while line links
 * are off (a report that names its log file instead of embedding it). */
void ot_md_line_link(FILE *f, unsigned line);
/* The same inside an HTML block: <a href="#L12">L12</a>, or L12. */
void ot_md_line_link_html(FILE *f, unsigned line);
/* Whether line references link to an embedded raw log (on unless turned off; the
 * Markdown report sets it for its own duration). */
void ot_md_set_line_links(bool on);

#endif
