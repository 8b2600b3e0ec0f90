/* SPDX-License-Identifier: MIT */
/* An operation of a streamed trace copied out before it is released (trace.h: a
 * streamed operation lives only while it is handed over): its calls, their records
 * and line hits, in one allocation that is freed at once. */
#ifndef OT_OPCOPY_H
#define OT_OPCOPY_H

#include <stddef.h>

#include "trace/trace.h"

struct ot_op_copy {
	struct ot_call **calls; /* pre-order, calls[0] the root; pre and last count from 0 */
	size_t n;
};

/* ROOT's operation, complete, while T hands it over (its subtree is in T->preorder).
 * The records' names stay the log's shared copies: the copy lives no longer than it. */
struct ot_op_copy *ot_op_copy(const struct ot_trace *t, const struct ot_call *root);
void ot_op_copy_free(struct ot_op_copy *c);

#endif
