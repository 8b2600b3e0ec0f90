// SPDX-License-Identifier: MIT
/* An ext2 image mounted through a loop device, for the cases that need a mount
 * point on their path: see loopmount.h. */
#include "triggers/loopmount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

void trig_loop_init(struct trig_loop *lp)
{
	memset(lp, 0, sizeof(*lp));
	lp->nr = -1;
}

static int read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, (int)size, f)) {
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* Makes the device node PATH from the "MAJOR:MINOR" in SYSFS_DEV, for a /dev
 * without devtmpfs (a minimal initramfs). */
static int make_node(const struct trig *t, const char *path, const char *sysfs_dev, mode_t type)
{
	unsigned maj, min;
	char buf[32];

	if (read_line(sysfs_dev, buf, sizeof(buf)) || sscanf(buf, "%u:%u", &maj, &min) != 2)
		return trig_fail(t, "reading the device number from", sysfs_dev);
	if (mknod(path, type | 0600, makedev(maj, min)) && errno != EEXIST)
		return trig_fail(t, "mknod", path);
	return 0;
}

static int open_loop_control(const struct trig *t)
{
	int fd = open("/dev/loop-control", O_RDWR | O_CLOEXEC);

	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : trig_fail(t, "open", "/dev/loop-control");
	if (access("/sys/class", F_OK))
		return trig_failf(t, "no /dev/loop-control, and no /sys to make it from");
	if (access("/sys/class/misc/loop-control/dev", F_OK))
		return trig_failf(t, "%s: no /dev/loop-control, no loop driver (load loop.ko)",
				  TRIG_NO_LOOP);
	if (make_node(t, "/dev/loop-control", "/sys/class/misc/loop-control/dev", S_IFCHR))
		return -1;
	fd = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	return fd >= 0 ? fd : trig_fail(t, "open", "/dev/loop-control");
}

static int open_loop_dev(const struct trig *t, struct trig_loop *lp)
{
	char sysfs[96];
	int fd;

	snprintf(lp->dev, sizeof(lp->dev), "/dev/loop%d", lp->nr);
	fd = open(lp->dev, O_RDWR | O_CLOEXEC);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : trig_fail(t, "open", lp->dev);
	snprintf(sysfs, sizeof(sysfs), "/sys/block/loop%d/dev", lp->nr);
	if (make_node(t, lp->dev, sysfs, S_IFBLK))
		return -1;
	fd = open(lp->dev, O_RDWR | O_CLOEXEC);
	return fd >= 0 ? fd : trig_fail(t, "open", lp->dev);
}

/* Binds IMG_FD to the loop device LOOP_FD; it detaches itself when its last
 * user (the mount) goes away. Returns 0, or -1 with errno (EBUSY: taken). */
static int loop_attach(int loop_fd, int img_fd, const char *image)
{
	struct loop_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.fd = (unsigned)img_fd;
	cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
	strncpy((char *)cfg.info.lo_file_name, image, LO_NAME_SIZE - 1);
	if (ioctl(loop_fd, LOOP_CONFIGURE, &cfg) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -1;
	/* Kernels before 5.8 have no LOOP_CONFIGURE. */
	if (ioctl(loop_fd, LOOP_SET_FD, img_fd))
		return -1;
	if (ioctl(loop_fd, LOOP_SET_STATUS64, &cfg.info)) {
		int err = errno;

		ioctl(loop_fd, LOOP_CLR_FD, 0);
		errno = err;
		return -1;
	}
	return 0;
}

/* Finds the source of the mount at MNT in /proc/self/mountinfo. Returns 1 and
 * fills SRC when MNT is a mount point, 0 when not, -1 on error. */
static int find_mount(const struct trig *t, const char *mnt, char *src, size_t size)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], point[PATH_MAX], fstype[64], source[PATH_MAX];
	int found = 0;

	if (!f)
		return trig_fail(t, "open", "/proc/self/mountinfo");
	while (fgets(line, sizeof(line), f)) {
		const char *dash = strstr(line, " - ");

		if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1 || !dash)
			continue;
		if (strcmp(point, mnt) || sscanf(dash, " - %63s %4095s", fstype, source) != 2)
			continue;
		snprintf(src, size, "%s", source);
		found = 1; /* keep reading: the last one is the mount on top */
	}
	fclose(f);
	return found;
}

/* A mount at MNT left by an earlier run of IMAGE (killed before its cleanup) is
 * taken down; anything else mounted there is not ours to touch. */
static int clear_stale_mount(const struct trig *t, const char *image, const char *mnt)
{
	char src[PATH_MAX], backing[PATH_MAX + 16], sysfs[96];
	int tries, nr;

	for (tries = 0; tries < 8; tries++) {
		int r = find_mount(t, mnt, src, sizeof(src));

		if (r <= 0)
			return r;
		backing[0] = '\0';
		if (sscanf(src, "/dev/loop%d", &nr) == 1) {
			snprintf(sysfs, sizeof(sysfs), "/sys/block/loop%d/loop/backing_file", nr);
			if (read_line(sysfs, backing, sizeof(backing)))
				backing[0] = '\0';
		}
		if (strncmp(backing, image, strlen(image)) ||
		    (backing[strlen(image)] && strcmp(backing + strlen(image), " (deleted)")))
			return trig_failf(
			    t, "%s is already a mount point (of %s); unmount it first", mnt, src);
		if (umount2(mnt, 0))
			return trig_fail(t, "unmount (a mount left by an earlier run)", mnt);
	}
	return trig_failf(t, "%s: too many stacked mounts", mnt);
}

