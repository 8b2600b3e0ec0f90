// SPDX-License-Identifier: MIT
#include "cli/analyse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/logparse.h"
#include "cli/source.h"
#include "report/report.h"
#include "trace/trace.h"

const struct ot_case *ot_cli_case(const char *id)
{
	const struct ot_case *c = ot_case_find(id);

	if (!c)
		fprintf(stderr, "opentrail: unknown case '%s' (`opentrail list` shows the cases)\n",
			id);
	return c;
}

/* Reports are written to a temporary file in the same directory and renamed:
 * a reader never sees half a report, and a failed write leaves the old one. */
static int write_report(const char *outdir, const char *base, const char *ext,
			int (*fn)(FILE *, const struct ot_report_input *,
				  const struct ot_report_model *),
			const struct ot_report_input *in, const struct ot_report_model *m)
{
	char path[4096], tmp[4200];
	FILE *f = stdout;

	if (outdir) {
		int fd;

		snprintf(path, sizeof(path), "%s/%s.%s", outdir, base, ext);
		snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
		fd = mkstemp(tmp);
		f = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!f) {
			fprintf(stderr, "opentrail: cannot write %s: %s\n", path, strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			return -1;
		}
		fchmod(fd, 0644);
	}
	int r = fn(f, in, m);
	if (f != stdout) {
		if (fclose(f))
			r = -1;
		if (!r && rename(tmp, path))
			r = -1;
		if (r)
			unlink(tmp);
	} else {
		fflush(f);
	}
	if (r)
		fprintf(stderr, "opentrail: writing the %s report failed\n", ext);
	return r;
}

static void default_base(const char *path, char *out, size_t sz)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');
	int n = dot && dot != b ? (int)(dot - b) : (int)strlen(b);

	snprintf(out, sz, "%.*s", n, b);
}

int ot_analyse_file(const char *path, const struct ot_analyse_opts *o,
		    enum ot_case_verdict *verdict)
{
	struct ot_log log;
	struct ot_trace t;
	struct ot_claim_set cs;
	char base[256];
	struct ot_report_model *m = NULL;
	struct ot_srcinfo *src = NULL;
	int ret = 2;

	if (ot_log_read_file(path, &log)) {
		fprintf(stderr, "opentrail: cannot read %s: %s\n", path, strerror(errno));
		return 2;
	}
	/* Facts alone (another module's [TAG] key=value lines) are read and reported. */
	if (!log.nrecs) {
		fprintf(stderr,
			"opentrail: %s has no trace lines (%zu lines, %zu unparsed): expected "
			"lines like "
			"'[opentrail] do_filp_open.entry pid=...' (see docs/line-format.md)\n",
			path, log.nlines, log.nunparsed);
		ot_log_free(&log);
		return 2;
	}
	if (o->outdir && mkdir(o->outdir, 0755) && errno != EEXIST) {
		fprintf(stderr, "opentrail: cannot create %s: %s\n", o->outdir, strerror(errno));
		ot_log_free(&log);
		return 2;
	}
	ot_trace_build(&log, &t);
	src = ot_cli_source_attach(&t, !o->no_download);
	ot_claims_eval(&t, o->kase, &cs);
	if (o->basename)
		snprintf(base, sizeof(base), "%s", o->basename);
	else
		default_base(path, base, sizeof(base));

	struct ot_report_input in = {&log, &t, o->kase, &cs};
	unsigned fmts = o->formats ? o->formats : OT_FMT_MD;
	/* Counts and pointer chains are built once for both reports. */
	m = ot_report_model_build(&in);
	if (!m) {
		fprintf(stderr, "opentrail: out of memory building the report of %s\n", path);
		goto out;
	}
	if ((fmts & OT_FMT_MD) &&
	    write_report(o->outdir, base, "md", ot_report_markdown_with, &in, m))
		goto out;
	if ((fmts & OT_FMT_JSON) &&
	    write_report(o->outdir, base, "json", ot_report_json_with, &in, m))
		goto out;
	*verdict = cs.verdict;
	ret = 0;
out:
	ot_report_model_free(m);
	ot_claim_set_free(&cs);
	ot_trace_free(&t);
	ot_srcinfo_free(src);
	ot_log_free(&log);
	return ret;
}
