// SPDX-License-Identifier: MIT
/* stage2_rebuild -- Rebuild after eviction.
 *
 * Setup: the file F = "D/t_e.txt" (0644) in the case directory D
 * (WORKDIR/stage2_rebuild), created and closed, so its dentry is in the cache;
 * /proc/sys/vm/drop_caches opened for writing; sync.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(F, O_RDONLY)  -> fd1 >= 0   (a dcache hit: the dentry from setup)
 *   op#2  close(fd1)         -> 0
 *   op#3  drop_caches: pwrite("2") on the fd opened in setup -> 1
 *   op#4  open(F, O_RDONLY)  -> fd2 >= 0   (a miss: a new dentry is allocated)
 *   op#5  close(fd2)         -> 0
 *
 * Why: op#3 frees the unused dentry of t_e.txt, so op#4 must build a new one
 * (__d_alloc, __d_add): the dentry in the file op#4 returns differs from the one
 * op#1 returned. (The slab allocator could in principle hand back the same
 * address; the seed saw two different ones.)
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "t_e.txt", "stage2 rebuild\n"))
		return -1;
	return trig_prepare_drop_caches(t);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file, O_RDONLY, 0); /* a hit */
	trig_op_drop_caches(t, "2");
	trig_op_open_close(t, file, O_RDONLY, 0); /* a miss */
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_rebuild", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
