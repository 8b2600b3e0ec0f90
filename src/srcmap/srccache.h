/* SPDX-License-Identifier: MIT */
/* Where a kernel's debug info lives in opentrail's cache ($OPENTRAIL_CACHE, else
 * $XDG_CACHE_HOME/opentrail, else ~/.cache/opentrail):
 *   debuginfo/<uname -r>/srcindex          the compact source index
 *   debuginfo/<uname -r>/source/<path>     the source files it names (optional)
 *   debuginfo/<uname -r>/source/VERSION    the package version those files come from
 *   debuginfo/<uname -r>/dbg-version       the version of the -dbg package indexed */
#ifndef OT_SRCCACHE_H
#define OT_SRCCACHE_H

#include <stdbool.h>
#include <stddef.h>

/* The cache's debuginfo directory of KERNEL. Returns 0, or -1 if there is no cache. */
int ot_srccache_dir(const char *kernel, char *buf, size_t size);
int ot_srccache_index_path(const char *kernel, char *buf, size_t size);
/* The cached copy of source file PATH (relative to the kernel tree) of KERNEL, when the
 * cached source's version is the one the index was built from; else -1. */
int ot_srccache_source_path(const char *kernel, const char *path, char *buf, size_t size);

#endif
