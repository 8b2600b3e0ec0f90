/* SPDX-License-Identifier: MIT */
/* Claim kinds, internal to src/claims/: the table (kind.c) indexed by enum
 * ot_claim_kind_id, each row a kind's name and arity with its parse, evaluate and
 * sentence functions (in the kind_*.c file of its family), and what those functions
 * share: the evaluation context, the operand parsers (operand.c), the evidence
 * helpers (evidence.c). The kinds' files call these and never claims.c or kind.c. */
#ifndef OT_CLAIMS_KIND_H
#define OT_CLAIMS_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "claims/parsed.h"
#include "claims/result.h"
#include "claims/select.h"
#include "claims/sentence.h"
#include "trace/trace.h"

/* One evaluation: the trace, its operations' function and the scopes resolved
 * already (NULL: none), the result being filled and what was seen, for the sentence. */
struct ot_claim_ctx {
	const struct ot_trace *t;
	const char *anchor;
	const struct ot_op_picks *picks;
	struct ot_claim_result *res;
	struct ot_claim_seen seen;
};

/* A kind's parse: the words after its name (their count within the row's arity)
 * into CL's selectors and payload; 0, or -1 with the error in ERR. */
typedef int ot_claim_parse_fn(struct ot_claim *cl, char **a, int n, char *err, size_t errsz);
/* A kind's evaluation: fills C->res (verdict, detail, evidence) and C->seen. */
typedef void ot_claim_eval_fn(struct ot_claim_ctx *c, const struct ot_claim *cl);

struct ot_claim_kind {
	const char *name;
	int min_args, max_args; /* arity: words after the name */
	ot_claim_parse_fn *parse;
	ot_claim_eval_fn *eval;
	ot_sentence_fn *sentence; /* the sentence of a pass */
};

/* The row of kind ID (OT_CLAIM_UNKNOWN: a row with no functions). */
const struct ot_claim_kind *ot_claim_kind_of(enum ot_claim_kind_id id);
/* The kind named NAME, OT_CLAIM_UNKNOWN if none. */
enum ot_claim_kind_id ot_claim_kind_find(const char *name);

/* Each family's functions. */
/* kind_trace.c: the trace claim block */
ot_claim_parse_fn ot_parse_pairs, ot_parse_none;
ot_claim_eval_fn ot_eval_pairs, ot_eval_decoded, ot_eval_no_loss;
ot_sentence_fn ot_sentence_pairs, ot_sentence_decoded, ot_sentence_no_loss;
/* kind_user.c: what the program saw */
ot_claim_parse_fn ot_parse_user;
ot_claim_eval_fn ot_eval_user_agrees, ot_eval_user;
ot_sentence_fn ot_sentence_user_agrees, ot_sentence_user;
/* kind_calls.c: the calls of one selector */
ot_claim_parse_fn ot_parse_one_sel, ot_parse_count, ot_parse_ret, ot_parse_field;
ot_claim_eval_fn ot_eval_hit, ot_eval_count, ot_eval_ret, ot_eval_field;
ot_sentence_fn ot_sentence_hit, ot_sentence_absent, ot_sentence_count, ot_sentence_ret,
    ot_sentence_field;
/* kind_values.c: two selectors' values and order */
ot_claim_parse_fn ot_parse_two_sels, ot_parse_ptr_diff, ot_parse_order;
ot_claim_eval_fn ot_eval_pair_values, ot_eval_order;
ot_sentence_fn ot_sentence_same_ptr, ot_sentence_new_ptr, ot_sentence_ptr_diff, ot_sentence_order;
/* kind_caller.c */
ot_claim_parse_fn ot_parse_caller;
ot_claim_eval_fn ot_eval_caller;
ot_sentence_fn ot_sentence_caller;
/* kind_lines.c: the line probes */
ot_claim_parse_fn ot_parse_ran, ot_parse_origin;
ot_claim_eval_fn ot_eval_lines;
ot_sentence_fn ot_sentence_ran, ot_sentence_origin;

/* --- operands (operand.c) --- */
/* "want WANT" into ERR; -1. */
int ot_claim_error(char *err, size_t errsz, const char *want);
/* The selector TEXT as CL's next one. */
int ot_claim_parse_sel(struct ot_claim *cl, const char *text, char *err, size_t errsz);
/* A literal: 12, -100, 0x8000, NULL, AT_FDCWD, -ENOENT, ENOENT, len("text"); 0 or -1. */
int ot_claim_parse_number(const char *s, int64_t *out);
/* A "quoted" source text into OUT (SZ bytes), without its quotes; 0 or -1. */
int ot_claim_parse_text(const char *q, char *out, size_t sz, char *err, size_t errsz);
/* OP is one of == != < <= > >= & */
bool ot_claim_valid_op(const char *op);
/* A OP B (&: every bit of B set in A) */
bool ot_claim_compare(int64_t a, const char *op, int64_t b);

/* --- evaluation helpers (evidence.c) --- */
/* The N-th call of the anchor that OP is (1-based), 0 if none. */
int ot_claim_op_ordinal(const struct ot_claim_ctx *c, const struct ot_call *op);
/* Value V of selector I, at LINE in operation OP, for the sentence. */
void ot_claim_see_value(struct ot_claim_ctx *c, int i, const char *v, unsigned line,
			const struct ot_call *op);
void ot_claim_add_events(struct ot_claim_result *r, const struct ot_events *e);
/* Evidence of absence: the operation that was searched (its entry and return lines). */
void ot_claim_add_scope(struct ot_claim_result *r, const struct ot_events *e);
/* No events: is that evidence of absence (the probe was attached) or no evidence? */
bool ot_claim_probed(const struct ot_claim_ctx *c, const struct ot_sel *sel);
/* The field a selector's value is read from ("ret" by default). */
const char *ot_claim_value_field(const struct ot_sel *s);

#endif
