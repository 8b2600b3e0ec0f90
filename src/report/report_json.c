// SPDX-License-Identifier: MIT
/* The JSON report: the same content as the Markdown one, for machines. Written
 * as it is produced (report/jsonw.h): memory does not grow with the report, and
 * keys keep their order so that equal runs give equal text. */
#include "report/linepath.h"
#include "srcmap/srcinfo.h"
#include "report/report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/fields.h"
#include "report/jsonw.h"
#include "report/model.h"
#include "report/pointers.h"
#include "report/report_json.h"
#include "report/runinfo.h"
#include "report/srcrender.h"
#include "report/summary.h"
#include "report/tree.h"
#include "trace/decode.h"
#include "util/hashmap.h"

/* The layout: the top object's keys and the members of its arrays and objects
 * each on a line of their own; each such member whole on its one line (a call
 * tree, a claim with its evidence, a pointer chain). Laid out level by level, the
 * indentation was half the bytes of a report of many calls (609 MB for a million
 * log lines; 287 MB like this). */
#define REPORT_LINES 2

static void hex_word(struct ot_jw *w, uint64_t v)
{
	ot_jw_hex(w, v);
}

/* How the fields of a log's records are shown, remembered by what decides it: in
 * a log's records (pooled) function names and keys are shared copies, so equal
 * pointers are equal texts for as long as the log is open. */
#define SHOW_SLOTS 256

struct ot_show_memo {
	struct show_slot {
		const char *func, *key;
		unsigned char kind, spec, type, show; /* kind 0xff: empty */
	} slot[SHOW_SLOTS];
};

static void show_memo_init(struct ot_show_memo *m)
{
	for (size_t i = 0; i < SHOW_SLOTS; i++)
		m->slot[i].kind = 0xff;
}

static enum ot_show field_show(struct ot_show_memo *m, const struct ot_record *r,
			       const struct ot_field *f)
{
	struct show_slot *s;
	enum ot_show show;
	bool by_raw;

	if (!m || !r->pooled)
		return ot_field_show(r, f);
	s = &m->slot[(((uintptr_t)r->func >> 3) * 31 + ((uintptr_t)f->key >> 3) + r->kind) %
		     SHOW_SLOTS];
	if (s->func == r->func && s->key == f->key && s->kind == (unsigned char)r->kind &&
	    s->spec == f->spec && s->type == (unsigned char)f->type)
		return (enum ot_show)s->show;
	show = ot_field_show_by(r, f, &by_raw);
	if (!by_raw)
		*s = (struct show_slot){r->func,
					f->key,
					(unsigned char)r->kind,
					f->spec,
					(unsigned char)f->type,
					(unsigned char)show};
	return show;
}

/* Addresses and masks as "0x.." strings (64-bit words do not survive every JSON
 * reader as numbers); signed values as numbers; AT_FDCWD stays -100. */
static void field_value(struct ot_jw *w, struct ot_show_memo *m, const struct ot_record *r,
			const struct ot_field *f)
{
	uint64_t v = ot_field_word(f);

	switch (field_show(m, r, f)) {
	case OT_SHOW_PTR:
	case OT_SHOW_HEX:
		hex_word(w, v);
		return;
	case OT_SHOW_DFD:
		ot_jw_int(w, ot_as_int32(v));
		return;
	case OT_SHOW_INT:
		ot_jw_int(w, (int64_t)v);
		return;
	case OT_SHOW_UINT:
		ot_jw_uint(w, v);
		return;
	case OT_SHOW_STR:
		break;
	}
	ot_jw_str(w, ot_field_text(f));
}

/* A key written twice in one record keeps its first place and its last value, as a
 * JSON object can hold a key once. */
static bool same_key(const struct ot_record *r, const char *a, const char *b)
{
	/* a log's records share one copy of each key (util/arena.h): equal texts are
	 * equal pointers */
	return a == b || (!r->pooled && !strcmp(a, b));
}

