// SPDX-License-Identifier: MIT
/* The shared part of every trigger: see trigger.h and docs/trigger-protocol.md. */
#include "triggers/trigger.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "record/lineformat.h"
#include "trace/errnos.h"

#define DROP_CACHES_PATH "/proc/sys/vm/drop_caches"
#define FACTS_SIZE	 (64 * 1024)

static char facts_buf[FACTS_SIZE];

/* ---------------------------------------------------------------- messages */

int trig_fail(const struct trig *t, const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "%s: %s%s%s: %s\n", t->case_id, what, path ? " " : "", path ? path : "",
		strerror(err));
	errno = err;
	return -1;
}

int trig_failf(const struct trig *t, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", t->case_id);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

int trig_path(const struct trig *t, char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size)
		return trig_failf(t, "path too long (%d bytes, limit %zu)", n, size - 1);
	return 0;
}

int trig_unique_path(const struct trig *t, char *buf, size_t size, const char *dir,
		     const char *prefix, const char *suffix)
{
	return trig_path(t, buf, size, "%s%s%s_%d_%ld%s", dir, *dir ? "/" : "", prefix, (int)t->pid,
			 t->stamp, suffix);
}

/* ------------------------------------------------------------ errno names */

struct errname {
	int err;
	const char *name;
};

/* The errno table shared with the decoder (trace/errnos.h). */
#define OT_ERRNAME(n, s) {n, #s},
static const struct errname errnames[] = {OT_ERRNOS(OT_ERRNAME)};
#undef OT_ERRNAME
#undef E

const char *trig_errname(int err)
{
	size_t i;

	if (err == 0)
		return "";
	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "E?";
}

/* ------------------------------------------------------------------ facts */

/* S as the text of a quoted value (record/lineformat.h: the one escaping rule). */
static void quote_text(char *out, size_t outsz, const char *s)
{
	ot_line_escape(out, outsz, s, strlen(s));
}

void trig_fact_extra(struct trig *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->extra, sizeof(t->extra), fmt, ap);
	va_end(ap);
}

void trig_report(struct trig *t, const char *call, const char *path, unsigned long flags,
		 long ret, int err, const char *more)
{
	char qpath[PATH_MAX * 4 + 1], qcomm[sizeof(t->comm) * 4 + 1];
	size_t room = FACTS_SIZE - t->facts_len;
	int n;

	quote_text(qpath, sizeof(qpath), path ? path : "");
	quote_text(qcomm, sizeof(qcomm), t->comm);
	n = snprintf(t->facts + t->facts_len, room,
		     OT_LINE_TAG "user.fact pid=%d tid=%d comm=\"%s\" seq=%u call=\"%s\" "
		     "path=\"%s\" flags=0x%lx ret=%ld errno=%d errname=\"%s\"%s%s\n",
		     (int)t->pid, (int)t->tid, qcomm, ++t->seq, call, qpath, flags, ret, err,
		     trig_errname(err), t->extra, more);
	t->extra[0] = '\0';
	if (n < 0 || (size_t)n >= room) {
		t->facts_overflow = true;
		t->facts[t->facts_len] = '\0';
		return;
	}
	t->facts_len += (size_t)n;
}

static void report(struct trig *t, const char *call, const char *path, unsigned long flags,
		   long ret, int err)
{
	trig_report(t, call, path, flags, ret, err, "");
}

int trig_op_open(struct trig *t, const char *path, int flags, mode_t mode)
{
	int fd = open(path, flags, mode);
	int err = fd < 0 ? errno : 0;

	report(t, "open", path, (unsigned)flags, fd, err);
	errno = err;
	return fd;
}

int trig_op_close(struct trig *t, int fd)
{
	int ret = close(fd);
	int err = ret < 0 ? errno : 0;

	trig_fact_extra(t, " fd=%d", fd);
	report(t, "close", "", 0, ret, err);
	errno = err;
	return ret;
}

