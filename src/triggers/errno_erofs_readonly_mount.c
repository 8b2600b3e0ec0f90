// SPDX-License-Identifier: MIT
/* errno_erofs_readonly_mount -- EROFS: a file on a read-only mount opened for writing.
 *
 * Setup: a tmpfs mounted on the directory M = "D/ro" in the fresh case directory
 * D, the file F = "M/f.txt" written there, then the mount remounted read-only.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(F, O_WRONLY)  -> -1 EROFS    op#1
 *
 * Cleanup (after the D gate): the tmpfs is unmounted.
 *
 * Why: the walk finds F; do_open -> may_open -> inode_permission(MAY_WRITE)
 * (fs/namei.c) refuses a write to a regular file of a read-only superblock
 * (sb_permission) with -EROFS before any file is opened.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "triggers/trigger.h"

static char file[PATH_MAX], mnt[PATH_MAX];
static bool mounted;

static int setup(struct trig *t)
{
	if (trig_dir_with_file(t, "ro", "hidden.txt", "under the mount\n", file, sizeof(file)))
		return -1;
	snprintf(mnt, sizeof(mnt), "%s", file);
	dirname(mnt); /* in place: "D/ro" */
	if (trig_mount_tmpfs(t, mnt, &mounted))
		return -1;
	if (trig_path(t, file, sizeof(file), "%s/f.txt", mnt) ||
	    trig_write_file(t, file, "erofs\n", 0644))
		return -1;
	if (mount(NULL, mnt, NULL, MS_REMOUNT | MS_RDONLY, NULL))
		return trig_fail(t, "remount read-only", mnt);
	return 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_WRONLY, 0));
}

static int cleanup(struct trig *t)
{
	return trig_umount(t, mnt, &mounted);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_erofs_readonly_mount", setup, operations,
					   cleanup};

	return trig_main(&c, argc, argv);
}
