// SPDX-License-Identifier: MIT
/* The claims on the calls of one selector: hit, absent, count, ret_ok, ret_null,
 * ret_err, field (language in claims.h). */
#include "claims/kind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"

/* --- hit SEL | absent SEL --- */

int ot_parse_one_sel(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	return ot_claim_parse_sel(cl, a[0], err, errsz);
}

void ot_eval_hit(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	bool want_hit = cl->kind == OT_CLAIM_HIT;
	struct ot_events e;

	ot_sel_events(c->t, c->anchor, c->picks, s, &e);
	c->seen.opn[0] = ot_claim_op_ordinal(c, e.op);
	c->seen.n = e.n;
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (e.n) {
		ot_claim_add_events(c->res, &e);
		c->seen.line[0] = e.ev[0].line;
		ot_claim_set_verdict(c->res, want_hit ? OT_PASS : OT_FAIL,
				     "%zu %s call(s), first at L%u", e.n, s->func, e.ev[0].line);
	} else if (ot_claim_probed(c, s)) {
		ot_claim_add_scope(c->res, &e);
		ot_claim_set_verdict(c->res, want_hit ? OT_FAIL : OT_PASS,
				     "%s was probed and never hit%s", s->func,
				     s->scope.op ? " in that operation" : "");
	} else
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "no %s events, and the log does not say %s was probed",
				     s->func, s->func);
	ot_events_free(&e);
}

void ot_sentence_hit(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char calls[300];

	ot_phrase_calls_in_op(&b, in, calls, sizeof(calls));
	ot_sput(&b, "%s ran %zu time%s (first at L%u).", calls, in->seen->n,
		in->seen->n == 1 ? "" : "s", in->seen->line[0]);
	ot_sfinish(&b);
}

void ot_sentence_absent(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char calls[300];

	ot_phrase_calls_in_op(&b, in, calls, sizeof(calls));
	if (in->cl->sel[0].nfilt || in->cl->sel[0].nth)
		ot_sput(&b, "%s never ran, although `%s` was probed.", calls, in->cl->sel[0].func);
	else
		ot_sput(&b, "%s never ran, although it was probed.", calls);
	ot_sfinish(&b);
}

/* --- count SEL OP N --- */

int ot_parse_count(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (!ot_claim_valid_op(a[1]) || ot_claim_parse_number(a[2], &cl->u.count.num))
		return ot_claim_error(err, errsz, "count SEL OP N");
	snprintf(cl->u.count.op, sizeof(cl->u.count.op), "%s", a[1]);
	return ot_claim_parse_sel(cl, a[0], err, errsz);
}

void ot_eval_count(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	struct ot_events e;

	ot_sel_events(c->t, c->anchor, c->picks, s, &e);
	c->seen.opn[0] = ot_claim_op_ordinal(c, e.op);
	c->seen.n = e.n;
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!e.n && !ot_claim_probed(c, s))
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "no %s events, and the log does not say it was probed",
				     s->func);
	else {
		ot_claim_add_events(c->res, &e);
		if (!e.n)
			ot_claim_add_scope(c->res, &e);
		ot_claim_set_verdict(c->res,
				     ot_claim_compare((int64_t)e.n, cl->u.count.op, cl->u.count.num)
					 ? OT_PASS
					 : OT_FAIL,
				     "%zu %s call(s) (want %s %" PRId64 ")", e.n, s->func,
				     cl->u.count.op, cl->u.count.num);
	}
	ot_events_free(&e);
}

void ot_sentence_count(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char calls[300];

	ot_phrase_calls_in_op(&b, in, calls, sizeof(calls));
	if (in->seen->n)
		ot_sput(&b, "%s ran %zu time%s", calls, in->seen->n, in->seen->n == 1 ? "" : "s");
	else
		ot_sput(&b, "%s never ran (%s was probed)", calls,
			in->cl->sel[0].nfilt || in->cl->sel[0].nth ? "the function" : "it");
	ot_sput(&b, ": %s %" PRId64 ", as claimed.", ot_phrase_op_words(in->cl->u.count.op),
		in->cl->u.count.num);
	ot_sfinish(&b);
}

/* --- ret_ok SEL | ret_null SEL | ret_err SEL ENAME --- */

int ot_parse_ret(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	bool want_err = cl->kind == OT_CLAIM_RET_ERR;

	if (n != (want_err ? 2 : 1))
		return ot_claim_error(err, errsz, "ret_ok SEL / ret_null SEL / ret_err SEL ENAME");
	if (want_err) {
		if ((cl->u.ret.err = ot_errno_from_name(a[1])) < 0) {
			snprintf(err, errsz, "unknown errno name %s", a[1]);
			return -1;
		}
		snprintf(cl->u.ret.ename, sizeof(cl->u.ret.ename), "%s", a[1]);
	}
	return ot_claim_parse_sel(cl, a[0], err, errsz);
}

