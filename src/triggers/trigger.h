/* SPDX-License-Identifier: MIT */
/* The shared part of every trigger program (docs/trigger-protocol.md).
 *
 * A trigger is one case's operations between two gates. trigger.c owns the
 * skeleton: argument parsing (--gate, --workdir), the fresh case directory,
 * the R/G/D/G handshake on fds 3 and 4, the user.fact lines that report each
 * operation, and the setup helpers (files, dropped caches, uid switch). An
 * ext2 image on a loop device is in loopmount.h. A case file only says what its
 * setup, its operations and its cleanup are, and calls trig_main().
 *
 * Inside the operations window a case calls only the trig_op_* wrappers: each
 * performs exactly one libc call and records one user.fact line (or, for the
 * two that pair an open with its close, one per call they make). The lines are
 * kept in memory and written to stdout after the D gate, so that the window
 * holds no write to stdout either. What may follow an operation there besides:
 * trig_keep_fd (no call), trig_close_unexpected (a close only when an open
 * the case expects to fail succeeded) and, around one, trig_interrupts_every and
 * trig_interrupts_stop (a timer, no file).
 */
#ifndef OT_TRIGGER_H
#define OT_TRIGGER_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "live/gate.h"

#define TRIG_DEFAULT_WORKDIR "/work/opentrail"
#define TRIG_MAX_KEPT	     4 /* descriptors a case may keep open until the end */

struct trig {
	const char *case_id;
	char workdir[PATH_MAX]; /* absolute, symlinks resolved */
	char casedir[PATH_MAX]; /* workdir + "/" + case_id */
	bool gate;
	pid_t pid;
	pid_t tid;
	char comm[17];
	long stamp;	 /* seconds at start: with pid, makes names unique per run */
	int drop_fd;	 /* /proc/sys/vm/drop_caches, opened in setup, or -1 */
	unsigned seq;	 /* number of the last reported operation */
	char extra[256]; /* extra fields for the next fact (trig_fact_extra) */
	char *facts;	 /* user.fact lines, written out after the D gate */
	size_t facts_len;
	bool facts_overflow;
	/* Descriptors the case keeps open until the end (trig_keep_fd). */
	int kept[TRIG_MAX_KEPT];
	unsigned nkept;
};

/* One case: its id and its three phases. setup and cleanup return 0 or -1 (after
 * printing what failed); cleanup runs even when setup failed half-way, so it must
 * undo only what was done. Either may be NULL. The case directory is made before
 * setup and removed after cleanup by trig_main (which also closes the kept
 * descriptors, then t->drop_fd). */
struct trig_case {
	const char *id;
	int (*setup)(struct trig *t);
	void (*operations)(struct trig *t);
	int (*cleanup)(struct trig *t);
};

/* Runs the whole protocol; returns the process exit status (0, 1, or 2 on usage). */
int trig_main(const struct trig_case *c, int argc, char **argv);

/* ---- operations: one libc call each, reported as user.fact seq=N ---- */

