/* SPDX-License-Identifier: MIT */
/* The line claims (line probes, docs/source-index.md "Line probes"): a line is named
 * by its source text within a function, never by its number, and resolved on each
 * kernel to the one line of that function whose text holds it (none, or several, is
 * an error of the claim, never a pass):
 *   ran SEL "TEXT"           a selected call ran that line
 *   not_ran SEL "TEXT"       the selected calls ran, and none ran that line
 *   origin SEL FUNC "TEXT"   the operation of SEL's first call failed, its error was
 *                            decided in FUNC, and the last line FUNC ran holds TEXT;
 *                            FUNC may name alternatives, F1|F2, for a function that is
 *                            called on some kernels and inlined into F2 on others
 * SEL's function's lines include those of the functions inlined into it. */
#ifndef OT_CLAIMS_LINECLAIMS_H
#define OT_CLAIMS_LINECLAIMS_H

#include "claims/claims.h"

void ot_claim_lines(const struct ot_trace *t, const char *anchor, const struct ot_claim *cl,
		    struct ot_claim_result *res);

#endif
