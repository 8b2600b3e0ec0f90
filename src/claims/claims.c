// SPDX-License-Identifier: MIT
/* Claims (language in claims.h): a claim's text parsed once into its kind and payload,
 * and evaluated by its kind's functions (the table in kind.c, each kind in its
 * kind_*.c); a case's claims with the trace claim block, and the case's verdict. */
#include "claims/claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/kind.h"
#include "claims/sentence.h"

#define MAX_ARGS 8

/* A line claim skipped because this kernel has no line probes (no debug info, as
 * 5.10): the case is judged on the rest, and its report says why these were not. */
static bool line_claim_without_lines(const struct ot_trace *t, enum ot_claim_kind_id kind,
				     const struct ot_claim_result *r)
{
	if (r->verdict != OT_SKIPPED || !ot_trace_run_fact(t, "lines_unavailable") ||
	    t->nline_points)
		return false;
	switch (kind) {
	case OT_CLAIM_RAN:
	case OT_CLAIM_NOT_RAN:
	case OT_CLAIM_ORIGIN:
		return true;
	default:
		return false;
	}
}

/* Split on spaces, keeping "quoted strings" and {filters} whole. */
static int split_words(char *s, char **argv, int max)
{
	int n = 0;

	while (*s) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return -1;
		argv[n++] = s;
		int quote = 0, brace = 0;
		while (*s && (quote || brace || *s != ' ')) {
			if (*s == '"')
				quote = !quote;
			else if (!quote && *s == '{')
				brace++;
			else if (!quote && *s == '}')
				brace--;
			s++;
		}
	}
	return n;
}

int ot_claim_parse(const char *text, struct ot_claim *out, char *err, size_t errsz)
{
	char *copy = strdup(text);
	char *w[MAX_ARGS + 1];
	const struct ot_claim_kind *k;
	int n, rc = -1;

	if (!copy)
		abort();
	memset(out, 0, sizeof(*out));
	out->text = text;
	n = split_words(copy, w, MAX_ARGS + 1);
	if (n <= 0) {
		snprintf(err, errsz, "empty or too long");
		goto out;
	}
	out->kind = ot_claim_kind_find(w[0]);
	k = ot_claim_kind_of(out->kind);
	if (out->kind == OT_CLAIM_UNKNOWN) {
		snprintf(err, errsz, "unknown claim '%s'", w[0]);
		goto out;
	}
	if (n - 1 < k->min_args || n - 1 > k->max_args) {
		snprintf(err, errsz, "%s takes %d to %d words, not %d", w[0], k->min_args,
			 k->max_args, n - 1);
		goto out;
	}
	rc = k->parse(out, w + 1, n - 1, err, errsz);
out:
	free(copy);
	return rc;
}

const char *ot_claim_kind_name(const struct ot_claim *cl)
{
	return ot_claim_kind_of(cl->kind)->name;
}

/* The function a claim names besides its selectors (pairs FUNC, origin FUNC), or "". */
static const char *named_func(const struct ot_claim *cl)
{
	switch (cl->kind) {
	case OT_CLAIM_PAIRS:
		return cl->u.pairs.func;
	case OT_CLAIM_ORIGIN:
		return cl->u.origin.func;
	default:
		return "";
	}
}

/* Functions a claim needs that the run reported as not probeable (skipped="f:why,..."). */
static bool claim_skipped(struct ot_claim_ctx *c, const struct ot_claim *cl)
{
	const char *sk = ot_trace_run_fact(c->t, "skipped");
	const char *kernel = ot_trace_run_fact(c->t, "kernel");

	if (!sk || !*sk)
		return false;
	for (int i = 0; i < cl->nsel + 1; i++) {
		const char *func = i < cl->nsel ? cl->sel[i].func : named_func(cl);
		size_t fl = strlen(func);
		if (!fl)
			continue;
		for (const char *p = sk; p && *p;) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			if (len > fl && !strncmp(p, func, fl) && p[fl] == ':') {
				ot_claim_set_verdict(c->res, OT_SKIPPED,
						     "skipped: %s not probeable on %s (%.*s)", func,
						     kernel ? kernel : "this kernel",
						     (int)(len - fl - 1), p + fl + 1);
				return true;
			}
			p = end ? end + 1 : NULL;
		}
	}
	return false;
}

static void eval_picked(const struct ot_trace *t, const char *anchor,
			const struct ot_op_picks *picks, const struct ot_claim *cl,
			struct ot_claim_result *out)
{
	struct ot_claim_ctx c = {t, anchor ? anchor : "do_filp_open", picks, out, {0}};
	const struct ot_claim_kind *k = ot_claim_kind_of(cl->kind);
	char buf[512];

	memset(out, 0, sizeof(*out));
	out->claim = strdup(cl->text);
	if (!out->claim)
		abort();
	if (k->eval && !claim_skipped(&c, cl))
		k->eval(&c, cl);
	if (!out->detail)
		ot_claim_set_verdict(out, OT_FAIL, "claim error");
	struct ot_sentence_in in = {cl, out, &c.seen, c.anchor};
	if (out->verdict == OT_PASS)
		k->sentence(&in, buf, sizeof(buf));
	else
		ot_sentence_unproven(&in, buf, sizeof(buf));
	out->sentence = strdup(buf);
	if (!out->sentence)
		abort();
}

void ot_claim_eval(const struct ot_trace *t, const char *anchor, const struct ot_claim *cl,
		   struct ot_claim_result *out)
{
	eval_picked(t, anchor, NULL, cl, out);
}

