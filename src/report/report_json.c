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
#include "report/report_schema.h"
#include "report/runinfo.h"
#include "report/scale.h"
#include "report/srcrender.h"
#include "report/summary.h"
#include "report/tree.h"
#include "trace/decode.h"
#include "util/hashmap.h"

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
		unsigned char kind, fkind, type, show; /* kind 0xff: empty */
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
	    s->fkind == f->kind && s->type == (unsigned char)f->type)
		return (enum ot_show)s->show;
	show = ot_field_show_by(r, f, &by_raw);
	if (!by_raw)
		*s = (struct show_slot){r->func,
					f->key,
					(unsigned char)r->kind,
					f->kind,
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
	OT_RK_WRITE(w, REPORT, CASE);
	ot_jw_str(w, ri->case_id);
	OT_RK_WRITE(w, REPORT, TITLE);
	ot_jw_str(w, ri->title);
	OT_RK_WRITE(w, REPORT, INTENT);
	ot_jw_str(w, in->kase ? in->kase->intent : NULL);
	OT_RK_WRITE(w, REPORT, VERDICT);
	ot_jw_str(w, ot_case_verdict_name(ri->verdict));
	OT_RK_WRITE(w, REPORT, KERNEL);
	ot_jw_str(w, ri->kernel);
	OT_RK_WRITE(w, REPORT, BACKEND);
	ot_jw_str(w, ri->backend);
	OT_RK_WRITE(w, REPORT, TIME);
	ot_jw_str(w, ri->time);
	OT_RK_WRITE(w, REPORT, TIME_FROM_LOG);
	ot_jw_bool(w, ri->time_from_log);
	OT_RK_WRITE(w, REPORT, LOG);
	ot_jw_str(w, in->log->name ? in->log->name : "-");
	OT_RK_WRITE(w, REPORT, LINES);
	ot_jw_int(w, (int64_t)in->log->nlines);
	OT_RK_WRITE(w, REPORT, RECORDS);
	ot_jw_int(w, (int64_t)in->log->nrecs_read);
	OT_RK_WRITE(w, REPORT, LOST);
	ot_jw_uint(w, ri->lost);
	if (ri->missed) { /* probe runs the kernel skipped */
		OT_RK_WRITE(w, REPORT, MISSED);
		ot_jw_uint(w, ri->missed);
	}
	if (ri->filter_path || ri->filter_errors_only) { /* trace --path, --errors-only */
		OT_RK_WRITE(w, REPORT, FILTERS);
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, FILTERS, PATH);
		ot_jw_str(w, ri->filter_path);
		OT_RK_WRITE(w, FILTERS, ERRORS_ONLY);
		ot_jw_bool(w, ri->filter_errors_only);
		OT_RK_WRITE(w, FILTERS, FILTERED_OUT);
		ot_jw_uint(w, ri->filtered_out);
		OT_RK_WRITE(w, FILTERS, KEPT_WHOLE_BUFFER_FULL);
		ot_jw_uint(w, ri->filter_overflows);
		OT_RK_WRITE(w, FILTERS, KEPT_PATH_UNREAD);
		ot_jw_uint(w, ri->filter_path_unread);
		ot_jw_obj_end(w);
	}
	if (ri->detached) { /* trace -p ended by the user */
		OT_RK_WRITE(w, REPORT, DETACHED);
		ot_jw_str(w, ri->detached);
	}
}

static void add_counts(struct ot_jw *w, const struct ot_summary *s)
{
	char key[160];

	OT_RK_WRITE(w, REPORT, COUNTS);
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
	OT_RK_WRITE(w, REPORT, UNPAIRED_CALLS);
	ot_jw_obj_begin(w);
	for (size_t i = 0; i < s->nfuncs; i++) {
		ot_jw_key(w, s->funcs[i].func);
		ot_jw_int(w, (int64_t)s->funcs[i].unpaired);
	}
	ot_jw_obj_end(w);
	OT_RK_WRITE(w, REPORT, RETURNS);
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
	OT_RK_WRITE(w, REPORT, PROBES_NOT_IN_LOG);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < s->nmissing; i++)
		ot_jw_str(w, s->missing[i]);
	ot_jw_arr_end(w);
}

