// SPDX-License-Identifier: MIT
/* The text view (see report_text.h): the same model as the Markdown's, drawn for a
 * terminal. Values are formatted by fields.h and the labels by tree.h, as in the
 * Markdown; only what is shortened, and how it is laid out, differs. */
#include "report/report_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/linepath.h"
#include "report/model.h"
#include "report/scale.h"
#include "report/srcrender.h"
#include "report/summary.h"
#include "report/tree.h"
#include "srcmap/srcinfo.h"
#include "srcmap/srctext.h"
#include "trace/decode.h"
#include "util/hashmap.h"

#define MAX_EVIDENCE	 6   /* evidence lines shown per claim */
#define MAX_ORIGINS	 10  /* distinct origins shown */
#define MAX_ORIGIN_OPS	 4   /* return lines shown for a group of operations */
#define MAX_LINE_STEPS	 12  /* lines that ran shown under a call whole, beyond: */
#define LINE_STEPS_END	 5   /* the first and last this many */
#define MAX_SHAPES	 10  /* call shapes shown at scale */
#define MAX_ERROR_ROWS	 12  /* rows of errors by function at scale */
#define SHAPE_TEXT_NOFIT 160 /* a shape's characters without a width to fit */
#define SHORT_STR	 24  /* strings in a tree line that does not fit */
#define MIN_SOURCE_TEXT	 16  /* a source line is never cut shorter */

struct view {
	FILE *f;
	const struct ot_report_input *in;
	const struct ot_report_model *m;
	const struct ot_text_opts *o;
	const struct ot_term *tm;
	const struct ot_trace *t;
	struct ot_srctext *text;
	const size_t *ops;
};

static void put(const struct view *v, enum ot_ts_role role, const char *s)
{
	ot_ts_put(v->f, v->tm, role, s);
}

static void heading(const struct view *v, const char *title)
{
	fputc('\n', v->f);
	put(v, OT_TS_STRONG, title);
	fputc('\n', v->f);
}

/* Text for a terminal has no Markdown: the sentences' code spans lose their backticks. */
static char *plain(const char *s)
{
	char *out = strdup(s ? s : ""), *w = out;

	if (!out)
		abort();
	for (const char *p = out; *p; p++)
		if (*p != '`')
			*w++ = *p;
	*w = '\0';
	return out;
}

/* An in-memory stream's text; aborts when memory runs out, like the analysis. */
struct mem {
	FILE *f;
	char *s;
	size_t n;
};

static FILE *mem_open(struct mem *m)
{
	m->s = NULL;
	m->n = 0;
	if (!(m->f = open_memstream(&m->s, &m->n)))
		abort();
	return m->f;
}

static char *mem_close(struct mem *m)
{
	if (fclose(m->f))
		abort();
	return m->s;
}

static const char *verdict_word(enum ot_case_verdict v)
{
	return v == OT_CASE_PASS ? "PASS" : v == OT_CASE_FAIL ? "FAIL" : "INCOMPLETE";
}

static enum ot_ts_role verdict_role(enum ot_case_verdict v)
{
	return v == OT_CASE_PASS ? OT_TS_PASS : v == OT_CASE_FAIL ? OT_TS_FAIL : OT_TS_WARN;
}

static void write_count(FILE *f, size_t n)
{
	char d[32];
	int len = snprintf(d, sizeof(d), "%zu", n);

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			fputc(',', f);
		fputc(d[i], f);
	}
}

/* Operations (top-level calls) of a trace that keeps them, and how many failed. */
static size_t count_ops(const struct ot_trace *t, size_t *failed)
{
	size_t n = 0;

	*failed = 0;
	for (size_t i = 0; i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++) {
			n++;
			*failed += t->threads[i].roots[j]->dec.cls == OT_RC_ERR;
		}
	return n;
}

