// SPDX-License-Identifier: MIT
/* The caller claim (see caller.h). */
#include "claims/caller.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/select.h"
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

void ot_claim_caller(const struct ot_trace *t, const char *anchor, char **a, int n,
		     struct ot_claim_result *out)
{
	struct ot_sel s;
	struct ot_events e;
	char err[200], chain[256] = "";
	size_t yes = 0, unknown = 0;

	if (n != 2)
		return ot_claim_set_verdict(out, OT_FAIL, "claim error: want caller SEL FUNCTION");
	if (ot_sel_parse(a[0], &s, err, sizeof(err)))
		return ot_claim_set_verdict(out, OT_FAIL, "claim error: %s", err);
	ot_sel_events(t, anchor, &s, &e);
	for (size_t i = 0; i < e.n; i++) {
		const struct ot_call *k = e.ev[i].call;
		const struct ot_call_src *cs = ot_call_src_of(t, k);
		bool has_site = cs && cs->nframes;

		ot_claim_add_evidence(out, ot_call_line(k));
		if (!has_site && !(k->parent && ot_call_called_from(t, k, a[1]))) {
			unknown++;
			continue;
		}
		if (has_site)
			chain_text(cs, chain, sizeof(chain));
		else
			ot_claim_add_evidence(out, ot_call_line(k->parent));
		if (!ot_call_called_from(t, k, a[1])) {
			ot_claim_set_verdict(out, OT_FAIL, "%s at L%u was called from %s, not %s", s.func,
			    ot_call_line(k), chain, a[1]);
			ot_events_free(&e);
			return;
		}
		yes++;
	}
	if (e.scope_missing)
		ot_claim_set_verdict(out, OT_NOT_EVIDENCED, "%s", e.why);
	else if (!e.n)
		ot_claim_set_verdict(out, OT_NOT_EVIDENCED, "no %s calls in the log", s.func);
	else if (unknown)
		ot_claim_set_verdict(out, OT_NOT_EVIDENCED,
		    "%zu of %zu %s call(s) have no call site (no caller= or no source index) and "
		    "no traced %s parent",
		    unknown, e.n, s.func, a[1]);
	else if (chain[0])
		ot_claim_set_verdict(out, OT_PASS, "%zu %s call(s), each from %s (last: %s)", yes, s.func, a[1],
		    chain);
	else
		ot_claim_set_verdict(out, OT_PASS, "%zu %s call(s), each with a traced %s parent", yes, s.func,
		    a[1]);
	ot_events_free(&e);
}
