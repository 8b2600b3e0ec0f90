// SPDX-License-Identifier: MIT
/* case13_salt -- The same name in two directories hashes differently.
 *
 * Setup: in the fresh case directory D (WORKDIR/case13_salt) the directories
 * D/x and D/y, each with a file "same.txt" (0644). D is then opened as a
 * directory and kept open until cleanup (pinning the dentries of D and of every
 * directory above it), and the dentry and inode caches are dropped (sync, write
 * "2" to /proc/sys/vm/drop_caches): "x", "y" and both "same.txt" leave the
 * dcache, the path up to D stays.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/x/same.txt", O_RDONLY)  -> fd1 >= 0    op#1
 *   seq 2  close(fd1)                      -> 0
 *   seq 3  open("D/y/same.txt", O_RDONLY)  -> fd2 >= 0    op#2
 *   seq 4  close(fd2)                      -> 0
 *
 * Why: the walk hashes each component with the parent dentry's address as the
 * salt (hash_name starts from nd->path.dentry, on 6.1 and 6.12). Because the
 * caches were dropped, each op misses and allocates the dentries of its
 * directory and of "same.txt":
 * __d_alloc (and d_alloc_parallel, and the failed __d_lookup_rcu/__d_lookup
 * before them) carry the qstr with its hash. The two "same.txt" qstrs have the
 * same name and length but different hashes: x and y are different dentries.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

#define CONTENT "case13 salt\n"

static char file_x[PATH_MAX], file_y[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_dir_with_file(t, "x", "same.txt", CONTENT, file_x, sizeof(file_x)) ||
	    trig_dir_with_file(t, "y", "same.txt", CONTENT, file_y, sizeof(file_y)))
		return -1;
	return trig_pin_and_drop_caches(t);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file_x, O_RDONLY, 0);
	trig_op_open_close(t, file_y, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case13_salt", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