static void write_header(const struct view *v)
{
	const struct ot_run_info *ri = &v->m->ri;
	const struct ot_claim_set *cs = v->in->claims;
	const struct ot_log *log = v->in->log;
	enum ot_case_verdict verdict = cs ? cs->verdict : OT_CASE_INCOMPLETE;
	static const char *const names[4] = {"pass", "fail", "not evidenced", "skipped"};
	size_t tally[4], failed = 0, ops;
	bool first = true;
	FILE *f = v->f;
	struct mem m;
	char *line;

	put(v, verdict_role(verdict), verdict_word(verdict));
	fputs("  ", f);
	put(v, OT_TS_STRONG, ri->case_id ? ri->case_id : log->name ? log->name : "-");
	if (v->in->kase) {
		fputs(" — ", f);
		ot_ts_puts(f, ri->title);
	}
	fputc('\n', f);

	ot_claim_tally(cs, tally);
	fprintf(f, "%zu claim%s%s", cs ? cs->n : 0, cs && cs->n == 1 ? "" : "s",
		cs && cs->n ? ": " : "");
	for (int i = 0; i < 4; i++) {
		if (!tally[i])
			continue;
		fprintf(f, "%s%s%zu %s%s", first ? "" : ", ",
			ot_ts_on(v->tm, i == OT_PASS   ? OT_TS_PLAIN
					: i == OT_FAIL ? OT_TS_FAIL
						       : OT_TS_WARN),
			tally[i], names[i],
			ot_ts_off(v->tm, i == OT_PASS ? OT_TS_PLAIN : OT_TS_FAIL));
		first = false;
	}
	fputc('\n', f);

	fputs(ot_ts_on(v->tm, OT_TS_DIM), f);
	fputs("kernel ", f);
	ot_ts_puts(f, ri->kernel);
	fputs(", backend ", f);
	ot_ts_puts(f, ri->backend);
	if (ri->time_from_log) {
		fputs(", ", f);
		ot_ts_puts(f, ri->time);
	}
	fputc('\n', f);
	mem_open(&m);
	fprintf(m.f, "log %s: %zu lines, ", log->name ? log->name : "-", log->nlines);
	write_count(m.f, v->t->stats.calls);
	fputs(" calls", m.f);
	ops = v->t->streamed ? 0 : count_ops(v->t, &failed);
	if (ops) {
		fputs(" in ", m.f);
		write_count(m.f, ops);
		fprintf(m.f, " operation%s (", ops == 1 ? "" : "s");
		write_count(m.f, failed);
		fputs(" failed)", m.f);
	}
	fprintf(m.f, ", %llu lost", ri->lost);
	line = mem_close(&m);
	ot_ts_wrap(f, line, 0, 4, v->tm->width);
	free(line);
	fputs(ot_ts_off(v->tm, OT_TS_DIM), f);
	fputc('\n', f);
}

static void warn(const struct view *v, const char *text)
{
	fputs("! ", v->f);
	put(v, OT_TS_WARN, text);
	fputc('\n', v->f);
}

/* What makes the trace incomplete or odd, one line each (the Markdown says more). */
static void write_warnings(const struct view *v)
{
	const struct ot_run_info *ri = &v->m->ri;
	const struct ot_summary *s = &v->m->s;
	const struct ot_log *log = v->in->log;
	char b[512];

	if (ri->lost) {
		snprintf(b, sizeof(b), "%llu records were lost: the trace is incomplete", ri->lost);
		warn(v, b);
	}
	if (ri->missed) {
		snprintf(b, sizeof(b), "the kernel skipped %llu probe runs: calls may be missing",
			 ri->missed);
		warn(v, b);
	}
	if (ri->interrupted) {
		snprintf(b, sizeof(b),
			 "interrupted (%s): the log holds what was captured until then",
			 ri->interrupted);
		warn(v, b);
	}
	if (ri->detached) {
		snprintf(b, sizeof(b),
			 "ended when %s detached the probes: the log is whole until then",
			 ri->detached);
		warn(v, b);
	}
	if (ri->filter_path || ri->filter_errors_only) {
		snprintf(b, sizeof(b), "filters in the kernel left %llu operations out",
			 ri->filtered_out);
		warn(v, b);
	}
	if (s->nunpaired) {
		snprintf(b, sizeof(b), "%zu calls unpaired (an entry or a return is missing)",
			 s->nunpaired);
		warn(v, b);
	}
	if (s->nin_flight + s->nin_flight_attach) {
		snprintf(b, sizeof(b), "%zu calls in flight when the probes attached or detached",
			 s->nin_flight + s->nin_flight_attach);
		warn(v, b);
	}
	if (log->nunparsed) {
		snprintf(b, sizeof(b), "%zu trace lines could not be read", log->nunparsed);
		warn(v, b);
	}
	if (log->nwarnings) {
		snprintf(b, sizeof(b), "%zu input lines held bytes kept escaped as \\xHH",
			 log->nwarnings);
		warn(v, b);
	}
}

