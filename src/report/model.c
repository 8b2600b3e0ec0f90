// SPDX-License-Identifier: MIT
#include "report/model.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "record/logparse.h"
#include "report/report_perfetto.h"
#include "report/scale.h"
#include "util/arena.h"

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
	ot_perfetto_spool_free(m->perfetto);
	free(m);
}

struct ot_report_stream {
	struct ot_summary s;
	struct ot_ptr_finder *pf;
	struct ot_scale *scale;
	struct ot_json_calls *calls;
	struct ot_perfetto_spool *perfetto;
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
	if (rs->perfetto)
		ot_perfetto_spool_add_op(rs->perfetto, t, root);
}

struct ot_report_stream *ot_report_stream_begin(struct ot_trace *t, unsigned fmts)
{
	struct ot_report_stream *rs = calloc(1, sizeof(*rs));

	if (!rs)
		return NULL;
	ot_summary_init(&rs->s);
	rs->pf = ot_ptr_finder_new();
	if (fmts & 3) /* the Markdown's summaries, the JSON's "scale" */
		rs->scale = ot_scale_new(true);
	if (fmts & 2)
		rs->calls = ot_json_calls_new();
	if (fmts & 4)
		rs->perfetto = ot_perfetto_spool_new(t->log);
	if (!rs->pf || ((fmts & 2) && !rs->calls) || ((fmts & 4) && !rs->perfetto)) {
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
		m->perfetto = rs->perfetto;
		rs->scale = NULL;
		rs->calls = NULL;
		rs->perfetto = NULL;
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
	ot_perfetto_spool_free(rs->perfetto);
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

/* Streamed, reading and parsing run on a thread of their own, a batch of records
 * ahead of the analysis: the machine's second core parses while the first pairs and
 * counts. The reader thread alone touches the log (its counts, lines, interned
 * names) until it is joined; the analysis gets the records, in order, parsed into
 * their batch, which it holds while an operation open in the trace may hold them
 * (ot_trace_first_open_line): the trace keeps them without a copy. */
#define BATCH_RECORDS 512
#define MAX_BATCHES   8

struct batch {
	struct ot_arena *texts; /* the records' fields and strings */
	struct ot_record *recs;
	size_t n;
	bool end;
	int err; /* errno of a failed read (with END) */
	struct batch *next;
};

struct reader {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch *head, *tail;	/* full, oldest first */
	struct batch *spare;		/* emptied, to reuse */
	size_t nbatches;		/* but those held */
	struct batch *held, *held_tail; /* the analysis's, oldest first (its thread only) */
	struct ot_log_reader *rd;
	struct ot_log *log;
};

static struct batch *take_spare(struct reader *rr)
{
	struct batch *b;

	pthread_mutex_lock(&rr->mu);
	while (!rr->spare && rr->nbatches >= MAX_BATCHES)
		pthread_cond_wait(&rr->cv, &rr->mu);
	b = rr->spare;
	if (b)
		rr->spare = b->next;
	else
		rr->nbatches++;
	pthread_mutex_unlock(&rr->mu);
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			abort();
		b->texts = ot_arena_new();
		b->recs = malloc(BATCH_RECORDS * sizeof(*b->recs));
		if (!b->recs)
			abort();
	}
	ot_arena_reset(b->texts);
	b->n = 0;
	b->end = false;
	b->err = 0;
	b->next = NULL;
	return b;
}

static void *read_ahead(void *arg)
{
	struct reader *rr = arg;

	for (bool end = false; !end;) {
		struct batch *b = take_spare(rr);

		rr->rd->texts = b->texts; /* parsed straight into the batch */
		while (b->n < BATCH_RECORDS) {
			const struct ot_record *r;
			int k = ot_log_reader_next(rr->rd, rr->log, false, &r);

			if (k <= 0) {
				b->end = end = true;
				b->err = k < 0 ? (errno ? errno : EIO) : 0;
				break;
			}
			if (r)
				b->recs[b->n++] = *r;
		}
		rr->rd->texts = NULL;
		pthread_mutex_lock(&rr->mu);
		if (rr->tail)
			rr->tail->next = b;
		else
			rr->head = b;
		rr->tail = b;
		pthread_cond_broadcast(&rr->cv);
		pthread_mutex_unlock(&rr->mu);
	}
	return NULL;
}

static struct batch *next_full(struct reader *rr)
{
	struct batch *b;