void ot_claim_eval_one(const struct ot_trace *t, const char *anchor, const char *claim,
		       struct ot_claim_result *out)
{
	struct ot_claim cl;
	char err[200];

	if (ot_claim_parse(claim, &cl, err, sizeof(err))) {
		memset(out, 0, sizeof(*out));
		out->claim = strdup(claim);
		ot_claim_set_verdict(out, OT_FAIL, "claim error: %s", err);
		out->sentence = strdup(out->detail);
		if (!out->claim || !out->sentence)
			abort();
		return;
	}
	ot_claim_eval(t, anchor, &cl, out);
}

/* The catalogue's claims, parsed on first use and kept for the process. */
const struct ot_claim *ot_case_claim(const struct ot_case *c, int i)
{
	static struct ot_claim *parsed;
	static signed char *ok;
	size_t ncases = ot_case_count();
	char err[8];

	if (!parsed) {
		parsed = calloc(ncases * OT_MAX_CASE_CLAIMS, sizeof(*parsed));
		ok = calloc(ncases * OT_MAX_CASE_CLAIMS, sizeof(*ok));
		if (!parsed || !ok)
			abort();
		for (size_t k = 0; k < ncases; k++)
			for (int j = 0; j < OT_MAX_CASE_CLAIMS && ot_case_at(k)->claims[j]; j++)
				ok[k * OT_MAX_CASE_CLAIMS + j] =
				    ot_claim_parse(ot_case_at(k)->claims[j],
						   &parsed[k * OT_MAX_CASE_CLAIMS + j], err,
						   sizeof(err)) == 0;
	}
	for (size_t k = 0; k < ncases; k++)
		if (ot_case_at(k) == c && i >= 0 && i < OT_MAX_CASE_CLAIMS)
			return ok[k * OT_MAX_CASE_CLAIMS + i] ? &parsed[k * OT_MAX_CASE_CLAIMS + i]
							      : NULL;
	return NULL;
}

/* The claims of the trace claim block take no words: their parsed form is their kind. */
static const struct ot_claim *block_claim(enum ot_claim_kind_id id)
{
	static struct ot_claim block[OT_CLAIM_NKINDS];

	if (!block[id].text) {
		block[id].kind = id;
		block[id].text = ot_claim_kind_of(id)->name;
	}
	return &block[id];
}

/* One more result in S: PARSED evaluated, or TEXT's parse error (PARSED NULL). */
static void push(struct ot_claim_set *s, enum ot_claim_kind_id *kinds, const struct ot_trace *t,
		 const char *anchor, const struct ot_op_picks *picks, const char *text,
		 const struct ot_claim *parsed)
{
	struct ot_claim_result *nr = realloc(s->r, (s->n + 1) * sizeof(*nr));

	if (!nr)
		abort();
	s->r = nr;
	kinds[s->n] = parsed ? parsed->kind : OT_CLAIM_UNKNOWN;
	if (parsed)
		eval_picked(t, anchor, picks, parsed, &s->r[s->n++]);
	else
		ot_claim_eval_one(t, anchor, text, &s->r[s->n++]);
}

int ot_claims_eval(const struct ot_trace *t, const struct ot_case *c, struct ot_claim_set *out)
{
	return ot_claims_eval_picked(t, c, NULL, out);
}

int ot_claims_eval_picked(const struct ot_trace *t, const struct ot_case *c,
			  const struct ot_op_picks *picks, struct ot_claim_set *out)
{
	const char *anchor = c && c->anchor ? c->anchor : "do_filp_open";
	bool has_user = false, has_lost = ot_trace_run_fact(t, "lost") != NULL;
	/* each result's kind: the block's (at most 4) and the case's claims */
	enum ot_claim_kind_id kinds[OT_MAX_CASE_CLAIMS + 4];

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < t->nfacts; i++)
		if (!strcmp(t->facts[i]->func, "user.fact"))
			has_user = true;
	push(out, kinds, t, anchor, picks, NULL, block_claim(OT_CLAIM_PAIRS));
	push(out, kinds, t, anchor, picks, NULL, block_claim(OT_CLAIM_DECODED));
	if (has_lost)
		push(out, kinds, t, anchor, picks, NULL, block_claim(OT_CLAIM_NO_LOSS));
	if (c) {
		/* The trigger found that this kernel lacks what the case is about (a flag
		 * newer than the kernel): its claims cannot hold here, and the case says
		 * so rather than fail (docs/trigger-protocol.md). */
		const char *unsupported = ot_trace_run_fact(t, "unsupported");

		for (int i = 0; i < OT_MAX_CASE_CLAIMS && c->claims[i]; i++) {
			push(out, kinds, t, anchor, picks, c->claims[i], ot_case_claim(c, i));
			if (unsupported)
				ot_claim_set_verdict(&out->r[out->n - 1], OT_SKIPPED,
						     "skipped: this kernel lacks what the case needs: %s",
						     unsupported);
		}
		push(out, kinds, t, anchor, picks, NULL, block_claim(OT_CLAIM_USER_AGREES));
	} else if (has_user) {
		push(out, kinds, t, anchor, picks, NULL, block_claim(OT_CLAIM_USER_AGREES));
	}
	bool fail = false, all_pass = true;
	for (size_t i = 0; i < out->n; i++) {
		fail |= out->r[i].verdict == OT_FAIL;
		all_pass &= out->r[i].verdict == OT_PASS ||
			    line_claim_without_lines(t, kinds[i], &out->r[i]);
	}
	out->verdict = fail ? OT_CASE_FAIL : all_pass ? OT_CASE_PASS : OT_CASE_INCOMPLETE;
	return 0;
}
