/* SPDX-License-Identifier: MIT */
/* Line probes on the running kernel: a plan's link-time addresses moved by the
 * kernel's KASLR offset and named as SYMBOL+OFFSET from /proc/kallsyms (what both
 * backends attach), and the line.fact records that describe every point in the log,
 * so that a log is read without the index (docs/line-format.md "Line probes"). */
#ifndef OT_LINEPLACE_H
#define OT_LINEPLACE_H

#include <stdio.h>

#include "srcmap/lineplan.h"

/* Fills every point's addr, sym and off, or its why. Returns -1 with WHY when the
 * kernel's symbols cannot be read (not root, kptr_restrict) or are not the plan's. */
int ot_lineplan_place(struct ot_lineplan *p, char *why, size_t whysz);

/* One line.fact per point: id, of, at="FILE:LINE", chain, probe="SYM+0xOFF", and
 * refused="WHY" for a point that is not probed. Returns 0 or -1. */
int ot_lineplan_write_facts(const struct ot_lineplan *p, FILE *log);

/* Points placed (WHY empty). */
size_t ot_lineplan_placed(const struct ot_lineplan *p);

#endif
