// SPDX-License-Identifier: MIT
/* errno_exdev_no_xdev -- EXDEV: RESOLVE_NO_XDEV and a path through a mount point.
 *
 * Setup: a tmpfs mounted on M = "D/mnt" in the fresh case directory D, with the
 * file "M/f.txt"; the directory D pinned as a dirfd.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  openat2(D, "mnt/f.txt", {O_RDONLY, 0, RESOLVE_NO_XDEV})  -> -1 EXDEV    op#1
 *
 * Cleanup (after the D gate): the tmpfs is unmounted.
 *
 * Why: RESOLVE_NO_XDEV (LOOKUP_NO_XDEV) forbids crossing a mount during the walk;
 * the component "mnt" is a mount point, and the walk's mount traversal (in
 * step_into's handling of mounts, fs/namei.c) returns -EXDEV instead of entering it.
 */
#include <fcntl.h>
#include <linux/openat2.h>

#include "triggers/trigger.h"

static char mnt[PATH_MAX];
static int dir = -1;
static bool mounted;

static int setup(struct trig *t)
{
	char file[PATH_MAX];

	if (trig_path(t, mnt, sizeof(mnt), "%s/mnt", t->casedir) || trig_mkdir(t, mnt, 0755, false))
		return -1;
	if (trig_mount_tmpfs(t, mnt, &mounted))
		return -1;
	if (trig_path(t, file, sizeof(file), "%s/f.txt", mnt) ||
	    trig_write_file(t, file, "exdev\n", 0644))
		return -1;
	dir = trig_pin_dir(t, t->casedir);
	return dir < 0 ? -1 : 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_openat2(t, dir, "mnt/f.txt", O_RDONLY, 0, RESOLVE_NO_XDEV));
}

static int cleanup(struct trig *t)
{
	return trig_umount(t, mnt, &mounted);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_exdev_no_xdev", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
