// SPDX-License-Identifier: MIT
/* case1_relative -- Relative create.
 *
 * Setup: the fresh case directory D (WORKDIR/case1_relative) becomes the
 * working directory; rel.txt has never existed in it.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("rel.txt", O_CREAT|O_WRONLY, 0644)  -> fd >= 0    op#1
 *   seq 2  close(fd)                                -> 0
 *
 * Why: the relative name is walked from the working directory (dfd AT_FDCWD);
 * no dentry exists for "rel.txt", so lookup_open allocates one (d_alloc_parallel,
 * __d_alloc), ext4 finds no such name (negative), and the create branch of
 * lookup_open makes the file: it calls the directory's i_op->create (ext4_create)
 * itself, not vfs_create, and sets FMODE_CREATED on the file. The original
 * trigger unlinked rel.txt first; here the name is new instead, because an
 * unlink leaves a hashed negative dentry behind, which the open would find by
 * lookup, with no __d_alloc.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

#define NAME "rel.txt"

static int setup(struct trig *t)
{
	if (chdir(t->casedir))
		return trig_fail(t, "chdir", t->casedir);
	return 0;
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, NAME, O_CREAT | O_WRONLY, 0644);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case1_relative", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
