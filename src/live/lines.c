// SPDX-License-Identifier: MIT
/* Line probes for a live run (see lines.h). */
#include "live/lines.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "probe/lineplace.h"
#include "srcmap/indexread.h"
#include "srcmap/srccache.h"

int ot_live_lineplan(const char *const *funcs, size_t n, struct ot_lineplan *out, char *why,
		     size_t whysz)
{
	struct ot_srcindex ix;
	struct utsname u;
	char path[4096];
	const char *bad;
	int err;

	memset(out, 0, sizeof(*out));
	if (uname(&u) || ot_srccache_index_path(u.release, path, sizeof(path))) {
		snprintf(why, whysz,
			 "--lines needs the kernel's source index, and there is no "
			 "cache directory (set OPENTRAIL_CACHE)");
		return -1;
	}
	if (ot_srcindex_load(path, &ix, &bad)) {
		snprintf(why, whysz,
			 "--lines needs this kernel's debug info: no source index for %s (%s); "
			 "`opentrail debuginfo %s` builds it from Debian's -dbg package",
			 u.release, bad, u.release);
		return -1;
	}
	if (!ix.kernel || strcmp(ix.kernel, u.release)) {
		snprintf(why, whysz, "the source index at %s is of kernel %s, not of %s", path,
			 ix.kernel ? ix.kernel : "?", u.release);
		ot_srcindex_free(&ix);
		return -1;
	}
	err = ot_lineplan_build(&ix, funcs, n, out, why, whysz);
	ot_srcindex_free(&ix);
	if (!err && ot_lineplan_place(out, why, whysz)) {
		ot_lineplan_free(out);
		err = -1;
	}
	return err;
}
