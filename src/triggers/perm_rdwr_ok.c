// SPDX-License-Identifier: MIT
/* perm_rdwr_ok -- Permission granted.
 *
 * Setup: the file F = "D/perm.txt" in the case directory D
 * (WORKDIR/perm_rdwr_ok), mode 0644, owned by the caller (root in the lab).
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(F, O_RDWR)  -> fd >= 0
 * The fd is closed after the window.
 *
 * Why: O_RDWR asks for MAY_READ|MAY_WRITE (acc_mode 6); the owner's bits rw-
 * grant both, so generic_permission returns 0 from the mode bits alone.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];
static int fd = -1;

static int setup(struct trig *t)
{
	if (trig_path(t, file, sizeof(file), "%s/perm.txt", t->casedir))
		return -1;
	return trig_write_file(t, file, "perm_rdwr_ok\n", 0644);
}

static void operations(struct trig *t)
{
	fd = trig_op_open(t, file, O_RDWR, 0);
}

static int cleanup(struct trig *t)
{
	(void)t;
	if (fd >= 0)
		close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"perm_rdwr_ok", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
