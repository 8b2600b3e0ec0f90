// SPDX-License-Identifier: MIT
/* stage2_lm_miss -- Relative miss.
 *
 * Setup: the case directory D (WORKDIR/stage2_lm_miss) becomes the working
 * directory; the relative name R = "l_m_<pid>_<seconds>.txt" is new (no run has
 * used it); then sync and drop the dentry and inode caches (write "2" to
 * /proc/sys/vm/drop_caches). The working directory pins D's dentry.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(R, O_RDONLY)  -> -1 ENOENT   (relative; extra field prefix_len=0)
 *
 * Why: the name is the whole string, so the name pointer __d_alloc gets for the
 * basename equals the path pointer do_filp_open gets: the difference is 0
 * (compare stage2_te_miss, where it is the length of the directory prefix).
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char name[128];

static int setup(struct trig *t)
{
	if (trig_unique_path(t, name, sizeof(name), "", "l_m", ".txt"))
		return -1;
	if (chdir(t->casedir))
		return trig_fail(t, "chdir", t->casedir);
	return trig_drop_caches_now(t);
}

static void operations(struct trig *t)
{
	trig_fact_extra(t, " prefix_len=0");
	trig_op_open(t, name, O_RDONLY, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"stage2_lm_miss", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
