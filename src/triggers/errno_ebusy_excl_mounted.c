// SPDX-License-Identifier: MIT
/* errno_ebusy_excl_mounted -- EBUSY: O_EXCL on a block device that is mounted.
 *
 * Setup: an 8 MiB ext2 image D/ext2.img in the fresh case directory D, attached
 * to a free loop device L and mounted at D/mnt (the file system holds L).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(L, O_RDONLY | O_EXCL)  -> -1 EBUSY    op#1
 *
 * Cleanup (after the D gate): unmounted and detached.
 *
 * Why: for a block device O_EXCL asks for an exclusive claim: blkdev_open (the
 * device's open, block/fops.c; fs/block_dev.c in 5.10) has the claim prepared
 * (bd_prepare_to_claim), and the device already has a holder other than this
 * open, the mounted file system: -EBUSY.
 */
#include <fcntl.h>

#include "triggers/loopmount.h"
#include "triggers/trigger.h"

#define IMAGE_BYTES (8 << 20)

static struct trig_loop loop;

static int setup(struct trig *t)
{
	char image[PATH_MAX], mnt[PATH_MAX];

	trig_loop_init(&loop);
	if (trig_path(t, image, sizeof(image), "%s/ext2.img", t->casedir) ||
	    trig_path(t, mnt, sizeof(mnt), "%s/mnt", t->casedir))
		return -1;
	if (trig_make_ext2(t, image, IMAGE_BYTES))
		return -1;
	return trig_loop_mount(t, image, mnt, &loop);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, loop.dev, O_RDONLY | O_EXCL, 0));
}

static int cleanup(struct trig *t)
{
	return trig_loop_unmount(t, &loop);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_ebusy_excl_mounted", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
