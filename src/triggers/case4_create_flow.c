// SPDX-License-Identifier: MIT
/* case4_create_flow -- Create, then reopen.
 *
 * Setup: the fresh case directory D (WORKDIR/case4_create_flow), empty: the name
 * F = "D/new.txt" has never existed in it.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(F, O_CREAT|O_RDWR, 0644)  -> fd1 >= 0    op#1  (created)
 *   seq 2  close(fd1)                     -> 0
 *   seq 3  open(F, O_RDONLY)              -> fd2 >= 0    op#2  (lookup hit)
 *   seq 4  close(fd2)                     -> 0
 *
 * Why: op#1 misses in the dcache, allocates a dentry for "new.txt", finds it
 * negative on ext4 and takes lookup_open's create branch (the directory's
 * i_op->create, ext4_create, not vfs_create; FMODE_CREATED). Closing the file
 * leaves the now positive dentry hashed, so op#2 finds it by lookup
 * (__d_lookup_rcu) without an allocation, and returns a file whose dentry is
 * the one op#1 returned.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_path(t, file, sizeof(file), "%s/new.txt", t->casedir);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file, O_CREAT | O_RDWR, 0644); /* created */
	trig_op_open_close(t, file, O_RDONLY, 0);	     /* found */
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case4_create_flow", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
