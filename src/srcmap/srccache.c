// SPDX-License-Identifier: MIT
/* Paths in opentrail's cache (see srccache.h). */
#include "srcmap/srccache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fits(int n, size_t size)
{
	return n > 0 && (size_t)n < size ? 0 : -1;
}

int ot_srccache_dir(const char *kernel, char *buf, size_t size)
{
	const char *c = getenv("OPENTRAIL_CACHE"), *x = getenv("XDG_CACHE_HOME"),
		   *h = getenv("HOME");

	if (!kernel || !*kernel || strchr(kernel, '/') || !strcmp(kernel, "..") ||
	    !strcmp(kernel, "."))
		return -1;
	if (c && *c)
		return fits(snprintf(buf, size, "%s/debuginfo/%s", c, kernel), size);
	if (x && *x)
		return fits(snprintf(buf, size, "%s/opentrail/debuginfo/%s", x, kernel), size);
	if (h && *h)
		return fits(snprintf(buf, size, "%s/.cache/opentrail/debuginfo/%s", h, kernel),
			    size);
	return -1;
}

int ot_srccache_index_path(const char *kernel, char *buf, size_t size)
{
	char dir[3072];

	if (ot_srccache_dir(kernel, dir, sizeof(dir)))
		return -1;
	return fits(snprintf(buf, size, "%s/srcindex", dir), size);
}

/* The first line of file PATH (without its newline) into BUF. */
static int first_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	int ok = f && fgets(buf, (int)size, f);

	if (f)
		fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

int ot_srccache_source_path(const char *kernel, const char *path, char *buf, size_t size)
{
	char dir[3072], p[3200], have[128], want[128];

	if (ot_srccache_dir(kernel, dir, sizeof(dir)) || strstr(path, ".."))
		return -1;
	snprintf(p, sizeof(p), "%s/source/VERSION", dir);
	if (first_line(p, have, sizeof(have)))
		return -1;
	snprintf(p, sizeof(p), "%s/dbg-version", dir);
	if (first_line(p, want, sizeof(want)) || strcmp(have, want) != 0)
		return -1; /* never quote lines of another version of the source */
	return fits(snprintf(buf, size, "%s/source/%s", dir, path), size);
}
