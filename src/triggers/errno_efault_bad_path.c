// SPDX-License-Identifier: MIT
/* errno_efault_bad_path -- EFAULT: the pathname pointer points at no memory.
 *
 * Setup: A, the address of a page mapped and unmapped again (so that nothing
 * is mapped there when the operation runs).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  syscall(SYS_openat, AT_FDCWD, A, O_RDONLY)  -> -1 EFAULT    op#1
 * (a raw system call: the name is never read in user space; the fact reports
 * call="raw_openat" with path="" and addr=A.)
 *
 * Why: do_sys_openat2 (fs/open.c) copies the name in first: getname ->
 * getname_flags -> strncpy_from_user (lib/strncpy_from_user.c), whose read of
 * an unmapped user address faults and returns -EFAULT; getname hands it back as
 * ERR_PTR(-EFAULT) and no walk begins.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "triggers/trigger.h"

static void *bad;

/* openat(AT_FDCWD, ADDR, O_RDONLY) as a raw system call on an address that is not
 * mapped: the fact names the address, never what is (not) behind it. */
static int op_raw_openat_addr(struct trig *t, const void *addr)
{
	long fd = syscall(SYS_openat, AT_FDCWD, addr, O_RDONLY, 0);
	int err = fd < 0 ? errno : 0;
	char more[96];

	snprintf(more, sizeof(more), " dirfd=%d nr=%d addr=%p", AT_FDCWD, (int)SYS_openat, addr);
	trig_report(t, "raw_openat", "", O_RDONLY, fd, err, more);
	errno = err;
	return (int)fd;
}

static int setup(struct trig *t)
{
	long page = sysconf(_SC_PAGESIZE);

	bad = mmap(NULL, (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (bad == MAP_FAILED)
		return trig_fail(t, "mmap", "(one anonymous page)");
	if (munmap(bad, (size_t)page))
		return trig_fail(t, "munmap", "(the page just mapped)");
	return 0;
}

static void operations(struct trig *t)
{
	trig_close_unexpected(op_raw_openat_addr(t, bad));
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_efault_bad_path", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