	pthread_mutex_lock(&rr->mu);
	while (!rr->head)
		pthread_cond_wait(&rr->cv, &rr->mu);
	b = rr->head;
	rr->head = b->next;
	if (!rr->head)
		rr->tail = NULL;
	pthread_mutex_unlock(&rr->mu);
	return b;
}

static void give_back(struct reader *rr, struct batch *b)
{
	pthread_mutex_lock(&rr->mu);
	b->next = rr->spare;
	rr->spare = b;
	pthread_cond_broadcast(&rr->cv);
	pthread_mutex_unlock(&rr->mu);
}

/* B, added to the trace: held out of the reader's count while the trace may hold
 * its records; then the batches no open operation holds any more go back. */
static void hold(struct reader *rr, struct batch *b, const struct ot_trace *t)
{
	unsigned first_open = ot_trace_first_open_line(t);

	pthread_mutex_lock(&rr->mu);
	rr->nbatches--; /* the reader may take another */
	pthread_cond_broadcast(&rr->cv);
	pthread_mutex_unlock(&rr->mu);
	b->next = NULL;
	if (rr->held_tail)
		rr->held_tail->next = b;
	else
		rr->held = b;
	rr->held_tail = b;
	while (rr->held && (!rr->held->n || rr->held->recs[rr->held->n - 1].line < first_open)) {
		struct batch *done = rr->held;

		rr->held = done->next;
		if (!rr->held)
			rr->held_tail = NULL;
		pthread_mutex_lock(&rr->mu);
		rr->nbatches++;
		pthread_mutex_unlock(&rr->mu);
		give_back(rr, done);
	}
}

static void batches_free(struct batch *b)
{
	while (b) {
		struct batch *next = b->next;

		ot_arena_free(b->texts);
		free(b->recs);
		free(b);
		b = next;
	}
}

/* The rest of the log through the reader thread into T and RS; 0, or an errno. The
 * records still held go to *KEPT (the no-thread reading: all of them), to be freed
 * once T is complete. */
static int stream_rest(struct ot_log_reader *rd, struct ot_log *log, struct ot_trace *t,
		       struct ot_report_stream *rs, struct batch **kept)
{
	struct reader rr = {.rd = rd, .log = log};
	pthread_t th;
	int err = 0;

	pthread_mutex_init(&rr.mu, NULL);
	pthread_cond_init(&rr.cv, NULL);
	if (pthread_create(&th, NULL, read_ahead, &rr)) {
		/* no thread: read here, one record at a time, each kept till the end */
		struct batch *b = calloc(1, sizeof(*b));
		const struct ot_record *r;
		int k;

		if (!b)
			abort();
		b->texts = rd->texts = ot_arena_new();
		while ((k = ot_log_reader_next(rd, log, false, &r)) > 0)
			if (r) {
				struct ot_record *c = ot_arena_alloc(b->texts, sizeof(*c));

				*c = *r;
				ot_report_stream_record(rs, c);
				ot_trace_add(t, c);
			}
		rd->texts = NULL;
		rr.held = b;
		err = k < 0 ? (errno ? errno : EIO) : 0;
	} else {
		for (bool end = false; !end;) {
			struct batch *b = next_full(&rr);

			for (size_t i = 0; i < b->n; i++) {
				ot_report_stream_record(rs, &b->recs[i]);
				ot_trace_add(t, &b->recs[i]);
			}
			end = b->end;
			err = b->err;
			hold(&rr, b, t);
		}
		pthread_join(th, NULL);
	}
	batches_free(rr.spare);
	*kept = rr.held;
	pthread_cond_destroy(&rr.cv);
	pthread_mutex_destroy(&rr.mu);
	return err;
}

int ot_report_read_log(const char *path, unsigned fmts, const struct ot_read_plan *plan,
		       struct ot_log *log, struct ot_trace *t, struct ot_report_stream **rs)
{
	bool (*stream_now)(const struct ot_log *, void *) = plan ? plan->stream_now : NULL;
	struct ot_log_reader rd;
	struct batch *kept = NULL;
	bool streamed = false;
	int k, e = 0;

	*rs = NULL;
	if (ot_log_reader_open(&rd, path, log))
		return -1;
	/* Read whole until the log is known to be large; from then on each record goes to
	 * the trace and the reports' counters, and is released with its operation. */
	for (;;) {
		const struct ot_record *r;

		k = ot_log_reader_next(&rd, log, true, &r);
		if (k <= 0)
			break;
		if (!stream_now || !stream_now(log, plan->arg))
			continue;
		ot_trace_begin(t, log, true);
		*rs = ot_report_stream_begin(t, fmts);
		if (*rs && plan->streaming)
			plan->streaming(t, plan->arg);
		if (!*rs) { /* no spool file: whole, as a small log */
			ot_trace_end(t);
			ot_trace_free(t);
			stream_now = NULL;
			continue;
		}
		for (size_t i = 0; i < log->nrecs; i++) {
			ot_report_stream_record(*rs, &log->recs[i]);
			ot_trace_add(t, &log->recs[i]);
		}
		streamed = true;
		e = stream_rest(&rd, log, t, *rs, &kept);
		break;
	}
	if (!streamed && k < 0)
		e = errno ? errno : EIO;
	if (ot_log_reader_close(&rd) && !e)
		e = errno ? errno : EIO;
	if (streamed)
		ot_trace_end(t);
	else
		ot_trace_build(log, t);
	batches_free(kept); /* the trace is complete: no operation holds a record */
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
