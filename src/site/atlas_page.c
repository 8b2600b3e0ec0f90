// SPDX-License-Identifier: MIT
/* The errno atlas: every case that provokes an errno, one row each, and for each
 * kernel where that error was decided (the failing operation's origin in the JSON
 * reports: function, file:line and source text where lines were probed) with each
 * backend's verdict. Where the deciding function or line changed from one kernel to
 * the next the cell says so; a kernel that cannot provoke the error says why. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cases/manerrors.h"
#include "claims/man_cases.h"
#include "site/html.h"
#include "site/model.h"

static const char *const backends[] = {"bpf", "kmod"};
#define NBACKENDS 2

struct row {
	const char *case_id;
	char err[64]; /* the errno the case is about */
};

/* The function a line was decided in, else the deepest traced call. */
static const char *where_fn(const struct site_origin *o)
{
	return o->func ? o->func : o->call ? o->call : "?";
}

static bool same_str(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

enum moved { SAME, MOVED_FUNC, MOVED_TEXT };

/* Did the error move between A and B? With lines on both sides: a different function
 * or a different source text (a line number alone shifts with every release); without
 * lines on one side only the deepest traced calls can be compared. */
static enum moved moved(const struct site_origin *a, const struct site_origin *b)
{
	if (!a->file || !b->file)
		return same_str(a->call, b->call) ? SAME : MOVED_FUNC;
	if (!same_str(a->func, b->func))
		return MOVED_FUNC;
	if (a->text && b->text && strcmp(a->text, b->text))
		return MOVED_TEXT;
	return SAME;
}

/* The reports of a case on a kernel, by backend (NULL: not run). */
static void reports_of(const struct site *s, const char *case_id, const char *kernel,
		       const struct site_report *out[NBACKENDS])
{
	for (int b = 0; b < NBACKENDS; b++)
		out[b] = site_find(s, case_id, kernel, backends[b]);
}

/* The origin a kernel's cell shows: one with a probed line if a backend has it (the
 * richer answer), else the first backend's; NULL when no run provoked it there. */
static const struct site_origin *cell_origin(const struct site_report *rs[NBACKENDS])
{
	const struct site_origin *best = NULL;

	for (int b = 0; b < NBACKENDS; b++) {
		const struct site_report *r = rs[b];
		if (!r || r->unsupported || !r->origin)
			continue;
		if (!best || (!best->file && r->origin->file))
			best = r->origin;
	}
	return best;
}

/* A case belongs in the atlas when its id says so (errno_*) or when the program of a
 * run saw the errno its failing operation's origin names. */
static bool in_atlas(const struct site *s, const char *case_id)
{
	if (!strncmp(case_id, "errno_", 6))
		return true;
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->r[i].case_id, case_id) && s->r[i].user_saw)
			return true;
	return false;
}

/* The errno a row is about: the one its programs saw, on the oldest kernel first; else
 * any origin's; else the case id's ("errno_eagain_..." is EAGAIN). */
static void row_errno(const struct site *s, struct row *row)
{
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < s->nkernels; k++)
			for (int b = 0; b < NBACKENDS; b++) {
				const struct site_report *r =
				    site_find(s, row->case_id, s->kernels[k], backends[b]);
				if (r && r->origin && !r->unsupported && (pass || r->user_saw)) {
					snprintf(row->err, sizeof(row->err), "%s", r->origin->err);
					return;
				}
			}
	size_t i = 0;
	if (!strncmp(row->case_id, "errno_", 6))
		for (const char *p = row->case_id + 6; *p && *p != '_' && i + 1 < sizeof(row->err);
		     p++)
			row->err[i++] = (char)toupper((unsigned char)*p);
	row->err[i] = '\0';
}

static int cmp_row(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = strcmp(x->err, y->err);

	return c ? c : strcmp(x->case_id, y->case_id);
}

static void code(FILE *f, const char *s)
{
	fputs("<code>", f);
	html_text(f, s);
	fputs("</code>", f);
}

/* Is NAME one of the comma-separated functions of CHAIN? */
static bool in_chain(const char *chain, const char *name)
{
	size_t n = strlen(name);

	for (const char *c = chain; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)
		if (!strncmp(c, name, n) && (c[n] == ',' || !c[n]))
			return true;
	return false;
}

/* "link_path_walk (inlined in path_openat)" and, when the line is known, its file:line
 * and text. */
