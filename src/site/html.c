// SPDX-License-Identifier: MIT
#include "site/html.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int mkdirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0755);
		*p = '/';
		if (rc && errno != EEXIST)
			return -1;
	}
	return 0;
}

int page_open(struct page *p, const char *out, const char *rel, char *err, size_t errsz)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s", out, rel) >= (int)sizeof(path)) {
		snprintf(err, errsz, "cannot write %s/%s: path too long", out, rel);
		return -1;
	}
	if (mkdirs(path)) {
		snprintf(err, errsz, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	if (ot_outfile_open(&p->o, path, err, errsz))
		return -1;
	p->f = p->o.f;
	return 0;
}

int page_close(struct page *p, char *err, size_t errsz)
{
	return ot_outfile_commit(&p->o, err, errsz);
}

void page_abort(struct page *p)
{
	ot_outfile_abort(&p->o);
}

void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '&':
			fputs("&amp;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

void html_fact_list(FILE *f, const char *list, char sep)
{
	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ','), *mid = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char item[512];
		if (mid && mid > p + len)
			mid = NULL;
		snprintf(item, sizeof(item), "%.*s", (int)(mid ? (size_t)(mid - p) : len), p);
		fputs("<code>", f);
		html_text(f, item);
		fputs("</code>", f);
		if (mid) {
			snprintf(item, sizeof(item), "%.*s", (int)(len - (size_t)(mid - p) - 1),
				 mid + 1);
			fputs(sep == '=' ? " is <code>" : ": ", f);
			html_text(f, item);
			fputs(sep == '=' ? "</code>" : "", f);
		}
		p = end ? end + 1 : NULL;
		fputs(p ? "; " : "", f);
	}
}

void html_sentence(FILE *f, const char *s)
{
	bool in = false;

	for (; s && *s; s++) {
		if (*s == '`') {
			fputs(in ? "</code>" : "<code>", f);
			in = !in;
			continue;
		}
		/* L<digits> as a word of its own: a line of the raw log */
		if (!in && *s == 'L' && isdigit((unsigned char)s[1]) &&
		    (s[-1] == '(' || s[-1] == ' ' || s[-1] == ',')) {
			int n = atoi(s + 1), used = 1;
			while (isdigit((unsigned char)s[used]))
				used++;
			if (!isalnum((unsigned char)s[used])) {
				fprintf(f, "<a href=\"#L%d\">L%d</a>", n, n);
				s += used - 1;
				continue;
			}
		}
		char c[2] = {*s, 0};
		html_text(f, c);
	}
	if (in)
		fputs("</code>", f);
}

void html_verdict(FILE *f, const char *v)
{
	char cls[32];
	size_t i = 0;

	for (; v[i] && i < sizeof(cls) - 1; i++)
		cls[i] = isalnum((unsigned char)v[i]) ? v[i] : '-';
	cls[i] = '\0';
	fprintf(f, "<span class=\"v v-%s\">", cls);
	html_text(f, v);
	fputs("</span>", f);
}

void site_slug(const char *s, char *out, size_t sz)
{
	size_t i = 0;

	for (; *s && i + 1 < sz; s++)
		out[i++] =
		    isalnum((unsigned char)*s) || *s == '.' || *s == '-' || *s == '_' ? *s : '_';
	out[i] = '\0';
}

/* Verdicts are words first; colour and weight only repeat them. */
static const char style[] =
    "body{font-family:system-ui,sans-serif;line-height:1.45;margin:0;color:#111;background:#fff}"
    "header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}"
    "nav a{margin-right:1rem}"
    "table{border-collapse:collapse;margin:0.5rem 0}"
    "th,td{border:1px solid #888;padding:0.2rem 0.5rem;text-align:left;vertical-align:top}"
    "code,pre{font-family:ui-monospace,monospace;font-size:0.9em}"
    "pre{overflow-x:auto;background:#f4f4f4;padding:0.5rem}"
    ".v{font-weight:bold}.v-pass{color:#075e1f}.v-fail{color:#a00}"
    ".v-incomplete,.v-not-evidenced{color:#8a4b00}.v-skipped{color:#555}"
    ".claims li{margin-bottom:0.8rem}.claim-text{margin:0.1rem 0}"
    "details details{margin-left:1.2rem}summary{cursor:pointer}"
    ".graph svg{max-width:100%;height:auto}"
    ".differs{font-weight:bold}"
    ".moved{background:#fff4d6}.moved-note{margin-top:0.2rem}.note{color:#555}"
    ".runs{margin-top:0.2rem;font-size:0.9em}"
    "a:target,:target{outline:2px solid #06c}"
    "@media print{nav,.noprint{display:none}details>*{display:block}"
    "a{color:#000;text-decoration:none}pre{white-space:pre-wrap;background:none}"
    "body{font-size:10pt}h2{break-after:avoid}tr{break-inside:avoid}}";

void html_head(FILE *f, const char *title, const char *root)
{
	fputs("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	html_text(f, title);
	fprintf(f,
		"</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<nav "
		"aria-label=\"site\"><a href=\"%sindex.html\">All cases</a></nav>\n</header>\n"
		"<main>\n",
		style, root);
}

void html_foot(FILE *f)
{
	fputs("</main>\n<footer>\n<p>Generated by <code>opentrail site</code> from opentrail's "
	      "reports; every value comes from the raw log linked on each page.</p>\n</footer>\n"
	      "</body>\n</html>\n",
	      f);
}
