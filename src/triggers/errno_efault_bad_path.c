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

/* This case writes one fact; trigger.c's buffer holds far more. */
#define FACT_ROOM 4096

static void *bad;

/* One user.fact line, as trigger.c's wrappers write them (docs/line-format.md),
 * for a call it has no wrapper for: kept in memory, written after the D gate. */
static void report(struct trig *t, const char *call, const char *path, unsigned long flags,
		   long ret, int err, const char *more)
{
	char qpath[PATH_MAX * 4 + 1], qcomm[sizeof(t->comm) * 4 + 1];
	size_t room = t->facts_len < FACT_ROOM ? FACT_ROOM - t->facts_len : 0;
	int n;

	trig_quote(qpath, sizeof(qpath), path);
	trig_quote(qcomm, sizeof(qcomm), t->comm);
	n = snprintf(t->facts + t->facts_len, room,
		     "[opentrail] user.fact pid=%d tid=%d comm=\"%s\" seq=%u call=\"%s\" "
		     "path=\"%s\" flags=0x%lx ret=%ld errno=%d errname=\"%s\"%s%s\n",
		     (int)t->pid, (int)t->tid, qcomm, ++t->seq, call, qpath, flags, ret, err,
		     trig_errname(err), t->extra, more);
	t->extra[0] = '\0';
	if (n < 0 || (size_t)n >= room) {
		t->facts_overflow = true;
		if (room)
			t->facts[t->facts_len] = '\0';
		return;
	}
	t->facts_len += (size_t)n;
}

/* openat(AT_FDCWD, ADDR, O_RDONLY) as a raw system call on an address that is not
 * mapped: the fact names the address, never what is (not) behind it. */
static int op_raw_openat_addr(struct trig *t, const void *addr)
{
	long fd = syscall(SYS_openat, AT_FDCWD, addr, O_RDONLY, 0);
	int err = fd < 0 ? errno : 0;
	char more[96];

	snprintf(more, sizeof(more), " dirfd=%d nr=%d addr=%p", AT_FDCWD, (int)SYS_openat, addr);
	report(t, "raw_openat", "", O_RDONLY, fd, err, more);
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
