// SPDX-License-Identifier: MIT
/* Finding the source index for a log's kernel (see source.h). */
#include "cli/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/debuginfo.h"
#include "srcmap/srccache.h"

/* At most this many callers are added to an index at a time. */
#define MAX_ADDED 64

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

/* Callers outside the indexed units (a function called from a file none of the probed
 * functions lives in): rebuild the index with their units, from the cached vmlinux.
 * Once per kernel per process. Returns 0 when the index was rebuilt. */
static int add_callers(const struct ot_trace *t, const struct ot_srcinfo *s, const char *kernel)
{
	static char tried_for[256];
	const char *ktext = ot_trace_run_fact(t, "ktext");
	char **addrs = NULL;
	size_t n = 0;
	int r = -1;

	if (!ktext || !strcmp(tried_for, kernel))
		return -1;
	snprintf(tried_for, sizeof(tried_for), "%s", kernel);
	if (!(addrs = calloc(MAX_ADDED + 1, sizeof(*addrs))))
		return -1;
	for (size_t i = 0; i < t->ncalls && n < MAX_ADDED; i++) {
		const struct ot_call *c = t->calls[i];
		const struct ot_field *f = c->entry ? ot_rec_field(c->entry, "caller") : NULL;
		bool dup = false;

		if (!f || !f->raw || s->calls[i].nframes)
			continue;
		for (size_t j = 0; j < n && !dup; j++)
			dup = !strncmp(addrs[j], f->raw, strlen(f->raw)) &&
			      addrs[j][strlen(f->raw)] == '@';
		if (!dup && asprintf(&addrs[n], "%s@%s", f->raw, ktext) > 0)
			n++;
	}
	if (n)
		r = ot_debuginfo_add_addrs(kernel, addrs, n);
	for (size_t j = 0; j < n; j++)
		free(addrs[j]);
	free(addrs);
	return r;
}

struct ot_srcinfo *ot_cli_source_attach(struct ot_trace *t, bool download)
{
	const char *kernel = ot_srcinfo_kernel(t), *why = NULL;
	struct ot_srcinfo *s = NULL, *again = NULL;
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
	if (s->resolved < s->with_caller && !add_callers(t, s, kernel) &&
	    ot_srcinfo_build(t, path, &again, &why) == OT_SRC_OK) {
		ot_srcinfo_free(s);
		s = again;
	}
	t->src = s;
	return s;
}
