// SPDX-License-Identifier: MIT
/* The table of claim kinds, indexed by enum ot_claim_kind_id, and what the kinds'
 * functions share (see kind.h). */
#include "claims/kind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"

static const struct ot_claim_kind kinds[OT_CLAIM_NKINDS] = {
    [OT_CLAIM_UNKNOWN] = {"", 0, 0, NULL, NULL, NULL},
    [OT_CLAIM_PAIRS] = {"pairs", 0, 1, ot_parse_pairs, ot_eval_pairs, ot_sentence_pairs},
    [OT_CLAIM_DECODED] = {"decoded", 0, 0, ot_parse_none, ot_eval_decoded, ot_sentence_decoded},
    [OT_CLAIM_USER_AGREES] = {"user_agrees", 0, 0, ot_parse_none, ot_eval_user_agrees,
			      ot_sentence_user_agrees},
    [OT_CLAIM_NO_LOSS] = {"no_loss", 0, 0, ot_parse_none, ot_eval_no_loss, ot_sentence_no_loss},
    [OT_CLAIM_HIT] = {"hit", 1, 1, ot_parse_one_sel, ot_eval_hit, ot_sentence_hit},
    [OT_CLAIM_ABSENT] = {"absent", 1, 1, ot_parse_one_sel, ot_eval_hit, ot_sentence_absent},
    [OT_CLAIM_COUNT] = {"count", 3, 3, ot_parse_count, ot_eval_count, ot_sentence_count},
    [OT_CLAIM_RET_OK] = {"ret_ok", 1, 1, ot_parse_ret, ot_eval_ret, ot_sentence_ret},
    [OT_CLAIM_RET_NULL] = {"ret_null", 1, 1, ot_parse_ret, ot_eval_ret, ot_sentence_ret},
    [OT_CLAIM_RET_ERR] = {"ret_err", 2, 2, ot_parse_ret, ot_eval_ret, ot_sentence_ret},
    [OT_CLAIM_SAME_PTR] = {"same_ptr", 2, 2, ot_parse_two_sels, ot_eval_pair_values,
			   ot_sentence_same_ptr},
    [OT_CLAIM_NEW_PTR] = {"new_ptr", 2, 2, ot_parse_two_sels, ot_eval_pair_values,
			  ot_sentence_new_ptr},
    [OT_CLAIM_PTR_DIFF] = {"ptr_diff", 4, 4, ot_parse_ptr_diff, ot_eval_pair_values,
			   ot_sentence_ptr_diff},
    [OT_CLAIM_ORDER] = {"order", 3, 3, ot_parse_order, ot_eval_order, ot_sentence_order},
    [OT_CLAIM_FIELD] = {"field", 3, 3, ot_parse_field, ot_eval_field, ot_sentence_field},
    [OT_CLAIM_USER] = {"user", 3, 4, ot_parse_user, ot_eval_user, ot_sentence_user},
    [OT_CLAIM_CALLER] = {"caller", 2, 2, ot_parse_caller, ot_eval_caller, ot_sentence_caller},
    [OT_CLAIM_RAN] = {"ran", 2, 2, ot_parse_ran, ot_eval_lines, ot_sentence_ran},
    [OT_CLAIM_NOT_RAN] = {"not_ran", 2, 2, ot_parse_ran, ot_eval_lines, ot_sentence_ran},
    [OT_CLAIM_ORIGIN] = {"origin", 3, 3, ot_parse_origin, ot_eval_lines, ot_sentence_origin},
};

const struct ot_claim_kind *ot_claim_kind_of(enum ot_claim_kind_id id)
{
	return &kinds[id > OT_CLAIM_UNKNOWN && id < OT_CLAIM_NKINDS ? id : OT_CLAIM_UNKNOWN];
}

enum ot_claim_kind_id ot_claim_kind_find(const char *name)
{
	for (int i = OT_CLAIM_UNKNOWN + 1; i < OT_CLAIM_NKINDS; i++)
		if (!strcmp(kinds[i].name, name))
			return (enum ot_claim_kind_id)i;
	return OT_CLAIM_UNKNOWN;
}

/* --- operands -------------------------------------------------------------------- */