static const struct ot_field *last_of_key(const struct ot_record *r, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (same_key(r, r->fields[j].key, r->fields[i].key))
			return NULL;
	for (size_t j = r->nfields; j-- > i;)
		if (same_key(r, r->fields[j].key, r->fields[i].key))
			return &r->fields[j];
	return &r->fields[i];
}

/* The fields of R as members of the open object (LINE_AT: "line" is the record's line). */
static void field_members(struct ot_jw *w, struct ot_show_memo *m, const struct ot_record *r,
			  bool skip_ret, bool line_at)
{
	for (size_t i = 0; r && i < r->nfields; i++) {
		const struct ot_field *f = last_of_key(r, i);

		if (!f || (skip_ret && strcmp(f->key, "ret") == 0))
			continue;
		ot_jw_key(w, f->key);
		if (line_at && !strcmp(f->key, "line"))
			ot_jw_int(w, r->line);
		else
			field_value(w, m, r, f);
	}
}

static void fields_object(struct ot_jw *w, struct ot_show_memo *m, const struct ot_record *r,
			  bool skip_ret)
{
	ot_jw_obj_begin(w);
	field_members(w, m, r, skip_ret, false);
	ot_jw_obj_end(w);
}

struct ot_show_memo *ot_show_memo_new(void)
{
	struct ot_show_memo *m = malloc(sizeof(*m));

	if (m)
		show_memo_init(m);
	return m;
}

void ot_json_fields_object(struct ot_jw *w, struct ot_show_memo *m, const struct ot_record *r,
			   bool skip_ret)
{
	fields_object(w, m, r, skip_ret);
}

static void lines_array(struct ot_jw *w, const unsigned *lines, size_t n)
{
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < n; i++)
		ot_jw_int(w, lines[i]);
	ot_jw_arr_end(w);
}

static void add_header(struct ot_jw *w, const struct ot_run_info *ri,
		       const struct ot_report_input *in)
{
	OT_JW_KEY(w, "case");
	ot_jw_str(w, ri->case_id);
	OT_JW_KEY(w, "title");
	ot_jw_str(w, ri->title);
	OT_JW_KEY(w, "intent");
	ot_jw_str(w, in->kase ? in->kase->intent : NULL);
	OT_JW_KEY(w, "verdict");
	ot_jw_str(w, ri->verdict);
	OT_JW_KEY(w, "kernel");
	ot_jw_str(w, ri->kernel);
	OT_JW_KEY(w, "backend");
	ot_jw_str(w, ri->backend);
	OT_JW_KEY(w, "time");
	ot_jw_str(w, ri->time);
	OT_JW_KEY(w, "time_from_log");
	ot_jw_bool(w, ri->time_from_log);
	OT_JW_KEY(w, "log");
	ot_jw_str(w, in->log->name ? in->log->name : "-");
	OT_JW_KEY(w, "lines");
	ot_jw_int(w, (int64_t)in->log->nlines);
	OT_JW_KEY(w, "records");
	ot_jw_int(w, (int64_t)in->log->nrecs_read);
	OT_JW_KEY(w, "lost");
	ot_jw_uint(w, ri->lost);
	if (ri->missed) { /* probe runs the kernel skipped */
		OT_JW_KEY(w, "missed");
		ot_jw_uint(w, ri->missed);
	}
	if (ri->filter_path || ri->filter_errors_only) { /* trace --path, --errors-only */
		OT_JW_KEY(w, "filters");
		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "path");
		ot_jw_str(w, ri->filter_path);
		OT_JW_KEY(w, "errors_only");
		ot_jw_bool(w, ri->filter_errors_only);
		OT_JW_KEY(w, "filtered_out");
		ot_jw_uint(w, ri->filtered_out);
		OT_JW_KEY(w, "kept_whole_buffer_full");
		ot_jw_uint(w, ri->filter_overflows);
		OT_JW_KEY(w, "kept_path_unread");
		ot_jw_uint(w, ri->filter_path_unread);
		ot_jw_obj_end(w);
	}
	if (ri->detached) { /* trace -p ended by the user */
		OT_JW_KEY(w, "detached");
		ot_jw_str(w, ri->detached);
	}
}

