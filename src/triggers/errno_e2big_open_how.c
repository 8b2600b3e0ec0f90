// SPDX-License-Identifier: MIT
/* errno_e2big_open_how -- E2BIG: a struct open_how larger than the kernel's.
 *
 * Setup: the file F = "D/f.txt" in the fresh case directory D.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th __x64_sys_openat2):
 *   seq 1  openat2(AT_FDCWD, F, {O_RDONLY, 0, 0} + 8 more bytes = 1, size 32)
 *                                             -> -1 E2BIG    op#1
 * (through syscall(SYS_openat2): the fact adds size=32 tail=0x1.)
 *
 * Why: openat2 takes the size of the caller's struct, so that a newer program
 * may pass a longer one; the syscall (fs/open.c: SYSCALL_DEFINE4(openat2))
 * copies it with copy_struct_from_user (include/linux/uaccess.h), which accepts
 * bytes past the kernel's own struct (24 bytes) only when they are all zero
 * (check_zeroed_user) and returns -E2BIG otherwise. This happens before
 * do_sys_openat2 is called: it never runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "triggers/trigger.h"

/* A caller's open_how from a "future" ABI: the kernel's fields, then one more. */
struct open_how_plus {
	struct open_how how;
	uint64_t tail;
};

static char file[PATH_MAX];

/* openat2(AT_FDCWD, PATH, HOW, sizeof(*HOW)) with the longer struct. */
static int op_openat2_plus(struct trig *t, const char *path, const struct open_how_plus *how)
{
	long fd = syscall(SYS_openat2, AT_FDCWD, path, how, sizeof(*how));
	int err = fd < 0 ? errno : 0;
	char more[128];

	snprintf(more, sizeof(more), " dirfd=%d mode=%llu resolve=%llu size=%zu tail=0x%llx",
		 AT_FDCWD, (unsigned long long)how->how.mode,
		 (unsigned long long)how->how.resolve, sizeof(*how),
		 (unsigned long long)how->tail);
	trig_report(t, "openat2", path, (unsigned long)how->how.flags, fd, err, more);
	errno = err;
	return (int)fd;
}

static int setup(struct trig *t)
{
	return trig_case_file(t, file, sizeof(file), "f.txt", "e2big\n");
}

static void operations(struct trig *t)
{
	struct open_how_plus how;

	memset(&how, 0, sizeof(how));
	how.how.flags = O_RDONLY;
	how.tail = 1;
	trig_close_unexpected(op_openat2_plus(t, file, &how));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_e2big_open_how", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
