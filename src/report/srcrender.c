// SPDX-License-Identifier: MIT
/* The reports' source-level parts (see srcrender.h). */
#include "report/srcrender.h"

#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/report_schema.h"
#include "report/mdtext.h"
#include "report/termstyle.h"
#include "srcmap/srccache.h"
#include "srcmap/srcinfo.h"

#define BRANCH_LAST	OT_BRANCH_LAST
#define BRANCH_MID	OT_BRANCH_MID
#define STEM_MID	OT_STEM_MID
#define STEM_LAST	OT_STEM_LAST
#define MAX_STEPS	128
#define SNIPPET_CONTEXT 2
#define MAX_SNIPPETS	8

/* The frames shown as levels above C: the inlined ones, plus the out-of-line caller
 * when it is not C's traced parent (an untraced function in between). */
static bool caller_untraced(const struct ot_trace *t, const struct ot_call *c,
			    const struct ot_call_src *cs)
{
	char real[256];
	const char *outer = cs->frames[cs->nframes - 1].func;

	return !c->parent ||
	       strcmp(ot_srcinfo_real_name(t, c->parent->func, real, sizeof(real)), outer) != 0;
}

/* TEXT as the tree's medium wants it: HTML-escaped, or made safe for a terminal. */
static void put(FILE *f, const struct ot_term *tm, const char *text)
{
	if (tm)
		ot_ts_puts(f, text);
	else
		ot_md_html(f, text);
}

char *ot_src_tree_levels(FILE *f, const struct ot_trace *t, const struct ot_call *c,
			 const char *stem, bool last, const struct ot_term *tm)
{
	const struct ot_call_src *cs = ot_call_src_of(t, c);
	size_t top, sl = strlen(stem);
	char *s;

	if (!cs || !cs->nframes)
		return NULL;
	top = cs->nframes - (caller_untraced(t, c, cs) ? 0 : 1); /* levels: frames[top-1..0] */
	if (!top)
		return NULL;
	if (!(s = malloc(sl + (top + 1) * sizeof(STEM_MID))))
		return NULL;
	strcpy(s, stem);
	for (size_t k = top; k-- > 0;) {
		const struct ot_src_frame *fr = &cs->frames[k];
		bool first = k + 1 == top;

		fprintf(f, "%s%s%s", s, first && !last ? BRANCH_MID : BRANCH_LAST,
			tm ? ot_ts_on(tm, OT_TS_DIM) : "<i>");
		put(f, tm, fr->func);
		fputs(tm ? ot_ts_off(tm, OT_TS_DIM) : "</i>", f);
		if (fr->inlined && k + 1 < cs->nframes) {
			fputs(" [inlined] at ", f);
			put(f, tm, cs->frames[k + 1].file ? cs->frames[k + 1].file : "?");
			fprintf(f, ":%u\n", cs->frames[k + 1].line);
		} else {
			fputs(" [not traced]\n", f);
		}
		strcat(s, first && !last ? STEM_MID : STEM_LAST);
	}
	return s;
}

void ot_src_tree_site(FILE *f, const struct ot_trace *t, const struct ot_call *c,
		      const struct ot_term *tm)
{
	const struct ot_call_src *cs = ot_call_src_of(t, c);

	if (!cs || !cs->nframes)
		return;
	fputs("  at ", f);
	put(f, tm, cs->frames[0].file ? cs->frames[0].file : "?");
	fprintf(f, ":%u", cs->frames[0].line);
}

/* One step of the reverse trace. */
struct step {
	const char *kind; /* "RET", "RESUME", "USER" */
	const char *file;
	unsigned line;
	char text[512];
	unsigned logline;
	const struct ot_call *call; /* RET: the call that returned */
};

struct steps {
	struct step s[MAX_STEPS];
	size_t n;
};