static void add_counts(struct ot_jw *w, const struct ot_summary *s)
{
	char key[160];

	OT_JW_KEY(w, "counts");
	ot_jw_obj_begin(w);
	for (size_t i = 0; i < s->nfuncs; i++) {
		snprintf(key, sizeof(key), "%s.entry", s->funcs[i].func);
		ot_jw_key(w, key);
		ot_jw_int(w, (int64_t)s->funcs[i].entries);
		snprintf(key, sizeof(key), "%s.ret", s->funcs[i].func);
		ot_jw_key(w, key);
		ot_jw_int(w, (int64_t)s->funcs[i].rets);
	}
	ot_jw_obj_end(w);
	OT_JW_KEY(w, "unpaired_calls");
	ot_jw_obj_begin(w);
	for (size_t i = 0; i < s->nfuncs; i++) {
		ot_jw_key(w, s->funcs[i].func);
		ot_jw_int(w, (int64_t)s->funcs[i].unpaired);
	}
	ot_jw_obj_end(w);
	OT_JW_KEY(w, "returns");
	ot_jw_obj_begin(w);
	for (size_t i = 0; i < s->nfuncs; i++) {
		const struct ot_func_summary *fs = &s->funcs[i];

		ot_jw_key(w, fs->func);
		ot_jw_obj_begin(w);
		for (size_t j = 0; j < fs->nvalues; j++) {
			ot_jw_key(w, fs->values[j].text);
			ot_jw_int(w, (int64_t)fs->values[j].n);
		}
		ot_jw_obj_end(w);
	}
	ot_jw_obj_end(w);
	OT_JW_KEY(w, "probes_not_in_log");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < s->nmissing; i++)
		ot_jw_str(w, s->missing[i]);
	ot_jw_arr_end(w);
}

static void add_claims(struct ot_jw *w, const struct ot_claim_set *cs)
{
	OT_JW_KEY(w, "claims");
	ot_jw_arr_begin(w);
	for (size_t i = 0; cs && i < cs->n; i++) {
		const struct ot_claim_result *r = &cs->r[i];

		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "name");
		ot_jw_str(w, r->claim ? r->claim : "");
		OT_JW_KEY(w, "verdict");
		ot_jw_str(w, ot_verdict_name(r->verdict));
		OT_JW_KEY(w, "evidence");
		lines_array(w, r->evidence, r->nevidence);
		OT_JW_KEY(w, "detail");
		ot_jw_str(w, r->detail ? r->detail : "");
		OT_JW_KEY(w, "sentence");
		ot_jw_str(w, r->sentence ? r->sentence : "");
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

static void add_unparsed(struct ot_jw *w, const struct ot_log *log)
{
	OT_JW_KEY(w, "unparsed");
	ot_jw_int(w, (int64_t)log->nunparsed);
	OT_JW_KEY(w, "unparsed_lines");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < log->nunparsed; i++) {
		const struct ot_unparsed *u = &log->unparsed[i];

		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "line");
		ot_jw_int(w, u->line);
		OT_JW_KEY(w, "text");
		ot_jw_str(w, u->text ? u->text : "");
		OT_JW_KEY(w, "reason");
		ot_jw_str(w, u->reason ? u->reason : "");
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	OT_JW_KEY(w, "input_warnings");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < log->nwarnings; i++) {
		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "line");
		ot_jw_int(w, log->warnings[i].line);
		OT_JW_KEY(w, "what");
		ot_jw_str(w, log->warnings[i].what);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

void ot_json_call_log_lines(struct ot_jw *w, const struct ot_call *c)
{
	OT_JW_KEY(w, "line_entry");
	if (c->entry)
		ot_jw_int(w, c->entry->line);
	else
		ot_jw_null(w);
	OT_JW_KEY(w, "line_ret");
	if (c->ret)
		ot_jw_int(w, c->ret->line);
	else
		ot_jw_null(w);
}

struct calls_ctx {
	const struct ot_trace *t;
	const size_t *ops; /* op#N of each call, see ot_op_numbers */
	struct ot_show_memo *memo;
	struct ot_srctext *text; /* source lines of line probes' hits (NULL: none) */
};

