// SPDX-License-Identifier: MIT
/* demo_dup_names -- One basename, two directories, two dentries.
 *
 * Setup: in the fresh case directory D (WORKDIR/demo_dup_names) the directories
 * D/dirA and D/dirB, each with a file "common" (0644). D is then opened as a
 * directory and kept open until cleanup (pinning the dentries of D and of every
 * directory above it), and the dentry and inode caches are dropped (sync, write
 * "2" to /proc/sys/vm/drop_caches): "dirA", "dirB" and both "common" leave the
 * dcache, the path up to D stays.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/dirA/common", O_RDONLY)  -> fd1 >= 0    op#1
 *   seq 2  close(fd1)                       -> 0
 *   seq 3  open("D/dirB/common", O_RDONLY)  -> fd2 >= 0    op#2
 *   seq 4  close(fd2)                       -> 0
 *
 * Why: each op allocates a dentry for "common" (__d_alloc) under its own parent
 * (d_alloc_parallel's parent: dirA's dentry, then dirB's); the qstr hashes
 * differ because the walk salts each hash with the parent dentry, and the two
 * files returned have different dentries with different d_parent.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

#define CONTENT "demo dup names\n"

static char file_a[PATH_MAX], file_b[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_dir_with_file(t, "dirA", "common", CONTENT, file_a, sizeof(file_a)) ||
	    trig_dir_with_file(t, "dirB", "common", CONTENT, file_b, sizeof(file_b)))
		return -1;
	return trig_pin_and_drop_caches(t);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file_a, O_RDONLY, 0);
	trig_op_open_close(t, file_b, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"demo_dup_names", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
