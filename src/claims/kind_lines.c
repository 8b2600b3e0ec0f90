// SPDX-License-Identifier: MIT
/* The line claims (line probes, docs/source-index.md "Line probes"): a line is named
 * by its source text within a function, never by its number, and resolved on each
 * kernel to the one line of that function whose text holds it (none, or several, is
 * an error of the claim, never a pass):
 *   ran SEL "TEXT"           a selected call ran that line
 *   not_ran SEL "TEXT"       the selected calls ran, and none ran that line
 *   ran SEL FUNC "TEXT"      the same for a line of FUNC (F1|F2: of either), run within
 *                            the selected call: a function SEL calls, out of line on
 *                            some kernels (its lines' hits are then the call's, since it
 *                            is not traced) and inlined into SEL's on others
 *   origin SEL FUNC "TEXT"   the operation of SEL's first call failed, its error was
 *                            decided in FUNC, and the last line FUNC ran holds TEXT;
 *                            FUNC may name alternatives, F1|F2, for a function that is
 *                            called on some kernels and inlined into F2 on others
 * SEL's function's lines include those of the functions inlined into it. */
#include "claims/kind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/linepath.h"
#include "srcmap/srcinfo.h"
#include "srcmap/srctext.h"
#include "trace/decode.h"

/* The next of the '|'-separated alternatives at *P ("link_path_walk|path_openat")
 * into ONE (too long: ""), *P moved past it; false at the end. */
static bool alt_next(const char **p, char *one, size_t size)
{
	size_t len = strcspn(*p, "|");

	if (!**p)
		return false;
	snprintf(one, size, "%.*s", len < size ? (int)len : 0, *p);
	*p += len + ((*p)[len] == '|');
	return true;
}

static bool chain_has_any(const struct ot_trace *t, const char *chain, const char *alts);

/* The one line of FUNC (or of a function inlined into it; FUNC may be F1|F2) whose
 * text holds TEXT:
 * *AT ("file:line", as the points' at=), returning 1; else how many distinct lines
 * hold it (0, or 2 and more: WHY lists them). *NPROBED: FUNC's points; *NSRC: those
 * whose source line is at hand. */
static int resolve_text(const struct ot_trace *t, struct ot_srctext *src, const char *func,
			const char *text, const char **at_text, size_t *nprobed, size_t *nsrc,
			char *why, size_t whysz)
{
	int found = 0;
	size_t used = 0;

	*nprobed = *nsrc = 0;
	*why = '\0';
	for (size_t i = 0; i < t->nline_points; i++) {
		const struct ot_record *p = t->line_points[i];
		const char *chain = p ? ot_rec_str(p, "chain") : NULL;
		struct ot_line_at at;
		const char *s;
		int k;

		if (!chain || !chain_has_any(t, chain, func) ||
		    !ot_line_at_of(p, &at))
			continue;
		(*nprobed)++;
		if (!(s = ot_srctext_line(src, at.file, at.line)))
			continue;
		(*nsrc)++;
		if (!strstr(s, text) || (found && !strcmp(*at_text, ot_rec_str(p, "at"))))
			continue; /* another line, or another instruction of the same line */
		if (!found)
			*at_text = ot_rec_str(p, "at");
		found++;
		k = snprintf(why + used, used < whysz ? whysz - used : 0, "%s%s:%u",
			     used ? ", " : "", at.file, at.line);
		used += k > 0 ? (size_t)k : 0;
	}
	return found;
}

/* Is NAME one of the '|'-separated functions of ALTS ("link_path_walk|path_openat": a
 * function of its own on some kernels, inlined into the other on the rest)? */
static bool one_of(const char *alts, const char *name)
{
	char one[64];

	for (const char *a = alts; alt_next(&a, one, sizeof(one));)
		if (!strcmp(one, name))
			return true;
	return false;
}

/* Does CHAIN hold one of the '|'-separated functions of ALTS, under its name or
 * under its role's name on this kernel (run.fact roles=: shmem_get_inode is
 * __shmem_get_inode since 6.3, and the points' chains name the real one)? */
static bool chain_has_any(const struct ot_trace *t, const char *chain, const char *alts)
{
	char one[64], real[128];

	for (const char *a = alts; alt_next(&a, one, sizeof(one));)
		if (*one && (ot_chain_has(chain, one) ||
			     ot_chain_has(chain, ot_srcinfo_real_name(t, one, real, sizeof(real)))))
			return true;
	return false;
}

/* The points at FILE:LINE ("file:line" as the line.fact's at=): placed ones counted. */
static bool point_is(const struct ot_record *p, const char *at_text)
{
	const char *a = p ? ot_rec_str(p, "at") : NULL;

	return a && !strcmp(a, at_text);
}

static size_t placed_points(const struct ot_trace *t, const char *at_text)
{
	size_t n = 0;

	for (size_t i = 0; i < t->nline_points; i++)
		if (point_is(t->line_points[i], at_text) &&
		    !ot_rec_str(t->line_points[i], "refused"))
			n++;
	return n;
}

