/* SPDX-License-Identifier: MIT */
/* A case's claims over a streamed trace (trace/trace.h), whose operations are released
 * as they complete. As each operation is handed over, the keeper keeps what the
 * claims can name -- the operations their scopes pick (op#N, op#last, op[F]#N+K,
 * resolved in the anchor's order as the log streams) and those holding a call of a
 * selector with no scope -- and lets the rest go. The claims are then evaluated over
 * the kept operations with their scopes so resolved: the results of the whole trace. */
#ifndef OT_CLAIMS_KEEP_H
#define OT_CLAIMS_KEEP_H

#include <stdbool.h>

#include "cases/catalogue.h"
#include "claims/result.h"
#include "trace/trace.h"

struct ot_claims_keep;

/* Registers on T, begun streamed and before its first record, for case C (which has an
 * anchor): T numbers the anchor's calls. */
struct ot_claims_keep *ot_claims_keep_begin(struct ot_trace *t, const struct ot_case *c);
/* Did a call carry its call site (caller=)? Call sites are resolved to source lines
 * over the whole trace only (cli/source.c), and a claim may read them. */
bool ot_claims_keep_saw_call_sites(const struct ot_claims_keep *k);
/* Once T is complete: the trace claim block and the case's claims into OUT. */
int ot_claims_keep_eval(const struct ot_claims_keep *k, const struct ot_trace *t,
			struct ot_claim_set *out);
void ot_claims_keep_free(struct ot_claims_keep *k);

#endif
