// SPDX-License-Identifier: MIT
/* demo_o_path -- O_PATH opens a location, not the file.
 *
 * Setup: in the fresh case directory D (WORKDIR/demo_o_path) the file
 * F = "D/f.txt" (0644).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(F, O_PATH)  -> fd >= 0    op#1
 *   seq 2  close(fd)        -> 0
 *
 * Why: path_openat sends an O_PATH open to do_o_path (path_lookupat, then
 * vfs_open of a file with only FMODE_PATH), not through open_last_lookups and
 * do_open: no access is asked for, so may_open (and the permission check of the
 * file it would make) does not run, and no file operation's open is called.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_case_file(t, file, sizeof(file), "f.txt", "demo o_path\n");
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, file, O_PATH, 0);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"demo_o_path", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
