// SPDX-License-Identifier: MIT
/* The claims on two selectors: same_ptr, new_ptr, ptr_diff (their values), order
 * (their first events) (language in claims.h). */
#include "claims/kind.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct two {
	struct ot_events e[2];
};

static int get_two(struct ot_claim_ctx *c, const struct ot_claim *cl, struct two *w)
{
	memset(w, 0, sizeof(*w));
	ot_sel_events(c->t, c->anchor, c->picks, &cl->sel[0], &w->e[0]);
	ot_sel_events(c->t, c->anchor, c->picks, &cl->sel[1], &w->e[1]);
	for (int i = 0; i < 2; i++) {
		c->seen.opn[i] = ot_claim_op_ordinal(c, w->e[i].op);
		if (w->e[i].scope_missing)
			ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "%s", w->e[i].why);
		else if (!w->e[i].n)
			ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no events for %s",
					     cl->seltext[i]);
		else
			continue;
		ot_events_free(&w->e[0]);
		ot_events_free(&w->e[1]);
		return -1;
	}
	return 0;
}

static void two_free(struct two *w)
{
	ot_events_free(&w->e[0]);
	ot_events_free(&w->e[1]);
}

/* --- same_ptr SEL SEL | new_ptr SEL SEL | ptr_diff SEL SEL == N --- */

int ot_parse_two_sels(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	return ot_claim_parse_sel(cl, a[0], err, errsz) || ot_claim_parse_sel(cl, a[1], err, errsz)
		   ? -1
		   : 0;
}

int ot_parse_ptr_diff(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	struct ot_claim_ptr_diff *d = &cl->u.ptr_diff;

	(void)n;
	if (strcmp(a[2], "=="))
		return ot_claim_error(err, errsz, "ptr_diff SEL SEL == N");
	snprintf(d->value, sizeof(d->value), "%s", a[3]);
	if (sscanf(a[3], "user#%d:%31s", &d->user_ref, d->ufield) == 2) {
		if (d->user_ref <= 0)
			return ot_claim_error(err, errsz, "user#N:FIELD with N >= 1");
	} else if (ot_claim_parse_number(a[3], &d->num)) {
		d->user_ref = 0;
		snprintf(err, errsz, "bad number %s", a[3]);
		return -1;
	}
	return ot_parse_two_sels(cl, a, 2, err, errsz);
}

/* "user#N:FIELD": a field of the N-th user.fact (e.g. the prefix length a trigger reports). */
static int resolve_user_ref(struct ot_claim_ctx *c, const struct ot_claim_ptr_diff *d, int64_t *out)
{
	uint64_t u;

	for (size_t i = 0, k = 0; i < c->t->nfacts; i++) {
		const struct ot_record *f = c->t->facts[i];
		if (strcmp(f->func, "user.fact") || (int)++k != d->user_ref)
			continue;
		if (!ot_rec_u64(f, d->ufield, &u))
			return -1;
		ot_claim_add_evidence(c->res, f->line);
		*out = (int64_t)u;
		return 0;
	}
	return -1;
}

/* same_ptr / new_ptr / ptr_diff: over every pair of values. */
void ot_eval_pair_values(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_claim_ptr_diff *d = &cl->u.ptr_diff;
	struct two w;
	bool diff = cl->kind == OT_CLAIM_PTR_DIFF;
	int64_t want = diff ? d->num : 0;

	if (diff && d->user_ref && resolve_user_ref(c, d, &want))
		return ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED, "no value for %s in the log",
					    d->value);
	c->seen.num = want;
	if (get_two(c, cl, &w))
		return;
	const struct ot_sel *s = cl->sel;
	size_t values = 0;
	int64_t got = 0;
	const struct ot_event *hit[2] = {NULL, NULL};
	for (size_t i = 0; i < w.e[0].n && !hit[0]; i++) {
		int64_t x, y;
		if (!ot_event_num(&w.e[0].ev[i], ot_claim_value_field(&s[0]), &x))
			continue;
		for (size_t j = 0; j < w.e[1].n; j++) {
			if (!ot_event_num(&w.e[1].ev[j], ot_claim_value_field(&s[1]), &y))
				continue;
			values++;
			got = x - y;
			bool match = diff ? x - y == want : x == y;
			if (match) {
				hit[0] = &w.e[0].ev[i];
				hit[1] = &w.e[1].ev[j];
				break;
			}
		}
	}
	if (!values) {
		ot_claim_set_verdict(c->res, OT_NOT_EVIDENCED,
				     "the selected events lack the fields %s / %s",
				     ot_claim_value_field(&s[0]), ot_claim_value_field(&s[1]));
	} else if (hit[0]) {
		ot_claim_add_evidence(c->res, hit[0]->line);
		ot_claim_add_evidence(c->res, hit[1]->line);
		const char *v = ot_event_text(hit[0], ot_claim_value_field(&s[0]));
		ot_claim_see_value(c, 0, v, hit[0]->line, w.e[0].op);
		ot_claim_see_value(c, 1, ot_event_text(hit[1], ot_claim_value_field(&s[1])),
				   hit[1]->line, w.e[1].op);
		if (cl->kind == OT_CLAIM_NEW_PTR)
			ot_claim_set_verdict(c->res, OT_FAIL,
					     "both are %s (L%u, L%u): no new allocation", v,
					     hit[0]->line, hit[1]->line);
		else if (diff)
			ot_claim_set_verdict(c->res, OT_PASS, "%s - %s = %" PRId64 " (L%u, L%u)", v,
					     ot_event_text(hit[1], ot_claim_value_field(&s[1])),
					     want, hit[0]->line, hit[1]->line);
		else
			ot_claim_set_verdict(c->res, OT_PASS, "both are %s (L%u, L%u)", v,
					     hit[0]->line, hit[1]->line);
	} else {
		ot_claim_add_events(c->res, &w.e[0]);
		ot_claim_add_events(c->res, &w.e[1]);
		c->seen.num = got;
		ot_claim_see_value(c, 0, ot_event_text(&w.e[0].ev[0], ot_claim_value_field(&s[0])),
				   w.e[0].ev[0].line, w.e[0].op);
		ot_claim_see_value(c, 1, ot_event_text(&w.e[1].ev[0], ot_claim_value_field(&s[1])),
				   w.e[1].ev[0].line, w.e[1].op);
		if (cl->kind == OT_CLAIM_NEW_PTR)
			ot_claim_set_verdict(
			    c->res, OT_PASS, "%s differs from %s (L%u, L%u)",
			    ot_event_text(&w.e[0].ev[0], ot_claim_value_field(&s[0])),
			    ot_event_text(&w.e[1].ev[0], ot_claim_value_field(&s[1])),
			    w.e[0].ev[0].line, w.e[1].ev[0].line);
		else if (diff)
			ot_claim_set_verdict(c->res, OT_FAIL,
					     "difference is %" PRId64 ", not %" PRId64, got, want);
		else
			ot_claim_set_verdict(c->res, OT_FAIL, "no value of %s equals one of %s",
					     cl->seltext[0], cl->seltext[1]);
	}
	two_free(&w);
}

