// SPDX-License-Identifier: MIT
/* The JSON report: the same content as the Markdown one, for machines. Written
 * as it is produced (report/jsonw.h): memory does not grow with the report, and
 * keys keep their order so that equal runs give equal text. */
#include "report/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/hashmap.h"
#include "report/fields.h"
#include "report/jsonw.h"
#include "report/model.h"
#include "report/pointers.h"
#include "report/runinfo.h"
#include "report/srcinfo.h"
#include "report/summary.h"
#include "report/tree.h"
#include "trace/decode.h"

static void hex_word(struct ot_jw *w, uint64_t v)
{
	ot_jw_hex(w, v);
}

/* Addresses and masks as "0x.." strings (64-bit words do not survive every JSON
 * reader as numbers); signed values as numbers; AT_FDCWD stays -100. */
static void field_value(struct ot_jw *w, const struct ot_record *r, const struct ot_field *f)
{
	uint64_t v = ot_field_word(f);

	switch (ot_field_show(r, f)) {
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
	/* a log's records share one copy of each key (record/arena.h): equal texts are
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
static void field_members(struct ot_jw *w, const struct ot_record *r, bool skip_ret, bool line_at)
{
	for (size_t i = 0; r && i < r->nfields; i++) {
		const struct ot_field *f = last_of_key(r, i);

		if (!f || (skip_ret && strcmp(f->key, "ret") == 0))
			continue;
		ot_jw_key(w, f->key);
		if (line_at && !strcmp(f->key, "line"))
			ot_jw_int(w, r->line);
		else
			field_value(w, r, f);
	}
}

static void fields_object(struct ot_jw *w, const struct ot_record *r, bool skip_ret)
{
	ot_jw_obj_begin(w);
	field_members(w, r, skip_ret, false);
	ot_jw_obj_end(w);
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
	ot_jw_key(w, "case");
	ot_jw_str(w, ri->case_id);
	ot_jw_key(w, "title");
	ot_jw_str(w, ri->title);
	ot_jw_key(w, "intent");
	ot_jw_str(w, in->kase ? in->kase->intent : NULL);
	ot_jw_key(w, "verdict");
	ot_jw_str(w, ri->verdict);
	ot_jw_key(w, "kernel");
	ot_jw_str(w, ri->kernel);
	ot_jw_key(w, "backend");
	ot_jw_str(w, ri->backend);
	ot_jw_key(w, "time");
	ot_jw_str(w, ri->time);
	ot_jw_key(w, "time_from_log");
	ot_jw_bool(w, ri->time_from_log);
	ot_jw_key(w, "log");
	ot_jw_str(w, in->log->name ? in->log->name : "-");
	ot_jw_key(w, "lines");
	ot_jw_int(w, (int64_t)in->log->nlines);
	ot_jw_key(w, "records");
	ot_jw_int(w, (int64_t)in->log->nrecs_read);
	ot_jw_key(w, "lost");
	ot_jw_uint(w, ri->lost);
	if (ri->filter_path || ri->filter_errors_only) { /* trace --path, --errors-only */
		ot_jw_key(w, "filters");
		ot_jw_obj_begin(w);
		ot_jw_key(w, "path");
		ot_jw_str(w, ri->filter_path);
		ot_jw_key(w, "errors_only");
		ot_jw_bool(w, ri->filter_errors_only);
		ot_jw_key(w, "filtered_out");
		ot_jw_uint(w, ri->filtered_out);
		ot_jw_key(w, "kept_whole_buffer_full");
		ot_jw_uint(w, ri->filter_overflows);
		ot_jw_key(w, "kept_path_unread");
		ot_jw_uint(w, ri->filter_path_unread);
		ot_jw_obj_end(w);
	}
	if (ri->detached) { /* trace -p ended by the user */
		ot_jw_key(w, "detached");
		ot_jw_str(w, ri->detached);
	}
}

