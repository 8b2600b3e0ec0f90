// SPDX-License-Identifier: MIT
/* The lines that ran, and where each error was decided (see linepath.h). */
#include "report/linepath.h"

#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/report_schema.h"
#include "report/mdtext.h"
#include "srcmap/srcinfo.h"
#include "trace/decode.h"

/* Calls whose lines the Markdown draws (the JSON has them all). */
#define MD_MAX_CALLS 40
/* Lines drawn for one call (a loop may run a line many times: runs are merged). */
#define MD_MAX_STEPS 400

bool ot_chain_has(const char *chain, const char *name)
{
	size_t n = strlen(name);

	for (const char *c = chain; c; c = strchr(c, ',') ? strchr(c, ',') + 1 : NULL)
		if (!strncmp(c, name, n) && (c[n] == ',' || !c[n]))
			return true;
	return false;
}

bool ot_line_at_of(const struct ot_record *point, struct ot_line_at *at)
{
	const char *where = point ? ot_rec_str(point, "at") : NULL;
	const char *chain = point ? ot_rec_str(point, "chain") : NULL;
	char *colon, *comma;
	size_t wl;

	memset(at, 0, sizeof(*at));
	if (!where || !chain)
		return false;
	wl = strlen(where);
	if (wl + strlen(chain) + 2 > sizeof(at->buf))
		return false;
	memcpy(at->buf, where, wl + 1);
	colon = strrchr(at->buf, ':');
	if (!colon || !colon[1])
		return false;
	*colon = '\0';
	at->file = at->buf;
	at->line = (unsigned)strtoul(colon + 1, NULL, 10);
	at->func = at->buf + wl + 1;
	memcpy((char *)at->func, chain, strlen(chain) + 1);
	if ((comma = strchr(at->func, ','))) {
		*comma = '\0';
		at->inlined_in = comma + 1;
		for (const char *c = at->inlined_in; c; c = strchr(c + 1, ','))
			at->depth++;
	}
	return at->line > 0;
}

/* Was K handed its error as an argument (ERR_PTR(-err) or -err at its entry), so
 * that it only passed on what its caller already had? (7.x's path_openat hands
 * open_last_lookups' ERR_PTR(-ENOENT) to link_path_walk, which returns it.) */
static bool handed_the_error(const struct ot_call *k)
{
	const struct ot_record *e = k->entry;

	for (size_t i = 0; e && i < e->nfields; i++) {
		const struct ot_field *f = &e->fields[i];

		if ((f->type == OT_V_HEX && f->u == (uint64_t)-(int64_t)k->dec.err) ||
		    (f->type == OT_V_INT && f->i == -(int64_t)k->dec.err))
			return true;
	}
	return false;
}

/* The last call under C that returned ERR, among its children (they returned
 * before it did: the last one is the nearest to its own return). A child that was
 * handed that error only passed it on: the error was decided before it, in an
 * earlier child that returned it (7.x's do_sys_openat2 hands getname_flags'
 * ERR_PTR(-EFAULT) to do_file_open), else in C itself. */
static const struct ot_call *last_kid_with(const struct ot_call *c, int err)
{
	for (size_t i = c->nkids; i-- > 0;)
		if (c->kids[i]->dec.cls == OT_RC_ERR && c->kids[i]->dec.err == err &&
		    !handed_the_error(c->kids[i]))
			return c->kids[i];
	return NULL;
}

/* Is AT the closing line of its function, its epilogue, where every return ends: a
 * lone "}" in the source, or, without the source, the highest line of an out-of-line
 * function's own points? */
static bool closing_line(const struct ot_trace *t, const struct ot_line_at *at,
			 struct ot_srctext *text)
{
	const char *s = text ? ot_srctext_line(text, at->file, at->line) : NULL;
	unsigned max = 0;

	if (s)
		return !strcmp(s, "}");
	if (at->inlined_in)
		return false;

	for (size_t i = 0; i < t->nline_points; i++) {
		struct ot_line_at p;

		if (ot_line_at_of(t->line_points[i], &p) && !strcmp(p.func, at->func) &&
		    !strcmp(p.file, at->file) && p.line > max)
			max = p.line;
	}
	return at->line == max;
}

/* Does source line S name errno NAME ("EACCES" in "return -EACCES;")? */
static bool names(const char *s, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = s; (p = strstr(p, name)); p += n) {
		char before = p == s ? ' ' : p[-1], after = p[n];

		if (!(before == '_' || (before >= 'A' && before <= 'Z')) &&
		    !(after == '_' || (after >= 'A' && after <= 'Z') ||
		      (after >= '0' && after <= '9')))
			return true;
	}
	return false;
}

