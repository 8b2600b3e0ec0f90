// SPDX-License-Identifier: MIT
/* errno_eloop_no_symlinks -- ELOOP: RESOLVE_NO_SYMLINKS through a symlink.
 *
 * Setup: in the fresh case directory D the file "D/target.txt" and the symlink
 * L = "D/link" -> "target.txt".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  openat2(AT_FDCWD, L, {O_RDONLY, 0, RESOLVE_NO_SYMLINKS})  -> -1 ELOOP    op#1
 *
 * Why: the last component is a symlink to follow (no O_NOFOLLOW); step_into hands
 * it to pick_link (fs/namei.c), which refuses to follow any symlink under
 * LOOKUP_NO_SYMLINKS with -ELOOP (the same errno as a loop, though there is none).
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char link_path[PATH_MAX];

static int setup(struct trig *t)
{
	char target[PATH_MAX];

	if (trig_case_file(t, target, sizeof(target), "target.txt", "target\n"))
		return -1;
	return trig_case_symlink(t, link_path, sizeof(link_path), "link", "target.txt");
}

static void operations(struct trig *t)
{
	trig_close_unexpected(
	    trig_op_openat2(t, AT_FDCWD, link_path, O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eloop_no_symlinks", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
