// SPDX-License-Identifier: MIT
/* The man pages' errors and where each stands (see manerrors.h). The conditions
 * are the man pages' (man-pages 6.x: open.2, openat2.2, socket.2), shortened; where
 * the kernel differs, the note says so. */
#include "cases/manerrors.h"

#include <string.h>

#define O OT_MAN_OPEN
#define S OT_MAN_SOCKET
#define P OT_MAN_PROVOKABLE
#define C OT_MAN_CANNOT
/* The kernels have no way to make an allocation fail on purpose. */
#define NO_FAULT_INJECTION                                                                         \
	"only a failed allocation returns it, and Debian's kernels are built without "             \
	"CONFIG_FAULT_INJECTION and CONFIG_FUNCTION_ERROR_INJECTION (the 6.12 cloud config), so "  \
	"nothing can make one fail on purpose; opentrail never fakes a return"

static const struct ot_man_error errors[] = {
    {"EACCES", O, "open, openat, openat2",
     "search permission refused on a directory of the path, the file's own access refused, "
     "or O_CREAT without write permission on the directory",
     P, NULL},
    {"EBADF", O, "openat, openat2", "a relative path with a dirfd that is not open", P, NULL},
    {"EBUSY", O, "open, openat, openat2", "O_EXCL on a block device that is mounted or in use", P,
     "a block device (a loop device) mounted while the case opens it"},
    {"EDQUOT", O, "open, openat, openat2",
     "O_CREAT when the user's quota of blocks or inodes is used up", P,
     "a filesystem with quotas on (ext4's quota feature) and a user at its limit"},
    {"EEXIST", O, "open, openat, openat2", "O_CREAT|O_EXCL on a name that exists", P, NULL},
    {"EFAULT", O, "open, openat, openat2", "the path lies outside the process's memory", P, NULL},
    {"EINTR", O, "open, openat, openat2",
     "a blocking open (a FIFO) interrupted by a signal handler", P,
     "a handler installed without SA_RESTART and a signal while the FIFO open waits"},
    {"EINVAL", O, "open, openat, openat2",
     "flags the kernel refuses (O_TMPFILE without write access, unknown RESOLVE_* or "
     "open_how values)",
     P, NULL},
    {"EISDIR", O, "open, openat, openat2", "a directory opened for writing", P, NULL},
    {"ELOOP", O, "open, openat, openat2",
     "too many symbolic links, O_NOFOLLOW on one, or RESOLVE_NO_SYMLINKS (openat2)", P, NULL},
    {"EMFILE", O, "open, openat, openat2", "RLIMIT_NOFILE reached", P, NULL},
    {"ENAMETOOLONG", O, "open, openat, openat2",
     "a component longer than NAME_MAX, or a path of PATH_MAX bytes or more", P, NULL},
    {"ENFILE", O, "open, openat, openat2", "the system-wide limit fs.file-max reached", P,
     "fs.file-max lowered, and a caller without CAP_SYS_ADMIN (the limit does not apply to it)"},
    {"ENODEV", O, "open, openat, openat2",
     "a device file whose device does not exist (the man page: a kernel bug; ENXIO is due)", P,
     "a driver whose own open refuses with it: the VFS answers a device number with no "
     "driver with ENXIO (chrdev_open, fs/char_dev.c)"},
    {"ENOENT", O, "open, openat, openat2", "a component or the file missing (without O_CREAT)", P,
     NULL},
    {"ENOMEM", O, "open, openat, openat2",
     "a FIFO whose buffer cannot be had under fs.pipe-user-pages-hard", P,
     "a caller without CAP_SYS_RESOURCE over its pipe-pages limit"},
    {"ENOMEM", O, "open, openat, openat2", "not enough kernel memory", C, NO_FAULT_INJECTION},
    {"ENOSPC", O, "open, openat, openat2", "O_CREAT on a filesystem with no room for the new file",
     P, "a small filesystem whose inodes are used up"},
    {"ENOTDIR", O, "open, openat, openat2",
     "a component that is not a directory, or O_DIRECTORY on a file", P, NULL},
    {"ENXIO", O, "open, openat, openat2",
     "O_NONBLOCK|O_WRONLY on a FIFO with no reader, or a device file with no driver", P, NULL},
    {"EOPNOTSUPP", O, "open, openat, openat2", "O_TMPFILE on a filesystem that does not support it",
     P, NULL},
    {"EOVERFLOW", O, "open, openat, openat2",
     "a 32-bit program opening a file of 2 GiB or more without O_LARGEFILE (EFBIG: the same)", P,
     "a 32-bit trigger (gcc -m32; the kernels' IA32 emulation)"},
    {"EPERM", O, "open, openat, openat2",
     "O_NOATIME on another user's file; an immutable or append-only file; a sealed file", P, NULL},
    {"EROFS", O, "open, openat, openat2", "write access on a read-only filesystem", P, NULL},
    {"ETXTBSY", O, "open, openat, openat2",
     "write access to a running executable, or to a swap file in use", P,
     "a running program's file (or an active swap file) opened for writing: whether the "
     "kernel still refuses it for an executable is to be read in each kernel's exec "
     "(deny_write_access)"},
    {"EWOULDBLOCK", O, "open, openat, openat2",
     "O_NONBLOCK on a file another process holds a conflicting lease on", P, NULL},
    {"E2BIG", O, "openat2", "an open_how larger than the kernel's with non-zero extra bytes", P,
     NULL},
    {"EAGAIN", O, "openat2", "RESOLVE_CACHED and the lookup would need I/O", P, NULL},
    {"EXDEV", O, "openat2",
     "RESOLVE_BENEATH / RESOLVE_IN_ROOT escaping, or RESOLVE_NO_XDEV "
     "crossing a mount",
     P, NULL},
    {"EACCES", S, "socket", "no permission to create a socket of that type or protocol", P,
     "a security module's policy: without one, Linux refuses a raw socket without CAP_NET_RAW "
     "with EPERM (inet_create, net/ipv4/af_inet.c), not EACCES"},
    {"EPERM", S, "socket", "(not in the man page) a raw socket without CAP_NET_RAW", P, NULL},
    {"EAFNOSUPPORT", S, "socket", "an address family the kernel does not have", P, NULL},
    {"EINVAL", S, "socket", "an unknown protocol, or invalid flags in type", P, NULL},
    {"EMFILE", S, "socket", "RLIMIT_NOFILE reached", P, NULL},
    {"ENFILE", S, "socket", "the system-wide limit fs.file-max reached", P,
     "fs.file-max lowered, and a caller without CAP_SYS_ADMIN"},
    {"ENOBUFS", S, "socket", "not enough memory (ENOMEM: the same)", C, NO_FAULT_INJECTION},
    {"EPROTONOSUPPORT", S, "socket", "a protocol the family or type does not have", P, NULL},
    {"ESOCKTNOSUPPORT", S, "socket", "(not in the man page) a type the family has no protocol for",
     P, NULL},
};

size_t ot_man_error_count(void)
{
	return sizeof(errors) / sizeof(errors[0]);
}

const struct ot_man_error *ot_man_error_at(size_t i)
{
	return i < ot_man_error_count() ? &errors[i] : NULL;
}

enum ot_man_family ot_case_family(const struct ot_case *c)
{
	return c->anchor && strstr(c->anchor, "socket") ? OT_MAN_SOCKET : OT_MAN_OPEN;
}