bool ot_origin_of(const struct ot_trace *t, const struct ot_call *root, struct ot_srctext *text,
		  struct ot_origin *o)
{
	const struct ot_call *c = root, *k;
	const char *en, *alias;

	memset(o, 0, sizeof(*o));
	if (!root->ret || root->dec.cls != OT_RC_ERR || root->dec.err <= 0)
		return false;
	o->err = root->dec.err;
	en = ot_errno_name(o->err);
	alias = ot_errno_alias(o->err); /* the source may say -EWOULDBLOCK for EAGAIN */
	while ((k = last_kid_with(c, o->err)))
		c = k;
	o->call = c;
	for (size_t i = c->nhits; i-- > 0;) {
		const struct ot_record *p = ot_trace_hit_point(t, c->hits[i]);
		struct ot_line_at at;
		const char *s;

		if (!ot_line_at_of(p, &at) || closing_line(t, &at, text))
			continue;
		if (!o->hit) { /* the last line that ran */
			o->hit = c->hits[i];
			o->point = p;
		}
		s = en && text ? ot_srctext_line(text, at.file, at.line) : NULL;
		if (s && (names(s, en) || (alias && names(s, alias)))) {
			o->hit = c->hits[i];
			o->point = p;
			o->names_errno = true;
			break;
		}
	}
	return true;
}

bool ot_line_step_next(const struct ot_trace *t, const struct ot_call *c, size_t *i,
		       struct ot_line_step *s)
{
	memset(s, 0, sizeof(*s));
	for (; *i < c->nhits; (*i)++) {
		struct ot_line_at at;

		if (!ot_line_at_of(ot_trace_hit_point(t, c->hits[*i]), &at))
			continue;
		if (s->hits && (at.line != s->at.line || strcmp(at.file, s->at.file)))
			break;
		if (!s->hits) {
			s->at = at;
			/* the copy's pointers must point into its own buffer */
			s->at.file = s->at.buf + (at.file - at.buf);
			s->at.func = s->at.buf + (at.func - at.buf);
			s->at.inlined_in =
			    at.inlined_in ? s->at.buf + (at.inlined_in - at.buf) : NULL;
			s->first = c->hits[*i];
		}
		s->last = c->hits[*i];
		s->hits++;
	}
	return s->hits > 0;
}

/* A line's members: the same keys in a line step and in an origin. */
static void at_members(struct ot_jw *w, const struct ot_line_at *at, struct ot_srctext *text)
{
	OT_RK_WRITE(w, LINE_STEP, FILE);
	ot_jw_str(w, at->file);
	OT_RK_WRITE(w, LINE_STEP, LINE);
	ot_jw_int(w, at->line);
	OT_RK_WRITE(w, LINE_STEP, FUNC);
	ot_jw_str(w, at->func);
	OT_RK_WRITE(w, LINE_STEP, INLINED_IN);
	ot_jw_str(w, at->inlined_in);
	OT_RK_WRITE(w, LINE_STEP, TEXT);
	ot_jw_str(w, text ? ot_srctext_line(text, at->file, at->line) : NULL);
}

void ot_linepath_json_call(struct ot_jw *w, const struct ot_trace *t, const struct ot_call *c,
			   struct ot_srctext *text)
{
	struct ot_origin o;

	if (c->nhits) {
		struct ot_line_step s;
		size_t i = 0;

		OT_RK_WRITE(w, CALL, LINES);
		ot_jw_arr_begin(w);
		while (ot_line_step_next(t, c, &i, &s)) {
			ot_jw_obj_begin(w);
			at_members(w, &s.at, text);
			OT_RK_WRITE(w, LINE_STEP, HITS);
			ot_jw_int(w, s.hits);
			OT_RK_WRITE(w, LINE_STEP, LOG_LINE);
			ot_jw_int(w, s.first->line);
			ot_jw_obj_end(w);
		}
		ot_jw_arr_end(w);
	}
	if (!c->parent && ot_origin_of(t, c, text, &o)) {
		struct ot_line_at at;

		OT_RK_WRITE(w, CALL, ORIGIN);
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, ORIGIN, ERRNO);
		ot_jw_str(w, ot_errno_name(o.err));
		OT_RK_WRITE(w, ORIGIN, CALL);
		ot_jw_str(w, o.call->func);
		OT_RK_WRITE(w, ORIGIN, CALL_LINE_RET);
		if (o.call->ret)
			ot_jw_int(w, o.call->ret->line);
		else
			ot_jw_null(w);
		if (ot_line_at_of(o.point, &at)) {
			at_members(w, &at, text);
			OT_RK_WRITE(w, ORIGIN, LOG_LINE);
			ot_jw_int(w, o.hit->line);
			OT_RK_WRITE(w, ORIGIN, NAMES_ERRNO);
			ot_jw_bool(w, o.names_errno);
		} else {
			static const enum ot_rkey none[] = {
			    OT_RK_ORIGIN_FILE,	    OT_RK_ORIGIN_LINE, OT_RK_ORIGIN_FUNC,
			    OT_RK_ORIGIN_INLINED_IN, OT_RK_ORIGIN_TEXT, OT_RK_ORIGIN_LOG_LINE,
			    OT_RK_ORIGIN_NAMES_ERRNO};

			for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++) {
				ot_jw_key_raw(w, ot_report_keys[none[k]].quoted,
					      ot_report_keys[none[k]].qlen);
				ot_jw_null(w);
			}
		}
		ot_jw_obj_end(w);
	}
}

