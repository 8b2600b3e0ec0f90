// SPDX-License-Identifier: MIT
/* stage2_minimal_open -- Long name, external allocation.
 *
 * Setup: the case directory D (WORKDIR/stage2_minimal_open) becomes the working
 * directory; the name L = "test_file_very_long_name_to_force_external_allocation_
 * <pid>_<seconds>" (at least 66 bytes: longer than the dentry's inline name
 * buffer, DNAME_INLINE_LEN, 32 on 6.1 x86_64 and 40 on 6.12) is new.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(L, O_RDWR|O_CREAT, 0644)  -> fd1 >= 0   (relative: the file is created)
 *   op#2  close(fd1)                     -> 0
 *   op#3  open(L, O_RDONLY)              -> fd2 >= 0   (the dentry of op#1 is found)
 *   op#4  close(fd2)                     -> 0
 *
 * Why: a name that does not fit inline is copied by __d_alloc into a separate
 * allocation, so d_name.name points outside the dentry; the same name pointer
 * then appears at __d_add/d_splice_alias, in the file op#1 returns, and in the
 * lookup of op#3. The name is relative (as in the seed) so the copy source is
 * the start of the user's string.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char name[256];

static int setup(struct trig *t)
{
	if (trig_unique_path(t, name, sizeof(name), "",
			     "test_file_very_long_name_to_force_external_allocation", ""))
		return -1;
	if (chdir(t->casedir))
		return trig_fail(t, "chdir", t->casedir);
	return 0;
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, name, O_RDWR | O_CREAT, 0644); /* created */
	trig_op_open_close(t, name, O_RDONLY, 0);	     /* found */
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_minimal_open", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
