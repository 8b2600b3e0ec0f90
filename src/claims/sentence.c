// SPDX-License-Identifier: MIT
/* Plain sentences for claims (see sentence.h): the phrases the kinds' sentences are
 * made of, and the sentence of a claim that did not pass. A sentence says what a claim
 * that passed showed, with the run's values; for any other verdict it says what was
 * missing or wrong. Words only ever restate what the evaluator saw. */
#include "claims/sentence.h"

#include "probe/spec.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ot_sput(struct ot_sbuf *b, const char *fmt, ...)
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

void ot_sfinish(struct ot_sbuf *b)
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

const char *ot_phrase_shown(const struct ot_sel *s, const char *v, char *tmp, size_t sz)
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

void ot_phrase_subject(const struct ot_sentence_in *in, int i, char *out, size_t sz)
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

void ot_phrase_calls(const struct ot_sel *s, char *out, size_t sz)
{
	char filt[200], t[16];

	filters(s, filt, sizeof(filt));
	if (s->nth)
		snprintf(out, sz, "the %s `%s` call%s",
			 s->nth < 0 ? "last" : ordinal(s->nth, t, sizeof(t)), s->func, filt);
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

const char *ot_phrase_noun(const struct ot_sel *s)
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

void ot_phrase_with_value(struct ot_sbuf *b, const struct ot_sentence_in *in, int i,
			  const char *raw)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char subj[800], tmp[128];
	const char *v = ot_phrase_shown(s, raw, tmp, sizeof(tmp));

	ot_phrase_subject(in, i, subj, sizeof(subj));
	if (is_ret_value(s))
		ot_sput(b, "%s %s %s", subj, creates(s->func) ? "created" : "returned", v);
	else if (s->ret)
		ot_sput(b, "%s returned with `%s` = %s", subj, s->field, v);
	else
		ot_sput(b, "%s was called with `%s` = %s", subj, s->field[0] ? s->field : "ret", v);
}

void ot_phrase_relative(struct ot_sbuf *b, const struct ot_sentence_in *in, int i)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char subj[800];

	ot_phrase_subject(in, i, subj, sizeof(subj));
	if (is_ret_value(s))
		ot_sput(b, "%s %s", subj, creates(s->func) ? "created" : "returned");
	else if (s->ret)
		ot_sput(b, "%s returned as `%s`", subj, s->field);
	else
		ot_sput(b, "%s was passed as `%s`", subj, s->field[0] ? s->field : "ret");
}

void ot_phrase_value(struct ot_sbuf *b, const struct ot_sentence_in *in, int i)
{
	const struct ot_sel *s = &in->cl->sel[i];
	char subj[800];

	ot_phrase_subject(in, i, subj, sizeof(subj));
	if (is_ret_value(s))
		ot_sput(b, "the %s %s %s", ot_phrase_noun(s), subj,
			creates(s->func) ? "created" : "returned");
	else if (s->ret)
		ot_sput(b, "the `%s` %s returned", s->field, subj);
	else
		ot_sput(b, "the `%s` %s was called with", s->field[0] ? s->field : "ret", subj);
}

void ot_phrase_in_op(struct ot_sbuf *b, const struct ot_sentence_in *in, bool *scoped)
{
	char op[400];

	op_phrase(in, &in->cl->sel[0], in->seen->opn[0], op, sizeof(op));
	*scoped = op[0] != '\0';
	if (*scoped)
		ot_sput(b, "in %s, ", op);
}

void ot_phrase_calls_in_op(struct ot_sbuf *b, const struct ot_sentence_in *in, char *calls,
			   size_t sz)
{
	bool scoped;

	ot_phrase_in_op(b, in, &scoped);
	ot_phrase_calls(&in->cl->sel[0], calls, sz);
}

const char *ot_phrase_op_words(const char *op)
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

void ot_sentence_unproven(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	const char *d = in->res->detail ? in->res->detail : "";

	switch (in->res->verdict) {
	case OT_FAIL:
		ot_sput(&b, "Did not hold: %s.", d);
		break;
	case OT_NOT_EVIDENCED:
		ot_sput(&b, "Not evidenced: %s.", d);
		break;
	case OT_SKIPPED:
		ot_sput(&b, "Skipped: %s.", strncmp(d, "skipped: ", 9) ? d : d + 9);
		break;
	case OT_PASS:
		ot_sput(&b, "%s.", d);
		break;
	}
}
