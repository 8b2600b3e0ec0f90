// SPDX-License-Identifier: MIT
/* case10_rename -- A directory renamed under a cached child.
 *
 * Setup: in the fresh case directory D (WORKDIR/case10_rename) the directory
 * D/d_old and the file D/d_old/f (0644); D/d_new does not exist.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use; op[do_renameat2]#1 for the rename):
 *   seq 1  open("D/d_old/f", O_RDONLY)   -> fd1 >= 0    op#1  (d_old's dentry used)
 *   seq 2  close(fd1)                    -> 0
 *   seq 3  rename("D/d_old", "D/d_new")  -> 0           (do_renameat2, vfs_rename, d_move)
 *   seq 4  open("D/d_new/f", O_RDONLY)   -> fd2 >= 0    op#2
 *   seq 5  close(fd2)                    -> 0
 *
 * Why: ext4 leaves the dcache to the VFS (no FS_RENAME_DOES_D_MOVE), so
 * vfs_rename calls d_move(old dentry, new dentry): the dentry that was "d_old"
 * is rehashed under the name "d_new" (the negative dentry the rename looked up
 * for "d_new" is dropped). So op#2's lookup of "d_new" returns the same dentry
 * pointer op#1's lookup of "d_old" returned, and "f" below it is the same
 * dentry too (the file op#2 returns has op#1's dentry).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char old_dir[PATH_MAX], new_dir[PATH_MAX];
static char old_file[PATH_MAX], new_file[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_path(t, old_dir, sizeof(old_dir), "%s/d_old", t->casedir) ||
	    trig_path(t, new_dir, sizeof(new_dir), "%s/d_new", t->casedir) ||
	    trig_path(t, old_file, sizeof(old_file), "%s/f", old_dir) ||
	    trig_path(t, new_file, sizeof(new_file), "%s/f", new_dir))
		return -1;
	if (trig_mkdir(t, old_dir, 0755, false))
		return -1;
	return trig_write_file(t, old_file, "case10 rename\n", 0644);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, old_file, O_RDONLY, 0);
	trig_op_rename(t, old_dir, new_dir);
	trig_op_open_close(t, new_file, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case10_rename", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