/* Were the lines of FUNC probed in this run (a point is in it, or inlined in it)? */
static bool lines_probed(const struct ot_trace *t, const char *func)
{
	for (size_t i = 0; i < t->nline_points; i++) {
		const struct ot_record *p = t->line_points[i];
		const char *chain = p ? ot_rec_str(p, "chain") : NULL;

		if (chain && ot_chain_has(chain, func))
			return true;
	}
	return false;
}

/* FILE:LINE, the function it is in unless it is CALLED's own, and its text; MD: with
 * code spans. */
static void write_at(FILE *f, const struct ot_line_at *at, const char *called,
		     struct ot_srctext *text, bool md)
{
	const char *src = ot_srctext_line(text, at->file, at->line);
	const char *q = md ? "`" : "";

	fprintf(f, "%s:%u", at->file, at->line);
	if (strcmp(at->func, called))
		fprintf(f, " in %s%s%s", q, at->func, q);
	if (at->inlined_in && strcmp(at->func, called)) {
		fprintf(f, " (inlined in %s", q);
		for (const char *c = at->inlined_in; *c; c++)
			if (*c == ',')
				fprintf(f, "%s in %s", q, q);
			else
				fputc(*c, f);
		fprintf(f, "%s)", q);
	}
	if (src) {
		fprintf(f, ": %s", q);
		if (md)
			ot_md_cell(f, src);
		else
			fputs(src, f);
		fputs(q, f);
	}
}

/* A log line reference in the origin's sentence: a link in the Markdown, plain L12 in
 * a terminal, nothing when the caller groups operations. */
static void origin_line(FILE *f, enum ot_origin_style st, const char *before, unsigned line,
			const char *after)
{
	if (st == OT_ORIGIN_NO_LINES)
		return;
	fputs(before, f);
	if (st == OT_ORIGIN_MD)
		ot_md_line_link(f, line);
	else
		fprintf(f, "L%u", line);
	fputs(after, f);
}

void ot_origin_sentence(FILE *f, const struct ot_trace *t, const struct ot_origin *o,
			struct ot_srctext *text, enum ot_origin_style st)
{
	struct ot_line_at at;
	const char *q = st == OT_ORIGIN_MD ? "`" : "";

	fprintf(f, "%s was decided in %s%s%s", ot_errno_name(o->err), q, o->call->func, q);
	origin_line(f, st, " (", o->call->ret ? o->call->ret->line : ot_call_line(o->call), ")");
	if (ot_line_at_of(o->point, &at)) {
		fputs(o->names_errno ? "; the last line that ran there naming it: "
				     : "; the last line that ran there: ",
		      f);
		write_at(f, &at, o->call->func, text, st == OT_ORIGIN_MD);
		origin_line(f, st, " (", o->hit->line, ")");
	} else if (!lines_probed(t, o->call->func)) {
		fprintf(f, "; its lines were not probed (%s--lines %s%s probes them)", q,
			o->call->func, q);
	} else {
		fputs("; none of its probed lines ran", f);
	}
}

