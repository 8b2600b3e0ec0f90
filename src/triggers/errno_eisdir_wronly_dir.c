// SPDX-License-Identifier: MIT
/* errno_eisdir_wronly_dir -- EISDIR: a directory opened for writing.
 *
 * Setup: in the fresh case directory D the directory S = "D/sub" (0755).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(S, O_WRONLY)  -> -1 EISDIR    op#1
 *
 * Why: O_WRONLY asks for MAY_WRITE; may_open (fs/namei.c) refuses MAY_WRITE on a
 * directory with -EISDIR before any permission check (no O_CREAT: do_open's own
 * EISDIR check is for O_CREAT only).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char dir[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_path(t, dir, sizeof(dir), "%s/sub", t->casedir))
		return -1;
	return trig_mkdir(t, dir, 0755, false);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, dir, O_WRONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eisdir_wronly_dir", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
