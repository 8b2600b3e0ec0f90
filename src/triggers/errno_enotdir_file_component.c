// SPDX-License-Identifier: MIT
/* errno_enotdir_file_component -- ENOTDIR: a path component is a regular file.
 *
 * Setup: in the fresh case directory D the regular file F = "D/file" (0644).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("D/file/x", O_RDONLY)  -> -1 ENOTDIR    op#1
 *
 * Why: link_path_walk (fs/namei.c) walks every component but the last; after
 * stepping onto "file" it must go on into it, and a dentry that cannot be looked
 * up in (!d_can_lookup: not a directory) ends the walk with -ENOTDIR before "x"
 * is ever looked at.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char path[PATH_MAX];

static int setup(struct trig *t)
{
	char file[PATH_MAX];

	if (trig_case_file(t, file, sizeof(file), "file", "not a directory\n"))
		return -1;
	return trig_path(t, path, sizeof(path), "%s/x", file);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, path, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enotdir_file_component", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