/* A call's members up to its "children" key (the children follow). */
static void call_head(struct ot_jw *w, const struct calls_ctx *ctx, const struct ot_call *c)
{
	size_t op = ctx->ops && c->index < ctx->t->ncalls ? ctx->ops[c->index] : 0;
	char text[96];

	ot_jw_obj_begin(w);
	OT_JW_KEY(w, "func");
	ot_jw_str(w, c->func);
	OT_JW_KEY(w, "op");
	if (op)
		ot_jw_int(w, (int64_t)op);
	else
		ot_jw_null(w);
	OT_JW_KEY(w, "pid");
	ot_jw_int(w, c->pid);
	OT_JW_KEY(w, "tid");
	ot_jw_int(w, c->tid);
	ot_json_call_log_lines(w, c);
	OT_JW_KEY(w, "args");
	if (c->entry)
		fields_object(w, ctx->memo, c->entry, false);
	else
		ot_jw_null(w);
	if (c->ret) {
		uint64_t v = c->dec.raw;

		OT_JW_KEY(w, "ret");
		if (c->dec.cls == OT_RC_UNKNOWN && !ot_rec_u64(c->ret, "ret", &v))
			ot_jw_null(w);
		else
			hex_word(w, v);
		ot_call_ret_text(c, text, sizeof(text));
		OT_JW_KEY(w, "ret_text");
		ot_jw_str(w, text);
		OT_JW_KEY(w, "ret_class");
		ot_jw_str(w, ot_ret_class_name(c->dec.cls));
		OT_JW_KEY(w, "errno");
		ot_jw_str(w, c->dec.cls == OT_RC_ERR ? ot_errno_name(c->dec.err) : NULL);
		OT_JW_KEY(w, "ret_fields");
		fields_object(w, ctx->memo, c->ret, true);
	} else {
		static const char *const none[] = {"ret", "ret_text", "ret_class", "errno",
						   "ret_fields"};

		for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
			ot_jw_key(w, none[i]);
			ot_jw_null(w);
		}
	}
	OT_JW_KEY(w, "paired");
	ot_jw_bool(w, ot_call_paired(c));
	if (c->in_flight) { /* cut by trace -p's attach or detach */
		OT_JW_KEY(w, "in_flight");
		ot_jw_str(w, c->in_flight == OT_IN_FLIGHT_AT_ATTACH ? "at_attach" : "at_detach");
	}
	ot_src_json_call(w, ctx->t, c);
	ot_linepath_json_call(w, ctx->t, c, ctx->text);
	OT_JW_KEY(w, "children");
	ot_jw_arr_begin(w);
}

/* A call and its subtree, in pre-order without recursion: nesting may be as deep
 * as the log is long. The pre-order lists each subtree right after its call. */
static void call_tree(struct ot_jw *w, const struct calls_ctx *ctx, const struct ot_call *root)
{
	const struct ot_trace *t = ctx->t;
	const struct ot_call *open = root;

	call_head(w, ctx, root);
	for (size_t i = root->pre + 1; i <= root->last; i++) {
		const struct ot_call *c = t->preorder[i];

		while (open != c->parent) { /* close the calls whose subtree ended */
			ot_jw_arr_end(w);
			ot_jw_obj_end(w);
			open = open->parent;
		}
		call_head(w, ctx, c);
		open = c;
	}
	for (;;) {
		ot_jw_arr_end(w);
		ot_jw_obj_end(w);
		if (open == root)
			break;
		open = open->parent;
	}
}

/* The spool: each thread's operations are gathered in a buffer of its own and go to
 * the spool file a megabyte at a time, each after the one before it with its comma,
 * so that the final copy is a few large ranges (copy_file_range: in the kernel,
 * without passing through this process) rather than one read and write per
 * operation. */
#define THREAD_CHUNK (1u << 20)
/* All the threads' buffers together: past this, every buffer is spooled and freed. */
#define BUFFERS_MAX (8u << 20)

