// SPDX-License-Identifier: MIT
/* Plain sentences for claims (see sentence.h). A sentence says what a claim that
 * passed showed, with the run's values; for any other verdict it says what was
 * missing or wrong. Words only ever restate what the evaluator saw. */
#include "claims/sentence.h"

#include "probe/spec.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t sz, len;
};

static void put(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->len >= b->sz)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->sz - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->sz ? b->len + (size_t)n : b->sz - 1;
}

static void finish(struct buf *b)
{
	if (b->sz && b->p[0])
		b->p[0] = (char)toupper((unsigned char)b->p[0]);
}

static const char *ordinal(int n, char *tmp, size_t sz)
{
	static const char *const words[] = {"first", "second",	"third",  "fourth", "fifth",
					    "sixth", "seventh", "eighth", "ninth",  "tenth"};
	if (n >= 1 && n <= 10)
		return words[n - 1];
	const char *suf = (n % 100 >= 11 && n % 100 <= 13) ? "th"
			  : n % 10 == 1			   ? "st"
			  : n % 10 == 2			   ? "nd"
			  : n % 10 == 3			   ? "rd"
							   : "th";
	snprintf(tmp, sz, "%d%s", n, suf);
	return tmp;
}

/* Is the selected value a pointer, per the probe spec? */
static bool is_pointer(const struct ot_sel *s)
{
	const struct ot_probe *p = ot_probe_find(s->func);
	enum ot_field_kind kind;

	if (s->ret && (!s->field[0] || !strcmp(s->field, "ret")))
		return p && p->ret_kind == OT_RET_PTR;
	return ot_probe_field_kind(s->func, s->ret, s->field, &kind) && kind == OT_FK_PTR;
}

/* A value as a reader expects it: addresses (16 hex digits in the log) with 0x, small
 * numbers that are not pointers (an fd, a count) in decimal. */
static const char *shown(const struct ot_sel *s, const char *v, char *tmp, size_t sz)
{
	size_t n = strlen(v);

	if (n != 16 || strspn(v, "0123456789abcdef") != 16)
		return v;
	unsigned long long u = strtoull(v, NULL, 16);
	if (u < 65536 && !is_pointer(s))
		snprintf(tmp, sz, "%llu", u);
	else
		snprintf(tmp, sz, "0x%s", v);
	return tmp;
}

/* What one operation of the case is called: "open", "socket() call", "`f` call". */
static void op_noun(const char *anchor, char *out, size_t sz)
{
	if (strstr(anchor, "open"))
		snprintf(out, sz, "open");
	else if (strstr(anchor, "socket"))
		snprintf(out, sz, "socket() call");
	else
		snprintf(out, sz, "`%s` call", anchor);
}

/* "the second open": from the run when the operation was found, else from the scope. */
static void op_phrase(const struct ot_sentence_in *in, const struct ot_sel *s, int opn, char *out,
		      size_t sz)
{
	char noun[64], t1[16], t2[16];
	const struct ot_scope *sc = &s->scope;

	op_noun(in->anchor, noun, sizeof(noun));
	if (!sc->op)
		out[0] = '\0';
	else if (opn > 0)
		snprintf(out, sz, "the %s %s", ordinal(opn, t1, sizeof(t1)), noun);
	else {
		const char *nth = sc->n < 0 ? "last" : ordinal(sc->n, t1, sizeof(t1));
		char base[192];
		if (sc->has[0])
			snprintf(base, sizeof(base), "the %s %s that calls `%s`", nth, noun,
				 sc->has);
		else
			snprintf(base, sizeof(base), "the %s %s", nth, noun);
		if (sc->plus)
			snprintf(out, sz, "the %s %s after %s", ordinal(sc->plus, t2, sizeof(t2)),
				 noun, base);
		else
			snprintf(out, sz, "%s", base);
	}
}

/* A selector's filters: ' (where name="a.txt")', or "". */
static void filters(const struct ot_sel *s, char *filt, size_t sz)
{
	size_t fl = 0;

	filt[0] = '\0';
	for (int k = 0; k < s->nfilt && fl < sz; k++)
		fl += (size_t)snprintf(filt + fl, sz - fl, "%s%s=\"%s\"", k ? ", " : " (where ",
				       s->filt[k].key, s->filt[k].val);
	if (s->nfilt && fl < sz)
		snprintf(filt + fl, sz - fl, ")");
}

/* The calls a selector names: "the second open's `f`", "the first `f` call of the last
 * open", with its filters. */