static void write_origins(FILE *f, const struct ot_trace *t, struct ot_srctext *text)
{
	bool any = false;

	for (size_t i = 0; i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++) {
			const struct ot_call *root = t->threads[i].roots[j];
			struct ot_origin o;

			if (!ot_origin_of(t, root, text, &o))
				continue;
			if (!any)
				fputs("### Where each error was decided\n\nFor each failing "
				      "operation: "
				      "the deepest traced call that returned its errno and, where "
				      "its "
				      "lines were probed, the line that decided it: the last line "
				      "that "
				      "ran in that call naming the errno, else the last line that "
				      "ran "
				      "(a function's closing line left out).\n\n",
				      f);
			any = true;
			fprintf(f, "- `%s` (", root->func);
			ot_md_line_link(f, root->ret->line);
			fputs("): ", f);
			ot_origin_sentence(f, t, &o, text, OT_ORIGIN_MD);
			fputs("\n", f);
		}
	if (any)
		fputc('\n', f);
}

static void write_path_md(FILE *f, const struct ot_trace *t, const struct ot_call *c,
			  struct ot_srctext *text)
{
	char ret[96];
	struct ot_line_step s;
	size_t i = 0, n = 0;

	ot_call_ret_value(c, ret, sizeof(ret));
	fprintf(f, "`%s` -> %s (", c->func, c->ret ? ret : "(no return)");
	ot_md_line_link(f, ot_call_line(c));
	fputs(")\n\n<pre>\n", f);
	while (ot_line_step_next(t, c, &i, &s)) {
		const char *src = ot_srctext_line(text, s.at.file, s.at.line);
		char where[256];

		if (++n > MD_MAX_STEPS) {
			fputs("... (the JSON report has every line)\n", f);
			break;
		}
		snprintf(where, sizeof(where), "%s:%u", s.at.file, s.at.line);
		fprintf(f, "%*s", (int)(2 * s.at.depth), "");
		ot_md_html(f, where);
		if (s.at.inlined_in) {
			fputs("  [", f);
			ot_md_html(f, s.at.func);
			fputs(" inlined]", f);
		}
		if (src) {
			fputs("  ", f);
			ot_md_html(f, src);
		}
		if (s.hits > 1)
			fprintf(f, "  (x%u)", s.hits);
		fputs("  [", f);
		ot_md_line_link_html(f, s.first->line);
		fputs("]\n", f);
	}
	fputs("</pre>\n\n", f);
}

/* The points the kernel would not take: never dropped silently. */
static void write_refused(FILE *f, const struct ot_trace *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nline_points; i++) {
		const struct ot_record *p = t->line_points[i];
		const char *why = p ? ot_rec_str(p, "refused") : NULL;

		if (!why)
			continue;
		if (!n++)
			fputs("Not probed:", f);
		if (n > 10)
			continue;
		fprintf(f, "%s `%s` (`%s`: ", n > 1 ? ";" : "",
			ot_rec_str(p, "at") ? ot_rec_str(p, "at") : "?",
			ot_rec_str(p, "probe") && *ot_rec_str(p, "probe") ? ot_rec_str(p, "probe")
									  : "-");
		ot_md_cell(f, why);
		fputc(')', f);
	}
	if (n > 10)
		fprintf(f, "; and %zu more (the log's line.fact lines list them)", n - 10);
	if (n)
		fputs(".\n\n", f);
}

void ot_linepath_markdown(FILE *f, const struct ot_report_input *in)
{
	const struct ot_trace *t = in->trace;
	struct ot_srctext *text = ot_srctext_new(ot_srcinfo_kernel(t));
	bool failing = false;
	size_t shown = 0, with = 0;

	for (size_t i = 0; i < t->nthreads && !failing; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++)
			failing |= t->threads[i].roots[j]->dec.cls == OT_RC_ERR;
	if (!t->nline_points && !failing) {
		ot_srctext_free(text);
		return;
	}
	fputs("## Why it returned what it returned\n\n", f);
	write_origins(f, t, text);
	for (size_t i = 0; i < t->ncalls; i++)
		with += t->calls[i]->nhits > 0;
	if (t->nline_points) {
		fprintf(f,
			"### Lines that ran\n\n%zu source line%s probed; %zu call%s ran some of "
			"them (in the order they ran; a line that ran several times in a row is "
			"shown once, with its count; inlined functions are indented).\n\n",
			t->nline_points, t->nline_points == 1 ? "" : "s", with,
			with == 1 ? "" : "s");
		write_refused(f, t);
		for (size_t i = 0; i < t->ncalls && shown < MD_MAX_CALLS; i++)
			if (t->calls[i]->nhits) {
				write_path_md(f, t, t->calls[i], text);
				shown++;
			}
		if (with > shown)
			fprintf(f, "%zu more calls ran probed lines: the JSON report has them.\n\n",
				with - shown);
	}
	ot_srctext_free(text);
}
