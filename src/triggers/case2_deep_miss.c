// SPDX-License-Identifier: MIT
/* case2_deep_miss -- A deep path that misses at its first component.
 *
 * Setup: the fresh case directory D (WORKDIR/case2_deep_miss), empty: "alpha"
 * has never existed in it (the old case directory, with any negative dentries
 * of an earlier run under it, was removed at start: rmdir prunes the children).
 * Nothing is dropped: D and every directory above it stay in the dcache, so the
 * only name the walk cannot find there is "alpha".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/alpha/beta/gamma/x.txt", O_RDONLY)  -> -1 ENOENT    op#1
 *
 * Why: link_path_walk looks "alpha" up, misses in the dcache, allocates a dentry
 * for it (d_alloc_parallel, __d_alloc) and asks ext4, which knows no such name:
 * the dentry is negative and the walk stops there with -ENOENT (step_into /
 * handle_mounts refuse a negative dentry). "beta", "gamma" and "x.txt" are
 * never looked up: __d_alloc runs for "alpha" only.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char path[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_path(t, path, sizeof(path), "%s/alpha/beta/gamma/x.txt", t->casedir);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, path, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case2_deep_miss", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
