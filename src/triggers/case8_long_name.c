// SPDX-License-Identifier: MIT
/* case8_long_name -- A 65-byte name is stored outside the dentry.
 *
 * Setup: the fresh case directory D (WORKDIR/case8_long_name); the name
 * L = "a_name_of_sixty_five_bytes_longer_than_any_inline_dentry_name.txt" (exactly
 * 65 bytes) has never existed in it. F = "D/L" (absolute).
 *
 * Operations, in order (seq = user.fact seq; op#N = the N-th do_filp_open, the
 * numbering the claims use):
 *   seq 1  open(F, O_CREAT|O_WRONLY, 0644)  -> fd1 >= 0    op#1  (created; name_len=65)
 *   seq 2  close(fd1)                       -> 0
 *   seq 3  open(F, O_RDONLY)                -> fd2 >= 0    op#2  (lookup hit)
 *   seq 4  close(fd2)                       -> 0
 *
 * Why: 65 bytes do not fit the dentry's inline name buffer (DNAME_INLINE_LEN: 32
 * on 6.1 x86_64, 40 on 6.12), so __d_alloc copies the name into a separate
 * allocation and d_name.name points outside the dentry; that pointer is then the
 * one in the file op#1 returns and in op#2's lookup. op#2 is there so that the
 * claims of stage2_minimal_open apply unchanged (this case: an absolute path,
 * a name of exactly 65 bytes; that one: a relative path).
 */
#include <fcntl.h>

#include "triggers/trigger.h"

#define NAME "a_name_of_sixty_five_bytes_longer_than_any_inline_dentry_name.txt"
_Static_assert(sizeof(NAME) - 1 == 65, "the case's name must be 65 bytes long");

static char file[PATH_MAX];

static int setup(struct trig *t)
{
	return trig_path(t, file, sizeof(file), "%s/%s", t->casedir, NAME);
}

static void operations(struct trig *t)
{
	trig_fact_extra(t, " name_len=%zu", sizeof(NAME) - 1);
	trig_op_open_close(t, file, O_CREAT | O_WRONLY, 0644); /* created */
	trig_op_open_close(t, file, O_RDONLY, 0);	       /* found */
}

int main(int argc, char **argv)
{
	static const struct trig_case c = {"case8_long_name", setup, operations, NULL};

	return trig_main(&c, argc, argv);
}
