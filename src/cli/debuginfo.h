/* SPDX-License-Identifier: MIT */
/* Building a kernel's source index on demand (lab/debuginfo.sh). */
#ifndef OT_CLI_DEBUGINFO_H
#define OT_CLI_DEBUGINFO_H

#include <stdbool.h>

/* Run lab/debuginfo.sh for KERNEL (uname -r): from the cached vmlinux, or, if DOWNLOAD,
 * fetching Debian's debug package first. Progress goes to stderr. 0 when the index
 * was built. Each of the script's downloads and steps has its own timeout. */
int ot_debuginfo_build(const char *kernel, bool download);

#endif
