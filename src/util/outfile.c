// SPDX-License-Identifier: MIT
#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int ot_outfile_open(struct ot_outfile *o, const char *path, char *why, size_t whysz)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	if (snprintf(o->path, sizeof(o->path), "%s", path) >= (int)sizeof(o->path) ||
	    snprintf(o->tmp, sizeof(o->tmp), "%.*s.%s.XXXXXX", dirlen, path,
		     slash ? slash + 1 : path) >= (int)sizeof(o->tmp)) {
		snprintf(why, whysz, "cannot write %s: %s", path, strerror(ENAMETOOLONG));
		return -1;
	}
	/* never inherited: a case's trigger is started while its log is open */
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, whysz, "cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || !(o->f = fdopen(fd, "w"))) {
		snprintf(why, whysz, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		unlink(o->tmp);
		return -1;
	}
	/* Reports run to hundreds of megabytes: written in large blocks, not 4 kB ones. */
	setvbuf(o->f, NULL, _IOFBF, 1u << 20);
	return 0;
}

int ot_outfile_finish(struct ot_outfile *o, char *why, size_t whysz)
{
	int err = 0;

	if (!o->f)
		return o->done ? 0 : -1;
	errno = 0;
	/* A write that failed earlier leaves the stream's error flag; its errno is
	 * usually still the last one set (EFBIG, ENOSPC, EIO). */
	if (fflush(o->f) || ferror(o->f))
		err = errno ? errno : EIO;
	if (fclose(o->f) && !err)
		err = errno ? errno : EIO;
	o->f = NULL;
	if (err) {
		snprintf(why, whysz, "cannot write %s: %s (the previous file, if any, is kept)",
			 o->path, strerror(err));
		unlink(o->tmp);
		return -1;
	}
	o->done = 1;
	return 0;
}

int ot_outfile_commit_all(struct ot_outfile *o, size_t n, char *why, size_t whysz)
{
	struct stat st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!o[i].done) {
			snprintf(why, whysz, "cannot write %s: not complete", o[i].path);
			goto fail;
		}
		if (!stat(o[i].path, &st) && S_ISDIR(st.st_mode)) {
			snprintf(why, whysz, "cannot write %s: %s", o[i].path, strerror(EISDIR));
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		if (rename(o[i].tmp, o[i].path)) {
			snprintf(why, whysz, "cannot write %s: %s", o[i].path, strerror(errno));
			goto fail;
		}
		o[i].done = 0;
	}
	return 0;
fail:
	for (size_t j = 0; j < n; j++)
		ot_outfile_abort(&o[j]);
	return -1;
}

int ot_outfile_commit(struct ot_outfile *o, char *why, size_t whysz)
{
	if (ot_outfile_finish(o, why, whysz))
		return -1;
	return ot_outfile_commit_all(o, 1, why, whysz);
}

void ot_outfile_abort(struct ot_outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
		unlink(o->tmp);
	} else if (o->done) {
		unlink(o->tmp);
	}
	o->done = 0;
}

int ot_stdout_check(char *why, size_t whysz)
{
	errno = 0;
	if (fflush(stdout) || ferror(stdout)) {
		snprintf(why, whysz, "cannot write the standard output: %s",
			 strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}