struct spooled_op {
	size_t thread, index; /* the operation's thread (its place in trace->threads), root */
	off_t at;	      /* in the spool; while buffered, in its thread's buffer */
	size_t len;	      /* without its comma */
	bool comma;	      /* a ',' right before it: not its thread's first */
};

struct thread_buf {
	char *p;
	size_t len, size;
	size_t *pending; /* its operations still buffered (places in ops) */
	size_t npending, cap;
	bool any; /* an operation of the thread was written */
};

struct ot_json_calls {
	struct ot_srctext *text; /* source lines of line probes' hits (NULL: none yet) */
	FILE *spool;
	off_t end; /* the spool's length */
	int err;
	struct ot_jw w; /* in memory, as if inside the report's "calls" array */
	struct thread_buf *tb;
	size_t ntb;
	size_t cur;	  /* the thread being written */
	bool cur_spilled; /* its buffer was spooled in the middle of an operation */
	size_t held;	  /* the buffers' sizes, together */
	struct spooled_op *ops;
	size_t n, cap;
	struct ot_show_memo memo;
};

static void spool_buf(struct ot_json_calls *jc, struct thread_buf *b)
{
	size_t done = 0;

	while (done < b->len) {
		ssize_t k =
		    pwrite(fileno(jc->spool), b->p + done, b->len - done, jc->end + (off_t)done);

		if (k <= 0) {
			jc->err = -1;
			break;
		}
		done += (size_t)k;
	}
	for (size_t i = 0; i < b->npending; i++)
		jc->ops[b->pending[i]].at += jc->end;
	jc->end += (off_t)b->len;
	b->len = 0;
	b->npending = 0;
}

/* The writer's hook: an operation outgrew its buffer. */
static void spill_cur(struct ot_jw *w, void *ctx)
{
	struct ot_json_calls *jc = ctx;
	struct thread_buf *b = &jc->tb[jc->cur];

	b->len = w->len;
	b->p = w->buf;
	spool_buf(jc, b);
	w->len = 0;
	jc->cur_spilled = true;
}

struct ot_json_calls *ot_json_calls_new(void)
{
	struct ot_json_calls *jc = calloc(1, sizeof(*jc));

	if (!jc)
		return NULL;
	jc->spool = tmpfile();
	if (!jc->spool) {
		free(jc);
		return NULL;
	}
	show_memo_init(&jc->memo);
	ot_jw_init_at(&jc->w, NULL, 2); /* the report's object, its "calls" array */
	ot_jw_set_lines(&jc->w, REPORT_LINES);
	free(jc->w.buf);
	jc->w.buf = NULL;
	jc->w.size = 0;
	jc->w.spill = spill_cur;
	jc->w.spill_ctx = jc;
	return jc;
}

/* An operation's calls (without op numbers: a streamed trace has no case) written as
 * the report would write them there: after a comma but for its thread's first. */