static void check_ran(const struct ot_claim_ctx *c, const struct ot_claim *cl,
		      struct ot_claim_result *res, struct ot_srctext *src)
{
	const struct ot_trace *t = c->t;
	bool want = cl->kind == OT_CLAIM_RAN;
	const struct ot_sel *s = &cl->sel[0];
	const char *at_text = NULL, *of = cl->u.ran.func[0] ? cl->u.ran.func : s->func;
	unsigned hit_line = 0;
	size_t nprobed, nsrc, calls = 0;
	char why[200];
	struct ot_events e;
	int n = resolve_text(t, src, of, cl->u.ran.text, &at_text, &nprobed, &nsrc, why,
			     sizeof(why));

	if (!nprobed) {
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED,
				     "no line of %s was probed in this run (--lines %s)", of, of);
		return;
	}
	if (!nsrc) {
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED,
				     "the source of %s is not at hand to find \"%s\" (opentrail "
				     "debuginfo fetches it)",
				     ot_srcinfo_kernel(t) ? ot_srcinfo_kernel(t) : "this kernel",
				     cl->u.ran.text);
		return;
	}
	if (n > 1) {
		ot_claim_set_verdict(res, OT_FAIL,
				     "the claim is ambiguous here: \"%s\" is on %d lines of %s "
				     "(%s)",
				     cl->u.ran.text, n, of, why);
		return;
	}
	if (!n) {
		ot_claim_set_verdict(res, OT_FAIL,
				     "the claim names no line here: no probed line of %s holds "
				     "\"%s\"",
				     of, cl->u.ran.text);
		return;
	}
	if (!placed_points(t, at_text)) {
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED, "%s (\"%s\") could not be probed",
				     at_text, cl->u.ran.text);
		return;
	}
	ot_sel_events(t, c->anchor, c->picks, s, &e);
	for (size_t i = 0; i < e.n; i++) {
		const struct ot_call *k = e.ev[i].call;

		if (i && k == e.ev[i - 1].call)
			continue;
		calls++;
		ot_claim_add_evidence(res, ot_call_line(k));
		for (size_t h = 0; h < k->nhits && !hit_line; h++)
			if (point_is(ot_trace_hit_point(t, k->hits[h]), at_text))
				hit_line = k->hits[h]->line;
	}
	if (hit_line)
		ot_claim_add_evidence(res, hit_line);
	if (e.scope_missing)
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!calls)
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED, "no %s call in the log", s->func);
	else if (hit_line)
		ot_claim_set_verdict(res, want ? OT_PASS : OT_FAIL, "%s (\"%s\") ran at L%u",
				     at_text, cl->u.ran.text, hit_line);
	else
		ot_claim_set_verdict(res, want ? OT_FAIL : OT_PASS,
				     "%s (\"%s\") did not run in %zu %s call(s)", at_text,
				     cl->u.ran.text, calls, s->func);
	ot_events_free(&e);
}

/* Is the one line of FUNC holding TEXT a line whose points were all refused (*AT:
 * "file:line")? (arm64's kprobes refuse a tracepoint's jump-label NOP, and the
 * instructions that follow a load-exclusive.) */
static bool unprobed_text(const struct ot_trace *t, struct ot_srctext *src, const char *func,
			  const char *text, const char **at)
{
	size_t nprobed, nsrc;
	char why[200];

	return resolve_text(t, src, func, text, at, &nprobed, &nsrc, why, sizeof(why)) == 1 &&
	       !placed_points(t, *at);
}

static void check_origin(const struct ot_claim_ctx *c, const struct ot_claim *cl,
			 struct ot_claim_result *res, struct ot_srctext *src)
{
	const struct ot_trace *t = c->t;
	const char *unprobed = NULL;
	struct ot_events e;
	const struct ot_call *root;
	struct ot_origin o;
	struct ot_line_at at;
	const char *s;

