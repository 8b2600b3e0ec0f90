// SPDX-License-Identifier: MIT
/* errno_eintr_fifo_signal -- EINTR: a blocking FIFO open interrupted by a signal.
 *
 * Setup: a FIFO in the case directory that nobody opens for writing.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   (a SIGALRM every 300 ms, caught by a handler without SA_RESTART)
 *   seq 1  open("CASEDIR/fifo", O_RDONLY)  -> -1 EINTR    op#1
 *   (the timer stopped)
 *
 * Why: a reader's open of a FIFO blocks until a writer comes: fifo_open
 * (fs/pipe.c) sleeps in wait_for_partner, interruptibly. The signal wakes it;
 * no writer came, so wait_for_partner returns -ERESTARTSYS, and fifo_open,
 * do_filp_open and do_sys_openat2 hand it on. -ERESTARTSYS never reaches a
 * program: on the way out the kernel runs the handler and, as the handler was
 * installed without SA_RESTART, turns it into -EINTR (arch signal code); with
 * SA_RESTART the open would have been restarted instead.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char fifo[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_path(t, fifo, sizeof(fifo), "%s/fifo", t->casedir))
		return -1;
	if (mkfifo(fifo, 0600))
		return trig_fail(t, "mkfifo", fifo);
	return 0;
}

static void operations(struct trig *t)
{
	if (trig_interrupts_every(t, 300))
		return;
	int fd = trig_op_open(t, fifo, O_RDONLY, 0);
	trig_interrupts_stop(t);
	trig_close_unexpected(fd);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eintr_fifo_signal", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
