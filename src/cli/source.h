/* SPDX-License-Identifier: MIT */
/* Source-level facts for a trace: the kernel's source index from the cache, built
 * first when missing (fetching the debug package unless downloads are off). */
#ifndef OT_CLI_SOURCE_H
#define OT_CLI_SOURCE_H

#include <stdbool.h>

#include "srcmap/srcinfo.h"

/* Attaches the facts to T (t->src) and returns them (free with ot_srcinfo_free), or
 * NULL after saying once on stderr why there are none (not when the log has no
 * caller= fields at all). */
struct ot_srcinfo *ot_cli_source_attach(struct ot_trace *t, bool download);

#endif