void ot_sentence_same_ptr(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);

	ot_phrase_with_value(&b, in, 1, in->seen->val[1]);
	ot_sput(&b, " (L%u) — the same %s ", in->seen->line[1], ot_phrase_noun(&in->cl->sel[0]));
	ot_phrase_relative(&b, in, 0);
	ot_sput(&b, " (L%u).", in->seen->line[0]);
	ot_sfinish(&b);
}

void ot_sentence_new_ptr(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);

	ot_phrase_with_value(&b, in, 0, in->seen->val[0]);
	ot_sput(&b, " (L%u), but ", in->seen->line[0]);
	ot_phrase_with_value(&b, in, 1, in->seen->val[1]);
	ot_sput(&b, " (L%u): a different %s.", in->seen->line[1], ot_phrase_noun(&in->cl->sel[1]));
	ot_sfinish(&b);
}

void ot_sentence_ptr_diff(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	int64_t d = in->seen->num;

	char t0[128], t1[128];

	ot_phrase_value(&b, in, 0);
	ot_sput(&b, " (%s, L%u)",
		ot_phrase_shown(&in->cl->sel[0], in->seen->val[0], t0, sizeof(t0)),
		in->seen->line[0]);
	if (d == 0)
		ot_sput(&b, " is the same address as ");
	else
		ot_sput(&b, " lies %" PRId64 " byte%s %s ", d < 0 ? -d : d,
			(d == 1 || d == -1) ? "" : "s", d > 0 ? "after" : "before");
	ot_phrase_value(&b, in, 1);
	ot_sput(&b, " (%s, L%u)",
		ot_phrase_shown(&in->cl->sel[1], in->seen->val[1], t1, sizeof(t1)),
		in->seen->line[1]);
	if (in->cl->u.ptr_diff.user_ref)
		ot_sput(&b, ": the `%s` the program reported", in->cl->u.ptr_diff.ufield);
	else if (!strncmp(in->cl->u.ptr_diff.value, "len(", 4))
		ot_sput(&b, ": the length of %s", in->cl->u.ptr_diff.value + 4);
	if (!strncmp(in->cl->u.ptr_diff.value, "len(", 4))
		b.len = b.len ? b.len - 1 : 0, b.p[b.len] = '\0'; /* drop len()'s ')' */
	ot_sput(&b, ".");
	ot_sfinish(&b);
}

/* --- order SEL before SEL --- */

int ot_parse_order(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	if (strcmp(a[1], "before"))
		return ot_claim_error(err, errsz, "order SEL before SEL");
	return ot_claim_parse_sel(cl, a[0], err, errsz) || ot_claim_parse_sel(cl, a[2], err, errsz)
		   ? -1
		   : 0;
}

void ot_eval_order(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	struct two w;

	if (get_two(c, cl, &w))
		return;
	unsigned x = w.e[0].ev[0].line, y = w.e[1].ev[0].line;
	ot_claim_add_evidence(c->res, x);
	ot_claim_add_evidence(c->res, y);
	ot_claim_see_value(c, 0, "", x, w.e[0].op);
	ot_claim_see_value(c, 1, "", y, w.e[1].op);
	ot_claim_set_verdict(c->res, x < y ? OT_PASS : OT_FAIL, "%s at L%u, %s at L%u",
			     cl->sel[0].func, x, cl->sel[1].func, y);
	two_free(&w);
}

void ot_sentence_order(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char s0[800], s1[800];

	ot_phrase_subject(in, 0, s0, sizeof(s0));
	ot_phrase_subject(in, 1, s1, sizeof(s1));
	ot_sput(&b, "%s %s (L%u) before %s %s (L%u).", s0,
		in->cl->sel[0].ret ? "returned" : "was called", in->seen->line[0], s1,
		in->cl->sel[1].ret ? "returned" : "was called", in->seen->line[1]);
	ot_sfinish(&b);
}
