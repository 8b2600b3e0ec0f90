// SPDX-License-Identifier: MIT
/* errno_enomem_fifo_pipe_pages -- ENOMEM: a FIFO's first open, over the user's pipe-pages limit.
 *
 * Setup: a FIFO (mode 0666) in the case directory, nobody has it open; then
 * fs.pipe-user-pages-hard is set to 1 (page) and the trigger becomes uid/gid
 * 65534: a caller without CAP_SYS_RESOURCE or CAP_SYS_ADMIN, to which the
 * limit applies.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("CASEDIR/fifo", O_RDONLY|O_NONBLOCK)  -> -1 ENOMEM    op#1
 *
 * Cleanup (after the D gate): back to root, fs.pipe-user-pages-hard set back.
 *
 * Why: the walk and the permission check pass; do_dentry_open calls the FIFO's
 * open, fifo_open (fs/pipe.c). The FIFO has no pipe yet, so it asks
 * alloc_pipe_info for one: the user's pipe buffers with the new pipe's 16 would
 * be more than the hard limit's 1 page, and the caller is unprivileged, so
 * alloc_pipe_info gives the accounting back and returns NULL; fifo_open then
 * returns -ENOMEM. No memory ran short: ENOMEM is how the limit is said. The
 * limit is the whole machine's: this case is for the lab guest.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char fifo[PATH_MAX];
static struct trig_sysctl hard;
static struct trig_cred cred;

static int setup(struct trig *t)
{
	if (trig_path(t, fifo, sizeof(fifo), "%s/fifo", t->casedir))
		return -1;
	if (mkfifo(fifo, 0666) || chmod(fifo, 0666))
		return trig_fail(t, "mkfifo", fifo);
	if (trig_sysctl_set(t, &hard, "/proc/sys/fs/pipe-user-pages-hard", "1"))
		return -1;
	return trig_switch_ids(t, 65534, 65534, &cred);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, fifo, O_RDONLY | O_NONBLOCK, 0));
}

static int cleanup(struct trig *t)
{
	int ids = trig_restore_ids(t, &cred);

	return trig_sysctl_restore(t, &hard) || ids ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enomem_fifo_pipe_pages", setup, operations,
					   cleanup};

	return trig_main(&c, argc, argv);
}