/* Failing operations grouped by where their error was decided. */
struct origin_group {
	char *key;
	const struct ot_call *root; /* the first */
	struct ot_origin o;	    /* its origin */
	size_t n;
	unsigned lines[MAX_ORIGIN_OPS];
};

static char *origin_key(const struct view *v, const struct ot_call *root, const struct ot_origin *o)
{
	struct mem m;
	char ret[96];

	ot_call_ret_value(root, ret, sizeof(ret));
	fprintf(mem_open(&m), "%s -> %s: ", root->func, ret);
	ot_origin_sentence(m.f, v->t, o, v->text, OT_ORIGIN_NO_LINES);
	return mem_close(&m);
}

static void write_origin_group(const struct view *v, const struct origin_group *g)
{
	char ret[96];
	struct mem m;
	char *sentence;
	FILE *f = v->f;

	ot_call_ret_value(g->root, ret, sizeof(ret));
	mem_open(&m);
	ot_origin_sentence(m.f, v->t, &g->o, v->text,
			   g->n == 1 ? OT_ORIGIN_TEXT : OT_ORIGIN_NO_LINES);
	sentence = mem_close(&m);
	fputs("  ", f);
	put(v, OT_TS_FAIL, "✗");
	fputc(' ', f);
	ot_ts_puts(f, g->root->func);
	fputs(" -> ", f);
	put(v, OT_TS_FAIL, ret);
	if (g->n > 1) {
		fputs(", ", f);
		write_count(f, g->n);
		fputs(" operations", f);
	}
	fputs(" (", f);
	for (size_t i = 0; i < g->n && i < MAX_ORIGIN_OPS; i++)
		fprintf(f, "%sL%u", i ? ", " : "", g->lines[i]);
	fprintf(f, "%s):\n    ", g->n > MAX_ORIGIN_OPS ? ", …" : "");
	ot_ts_wrap(f, sentence, 4, 4, v->tm->width);
	fputc('\n', f);
	free(sentence);
}

static void write_origins(const struct view *v)
{
	const struct ot_trace *t = v->t;
	struct origin_group *g = NULL;
	struct ot_map index = {0};
	size_t ng = 0, nfailed = 0;

	for (size_t i = 0; i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++) {
			const struct ot_call *root = t->threads[i].roots[j];
			struct ot_origin o;
			bool added;
			size_t *at;
			char *key;

			if (!root->ret || !ot_origin_of(t, root, v->text, &o))
				continue;
			nfailed++;
			key = origin_key(v, root, &o);
			at = ot_map_get(&index, key, strlen(key), &added);
			if (added) {
				if (!(g = realloc(g, (ng + 1) * sizeof(*g))))
					abort();
				g[ng] = (struct origin_group){key, root, o, 0, {0}};
				*at = ng++;
			} else {
				free(key);
			}
			if (g[*at].n < MAX_ORIGIN_OPS)
				g[*at].lines[g[*at].n] = root->ret->line;
			g[*at].n++;
		}
	if (ng) {
		char title[128];

		snprintf(title, sizeof(title), "Where %s decided",
			 nfailed == 1 ? "the error was" : "each error was");
		heading(v, title);
	}
	for (size_t i = 0; i < ng; i++) {
		if (i < MAX_ORIGINS)
			write_origin_group(v, &g[i]);
		free(g[i].key);
	}
	if (ng > MAX_ORIGINS)
		fprintf(v->f, "  … %zu more places (the Markdown and JSON reports have each)\n",
			ng - MAX_ORIGINS);
	free(g);
	ot_map_free(&index);
}

