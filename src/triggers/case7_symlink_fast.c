// SPDX-License-Identifier: MIT
/* case7_symlink_fast -- Symlink follow.
 *
 * Setup: in the case directory D (WORKDIR/case7_symlink_fast) the regular file
 * D/target.txt (0644, a short text) and the symlink D/good_link -> "target.txt"
 * (a relative body of 10 bytes: a "fast" symlink, whose body lives in the inode).
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open("D/good_link", O_RDONLY)  -> fd >= 0
 *   op#2  close(fd)                      -> 0
 *
 * Why: the last component is a symlink and O_NOFOLLOW is not given, so the walk
 * goes through pick_link with the body "target.txt" and ends at target.txt: the
 * file do_filp_open returns has the dentry "target.txt", not "good_link".
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char target[PATH_MAX];
static char link_path[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_case_file(t, target, sizeof(target), "target.txt", "case7 symlink target\n"))
		return -1;
	return trig_case_symlink(t, link_path, sizeof(link_path), "good_link", "target.txt");
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, link_path, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case7_symlink_fast", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