	ot_sel_events(t, c->anchor, c->picks, &cl->sel[0], &e);
	if (e.scope_missing || !e.n) {
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED, "%s",
				     e.scope_missing ? e.why : "no such call in the log");
		ot_events_free(&e);
		return;
	}
	for (root = e.ev[0].call; root->parent;)
		root = root->parent;
	ot_events_free(&e);
	if (!ot_origin_of(t, root, src, &o)) {
		ot_claim_add_evidence(res, ot_call_line(root));
		ot_claim_set_verdict(res, OT_FAIL, "the operation of %s did not fail",
				     cl->seltext[0]);
		return;
	}
	ot_claim_add_evidence(res, root->ret->line);
	if (o.call->ret)
		ot_claim_add_evidence(res, o.call->ret->line);
	if (!one_of(cl->u.origin.func, o.call->func)) {
		ot_claim_set_verdict(res, OT_FAIL, "%s was decided in %s, not in %s",
				     ot_errno_name(o.err), o.call->func, cl->u.origin.func);
		return;
	}
	if (!ot_line_at_of(o.point, &at)) {
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED,
				     "%s was decided in %s, and none of its lines were seen to run "
				     "(--lines %s)",
				     ot_errno_name(o.err), o.call->func, o.call->func);
		return;
	}
	ot_claim_add_evidence(res, o.hit->line);
	s = ot_srctext_line(src, at.file, at.line);
	bool holds = s && strstr(s, cl->u.origin.text);

	if (!s)
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED,
				     "%s was decided in %s at %s:%u, whose source is not at hand",
				     ot_errno_name(o.err), o.call->func, at.file, at.line);
	else if (!holds && unprobed_text(t, src, o.call->func, cl->u.origin.text, &unprobed))
		/* The line it names could not be probed: that it did not decide is not
		 * seen. */
		ot_claim_set_verdict(res, OT_NOT_EVIDENCED,
				     "%s was decided in %s; the last line seen to run there is "
				     "%s:%u, and %s (\"%s\") could not be probed",
				     ot_errno_name(o.err), o.call->func, at.file, at.line, unprobed,
				     cl->u.origin.text);
	else if (!holds && !o.names_errno)
		/* No line naming the errno ran: the value came from instructions the
		 * line table gives to other lines (arm64's 6.12 inet_create sets
		 * -EPROTONOSUPPORT at its loop's exit, in line 292's), or from an
		 * untraced call. The last line is no deciding one: say so. */
		ot_claim_set_verdict(res, OT_FAIL,
				     "%s was decided in %s, where no line naming it was seen to run "
				     "(the value came from instructions the line table gives to "
				     "other lines, or from a call not traced); the last line that "
				     "ran: %s:%u: \"%s\"",
				     ot_errno_name(o.err), o.call->func, at.file, at.line, s);
	else if (!holds)
		ot_claim_set_verdict(res, OT_FAIL, "%s was decided in %s at %s:%u: \"%s\"",
				     ot_errno_name(o.err), o.call->func, at.file, at.line, s);
	else
		ot_claim_set_verdict(res, OT_PASS, "%s was decided in %s at %s:%u: \"%s\"",
				     ot_errno_name(o.err), o.call->func, at.file, at.line, s);
}

/* ran, not_ran, origin: the line probes' text resolved on this kernel first. */
void ot_eval_lines(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_trace *t = c->t;
	struct ot_claim_result *res = c->res;
	const char *gone = ot_trace_run_fact(t, "lines_unavailable");
	struct ot_srctext *src;

	if (gone && !t->nline_points) {
		ot_claim_set_verdict(res, OT_SKIPPED, "no line probes on this kernel: %s", gone);
		return;
	}
	src = ot_srctext_new(ot_srcinfo_kernel(t));
	if (cl->kind == OT_CLAIM_ORIGIN)
		check_origin(c, cl, res, src);
	else
		check_ran(c, cl, res, src);
	ot_srctext_free(src);
}

/* --- parsing and sentences --- */

/* ran SEL [FUNC] "TEXT" | not_ran SEL [FUNC] "TEXT" */
int ot_parse_ran(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	struct ot_claim_ran *r = &cl->u.ran;

	if (n == 3) {
		if (strlen(a[1]) >= sizeof(r->func))
			return ot_claim_error(err, errsz, "a function name");
		snprintf(r->func, sizeof(r->func), "%s", a[1]);
	}
	return ot_claim_parse_sel(cl, a[0], err, errsz) ||
		       ot_claim_parse_text(a[n - 1], r->text, sizeof(r->text), err, errsz)
		   ? -1
		   : 0;
}

/* origin SEL FUNC "TEXT" */
int ot_parse_origin(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	struct ot_claim_origin *o = &cl->u.origin;

	(void)n;
	if (strlen(a[1]) >= sizeof(o->func))
		return ot_claim_error(err, errsz, "a function name");
	snprintf(o->func, sizeof(o->func), "%s", a[1]);
	return ot_claim_parse_sel(cl, a[0], err, errsz) ||
		       ot_claim_parse_text(a[2], o->text, sizeof(o->text), err, errsz)
		   ? -1
		   : 0;
}

void ot_sentence_ran(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char calls[300];

	ot_phrase_calls_in_op(&b, in, calls, sizeof(calls));
	ot_sput(&b, "%s %s the line `%s`", calls,
		in->cl->kind == OT_CLAIM_RAN ? "ran" : "did not run", in->cl->u.ran.text);
	if (in->cl->u.ran.func[0])
		ot_sput(&b, " of `%s`", in->cl->u.ran.func);
	ot_sput(&b, ".");
	ot_sfinish(&b);
}

void ot_sentence_origin(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	bool scoped;

	char funcs[160];
	size_t n = 0;

	/* "`a` or `b`" for the alternatives a|b */
	for (const char *f = in->cl->u.origin.func; *f && n + 8 < sizeof(funcs); f++)
		n += (size_t)snprintf(funcs + n, sizeof(funcs) - n, "%s",
				      *f == '|' ? "` or `" : (char[]){*f, '\0'});
	funcs[n] = '\0';
	ot_phrase_in_op(&b, in, &scoped);
	ot_sput(&b, "the operation of `%s` failed, its error decided in `%s` at the line `%s`.",
		in->cl->seltext[0], funcs, in->cl->u.origin.text);
	ot_sfinish(&b);
}