int trig_op_unlink(struct trig *t, const char *path)
{
	int ret = unlink(path);
	int err = ret < 0 ? errno : 0;

	report(t, "unlink", path, 0, ret, err);
	errno = err;
	return ret;
}

int trig_op_socket(struct trig *t, int family, int type, int protocol)
{
	int fd = socket(family, type, protocol);
	int err = fd < 0 ? errno : 0;

	trig_fact_extra(t, " family=%d type=%d protocol=%d", family, type, protocol);
	report(t, "socket", "", 0, fd, err);
	errno = err;
	return fd;
}

/* pwrite at offset 0: a sysctl ignores writes at a non-zero file position
 * (kernel.sysctl_writes_strict), so a plain second write() would do nothing. */
long trig_op_drop_caches(struct trig *t, const char *value)
{
	ssize_t n = pwrite(t->drop_fd, value, strlen(value), 0);
	int err = n < 0 ? errno : 0;
	char qval[32];

	quote_text(qval, sizeof(qval), value);
	trig_fact_extra(t, " fd=%d value=\"%s\"", t->drop_fd, qval);
	report(t, "drop_caches", DROP_CACHES_PATH, 0, (long)n, err);
	errno = err;
	return (long)n;
}

int trig_op_close_opened(struct trig *t, int fd)
{
	if (fd >= 0)
		trig_op_close(t, fd);
	return fd;
}

int trig_op_open_close(struct trig *t, const char *path, int flags, mode_t mode)
{
	return trig_op_close_opened(t, trig_op_open(t, path, flags, mode));
}