static void add_counts(struct ot_jw *w, const struct ot_summary *s)
{
	char key[160];

	ot_jw_key(w, "counts");
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
	ot_jw_key(w, "unpaired_calls");
	ot_jw_obj_begin(w);
	for (size_t i = 0; i < s->nfuncs; i++) {
		ot_jw_key(w, s->funcs[i].func);
		ot_jw_int(w, (int64_t)s->funcs[i].unpaired);
	}
	ot_jw_obj_end(w);
	ot_jw_key(w, "returns");
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
	ot_jw_key(w, "probes_not_in_log");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < s->nmissing; i++)
		ot_jw_str(w, s->missing[i]);
	ot_jw_arr_end(w);
}

static void add_claims(struct ot_jw *w, const struct ot_claim_set *cs)
{
	ot_jw_key(w, "claims");
	ot_jw_arr_begin(w);
	for (size_t i = 0; cs && i < cs->n; i++) {
		const struct ot_claim_result *r = &cs->r[i];

		ot_jw_obj_begin(w);
		ot_jw_key(w, "name");
		ot_jw_str(w, r->claim ? r->claim : "");
		ot_jw_key(w, "verdict");
		ot_jw_str(w, ot_verdict_name(r->verdict));
		ot_jw_key(w, "evidence");
		lines_array(w, r->evidence, r->nevidence);
		ot_jw_key(w, "detail");
		ot_jw_str(w, r->detail ? r->detail : "");
		ot_jw_key(w, "sentence");
		ot_jw_str(w, r->sentence ? r->sentence : "");
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

static void add_unparsed(struct ot_jw *w, const struct ot_log *log)
{
	ot_jw_key(w, "unparsed");
	ot_jw_int(w, (int64_t)log->nunparsed);
	ot_jw_key(w, "unparsed_lines");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < log->nunparsed; i++) {
		const struct ot_unparsed *u = &log->unparsed[i];

		ot_jw_obj_begin(w);
		ot_jw_key(w, "line");
		ot_jw_int(w, u->line);
		ot_jw_key(w, "text");
		ot_jw_str(w, u->text ? u->text : "");
		ot_jw_key(w, "reason");
		ot_jw_str(w, u->reason ? u->reason : "");
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	ot_jw_key(w, "input_warnings");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < log->nwarnings; i++) {
		ot_jw_obj_begin(w);
		ot_jw_key(w, "line");
		ot_jw_int(w, log->warnings[i].line);
		ot_jw_key(w, "what");
		ot_jw_str(w, log->warnings[i].what);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

struct calls_ctx {
	const struct ot_trace *t;
	const size_t *ops; /* op#N of each call, see ot_op_numbers */
};

/* A call's members up to its "children" key (the children follow). */
static void call_head(struct ot_jw *w, const struct calls_ctx *ctx, const struct ot_call *c)
{
	size_t op = ctx->ops && c->index < ctx->t->ncalls ? ctx->ops[c->index] : 0;
	char text[96];

	ot_jw_obj_begin(w);
	ot_jw_key(w, "func");
	ot_jw_str(w, c->func);
	ot_jw_key(w, "op");
	if (op)
		ot_jw_int(w, (int64_t)op);
	else
		ot_jw_null(w);
	ot_jw_key(w, "pid");
	ot_jw_int(w, c->pid);
	ot_jw_key(w, "tid");
	ot_jw_int(w, c->tid);
	ot_jw_key(w, "line_entry");
	if (c->entry)
		ot_jw_int(w, c->entry->line);
	else
		ot_jw_null(w);
	ot_jw_key(w, "line_ret");
	if (c->ret)
		ot_jw_int(w, c->ret->line);
	else
		ot_jw_null(w);
	ot_jw_key(w, "args");
	if (c->entry)
		fields_object(w, c->entry, false);
	else
		ot_jw_null(w);
	if (c->ret) {
		uint64_t v = c->dec.raw;

		ot_jw_key(w, "ret");
		if (c->dec.cls == OT_RC_UNKNOWN && !ot_rec_u64(c->ret, "ret", &v))
			ot_jw_null(w);
		else
			hex_word(w, v);
		ot_call_ret_text(c, text, sizeof(text));
		ot_jw_key(w, "ret_text");
		ot_jw_str(w, text);
		ot_jw_key(w, "ret_class");
		ot_jw_str(w, ot_ret_class_name(c->dec.cls));
		ot_jw_key(w, "errno");
		ot_jw_str(w, c->dec.cls == OT_RC_ERR ? ot_errno_name(c->dec.err) : NULL);
		ot_jw_key(w, "ret_fields");
		fields_object(w, c->ret, true);
	} else {
		static const char *const none[] = {"ret", "ret_text", "ret_class", "errno",
						   "ret_fields"};

		for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
			ot_jw_key(w, none[i]);
			ot_jw_null(w);
		}
	}
	ot_jw_key(w, "paired");
	ot_jw_bool(w, ot_call_paired(c));
	if (c->in_flight) { /* cut by trace -p's attach or detach */
		ot_jw_key(w, "in_flight");
		ot_jw_str(w, c->in_flight == OT_IN_FLIGHT_AT_ATTACH ? "at_attach" : "at_detach");
	}
	ot_src_json_call(w, ctx->t, c);
	ot_jw_key(w, "children");
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

struct spooled_op {
	size_t thread, index; /* the operation's thread (its place in trace->threads), root */
	off_t at;
	size_t len;
};

struct ot_json_calls {
	FILE *spool;
	struct ot_jw w; /* as if inside the report's "calls" array */
	struct spooled_op *ops;
	size_t n, cap;
};

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
	setvbuf(jc->spool, NULL, _IOFBF, 1u << 20);
	ot_jw_init_at(&jc->w, jc->spool, 2); /* the report's object, its "calls" array */
	return jc;
}

/* An operation's calls (without op numbers: a streamed trace has no case) written as
 * the report would write them there, each one as if first in the array. */
void ot_json_calls_add_op(struct ot_json_calls *jc, const struct ot_trace *t,
			  const struct ot_call *root)
{
	const struct calls_ctx ctx = {t, NULL};
	off_t at = (off_t)jc->w.written;

	ot_jw_restart_level(&jc->w);
	call_tree(&jc->w, &ctx, root);
	if (jc->n == jc->cap) {
		jc->cap = jc->cap ? 2 * jc->cap : 1024;
		jc->ops = realloc(jc->ops, jc->cap * sizeof(*jc->ops));
		if (!jc->ops)
			abort();
	}
	jc->ops[jc->n++] = (struct spooled_op){ot_trace_thread_index(t, root), root->index, at,
					       (size_t)((off_t)jc->w.written - at)};
}

void ot_json_calls_free(struct ot_json_calls *jc)
{
	if (!jc)
		return;
	if (jc->spool)
		fclose(jc->spool);
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

/* The spooled operations into the open "calls" array, threads and roots in order:
 * each was written as the array's first value, so the others get their comma. */
static int copy_spooled(struct ot_jw *w, struct ot_json_calls *jc)
{
	static char buf[1 << 16];
	int err = 0;

	ot_jw_flush(&jc->w);
	ot_jw_flush(w);
	if (fflush(jc->spool) || ferror(jc->spool))
		return -1;
	qsort(jc->ops, jc->n, sizeof(*jc->ops), cmp_spooled);
	for (size_t i = 0; i < jc->n && !err; i++) {
		size_t left = jc->ops[i].len;
		off_t at = jc->ops[i].at;

		if (i)
			fputc_unlocked(',', w->f);
		/* read exactly the operation (stdio would refill its whole buffer per seek) */
		while (left) {
			ssize_t k = pread(fileno(jc->spool), buf,
					  left < sizeof(buf) ? left : sizeof(buf), at);

			if (k <= 0) { /* the spool could not be read back: the report fails */
				err = -1;
				break;
			}
			fwrite_unlocked(buf, 1, (size_t)k, w->f);
			left -= (size_t)k;
			at += k;
		}
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
	const struct calls_ctx ctx = {t, ops};

	ot_jw_key(w, "threads");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct ot_thread *th = &t->threads[i];

		ot_jw_obj_begin(w);
		ot_jw_key(w, "pid");
		ot_jw_int(w, th->pid);
		ot_jw_key(w, "tid");
		ot_jw_int(w, th->tid);
		ot_jw_key(w, "comm");
		ot_jw_str(w, th->comm);
		ot_jw_key(w, "roots");
		ot_jw_int(w, (int64_t)th->nroots);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	ot_jw_key(w, "calls");
	ot_jw_arr_begin(w);
	if (spooled)
		err = copy_spooled(w, spooled);
	for (size_t i = 0; !spooled && i < t->nthreads; i++)
		for (size_t j = 0; j < t->threads[i].nroots; j++)
			call_tree(w, &ctx, t->threads[i].roots[j]);
	ot_jw_arr_end(w);
	free(ops);
	return err;
}

static void user_fact_object(struct ot_jw *w, const struct ot_record *r)
{
	const char *name = ot_rec_str(r, "errname");
	uint64_t e;

	ot_jw_obj_begin(w);
	field_members(w, r, false, true);
	/* The errno by name even when the trigger only wrote the number. */
	if (!name && ot_rec_u64(r, "errno", &e) && e) {
		ot_jw_key(w, "errname");
		ot_jw_str(w, ot_errno_name((int)e));
	}
	if (!ot_rec_field(r, "line")) {
		ot_jw_key(w, "line");
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
		field_value(w, kv[i].r, kv[i].f);
	}
	ot_jw_obj_end(w);
	free(kv);
	ot_map_free(&index);
}

static void add_facts(struct ot_jw *w, const struct ot_trace *t)
{
	ot_jw_key(w, "run_facts");
	run_facts_object(w, t);
	ot_jw_key(w, "facts");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nfacts; i++)
		if (ot_is_user_fact(t->facts[i]))
			user_fact_object(w, t->facts[i]);
	ot_jw_arr_end(w);
	ot_jw_key(w, "other_facts");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (ot_is_user_fact(r) || ot_is_run_fact(r))
			continue;
		ot_jw_obj_begin(w);
		ot_jw_key(w, "line");
		ot_jw_int(w, r->line);
		ot_jw_key(w, "fact");
		ot_jw_str(w, r->func ? r->func : "");
		ot_jw_key(w, "fields");
		fields_object(w, r, false);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

static void chain_object(struct ot_jw *w, const struct ot_ptr_chain *c)
{
	char ev[128];

	ot_jw_obj_begin(w);
	ot_jw_key(w, "value");
	hex_word(w, c->value);
	ot_jw_key(w, "links");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < c->nlinks; i++) {
		ot_ptr_event_name(&c->links[i].ev, ev, sizeof(ev));
		ot_jw_obj_begin(w);
		ot_jw_key(w, "event");
		ot_jw_str(w, ev);
		ot_jw_key(w, "field");
		ot_jw_str(w, c->links[i].field);
		ot_jw_key(w, "line");
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
	ot_jw_key(w, "inner");
	ot_jw_str(w, buf);
	ot_ptr_event_name(&p->base, ev, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s:%s", ev, p->base_field);
	ot_jw_key(w, "base");
	ot_jw_str(w, buf);
	ot_jw_key(w, "diff");
	ot_jw_uint(w, p->diff);
	ot_jw_key(w, "prefix");
	ot_jw_str(w, p->prefix);
	ot_jw_key(w, "text_agrees");
	ot_jw_bool(w, p->text_agrees);
	ot_jw_key(w, "inner_lines");
	lines_array(w, p->inner_lines, p->n);
	ot_jw_key(w, "base_lines");
	lines_array(w, p->base_lines, p->n);
	ot_jw_obj_end(w);
}

static void add_pointers(struct ot_jw *w, const struct ot_pointers *p)
{
	ot_jw_key(w, "pointer_chains");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < p->nchains; i++)
		chain_object(w, &p->chains[i]);
	ot_jw_arr_end(w);
	ot_jw_key(w, "pointer_offsets");
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < p->noffsets; i++)
		offset_object(w, &p->offsets[i]);
	ot_jw_arr_end(w);
}

int ot_report_json_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m)
{
	struct ot_jw w;

	ot_jw_init(&w, f);
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
