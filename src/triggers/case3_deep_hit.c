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
#include <unistd.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];
static int pin_fd = -1;

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
	if (trig_path(t, file, sizeof(file), "%s/a/b/c/f.txt", t->casedir) ||
	    trig_write_file(t, file, "case3 deep hit\n", 0644))
		return -1;
	pin_fd = trig_open_dir(t, t->casedir);
	if (pin_fd < 0)
		return -1;
	return trig_drop_caches_now(t);
}

static void operations(struct trig *t)
{
	int i;

	for (i = 0; i < 2; i++) {
		int fd = trig_op_open(t, file, O_RDONLY, 0);

		if (fd >= 0)
			trig_op_close(t, fd);
	}
}

static int cleanup(struct trig *t)
{
	(void)t;
	if (pin_fd >= 0)
		close(pin_fd);
	pin_fd = -1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case3_deep_hit", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
