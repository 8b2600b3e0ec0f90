// SPDX-License-Identifier: MIT
/* errno_einval_tmpfile_rdonly -- EINVAL: O_TMPFILE without write access.
 *
 * Setup: nothing but the fresh case directory D.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(D, O_TMPFILE | O_RDONLY, 0600)  -> -1 EINVAL    op#1
 *
 * Why: an unnamed file that could not be written is of no use, so
 * build_open_flags (fs/open.c) refuses __O_TMPFILE without MAY_WRITE in the
 * access mode with -EINVAL, before the path is even copied in.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, t->casedir, O_TMPFILE | O_RDONLY, 0600));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_einval_tmpfile_rdonly", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
