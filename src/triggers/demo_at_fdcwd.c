// SPDX-License-Identifier: MIT
/* demo_at_fdcwd -- open(), openat(AT_FDCWD) and the raw openat system call.
 *
 * Setup: the fresh case directory D (WORKDIR/demo_at_fdcwd) becomes the working
 * directory, with the file "f.txt" (0644) in it.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("f.txt", O_RDONLY)                          -> fd1 >= 0    op#1
 *   seq 2  close(fd1)                                       -> 0
 *   seq 3  openat(AT_FDCWD, "f.txt", O_RDONLY)              -> fd2 >= 0    op#2
 *   seq 4  close(fd2)                                       -> 0
 *   seq 5  syscall(SYS_openat (257), AT_FDCWD, "f.txt", O_RDONLY)
 *                                                           -> fd3 >= 0    op#3
 *   seq 6  close(fd3)                                       -> 0
 *
 * Why: glibc's open() is itself the openat system call with AT_FDCWD (and the
 * open system call, which glibc does not use, does the same in the kernel), so
 * all three reach do_filp_open with dfd -100 and the path string "f.txt".
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

#define NAME "f.txt"

static int setup(struct trig *t)
{
	if (chdir(t->casedir))
		return trig_fail(t, "chdir", t->casedir);
	return trig_write_file(t, NAME, "demo at_fdcwd\n", 0644);
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, NAME, O_RDONLY, 0);
	trig_op_close_opened(t, trig_op_openat(t, AT_FDCWD, NAME, O_RDONLY, 0));
	trig_op_close_opened(t, trig_op_raw_openat(t, AT_FDCWD, NAME, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"demo_at_fdcwd", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
