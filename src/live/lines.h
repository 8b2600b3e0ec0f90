/* SPDX-License-Identifier: MIT */
/* Line probes for a live run: the running kernel's source index (from opentrail's
 * cache: `opentrail debuginfo`, or handed into the lab's guest by the host), the
 * plan of the functions named, placed on this kernel. */
#ifndef OT_LIVE_LINES_H
#define OT_LIVE_LINES_H

#include <stddef.h>

#include "srcmap/lineplan.h"

/* The plan of FUNCS[0..N) on the running kernel. Returns 0, or -1 with WHY saying
 * what is missing (no index for this kernel, a function it does not know) and how to
 * get it. */
int ot_live_lineplan(const char *const *funcs, size_t n, struct ot_lineplan *out, char *why,
		     size_t whysz);

#endif
