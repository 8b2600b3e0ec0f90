// SPDX-License-Identifier: MIT
/* errno_emfile_rlimit -- EMFILE: no descriptor left under RLIMIT_NOFILE.
 *
 * Setup: the file F = "D/f.txt" in the fresh case directory D; then the soft
 * RLIMIT_NOFILE is lowered to L, the lowest descriptor number not in use, so
 * that every descriptor below the limit is taken (0-2, the gate's 3 and 4).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(F, O_RDONLY)  -> -1 EMFILE    op#1
 *
 * Cleanup (after the D gate): the limit is set back.
 *
 * Why: do_sys_openat2 (fs/open.c) reserves a descriptor first,
 * get_unused_fd_flags -> alloc_fd(0, rlimit(RLIMIT_NOFILE), flags)
 * (fs/file.c), which finds the lowest free fd at or above L and returns -EMFILE;
 * the path is never walked.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "f.txt", "emfile\n"))
		return -1;
	return trig_fds_exhaust(t);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_RDONLY, 0));
}

static int cleanup(struct trig *t)
{
	return trig_fds_restore(t);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_emfile_rlimit", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
