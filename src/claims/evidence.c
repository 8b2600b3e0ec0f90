// SPDX-License-Identifier: MIT
/* What the kinds' evaluations share: the evidence lines of events and of the
 * operation searched, and what was seen, for the sentence (see kind.h). */
#include "claims/kind.h"

#include <stdio.h>
#include <string.h>

int ot_claim_op_ordinal(const struct ot_claim_ctx *c, const struct ot_call *op)
{
	int n = 0;

	if (!op)
		return 0;
	for (size_t i = 0; c->picks && i < c->picks->n; i++)
		if (c->picks->v[i].op == op)
			return (int)c->picks->v[i].ordinal;
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
