/* SPDX-License-Identifier: MIT */
/* The static site: every report under some output directories (as `make run-all`
 * writes them: DIR/<kernel>/{bpf,kmod}/CASE.{json,md,log}) as HTML pages that need
 * no server and no network: an index (case x kernel x backend), a page per run of a
 * case, a page per case comparing kernels and backends, and the errno atlas (where
 * each kernel decided each error the cases provoke). */
#ifndef OT_SITE_H
#define OT_SITE_H

#include <stddef.h>

/* Build the site into OUT from the reports found under DIRS. 0, or -1 with a
 * one-line reason in ERR (bad input: nothing written). */
int ot_site_build(const char *out, char *const *dirs, int ndirs, char *err, size_t errsz);

#endif
