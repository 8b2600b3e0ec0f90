// SPDX-License-Identifier: MIT
/* perm_rdwr_denied -- Permission denied.
 *
 * Setup (as root): the file F = "D/perm.txt" in the case directory D
 * (WORKDIR/perm_rdwr_denied, mode 0755), mode 0644, owned by 0:0. Then the
 * process becomes uid/gid 65534 (real and effective, so fsuid too; groups
 * {65534}; the saved uid stays 0 for the way back), which drops its effective
 * capabilities. Setup checks, as 65534, that F is readable (every directory on
 * the way is searchable) and not writable, so the open below fails at the file
 * and nowhere else.
 *
 * Operations, in order (user.fact seq = op number):
 *   op#1  open(F, O_RDWR)  -> -1 EACCES
 *
 * Cleanup (after the D gate): back to the original uid/gid/groups.
 *
 * Why: O_RDWR asks for MAY_READ|MAY_WRITE; for uid 65534 the "other" bits r--
 * lack write, and without CAP_DAC_OVERRIDE generic_permission returns -EACCES,
 * which do_filp_open and the syscall pass back.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "triggers/trigger.h"

#define NOBODY 65534

static char file[PATH_MAX];
static struct trig_cred saved;

/* As NOBODY: F must be reachable and readable, and only the write refused. */
static int check_access(struct trig *t)
{
	if (faccessat(AT_FDCWD, file, R_OK, AT_EACCESS))
		return trig_fail(
		    t, "uid 65534 cannot read (is every directory on the way searchable?)", file);
	if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) == 0)
		return trig_failf(t, "uid 65534 may write %s: the case needs it refused", file);
	if (errno != EACCES)
		return trig_fail(t, "access(W_OK) as uid 65534", file);
	return 0;
}

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "perm.txt", "perm_rdwr_denied\n"))
		return -1;
	if (chown(file, 0, 0))
		return trig_fail(t, "chown 0:0", file);
	if (trig_switch_ids(t, NOBODY, NOBODY, &saved))
		return -1;
	return check_access(t);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_RDWR, 0));
}

static int cleanup(struct trig *t)
{
	return trig_restore_ids(t, &saved);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"perm_rdwr_denied", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
