/* SPDX-License-Identifier: MIT */
/* Building a kernel's source index on demand (lab/debuginfo.sh). */
#ifndef OT_CLI_DEBUGINFO_H
#define OT_CLI_DEBUGINFO_H

#include <stdbool.h>

/* Run lab/debuginfo.sh for KERNEL (uname -r): from the cached vmlinux, or, if DOWNLOAD,
 * fetching Debian's debug package first. Progress goes to stderr. 0 when the index
 * was built. Each of the script's downloads and steps has its own timeout. */
int ot_debuginfo_build(const char *kernel, bool download);
/* Rebuild KERNEL's index from the cached vmlinux (never downloading), adding the units
 * that hold ADDRS (each "HEX@KTEXT": a running kernel's address and its _text). */
int ot_debuginfo_add_addrs(const char *kernel, char *const *addrs, size_t naddrs);

#endif