static void subject(const struct ot_sentence_in *in, int i, char *out, size_t sz)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char op[400], t[16], filt[200] = "";

	op_phrase(in, s, in->seen->opn[i], op, sizeof(op));
	filters(s, filt, sizeof(filt));
	if (s->nth)
		snprintf(out, sz, "the %s `%s` call%s%s%s",
			 s->nth < 0 ? "last" : ordinal(s->nth, t, sizeof(t)), s->func, filt,
			 op[0] ? " of " : "", op);
	else if (op[0])
		snprintf(out, sz, "%s's `%s`%s", op, s->func, filt);
	else
		snprintf(out, sz, "`%s`%s", s->func, filt);
}

static bool is_ret_value(const struct ot_sel *s)
{
	return s->ret && (!s->field[0] || !strcmp(s->field, "ret"));
}

static bool creates(const char *func)
{
	return strstr(func, "alloc") != NULL;
}

/* What kind of object a selected value is, as a reader would name it. */
static const char *noun(const struct ot_sel *s)
{
	static const struct {
		const char *field, *noun;
	} fields[] = {{"dentry", "dentry"},
		      {"inode", "inode"},
		      {"file", "file"},
		      {"sock", "sock"},
		      {"sk", "sock"},
		      {"socket", "socket"},
		      {"parent", "dentry"},
		      {"name_ptr", "address"},
		      {"dname_ptr", "address"},
		      {"fd", "file descriptor"},
		      {"private_data", "pointer"}};

	if (is_ret_value(s)) {
		if (strstr(s->func, "d_alloc") || strstr(s->func, "d_lookup") ||
		    !strcmp(s->func, "d_splice_alias") || !strcmp(s->func, "lookup_open"))
			return "dentry";
		if (strstr(s->func, "sock_alloc") && !strstr(s->func, "file"))
			return "socket";
		if (!strcmp(s->func, "sk_alloc"))
			return "sock";
		if (strstr(s->func, "file") || !strcmp(s->func, "do_filp_open"))
			return "file";
		return "pointer";
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (!strcmp(s->field, fields[i].field))
			return fields[i].noun;
	return "value";
}

/* "the first open's `__d_alloc` created 0xffff..." */
static void with_value(struct buf *b, const struct ot_sentence_in *in, int i, const char *raw)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char subj[800], tmp[128];
	const char *v = shown(s, raw, tmp, sizeof(tmp));

	subject(in, i, subj, sizeof(subj));
	if (is_ret_value(s))
		put(b, "%s %s %s", subj, creates(s->func) ? "created" : "returned", v);
	else if (s->ret)
		put(b, "%s returned with `%s` = %s", subj, s->field, v);
	else
		put(b, "%s was called with `%s` = %s", subj, s->field[0] ? s->field : "ret", v);
}

/* "the first open's `__d_alloc` created" (after "the same dentry") */
static void relative(struct buf *b, const struct ot_sentence_in *in, int i)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char subj[800];

	subject(in, i, subj, sizeof(subj));
	if (is_ret_value(s))
		put(b, "%s %s", subj, creates(s->func) ? "created" : "returned");
	else if (s->ret)
		put(b, "%s returned as `%s`", subj, s->field);
	else
		put(b, "%s was passed as `%s`", subj, s->field[0] ? s->field : "ret");
}

/* "the `name_ptr` the first open's `__d_alloc` was called with" */
static void value_np(struct buf *b, const struct ot_sentence_in *in, int i)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char subj[800];

	subject(in, i, subj, sizeof(subj));
	if (is_ret_value(s))
		put(b, "the %s %s %s", noun(s), subj, creates(s->func) ? "created" : "returned");
	else if (s->ret)
		put(b, "the `%s` %s returned", s->field, subj);
	else
		put(b, "the `%s` %s was called with", s->field[0] ? s->field : "ret", subj);
}

/* "In the second open, " or "" for the whole trace. */
static void in_op(struct buf *b, const struct ot_sentence_in *in, bool *scoped)
{
	char op[400];

	op_phrase(in, &in->cl->sel[0], in->seen->opn[0], op, sizeof(op));
	*scoped = op[0] != '\0';
	if (*scoped)
		put(b, "in %s, ", op);
}

static const char *op_words(const char *op)
{
	if (!strcmp(op, "=="))
		return "exactly";
	if (!strcmp(op, "!="))
		return "other than";
	if (!strcmp(op, "<"))
		return "fewer than";
	if (!strcmp(op, "<="))
		return "at most";
	if (!strcmp(op, ">"))
		return "more than";
	if (!strcmp(op, ">="))
		return "at least";
	return op;
}

#define BUF(name) struct buf name = {buf, sz, 0}

void ot_sentence_pairs(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);

	if (in->cl->func[0])
		put(&b, "each of the %zu `%s` calls", in->seen->n, in->cl->func);
	else
		put(&b, "each of the %zu traced calls", in->seen->n);
	put(&b, " returned on the thread that made it, nested inside its caller.");
	finish(&b);
}