void trig_close_unexpected(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ---- operations of the cases beyond the seeds ---- */

/* " KEY=\"PATH\"" for report_more: a second path, quoted, of any length. */
static void quoted_field(char *out, size_t size, const char *key, const char *path)
{
	char q[PATH_MAX * 4 + 1];

	quote_text(q, sizeof(q), path);
	snprintf(out, size, " %s=\"%s\"", key, q);
}

int trig_op_openat(struct trig *t, int dirfd, const char *path, int flags, mode_t mode)
{
	int fd = openat(dirfd, path, flags, mode);
	int err = fd < 0 ? errno : 0;
	char more[32];

	snprintf(more, sizeof(more), " dirfd=%d", dirfd);
	trig_report(t, "openat", path, (unsigned)flags, fd, err, more);
	errno = err;
	return fd;
}

int trig_op_raw_openat(struct trig *t, int dirfd, const char *path, int flags, mode_t mode)
{
	long fd = syscall(SYS_openat, dirfd, path, flags, mode);
	int err = fd < 0 ? errno : 0;
	char more[48];

	snprintf(more, sizeof(more), " dirfd=%d nr=%d", dirfd, (int)SYS_openat);
	trig_report(t, "raw_openat", path, (unsigned)flags, fd, err, more);
	errno = err;
	return (int)fd;
}

int trig_op_openat2(struct trig *t, int dirfd, const char *path, unsigned long long flags,
		    unsigned long long mode, unsigned long long resolve)
{
	struct open_how how;
	char more[96];
	long fd;
	int err;

	memset(&how, 0, sizeof(how));
	how.flags = flags;
	how.mode = mode;
	how.resolve = resolve;
	fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	err = fd < 0 ? errno : 0;
	snprintf(more, sizeof(more), " dirfd=%d mode=%llu resolve=%llu", dirfd, mode, resolve);
	trig_report(t, "openat2", path, (unsigned long)flags, fd, err, more);
	errno = err;
	return (int)fd;
}

/* Reports RET, just returned by CALL on PATH, with a second path as the field
 * KEY="OTHER"; errno is read first and kept for the caller. */
static int report_two_paths(struct trig *t, const char *call, const char *path, const char *key,
			    const char *other, int ret)
{
	int err = ret < 0 ? errno : 0;
	char more[PATH_MAX * 4 + 16];

	quoted_field(more, sizeof(more), key, other);
	trig_report(t, call, path, 0, ret, err, more);
	errno = err;
	return ret;
}

int trig_op_rename(struct trig *t, const char *oldpath, const char *newpath)
{
	return report_two_paths(t, "rename", oldpath, "new", newpath, rename(oldpath, newpath));
}

int trig_op_symlink(struct trig *t, const char *target, const char *linkpath)
{
	return report_two_paths(t, "symlink", linkpath, "target", target,
				symlink(target, linkpath));
}

/* On x86_64 the fstat system call itself: glibc's fstat() goes through
 * newfstatat(fd, "", AT_EMPTY_PATH), whose getname() of the empty path would
 * show up among the probed calls. The kernel's struct stat is glibc's there. */
static int fstat_call(int fd, struct stat *st)
{
#if defined(__x86_64__) && defined(SYS_fstat)
	return (int)syscall(SYS_fstat, fd, st);
#else
	return fstat(fd, st);
#endif
}

int trig_op_fstat(struct trig *t, int fd, struct stat *st)
{
	int ret = fstat_call(fd, st);
	int err = ret < 0 ? errno : 0;
	char more[96];

	if (ret == 0)
		snprintf(more, sizeof(more), " fd=%d ino=%llu nlink=%llu dev=%llu", fd,
			 (unsigned long long)st->st_ino, (unsigned long long)st->st_nlink,
			 (unsigned long long)st->st_dev);
	else
		snprintf(more, sizeof(more), " fd=%d", fd);
	trig_report(t, "fstat", "", 0, ret, err, more);
	errno = err;
	return ret;
}

static int flush_facts(struct trig *t)
{
	if (t->facts_len && fwrite(t->facts, 1, t->facts_len, stdout) != t->facts_len)
		return trig_fail(t, "writing the user facts to", "stdout");
	if (fflush(stdout))
		return trig_fail(t, "writing the user facts to", "stdout");
	t->facts_len = 0;
	if (t->facts_overflow)
		return trig_failf(t, "too many user facts: some were lost");
	return 0;
}

/* ------------------------------------------------------------------- gate */

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Writes MSG ("R\n" or "D\n") to fd 3, then waits for "G" on fd 4. */
static int gate_pass(struct trig *t, const char *msg)
{
	ssize_t n;
	char c;

	if (!t->gate)
		return 0;
	if (write_all(OT_GATE_READY_FD, msg, strlen(msg)))
		return trig_fail(t, "writing to the ready pipe", "(fd 3)");
	do
		n = read(OT_GATE_FD, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return trig_fail(t, "reading the gate", "(fd 4)");
	if (n == 0)
		return trig_failf(t, "the gate (fd 4) closed before 'G' (after %c)", msg[0]);
	if (c != OT_GATE_GO)
		return trig_failf(t, "the gate (fd 4) sent 0x%02x, expected 'G'", (unsigned char)c);
	return 0;
}

/* ------------------------------------------------------------ directories */

int trig_mkdir(const struct trig *t, const char *path, mode_t mode, bool ok_exists)
{
	struct stat st;

	if (mkdir(path, mode) == 0)
		return chmod(path, mode) ? trig_fail(t, "chmod", path) : 0;
	if (errno != EEXIST || !ok_exists)
		return trig_fail(t, "mkdir", path);
	if (stat(path, &st))
		return trig_fail(t, "stat", path);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return trig_fail(t, "mkdir", path);
	}
	return 0;
}

int trig_mkdir_parents(const struct trig *t, const char *path)
{
	char buf[PATH_MAX];
	char *p;

	if (trig_path(t, buf, sizeof(buf), "%s", path))
		return -1;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return trig_fail(t, "mkdir", buf);
		*p = '/';
	}
	return trig_mkdir(t, buf, 0755, true);
}

static const struct trig *rm_owner; /* for messages from the nftw callback */

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_NS || type == FTW_DNR) {
		errno = EACCES;
		return trig_fail(rm_owner, "cannot read", path);
	}
	if (remove(path))
		return trig_fail(rm_owner, "remove", path);
	return 0;
}

