// SPDX-License-Identifier: MIT
/* case14_symmetry -- "break_A" and "break_@": near names, different hashes.
 *
 * Setup: in the fresh case directory D (WORKDIR/case14_symmetry) the empty
 * directories D/A and D/B; "break_A" and "break_@" have never existed in them.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/A/break_A", O_CREAT|O_WRONLY, 0644)  -> fd1 >= 0    op#1  (created)
 *   seq 2  close(fd1)                                   -> 0
 *   seq 3  open("D/B/break_@", O_CREAT|O_WRONLY, 0644)  -> fd2 >= 0    op#2  (created)
 *   seq 4  close(fd2)                                   -> 0
 *
 * Why: the two names have the same length and differ in one bit of their last
 * byte ('A' 0x41, '@' 0x40), and their parents differ (the hash is salted by the
 * parent dentry). Each name is new, so each op allocates its dentry (__d_alloc,
 * with the qstr hash) and creates the file: the two hashes differ, and both
 * opens return a file.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file_a[PATH_MAX], file_b[PATH_MAX];

static int make_dir(const struct trig *t, const char *name, const char *base, char *file,
		    size_t size)
{
	char dir[PATH_MAX];

	if (trig_path(t, dir, sizeof(dir), "%s/%s", t->casedir, name) ||
	    trig_path(t, file, size, "%s/%s", dir, base))
		return -1;
	return trig_mkdir(t, dir, 0755, false);
}

static int setup(struct trig *t)
{
	if (make_dir(t, "A", "break_A", file_a, sizeof(file_a)) ||
	    make_dir(t, "B", "break_@", file_b, sizeof(file_b)))
		return -1;
	return 0;
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file_a, O_CREAT | O_WRONLY, 0644);
	trig_op_open_close(t, file_b, O_CREAT | O_WRONLY, 0644);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case14_symmetry", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
