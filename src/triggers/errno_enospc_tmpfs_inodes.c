// SPDX-License-Identifier: MIT
/* errno_enospc_tmpfs_inodes -- ENOSPC: O_CREAT on a filesystem with no inode left.
 *
 * Setup: a tmpfs mounted on CASEDIR/mnt with nr_inodes=1: its root directory
 * takes the one inode, so the filesystem has no room for a new file (df -i: 0
 * free) although its 64 KiB of blocks are unused.
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_sys_openat2):
 *   seq 1  open("CASEDIR/mnt/new.txt", O_CREAT|O_WRONLY, 0644)  -> -1 ENOSPC    op#1
 *
 * Cleanup: the tmpfs unmounted.
 *
 * Why: the walk misses on new.txt and lookup_open calls the directory's create,
 * shmem_create -> shmem_mknod (mm/shmem.c), which asks shmem_get_inode for an
 * inode; shmem_reserve_inode (inlined) finds no free inode in the superblock's
 * count and refuses with -ENOSPC. Up to 6.2 shmem_get_inode returns NULL and
 * shmem_mknod answers with its own initial -ENOSPC; since 6.3 the error is
 * returned as ERR_PTR(-ENOSPC) (__shmem_get_inode).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

static char mnt[PATH_MAX], file[PATH_MAX];
static bool mounted;

static int setup(struct trig *t)
{
	if (trig_path(t, mnt, sizeof(mnt), "%s/mnt", t->casedir) || trig_mkdir(t, mnt, 0755, false))
		return -1;
	if (trig_mount_tmpfs_opts(t, mnt, "size=64k,nr_inodes=1", &mounted))
		return -1;
	return trig_path(t, file, sizeof(file), "%s/new.txt", mnt);
}

static void operations(struct trig *t)
{
	trig_close_unexpected(trig_op_open(t, file, O_CREAT | O_WRONLY, 0644));
}

static int cleanup(struct trig *t)
{
	return trig_umount(t, mnt, &mounted);
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"errno_enospc_tmpfs_inodes", setup, operations, cleanup};

	return trig_main(&c, argc, argv);
}
