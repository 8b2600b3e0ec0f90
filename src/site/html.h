/* SPDX-License-Identifier: MIT */
/* HTML output for the site: escaping, the shared page frame (inline style, a print
 * stylesheet, no scripts needed to read), and atomic files. */
#ifndef OT_SITE_HTML_H
#define OT_SITE_HTML_H

#include <stdio.h>

#include "util/outfile.h"

/* A page is an atomic output file (src/util/outfile.h) in a folder made for it. */
struct page {
	FILE *f; /* o.f, where the page is written */
	struct ot_outfile o;
};

/* Open OUT/REL for writing (a temp file beside it, renamed by page_close). */
int page_open(struct page *p, const char *out, const char *rel, char *err, size_t errsz);
int page_close(struct page *p, char *err, size_t errsz);

/* <!doctype>... <main>; ROOT is the relative path back to the site root ("" or "../"). */
void html_head(FILE *f, const char *title, const char *root);
void html_foot(FILE *f);
void html_text(FILE *f, const char *s); /* escaped */
/* A verdict as a word, marked for colour but readable without it. */
void html_verdict(FILE *f, const char *v);
/* A "name:reason,name:reason" (SEP ':') or "role=name,..." (SEP '=') list of run.fact as
 * "<code>name</code>: reason; ...". */
void html_fact_list(FILE *f, const char *list, char sep);
/* A sentence: `code` spans as <code>, "(L12)" and "at L12" as links to the raw log. */
void html_sentence(FILE *f, const char *s);
/* A file name safe for any file system. */
void site_slug(const char *s, char *out, size_t sz);

#endif
