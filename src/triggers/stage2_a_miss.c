// SPDX-License-Identifier: MIT
/* stage2_a_miss -- Two missing levels on a loop mount.
 *
 * Setup: an 8 MiB ext2 image D/ext2.img in the case directory D
 * (WORKDIR/stage2_a_miss), made by mke2fs, attached to a free loop device and
 * mounted at /mnt/loopfs (made if missing; "/mnt/loopfs/" is the 12-byte prefix
 * of the seed). The new file system is empty: a.txt does not exist. Then sync
 * and drop the dentry and inode caches (write "2" to /proc/sys/vm/drop_caches).
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open("/mnt/loopfs/a.txt", O_RDONLY)  -> -1 ENOENT   (extra field prefix_len=12)
 *
 * Cleanup: unmount, detach the loop device, remove /mnt/loopfs if it was made here.
 *
 * Why: a.txt is looked up for the first time in a fresh file system, so a dentry
 * must be allocated for it, and __d_alloc's name pointer minus do_filp_open's
 * path pointer is 12, the length of "/mnt/loopfs/". a.txt is left missing, as in
 * the seed (whose log has no do_filp_open return for a_miss): the fresh file
 * system guarantees no earlier negative dentry. The components "mnt" and
 * "loopfs" are in the cache whatever drop_caches does: a mount point's dentry and
 * the mounted root are pinned by the mount. So inside the window __d_alloc is
 * expected for "a.txt" only (the seed's run allocated "loopfs" too, which can
 * only happen when nothing is mounted there).
 */
#include <fcntl.h>

#include "triggers/loopmount.h"
#include "triggers/trigger.h"

#define MNT	    "/mnt/loopfs"
#define FILE_PATH   MNT "/a.txt"
#define IMAGE_BYTES (8 << 20)

static struct trig_loop loop;

static int setup(struct trig *t)
{
	char image[PATH_MAX];

	trig_loop_init(&loop);
	if (trig_path(t, image, sizeof(image), "%s/ext2.img", t->casedir))
		return -1;
	if (trig_make_ext2(t, image, IMAGE_BYTES))
		return -1;
	if (trig_loop_mount(t, image, MNT, &loop))
		return -1;
	return trig_drop_caches_now(t);
}

static void operations(struct trig *t)
{
	trig_fact_extra(t, " prefix_len=%zu", sizeof(MNT "/") - 1);
	trig_op_open(t, FILE_PATH, O_RDONLY, 0);
}

static int cleanup(struct trig *t)
{
	return trig_loop_unmount(t, &loop);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_a_miss", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
