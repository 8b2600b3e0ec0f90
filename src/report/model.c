// SPDX-License-Identifier: MIT
#include "report/model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "record/logparse.h"
#include "report/scale.h"

struct ot_report_model *ot_report_model_build(const struct ot_report_input *in)
{
	struct ot_report_model *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	if (ot_summary_build(in->trace, in->kase, &m->s)) {
		free(m);
		return NULL;
	}
	if (ot_pointers_find(in->log, &m->p)) {
		ot_summary_free(&m->s);
		free(m);
		return NULL;
	}
	ot_run_info_get(in, &m->ri);
	return m;
}

void ot_report_model_free(struct ot_report_model *m)
{
	if (!m)
		return;
	ot_pointers_free(&m->p);
	ot_summary_free(&m->s);
	ot_scale_free(m->scale);
	ot_json_calls_free(m->calls);
	free(m);
}

struct ot_report_stream {
	struct ot_summary s;
	struct ot_ptr_finder *pf;
	struct ot_scale *scale;
	struct ot_json_calls *calls;
	int err;
};

static void stream_op(void *ctx, const struct ot_trace *t, const struct ot_call *root)
{
	struct ot_report_stream *rs = ctx;

	for (size_t i = root->pre; i <= root->last; i++)
		if (ot_summary_add_call(&rs->s, t->preorder[i]))
			rs->err = -1;
	if (rs->scale)
		ot_scale_add_op(rs->scale, t, root);
	if (rs->calls)
		ot_json_calls_add_op(rs->calls, t, root);
}

struct ot_report_stream *ot_report_stream_begin(struct ot_trace *t, unsigned fmts)
{
	struct ot_report_stream *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	ot_summary_init(&rs->s);
	rs->pf = ot_ptr_finder_new();
	if (fmts & 1)
		rs->scale = ot_scale_new(true);
	if (fmts & 2)
		rs->calls = ot_json_calls_new();
	if (!rs->pf || ((fmts & 2) && !rs->calls)) {
		ot_report_stream_free(rs);
		return NULL;
	}
	ot_trace_add_consumer(t, (struct ot_op_consumer){stream_op, rs});
	return rs;
}

int ot_report_stream_record(struct ot_report_stream *rs, const struct ot_record *r)
{
	if (ot_summary_add_record(&rs->s, r) || ot_ptr_finder_add(rs->pf, r))
		rs->err = -1;
	return rs->err;
}

struct ot_report_model *ot_report_stream_model(struct ot_report_stream *rs,
					       const struct ot_report_input *in)
{
	struct ot_report_model *m = calloc(1, sizeof(*m));
	int err = rs->err || !m;

	if (!err && ot_summary_finish(&rs->s, in->trace, in->kase))
		err = 1;
	else if (!err)
		m->s = rs->s;
	memset(&rs->s, 0, sizeof(rs->s));
	if (ot_ptr_finder_finish(rs->pf, m ? &m->p : &(struct ot_pointers){0}))
		err = 1;
	rs->pf = NULL;
	if (m) {
		m->scale = rs->scale;
		m->calls = rs->calls;
		rs->scale = NULL;
		rs->calls = NULL;
		ot_run_info_get(in, &m->ri);
	}
	ot_report_stream_free(rs);
	if (err) {
		ot_report_model_free(m);
		return NULL;
	}
	return m;
}

void ot_report_stream_free(struct ot_report_stream *rs)
{
	if (!rs)
		return;
	ot_summary_free(&rs->s);
	if (rs->pf) {
		struct ot_pointers none;

		ot_ptr_finder_finish(rs->pf, &none);
		ot_pointers_free(&none);
	}
	ot_scale_free(rs->scale);
	ot_json_calls_free(rs->calls);
	free(rs);
}

/* A report on its own: the model is built for it alone. */
static int render_alone(FILE *f, const struct ot_report_input *in,
			int (*render)(FILE *, const struct ot_report_input *,
				      const struct ot_report_model *))
{
	struct ot_report_model *m = ot_report_model_build(in);
	int rc;

	if (!m)
		return -1;
	rc = render(f, in, m);
	ot_report_model_free(m);
	return rc;
}

int ot_report_markdown(FILE *f, const struct ot_report_input *in)
{
	return render_alone(f, in, ot_report_markdown_with);
}

int ot_report_json(FILE *f, const struct ot_report_input *in)
{
	return render_alone(f, in, ot_report_json_with);
}

int ot_report_read_log(const char *path, unsigned fmts,
		       bool (*stream_now)(const struct ot_log *log, void *arg), void *arg,
		       struct ot_log *log, struct ot_trace *t, struct ot_report_stream **rs)
{
	struct ot_log_reader rd;
	bool streamed = false, decided = !stream_now;
	int k, e;

	*rs = NULL;
	if (ot_log_reader_open(&rd, path, log))
		return -1;
	/* Read whole until the log is known to be large; from then on each record goes to
	 * the trace and the reports' counters, and is released with its operation. */
	for (;;) {
		const struct ot_record *r;

		k = ot_log_reader_next(&rd, log, !streamed, &r);
		if (k <= 0)
			break;
		if (streamed) {
			if (r) {
				ot_report_stream_record(*rs, r);
				ot_trace_add(t, r);
			}
			continue;
		}
		if (decided || !stream_now(log, arg))
			continue;
		decided = true;
		ot_trace_begin(t, log, true);
		*rs = ot_report_stream_begin(t, fmts);
		if (!*rs) { /* no spool file: whole, as a small log */
			ot_trace_end(t);
			ot_trace_free(t);
			continue;
		}
		for (size_t i = 0; i < log->nrecs; i++) {
			ot_report_stream_record(*rs, &log->recs[i]);
			ot_trace_add(t, &log->recs[i]);
		}
		streamed = true;
	}
	e = ot_log_reader_close(&rd) || k < 0 ? (errno ? errno : EIO) : 0;
	if (streamed)
		ot_trace_end(t);
	else
		ot_trace_build(log, t);
	if (e) {
		ot_report_stream_free(*rs);
		*rs = NULL;
		ot_trace_free(t);
		ot_log_free(log);
		errno = e;
		return -1;
	}
	return 0;
}