int trig_rm_rf(const struct trig *t, const char *path)
{
	struct stat st;
	int ret;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return trig_fail(t, "lstat", path);
	}
	rm_owner = t;
	/* FTW_MOUNT: a file system mounted below PATH is never emptied. */
	ret = nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) ? -1 : 0;
	rm_owner = NULL;
	return ret;
}

/* CONTENT into PATH opened with FLAGS; with CHMOD, the file's mode made exactly MODE. */
static int write_path(const struct trig *t, const char *path, int flags, const char *content,
		      bool chmod, mode_t mode)
{
	int fd = open(path, flags | O_WRONLY | O_CLOEXEC, mode);

	if (fd < 0)
		return trig_fail(t, flags & O_CREAT ? "create" : "open", path);
	if (write_all(fd, content, strlen(content)) || (chmod && fchmod(fd, mode))) {
		trig_fail(t, "write", path);
		close(fd);
		return -1;
	}
	if (close(fd))
		return trig_fail(t, "close", path);
	return 0;
}

int trig_write_file(const struct trig *t, const char *path, const char *content, mode_t mode)
{
	return write_path(t, path, O_CREAT | O_TRUNC, content, true, mode);
}

int trig_case_file(const struct trig *t, char *buf, size_t size, const char *name,
		   const char *content)
{
	if (trig_path(t, buf, size, "%s/%s", t->casedir, name))
		return -1;
	return trig_write_file(t, buf, content, 0644);
}

int trig_case_symlink(const struct trig *t, char *buf, size_t size, const char *name,
		      const char *target)
{
	if (trig_path(t, buf, size, "%s/%s", t->casedir, name))
		return -1;
	if (symlink(target, buf))
		return trig_fail(t, "symlink", buf);
	return 0;
}

int trig_dir_with_file(const struct trig *t, const char *dir, const char *base, const char *content,
		       char *file, size_t size)
{
	char path[PATH_MAX];

	if (trig_path(t, path, sizeof(path), "%s/%s", t->casedir, dir) ||
	    trig_path(t, file, size, "%s/%s", path, base))
		return -1;
	if (trig_mkdir(t, path, 0755, false))
		return -1;
	return trig_write_file(t, file, content, 0644);
}

/* ------------------------------------------------------------ interrupts */

static void on_alarm(int sig)
{
	(void)sig; /* its only work is to interrupt */
}

static int set_timer(const struct trig *t, unsigned ms)
{
	struct itimerval it = {
	    .it_interval = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000},
	    .it_value = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000},
	};

	if (setitimer(ITIMER_REAL, &it, NULL))
		return trig_failf(t, "setitimer(%u ms): %s", ms, strerror(errno));
	return 0;
}

int trig_interrupts_every(const struct trig *t, unsigned ms)
{
	struct sigaction sa = {.sa_handler = on_alarm}; /* no SA_RESTART */

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL))
		return trig_failf(t, "sigaction(SIGALRM): %s", strerror(errno));
	return set_timer(t, ms);
}

int trig_interrupts_stop(const struct trig *t)
{
	return set_timer(t, 0);
}

int trig_keep_fd(struct trig *t, int fd)
{
	if (fd < 0)
		return fd;
	if (t->nkept == TRIG_MAX_KEPT)
		return trig_failf(t, "more than %d descriptors kept open", TRIG_MAX_KEPT);
	t->kept[t->nkept++] = fd;
	return fd;
}

static void close_kept(struct trig *t)
{
	unsigned i;

	for (i = 0; i < t->nkept; i++)
		close(t->kept[i]);
	t->nkept = 0;
}

static struct rlimit fds_saved;
static bool fds_lowered;

