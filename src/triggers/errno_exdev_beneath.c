// SPDX-License-Identifier: MIT
/* errno_exdev_beneath -- EXDEV: RESOLVE_BENEATH and an absolute path.
 *
 * Setup: the file F = "D/f.txt" in the fresh case directory D, and DIR, D
 * opened as a directory (kept open until the end).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  openat2(DIR, F, {O_RDONLY, 0, RESOLVE_BENEATH})  -> -1 EXDEV    op#1
 * (F is absolute: the very file is beneath DIR, the path to it is not.)
 *
 * Why: RESOLVE_BENEATH (LOOKUP_BENEATH) allows no jump to the root; an absolute
 * path starts with one: path_init (fs/namei.c) calls nd_jump_root, which returns
 * -EXDEV at once for LOOKUP_BENEATH.
 */
#include <fcntl.h>
#include <linux/openat2.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];
static int dir = -1;

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "f.txt", "exdev\n"))
		return -1;
	dir = trig_pin_dir(t, t->casedir);
	return dir < 0 ? -1 : 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_openat2(t, dir, file, O_RDONLY, 0, RESOLVE_BENEATH));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_exdev_beneath", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
