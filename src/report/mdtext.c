// SPDX-License-Identifier: MIT
/* Markdown escaping (see mdtext.h). */
#include "report/mdtext.h"

#include <string.h>

void ot_html_escape(FILE *f, const char *s, bool quotes)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs(quotes ? "&quot;" : "\"", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void ot_md_html(FILE *f, const char *s)
{
	ot_html_escape(f, s, false);
}

void ot_md_cell(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '|':
			fputs("\\|", f);
			break;
		case '\n':
		case '\r':
			fputc(' ', f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* Inside a code span entities are not decoded, so only '|' (which GitHub splits
 * table cells on even there) is escaped. */
void ot_md_code_cell(FILE *f, const char *s)
{
	const char *fence = strchr(s ? s : "", '`') ? "`` " : "`";

	fputs(fence, f);
	for (; s && *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', f);
		else
			fputc(*s, f);
	}
	fputs(fence[1] ? " ``" : "`", f);
}

/* One report is written at a time; the flag says whether its raw log is embedded. */
static bool line_links = true;

void ot_md_set_line_links(bool on)
{
	line_links = on;
}

void ot_md_line_link(FILE *f, unsigned line)
{
	if (line_links)
		fprintf(f, "[L%u](#L%u)", line, line);
	else
		fprintf(f, "L%u", line);
}

void ot_md_line_link_html(FILE *f, unsigned line)
{
	if (line_links)
		fprintf(f, "<a href=\"#L%u\">L%u</a>", line, line);
	else
		fprintf(f, "L%u", line);
}
