// SPDX-License-Identifier: MIT
/* case8_create_excl -- O_CREAT|O_EXCL, new then existing.
 *
 * Setup: the fresh case directory D (WORKDIR/case8_create_excl) and a name no
 * run has used before: F = "D/excl_<pid>_<seconds>.txt".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(F, O_CREAT|O_EXCL|O_WRONLY, 0644)  -> fd >= 0       op#1  (created)
 *   seq 2  close(fd)                               -> 0
 *   seq 3  open(F, O_CREAT|O_EXCL|O_WRONLY, 0644)  -> -1 EEXIST     op#2
 *
 * Why: op#1 misses in the dcache (lookup_open: d_lookup, then d_alloc_parallel
 * and __d_alloc), ext4's lookup answers negative, which already ends the
 * in-lookup state of the new dentry (d_splice_alias -> __d_add); lookup_open's
 * d_lookup_done after it is an inline test whose out-of-line part
 * (__d_lookup_unhash_wake on 6.1 and 6.12) runs only if that state is still set.
 * Then the file is created (the directory's i_op->create, ext4_create;
 * FMODE_CREATED). op#2 finds the positive dentry, and do_open refuses
 * O_EXCL on a file it did not create: do_filp_open returns ERR_PTR(-EEXIST) and
 * the syscall -1 EEXIST (the seeds counted that -EEXIST as a success).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

#define FLAGS (O_CREAT | O_EXCL | O_WRONLY)

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_unique_path(t, file, sizeof(file), t->casedir, "excl", ".txt");
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file, FLAGS, 0644);		   /* created */
	trig_close_unexpected(trig_op_open(t, file, FLAGS, 0644)); /* EEXIST */
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case8_create_excl", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
