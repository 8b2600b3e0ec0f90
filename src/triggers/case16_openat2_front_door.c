// SPDX-License-Identifier: MIT
/* case16_openat2_front_door -- openat and openat2 enter by the same door.
 *
 * Setup: in the fresh case directory D (WORKDIR/case16_openat2_front_door) the
 * file F = "D/f.txt" (0644), and a name no run has used before:
 * M = "D/missing_<pid>_<seconds>.txt".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  openat(AT_FDCWD, F, O_RDONLY)                -> fd1 >= 0     op#1
 *   seq 2  close(fd1)                                   -> 0
 *   seq 3  openat2(AT_FDCWD, F, {O_RDONLY, 0, 0})       -> fd2 >= 0     op#2
 *   seq 4  close(fd2)                                   -> 0
 *   seq 5  openat2(AT_FDCWD, M, {O_RDONLY, 0, 0})       -> -1 ENOENT    op#3
 * (openat2 is called through syscall(SYS_openat2): glibc has no wrapper.)
 *
 * Why: both system calls end in do_sys_openat2, which copies the path in
 * (getname) before do_filp_open, and installs the new file in the descriptor
 * table (fd_install) only when do_filp_open returned one: fd_install runs in
 * op#1 and op#2, with the fd the user then sees, and not in op#3, whose
 * reserved fd is given back (put_unused_fd).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX], missing[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_unique_path(t, missing, sizeof(missing), t->casedir, "missing", ".txt"))
		return -1;
	return trig_case_file(t, file, sizeof(file), "f.txt", "case16 openat2\n");
}

static void operations(struct trig *t)
{
	trig_op_close_opened(t, trig_op_openat(t, AT_FDCWD, file, O_RDONLY, 0));
	trig_op_close_opened(t, trig_op_openat2(t, AT_FDCWD, file, O_RDONLY, 0, 0));
	trig_close_unexpected(trig_op_openat2(t, AT_FDCWD, missing, O_RDONLY, 0, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case16_openat2_front_door", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