static const char *mark_of(enum ot_verdict v, enum ot_ts_role *role)
{
	switch (v) {
	case OT_PASS:
		*role = OT_TS_PASS;
		return "✓";
	case OT_FAIL:
		*role = OT_TS_FAIL;
		return "✗";
	case OT_NOT_EVIDENCED:
		*role = OT_TS_WARN;
		return "?";
	case OT_SKIPPED:
		break;
	}
	*role = OT_TS_DIM;
	return "-";
}

static void write_claim(const struct view *v, const struct ot_claim_result *r)
{
	enum ot_ts_role role;
	const char *mark = mark_of(r->verdict, &role);
	char *sentence = plain(r->sentence ? r->sentence : r->claim);
	struct mem m;
	char *all;
	size_t shown = r->nevidence < MAX_EVIDENCE ? r->nevidence : MAX_EVIDENCE;
	FILE *f = v->f;

	/* the sentence and its evidence wrap together; the mark goes in front */
	mem_open(&m);
	fputs(sentence, m.f);
	for (size_t i = 0; i < shown; i++)
		fprintf(m.f, "%sL%u", i ? ", " : "  ", r->evidence[i]);
	if (shown < r->nevidence)
		fprintf(m.f, ", … +%zu", r->nevidence - shown);
	all = mem_close(&m);
	fputs("  ", f);
	put(v, role, mark);
	fputc(' ', f);
	ot_ts_wrap(f, all, 4, 4, v->tm->width);
	fputc('\n', f);
	if (r->verdict == OT_FAIL || r->verdict == OT_NOT_EVIDENCED) {
		fprintf(f, "    %s", ot_ts_on(v->tm, OT_TS_DIM));
		ot_ts_puts(f, r->claim ? r->claim : "");
		/* the detail, unless the sentence already said it */
		if (r->detail && *r->detail && !strstr(sentence, r->detail)) {
			fputs(": ", f);
			ot_ts_wrap(f, r->detail, 4 + ot_ts_width(r->claim) + 2, 6, v->tm->width);
		}
		fprintf(f, "%s\n", ot_ts_off(v->tm, OT_TS_DIM));
	}
	free(all);
	free(sentence);
}

/* The claims of a case; without one (the trace claim block), or quiet, those that
 * did not pass. */
static void write_claims(const struct view *v)
{
	const struct ot_claim_set *cs = v->in->claims;
	bool all = v->in->kase && !v->o->quiet;
	size_t shown = 0;

	for (size_t i = 0; cs && i < cs->n; i++) {
		if (!all && cs->r[i].verdict == OT_PASS)
			continue;
		if (!shown++)
			heading(v, all ? "Claims" : "Claims that did not pass");
		write_claim(v, &cs->r[i]);
	}
}

/* ---- the call tree ---- */

/* What a tree line holds besides the label, and how its label is shortened. */
struct line_parts {
	struct ot_label_fit fit;
	bool refs, site;
};

