/* SPDX-License-Identifier: MIT */
/* Plain sentences for claims: what a claim says, with the values the run showed.
 * Internal to src/claims/: the evaluator fills a struct ot_claim_seen while it
 * checks a claim, and the claim kind's sentence function words it. */
#ifndef OT_CLAIMS_SENTENCE_H
#define OT_CLAIMS_SENTENCE_H

#include <stddef.h>
#include <stdint.h>

#include "claims/claims.h"

/* What the evaluation saw, for the sentence. */
struct ot_claim_seen {
	size_t n;	  /* calls, returns, events or results counted */
	char val[2][96];  /* the values of the two selectors (or one) */
	unsigned line[2]; /* their log lines */
	int opn[2];	  /* the operations they came from: N-th anchor call (0: unknown) */
	char got[96];	  /* a return as text ("ERR_PTR(-ENOENT)") */
	char call[32];	  /* user: the call the program made */
	int64_t num;	  /* a number seen: user ret, a difference */
};

struct ot_sentence_in {
	const struct ot_claim *cl;
	const struct ot_claim_result *res;
	const struct ot_claim_seen *seen;
	const char *anchor;
};

typedef void ot_sentence_fn(const struct ot_sentence_in *in, char *buf, size_t sz);

ot_sentence_fn ot_sentence_pairs, ot_sentence_decoded, ot_sentence_no_loss, ot_sentence_user_agrees,
    ot_sentence_hit, ot_sentence_absent, ot_sentence_count, ot_sentence_ret, ot_sentence_same_ptr,
    ot_sentence_new_ptr, ot_sentence_ptr_diff, ot_sentence_order, ot_sentence_field,
    ot_sentence_user, ot_sentence_caller, ot_sentence_ran, ot_sentence_origin;

/* Any claim that did not pass: its verdict and what was seen instead. */
void ot_sentence_unproven(const struct ot_sentence_in *in, char *buf, size_t sz);

#endif
