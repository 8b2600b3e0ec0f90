// SPDX-License-Identifier: MIT
/* errno_eperm_noatime -- EPERM: O_NOATIME on another user's file.
 *
 * Setup: the file F = "D/f.txt" (0644, owned by root) in the fresh case
 * directory D; then the trigger becomes uid/gid 65534, which may read F.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open(F, O_RDONLY|O_NOATIME)  -> -1 EPERM    op#1
 *
 * Cleanup (after the D gate): back to root.
 *
 * Why: may_open (fs/namei.c) checks the permission first (read: granted), then
 * "O_NOATIME can only be set by the owner or superuser": inode_owner_or_capable
 * is false for uid 65534, so -EPERM.
 */
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

#define NOBODY 65534

static char file[PATH_MAX];
static struct trig_cred saved;

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "f.txt", "eperm\n"))
		return -1;
	if (chown(file, 0, 0))
		return trig_fail(t, "chown 0:0", file);
	if (trig_switch_ids(t, NOBODY, NOBODY, &saved))
		return -1;
	if (faccessat(AT_FDCWD, file, R_OK, AT_EACCESS))
		return trig_fail(t, "uid 65534 cannot read (is every directory searchable?)", file);
	return 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_RDONLY | O_NOATIME, 0));
}

static int cleanup(struct trig *t)
{
	return trig_restore_ids(t, &saved);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eperm_noatime", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
