/* SPDX-License-Identifier: MIT */
/* Line probes in the kernel module (src/kmod/module/opentrail_kprobes.c), its side
 * of the words: which placed points of a plan the module takes, the lines=
 * parameter that gives them, the refusals it reports (lines_refused="ID:ERRNO,...")
 * and its hit lines ("line id=ID pid= tid= comm= ts="), named here as the log's
 * "OF.line" records (src/probe/backend.h). */
#ifndef OT_KMODLINES_H
#define OT_KMODLINES_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "srcmap/lineplan.h"

/* The module's table of line probes: its OT_MAX_LINES. */
#define OT_KMOD_LINES 1024

/* The placed points the module takes, the first MAX of them; the others get the why
 * "more than MAX line probes in one run (module)". *BYADDR (calloc'd, one per point)
 * says which go by address: those whose symbol name KSYMS (a /proc/kallsyms text;
 * NULL: unread) has other than once, as the kernel's lookup by name takes the first.
 * Returns how many points the module takes, or -1 out of memory. */
ssize_t ot_kmod_lines_choose(struct ot_lineplan *p, size_t max, FILE *ksyms, bool **byaddr);

/* " lines=ID=SYM+HEXOFF,ID=+HEXOFF,ID@HEXADDR,..." for the points taken ("=+OFF": the
 * previous item's symbol), malloc'd; "" when there are none; NULL out of memory. */
char *ot_kmod_lines_param(const struct ot_lineplan *p, const bool *byaddr);

/* A load fact's lines_refused="ID:ERRNO,..." into those points' why ("kprobe refused
 * (Invalid argument)", as the BPF backend says). */
void ot_kmod_lines_refused(struct ot_lineplan *p, const char *list);

/* A hit line of the module, MSG from "line id=" on, as the log's record (without
 * its tag) "OF.line pid=.. tid=.. comm=".." ts=.. id=ID" into OUT. False when it is
 * not one (malformed, an id outside the plan, too long). */
bool ot_kmod_line_hit(const struct ot_lineplan *p, const char *msg, char *out, size_t outsz);

#endif
