// SPDX-License-Identifier: MIT
/* errno_ewouldblock_lease -- EWOULDBLOCK: O_NONBLOCK against a file under a read lease.
 *
 * Setup: a file of the case directory, opened read-only and given a read lease
 * (fcntl F_SETLEASE F_RDLCK: the caller owns the file). The lease owner is told
 * of a break by SIGIO, which the trigger ignores (its default action ends the
 * process).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("CASEDIR/leased.txt", O_WRONLY|O_NONBLOCK)  -> -1 EWOULDBLOCK    op#1
 *
 * Cleanup: the leased descriptor closed after the case (trig_keep_fd), which
 * drops the lease.
 *
 * Why: the walk and the permission check pass; do_dentry_open (fs/open.c) asks
 * break_lease for an open for writing, and __break_lease (fs/locks.c) finds the
 * read lease in conflict: it starts the break (the owner is signalled) and, as
 * the open is O_NONBLOCK, does not wait for it: -EWOULDBLOCK. On Linux
 * EWOULDBLOCK is EAGAIN (11): the program sees EAGAIN.
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	int fd;

	if (signal(SIGIO, SIG_IGN) == SIG_ERR)
		return trig_fail(t, "ignore SIGIO for", file);
	if (trig_case_file(t, file, sizeof(file), "leased.txt", "leased\n"))
		return -1;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return trig_fail(t, "open", file);
	if (fcntl(fd, F_SETLEASE, F_RDLCK)) {
		close(fd);
		return trig_fail(t, "take a read lease (F_SETLEASE) on", file);
	}
	return trig_keep_fd(t, fd) < 0 ? -1 : 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_WRONLY | O_NONBLOCK, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_ewouldblock_lease", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