int trig_fds_exhaust(struct trig *t)
{
	struct rlimit rl;
	int lowest;

	if (getrlimit(RLIMIT_NOFILE, &fds_saved))
		return trig_fail(t, "getrlimit", "RLIMIT_NOFILE");
	lowest = fcntl(0, F_DUPFD, 0);
	if (lowest < 0)
		return trig_fail(t, "fcntl(F_DUPFD) to find the lowest free descriptor", "(fd 0)");
	close(lowest);
	rl = fds_saved;
	rl.rlim_cur = (rlim_t)lowest;
	if (setrlimit(RLIMIT_NOFILE, &rl))
		return trig_fail(t, "setrlimit", "RLIMIT_NOFILE");
	fds_lowered = true;
	return 0;
}

int trig_fds_restore(struct trig *t)
{
	if (fds_lowered && setrlimit(RLIMIT_NOFILE, &fds_saved))
		return trig_fail(t, "setrlimit (restoring)", "RLIMIT_NOFILE");
	fds_lowered = false;
	return 0;
}

int trig_open_dir(const struct trig *t, const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return trig_fail(t, "open (directory)", path);
	return fd;
}

int trig_pin_dir(struct trig *t, const char *path)
{
	return trig_keep_fd(t, trig_open_dir(t, path));
}

/* ------------------------------------------------------------ drop caches */

int trig_open_drop_caches(struct trig *t)
{
	if (t->drop_fd >= 0)
		return 0;
	t->drop_fd = open(DROP_CACHES_PATH, O_WRONLY | O_CLOEXEC);
	if (t->drop_fd < 0)
		return trig_fail(t,
				 "cannot drop caches (needs root and a writable /proc/sys): open",
				 DROP_CACHES_PATH);
	return 0;
}

int trig_prepare_drop_caches(struct trig *t)
{
	if (trig_open_drop_caches(t))
		return -1;
	sync();
	return 0;
}

int trig_drop_caches_now(struct trig *t)
{
	if (trig_prepare_drop_caches(t))
		return -1;
	if (pwrite(t->drop_fd, "2", 1, 0) != 1)
		return trig_fail(t, "cannot drop caches: write \"2\" to", DROP_CACHES_PATH);
	return 0;
}

int trig_pin_and_drop_caches(struct trig *t)
{
	if (trig_pin_dir(t, t->casedir) < 0)
		return -1;
	return trig_drop_caches_now(t);
}

/* ----------------------------------------------------------------- sysctls */

int trig_sysctl_set(const struct trig *t, struct trig_sysctl *s, const char *path, const char *value)
{
	char line[40];
	FILE *f = fopen(path, "r");

	s->path = path;
	s->saved[0] = '\0';
	if (!f)
		return trig_fail(t, "open", path);
	if (!fgets(s->saved, sizeof(s->saved), f)) {
		fclose(f);
		s->saved[0] = '\0';
		return trig_fail(t, "read", path);
	}
	fclose(f);
	s->saved[strcspn(s->saved, "\n")] = '\0';
	snprintf(line, sizeof(line), "%s\n", value);
	/* a sysctl: one write, no chmod */
	if (write_path(t, path, 0, line, false, 0)) {
		s->saved[0] = '\0';
		return -1;
	}
	return 0;
}

int trig_sysctl_restore(const struct trig *t, struct trig_sysctl *s)
{
	char line[40];

	if (!s->saved[0])
		return 0;
	snprintf(line, sizeof(line), "%s\n", s->saved);
	if (write_path(t, s->path, 0, line, false, 0))
		return -1;
	s->saved[0] = '\0';
	return 0;
}

/* -------------------------------------------------------------- uid switch */

