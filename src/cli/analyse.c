// SPDX-License-Identifier: MIT
#include "cli/analyse.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "claims/claims.h"
#include "claims/keep.h"
#include "record/lineformat.h"
#include "record/logparse.h"
#include "cli/source.h"
#include "util/outfile.h"
#include "report/report.h"
#include "report/report_perfetto.h"
#include "report/report_text.h"
#include "trace/trace.h"

const struct ot_case *ot_cli_case(const char *id)
{
	const struct ot_case *c = ot_case_find(id);

	if (!c)
		fprintf(stderr, "opentrail: unknown case '%s' (`opentrail list` shows the cases)\n",
			id);
	return c;
}

int ot_parse_formats(const char *arg, unsigned *formats, char *bad, size_t badsz)
{
	/* bit i is 1 << i: OT_FMT_MD, OT_FMT_JSON, OT_FMT_PERFETTO, OT_FMT_TEXT */
	static const char *const name[] = {"md", "json", "perfetto", "text"};

	*formats = 0;
	for (const char *p = arg;;) {
		size_t n = strcspn(p, ","), i = 0;

		while (i < 4 && (strlen(name[i]) != n || strncmp(p, name[i], n)))
			i++;
		if (i == 4) {
			snprintf(bad, badsz, "%.*s", (int)n, p);
			return -1;
		}
		*formats |= 1u << i;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

typedef int (*report_fn)(FILE *, const struct ot_report_input *, const struct ot_report_model *);

/* The reports of one log: into OUTDIR (each completed in a temporary file, all of them
 * renamed into place only when every one is complete), or to stdout. */
static int write_reports(const char *outdir, const char *base, unsigned fmts,
			 const struct ot_report_input *in, const struct ot_report_model *m)
{
	static const char *const ext[3] = {"md", "json", "perfetto.json"};
	static const report_fn fn[3] = {ot_report_markdown_with, ot_report_json_with,
					ot_report_perfetto_with};
	struct ot_outfile of[3];
	char path[PATH_MAX], why[PATH_MAX + 128];
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		if (!(fmts & (1u << i)))
			continue;
		if (!outdir) {
			if (fn[i](stdout, in, m) || ot_stdout_check(why, sizeof(why))) {
				fprintf(stderr, "opentrail: writing the %s report: %s\n", ext[i],
					ot_stdout_check(why, sizeof(why)) ? why : "failed");
				return -1;
			}
			continue;
		}
		if (snprintf(path, sizeof(path), "%s/%s.%s", outdir, base, ext[i]) >=
			(int)sizeof(path) ||
		    ot_outfile_open(&of[n], path, why, sizeof(why))) {
			if (strlen(path) >= sizeof(path) - 1)
				snprintf(why, sizeof(why), "cannot write %s/%s.%s: path too long",
					 outdir, base, ext[i]);
			goto fail;
		}
		n++;
		if (fn[i](of[n - 1].f, in, m) && !ferror(of[n - 1].f)) {
			snprintf(why, sizeof(why), "cannot write %s: the %s report failed", path,
				 ext[i]);
			goto fail;
		}
		if (ot_outfile_finish(&of[n - 1], why, sizeof(why)))
			goto fail;
	}
	if (n && ot_outfile_commit_all(of, n, why, sizeof(why)))
		goto fail_reported;
	return 0;
fail:
	for (size_t j = 0; j < n; j++)
		ot_outfile_abort(&of[j]);
fail_reported:
	fprintf(stderr, "opentrail: %s\n", why);
	return -1;
}

/* The text view, on stdout whatever --out says. */
static int write_text(const struct ot_report_input *in, const struct ot_report_model *m,
		      const struct ot_text_opts *o)
{
	static const struct ot_text_opts plain = {{false, 0}, false};
	char why[PATH_MAX + 128];

	if (ot_report_text_with(stdout, in, m, o ? o : &plain) ||
	    ot_stdout_check(why, sizeof(why))) {
		fprintf(stderr, "opentrail: writing the text view: %s\n",
			ot_stdout_check(why, sizeof(why)) ? why : "failed");
		return -1;
	}
	return 0;
}

void ot_report_base(const char *path, char *out, size_t sz)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');
	int n = dot && dot != b ? (int)(dot - b) : (int)strlen(b);

	snprintf(out, sz, "%.*s", n, b);
}

static bool log_has_run_id(const struct ot_trace *t, const char *id)
{
	for (size_t i = 0; i < t->nrun_facts; i++) {
		const char *v = ot_rec_str(t->run_facts[i], "run_id");

		if (v && !strcmp(v, id))
			return true;
	}
	return false;
}

struct stream_rule {
	const struct ot_analyse_opts *o;
	const char *path;
	unsigned fmts;
	bool whole;		     /* read whole, whatever the log's size */
	struct ot_claims_keep *keep; /* the case's claims, when streamed */
};

/* A log is analysed streamed -- operations released as they complete -- once it is
 * certain that the reports summarise it: more call records than a report that draws
 * every call can have, a file (not stdin). Such a report shows no call one by one, so
 * it resolves no call site to its source line either (that needs the whole trace:
 * cli/source.c). A case's claims keep what they name as it streams (claims/keep.h),
 * unless the case has no anchor or the text view, which counts and follows every
 * operation of a case, is asked for. OPENTRAIL_WHOLE_TRACE=1 keeps every log whole
 * (the tests compare both). */