static void add_claims(struct ot_jw *w, const struct ot_claim_set *cs)
{
	OT_RK_WRITE(w, REPORT, CLAIMS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; cs && i < cs->n; i++) {
		const struct ot_claim_result *r = &cs->r[i];

		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, CLAIM, NAME);
		ot_jw_str(w, r->claim ? r->claim : "");
		OT_RK_WRITE(w, CLAIM, VERDICT);
		ot_jw_str(w, ot_verdict_name(r->verdict));
		OT_RK_WRITE(w, CLAIM, EVIDENCE);
		lines_array(w, r->evidence, r->nevidence);
		OT_RK_WRITE(w, CLAIM, DETAIL);
		ot_jw_str(w, r->detail ? r->detail : "");
		OT_RK_WRITE(w, CLAIM, SENTENCE);
		ot_jw_str(w, r->sentence ? r->sentence : "");
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

static void add_unparsed(struct ot_jw *w, const struct ot_log *log)
{
	OT_RK_WRITE(w, REPORT, UNPARSED);
	ot_jw_int(w, (int64_t)log->nunparsed);
	OT_RK_WRITE(w, REPORT, UNPARSED_LINES);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < log->nunparsed; i++) {
		const struct ot_unparsed *u = &log->unparsed[i];

		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, UNPARSED, LINE);
		ot_jw_int(w, u->line);
		OT_RK_WRITE(w, UNPARSED, TEXT);
		ot_jw_str(w, u->text ? u->text : "");
		OT_RK_WRITE(w, UNPARSED, REASON);
		ot_jw_str(w, u->reason ? u->reason : "");
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	OT_RK_WRITE(w, REPORT, INPUT_WARNINGS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < log->nwarnings; i++) {
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, WARNING, LINE);
		ot_jw_int(w, log->warnings[i].line);
		OT_RK_WRITE(w, WARNING, WHAT);
		ot_jw_str(w, log->warnings[i].what);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
}

void ot_json_call_log_lines(struct ot_jw *w, const struct ot_call *c)
{
	OT_RK_WRITE(w, CALL, LINE_ENTRY);
	if (c->entry)
		ot_jw_int(w, c->entry->line);
	else
		ot_jw_null(w);
	OT_RK_WRITE(w, CALL, LINE_RET);
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
	size_t op = ctx->ops && c->index < ctx->t->ncalls ? ctx->ops[c->index] : c->op;
	char text[96];

	ot_jw_obj_begin(w);
	OT_RK_WRITE(w, CALL, FUNC);
	ot_jw_str(w, c->func);
	OT_RK_WRITE(w, CALL, OP);
	if (op)
		ot_jw_int(w, (int64_t)op);
	else
		ot_jw_null(w);
	OT_RK_WRITE(w, CALL, PID);
	ot_jw_int(w, c->pid);
	OT_RK_WRITE(w, CALL, TID);
	ot_jw_int(w, c->tid);
	ot_json_call_log_lines(w, c);
	OT_RK_WRITE(w, CALL, ARGS);
	if (c->entry)
		fields_object(w, ctx->memo, c->entry, false);
	else
		ot_jw_null(w);
	if (c->ret) {
		uint64_t v = c->dec.raw;

		OT_RK_WRITE(w, CALL, RET);
		if (c->dec.cls == OT_RC_UNKNOWN && !ot_rec_u64(c->ret, "ret", &v))
			ot_jw_null(w);
		else
			hex_word(w, v);
		ot_call_ret_text(c, text, sizeof(text));
		OT_RK_WRITE(w, CALL, RET_TEXT);
		ot_jw_str(w, text);
		OT_RK_WRITE(w, CALL, RET_CLASS);
		ot_jw_str(w, ot_ret_class_name(c->dec.cls));
		OT_RK_WRITE(w, CALL, ERRNO);
		ot_jw_str(w, c->dec.cls == OT_RC_ERR ? ot_errno_name(c->dec.err) : NULL);
		OT_RK_WRITE(w, CALL, RET_FIELDS);
		fields_object(w, ctx->memo, c->ret, true);
	} else {
		static const enum ot_rkey none[] = {OT_RK_CALL_RET, OT_RK_CALL_RET_TEXT,
						    OT_RK_CALL_RET_CLASS, OT_RK_CALL_ERRNO,
						    OT_RK_CALL_RET_FIELDS};

		for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
			ot_jw_key_raw(w, ot_report_keys[none[i]].quoted, ot_report_keys[none[i]].qlen);
			ot_jw_null(w);
		}
	}
	OT_RK_WRITE(w, CALL, PAIRED);
	ot_jw_bool(w, ot_call_paired(c));
	if (c->in_flight) { /* cut by trace -p's attach or detach */
		OT_RK_WRITE(w, CALL, IN_FLIGHT);
		ot_jw_str(w, c->in_flight == OT_IN_FLIGHT_AT_ATTACH ? "at_attach" : "at_detach");
	}
	ot_src_json_call(w, ctx->t, c);
	ot_linepath_json_call(w, ctx->t, c, ctx->text);
	OT_RK_WRITE(w, CALL, CHILDREN);
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

