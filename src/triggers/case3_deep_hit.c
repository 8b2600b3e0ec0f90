// SPDX-License-Identifier: MIT
/* case3_deep_hit -- A deep path, cold then hot.
 *
 * Setup: in the fresh case directory D (WORKDIR/case3_deep_hit) the directories
 * D/a/b/c (mkdir -p) and the file F = "D/a/b/c/f.txt" (0644). D is then opened
 * as a directory and kept open until cleanup (pinning the dentries of D and of
 * every directory above it), and the dentry and inode caches are dropped (sync,
 * write "2" to /proc/sys/vm/drop_caches): "a", "b", "c" and "f.txt" leave the
 * dcache, the path up to D stays.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(F, O_RDONLY)  -> fd1 >= 0    op#1  (cold: a, b, c, f.txt allocated)
 *   seq 2  close(fd1)         -> 0
 *   seq 3  open(F, O_RDONLY)  -> fd2 >= 0    op#2  (hot: every component found)
 *   seq 4  close(fd2)         -> 0
 *
 * Why: op#1 finds none of "a", "b", "c", "f.txt" in the dcache and allocates a
 * dentry for each (__d_alloc, 4 times); op#1 leaves them hashed and positive,
 * so op#2 finds every component by lookup (__d_lookup_rcu in the RCU walk) and
 * allocates nothing. The file op#2 returns has the same dentry as op#1's.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	static const char *const dirs[] = {"a", "a/b", "a/b/c"};
	char dir[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (trig_path(t, dir, sizeof(dir), "%s/%s", t->casedir, dirs[i]) ||
		    trig_mkdir(t, dir, 0755, false))
			return -1;
	}
	if (trig_case_file(t, file, sizeof(file), "a/b/c/f.txt", "case3 deep hit\n"))
		return -1;
	return trig_pin_and_drop_caches(t);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file, O_RDONLY, 0); /* cold */
	trig_op_open_close(t, file, O_RDONLY, 0); /* hot */
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case3_deep_hit", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
