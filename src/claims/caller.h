/* SPDX-License-Identifier: MIT */
/* The claim "caller SEL NAME": every selected call was made from function NAME, whether
 * the compiler inlined NAME (it is then one of the call site's inlined frames, from the
 * kernel's source index) or not (NAME is then the out-of-line caller, or, without a
 * call site, the traced parent). */
#ifndef OT_CLAIMS_CALLER_H
#define OT_CLAIMS_CALLER_H

#include "claims/result.h"
#include "trace/trace.h"

void ot_claim_caller(const struct ot_trace *t, const char *anchor, char **a, int n,
		     struct ot_claim_result *out);

#endif