/* C's line after its stem and branch: "op#N label  Lx-Ly  at file:line". */
static char *node_text(const struct view *v, const struct ot_call *c, const struct line_parts *p,
		       bool color)
{
	size_t op = v->ops && c->index < v->t->ncalls ? v->ops[c->index] : 0;
	struct ot_term plain_tm = {false, 0};
	const struct ot_term *tm = color ? v->tm : &plain_tm;
	struct ot_label_fit fit = p->fit;
	unsigned a = c->entry ? c->entry->line : 0, b = c->ret ? c->ret->line : 0;
	struct mem m;
	char *label, *out;

	/* the label is made safe to show, then the error's colour put where these marks
	 * are (no label holds them: text values are quoted with their control
	 * characters escaped, names are identifiers) */
	fit.err_on = "\x01";
	fit.err_off = "\x02";
	mem_open(&m);
	ot_call_label_fit(m.f, v->t, c, &fit);
	label = mem_close(&m);
	mem_open(&m);
	if (op)
		fprintf(m.f, "%sop#%zu%s ", ot_ts_on(tm, OT_TS_STRONG), op,
			ot_ts_off(tm, OT_TS_STRONG));
	for (char *piece = label, *end; *piece; piece = end) {
		char mark;

		end = piece + strcspn(piece, "\x01\x02");
		mark = *end;
		*end = '\0';
		ot_ts_puts(m.f, piece);
		if (mark) {
			fputs(mark == '\x01' ? ot_ts_on(tm, OT_TS_FAIL) : ot_ts_off(tm, OT_TS_FAIL),
			      m.f);
			end++;
		}
	}
	if (p->refs && (a || b)) {
		fprintf(m.f, "  %s", ot_ts_on(tm, OT_TS_DIM));
		if (a)
			fprintf(m.f, "L%u", a);
		if (b)
			fprintf(m.f, "%sL%u", a ? "-" : "", b);
		fputs(ot_ts_off(tm, OT_TS_DIM), m.f);
	}
	if (p->site)
		ot_src_tree_site(m.f, v->t, c, tm);
	out = mem_close(&m);
	free(label);
	return out;
}

/* TEXT cut to COLS columns with "…" (no colour: it may cut through a sequence). */
static void put_cut(FILE *f, const char *text, size_t cols)
{
	char buf[2048];
	size_t w = 0, i = 0;

	snprintf(buf, sizeof(buf), "%s", text);
	for (; buf[i]; i++) {
		if (((unsigned char)buf[i] & 0xc0) == 0x80)
			continue;
		if (w++ == (cols ? cols - 1 : 0))
			break;
	}
	buf[i] = '\0';
	fprintf(f, "%s…", buf);
}

/* The line of C, fitted into what is left of the width after USED columns: strings
 * shortened, then addresses left out, then the arguments that are not text, the
 * return's fields, shorter strings, the call site, the log lines, the arguments from
 * the last; cut as a last resort. */
static void write_node_line(const struct view *v, const struct ot_call *c, size_t used)
{
	struct line_parts p = {
	    {OT_TEXT_MAX_STR, SIZE_MAX, false, false, false, NULL, NULL}, true, true};
	unsigned width = v->tm->width;
	char *s = node_text(v, c, &p, false);
	size_t args = c->entry ? c->entry->nfields : 0;

	for (int stage = 0; width && used + ot_ts_width(s) > width && stage < 8;) {
		switch (stage++) {
		case 0:
			p.fit.hide_ptrs = true;
			break;
		case 1:
			p.fit.text_args = true;
			break;
		case 2:
			p.fit.no_ret_fields = true;
			break;
		case 3:
			p.fit.max_str = SHORT_STR;
			break;
		case 4:
			p.site = false;
			break;
		case 5:
			p.refs = false;
			break;
		case 6:
			if (args) { /* again, one argument fewer each time */
				p.fit.max_args = --args;
				stage--;
			}
			break;
		default:
			continue;
		}
		free(s);
		s = node_text(v, c, &p, false);
	}
	if (width && used + ot_ts_width(s) > width) {
		put_cut(v->f, s, width > used + 1 ? width - used : 1);
	} else {
		free(s);
		s = node_text(v, c, &p, true);
		fputs(s, v->f);
	}
	free(s);
	fputc('\n', v->f);
}

