// SPDX-License-Identifier: MIT
/* stage2_tm_miss -- Negative dentry cached.
 *
 * Setup: the empty case directory D (WORKDIR/stage2_tm_miss) and a name no run
 * has used before, N = "D/t_m_<pid>_<seconds>.txt"; then sync and drop the
 * dentry and inode caches (write "2" to /proc/sys/vm/drop_caches).
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(N, O_RDONLY)  -> -1 ENOENT   (absolute; extra field prefix_len)
 *   op#2  open(N, O_RDONLY)  -> -1 ENOENT
 *
 * Why: op#1 allocates a dentry for the missing name (__d_alloc) and leaves it in
 * the cache as a negative dentry; op#2's lookup (__d_lookup_rcu / d_lookup)
 * returns that same dentry, and no second __d_alloc happens for the name.
 */
#include <fcntl.h>
#include <string.h>

#include "triggers/trigger.h"

static char missing[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_unique_path(t, missing, sizeof(missing), t->casedir, "t_m", ".txt"))
		return -1;
	return trig_pin_and_drop_caches(t);
}

static void operations(struct trig *t)
{
	trig_fact_extra(t, " prefix_len=%zu", strlen(t->casedir) + 1);
	trig_op_open(t, missing, O_RDONLY, 0);
	trig_fact_extra(t, " prefix_len=%zu", strlen(t->casedir) + 1);
	trig_op_open(t, missing, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_tm_miss", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
