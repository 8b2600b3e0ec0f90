// SPDX-License-Identifier: MIT
/* stage2_lifecycle -- Hit, delete, evict.
 *
 * Setup: the file F = "D/t_e.txt" (0644) in the case directory D
 * (WORKDIR/stage2_lifecycle), created and closed, so its dentry is in the cache;
 * /proc/sys/vm/drop_caches opened for writing; sync.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(F, O_RDONLY)           -> fd >= 0   (a dcache hit)
 *   op#2  close(fd)                   -> 0
 *   op#3  unlink(F)                   -> 0         (d_delete: the dentry turns negative)
 *   op#4  drop_caches: pwrite("2") on the fd opened in setup -> 1
 *                                                  (__dentry_kill frees it)
 *
 * Why: one dentry pointer follows the name through its whole life: found by the
 * lookup of op#1, handed to d_delete by op#3, freed by __dentry_kill during op#4
 * (which, run from this process, also kills many unrelated dentries: the claim
 * follows the pointer, not the count).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "t_e.txt", "stage2 lifecycle\n"))
		return -1;
	return trig_prepare_drop_caches(t);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file, O_RDONLY, 0);
	trig_op_unlink(t, file);
	trig_op_drop_caches(t, "2");
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_lifecycle", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
