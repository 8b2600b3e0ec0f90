// SPDX-License-Identifier: MIT
/* demo_dup_names -- One basename, two directories, two dentries.
 *
 * Setup: in the fresh case directory D (WORKDIR/demo_dup_names) the directories
 * D/dirA and D/dirB, each with a file "common" (0644). D is then opened as a
 * directory and kept open until cleanup (pinning the dentries of D and of every
 * directory above it), and the dentry and inode caches are dropped (sync, write
 * "2" to /proc/sys/vm/drop_caches): "dirA", "dirB" and both "common" leave the
 * dcache, the path up to D stays.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/dirA/common", O_RDONLY)  -> fd1 >= 0    op#1
 *   seq 2  close(fd1)                       -> 0
 *   seq 3  open("D/dirB/common", O_RDONLY)  -> fd2 >= 0    op#2
 *   seq 4  close(fd2)                       -> 0
 *
 * Why: each op allocates a dentry for "common" (__d_alloc) under its own parent
 * (d_alloc_parallel's parent: dirA's dentry, then dirB's); the qstr hashes
 * differ because the walk salts each hash with the parent dentry, and the two
 * files returned have different dentries with different d_parent.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char file_a[PATH_MAX], file_b[PATH_MAX];
static int pin_fd = -1;

static int make_dir_with_file(const struct trig *t, const char *name, char *file, size_t size)
{
	char dir[PATH_MAX];

	if (trig_path(t, dir, sizeof(dir), "%s/%s", t->casedir, name) ||
	    trig_path(t, file, size, "%s/common", dir))
		return -1;
	if (trig_mkdir(t, dir, 0755, false))
		return -1;
	return trig_write_file(t, file, "demo dup names\n", 0644);
}

static int setup(struct trig *t)
{
	if (make_dir_with_file(t, "dirA", file_a, sizeof(file_a)) ||
	    make_dir_with_file(t, "dirB", file_b, sizeof(file_b)))
		return -1;
	pin_fd = trig_open_dir(t, t->casedir);
	if (pin_fd < 0)
		return -1;
	return trig_drop_caches_now(t);
}

static void operations(struct trig *t)
{
	int fd = trig_op_open(t, file_a, O_RDONLY, 0);

	if (fd >= 0)
		trig_op_close(t, fd);
	fd = trig_op_open(t, file_b, O_RDONLY, 0);
	if (fd >= 0)
		trig_op_close(t, fd);
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
	static const struct trig_case c = {"demo_dup_names", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
