// SPDX-License-Identifier: MIT
/* errno_einval_resolve_flag -- EINVAL: openat2 with an unknown resolve flag.
 *
 * Setup: the file F = "D/f.txt" in the fresh case directory D.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  openat2(AT_FDCWD, F, {O_RDONLY, 0, 1 << 40})  -> -1 EINVAL    op#1
 *
 * Why: unlike open(), openat2 refuses what it does not know: build_open_flags
 * (fs/open.c) returns -EINVAL for any bit of how->resolve outside
 * VALID_RESOLVE_FLAGS (six flags at most, bits 0-5), before the path is copied in.
 */
#include <fcntl.h>

#include "triggers/trigger.h"

#define UNKNOWN_RESOLVE (1ULL << 40)

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_case_file(t, file, sizeof(file), "f.txt", "einval\n");
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_openat2(t, AT_FDCWD, file, O_RDONLY, 0, UNKNOWN_RESOLVE));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_einval_resolve_flag", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