/* One line that ran under a call: where, the source text (cut to fit), how often. */
static void write_step(const struct view *v, const char *prefix, const struct ot_line_step *s)
{
	const char *src = ot_srctext_line(v->text, s->at.file, s->at.line);
	char where[320], tail[64], cut[512];
	size_t used;

	snprintf(where, sizeof(where), "%*s%s:%u%s%s%s", (int)(2 * s->at.depth), "", s->at.file,
		 s->at.line, s->at.inlined_in ? " [" : "", s->at.inlined_in ? s->at.func : "",
		 s->at.inlined_in ? " inlined]" : "");
	if (s->hits > 1)
		snprintf(tail, sizeof(tail), "  ×%u  L%u", s->hits, s->first->line);
	else
		snprintf(tail, sizeof(tail), "  L%u", s->first->line);
	used = ot_ts_width(prefix) + ot_ts_width(where) + 2 + ot_ts_width(tail);
	fputs(prefix, v->f);
	put(v, OT_TS_DIM, where);
	if (src) {
		size_t room =
		    v->tm->width > used + MIN_SOURCE_TEXT ? v->tm->width - used : MIN_SOURCE_TEXT;

		fputs("  ", v->f);
		if (!v->tm->width || ot_ts_width(src) <= room)
			ot_ts_puts(v->f, src);
		else {
			snprintf(cut, sizeof(cut), "%s", src);
			put_cut(v->f, cut, room);
		}
	}
	put(v, OT_TS_DIM, tail);
	fputc('\n', v->f);
}

/* The lines that ran in C, as a block under its line; a long path by its first and
 * last lines. */
static void write_steps(const struct view *v, const struct ot_call *c, const char *kid_stem)
{
	struct ot_line_step s;
	size_t i = 0, n = 0, k = 0;
	char *prefix;

	if (!c->nhits)
		return;
	while (ot_line_step_next(v->t, c, &i, &s))
		n++;
	if (!n)
		return;
	if (!(prefix = malloc(strlen(kid_stem) + 16)))
		abort();
	sprintf(prefix, "%s%s  ", kid_stem, c->nkids ? "│" : " ");
	for (i = 0; ot_line_step_next(v->t, c, &i, &s); k++) {
		if (n > MAX_LINE_STEPS && k >= LINE_STEPS_END && k < n - LINE_STEPS_END) {
			if (k == LINE_STEPS_END) {
				fputs(prefix, v->f);
				fprintf(v->f, "%s… %zu more lines …%s\n",
					ot_ts_on(v->tm, OT_TS_DIM), n - 2 * LINE_STEPS_END,
					ot_ts_off(v->tm, OT_TS_DIM));
			}
			continue;
		}
		write_step(v, prefix, &s);
	}
	free(prefix);
}

static void write_node(const struct view *v, const struct ot_call *c, const char *stem, bool last)
{
	struct mem m;
	char *levels, *inl_stem, *kid_stem;
	size_t sl;

	/* inlined functions between the parent and C: levels of their own, as in the
	 * Markdown, each a line of its own (cut to the width like any line) */
	mem_open(&m);
	inl_stem = ot_src_tree_levels(m.f, v->t, c, stem, last, v->tm);
	levels = mem_close(&m);
	fputs(levels, v->f);
	free(levels);
	if (inl_stem) {
		stem = inl_stem;
		last = true;
	}
	sl = strlen(stem);
	fprintf(v->f, "%s%s", stem, last ? OT_BRANCH_LAST : OT_BRANCH_MID);
	write_node_line(v, c, ot_ts_width(stem) + 3);
	if (!(kid_stem = malloc(sl + sizeof(OT_STEM_MID))))
		abort();
	memcpy(kid_stem, stem, sl);
	strcpy(kid_stem + sl, last ? OT_STEM_LAST : OT_STEM_MID);
	write_steps(v, c, kid_stem);
	for (size_t i = 0; i < c->nkids; i++)
		write_node(v, c->kids[i], kid_stem, i + 1 == c->nkids);
	free(kid_stem);
	free(inl_stem);
}

