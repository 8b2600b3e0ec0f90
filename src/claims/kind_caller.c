// SPDX-License-Identifier: MIT
/* The claim "caller SEL NAME": every selected call was made from function NAME, whether
 * the compiler inlined NAME (it is then one of the call site's inlined frames, from the
 * kernel's source index) or not (NAME is then the out-of-line caller, or, without a
 * call site, the traced parent). */
#include "claims/kind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srcmap/srcinfo.h"

/* "lookup_open (inlined) <- open_last_lookups (inlined) <- path_openat" */
static void chain_text(const struct ot_call_src *cs, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < cs->nframes && used < size; i++)
		used +=
		    (size_t)snprintf(buf + used, size - used, "%s%s%s", i ? " <- " : "",
				     cs->frames[i].func, cs->frames[i].inlined ? " (inlined)" : "");
}

int ot_parse_caller(struct ot_claim *cl, char **a, int n, char *err, size_t errsz)
{
	(void)n;
	snprintf(cl->u.caller.func, sizeof(cl->u.caller.func), "%s", a[1]);
	return ot_claim_parse_sel(cl, a[0], err, errsz);
}

void ot_eval_caller(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const struct ot_trace *t = c->t;
	const struct ot_sel *s = &cl->sel[0];
	const char *func = cl->u.caller.func;
	struct ot_claim_result *out = c->res;
	struct ot_events e;
	char chain[256] = "";
	size_t yes = 0, unknown = 0;

	ot_sel_events(t, c->anchor, c->picks, s, &e);
	for (size_t i = 0; i < e.n; i++) {
		const struct ot_call *k = e.ev[i].call;
		const struct ot_call_src *cs = ot_call_src_of(t, k);
		bool has_site = cs && cs->nframes;

		ot_claim_add_evidence(out, ot_call_line(k));
		if (!has_site && !(k->parent && ot_call_called_from(t, k, func))) {
			unknown++;
			continue;
		}
		if (has_site)
			chain_text(cs, chain, sizeof(chain));
		else
			ot_claim_add_evidence(out, ot_call_line(k->parent));
		if (!ot_call_called_from(t, k, func)) {
			ot_claim_set_verdict(out, OT_FAIL, "%s at L%u was called from %s, not %s",
					     s->func, ot_call_line(k), chain, func);
			ot_events_free(&e);
			return;
		}
		yes++;
	}
	if (e.scope_missing)
		ot_claim_set_verdict(out, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!e.n)
		ot_claim_set_verdict(out, OT_NOT_EVIDENCED, "no %s calls in the log", s->func);
	else if (unknown)
		ot_claim_set_verdict(
		    out, OT_NOT_EVIDENCED,
		    "%zu of %zu %s call(s) have no call site (no caller= or no source index) and "
		    "no traced %s parent",
		    unknown, e.n, s->func, func);
	else if (chain[0])
		ot_claim_set_verdict(out, OT_PASS, "%zu %s call(s), each from %s (last: %s)", yes,
				     s->func, func, chain);
	else
		ot_claim_set_verdict(out, OT_PASS, "%zu %s call(s), each with a traced %s parent",
				     yes, s->func, func);
	ot_events_free(&e);
}

void ot_sentence_caller(const struct ot_sentence_in *in, char *buf, size_t sz)
{
	OT_SBUF(b);
	char calls[300];

	ot_phrase_calls_in_op(&b, in, calls, sizeof(calls));
	ot_sput(&b, "%s was called from `%s`, inlined there or not.", calls, in->cl->u.caller.func);
	ot_sfinish(&b);
}