static int make_sparse_file(const struct trig *t, const char *path, off_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return trig_fail(t, "create", path);
	if (ftruncate(fd, size)) {
		trig_fail(t, "ftruncate", path);
		close(fd);
		return -1;
	}
	if (close(fd))
		return trig_fail(t, "close", path);
	return 0;
}

/* Copies (the start of) the file PATH to stderr. */
static void print_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char msg[1024];
	size_t n;

	if (!f)
		return;
	n = fread(msg, 1, sizeof(msg) - 1, f);
	msg[n] = '\0';
	fclose(f);
	fputs(msg, stderr);
}

/* The child: mke2fs from e2fsprogs, or busybox's, with its output in LOG. */
static void exec_mke2fs(const char *image, const char *log)
{
	char *const args[] = {"mke2fs", "-F", (char *)image, NULL};
	char *const bb[] = {"busybox", "mke2fs", "-F", (char *)image, NULL};
	int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (lfd >= 0) {
		dup2(lfd, 1);
		dup2(lfd, 2);
	}
	execvp("mke2fs", args);
	execv("/sbin/mke2fs", args); /* PATH may lack the sbin directories */
	execv("/usr/sbin/mke2fs", args);
	execvp("busybox", bb);
	execv("/bin/busybox", bb);
	_exit(127);
}

int trig_make_ext2(const struct trig *t, const char *image, off_t size)
{
	char log[PATH_MAX + 8];
	int status;
	pid_t pid;

	if (make_sparse_file(t, image, size))
		return -1;
	if (trig_path(t, log, sizeof(log), "%s.log", image))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return trig_fail(t, "fork (for mke2fs)", NULL);
	if (pid == 0)
		exec_mke2fs(image, log);
	if (waitpid(pid, &status, 0) < 0)
		return trig_fail(t, "waitpid (mke2fs)", NULL);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		unlink(log);
		return 0;
	}
	print_file(log);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
		return trig_failf(t, "mke2fs not found (it comes with e2fsprogs or busybox)");
	return trig_failf(t, "mke2fs -F %s failed (wait status 0x%x)", image, (unsigned)status);
}

static int mount_ext2(const struct trig *t, struct trig_loop *lp)
{
	if (mount(lp->dev, lp->mnt, "ext2", 0, NULL) == 0)
		return 0;
	/* Kernels built with ext4 serving ext2 may still lack an "ext2" type. */
	if (errno == ENODEV && mount(lp->dev, lp->mnt, "ext4", 0, NULL) == 0)
		return 0;
	return trig_fail(t, "mount (ext2) on", lp->mnt);
}

int trig_loop_mount(const struct trig *t, const char *image, const char *mnt, struct trig_loop *lp)
{
	int ctl = -1, loop_fd = -1, img_fd = -1, tries, ret = -1;

	if (trig_path(t, lp->image, sizeof(lp->image), "%s", image) ||
	    trig_path(t, lp->mnt, sizeof(lp->mnt), "%s", mnt))
		return -1;
	if (clear_stale_mount(t, image, mnt))
		return -1;
	if (access(mnt, F_OK) == 0) {
		if (trig_mkdir(t, mnt, 0755, true))
			return -1;
	} else {
		char parent[PATH_MAX], *slash;

		snprintf(parent, sizeof(parent), "%s", mnt);
		slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			if (trig_mkdir_parents(t, parent))
				return -1;
		}
		if (trig_mkdir(t, mnt, 0755, false))
			return -1;
		lp->created_mnt = true;
	}
	ctl = open_loop_control(t);
	if (ctl < 0)
		goto out;
	img_fd = open(image, O_RDWR | O_CLOEXEC);
	if (img_fd < 0) {
		trig_fail(t, "open", image);
		goto out;
	}
	for (tries = 0;; tries++) {
		lp->nr = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (lp->nr < 0) {
			trig_fail(t, "no free loop device: ioctl LOOP_CTL_GET_FREE",
				  "/dev/loop-control");
			goto out;
		}
		loop_fd = open_loop_dev(t, lp);
		if (loop_fd < 0)
			goto out;
		if (loop_attach(loop_fd, img_fd, image) == 0)
			break;
		if (errno != EBUSY || tries == 8) {
			trig_fail(t, "attaching the image to", lp->dev);
			goto out;
		}
		close(loop_fd); /* another program took it first: ask again */
		loop_fd = -1;
	}
	if (mount_ext2(t, lp))
		goto out;
	lp->mounted = true;
	ret = 0;
out:
	/* The mount now holds the device; without it, autoclear detaches it here. */
	if (loop_fd >= 0)
		close(loop_fd);
	if (img_fd >= 0)
		close(img_fd);
	if (ctl >= 0)
		close(ctl);
	return ret;
}

int trig_loop_unmount(const struct trig *t, struct trig_loop *lp)
{
	int ret = 0;

	if (lp->mounted) {
		if (umount2(lp->mnt, 0)) {
			trig_fail(t, "unmount", lp->mnt);
			return -1;
		}
		lp->mounted = false;
	}
	if (lp->nr >= 0) {
		/* Autoclear already detached it; LOOP_CLR_FD then says ENXIO. */
		int fd = open(lp->dev, O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			if (ioctl(fd, LOOP_CLR_FD, 0) && errno != ENXIO) {
				trig_fail(t, "detach (LOOP_CLR_FD)", lp->dev);
				ret = -1;
			}
			close(fd);
		}
		lp->nr = -1;
	}
	if (lp->created_mnt) {
		if (rmdir(lp->mnt)) {
			trig_fail(t, "rmdir", lp->mnt);
			ret = -1;
		}
		lp->created_mnt = false;
	}
	return ret;
}
