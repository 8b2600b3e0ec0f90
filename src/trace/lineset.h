/* SPDX-License-Identifier: MIT */
/* A set of log line numbers, one bit each: evidence gathered in any order (operations
 * complete thread by thread) comes out ascending and each line once, without a sort. */
#ifndef OT_LINESET_H
#define OT_LINESET_H

#include <stddef.h>
#include <stdint.h>

struct ot_line_set {
	uint64_t *bits;
	size_t nwords;
	size_t n; /* lines in the set */
};

void ot_line_set_add(struct ot_line_set *s, unsigned line);
/* The lines, ascending, into a new array (*N of them; NULL when none); S is emptied. */
unsigned *ot_line_set_take(struct ot_line_set *s, size_t *n);
void ot_line_set_free(struct ot_line_set *s);

#endif