static struct step *add_step(struct steps *st, const char *kind)
{
	if (st->n == MAX_STEPS)
		return NULL;
	struct step *s = &st->s[st->n++];

	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

static const struct ot_call *last_err_kid(const struct ot_call *c)
{
	for (size_t i = c->nkids; i-- > 0;)
		if (c->kids[i]->dec.cls == OT_RC_ERR)
			return c->kids[i];
	return NULL;
}

/* The failing call the reverse trace starts from: the last root that returned an
 * error, followed down through the calls that returned errors, then through the
 * last calls made before that error was returned. NULL when nothing failed. */
static const struct ot_call *start_of(const struct ot_trace *t)
{
	const struct ot_call *root = NULL, *c, *k;

	for (size_t i = 0; i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++)
			if (t->threads[i].roots[j]->dec.cls == OT_RC_ERR &&
			    t->threads[i].roots[j]->entry)
				root = t->threads[i].roots[j];
	if (!root)
		return NULL;
	for (c = root; (k = last_err_kid(c));)
		c = k;
	while (c->nkids && c->kids[c->nkids - 1]->ret)
		c = c->kids[c->nkids - 1];
	return c;
}

static void add_ret(struct steps *st, const struct ot_trace *t, const struct ot_call *c)
{
	const struct ot_call_src *cs = ot_call_src_of(t, c);
	struct step *s = add_step(st, "RET");
	char ret[96];

	if (!s)
		return;
	ot_call_ret_value(c, ret, sizeof(ret));
	snprintf(s->text, sizeof(s->text), "%s -> %s", c->func, c->ret ? ret : "(no return)");
	s->file = cs ? cs->def_file : NULL;
	s->line = cs ? cs->def_line : 0;
	s->logline = c->ret ? c->ret->line : 0;
	s->call = c;
}

static void add_resumes(struct steps *st, const struct ot_trace *t, const struct ot_call *c)
{
	const struct ot_call_src *cs = ot_call_src_of(t, c);
	struct step *s;

	if (!cs || !cs->nframes) {
		if (c->parent && (s = add_step(st, "RESUME")))
			snprintf(s->text, sizeof(s->text), "%s called %s (call site unknown)",
				 c->parent->func, c->func);
		return;
	}
	for (size_t i = 0; i < cs->nframes; i++) {
		const struct ot_src_frame *fr = &cs->frames[i];

		if (!(s = add_step(st, "RESUME")))
			return;
		s->file = fr->file;
		s->line = fr->line;
		snprintf(s->text, sizeof(s->text), "%s%s called %s", fr->func,
			 fr->inlined && i + 1 < cs->nframes ? " (inlined)" : "",
			 i ? cs->frames[i - 1].func : c->func);
	}
}

/* The user.fact reporting the root call's result: the first after its return. */
static const struct ot_record *user_fact_after(const struct ot_trace *t, unsigned line)
{
	for (size_t i = 0; i < t->nfacts; i++)
		if (t->facts[i]->line > line && !strcmp(t->facts[i]->func, "user.fact"))
			return t->facts[i];
	return NULL;
}

static void build_steps(const struct ot_trace *t, struct steps *st)
{
	const struct ot_call *c = start_of(t), *root = c;
	const struct ot_record *u;

	st->n = 0;
	if (!c)
		return;
	for (; c; c = c->parent) {
		add_ret(st, t, c);
		add_resumes(st, t, c);
		root = c;
	}
	u = root->ret ? user_fact_after(t, root->ret->line) : NULL;
	if (u) {
		struct step *s = add_step(st, "USER");
		const char *call = ot_rec_str(u, "call"), *en = ot_rec_str(u, "errname");
		const struct ot_field *ret = ot_rec_field(u, "ret");

		if (s) {
			snprintf(s->text, sizeof(s->text), "%s returned %s%s%s",
				 call ? call : "the call", ret && ret->raw ? ret->raw : "?",
				 en && *en ? " " : "", en ? en : "");
			s->logline = u->line;
		}
	}
}

static void write_step_md(FILE *f, size_t i, const struct step *s)
{
	fprintf(f, "#%-3zu %-6s ", i + 1, s->kind);
	if (!strcmp(s->kind, "RESUME")) {
		if (s->file)
			ot_md_html(f, s->file), fprintf(f, ":%u ", s->line);
		ot_md_html(f, s->text);
	} else {
		ot_md_html(f, s->text);
		if (s->file) {
			fputs("  (defined at ", f);
			ot_md_html(f, s->file);
			fprintf(f, ":%u)", s->line);
		}
	}
	if (s->logline) {
		fputs("  [", f);
		ot_md_line_link_html(f, s->logline);
		fputc(']', f);
	}
	fputc('\n', f);
}

/* The source lines around FILE:LINE from the cached kernel source, when its version
 * is the indexed kernel's; false when there is none. */
static bool write_snippet(FILE *f, const char *kernel, const char *file, unsigned line, bool first)
{
	char path[4096], *buf = NULL;
	size_t cap = 0;
	unsigned n = 0;
	FILE *src;

	if (!file || ot_srccache_source_path(kernel, file, path, sizeof(path)) ||
	    !(src = fopen(path, "r")))
		return false;
	if (first)
		fputs("### Source at the call sites\n\nFrom the kernel source package of the same "
		      "version; `&gt;` marks the line that made the call.\n\n",
		      f);
	fprintf(f, "`%s:%u`\n\n<pre>\n", file, line);
	while (getline(&buf, &cap, src) > 0 && ++n <= line + SNIPPET_CONTEXT) {
		if (n + SNIPPET_CONTEXT < line)
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		fprintf(f, "%s%5u  ", n == line ? "&gt;" : "  ", n);
		ot_md_html(f, buf);
		fputc('\n', f);
	}
	fputs("</pre>\n\n", f);
	free(buf);
	fclose(src);
	return true;
}

static void write_snippets(FILE *f, const struct ot_trace *t, const struct steps *st)
{
	size_t shown = 0;

	for (size_t i = 0; i < st->n && shown < MAX_SNIPPETS; i++) {
		const struct step *s = &st->s[i];

		if (strcmp(s->kind, "RESUME") || !s->file)
			continue;
		if (!write_snippet(f, t->src->kernel, s->file, s->line, !shown))
			continue; /* not in the cached source (or no source at all) */
		shown++;
	}
}

void ot_src_markdown(FILE *f, const struct ot_report_input *in)
{
	const struct ot_trace *t = in->trace;
	const struct ot_srcinfo *si = t->src;
	const char *kernel = ot_srcinfo_kernel(t);
	struct steps *st;

	if (t->streamed || !ot_srcinfo_has_callers(t)) /* streamed: none (cli/analyse.c) */
		return;
	fputs("## Source lines\n\n", f);
	if (!si) {
		fputs("None: no source index for kernel ", f);
		ot_md_code_cell(f, kernel ? kernel : "(unknown)");
		fputs(" (`opentrail debuginfo KERNEL` builds it from Debian's debug package).\n\n",
		      f);
		return;
	}
	fprintf(f,
		"%zu of %zu calls with a caller address resolved to their call site in "
		"`%s`'s source.\n\n",
		si->resolved, si->with_caller, si->kernel);
	if (!(st = malloc(sizeof(*st))))
		return;
	build_steps(t, st);
	if (st->n) {
		fputs("### Reverse trace\n\nFrom the failing return back to the user's call: each "
		      "RET is a traced return (with the function's definition), each RESUME the "
		      "caller's line that made the call, where it resumes.\n\n<pre>\n",
		      f);
		for (size_t i = 0; i < st->n; i++)
			write_step_md(f, i, &st->s[i]);
		fputs("</pre>\n\n", f);
		write_snippets(f, t, st);
	}
	free(st);
}

/* {"func": F, "file": ..., "line": ...} without its closing brace (F omitted if NULL):
 * the same members open a call site, an inlined frame, a definition and a reverse step. */
static void site_members(struct ot_jw *w, const char *func, const char *file, unsigned line)
{
	ot_jw_obj_begin(w);
	if (func) {
		OT_RK_WRITE(w, CALL_SITE, FUNC);
		ot_jw_str(w, func);
	}
	OT_RK_WRITE(w, CALL_SITE, FILE);
	ot_jw_str(w, file);
	OT_RK_WRITE(w, CALL_SITE, LINE);
	if (line)
		ot_jw_int(w, line);
	else
		ot_jw_null(w);
}

void ot_src_json_call(struct ot_jw *w, const struct ot_trace *t, const struct ot_call *c)
{
	const struct ot_call_src *cs = ot_call_src_of(t, c);

	if (!t->src)
		return;
	if (!cs || !cs->nframes) {
		OT_RK_WRITE(w, CALL, CALL_SITE);
		ot_jw_null(w);
		OT_RK_WRITE(w, CALL, INLINED);
		ot_jw_null(w);
	} else {
		const struct ot_src_frame *outer = &cs->frames[cs->nframes - 1];

		OT_RK_WRITE(w, CALL, CALL_SITE);
		site_members(w, cs->frames[0].func, cs->frames[0].file, cs->frames[0].line);
		OT_RK_WRITE(w, CALL_SITE, CALLER);
		ot_jw_str(w, outer->func);
		OT_RK_WRITE(w, CALL_SITE, RESUME_LINE);
		if (cs->resume_line)
			ot_jw_int(w, cs->resume_line);
		else
			ot_jw_null(w);
		ot_jw_obj_end(w);
		OT_RK_WRITE(w, CALL, INLINED);
		ot_jw_arr_begin(w);
		for (size_t i = 0; i + 1 < cs->nframes; i++) {
			site_members(w, cs->frames[i].func, cs->frames[i + 1].file,
				     cs->frames[i + 1].line);
			ot_jw_obj_end(w);
		}
		ot_jw_arr_end(w);
	}
	OT_RK_WRITE(w, CALL, DEFINITION);
	if (cs && cs->def_file) {
		site_members(w, NULL, cs->def_file, cs->def_line);
		ot_jw_obj_end(w);
	} else {
		ot_jw_null(w);
	}
}

void ot_src_json(struct ot_jw *w, const struct ot_report_input *in)
{
	const struct ot_trace *t = in->trace;
	const struct ot_srcinfo *si = t->src;
	struct steps *st;

	if (t->streamed || !ot_srcinfo_has_callers(t)) /* streamed: none (cli/analyse.c) */
		return;
	OT_RK_WRITE(w, REPORT, SOURCE);
	ot_jw_obj_begin(w);
	OT_RK_WRITE(w, SOURCE, KERNEL);
	ot_jw_str(w, si ? si->kernel : NULL);
	OT_RK_WRITE(w, SOURCE, CALLS_WITH_CALLER);
	if (si)
		ot_jw_int(w, (int64_t)si->with_caller);
	else
		ot_jw_null(w);
	OT_RK_WRITE(w, SOURCE, RESOLVED);
	if (si)
		ot_jw_int(w, (int64_t)si->resolved);
	else
		ot_jw_null(w);
	ot_jw_obj_end(w);
	if (!si || !(st = malloc(sizeof(*st))))
		return;
	build_steps(t, st);
	OT_RK_WRITE(w, REPORT, REVERSE_TRACE);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < st->n; i++) {
		site_members(w, NULL, st->s[i].file, st->s[i].line);
		OT_RK_WRITE(w, STEP, KIND);
		ot_jw_str(w, st->s[i].kind);
		OT_RK_WRITE(w, STEP, TEXT);
		ot_jw_str(w, st->s[i].text);
		OT_RK_WRITE(w, STEP, LOG_LINE);
		if (st->s[i].logline)
			ot_jw_int(w, st->s[i].logline);
		else
			ot_jw_null(w);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	free(st);
}
