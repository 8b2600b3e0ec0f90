// SPDX-License-Identifier: MIT
/* errno_ebadf_dirfd -- EBADF: openat with a descriptor that is not open.
 *
 * Setup: BAD, a descriptor number checked not to be open (fcntl F_GETFD fails
 * with EBADF), below RLIMIT_NOFILE.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  openat(BAD, "f.txt", O_RDONLY)  -> -1 EBADF    op#1
 *
 * Why: a relative path starts at the dirfd; path_init (fs/namei.c) looks the
 * descriptor up (fdget_raw, CLASS(fd_raw) in newer kernels) and returns
 * ERR_PTR(-EBADF) when there is no file behind it. (An absolute path would
 * ignore the dirfd.)
 */
#include <errno.h>
#include <fcntl.h>

#include "triggers/trigger.h"

#define BAD_FD 900

static int setup(struct trig *t)
{
	if (fcntl(BAD_FD, F_GETFD) >= 0 || errno != EBADF)
		return trig_failf(t, "descriptor %d is open: the case needs it closed", BAD_FD);
	return 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_openat(t, BAD_FD, "f.txt", O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_ebadf_dirfd", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
