// SPDX-License-Identifier: MIT
/* Claim results (see result.h): the evidence lines, the verdict and its detail. */
#include "claims/result.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ot_claim_add_evidence(struct ot_claim_result *r, unsigned line)
{
	size_t lo = 0, hi = r->nevidence;

	if (!line)
		return;
	if (hi && line > r->evidence[hi - 1]) /* in order, as most evidence comes */
		lo = hi;
	while (lo < hi) { /* evidence stays sorted and unique: binary search */
		size_t mid = lo + (hi - lo) / 2;
		if (r->evidence[mid] == line)
			return;
		if (r->evidence[mid] < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if ((r->nevidence & (r->nevidence - 1)) == 0) { /* grow at powers of two */
		unsigned *ne =
		    realloc(r->evidence, (r->nevidence ? 2 * r->nevidence : 8) * sizeof(*ne));
		if (!ne)
			abort();
		r->evidence = ne;
	}
	memmove(r->evidence + lo + 1, r->evidence + lo, (r->nevidence - lo) * sizeof(*r->evidence));
	r->evidence[lo] = line;
	r->nevidence++;
}

void ot_claim_set_verdict(struct ot_claim_result *r, enum ot_verdict v, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->verdict = v;
	free(r->detail);
	r->detail = strdup(buf);
}

void ot_claim_result_free(struct ot_claim_result *r)
{
	free(r->claim);
	free(r->evidence);
	free(r->detail);
	free(r->sentence);
	memset(r, 0, sizeof(*r));
}

void ot_claim_set_free(struct ot_claim_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		ot_claim_result_free(&s->r[i]);
	free(s->r);
	memset(s, 0, sizeof(*s));
}

const char *ot_verdict_name(enum ot_verdict v)
{
	switch (v) {
	case OT_PASS:
		return "pass";
	case OT_FAIL:
		return "fail";
	case OT_NOT_EVIDENCED:
		return "not evidenced";
	case OT_SKIPPED:
		return "skipped";
	}
	return "?";
}

const char *ot_case_verdict_name(enum ot_case_verdict v)
{
	switch (v) {
	case OT_CASE_PASS:
		return "pass";
	case OT_CASE_FAIL:
		return "fail";
	case OT_CASE_INCOMPLETE:
		return "incomplete";
	}
	return "?";
}
