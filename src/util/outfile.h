/* SPDX-License-Identifier: MIT */
/* Output files written atomically: a temporary file in the target's directory,
 * every write and the final flush and close checked, then a rename into place.
 * On any failure the previous file stays as it was and the message names the
 * file and the errno. Several files (a report's .md and .json) can be made to
 * appear together: each is finished first, then all are renamed. */
#ifndef OT_OUTFILE_H
#define OT_OUTFILE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

struct ot_outfile {
	FILE *f; /* write here; NULL once finished or aborted */
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	int done; /* flushed and closed: ready to be renamed */
};

/* Opens a temporary file beside PATH. Returns 0, or -1 with a one-line reason in WHY. */
int ot_outfile_open(struct ot_outfile *o, const char *path, char *why, size_t whysz);
/* Flushes and closes the temporary file, checking both and every earlier write.
 * Returns 0, or -1 (the temporary file removed) with a reason in WHY. */
int ot_outfile_finish(struct ot_outfile *o, char *why, size_t whysz);
/* Renames the N finished files into place, after checking that no target is a
 * directory; on a failure the files not yet renamed are removed. */
int ot_outfile_commit_all(struct ot_outfile *o, size_t n, char *why, size_t whysz);
/* finish + commit_all of one file. */
int ot_outfile_commit(struct ot_outfile *o, char *why, size_t whysz);
/* Drops the temporary file (if any): the previous file stays. */
void ot_outfile_abort(struct ot_outfile *o);

/* Checks and flushes stdout: 0, or -1 with a reason in WHY (e.g. `> /dev/full`). */
int ot_stdout_check(char *why, size_t whysz);

#endif
