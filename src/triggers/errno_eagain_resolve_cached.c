// SPDX-License-Identifier: MIT
/* errno_eagain_resolve_cached -- EAGAIN: RESOLVE_CACHED on a name not in the dcache.
 *
 * Setup: the file F = "D/f.txt" in the fresh case directory D; D is pinned and
 * the caches are dropped, so that the path up to D stays in the dcache and
 * f.txt leaves it. The kernel is asked first (on D itself, cached) whether it
 * knows RESOLVE_CACHED (Linux 5.12): one that does not says EINVAL, and the
 * trigger then says so in the log (run.fact unsupported=...).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  openat2(AT_FDCWD, F, {O_RDONLY, 0, RESOLVE_CACHED})  -> -1 EAGAIN    op#1
 *
 * Why: RESOLVE_CACHED (LOOKUP_CACHED) allows the RCU walk only. do_filp_open's
 * first path_openat (LOOKUP_RCU) misses f.txt in the dcache; lookup_fast would
 * leave RCU mode (try_to_unlazy), which legitimize_links refuses under
 * LOOKUP_CACHED, so the walk ends with -ECHILD; the retry without LOOKUP_RCU
 * then stops at once in path_init (fs/namei.c): "LOOKUP_CACHED requires RCU,
 * ask caller to retry", ERR_PTR(-EAGAIN).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "record/lineformat.h"
#include "triggers/trigger.h"

static char file[PATH_MAX];

/* Does the kernel know RESOLVE_CACHED? Asked on D, which the dcache holds. */
static int check_resolve_cached(struct trig *t)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_DIRECTORY;
	how.resolve = RESOLVE_CACHED;
	fd = syscall(SYS_openat2, AT_FDCWD, t->casedir, &how, sizeof(how));
	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	if (errno != EINVAL)
		return trig_fail(t, "openat2(RESOLVE_CACHED) of the cached case directory",
				 t->casedir);
	/* A fact of the run, in the log: the case's claims cannot hold here. */
	printf(OT_LINE_TAG "run.fact unsupported=\"RESOLVE_CACHED: this kernel refuses the "
	       "flag (EINVAL); it came in Linux 5.12\"\n");
	fflush(stdout);
	return 0;
}

static int setup(struct trig *t)
{
	if (trig_case_file(t, file, sizeof(file), "f.txt", "eagain\n"))
		return -1;
	if (trig_pin_and_drop_caches(t))
		return -1;
	return check_resolve_cached(t);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_openat2(t, AT_FDCWD, file, O_RDONLY, 0, RESOLVE_CACHED));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_eagain_resolve_cached", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
