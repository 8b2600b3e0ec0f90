/* SPDX-License-Identifier: MIT */
/* A fixture for the cases that need a mount point on their path (case5_mount_jump,
 * stage2_a_miss): an ext2 image, made by mke2fs, attached to a free loop device and
 * mounted. Setup and cleanup only: nothing here runs in the operations window. */
#ifndef OT_TRIGGER_LOOPMOUNT_H
#define OT_TRIGGER_LOOPMOUNT_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "triggers/trigger.h"

/* An ext2 image mounted through a loop device. */
struct trig_loop {
	char image[PATH_MAX];
	char mnt[PATH_MAX];
	char dev[64];	  /* /dev/loopN */
	int nr;		  /* N, or -1 */
	bool created_mnt; /* the mount point was made by us (removed again) */
	bool mounted;
};
/* Message prefix when the kernel offers no loop devices (tests look for it). */
#define TRIG_NO_LOOP "no loop device support"
void trig_loop_init(struct trig_loop *lp);
/* Makes an ext2 file system of SIZE bytes in IMAGE by running mke2fs. */
int trig_make_ext2(const struct trig *t, const char *image, off_t size);
/* Attaches IMAGE to a free loop device and mounts it (ext2) at MNT, made if
 * missing. A mount left at MNT by an earlier run of the same image is removed
 * first; any other mount at MNT is an error. */
int trig_loop_mount(const struct trig *t, const char *image, const char *mnt, struct trig_loop *lp);
/* Unmounts and detaches what trig_loop_mount did; safe after a partial mount. */
int trig_loop_unmount(const struct trig *t, struct trig_loop *lp);

#endif
