/* SPDX-License-Identifier: MIT */
/* Plain sentences for claims: what a claim says, with the values the run showed.
 * Internal to src/claims/: the evaluator fills a struct ot_claim_seen while it
 * checks a claim, and the claim kind's sentence function (next to its evaluation,
 * in its kind_*.c) words it with the phrases below. */
#ifndef OT_CLAIMS_SENTENCE_H
#define OT_CLAIMS_SENTENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "claims/parsed.h"
#include "claims/result.h"

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

/* Any claim that did not pass: its verdict and what was seen instead. */
void ot_sentence_unproven(const struct ot_sentence_in *in, char *buf, size_t sz);

/* A sentence being written into a caller's buffer. */
struct ot_sbuf {
	char *p;
	size_t sz, len;
};

#define OT_SBUF(name) struct ot_sbuf name = {buf, sz, 0}

void ot_sput(struct ot_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The sentence's first letter in upper case. */
void ot_sfinish(struct ot_sbuf *b);

/* The phrases. I: the selector (0 or 1) of IN's claim. */
/* "the second open's `f`", "the first `f` call of the last open", with its filters */
void ot_phrase_subject(const struct ot_sentence_in *in, int i, char *out, size_t sz);
/* "`f` (where name="a")" or "the last `f` call": the calls, without their operation */
void ot_phrase_calls(const struct ot_sel *s, char *out, size_t sz);
/* "In the second open, " or "" for the whole trace (*SCOPED: which) */
void ot_phrase_in_op(struct ot_sbuf *b, const struct ot_sentence_in *in, bool *scoped);
/* The usual opening of a claim on its first selector's calls: "In the second open, "
 * (or nothing) into B, and the calls' phrase (ot_phrase_calls) into CALLS. */
void ot_phrase_calls_in_op(struct ot_sbuf *b, const struct ot_sentence_in *in, char *calls,
			   size_t sz);
/* "the first open's `__d_alloc` created 0xffff..." */
void ot_phrase_with_value(struct ot_sbuf *b, const struct ot_sentence_in *in, int i,
			  const char *raw);
/* "the first open's `__d_alloc` created" (after "the same dentry") */
void ot_phrase_relative(struct ot_sbuf *b, const struct ot_sentence_in *in, int i);
/* "the `name_ptr` the first open's `__d_alloc` was called with" */
void ot_phrase_value(struct ot_sbuf *b, const struct ot_sentence_in *in, int i);
/* A value as a reader expects it: addresses with 0x, small non-pointers in decimal. */
const char *ot_phrase_shown(const struct ot_sel *s, const char *v, char *tmp, size_t sz);
/* What kind of object a selected value is, as a reader would name it ("dentry"). */
const char *ot_phrase_noun(const struct ot_sel *s);
/* A comparison in words: "at least" for >= */
const char *ot_phrase_op_words(const char *op);

#endif
