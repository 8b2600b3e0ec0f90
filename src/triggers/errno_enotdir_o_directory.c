// SPDX-License-Identifier: MIT
/* errno_enotdir_o_directory -- ENOTDIR: O_DIRECTORY on a regular file.
 *
 * Setup: in the fresh case directory D the regular file F = "D/file" (0644).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(F, O_RDONLY | O_DIRECTORY)  -> -1 ENOTDIR    op#1
 *
 * Why: O_DIRECTORY sets LOOKUP_DIRECTORY (build_open_flags, fs/open.c); the walk
 * finds F, and do_open (fs/namei.c, inlined into path_openat) refuses a final
 * dentry that is not a directory with -ENOTDIR, before may_open.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_case_file(t, file, sizeof(file), "file", "not a directory\n");
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_RDONLY | O_DIRECTORY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enotdir_o_directory", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