void ot_json_calls_add_op(struct ot_json_calls *jc, const struct ot_trace *t,
			  const struct ot_call *root)
{
	if (!jc->text && t->nline_points)
		jc->text = ot_srctext_new(ot_srcinfo_kernel(t));
	const struct calls_ctx ctx = {t, NULL, &jc->memo, jc->text};
	size_t th = ot_trace_thread_index(t, root);
	struct thread_buf *b;
	struct spooled_op *op;
	uint64_t start;

	if (th >= jc->ntb) {
		size_t n = th + 1 > 2 * jc->ntb ? th + 1 : 2 * jc->ntb;
		struct thread_buf *nb = realloc(jc->tb, n * sizeof(*nb));

		if (!nb)
			abort();
		memset(nb + jc->ntb, 0, (n - jc->ntb) * sizeof(*nb));
		jc->tb = nb;
		jc->ntb = n;
	}
	b = &jc->tb[th];
	if (jc->n == jc->cap) {
		jc->cap = jc->cap ? 2 * jc->cap : 1024;
		jc->ops = realloc(jc->ops, jc->cap * sizeof(*jc->ops));
		if (!jc->ops)
			abort();
	}
	if (b->npending == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->pending = realloc(b->pending, b->cap * sizeof(*b->pending));
		if (!b->pending)
			abort();
	}
	op = &jc->ops[jc->n];
	*op = (struct spooled_op){th, root->index, (off_t)b->len + b->any, 0, b->any};
	b->pending[b->npending++] = jc->n++;

	jc->held -= b->size;
	jc->cur = th;
	jc->cur_spilled = false;
	jc->w.buf = b->p;
	jc->w.len = b->len;
	jc->w.size = b->size;
	jc->w.first[jc->w.depth - 1] = !b->any;
	start = jc->w.written;
	call_tree(&jc->w, &ctx, root);
	op->len = (size_t)(jc->w.written - start) - op->comma;
	b->p = jc->w.buf;
	b->len = jc->w.len;
	b->size = jc->w.size;
	b->any = true;
	jc->held += b->size;

	if (jc->cur_spilled || b->len >= THREAD_CHUNK) /* an operation's end follows its start */
		spool_buf(jc, b);
	if (jc->held > BUFFERS_MAX)
		for (size_t i = 0; i < jc->ntb; i++) {
			spool_buf(jc, &jc->tb[i]);
			free(jc->tb[i].p);
			jc->held -= jc->tb[i].size;
			jc->tb[i].p = NULL;
			jc->tb[i].size = 0;
		}
}

void ot_json_calls_free(struct ot_json_calls *jc)
{
	if (!jc)
		return;
	ot_srctext_free(jc->text);
	if (jc->spool)
		fclose(jc->spool);
	for (size_t i = 0; i < jc->ntb; i++) {
		free(jc->tb[i].p);
		free(jc->tb[i].pending);
	}
	free(jc->tb);
	jc->w.buf = NULL;
	ot_jw_free(&jc->w);
	free(jc->ops);
	free(jc);
}

static int cmp_spooled(const void *a, const void *b)
{
	const struct spooled_op *x = a, *y = b;

	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* LEN bytes of the spool from AT to the report's FILE (flushed). */
static int copy_range(FILE *out, FILE *spool, off_t at, size_t len, bool *in_kernel)
{
	static char buf[1 << 16];

	while (len && *in_kernel) {
		ssize_t k = copy_file_range(fileno(spool), &at, fileno(out), NULL, len, 0);

		if (k <= 0) { /* not between these files (a pipe, another file system) */
			if (k < 0 && errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
			    errno != EOPNOTSUPP && errno != EBADF)
				return -1;
			*in_kernel = false;
			break;
		}
		len -= (size_t)k;
	}
	/* read exactly the range (stdio would refill its whole buffer per seek) */
	while (len) {
		ssize_t k = pread(fileno(spool), buf, len < sizeof(buf) ? len : sizeof(buf), at);

		if (k <= 0) /* the spool could not be read back: the report fails */
			return -1;
		fwrite_unlocked(buf, 1, (size_t)k, out);
		len -= (size_t)k;
		at += k;
	}
	return 0;
}

/* The spooled operations into the open "calls" array, threads and roots in order:
 * runs of them that lie in the spool one after the other with their commas go in one
 * copy; the first of a run gets its comma here. */
static int copy_spooled(struct ot_jw *w, struct ot_json_calls *jc)
{
	bool in_kernel = true;
	int err = jc->err;

	for (size_t i = 0; i < jc->ntb; i++)
		spool_buf(jc, &jc->tb[i]);
	ot_jw_flush(w);
	if (jc->err || fflush(jc->spool) || ferror(jc->spool))
		return -1;
	qsort(jc->ops, jc->n, sizeof(*jc->ops), cmp_spooled);
	for (size_t i = 0; i < jc->n && !err;) {
		off_t at = jc->ops[i].at, end = at + (off_t)jc->ops[i].len;

		if (i && jc->ops[i].comma)
			at--; /* its comma, spooled right before it */
		else if (i)
			fputc_unlocked(',', w->f);
		for (i++; i < jc->n && jc->ops[i].comma && jc->ops[i].at == end + 1; i++)
			end = jc->ops[i].at + (off_t)jc->ops[i].len;
		if (in_kernel && fflush(w->f))
			err = -1;
		else
			err = copy_range(w->f, jc->spool, at, (size_t)(end - at), &in_kernel);
	}
	ot_jw_restart_level(w);
	if (jc->n)
		w->first[w->depth - 1] = 0;
	return err;
}

static int add_calls(struct ot_jw *w, const struct ot_trace *t, const struct ot_case *kase,
		     struct ot_json_calls *spooled)
{
	int err = 0;

	size_t *ops = spooled ? NULL : ot_op_numbers(t, kase ? kase->anchor : NULL);
	struct ot_show_memo *memo = spooled ? NULL : malloc(sizeof(*memo));

	if (memo)
		show_memo_init(memo);
	struct ot_srctext *text = t->nline_points ? ot_srctext_new(ot_srcinfo_kernel(t)) : NULL;
	const struct calls_ctx ctx = {t, ops, memo, text};

	OT_JW_KEY(w, "threads");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct ot_thread *th = &t->threads[i];

		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "pid");
		ot_jw_int(w, th->pid);
		OT_JW_KEY(w, "tid");
		ot_jw_int(w, th->tid);
		OT_JW_KEY(w, "comm");
		ot_jw_str(w, th->comm);
		OT_JW_KEY(w, "roots");
		ot_jw_int(w, (int64_t)th->nroots);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	OT_JW_KEY(w, "calls");
	ot_jw_arr_begin(w);
	if (spooled)
		err = copy_spooled(w, spooled);
	for (size_t i = 0; !spooled && i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++)
			call_tree(w, &ctx, t->threads[i].roots[j]);
	ot_jw_arr_end(w);
	free(ops);
	free(memo);
	ot_srctext_free(text);
	return err;
}