static bool stream_now(const struct ot_log *log, void *arg)
{
	struct stream_rule *sr = arg;
	const char *whole = getenv("OPENTRAIL_WHOLE_TRACE");
	const struct ot_case *c = sr->o->kase;

	return !(sr->whole || (c && (!c->anchor || (sr->fmts & OT_FMT_TEXT))) ||
		 log->ncall_recs <= OT_LOG_KEEP_CALL_RECORDS_MAX || !strcmp(sr->path, "-") ||
		 (whole && *whole && strcmp(whole, "0")));
}

static void streaming(struct ot_trace *t, void *arg)
{
	struct stream_rule *sr = arg;

	if (sr->o->kase)
		sr->keep = ot_claims_keep_begin(t, sr->o->kase);
}

/* The log at PATH into LOG and T (see ot_report_read_log); a case's claims that met
 * call sites while the log streamed have it read again, whole. */
static int read_log(const char *path, struct stream_rule *rule, struct ot_log *log,
		    struct ot_trace *t, struct ot_report_stream **rs)
{
	/* the text view draws from what the Markdown's model gathers (its shapes at scale) */
	unsigned fmts = rule->fmts & OT_FMT_TEXT ? rule->fmts | OT_FMT_MD : rule->fmts;
	struct ot_read_plan plan = {stream_now, streaming, rule};

	if (ot_report_read_log(path, fmts, &plan, log, t, rs))
		return -1;
	if (!rule->keep || !ot_claims_keep_saw_call_sites(rule->keep))
		return 0;
	ot_claims_keep_free(rule->keep);
	rule->keep = NULL;
	ot_report_stream_free(*rs);
	ot_trace_free(t);
	ot_log_free(log);
	rule->whole = true;
	return ot_report_read_log(path, fmts, &plan, log, t, rs);
}

int ot_analyse_file(const char *path, const struct ot_analyse_opts *o,
		    enum ot_case_verdict *verdict)
{
	struct ot_log log;
	struct ot_trace t;
	struct ot_claim_set cs;
	char base[256];
	struct ot_report_model *m = NULL;
	struct ot_report_stream *rs = NULL;
	struct ot_srcinfo *src = NULL;
	unsigned fmts = o->formats ? o->formats : OT_FMT_MD;
	struct stream_rule rule = {o, path, fmts, false, NULL};
	int ret = 2;

	if (read_log(path, &rule, &log, &t, &rs)) {
		fprintf(stderr, "opentrail: cannot read %s: %s\n", path, strerror(errno));
		ot_claims_keep_free(rule.keep);
		return 2;
	}
	/* Facts alone (another module's [TAG] key=value lines) are read and reported. */
	if (!log.nrecs_read) {
		fprintf(stderr,
			"opentrail: %s has no trace lines (%zu lines, %zu unparsed): expected "
			"lines like "
			"'" OT_LINE_TAG "do_filp_open.entry pid=...' (see docs/line-format.md)\n",
			path, log.nlines, log.nunparsed);
		goto out_trace;
	}
	if (o->run_id && !log_has_run_id(&t, o->run_id)) {
		fprintf(stderr,
			"opentrail: %s was not written by this run (no run.fact run_id=\"%s\"): "
			"not analysed\n",
			path, o->run_id);
		goto out_trace;
	}
	if (o->outdir && mkdir(o->outdir, 0755) && errno != EEXIST) {
		fprintf(stderr, "opentrail: cannot create %s: %s\n", o->outdir, strerror(errno));
		goto out_trace;
	}
	if (!t.streamed) /* a streamed log's report draws no call one by one */
		src = ot_cli_source_attach(&t, !o->no_download);
	if (rule.keep)
		ot_claims_keep_eval(rule.keep, &t, &cs);
	else
		ot_claims_eval(&t, o->kase, &cs);
	/* An interrupted run holds part of what happened: it cannot pass. */
	if (ot_trace_run_fact(&t, "interrupted") && cs.verdict == OT_CASE_PASS)
		cs.verdict = OT_CASE_INCOMPLETE;
	if (o->basename)
		snprintf(base, sizeof(base), "%s", o->basename);
	else
		ot_report_base(path, base, sizeof(base));

	struct ot_report_input in = {&log, &t, o->kase, &cs};
	/* Counts and pointer chains are built once for both reports. */
	m = rs ? ot_report_stream_model(rs, &in) : ot_report_model_build(&in);
	rs = NULL;
	if (!m) {
		fprintf(stderr, "opentrail: out of memory building the report of %s\n", path);
		goto out;
	}
	if (write_reports(o->outdir, base, fmts, &in, m))
		goto out;
	if ((fmts & OT_FMT_TEXT) && write_text(&in, m, o->text))
		goto out;
	*verdict = cs.verdict;
	ret = 0;
out:
	ot_report_model_free(m);
	ot_claim_set_free(&cs);
out_trace:
	ot_claims_keep_free(rule.keep);
	ot_report_stream_free(rs);
	ot_trace_free(&t);
	ot_srcinfo_free(src);
	ot_log_free(&log);
	return ret;
}
