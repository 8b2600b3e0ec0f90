// SPDX-License-Identifier: MIT
/* The log of `opentrail trace` (see trace_log.h). */
#include "live/trace_log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

int ot_trace_log_open(struct ot_trace_log *l, const char *outdir)
{
	char why[PATH_MAX + 128];
	int fd;

	if (outdir) {
		if (mkdir(outdir, 0755) && errno != EEXIST) {
			fprintf(stderr, "opentrail: cannot create %s: %s\n", outdir,
				strerror(errno));
			return -1;
		}
		snprintf(l->path, sizeof(l->path), "%s/trace.log", outdir);
		if (ot_outfile_open(&l->of, l->path, why, sizeof(why))) {
			fprintf(stderr, "opentrail: %s\n", why);
			return -1;
		}
		l->f = l->of.f;
		l->atomic = true;
		return 0;
	}
	const char *tmp = getenv("TMPDIR"), *lab = getenv(OT_LAB_RESULTS_ENV),
		   *host = getenv(OT_LAB_HOST_RESULTS_ENV);
	bool in_lab = lab && *lab && !access(lab, W_OK);

	l->host_path[0] = '\0';
	if (snprintf(l->path, sizeof(l->path), "%s/opentrail-trace-XXXXXX.log",
		     in_lab ? lab : tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(l->path))
		snprintf(l->path, sizeof(l->path), "/tmp/opentrail-trace-XXXXXX.log");
	fd = mkstemps(l->path, 4);
	if (fd >= 0 && in_lab && host && *host &&
	    snprintf(l->host_path, sizeof(l->host_path), "%s%s", host,
		     l->path + strlen(lab)) >= (int)sizeof(l->host_path))
		l->host_path[0] = '\0';
	l->f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!l->f) {
		fprintf(stderr, "opentrail: cannot write %s: %s\n", l->path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(l->path);
		}
		return -1;
	}
	return 0;
}

/* Completes the log (renamed into place, or closed). Returns 0 or -1 (said). */
int ot_trace_log_commit(struct ot_trace_log *l)
{
	char why[PATH_MAX + 128];
	FILE *f = l->f;

	l->f = NULL;
	if (l->atomic) {
		if (!ot_outfile_commit(&l->of, why, sizeof(why)))
			return 0;
		fprintf(stderr, "opentrail: %s\n", why);
		return -1;
	}
	int bad = fflush(f) || ferror(f);

	bad |= fclose(f);
	if (!bad)
		return 0;
	fprintf(stderr, "opentrail: cannot write %s: %s\n", l->path, strerror(errno));
	unlink(l->path);
	return -1;
}

/* A trace that never ran leaves no log (an earlier DIR/trace.log stays). */
void ot_trace_log_abort(struct ot_trace_log *l)
{
	if (!l->f)
		return;
	if (l->atomic) {
		ot_outfile_abort(&l->of);
	} else {
		fclose(l->f);
		unlink(l->path);
	}
	l->f = NULL;
}
