// SPDX-License-Identifier: MIT
/* case13_salt -- The same name in two directories hashes differently.
 *
 * Setup: in the fresh case directory D (WORKDIR/case13_salt) the directories
 * D/x and D/y, each with a file "same.txt" (0644). D is then opened as a
 * directory and kept open until cleanup (pinning the dentries of D and of every
 * directory above it), and the dentry and inode caches are dropped (sync, write
 * "2" to /proc/sys/vm/drop_caches): "x", "y" and both "same.txt" leave the
 * dcache, the path up to D stays.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/x/same.txt", O_RDONLY)  -> fd1 >= 0    op#1
 *   seq 2  close(fd1)                      -> 0
 *   seq 3  open("D/y/same.txt", O_RDONLY)  -> fd2 >= 0    op#2
 *   seq 4  close(fd2)                      -> 0
 *
 * Why: the walk hashes each component with the parent dentry's address as the
 * salt (hash_name starts from nd->path.dentry, on 6.1 and 6.12). Because the
 * caches were dropped, each op misses and allocates the dentries of its
 * directory and of "same.txt":
 * __d_alloc (and d_alloc_parallel, and the failed __d_lookup_rcu/__d_lookup
 * before them) carry the qstr with its hash. The two "same.txt" qstrs have the
 * same name and length but different hashes: x and y are different dentries.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char file_x[PATH_MAX], file_y[PATH_MAX];
static int pin_fd = -1;

static int make_dir_with_file(const struct trig *t, const char *name, char *file, size_t size)
{
	char dir[PATH_MAX];

	if (trig_path(t, dir, sizeof(dir), "%s/%s", t->casedir, name) ||
	    trig_path(t, file, size, "%s/same.txt", dir))
		return -1;
	if (trig_mkdir(t, dir, 0755, false))
		return -1;
	return trig_write_file(t, file, "case13 salt\n", 0644);
}

static int setup(struct trig *t)
{
	if (make_dir_with_file(t, "x", file_x, sizeof(file_x)) ||
	    make_dir_with_file(t, "y", file_y, sizeof(file_y)))
		return -1;
	pin_fd = trig_open_dir(t, t->casedir);
	if (pin_fd < 0)
		return -1;
	return trig_drop_caches_now(t);
}

static void operations(struct trig *t)
{
	int fd = trig_op_open(t, file_x, O_RDONLY, 0);

	if (fd >= 0)
		trig_op_close(t, fd);
	fd = trig_op_open(t, file_y, O_RDONLY, 0);
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
	static const struct trig_case c = {"case13_salt", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
