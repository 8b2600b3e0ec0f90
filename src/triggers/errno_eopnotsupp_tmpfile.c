// SPDX-License-Identifier: MIT
/* errno_eopnotsupp_tmpfile -- EOPNOTSUPP: O_TMPFILE where the filesystem has none.
 *
 * Setup: nothing: the directory is procfs's root, /proc, which every guest mounts.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("/proc", O_TMPFILE | O_RDWR, 0600)  -> -1 EOPNOTSUPP    op#1
 *
 * Why: the flags are valid (an access mode with write, O_DIRECTORY implied by
 * O_TMPFILE), the walk finds the directory and the write permission on it is
 * granted to root; then vfs_tmpfile (fs/namei.c) asks the directory's inode for
 * its tmpfile operation, and procfs has none: -EOPNOTSUPP.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, "/proc", O_TMPFILE | O_RDWR, 0600));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eopnotsupp_tmpfile", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