void ot_json_call_tree(struct ot_jw *w, const struct ot_trace *t, struct ot_show_memo *memo,
		       struct ot_srctext *text, const struct ot_call *root)
{
	const struct calls_ctx ctx = {t, NULL, memo, text};

	call_tree(w, &ctx, root);
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

	OT_RK_WRITE(w, REPORT, THREADS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct ot_thread *th = &t->threads[i];

		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, THREAD, PID);
		ot_jw_int(w, th->pid);
		OT_RK_WRITE(w, THREAD, TID);
		ot_jw_int(w, th->tid);
		OT_RK_WRITE(w, THREAD, COMM);
		ot_jw_str(w, th->comm);
		OT_RK_WRITE(w, THREAD, ROOTS);
		ot_jw_int(w, (int64_t)th->nroots);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	OT_RK_WRITE(w, REPORT, CALLS);
	ot_jw_arr_begin(w);
	if (spooled)
		err = ot_json_calls_copy(w, spooled);
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
	OT_RK_WRITE(w, REPORT, RUN_FACTS);
	run_facts_object(w, t);
	OT_RK_WRITE(w, REPORT, FACTS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nfacts; i++)
		if (ot_is_user_fact(t->facts[i]))
			user_fact_object(w, t->facts[i]);
	ot_jw_arr_end(w);
	OT_RK_WRITE(w, REPORT, OTHER_FACTS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (ot_is_user_fact(r) || ot_is_run_fact(r))
			continue;
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, OTHER_FACT, LINE);
		ot_jw_int(w, r->line);
		OT_RK_WRITE(w, OTHER_FACT, FACT);
		ot_jw_str(w, r->func ? r->func : "");
		OT_RK_WRITE(w, OTHER_FACT, FIELDS);
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
	OT_RK_WRITE(w, CHAIN, VALUE);
	hex_word(w, c->value);
	OT_RK_WRITE(w, CHAIN, LINKS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < c->nlinks; i++) {
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, LINK, EVENT);
		event_str(w, &c->links[i].ev, 128);
		OT_RK_WRITE(w, LINK, FIELD);
		ot_jw_str(w, c->links[i].field);
		OT_RK_WRITE(w, LINK, LINE);
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
	OT_RK_WRITE(w, OFFSET, INNER);
	ot_jw_str(w, buf);
	ot_ptr_event_name(&p->base, ev, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s:%s", ev, p->base_field);
	OT_RK_WRITE(w, OFFSET, BASE);
	ot_jw_str(w, buf);
	OT_RK_WRITE(w, OFFSET, DIFF);
	ot_jw_uint(w, p->diff);
	OT_RK_WRITE(w, OFFSET, PREFIX);
	ot_jw_str(w, p->prefix);
	OT_RK_WRITE(w, OFFSET, TEXT_AGREES);
	ot_jw_bool(w, p->text_agrees);
	OT_RK_WRITE(w, OFFSET, INNER_LINES);
	lines_array(w, p->inner_lines, p->n);
	OT_RK_WRITE(w, OFFSET, BASE_LINES);
	lines_array(w, p->base_lines, p->n);
	ot_jw_obj_end(w);
}

static void add_pointers(struct ot_jw *w, const struct ot_pointers *p)
{
	OT_RK_WRITE(w, REPORT, POINTER_CHAINS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < p->nchains; i++)
		chain_object(w, &p->chains[i]);
	ot_jw_arr_end(w);
	OT_RK_WRITE(w, REPORT, POINTER_OFFSETS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < p->noffsets; i++)
		offset_object(w, &p->offsets[i]);
	ot_jw_arr_end(w);
}

/* A duration in µs (>= 0) to whole nanoseconds, rounded, for ot_jw_milli. */
static int64_t ns_of_us(double us)
{
	return (int64_t)(us * 1000 + 0.5);
}

/* At scale, what the Markdown shows instead of every call (report/scale.h); the
 * calls themselves are all in "calls". */
static void add_scale(struct ot_jw *w, const struct ot_report_input *in,
		      const struct ot_report_model *m)
{
	const struct ot_trace *t = in->trace;
	struct ot_scale *own = NULL, *sc = m->scale;
	size_t nshapes, nerrors, nops, nlat;

	if (!ot_md_summarises(t)) /* a trace small enough to draw whole, streamed or not */
		return;
	if (!sc) {
		sc = own = ot_scale_new(false);
		for (size_t i = 0; i < t->nthreads; i++)
			for (size_t j = 0; j < t->threads[i].nroots; j++)
				ot_scale_add_op(sc, t, t->threads[i].roots[j]);
	}
	nops = ot_scale_sort(sc, &nshapes, &nerrors);
	nlat = ot_scale_latency_sort(sc);
	OT_RK_WRITE(w, REPORT, SCALE);
	ot_jw_obj_begin(w);
	OT_RK_WRITE(w, SCALE, OPERATIONS);
	ot_jw_uint(w, nops);
	OT_RK_WRITE(w, SCALE, CALLS);
	ot_jw_uint(w, t->stats.calls);
	OT_RK_WRITE(w, SCALE, SHAPES);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < nshapes; i++) {
		struct ot_scale_shape sh;

		ot_scale_shape_at(sc, i, &sh);
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, SHAPE, TEXT);
		ot_jw_str(w, sh.text);
		OT_RK_WRITE(w, SHAPE, COUNT);
		ot_jw_uint(w, sh.count);
		OT_RK_WRITE(w, SHAPE, FIRST_LINE);
		ot_jw_uint(w, sh.first_line);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	OT_RK_WRITE(w, SCALE, LATENCY);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < nlat; i++) {
		struct ot_scale_latency l;

		ot_scale_latency_at(sc, i, &l);
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, LATENCY, FUNC);
		ot_jw_str(w, l.func);
		OT_RK_WRITE(w, LATENCY, CALLS);
		ot_jw_uint(w, l.calls);
		OT_RK_WRITE(w, LATENCY, MIN_US);
		ot_jw_milli(w, ns_of_us(l.min));
		OT_RK_WRITE(w, LATENCY, MEDIAN_US);
		ot_jw_milli(w, ns_of_us(l.median));
		OT_RK_WRITE(w, LATENCY, P99_US);
		ot_jw_milli(w, ns_of_us(l.p99));
		OT_RK_WRITE(w, LATENCY, MAX_US);
		ot_jw_milli(w, ns_of_us(l.max));
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	OT_RK_WRITE(w, SCALE, ERRORS);
	ot_jw_arr_begin(w);
	for (size_t i = 0; i < nerrors; i++) {
		struct ot_scale_error e;

		ot_scale_error_at(sc, i, &e);
		ot_jw_obj_begin(w);
		OT_RK_WRITE(w, SCALE_ERROR, FUNC);
		ot_jw_str(w, e.func);
		OT_RK_WRITE(w, SCALE_ERROR, ERRNO);
		ot_jw_str(w, ot_errno_name(e.err));
		OT_RK_WRITE(w, SCALE_ERROR, VALUE);
		ot_jw_int(w, e.err);
		OT_RK_WRITE(w, SCALE_ERROR, COUNT);
		ot_jw_uint(w, e.count);
		OT_RK_WRITE(w, SCALE_ERROR, FIRST_LINE);
		ot_jw_uint(w, e.first_line);
		ot_jw_obj_end(w);
	}
	ot_jw_arr_end(w);
	ot_jw_obj_end(w);
	ot_scale_free(own);
}

int ot_report_json_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m)
{
	struct ot_jw w;

	ot_jw_init(&w, f);
	ot_jw_set_lines(&w, OT_JSON_REPORT_LINES);
	ot_jw_obj_begin(&w);
	add_header(&w, &m->ri, in);
	add_counts(&w, &m->s);
	add_claims(&w, in->claims);
	add_unparsed(&w, in->log);
	int calls_err = add_calls(&w, in->trace, in->kase, m->calls);
	ot_src_json(&w, in);
	add_facts(&w, in->trace);
	add_pointers(&w, &m->p);
	add_scale(&w, in, m);
	ot_jw_obj_end(&w);
	return ot_jw_finish(&w) || calls_err ? -1 : 0;
}