static void write_tree(const struct view *v)
{
	const struct ot_trace *t = v->t;
	const char *anchor = v->in->kase ? v->in->kase->anchor : NULL;
	char about[512] = "";
	FILE *m;

	heading(v, "Call tree");
	if (!t->ncalls) {
		fputs("No calls in the log.\n", v->f);
		return;
	}
	m = fmemopen(about, sizeof(about), "w");
	if (m) {
		fprintf(m, "Per thread (pid/tid comm), calls nested as they ran; Lx-Ly: the log lines%s%s%s",
			anchor ? "; op#N: the N-th call of " : "", anchor ? anchor : "",
			anchor ? ", as the claims count them" : "");
		ot_tree_renamed(m, t, "");
		fclose(m);
	}
	about[sizeof(about) - 1] = '\0';
	fputs(ot_ts_on(v->tm, OT_TS_DIM), v->f);
	ot_ts_wrap(v->f, about, 0, 0, v->tm->width);
	fprintf(v->f, "%s\n", ot_ts_off(v->tm, OT_TS_DIM));
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct ot_thread *th = &t->threads[i];
		char id[48];

		snprintf(id, sizeof(id), "%u/%u ", th->pid, th->tid);
		put(v, OT_TS_STRONG, id);
		put(v, OT_TS_STRONG, th->comm ? th->comm : "?");
		fputc('\n', v->f);
		for (size_t j = 0; j < th->nroots; j++)
			write_node(v, th->roots[j], "", j + 1 == th->nroots);
	}
}

/* ---- at scale ---- */

static void write_shapes(const struct view *v, struct ot_scale *sc)
{
	size_t nshapes, nerrors, nops = ot_scale_sort(sc, &nshapes, &nerrors);
	FILE *f = v->f;

	heading(v, "Call shapes");
	write_count(f, v->t->stats.calls);
	fputs(" calls in ", f);
	write_count(f, nops);
	fprintf(f,
		" operations, too many to draw one by one: %zu distinct shape%s (the functions "
		"called, nested as { }, with their returns); the Markdown and JSON reports and the "
		"log keep every call.\n",
		nshapes, nshapes == 1 ? "" : "s");
	for (size_t i = 0; i < nshapes && i < MAX_SHAPES; i++) {
		struct ot_scale_shape sh;
		struct mem m;
		char *head;
		size_t used, room;

		ot_scale_shape_at(sc, i, &sh);
		mem_open(&m);
		fputs("  ", m.f);
		write_count(m.f, sh.count);
		fputs(" × ", m.f);
		head = mem_close(&m);
		used = ot_ts_width(head) + 2 + 1 + 10; /* "  Lnnnnnnnn" */
		room = v->tm->width > used + 20 ? v->tm->width - used : SHAPE_TEXT_NOFIT;
		fputs(head, f);
		if (ot_ts_width(sh.text) > room)
			put_cut(f, sh.text, room);
		else
			ot_ts_puts(f, sh.text);
		fprintf(f, "  %sL%u%s\n", ot_ts_on(v->tm, OT_TS_DIM), sh.first_line,
			ot_ts_off(v->tm, OT_TS_DIM));
		free(head);
	}
	if (nshapes > MAX_SHAPES)
		fprintf(f, "  … %zu more shapes\n", nshapes - MAX_SHAPES);
}