void ot_sentence_decoded(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);

	put(&b,
	    "all %zu return values decode as the probe dictionary says they should "
	    "(a pointer, NULL, an ERR_PTR or a number).",
	    in->seen->n);
	finish(&b);
}

void ot_sentence_no_loss(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);

	(void)in;
	put(&b, "no trace records were lost: the log holds every event the probes saw.");
	finish(&b);
}

void ot_sentence_user_agrees(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);

	if (in->seen->n == 1)
		put(&b, "what the program saw agrees with the kernel: its one result matches the "
			"return of the kernel call that served it.");
	else
		put(&b,
		    "what the program saw agrees with the kernel: each of its %zu results matches "
		    "the return of the kernel call that served it.",
		    in->seen->n);
	finish(&b);
}

/* "`f` (where name="a")" or "the last `f` call": the calls, without their operation. */
static void calls_of(const struct ot_sel *s, char *out, size_t sz)
{
	char filt[200], t[16];

	filters(s, filt, sizeof(filt));
	if (s->nth)
		snprintf(out, sz, "the %s `%s` call%s",
			 s->nth < 0 ? "last" : ordinal(s->nth, t, sizeof(t)), s->func, filt);
	else
		snprintf(out, sz, "`%s`%s", s->func, filt);
}

void ot_sentence_hit(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	bool scoped;
	char calls[300];

	in_op(&b, in, &scoped);
	calls_of(&in->cl->sel[0], calls, sizeof(calls));
	put(&b, "%s ran %zu time%s (first at L%u).", calls, in->seen->n,
	    in->seen->n == 1 ? "" : "s", in->seen->line[0]);
	finish(&b);
}

void ot_sentence_caller(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	bool scoped;
	char calls[300];

	in_op(&b, in, &scoped);
	calls_of(&in->cl->sel[0], calls, sizeof(calls));
	put(&b, "%s was called from `%s`, inlined there or not.", calls, in->cl->value);
	finish(&b);
}

void ot_sentence_ran(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	bool scoped;
	char calls[300];

	in_op(&b, in, &scoped);
	calls_of(&in->cl->sel[0], calls, sizeof(calls));
	put(&b, "%s %s the line `%s`.", calls,
	    strcmp(ot_claim_kind_name(in->cl), "ran") ? "did not run" : "ran", in->cl->value);
	finish(&b);
}

void ot_sentence_origin(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	bool scoped;

	char funcs[160];
	size_t n = 0;

	/* "`a` or `b`" for the alternatives a|b */
	for (const char *f = in->cl->func; *f && n + 8 < sizeof(funcs); f++)
		n += (size_t)snprintf(funcs + n, sizeof(funcs) - n, "%s",
				      *f == '|' ? "` or `" : (char[]){*f, '\0'});
	funcs[n] = '\0';
	in_op(&b, in, &scoped);
	put(&b, "the operation of `%s` failed, its error decided in `%s` at the line `%s`.",
	    in->cl->seltext[0], funcs, in->cl->value);
	finish(&b);
}

void ot_sentence_absent(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	bool scoped;
	char calls[300];

	in_op(&b, in, &scoped);
	calls_of(&in->cl->sel[0], calls, sizeof(calls));
	if (in->cl->sel[0].nfilt || in->cl->sel[0].nth)
		put(&b, "%s never ran, although `%s` was probed.", calls, in->cl->sel[0].func);
	else
		put(&b, "%s never ran, although it was probed.", calls);
	finish(&b);
}

void ot_sentence_count(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	bool scoped;
	char calls[300];

	in_op(&b, in, &scoped);
	calls_of(&in->cl->sel[0], calls, sizeof(calls));
	if (in->seen->n)
		put(&b, "%s ran %zu time%s", calls, in->seen->n, in->seen->n == 1 ? "" : "s");
	else
		put(&b, "%s never ran (%s was probed)", calls,
		    in->cl->sel[0].nfilt || in->cl->sel[0].nth ? "the function" : "it");
	put(&b, ": %s %" PRId64 ", as claimed.", op_words(in->cl->op), in->cl->num);
	finish(&b);
}

void ot_sentence_ret(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	char subj[800];
	const char *k = ot_claim_kind_name(in->cl);
	const char *each = in->seen->n > 1 ? " every time" : "";

	subject(in, 0, subj, sizeof(subj));
	if (!strcmp(k, "ret_err"))
		put(&b, "%s failed with %s%s: it returned %s.", subj, in->cl->value, each,
		    in->seen->got);
	else if (!strcmp(k, "ret_null"))
		put(&b, "%s returned NULL%s.", subj, each);
	else
		put(&b, "%s succeeded%s: it returned %s.", subj, each,
		    strcmp(in->seen->got, "ok") ? in->seen->got : "a valid pointer");
	finish(&b);
}

