/* SPDX-License-Identifier: MIT */
/* What evaluating a claim yields: a verdict, the log lines it rests on, one sentence
 * of detail and one in plain words; a case's results and its verdict. The kinds fill
 * a result through ot_claim_add_evidence and ot_claim_set_verdict; the reports read it. */
#ifndef OT_CLAIMS_RESULT_H
#define OT_CLAIMS_RESULT_H

#include <stddef.h>

enum ot_verdict {
	OT_PASS,
	OT_FAIL,
	OT_NOT_EVIDENCED,
	OT_SKIPPED,
};

enum ot_case_verdict {
	OT_CASE_PASS,
	OT_CASE_FAIL,
	OT_CASE_INCOMPLETE,
};

struct ot_claim_result {
	char *claim; /* the claim's text */
	enum ot_verdict verdict;
	unsigned *evidence; /* log line numbers, ascending */
	size_t nevidence;
	char *detail;	/* one sentence: what was seen */
	char *sentence; /* the claim and what was seen, in plain words, with the run's values */
};

struct ot_claim_set {
	struct ot_claim_result *r;
	size_t n;
	enum ot_case_verdict verdict;
};

/* A log line into R's evidence (kept sorted, once). */
void ot_claim_add_evidence(struct ot_claim_result *r, unsigned line);
/* R's verdict with its one-sentence detail. */
void ot_claim_set_verdict(struct ot_claim_result *r, enum ot_verdict v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void ot_claim_result_free(struct ot_claim_result *r);
void ot_claim_set_free(struct ot_claim_set *s);

const char *ot_verdict_name(enum ot_verdict v); /* "pass", "fail", "not evidenced", "skipped" */
const char *ot_case_verdict_name(enum ot_case_verdict v); /* "pass", "fail", "incomplete" */

#endif