/* Optional extra fields, appended to the next reported fact (" key=value ..."). */
void trig_fact_extra(struct trig *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int trig_op_open(struct trig *t, const char *path, int flags, mode_t mode);
int trig_op_close(struct trig *t, int fd);
int trig_op_unlink(struct trig *t, const char *path);
int trig_op_socket(struct trig *t, int family, int type, int protocol);
/* write(VALUE) to the drop_caches fd opened in setup (trig_open_drop_caches). */
long trig_op_drop_caches(struct trig *t, const char *value);

/* What follows an open the case expects to succeed: when FD is a descriptor,
 * trig_op_close(FD) (one more fact); after a failed open, nothing. Returns FD. */
int trig_op_close_opened(struct trig *t, int fd);
/* open, then trig_op_close_opened: "open; close" in the facts, or just the
 * failed open. Returns the open's result (the descriptor, now closed). */
int trig_op_open_close(struct trig *t, const char *path, int flags, mode_t mode);
/* What follows an open the case expects to fail: should it succeed after all,
 * FD is closed without a fact (the open's own fact already shows the surprise),
 * so that it does not shift the descriptors of later operations. */
void trig_close_unexpected(int fd);

/* More operations, one system call each. Their own fields (dirfd=, new=, fd=, ...)
 * follow those of trig_fact_extra, which they leave to the caller. A second path
 * (rename's new name, symlink's target) is an extra field (new="..", target=".."). */
int trig_op_openat(struct trig *t, int dirfd, const char *path, int flags, mode_t mode);
/* openat(2) as a raw system call, syscall(SYS_openat, ...): call="raw_openat", nr=N. */
int trig_op_raw_openat(struct trig *t, int dirfd, const char *path, int flags, mode_t mode);
/* openat2(2) through syscall(SYS_openat2) with a struct open_how {FLAGS, MODE, RESOLVE}. */
int trig_op_openat2(struct trig *t, int dirfd, const char *path, unsigned long long flags,
		    unsigned long long mode, unsigned long long resolve);
int trig_op_rename(struct trig *t, const char *oldpath, const char *newpath);
int trig_op_symlink(struct trig *t, const char *target, const char *linkpath);
struct stat;
/* fstat(2) of FD into ST; the fact carries fd, ino, nlink and dev. */
int trig_op_fstat(struct trig *t, int fd, struct stat *st);

/* ---- facts and names ---- */

/* Appends one user.fact line to the in-memory buffer (no system call), for a call
 * that has no trig_op_* wrapper (a raw system call, say). MORE (already formatted,
 * " key=value ...") follows the fields of trig_fact_extra: it carries what may
 * not fit there, such as a second path. */
void trig_report(struct trig *t, const char *call, const char *path, unsigned long flags,
		 long ret, int err, const char *more);
/* "ENOENT" for ENOENT, ... (every Linux errno); "" for 0; "E?" when unknown. */
const char *trig_errname(int err);

/* ---- setup and cleanup helpers: each prints what failed (with the path) ---- */

/* Prints "CASE: WHAT PATH: strerror(errno)" on stderr; returns -1. */
int trig_fail(const struct trig *t, const char *what, const char *path);
/* Prints "CASE: MESSAGE" on stderr; returns -1. */
int trig_failf(const struct trig *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* snprintf into BUF, failing (with a message) when it does not fit. */
int trig_path(const struct trig *t, char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* BUF = DIR "/" PREFIX "_" pid "_" stamp SUFFIX: a name no earlier run has used. */
int trig_unique_path(const struct trig *t, char *buf, size_t size, const char *dir,
		     const char *prefix, const char *suffix);
/* Creates (or truncates) PATH with CONTENT and exactly MODE; closes it. */
int trig_write_file(const struct trig *t, const char *path, const char *content, mode_t mode);
/* mkdir with exactly MODE; an existing directory is fine when OK_EXISTS. */
int trig_mkdir(const struct trig *t, const char *path, mode_t mode, bool ok_exists);
/* mkdir -p: every missing component is made with mode 0755. */
int trig_mkdir_parents(const struct trig *t, const char *path);
/* rm -r PATH without crossing into other mounts; a missing PATH is fine. */
int trig_rm_rf(const struct trig *t, const char *path);

/* BUF = the case directory "/" NAME, created (0644) with CONTENT. */
int trig_case_file(const struct trig *t, char *buf, size_t size, const char *name,
		   const char *content);
/* BUF = the case directory "/" NAME, made a symlink to TARGET (as written: relative
 * targets are relative to the case directory). */
int trig_case_symlink(const struct trig *t, char *buf, size_t size, const char *name,
		      const char *target);
/* The directory D/DIR (0755) holding the file D/DIR/BASE (0644) with CONTENT,
 * D being the case directory; FILE gets the file's path. */
int trig_dir_with_file(const struct trig *t, const char *dir, const char *base, const char *content,
		       char *file, size_t size);

/* Interrupts the process every MS milliseconds with SIGALRM, caught by a handler
 * installed without SA_RESTART, so that a blocking call the signal finds asleep
 * returns EINTR (the kernel's -ERESTARTSYS, turned into EINTR on the way out,
 * since the handler asks for no restart). Repeating, so that a signal that comes
 * before the call is not the only one. One setitimer() each, no file is touched:
 * allowed around an operation in the window. trig_interrupts_stop disarms it. */
int trig_interrupts_every(const struct trig *t, unsigned ms);
int trig_interrupts_stop(const struct trig *t);

/* Keeps FD open until the case is over: trig_main closes it after the case's
 * cleanup, in the order kept. No system call, so an operation's descriptor may
 * be kept too ("closed after the window"). A negative FD (a failed open) is
 * not kept. Returns FD, or -1 (with a message) when TRIG_MAX_KEPT are kept. */
int trig_keep_fd(struct trig *t, int fd);

/* Opens the directory PATH (O_RDONLY|O_DIRECTORY); returns the fd or -1. An
 * open directory pins its dentry and, through d_parent, every ancestor's: a
 * drop of the caches then leaves the path to it in the dcache. */
int trig_open_dir(const struct trig *t, const char *path);
/* Lowers the soft RLIMIT_NOFILE to the lowest descriptor not in use, so that no
 * descriptor is free below the limit (0-2 and the gate's are taken): the next
 * descriptor the process asks for fails with EMFILE. trig_fds_restore (in the
 * cleanup) sets the limit back. Return 0 or -1 (said). */
int trig_fds_exhaust(struct trig *t);
int trig_fds_restore(struct trig *t);
/* trig_open_dir, the descriptor kept open until the end (trig_keep_fd). */
int trig_pin_dir(struct trig *t, const char *path);

/* Opens /proc/sys/vm/drop_caches for writing into t->drop_fd (root only). */
int trig_open_drop_caches(struct trig *t);
/* For a case that drops the caches among its operations: trig_open_drop_caches,
 * then sync(), so that what the setup wrote is clean when the drop comes (a
 * dirty inode is not reclaimed, and its dentry stays with it). */
int trig_prepare_drop_caches(struct trig *t);
/* Setup-time drop: trig_prepare_drop_caches, then write "2" (dentries and
 * inodes) to t->drop_fd. */
int trig_drop_caches_now(struct trig *t);
/* A cold start below the case directory D: D is pinned (trig_pin_dir), then
 * the caches are dropped (trig_drop_caches_now). What the setup made below D
 * leaves the dcache; D and the path up to it stay, so that a walk misses only
 * on the names the case is about. */
int trig_pin_and_drop_caches(struct trig *t);

/* A sysctl (a file under /proc/sys) set to a value for the case, and set back:
 * trig_sysctl_set saves what it held, trig_sysctl_restore writes that back (and
 * does nothing when nothing was set). A sysctl is the whole machine's: a case
 * that lowers a limit is for the lab guest only. */
struct trig_sysctl {
	const char *path;
	char saved[32]; /* the value before ("": not set) */
};
int trig_sysctl_set(const struct trig *t, struct trig_sysctl *s, const char *path, const char *value);
int trig_sysctl_restore(const struct trig *t, struct trig_sysctl *s);

/* A small tmpfs (64 KiB) mounted on the directory PATH, and unmounted (lazily);
 * *MOUNTED says whether it is. trig_mount_tmpfs_opts mounts it with the mount
 * options OPTS instead ("size=64k,nr_inodes=1"). */
int trig_mount_tmpfs(const struct trig *t, const char *path, bool *mounted);
int trig_mount_tmpfs_opts(const struct trig *t, const char *path, const char *opts, bool *mounted);
int trig_umount(const struct trig *t, const char *path, bool *mounted);

/* Saved credentials for switching to another uid and back. */
struct trig_cred {
	bool switched;
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	int ngroups;
	gid_t groups[256];
};
/* Become UID/GID (real and effective, fsuid follows) keeping saved ids, so
 * that trig_restore_ids can switch back; groups become {GID}. Needs root. */
int trig_switch_ids(const struct trig *t, uid_t uid, gid_t gid, struct trig_cred *saved);
int trig_restore_ids(const struct trig *t, struct trig_cred *saved);

/* A caller the system-wide file limit applies to: fs.file-max lowered to 1 (every
 * struct file an unprivileged process asks for is refused; CAP_SYS_ADMIN is
 * exempt, so root and the tracer go on), then uid and gid 65534; the end undoes
 * both, in reverse. */
#define TRIG_ENFILE_BALLAST 256
struct trig_enfile {
	struct trig_sysctl fm;
	struct trig_cred cred;
	/* Files held open meanwhile: alloc_empty_file first compares an approximate
	 * count (percpu_counter_read_positive: the global part, each CPU keeping up to
	 * 32 more or fewer of its own) with the limit, and only then the exact sum; in a
	 * small guest the approximate count can read 0, below any limit. */
	int ballast[TRIG_ENFILE_BALLAST];
	int nballast;
};
int trig_enfile_begin(const struct trig *t, struct trig_enfile *e);
int trig_enfile_end(const struct trig *t, struct trig_enfile *e);

#endif
