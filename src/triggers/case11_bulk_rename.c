// SPDX-License-Identifier: MIT
/* case11_bulk_rename -- A directory of 100 cached children, renamed.
 *
 * Setup: in the fresh case directory D (WORKDIR/case11_bulk_rename) the
 * directory D/dir with the 100 files child_0 .. child_99 (0644), each created
 * (an open with O_CREAT) and closed here, so each has a positive dentry in the
 * dcache under dir's dentry. D/dir2 does not exist.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use; op[do_renameat2]#1 for the rename):
 *   seq 1  rename("D/dir", "D/dir2")          -> 0
 *   seq 2  open("D/dir2/child_50", O_RDONLY)  -> fd >= 0    op#1
 *   seq 3  close(fd)                          -> 0
 *
 * Why: the rename moves one dentry (d_move of dir's dentry, now named "dir2");
 * its children hang off it by d_parent and are neither touched nor rehashed
 * (their hash is salted by the parent dentry's address, which did not change).
 * So op#1 finds "dir2" and "child_50" by lookup and allocates nothing: no
 * __d_alloc inside op#1 (the rename itself allocates the negative target
 * dentry "dir2", outside any do_filp_open).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

#define CHILDREN 100

static char dir[PATH_MAX], dir2[PATH_MAX], child50[PATH_MAX];

static int setup(struct trig *t)
{
	char child[PATH_MAX];
	int i;

	if (trig_path(t, dir, sizeof(dir), "%s/dir", t->casedir) ||
	    trig_path(t, dir2, sizeof(dir2), "%s/dir2", t->casedir) ||
	    trig_path(t, child50, sizeof(child50), "%s/child_50", dir2))
		return -1;
	if (trig_mkdir(t, dir, 0755, false))
		return -1;
	for (i = 0; i < CHILDREN; i++) {
		if (trig_path(t, child, sizeof(child), "%s/child_%d", dir, i) ||
		    trig_write_file(t, child, "", 0644))
			return -1;
	}
	return 0;
}

static void operations(struct trig *t)
{
	trig_op_rename(t, dir, dir2);
	trig_op_open_close(t, child50, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case11_bulk_rename", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
