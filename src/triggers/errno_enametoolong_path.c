// SPDX-License-Identifier: MIT
/* errno_enametoolong_path -- ENAMETOOLONG: a whole path of PATH_MAX bytes or more.
 *
 * Setup: none on disk: the path is "./" repeated past PATH_MAX (4096 bytes),
 * every component short.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("././...", O_RDONLY)  -> -1 ENAMETOOLONG    op#1
 *
 * Why: getname -> getname_flags (fs/namei.c) copies at most PATH_MAX bytes
 * (strncpy_from_user); a name that fills them without its NUL is refused with
 * -ENAMETOOLONG before the walk (each component, checked later, is short).
 */
#include <fcntl.h>
#include <string.h>

#include "triggers/trigger.h"

static char path[PATH_MAX + 64];

static int setup(struct trig *t)
{
	(void)t;
	for (size_t i = 0; i + 2 < sizeof(path) - 1; i += 2)
		memcpy(path + i, "./", 2);
	path[sizeof(path) - 2] = 'x';
	path[sizeof(path) - 1] = '\0';
	return 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, path, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enametoolong_path", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