void ot_eval_ret(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	struct ot_events e;

	ot_sel_events(c->t, c->anchor, c->picks, s, &e);
	size_t bad = 0, seen = 0;
	char got[64] = "";
	for (size_t i = 0; i < e.n; i++) {
		const struct ot_call *k = e.ev[i].call;
		const struct ot_probe *p = ot_probe_find(k->func);
		if (!k->ret)
			continue;
		seen++;
		ot_claim_add_evidence(c->res, k->ret->line);
		bool ok = cl->kind == OT_CLAIM_RET_OK ? k->dec.cls == OT_RC_OK
			  : cl->kind == OT_CLAIM_RET_NULL
			      ? k->dec.cls == OT_RC_NULL
			      : k->dec.cls == OT_RC_ERR && k->dec.err == cl->u.ret.err;
		ot_ret_text(&k->dec, p ? k->kind : OT_RET_PTR, got, sizeof(got));
		if (!ok)
			bad++;
		if (!ok && bad == 1)
			break;
	}
	c->seen.opn[0] = ot_claim_op_ordinal(c, e.op);
	c->seen.n = seen;
	snprintf(c->seen.got, sizeof(c->seen.got), "%s", got);
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!seen)
		ot_claim_set_verdict(c->res, ot_claim_probed(c, s) ? OT_FAIL : OT_NOT_EVIDENCED,
				     "no %s return in the log%s", s->func,
				     ot_claim_probed(c, s) ? " although it was probed" : "");
	else if (bad)
		ot_claim_set_verdict(c->res, OT_FAIL, "%s returned %s", s->func, got);
	else
		ot_claim_set_verdict(c->res, OT_PASS, "%zu %s return(s), each %s", seen, s->func,
				     got);
	ot_events_free(&e);
}

void ot_sentence_ret(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char subj[800];
	const char *each = in->seen->n > 1 ? " every time" : "";

	ot_phrase_subject(in, 0, subj, sizeof(subj));
	switch (in->cl->kind) {
	case OT_CLAIM_RET_ERR:
		ot_sput(&b, "%s failed with %s%s: it returned %s.", subj, in->cl->u.ret.ename, each,
			in->seen->got);
		break;
	case OT_CLAIM_RET_NULL:
		ot_sput(&b, "%s returned NULL%s.", subj, each);
		break;
	default: /* OT_CLAIM_RET_OK */
		ot_sput(&b, "%s succeeded%s: it returned %s.", subj, each,
			strcmp(in->seen->got, "ok") ? in->seen->got : "a valid pointer");
		break;
	}
	ot_sfinish(&b);
}

/* --- field SEL OP VALUE --- */

int ot_parse_field(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (!ot_claim_valid_op(a[1]))
		return ot_claim_error(err, errsz, "field SEL OP VALUE");
	snprintf(cl->u.field.op, sizeof(cl->u.field.op), "%s", a[1]);
	snprintf(cl->u.field.value, sizeof(cl->u.field.value), "%s", a[2]);
	cl->u.field.is_str = a[2][0] == '"';
	if (cl->u.field.is_str && (strlen(a[2]) < 2 || a[2][strlen(a[2]) - 1] != '"' ||
				   (strcmp(a[1], "==") && strcmp(a[1], "!="))))
		return ot_claim_error(err, errsz, "field SEL ==|!= \"string\"");
	if (!cl->u.field.is_str && ot_claim_parse_number(a[2], &cl->u.field.num)) {
		snprintf(err, errsz, "bad value %s", a[2]);
		return -1;
	}
	return ot_claim_parse_sel(cl, a[0], err, errsz);
}

void ot_eval_field(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_sel *s = &cl->sel[0];
	struct ot_events e;

	ot_sel_events(c->t, c->anchor, c->picks, s, &e);
	const char *key = ot_claim_value_field(s);
	size_t seen = 0, bad = 0;
	char got[160] = "";
	for (size_t i = 0; i < e.n; i++) {
		int64_t v;
		const char *txt = ot_event_text(&e.ev[i], key);
		bool ok;
		if (!txt)
			continue;
		seen++;
		ot_claim_add_evidence(c->res, e.ev[i].line);
		if (cl->u.field.is_str) {
			size_t wl = strlen(cl->u.field.value) - 2;
			bool eq = strlen(txt) == wl && !strncmp(txt, cl->u.field.value + 1, wl);
			ok = !strcmp(cl->u.field.op, "==")   ? eq
			     : !strcmp(cl->u.field.op, "!=") ? !eq
							     : false;
		} else {
			ok = ot_event_num(&e.ev[i], key, &v) &&
			     ot_claim_compare(v, cl->u.field.op, cl->u.field.num);
		}
		if ((!ok && !bad++) || (ok && !got[0])) {
			snprintf(got, sizeof(got), "%s=%s at L%u", key, txt, e.ev[i].line);
			ot_claim_see_value(c, 0, txt, e.ev[i].line, e.op);
		}
	}
	c->seen.opn[0] = ot_claim_op_ordinal(c, e.op);
	c->seen.n = seen;
	if (e.scope_missing)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!seen)
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no %s event with a %s field",
				     s->func, key);
	else if (bad)
		ot_claim_set_verdict(c->res, OT_FAIL, "%s (want %s %s)", got, cl->u.field.op,
				     cl->u.field.value);
	else
		ot_claim_set_verdict(c->res, OT_PASS, "%zu event(s); %s", seen, got);
	ot_events_free(&e);
}

void ot_sentence_field(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	const struct ot_claim *cl = in->cl;

	ot_phrase_with_value(&b, in, 0, in->seen->val[0]);
	ot_sput(&b, " (L%u)", in->seen->line[0]);
	if (!strcmp(cl->u.field.op, "&"))
		ot_sput(&b, ", which has every bit of %s set", cl->u.field.value);
	else if (!strcmp(cl->u.field.op, "==") && !strcmp(cl->u.field.value, "NULL"))
		ot_sput(&b, ", that is NULL");
	else if (strcmp(cl->u.field.op, "=="))
		ot_sput(&b, ", which is %s %s", ot_phrase_op_words(cl->u.field.op),
			cl->u.field.value);
	if (in->seen->n > 1)
		ot_sput(&b, " (as in all %zu such events)", in->seen->n);
	ot_sput(&b, ".");
	ot_sfinish(&b);
}