void site_html_origin(FILE *f, const struct site_origin *o)
{
	code(f, where_fn(o));
	if (o->inlined_in) {
		fputs(" (inlined in ", f);
		for (const char *p = o->inlined_in; p && *p;) {
			const char *end = strchr(p, ',');
			char fn[256];
			snprintf(fn, sizeof(fn), "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)),
				 p);
			code(f, fn);
			p = end ? end + 1 : NULL;
			fputs(p ? ", " : "", f);
		}
		fputs(")", f);
	}
	if (o->func && o->call && strcmp(o->func, o->call) &&
	    !(o->inlined_in && in_chain(o->inlined_in, o->call))) {
		fputs(", returned by ", f);
		code(f, o->call);
	}
	if (!o->file) {
		fputs(" <span class=\"note\">(function only: no line probes)</span>", f);
		return;
	}
	fputs("<br><code>", f);
	html_text(f, o->file);
	fprintf(f, ":%d</code>", o->line);
	if (o->text) {
		fputs(": ", f);
		code(f, o->text);
	}
}

static void write_verdicts(FILE *f, const struct site_report *rs[NBACKENDS])
{
	bool any = false;

	fputs("<div class=\"runs\">", f);
	for (int b = 0; b < NBACKENDS; b++) {
		if (!rs[b])
			continue;
		fputs(any ? " · " : "", f);
		any = true;
		fprintf(f, "<a href=\"%s\">%s: ", rs[b]->page, backends[b]);
		html_verdict(f, rs[b]->verdict);
		fputs("</a>", f);
	}
	fputs("</div>", f);
}

static void write_cell(FILE *f, const struct site *s, const struct row *row, size_t k,
		       const struct site_origin *prev, size_t prev_k)
{
	const struct site_report *rs[NBACKENDS];
	const struct site_origin *o;

	reports_of(s, row->case_id, s->kernels[k], rs);
	if (!rs[0] && !rs[1]) {
		fputs("<td>not run</td>", f);
		return;
	}
	o = cell_origin(rs);
	enum moved m = o && prev ? moved(prev, o) : SAME;
	fprintf(f, "<td%s>", m != SAME ? " class=\"moved\"" : "");
	if (!o) {
		const char *why = NULL;
		for (int b = 0; b < NBACKENDS && !why; b++)
			why = rs[b] ? rs[b]->unsupported : NULL;
		if (why) {
			fputs("<div class=\"unsupported\"><strong>cannot be provoked on this "
			      "kernel</strong>: ",
			      f);
			html_text(f, why);
			fputs(" (its claims are skipped)</div>", f);
		} else {
			fputs("<div>no failing operation in the log</div>", f);
		}
		write_verdicts(f, rs);
		fputs("</td>", f);
		return;
	}
	fputs("<div class=\"origin\">", f);
	if (strcmp(o->err, row->err)) {
		fputs("<strong>", f);
		html_text(f, o->err);
		fputs("</strong> here, decided in ", f);
	}
	site_html_origin(f, o);
	fputs("</div>", f);
	/* The other backend, where it found another place. */
	for (int b = 0; b < NBACKENDS; b++) {
		const struct site_origin *ob = rs[b] && !rs[b]->unsupported ? rs[b]->origin : NULL;
		if (ob && ob != o && (!same_str(ob->err, o->err) || !same_str(ob->call, o->call))) {
			fprintf(f, "<div class=\"differs\">%s: ", backends[b]);
			html_text(f, ob->err);
			fputs(" in ", f);
			code(f, ob->call);
			fputs("</div>", f);
		}
	}
	if (m != SAME) {
		fputs("<div class=\"moved-note\"><strong>moved</strong> since ", f);
		html_text(f, s->kernels[prev_k]);
		if (m == MOVED_FUNC) {
			fputs(": was ", f);
			code(f, where_fn(prev));
		} else {
			fputs(": the line there was ", f);
			code(f, prev->text);
		}
		fputs("</div>", f);
	}
	write_verdicts(f, rs);
	fputs("</td>", f);
}

/* Each place in kernel order with the kernels it holds on: "getname (5.10, 6.1) →
 * getname_flags (7.2)", a place named by its richest origin (one with a line). */
/* ARCH's places, after LABEL (NULL: none; LABEL_BEFORE: a path was written before);
 * false when no kernel of ARCH provoked it (nothing written). */
