/* SPDX-License-Identifier: MIT */
/* The probe spec resolved against a BTF file, offline: for each role, the name
 * the kernel has and where each field would be read (or why it is absent). What
 * `opentrail list --probes --btf FILE` prints; the same resolution as a live run,
 * less kallsyms (which only a running kernel has). */
#ifndef OT_PROBE_EXPLAIN_H
#define OT_PROBE_EXPLAIN_H

#include <stddef.h>
#include <stdio.h>

/* Prints to OUT; returns 0, or -1 with WHY when BTF_PATH cannot be read. */
int ot_probe_explain(FILE *out, const char *btf_path, char *why, size_t whysz);

#endif
