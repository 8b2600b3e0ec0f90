/* SPDX-License-Identifier: MIT */
/* Claims: small composable checks over a trace. Each yields pass / fail /
 * not evidenced / skipped, with the log lines of its evidence.
 *
 * The claim language (one claim per string):
 *   pairs [FUNC]                 every entry has its return on the same thread, nested
 *   decoded                      every return value decodes per the probe spec
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
 *                                not (call sites from the kernel's source index, kind_caller.c)
 *   ran SEL "TEXT" | not_ran SEL "TEXT"   a selected call ran (none ran) the line of SEL's
 *                                function whose source text holds TEXT (line probes)
 *   ran SEL FUNC "TEXT"          the same for a line of FUNC (F1|F2: of either), which
 *                                ran within the selected call: a function SEL calls
 *                                that is out of line on some kernels, inlined on others
 *   origin SEL FUNC "TEXT"       SEL's operation failed, its error decided in FUNC at the
 *                                line holding TEXT (kind_lines.c); FUNC may be F1|F2 when
 *                                the deciding function is inlined into F2 on some kernels
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
#include <stdint.h>

#include "cases/catalogue.h"
#include "claims/parsed.h"
#include "claims/result.h"
#include "trace/trace.h"

/* Parse TEXT (the claim language above) into OUT; 0, or -1 with the error in ERR.
 * OUT keeps a pointer to TEXT. */
int ot_claim_parse(const char *text, struct ot_claim *out, char *err, size_t errsz);
/* The claim kind's name ("same_ptr"), for printing; code switches on cl->kind. */
const char *ot_claim_kind_name(const struct ot_claim *cl);
/* The case's claims, parsed once per process (NULL entries: claims that do not parse;
 * the unit tests keep the catalogue free of them). */
const struct ot_claim *ot_case_claim(const struct ot_case *c, int i);
/* Evaluate one parsed claim against the trace (anchor: the function of op#N scopes). */
void ot_claim_eval(const struct ot_trace *t, const char *anchor, const struct ot_claim *cl,
		   struct ot_claim_result *out);

/* Evaluate the trace claim block (pairs, decoded, and user_agrees when the log has
 * user facts) and, with a case, the case's own claims. A bad claim text is a fail
 * whose detail names the error. */
int ot_claims_eval(const struct ot_trace *t, const struct ot_case *c, struct ot_claim_set *out);
/* The same with the case's scopes resolved already (PICKS): T may then hold only the
 * operations the claims name (claims/keep.h). */
int ot_claims_eval_picked(const struct ot_trace *t, const struct ot_case *c,
			  const struct ot_op_picks *picks, struct ot_claim_set *out);
/* Evaluate one claim text against the trace (anchor: the function of op#N scopes). */
void ot_claim_eval_one(const struct ot_trace *t, const char *anchor, const char *claim,
		       struct ot_claim_result *out);

#endif