int trig_switch_ids(const struct trig *t, uid_t uid, gid_t gid, struct trig_cred *saved)
{
	saved->switched = false;
	if (geteuid() != 0)
		return trig_failf(t, "switching to uid %u needs root (euid is %u)", (unsigned)uid,
				  (unsigned)geteuid());
	if (getresuid(&saved->ruid, &saved->euid, &saved->suid) ||
	    getresgid(&saved->rgid, &saved->egid, &saved->sgid))
		return trig_fail(t, "getresuid/getresgid", NULL);
	saved->ngroups =
	    getgroups((int)(sizeof(saved->groups) / sizeof(saved->groups[0])), saved->groups);
	if (saved->ngroups < 0)
		return trig_fail(t, "getgroups", NULL);
	if (setgroups(1, &gid))
		return trig_fail(t, "setgroups", NULL);
	/* The saved set-user-ID stays 0: that is what allows the way back. */
	if (setresgid(gid, gid, saved->egid)) {
		trig_fail(t, "setresgid", NULL);
		setgroups((size_t)saved->ngroups, saved->groups);
		return -1;
	}
	if (setresuid(uid, uid, saved->euid)) {
		trig_fail(t, "setresuid", NULL);
		setresgid(saved->rgid, saved->egid, saved->sgid);
		setgroups((size_t)saved->ngroups, saved->groups);
		return -1;
	}
	saved->switched = true;
	return 0;
}

int trig_restore_ids(const struct trig *t, struct trig_cred *saved)
{
	if (!saved->switched)
		return 0;
	/* The uids come back first: euid 0 is what permits the rest. */
	if (setresuid(saved->ruid, saved->euid, saved->suid))
		return trig_fail(t, "setresuid (back to the original uids)", NULL);
	if (setresgid(saved->rgid, saved->egid, saved->sgid))
		return trig_fail(t, "setresgid (back to the original gids)", NULL);
	if (setgroups((size_t)saved->ngroups, saved->groups))
		return trig_fail(t, "setgroups (back to the original groups)", NULL);
	saved->switched = false;
	return 0;
}

static void enfile_drop_ballast(struct trig_enfile *e)
{
	while (e->nballast > 0)
		close(e->ballast[--e->nballast]);
}

int trig_enfile_begin(const struct trig *t, struct trig_enfile *e)
{
	e->nballast = 0;
	while (e->nballast < TRIG_ENFILE_BALLAST) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			enfile_drop_ballast(e);
			return trig_fail(t, "open", "/dev/null");
		}
		e->ballast[e->nballast++] = fd;
	}
	if (trig_sysctl_set(t, &e->fm, "/proc/sys/fs/file-max", "1")) {
		enfile_drop_ballast(e);
		return -1;
	}
	if (trig_switch_ids(t, 65534, 65534, &e->cred)) {
		trig_sysctl_restore(t, &e->fm);
		enfile_drop_ballast(e);
		return -1;
	}
	return 0;
}

int trig_enfile_end(const struct trig *t, struct trig_enfile *e)
{
	int ids = trig_restore_ids(t, &e->cred);
	int fm = trig_sysctl_restore(t, &e->fm);

	enfile_drop_ballast(e);
	return fm || ids ? -1 : 0;
}

/* ------------------------------------------------------------------ tmpfs */

int trig_mount_tmpfs_opts(const struct trig *t, const char *path, const char *opts, bool *mounted)
{
	if (mount("tmpfs", path, "tmpfs", 0, opts))
		return trig_failf(t, "cannot mount a tmpfs (%s) on %s: %s", opts, path, strerror(errno));
	*mounted = true;
	return 0;
}

int trig_mount_tmpfs(const struct trig *t, const char *path, bool *mounted)
{
	return trig_mount_tmpfs_opts(t, path, "size=64k", mounted);
}

int trig_umount(const struct trig *t, const char *path, bool *mounted)
{
	if (*mounted && umount2(path, MNT_DETACH))
		return trig_fail(t, "umount", path);
	*mounted = false;
	return 0;
}

/* ------------------------------------------------------------------- main */

