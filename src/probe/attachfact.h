/* SPDX-License-Identifier: MIT */
/* The attach fact (docs/line-format.md, "Facts"): the run.fact a backend writes
 * once its probes are attached. Both backends write it through this one function,
 * so that it has the same keys (record/lineformat.h, OT_FACT_*) whichever ran. */
#ifndef OT_PROBE_ATTACHFACT_H
#define OT_PROBE_ATTACHFACT_H

#include <stddef.h>
#include <stdio.h>

#include "probe/resolve.h"

/* BACKEND's attach fact for RES[0..NRES) (what was attached, how, what was skipped
 * and why, the names and return kinds roles have here) and the kernel's _text
 * KTEXT (0: hidden, left out). Returns 0 or -1. */
int ot_attach_fact_write(FILE *log, const char *backend, const struct ot_resolved *res, size_t nres,
			 unsigned long long ktext);

#endif
