// SPDX-License-Identifier: MIT
/* case5_mount_jump -- The walk crosses a mount.
 *
 * Setup: an 8 MiB ext2 image D/ext2.img in the fresh case directory D
 * (WORKDIR/case5_mount_jump), made by mke2fs, attached to a free loop device and
 * mounted at M = "D/mnt" (made here); then the file F = "M/f.txt" (0644) is
 * created in the mounted file system. Nothing is dropped: every component is in
 * the dcache.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(F, O_RDONLY)  -> fd >= 0    op#1
 *          (extra fields parent_dev and mnt_dev: st_dev of D and of M, which differ)
 *   seq 2  close(fd)          -> 0
 *
 * Cleanup: unmount, detach the loop device, remove M.
 *
 * Why: the dentry of "mnt" (on the workdir's file system) is a mount point
 * (DCACHE_MOUNTED); stepping onto it, the walk looks the mount up (__lookup_mnt)
 * and continues from the root of the ext2 file system, so "f.txt" is looked up
 * under a parent whose superblock differs from the superblock of the parent of
 * "mnt". With every dentry cached the whole walk stays in RCU mode, where the
 * crossing is done by __follow_mount_rcu (called from the inline handle_mounts;
 * itself static, so possibly inlined) calling __lookup_mnt, a global function;
 * traverse_mounts (inline; __traverse_mounts out of line) is the ref-walk path
 * and is not expected to run.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "triggers/loopmount.h"
#include "triggers/trigger.h"

#define IMAGE_BYTES (8 << 20)

static struct trig_loop loop;
static char file[PATH_MAX];
static unsigned long long parent_dev, mnt_dev;

static int stat_dev(const struct trig *t, const char *path, unsigned long long *dev)
{
	struct stat st;

	if (stat(path, &st))
		return trig_fail(t, "stat", path);
	*dev = (unsigned long long)st.st_dev;
	return 0;
}

static int setup(struct trig *t)
{
	char image[PATH_MAX], mnt[PATH_MAX];

	trig_loop_init(&loop);
	if (trig_path(t, image, sizeof(image), "%s/ext2.img", t->casedir) ||
	    trig_path(t, mnt, sizeof(mnt), "%s/mnt", t->casedir) ||
	    trig_path(t, file, sizeof(file), "%s/f.txt", mnt))
		return -1;
	if (trig_make_ext2(t, image, IMAGE_BYTES))
		return -1;
	if (trig_loop_mount(t, image, mnt, &loop))
		return -1;
	if (trig_write_file(t, file, "case5 mount jump\n", 0644))
		return -1;
	if (stat_dev(t, t->casedir, &parent_dev) || stat_dev(t, mnt, &mnt_dev))
		return -1;
	if (parent_dev == mnt_dev)
		return trig_failf(t, "%s has the device of %s: the mount did not happen", mnt,
				  t->casedir);
	return 0;
}

static void operations(struct trig *t)
{
	trig_fact_extra(t, " parent_dev=%llu mnt_dev=%llu", parent_dev, mnt_dev);
	trig_op_open_close(t, file, O_RDONLY, 0);
}

static int cleanup(struct trig *t)
{
	return trig_loop_unmount(t, &loop);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case5_mount_jump", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
