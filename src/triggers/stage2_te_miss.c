// SPDX-License-Identifier: MIT
/* stage2_te_miss -- Basename offset.
 *
 * Setup: the file F = "D/t_e.txt" (0644) in the case directory D
 * (WORKDIR/stage2_te_miss, absolute, symlinks resolved), then sync and drop the
 * dentry and inode caches (write "2" to /proc/sys/vm/drop_caches), so that no
 * dentry for t_e.txt is left.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(F, O_RDONLY)  -> fd >= 0   (absolute path; extra field
 *                                          prefix_len = strlen("D/"))
 * The fd is closed after the window.
 *
 * Why: the walk must allocate a dentry for the basename, and __d_alloc copies
 * the name from inside the kernel's copy of the whole path: the name pointer
 * __d_alloc gets minus the path pointer do_filp_open gets is the length of the
 * directory prefix "D/" (the seed: "/tmp/t_e.txt", 5). The same dentry is then
 * added to the cache (__d_add) and is the one in the returned file.
 */
#include <fcntl.h>
#include <string.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "t_e.txt", "stage2 t_e\n"))
		return -1;
	return trig_drop_caches_now(t);
}

static void operations(struct trig *t)
{
	trig_fact_extra(t, " prefix_len=%zu", strlen(t->casedir) + 1);
	trig_keep_fd(t, trig_op_open(t, file, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_te_miss", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