static bool write_path_of(FILE *f, const struct site *s, const struct row *row, const char *arch,
			  const char *label, bool label_before)
{
	struct {
		const struct site_origin *o;
		enum moved how; /* how it differs from the place before */
		size_t k[64], nk;
	} seg[16];
	size_t nseg = 0;

	for (size_t k = 0; k < s->nkernels; k++) {
		const struct site_report *rs[NBACKENDS];
		if (strcmp(site_arch_of(s->kernels[k]), arch))
			continue;
		reports_of(s, row->case_id, s->kernels[k], rs);
		const struct site_origin *o = cell_origin(rs);
		if (!o)
			continue;
		enum moved m = nseg ? moved(seg[nseg - 1].o, o) : SAME;
		if (!nseg || (m != SAME && nseg < 16)) {
			seg[nseg].o = o;
			seg[nseg].how = m;
			seg[nseg++].nk = 0;
		} else if (!seg[nseg - 1].o->file && o->file) {
			seg[nseg - 1].o = o;
		}
		if (seg[nseg - 1].nk < 64)
			seg[nseg - 1].k[seg[nseg - 1].nk++] = k;
	}
	if (!nseg)
		return false;
	if (label)
		fprintf(f, "%s%s: ", label_before ? "<br>" : "", label);
	for (size_t i = 0; i < nseg; i++) {
		fputs(i ? " → " : "", f);
		code(f, where_fn(seg[i].o));
		if ((seg[i].how == MOVED_TEXT || (i + 1 < nseg && seg[i + 1].how == MOVED_TEXT)) &&
		    seg[i].o->text) {
			fputs(" ", f);
			code(f, seg[i].o->text);
		}
		fputs(" (", f);
		for (size_t j = 0; j < seg[i].nk; j++) {
			fputs(j ? ", " : "", f);
			html_text(f, s->kernels[seg[i].k[j]]);
		}
		fputs(")", f);
	}
	if (nseg == 1)
		fputs(": the same place on every kernel that provoked it", f);
	return true;
}

/* The places, architecture by architecture: an error moves between the releases of
 * one architecture; two architectures' places are side by side, not a move. */
static void write_path(FILE *f, const struct site *s, const struct row *row)
{
	bool any = false;

	for (size_t a = 0; a < s->narches; a++)
		any |= write_path_of(f, s, row, s->arches[a],
				     s->narches > 1 ? site_arch_label(s->arches[a]) : NULL, any);
	if (!any)
		fputs("provoked on no kernel", f);
}

static void write_unprovokable(FILE *f, const struct site *s, const struct row *rows, size_t nrows)
{
	bool any = false;

	fputs("<section id=\"unprovokable\">\n<h2>Not provokable, and why</h2>\n", f);
	for (size_t i = 0; i < nrows; i++)
		for (size_t k = 0; k < s->nkernels; k++)
			for (int b = 0; b < NBACKENDS; b++) {
				const struct site_report *r =
				    site_find(s, rows[i].case_id, s->kernels[k], backends[b]);
				if (!r || !r->unsupported)
					continue;
				fputs(any ? "" : "<ul>\n", f);
				any = true;
				fputs("<li>", f);
				code(f, rows[i].case_id);
				fputs(" (", f);
				html_text(f, rows[i].err);
				fputs(") on ", f);
				html_text(f, s->kernels[k]);
				fprintf(f, ", %s: ", backends[b]);
				html_text(f, r->unsupported);
				fputs("</li>\n", f);
			}
	fputs(any ? "</ul>\n" : "<p>Every kernel provoked every error it was asked for.</p>\n", f);
	fputs("</section>\n", f);
}

static bool row_of(const struct row *rows, size_t nrows, const char *case_id)
{
	for (size_t i = 0; i < nrows; i++)
		if (!strcmp(rows[i].case_id, case_id))
			return true;
	return false;
}

/* Every error the man pages give (cases/manerrors.h): the cases that provoke it, or
 * what a case needs, or why none can on these kernels. */
static void write_man_errors(FILE *f, const struct row *rows, size_t nrows)
{
	fputs("<section id=\"man-errors\">\n<h2>Every error of the man pages</h2>\n<p>The "
	      "errors open(2), openat2(2) and socket(2) list, each with the catalogue's cases "
	      "whose program sees it (a link goes to its row above when these reports have "
	      "it), or what a case would need, or why none can be provoked on Debian's "
	      "kernels.</p>\n<table>\n<thead>\n<tr><th scope=\"col\">errno</th><th "
	      "scope=\"col\">calls</th><th scope=\"col\">when (the man page)</th><th "
	      "scope=\"col\">provoked by</th></tr>\n</thead>\n<tbody>\n",
	      f);
	for (size_t i = 0; i < ot_man_error_count(); i++) {
		const struct ot_man_error *e = ot_man_error_at(i);
		const struct ot_case *cases[8];
		size_t n = ot_man_error_cases(e->err, e->family, cases, 8);

		fputs("<tr><th scope=\"row\">", f);
		html_text(f, e->err);
		fputs("</th><td>", f);
		html_text(f, e->calls);
		fputs("</td><td>", f);
		html_text(f, e->when);
		fputs("</td><td>", f);
		if (e->status == OT_MAN_CANNOT) {
			fputs("<strong>cannot be provoked</strong>: ", f);
			html_text(f, e->note);
		} else if (!n) {
			fputs("<strong>no case yet</strong>", f);
			if (e->note) {
				fputs(": needs ", f);
				html_text(f, e->note);
			}
		}
		for (size_t k = 0; e->status != OT_MAN_CANNOT && k < n && k < 8; k++) {
			char slug[160];

			fputs(k ? ", " : "", f);
			site_slug(cases[k]->id, slug, sizeof(slug));
			if (row_of(rows, nrows, cases[k]->id))
				fprintf(f, "<a href=\"#%s\">", slug);
			code(f, cases[k]->id);
			if (row_of(rows, nrows, cases[k]->id))
				fputs("</a>", f);
		}
		fputs("</td></tr>\n", f);
	}
	fputs("</tbody>\n</table>\n</section>\n", f);
}

