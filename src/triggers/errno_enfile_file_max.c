// SPDX-License-Identifier: MIT
/* errno_enfile_file_max -- ENFILE: the system-wide limit of open files reached.
 *
 * Setup: 256 files held open (so that the kernel's approximate count of files,
 * which alloc_empty_file reads first, is above the limit however its per-CPU parts
 * stand), fs.file-max is lowered to 1, then the trigger becomes uid/gid 65534: a
 * caller without CAP_SYS_ADMIN, to which the limit applies.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("/proc/version", O_RDONLY)  -> -1 ENFILE    op#1
 *
 * Cleanup (after the D gate): back to root, fs.file-max set back.
 *
 * Why: the descriptor is reserved (RLIMIT_NOFILE is not reached) and the walk
 * starts, but path_openat first asks alloc_empty_file (fs/file_table.c) for a
 * struct file: more files are open than fs.file-max and the caller is not
 * capable(CAP_SYS_ADMIN), so after the exact count it returns ERR_PTR(-ENFILE).
 * The limit is the whole machine's: this case is for the lab guest.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static struct trig_enfile enfile;

static int setup(struct trig *t)
{
	return trig_enfile_begin(t, &enfile);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, "/proc/version", O_RDONLY, 0));
}

static int cleanup(struct trig *t)
{
	return trig_enfile_end(t, &enfile);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enfile_file_max", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
