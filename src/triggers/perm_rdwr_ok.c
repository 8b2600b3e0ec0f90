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

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_case_file(t, file, sizeof(file), "perm.txt", "perm_rdwr_ok\n");
}

static void operations(struct trig *t)
{
	trig_keep_fd(t, trig_op_open(t, file, O_RDWR, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"perm_rdwr_ok", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
