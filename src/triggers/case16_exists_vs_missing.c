// SPDX-License-Identifier: MIT
/* case16_exists_vs_missing -- An existing and a missing name, and what the
 * error path releases.
 *
 * Setup: in the fresh case directory D (WORKDIR/case16_exists_vs_missing) the
 * file E = "D/exists.txt" (0644), and a name no run has used before:
 * M = "D/missing_<pid>_<seconds>.txt".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(E, O_RDONLY)  -> fd >= 0       op#1
 *   seq 2  close(fd)          -> 0
 *   seq 3  open(M, O_RDONLY)  -> -1 ENOENT     op#2
 *
 * Why: path_openat allocates an empty struct file (alloc_empty_file) before
 * walking. op#1 opens it and do_filp_open returns it. op#2 fails the walk at M,
 * so path_openat releases the never-opened file itself (fput, or fput_close on
 * kernels that have it) before do_filp_open returns ERR_PTR(-ENOENT): that
 * release happens inside op#2. (op#1's file is released by the close of seq 2,
 * outside any do_filp_open.)
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char exists[PATH_MAX], missing[PATH_MAX];

static int setup(struct trig *t)
{
	if (trig_unique_path(t, missing, sizeof(missing), t->casedir, "missing", ".txt"))
		return -1;
	return trig_case_file(t, exists, sizeof(exists), "exists.txt", "case16 exists\n");
}

static void operations(struct trig *t)
{
	trig_op_open_close(t, exists, O_RDONLY, 0);
	trig_close_unexpected(trig_op_open(t, missing, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case16_exists_vs_missing", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
