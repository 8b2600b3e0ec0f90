// SPDX-License-Identifier: MIT
/* demo_o_tmpfile -- An unnamed file in a directory.
 *
 * Setup: the fresh case directory D (WORKDIR/demo_o_tmpfile), on ext4 (which
 * supports O_TMPFILE).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(D, O_TMPFILE|O_RDWR, 0600)  -> fd >= 0    op#1
 *   seq 2  fstat(fd)                        -> 0          (extra fields: ino, nlink=0)
 *   seq 3  close(fd)                        -> 0          (the inode is freed)
 *
 * Why: path_openat sends O_TMPFILE to do_tmpfile: D is walked as a directory
 * (every component found), then vfs_tmpfile allocates a child dentry with the
 * fixed name "/" (d_alloc, __d_alloc: a name no directory entry can have, never
 * hashed; d_tmpfile then renames it "#<ino>") and ext4 makes an inode with no
 * directory entry: no lookup or __d_alloc for any name in D, and the file's link
 * count is 0. (vfs_tmpfile checks write access to D with inode_permission and
 * then calls may_open with acc_mode 0.) fstat is the fstat system call itself on
 * x86_64 (no getname).
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "triggers/trigger.h"

static void operations(struct trig *t)
{
	struct stat st;
	int fd = trig_op_open(t, t->casedir, O_TMPFILE | O_RDWR, 0600);

	if (fd < 0)
		return;
	trig_op_fstat(t, fd, &st);
	trig_op_close(t, fd);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"demo_o_tmpfile", NULL, operations, NULL};

	return trig_main(&c, argc, argv);
}