static void write_scale_errors(const struct view *v, struct ot_scale *sc)
{
	size_t nshapes, nerrors;
	FILE *f = v->f;

	ot_scale_sort(sc, &nshapes, &nerrors);
	heading(v, "Errors by function");
	if (!nerrors) {
		fputs("No call returned an error.\n", f);
		return;
	}
	for (size_t i = 0; i < nerrors && i < MAX_ERROR_ROWS; i++) {
		struct ot_scale_error e;
		const char *name;
		char err[32];

		ot_scale_error_at(sc, i, &e);
		name = ot_errno_name(e.err);
		snprintf(err, sizeof(err), "%s", name ? name : "");
		if (!name)
			snprintf(err, sizeof(err), "%d", e.err);
		fputs("  ", f);
		ot_ts_puts(f, e.func);
		fputc(' ', f);
		put(v, OT_TS_FAIL, err);
		fputs(" ×", f);
		write_count(f, e.count);
		fprintf(f, "  %sfirst L%u%s\n", ot_ts_on(v->tm, OT_TS_DIM), e.first_line,
			ot_ts_off(v->tm, OT_TS_DIM));
	}
	if (nerrors > MAX_ERROR_ROWS)
		fprintf(f, "  … %zu more\n", nerrors - MAX_ERROR_ROWS);
}

/* ---- counts ---- */

/* Each function's calls and what they returned (the Markdown's return counts). */
static void write_counts(const struct view *v)
{
	const struct ot_summary *s = &v->m->s;
	size_t w = 0;
	FILE *f = v->f;

	if (!s->nfuncs)
		return;
	heading(v, "Calls by function");
	for (size_t i = 0; i < s->nfuncs; i++) {
		size_t l = strlen(s->funcs[i].func);

		if (l > w)
			w = l < 28 ? l : 28;
	}
	for (size_t i = 0; i < s->nfuncs; i++) {
		const struct ot_func_summary *fs = &s->funcs[i];
		struct mem m;
		char *vals;

		mem_open(&m);
		for (size_t j = 0; j < fs->nvalues; j++)
			fprintf(m.f, "%s%s ×%zu", j ? ", " : "", fs->values[j].text,
				fs->values[j].n);
		if (fs->unpaired)
			fprintf(m.f, "%s%zu unpaired", fs->nvalues ? ", " : "", fs->unpaired);
		if (!fs->nvalues && !fs->unpaired)
			fputs("never called", m.f);
		vals = mem_close(&m);
		fputs("  ", f);
		ot_ts_puts(f, fs->func);
		fprintf(f, "%*s %7zu  ", (int)(w > strlen(fs->func) ? w - strlen(fs->func) : 0), "",
			fs->entries > fs->rets ? fs->entries : fs->rets);
		ot_ts_wrap(f, vals, 2 + w + 1 + 7 + 2, 2 + w + 1 + 7 + 2, v->tm->width);
		fputc('\n', f);
		free(vals);
	}
}

int ot_report_text_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m,
			const struct ot_text_opts *o)
{
	const struct ot_trace *t = in->trace;
	struct view v = {f, in, m, o, &o->term, t, NULL, NULL};
	struct ot_scale *own = NULL, *sc = m->scale;
	size_t *ops = NULL;

	if (!(v.text = ot_srctext_new(ot_srcinfo_kernel(t))))
		return -1;
	write_header(&v);
	write_warnings(&v);
	if (!t->streamed)
		write_origins(&v);
	write_claims(&v);
	if (!sc && ot_md_summarises(t)) { /* a whole trace, too large to draw */
		own = sc = ot_scale_new(false);
		for (size_t i = 0; i < t->nthreads; i++)
			for (size_t j = 0; j < t->threads[i].nroots; j++)
				ot_scale_add_op(sc, t, t->threads[i].roots[j]);
	}
	if (o->quiet) {
		if (t->streamed && sc) /* no operation kept: no origins, but the errors */
			write_scale_errors(&v, sc);
		write_counts(&v);
	} else if (sc) {
		write_shapes(&v, sc);
		write_scale_errors(&v, sc);
	} else {
		v.ops = ops = ot_op_numbers(t, in->kase ? in->kase->anchor : NULL);
		write_tree(&v);
	}
	free(ops);
	ot_scale_free(own);
	ot_srctext_free(v.text);
	return ferror(f) ? -1 : 0;
}