int site_write_atlas(const struct site *s, char *err, size_t errsz)
{
	struct page p;
	struct row *rows = calloc(s->ncases ? s->ncases : 1, sizeof(*rows));
	size_t nrows = 0;

	if (!rows)
		abort();
	for (size_t c = 0; c < s->ncases; c++)
		if (in_atlas(s, s->cases[c])) {
			rows[nrows].case_id = s->cases[c];
			row_errno(s, &rows[nrows++]);
		}
	qsort(rows, nrows, sizeof(*rows), cmp_row);
	if (page_open(&p, s->out, "atlas.html", err, errsz)) {
		free(rows);
		return -1;
	}
	FILE *f = p.f;
	html_head(f, "opentrail: the errno atlas", "");
	fprintf(f,
		"<h1>The errno atlas: where each error is decided, kernel by kernel</h1>\n"
		"<p>%zu case%s provoke%s an error for real. For each kernel a cell names where "
		"the kernel decided it, as the reports found it: the function and, where its "
		"lines were probed, the file, line and source text of the deciding line; then "
		"each backend's verdict, linking to that run. Without line probes only the "
		"deepest traced function that returned the error is known (a function inlined "
		"into it shows as that function). A cell marked <strong>moved</strong> decides "
		"the error in another function, or on another source line, than the kernel "
		"of its architecture before it (a line number alone changes with every release "
		"and is not a move; x86-64 and arm64 are compared side by side on each case's "
		"page).</p>\n",
		nrows, nrows == 1 ? "" : "s", nrows == 1 ? "s" : "");
	fputs("<section id=\"atlas\">\n<h2>Errors by kernel</h2>\n", f);
	if (!nrows) {
		fputs("<p>No case in these reports fails with an errno.</p>\n", f);
	} else {
		fputs("<table>\n<thead>\n<tr><th rowspan=\"2\" scope=\"col\">errno</th><th "
		      "rowspan=\"2\" scope=\"col\">case</th>",
		      f);
		for (size_t a = 0; a < s->narches; a++) {
			size_t nk = 0;
			for (size_t k = 0; k < s->nkernels; k++)
				nk += !strcmp(site_arch_of(s->kernels[k]), s->arches[a]);
			fprintf(f, "<th colspan=\"%zu\" scope=\"colgroup\" class=\"arch\">", nk);
			html_text(f, site_arch_label(s->arches[a]));
			fputs("</th>", f);
		}
		fputs("<th rowspan=\"2\" scope=\"col\">oldest → newest</th></tr>\n<tr>", f);
		for (size_t k = 0; k < s->nkernels; k++) {
			fputs("<th scope=\"col\">", f);
			html_text(f, s->kernels[k]);
			fputs("</th>", f);
		}
		fputs("</tr>\n</thead>\n<tbody>\n", f);
		for (size_t i = 0; i < nrows; i++) {
			const struct site_origin *prev = NULL;
			size_t prev_k = 0;
			char slug[160];
			site_slug(rows[i].case_id, slug, sizeof(slug));
			fprintf(f, "<tr id=\"%s\"><th scope=\"row\">", slug);
			html_text(f, rows[i].err[0] ? rows[i].err : "?");
			fprintf(f, "</th><td><a href=\"compare/%s.html\"><code>", slug);
			html_text(f, rows[i].case_id);
			fputs("</code></a></td>", f);
			for (size_t k = 0; k < s->nkernels; k++) {
				const struct site_report *rs[NBACKENDS];
				/* moves are within an architecture */
				if (k && strcmp(site_arch_of(s->kernels[k]),
						site_arch_of(s->kernels[k - 1])))
					prev = NULL;
				write_cell(f, s, &rows[i], k, prev, prev_k);
				reports_of(s, rows[i].case_id, s->kernels[k], rs);
				if (cell_origin(rs)) {
					prev = cell_origin(rs);
					prev_k = k;
				}
			}
			fputs("<td>", f);
			write_path(f, s, &rows[i]);
			fputs("</td></tr>\n", f);
		}
		fputs("</tbody>\n</table>\n", f);
	}
	fputs("</section>\n", f);
	write_unprovokable(f, s, rows, nrows);
	write_man_errors(f, rows, nrows);
	html_foot(f);
	free(rows);
	return page_close(&p, err, errsz);
}
