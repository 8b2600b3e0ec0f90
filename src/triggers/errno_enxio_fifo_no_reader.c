// SPDX-License-Identifier: MIT
/* errno_enxio_fifo_no_reader -- ENXIO: a FIFO opened to write, without blocking,
 * while nobody reads it.
 *
 * Setup: the FIFO P = "D/fifo" in the fresh case directory D.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(P, O_WRONLY|O_NONBLOCK)  -> -1 ENXIO    op#1
 *
 * Why: the walk and may_open succeed; do_dentry_open calls the FIFO's open,
 * fifo_open (fs/pipe.c), which for a non-blocking writer with no reader
 * returns -ENXIO.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char fifo[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_case_file(t, fifo, sizeof(fifo), "fifo", ""))
		return -1;
	if (unlink(fifo) || mkfifo(fifo, 0644))
		return trig_fail(t, "mkfifo", fifo);
	return 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, fifo, O_WRONLY | O_NONBLOCK, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enxio_fifo_no_reader", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