static void user_fact_object(struct ot_jw *w, const struct ot_record *r)
{
	const char *name = ot_rec_str(r, "errname");
	uint64_t e;

	ot_jw_obj_begin(w);
	field_members(w, NULL, r, false, true);
	/* The errno by name even when the trigger only wrote the number. */
	if (!name && ot_rec_u64(r, "errno", &e) && e) {
		OT_JW_KEY(w, "errname");
		ot_jw_str(w, ot_errno_name((int)e));
	}
	if (!ot_rec_field(r, "line")) {
		OT_JW_KEY(w, "line");
		ot_jw_int(w, r->line);
	}
	ot_jw_obj_end(w);
}

/* The run facts as one object: a key given again keeps its first place, last value. */
static void run_facts_object(struct ot_jw *w, const struct ot_trace *t)
{
	struct ot_map index = {0};
	struct {
		const struct ot_record *r;
		const struct ot_field *f;
	} *kv = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (!ot_is_run_fact(r))
			continue;
		for (size_t j = 0; j < r->nfields; j++) {
			bool added;
			size_t *at =
			    ot_map_get(&index, r->fields[j].key, strlen(r->fields[j].key), &added);

			if (added) {
				if (n == cap) {
					cap = cap ? 2 * cap : 16;
					kv = realloc(kv, cap * sizeof(*kv));
					if (!kv)
						abort();
				}
				*at = n++;
			}
			kv[*at].r = r;
			kv[*at].f = &r->fields[j];
		}
	}
	ot_jw_obj_begin(w);
	for (size_t i = 0; i < n; i++) {
		ot_jw_key(w, kv[i].f->key);
		field_value(w, NULL, kv[i].r, kv[i].f);
	}
	ot_jw_obj_end(w);
	free(kv);
	ot_map_free(&index);
}

static void add_facts(struct ot_jw *w, const struct ot_trace *t)
{
	OT_JW_KEY(w, "run_facts");
	run_facts_object(w, t);
	OT_JW_KEY(w, "facts");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nfacts; i++)
		if (ot_is_user_fact(t->facts[i]))
			user_fact_object(w, t->facts[i]);
	ot_jw_arr_end(w);
	OT_JW_KEY(w, "other_facts");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (ot_is_user_fact(r) || ot_is_run_fact(r))
			continue;
		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "line");
		ot_jw_int(w, r->line);
		OT_JW_KEY(w, "fact");
		ot_jw_str(w, r->func ? r->func : "");
		OT_JW_KEY(w, "fields");
		fields_object(w, NULL, r, false);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

