// SPDX-License-Identifier: MIT
/* errno_eloop_o_nofollow -- ELOOP: O_NOFOLLOW on a symlink.
 *
 * Setup: in the fresh case directory D the file "D/target.txt" and the symlink
 * L = "D/link" -> "target.txt".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(L, O_RDONLY | O_NOFOLLOW)  -> -1 ELOOP    op#1
 *
 * Why: without LOOKUP_FOLLOW the last component is not followed: the walk ends
 * on the symlink's own dentry, and may_open (fs/namei.c) refuses to open a
 * symlink (S_IFLNK) with -ELOOP.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char link_path[PATH_MAX];

static int setup(struct trig *t)
{
	char target[PATH_MAX];

	if (trig_case_file(t, target, sizeof(target), "target.txt", "target\n"))
		return -1;
	return trig_case_symlink(t, link_path, sizeof(link_path), "link", "target.txt");
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, link_path, O_RDONLY | O_NOFOLLOW, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eloop_o_nofollow", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
