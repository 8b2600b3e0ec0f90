// SPDX-License-Identifier: MIT
/* case17_missing_file -- Missing-file dentry proof.
 *
 * Setup: the empty case directory D (WORKDIR/case17_missing_file) and a name in
 * it that no run has used before: N = "D/missing_<pid>_<seconds>.txt" (so no
 * negative dentry left by an earlier run can answer the first lookup).
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(N, O_RDONLY)  -> -1 ENOENT
 *   op#2  open(N, O_RDONLY)  -> -1 ENOENT
 *
 * Why: op#1 finds nothing in the dcache, allocates a dentry for the name
 * (__d_alloc), asks ext4, which knows no such name, and the dentry stays hashed
 * as a negative dentry (d_inode NULL). op#2 finds that same dentry by lookup and
 * allocates nothing: the kernel remembers that the name does not exist.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char missing[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_unique_path(t, missing, sizeof(missing), t->casedir, "missing", ".txt");
}

static void operations(struct trig *t)
{
	trig_op_open(t, missing, O_RDONLY, 0);
	trig_op_open(t, missing, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case17_missing_file", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
