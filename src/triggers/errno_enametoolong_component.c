// SPDX-License-Identifier: MIT
/* errno_enametoolong_component -- ENAMETOOLONG: a 256-byte path component.
 *
 * Setup: nothing in the fresh case directory D (on ext4). The name N is 256
 * bytes of 'n' (NAME_MAX is 255); the whole path stays far below PATH_MAX.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("D/N", O_RDONLY)  -> -1 ENAMETOOLONG    op#1
 *
 * Why: the VFS has no limit on a component's length (getname only checks the
 * whole path against PATH_MAX); the name is hashed, missed in the dcache and
 * given an in-lookup dentry, and the filesystem's lookup refuses it: ext4_lookup
 * (fs/ext4/namei.c) returns -ENAMETOOLONG for a name longer than EXT4_NAME_LEN.
 */
#include <fcntl.h>
#include <string.h>

#include "triggers/trigger.h"

#define LONG_NAME 256

static char path[PATH_MAX];

static int setup(struct trig *t)
{
	char name[LONG_NAME + 1];

	memset(name, 'n', LONG_NAME);
	name[LONG_NAME] = '\0';
	return trig_path(t, path, sizeof(path), "%s/%s", t->casedir, name);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, path, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enametoolong_component", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
