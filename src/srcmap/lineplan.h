/* SPDX-License-Identifier: MIT */
/* Line probes' plan: from a kernel's source index (its line table, code ranges and
 * inlined instances), every source line instance of the functions a run names
 * (`--lines FUNC,...`): one point per line-table row inside the function's code,
 * each with its file:line and the chain of inlined functions it sits in. A function
 * the compiler inlined is planned in every place it was inlined. The plan holds
 * link-time addresses; src/probe/lineplace.h places it on the running kernel. */
#ifndef OT_LINEPLAN_H
#define OT_LINEPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "srcmap/indexread.h"

/* Points one run may place: a function's line set is tens of points, a run names a few. */
#define OT_LINEPLAN_MAX 4096

struct ot_line_point {
	unsigned id;	    /* position in the plan: the hit records' id= */
	char of[64];	    /* the function named (--lines): the hits' record name */
	uint64_t link_addr; /* the instruction's link-time address */
	char file[160];	    /* the line it starts (the innermost function's source) */
	unsigned line;
	/* The functions it sits in, innermost first, comma separated: every one but the
	 * last is inlined into the next ("acl_permission_check,generic_permission"). */
	char chain[256];
	/* On the running kernel (src/probe/lineplace.h): where the probe goes. */
	unsigned long long addr; /* running address (KASLR included) */
	char sym[128];		 /* the text symbol holding it */
	unsigned long long off;	 /* ADDR - SYM's address */
	char why[128];		 /* why it is not probed ("": placed); never contains ',' */
};

struct ot_lineplan {
	struct ot_line_point *pts; /* in address order; pts[i].id == i */
	size_t n;
	char kernel[128]; /* the index's kernel (uname -r) */
	uint64_t text;	  /* the index's link-time _text */
};

/* The points of FUNCS[0..N) in IX (each a function, or alternatives "A|B": the first
 * the index knows). Returns 0, or -1 with WHY naming the function the
 * index does not know (or that has no line rows), or saying the plan is too large. */
int ot_lineplan_build(const struct ot_srcindex *ix, const char *const *funcs, size_t n,
		      struct ot_lineplan *out, char *why, size_t whysz);
void ot_lineplan_free(struct ot_lineplan *p);

/* The out-of-line function of point P (the last of its chain) into BUF. */
const char *ot_line_point_outer(const struct ot_line_point *p, char *buf, size_t size);

#endif
