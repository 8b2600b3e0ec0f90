// SPDX-License-Identifier: MIT
/* demo_toctou -- A path is resolved anew each time; a directory fd is not.
 *
 * Setup: in the fresh case directory D (WORKDIR/demo_toctou) the directories
 * D/real and D/other, each with a file "f.txt" (0644, different contents); the
 * inode numbers of D/real/f.txt (R) and D/other/f.txt (O) are noted; then D/real
 * is opened as a directory (dirfd, O_RDONLY|O_DIRECTORY) and kept open: it pins
 * that directory whatever later happens to the name "real".
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  rename("D/real", "D/moved")        -> 0           (the pinned dir is now "moved")
 *   seq 2  symlink("other", "D/real")         -> 0           ("real" now leads to D/other)
 *   seq 3  open("D/real/f.txt", O_RDONLY)     -> fd1 >= 0    op#1  (expect_ino=O)
 *   seq 4  fstat(fd1)                         -> 0           (ino=O)
 *   seq 5  openat(dirfd, "f.txt", O_RDONLY)   -> fd2 >= 0    op#2  (expect_ino=R)
 *   seq 6  fstat(fd2)                         -> 0           (ino=R)
 *   seq 7  close(fd1)                         -> 0
 *   seq 8  close(fd2)                         -> 0
 *
 * Why: op#1 walks the string again: "real" is now a symlink (pick_link, body
 * "other"), so it reaches D/other/f.txt. op#2 starts at the dirfd's dentry
 * (do_filp_open's dfd is the dirfd, not -100), the directory that was renamed
 * to "moved", and reaches the original f.txt. The two files' dentries differ
 * (and so do their parents and inodes): checking a path and then using it is
 * not atomic, while a held directory fd is.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "triggers/trigger.h"

static char real_dir[PATH_MAX], moved_dir[PATH_MAX], real_file[PATH_MAX];
static unsigned long long real_ino, other_ino;
static int pinned_fd = -1;

static int make_dir_with_file(const struct trig *t, const char *name, const char *content,
			      unsigned long long *ino)
{
	char file[PATH_MAX];
	struct stat st;

	if (trig_dir_with_file(t, name, "f.txt", content, file, sizeof(file)))
		return -1;
	if (stat(file, &st))
		return trig_fail(t, "stat", file);
	*ino = (unsigned long long)st.st_ino;
	return 0;
}

static int setup(struct trig *t)
{
	if (trig_path(t, real_dir, sizeof(real_dir), "%s/real", t->casedir) ||
	    trig_path(t, moved_dir, sizeof(moved_dir), "%s/moved", t->casedir) ||
	    trig_path(t, real_file, sizeof(real_file), "%s/f.txt", real_dir))
		return -1;
	if (make_dir_with_file(t, "real", "the pinned directory's file\n", &real_ino) ||
	    make_dir_with_file(t, "other", "the other directory's file\n", &other_ino))
		return -1;
	pinned_fd = trig_pin_dir(t, real_dir);
	return pinned_fd < 0 ? -1 : 0;
}

static void operations(struct trig *t)
{
	struct stat st;
	int fd1, fd2;

	trig_op_rename(t, real_dir, moved_dir);
	trig_op_symlink(t, "other", real_dir);
	trig_fact_extra(t, " expect_ino=%llu", other_ino);
	fd1 = trig_op_open(t, real_file, O_RDONLY, 0);
	if (fd1 >= 0)
		trig_op_fstat(t, fd1, &st);
	trig_fact_extra(t, " expect_ino=%llu", real_ino);
	fd2 = trig_op_openat(t, pinned_fd, "f.txt", O_RDONLY, 0);
	if (fd2 >= 0)
		trig_op_fstat(t, fd2, &st);
	trig_op_close_opened(t, fd1);
	trig_op_close_opened(t, fd2);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"demo_toctou", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