/* ot_ptr_event_name's text into an array of SIZE as a string value, without
 * formatting it first (there is one per use of an address). */
static void event_str(struct ot_jw *w, const struct ot_ptr_event *e, size_t size)
{
	static const char *const suffix[] = {[OT_REC_ENTRY] = ".entry", [OT_REC_RET] = ".ret"};
	const char *func = e->func ? e->func : "?";
	const char *sfx = (size_t)e->kind < sizeof(suffix) / sizeof(suffix[0]) && suffix[e->kind]
			      ? suffix[e->kind]
			      : "";
	char ev[256];

	if (strlen(func) + strlen(sfx) < size &&
	    (e->kind == OT_REC_ENTRY || e->kind == OT_REC_RET || e->kind == OT_REC_FACT)) {
		ot_jw_str2(w, func, sfx);
		return;
	}
	ot_ptr_event_name(e, ev, size < sizeof(ev) ? size : sizeof(ev)); /* cut as it cuts */
	ot_jw_str(w, ev);
}

static void chain_object(struct ot_jw *w, const struct ot_ptr_chain *c)
{

	ot_jw_obj_begin(w);
	OT_JW_KEY(w, "value");
	hex_word(w, c->value);
	OT_JW_KEY(w, "links");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < c->nlinks; i++) {
		ot_jw_obj_begin(w);
		OT_JW_KEY(w, "event");
		event_str(w, &c->links[i].ev, 128);
		OT_JW_KEY(w, "field");
		ot_jw_str(w, c->links[i].field);
		OT_JW_KEY(w, "line");
		ot_jw_int(w, c->links[i].ev.line);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	ot_jw_obj_end(w);
}

static void offset_object(struct ot_jw *w, const struct ot_ptr_offset *p)
{
	char ev[160], buf[224];

	ot_jw_obj_begin(w);
	ot_ptr_event_name(&p->inner, ev, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s:%s", ev, p->inner_field);
	OT_JW_KEY(w, "inner");
	ot_jw_str(w, buf);
	ot_ptr_event_name(&p->base, ev, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s:%s", ev, p->base_field);
	OT_JW_KEY(w, "base");
	ot_jw_str(w, buf);
	OT_JW_KEY(w, "diff");
	ot_jw_uint(w, p->diff);
	OT_JW_KEY(w, "prefix");
	ot_jw_str(w, p->prefix);
	OT_JW_KEY(w, "text_agrees");
	ot_jw_bool(w, p->text_agrees);
	OT_JW_KEY(w, "inner_lines");
	lines_array(w, p->inner_lines, p->n);
	OT_JW_KEY(w, "base_lines");
	lines_array(w, p->base_lines, p->n);
	ot_jw_obj_end(w);
}

static void add_pointers(struct ot_jw *w, const struct ot_pointers *p)
{
	OT_JW_KEY(w, "pointer_chains");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < p->nchains; i++)
		chain_object(w, &p->chains[i]);
	ot_jw_arr_end(w);
	OT_JW_KEY(w, "pointer_offsets");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < p->noffsets; i++)
		offset_object(w, &p->offsets[i]);
	ot_jw_arr_end(w);
}

int ot_report_json_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m)
{
	struct ot_jw w;

	ot_jw_init(&w, f);
	ot_jw_set_lines(&w, REPORT_LINES);
	ot_jw_obj_begin(&w);
	add_header(&w, &m->ri, in);
	add_counts(&w, &m->s);
	add_claims(&w, in->claims);
	add_unparsed(&w, in->log);
	int calls_err = add_calls(&w, in->trace, in->kase, m->calls);
	ot_src_json(&w, in);
	add_facts(&w, in->trace);
	add_pointers(&w, &m->p);
	ot_jw_obj_end(&w);
	return ot_jw_finish(&w) || calls_err ? -1 : 0;
}
