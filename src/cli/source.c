// SPDX-License-Identifier: MIT
/* Finding the source index for a log's kernel (see source.h). */
#include "cli/source.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/debuginfo.h"
#include "srcmap/srccache.h"

/* Say "no source lines for kernel K" once per kernel per process. */
static char said_for[256];

static void say_once(const char *kernel, const char *why)
{
	if (!strcmp(said_for, kernel ? kernel : ""))
		return;
	snprintf(said_for, sizeof(said_for), "%s", kernel ? kernel : "");
	fprintf(stderr, "opentrail: no source lines for kernel %s: %s\n",
		kernel ? kernel : "(unknown)", why);
}

struct ot_srcinfo *ot_cli_source_attach(struct ot_trace *t, bool download)
{
	const char *kernel = ot_srcinfo_kernel(t), *why = NULL;
	struct ot_srcinfo *s = NULL;
	char path[4096];

	if (!ot_srcinfo_has_callers(t))
		return NULL; /* nothing to resolve: say nothing */
	if (!kernel || ot_srccache_index_path(kernel, path, sizeof(path))) {
		say_once(kernel, "the log names no kernel (run.fact kernel=) or there is no cache");
		return NULL;
	}
	if (access(path, R_OK) && ot_debuginfo_build(kernel, download)) {
		say_once(kernel, download ? "no debug info could be fetched for it"
					  : "no source index in the cache (downloads disabled)");
		return NULL;
	}
	if (ot_srcinfo_build(t, path, &s, &why) != OT_SRC_OK) {
		say_once(kernel, why);
		return NULL;
	}
	t->src = s;
	return s;
}