int ot_claim_error(char *err, size_t errsz, const char *want)
{
	snprintf(err, errsz, "want %s", want);
	return -1;
}

int ot_claim_parse_sel(struct ot_claim *cl, const char *text, char *err, size_t errsz)
{
	if (ot_sel_parse(text, &cl->sel[cl->nsel], err, errsz))
		return -1;
	snprintf(cl->seltext[cl->nsel], sizeof(cl->seltext[0]), "%s", text);
	cl->nsel++;
	return 0;
}

int ot_claim_parse_number(const char *s, int64_t *out)
{
	char *end;

	if (!strcmp(s, "NULL")) {
		*out = 0;
		return 0;
	}
	if (!strcmp(s, "AT_FDCWD")) {
		*out = -100;
		return 0;
	}
	if (!strncmp(s, "len(\"", 5) && strlen(s) >= 7 && !strcmp(s + strlen(s) - 2, "\")")) {
		*out = (int64_t)strlen(s) - 7;
		return 0;
	}
	if ((s[0] == '-' && s[1] == 'E') || s[0] == 'E') {
		int e = ot_errno_from_name(s[0] == '-' ? s + 1 : s);
		if (e < 0)
			return -1;
		*out = -e;
		return 0;
	}
	long long v = strtoll(s, &end, 0);
	if (*end) {
		unsigned long long u = strtoull(s, &end, 0);
		if (*end)
			return -1;
		v = (long long)u;
	}
	*out = v;
	return 0;
}

bool ot_claim_valid_op(const char *op)
{
	static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "&", NULL};
	for (int i = 0; ops[i]; i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

bool ot_claim_compare(int64_t a, const char *op, int64_t b)
{
	if (!strcmp(op, "=="))
		return a == b;
	if (!strcmp(op, "!="))
		return a != b;
	if (!strcmp(op, "<"))
		return a < b;
	if (!strcmp(op, "<="))
		return a <= b;
	if (!strcmp(op, ">"))
		return a > b;
	if (!strcmp(op, ">="))
		return a >= b;
	if (!strcmp(op, "&"))
		return (a & b) == b;
	return false;
}

int ot_claim_parse_text(const char *q, char *out, size_t sz, char *err, size_t errsz)
{
	size_t n = strlen(q);

	if (n < 3 || q[0] != '"' || q[n - 1] != '"' || n - 2 >= sz)
		return ot_claim_error(err, errsz,
				      "a line's source text in quotes, e.g. \"return -EACCES\"");
	snprintf(out, sz, "%.*s", (int)(n - 2), q + 1);
	return 0;
}

/* --- evaluation helpers ---------------------------------------------------------- */

int ot_claim_op_ordinal(const struct ot_claim_ctx *c, const struct ot_call *op)
{
	int n = 0;

	if (!op)
		return 0;
	for (size_t i = 0; i < c->t->ncalls; i++)
		if (!strcmp(c->t->calls[i]->func, c->anchor)) {
			n++;
			if (c->t->calls[i] == op)
				return n;
		}
	return 0;
}

void ot_claim_see_value(struct ot_claim_ctx *c, int i, const char *v, unsigned line,
			const struct ot_call *op)
{
	snprintf(c->seen.val[i], sizeof(c->seen.val[i]), "%s", v ? v : "");
	c->seen.line[i] = line;
	c->seen.opn[i] = ot_claim_op_ordinal(c, op);
}

void ot_claim_add_events(struct ot_claim_result *r, const struct ot_events *e)
{
	for (size_t i = 0; i < e->n; i++)
		ot_claim_add_evidence(r, e->ev[i].line);
}

void ot_claim_add_scope(struct ot_claim_result *r, const struct ot_events *e)
{
	if (!e->op)
		return;
	ot_claim_add_evidence(r, ot_call_line(e->op));
	if (e->op->ret)
		ot_claim_add_evidence(r, e->op->ret->line);
}

bool ot_claim_probed(const struct ot_claim_ctx *c, const struct ot_sel *sel)
{
	return ot_trace_probed(c->t, sel->func);
}

const char *ot_claim_value_field(const struct ot_sel *s)
{
	return s->field[0] ? s->field : "ret";
}
