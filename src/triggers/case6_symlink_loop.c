// SPDX-License-Identifier: MIT
/* case6_symlink_loop -- Two symlinks pointing at each other.
 *
 * Setup: in the fresh case directory D (WORKDIR/case6_symlink_loop) the symlinks
 * D/link_a -> "link_b" and D/link_b -> "link_a" (relative bodies: each names
 * the other in the same directory).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open("D/link_a", O_RDONLY)  -> -1 ELOOP    op#1
 *
 * Why: the last component is a symlink and O_NOFOLLOW is not given, so the walk
 * follows it (pick_link), lands on the other link, follows that, and so on;
 * after MAXSYMLINKS (40) links pick_link gives up with -ELOOP (its
 * reserve_stack counts nd->total_link_count), which do_filp_open and the
 * syscall return. (The seeds' run "passed" with ENOENT: a link to a missing
 * target is not a loop.)
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

static char link_a[PATH_MAX];

static int setup(struct trig *t)
{
	char link_b[PATH_MAX];

	if (trig_case_symlink(t, link_a, sizeof(link_a), "link_a", "link_b"))
		return -1;
	return trig_case_symlink(t, link_b, sizeof(link_b), "link_b", "link_a");
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, link_a, O_RDONLY, 0));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case6_symlink_loop", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
