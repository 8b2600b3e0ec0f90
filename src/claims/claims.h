/* SPDX-License-Identifier: MIT */
/* Claims: small composable checks over a trace. Each yields pass / fail /
 * not evidenced / skipped, with the log lines of its evidence.
 *
 * The claim language (one claim per string):
 *   pairs [FUNC]                 every entry has its return on the same thread, nested
 *   decoded                      every return value decodes per the probe dictionary
 *   user_agrees                  each user.fact matches the kernel's syscall-level return
 *   hit SEL | absent SEL         SEL has events (absent: the probe was attached and saw none)
 *   count SEL OP N               number of matching calls
 *   ret_ok SEL | ret_null SEL | ret_err SEL ENAME     every selected call returned so
 *   same_ptr SEL SEL             some value of the first equals some value of the second
 *   new_ptr SEL SEL              both seen, and they differ
 *   ptr_diff SEL SEL == N        first minus second == N (N may be len("text"))
 *   order SEL before SEL         the first selected event precedes the second
 *   field SEL OP VALUE           OP: == != < <= > >= &  (VALUE: number, "string", NULL, errno name)
 *   user N OP VALUE              the N-th user.fact: "user 1 == fd", "user 2 == -1 ENOENT"
 *   caller SEL FUNC              every selected call was made from FUNC, inlined there or
 *                                not (call sites from the kernel's source index, caller.h)
 *
 * SEL  := FUNC[.entry|.ret][{KEY=VALUE,...}][#N|#last][:FIELD][@SCOPE]
 * SCOPE:= op#N | op#last | op[FUNC]#N | op[FUNC]#N+K
 *   op#N is the N-th call of the case's anchor function (in log order); op[F]#N the
 *   N-th such call that contains a call of F (traced, or inlined in a call site inside
 *   it: src/srcmap/srcinfo.h); +K the K-th anchor call after it.
 *   A selector's events are the calls of FUNC inside the scope (all of them by default).
 *   :FIELD reads the entry record's field for .entry (default) and the return's for .ret;
 *   ":ret" is the raw return value.
 */
#ifndef OT_CLAIMS_H
#define OT_CLAIMS_H

#include <stddef.h>

#include "cases/catalogue.h"
#include "trace/trace.h"

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
	char *detail; /* one sentence: what was seen */
};

struct ot_claim_set {
	struct ot_claim_result *r;
	size_t n;
	enum ot_case_verdict verdict;
};

/* Evaluate the trace claim block (pairs, decoded, and user_agrees when the log has
 * user facts) and, with a case, the case's own claims. A bad claim text is a fail
 * whose detail names the error. */
int ot_claims_eval(const struct ot_trace *t, const struct ot_case *c, struct ot_claim_set *out);
/* Evaluate one claim text against the trace (anchor: the function of op#N scopes). */
void ot_claim_eval_one(const struct ot_trace *t, const char *anchor, const char *claim,
		       struct ot_claim_result *out);
void ot_claim_set_free(struct ot_claim_set *s);

const char *ot_verdict_name(enum ot_verdict v); /* "pass", "fail", "not evidenced", "skipped" */
const char *ot_case_verdict_name(enum ot_case_verdict v); /* "pass", "fail", "incomplete" */

#endif