static void usage(FILE *f, const char *id)
{
	fprintf(f,
		"usage: %s [--gate] [--workdir DIR]\n"
		"Runs the opentrail case %s: setup, the case's operations (one user.fact line\n"
		"each on stdout), cleanup.\n"
		"  --gate          handshake with a runner: write R/D to fd 3, wait for G on fd 4\n"
		"  --workdir DIR   where the case directory DIR/%s is made (default %s)\n",
		id, id, id, TRIG_DEFAULT_WORKDIR);
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(struct trig *t, int argc, char **argv, const char **workdir)
{
	int i;

	*workdir = TRIG_DEFAULT_WORKDIR;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--gate")) {
			t->gate = true;
		} else if (!strcmp(argv[i], "--workdir") && i + 1 < argc) {
			*workdir = argv[++i];
		} else if (!strncmp(argv[i], "--workdir=", 10)) {
			*workdir = argv[i] + 10;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout, t->case_id);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown argument '%s'\n", t->case_id, argv[i]);
			usage(stderr, t->case_id);
			return 2;
		}
	}
	if (!**workdir) {
		fprintf(stderr, "%s: --workdir needs a directory\n", t->case_id);
		return 2;
	}
	return -1;
}

static int check_gate_fds(const struct trig *t)
{
	if (fcntl(OT_GATE_READY_FD, F_SETFD, FD_CLOEXEC) || fcntl(OT_GATE_FD, F_SETFD, FD_CLOEXEC))
		return trig_failf(t,
				  "--gate needs fd 3 (ready, written) and fd 4 (gate, read) open");
	return 0;
}

/* Identity, workdir, and a fresh case directory. */
static int prepare(struct trig *t, const char *workdir)
{
	char abs[PATH_MAX];

	t->pid = getpid();
	t->tid = gettid();
	prctl(PR_GET_NAME, t->comm, 0, 0, 0);
	t->stamp = (long)time(NULL);
	if (workdir[0] != '/') {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return trig_fail(t, "getcwd", NULL);
		if (trig_path(t, abs, sizeof(abs), "%s/%s", cwd, workdir))
			return -1;
		workdir = abs;
	}
	if (trig_mkdir_parents(t, workdir))
		return -1;
	/* Resolved, so that every path the case opens is walked without symlinks. */
	if (!realpath(workdir, t->workdir))
		return trig_fail(t, "realpath", workdir);
	if (trig_path(t, t->casedir, sizeof(t->casedir), "%s/%s",
		      strcmp(t->workdir, "/") ? t->workdir : "", t->case_id))
		return -1;
	if (trig_rm_rf(t, t->casedir))
		return -1;
	return trig_mkdir(t, t->casedir, 0755, false);
}

static int finish(struct trig *t)
{
	int ret = 0;

	close_kept(t);
	if (t->drop_fd >= 0) {
		close(t->drop_fd);
		t->drop_fd = -1;
	}
	/* A case may have made its directory the working directory. */
	if (chdir(t->workdir))
		ret = trig_fail(t, "chdir", t->workdir);
	if (trig_rm_rf(t, t->casedir))
		ret = -1;
	return ret;
}

int trig_main(const struct trig_case *c, int argc, char **argv)
{
	const char *workdir;
	struct trig t;
	bool ok;
	int st;

	memset(&t, 0, sizeof(t));
	t.case_id = c->id;
	t.drop_fd = -1;
	t.facts = facts_buf;
	st = parse_args(&t, argc, argv, &workdir);
	if (st >= 0)
		return st;
	signal(SIGPIPE, SIG_IGN);
	umask(022);
	if (t.gate && check_gate_fds(&t))
		return 1;
	if (prepare(&t, workdir)) {
		finish(&t);
		return 1;
	}
	ok = !c->setup || c->setup(&t) == 0;
	ok = ok && gate_pass(&t, "R\n") == 0;
	if (ok) {
		c->operations(&t);
		ok = gate_pass(&t, "D\n") == 0;
	}
	if (flush_facts(&t))
		ok = false;
	if (c->cleanup && c->cleanup(&t))
		ok = false;
	if (finish(&t))
		ok = false;
	return ok ? 0 : 1;
}