void ot_sentence_same_ptr(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);

	with_value(&b, in, 1, in->seen->val[1]);
	put(&b, " (L%u) — the same %s ", in->seen->line[1], noun(&in->cl->sel[0]));
	relative(&b, in, 0);
	put(&b, " (L%u).", in->seen->line[0]);
	finish(&b);
}

void ot_sentence_new_ptr(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);

	with_value(&b, in, 0, in->seen->val[0]);
	put(&b, " (L%u), but ", in->seen->line[0]);
	with_value(&b, in, 1, in->seen->val[1]);
	put(&b, " (L%u): a different %s.", in->seen->line[1], noun(&in->cl->sel[1]));
	finish(&b);
}

void ot_sentence_ptr_diff(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	int64_t d = in->seen->num;

	char t0[128], t1[128];

	value_np(&b, in, 0);
	put(&b, " (%s, L%u)", shown(&in->cl->sel[0], in->seen->val[0], t0, sizeof(t0)),
	    in->seen->line[0]);
	if (d == 0)
		put(&b, " is the same address as ");
	else
		put(&b, " lies %" PRId64 " byte%s %s ", d < 0 ? -d : d,
		    (d == 1 || d == -1) ? "" : "s", d > 0 ? "after" : "before");
	value_np(&b, in, 1);
	put(&b, " (%s, L%u)", shown(&in->cl->sel[1], in->seen->val[1], t1, sizeof(t1)),
	    in->seen->line[1]);
	if (in->cl->user_ref)
		put(&b, ": the `%s` the program reported", in->cl->ufield);
	else if (!strncmp(in->cl->value, "len(", 4))
		put(&b, ": the length of %s", in->cl->value + 4);
	if (!strncmp(in->cl->value, "len(", 4))
		b.len = b.len ? b.len - 1 : 0, b.p[b.len] = '\0'; /* drop len()'s ')' */
	put(&b, ".");
	finish(&b);
}

void ot_sentence_order(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	char s0[800], s1[800];

	subject(in, 0, s0, sizeof(s0));
	subject(in, 1, s1, sizeof(s1));
	put(&b, "%s %s (L%u) before %s %s (L%u).", s0,
	    in->cl->sel[0].ret ? "returned" : "was called", in->seen->line[0], s1,
	    in->cl->sel[1].ret ? "returned" : "was called", in->seen->line[1]);
	finish(&b);
}

void ot_sentence_field(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	const struct ot_claim *cl = in->cl;

	with_value(&b, in, 0, in->seen->val[0]);
	put(&b, " (L%u)", in->seen->line[0]);
	if (!strcmp(cl->op, "&"))
		put(&b, ", which has every bit of %s set", cl->value);
	else if (!strcmp(cl->op, "==") && !strcmp(cl->value, "NULL"))
		put(&b, ", that is NULL");
	else if (strcmp(cl->op, "=="))
		put(&b, ", which is %s %s", op_words(cl->op), cl->value);
	if (in->seen->n > 1)
		put(&b, " (as in all %zu such events)", in->seen->n);
	put(&b, ".");
	finish(&b);
}

void ot_sentence_user(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	const struct ot_claim *cl = in->cl;
	char call[48] = "";

	if (in->seen->call[0])
		snprintf(call, sizeof(call), " (`%s`)", in->seen->call);
	if (cl->user_form == 1)
		put(&b, "the program's call %d%s returned file descriptor %" PRId64 ".", cl->seq,
		    call, in->seen->num);
	else if (cl->user_form == 2)
		put(&b, "the program's call %d%s returned -1 with errno %s.", cl->seq, call,
		    cl->value);
	else
		put(&b, "for its call %d%s, the program reported `%s` = %" PRId64 ".", cl->seq,
		    call, cl->ufield, in->seen->num);
	finish(&b);
}

void ot_sentence_unproven(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	BUF(b);
	const char *d = in->res->detail ? in->res->detail : "";

	switch (in->res->verdict) {
	case OT_FAIL:
		put(&b, "Did not hold: %s.", d);
		break;
	case OT_NOT_EVIDENCED:
		put(&b, "Not evidenced: %s.", d);
		break;
	case OT_SKIPPED:
		put(&b, "Skipped: %s.", strncmp(d, "skipped: ", 9) ? d : d + 9);
		break;
	case OT_PASS:
		put(&b, "%s.", d);
		break;
	}
}
