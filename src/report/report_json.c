// SPDX-License-Identifier: MIT
/* The JSON report: the same content as the Markdown one, for machines. Built
 * with json-c; keys keep insertion order so that equal runs give equal text. */
#include "report/report.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "report/fields.h"
#include "report/model.h"
#include "report/pointers.h"
#include "report/runinfo.h"
#include "report/srcinfo.h"
#include "report/summary.h"
#include "report/tree.h"
#include "trace/decode.h"

#define JSON_FLAGS                                                                                 \
	(JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *hex_word(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return json_object_new_string(buf);
}

/* Addresses and masks as "0x.." strings (64-bit words do not survive every JSON
 * reader as numbers); signed values as numbers; AT_FDCWD stays -100. */
static json_object *field_value(const struct ot_record *r, const struct ot_field *f)
{
	uint64_t w = ot_field_word(f);

	switch (ot_field_show(r, f)) {
	case OT_SHOW_PTR:
	case OT_SHOW_HEX:
		return hex_word(w);
	case OT_SHOW_DFD:
		return json_object_new_int64(ot_as_int32(w));
	case OT_SHOW_INT:
		return json_object_new_int64((int64_t)w);
	case OT_SHOW_UINT:
		return json_object_new_uint64(w);
	case OT_SHOW_STR:
		break;
	}
	return json_object_new_string(ot_field_text(f));
}

static json_object *fields_object(const struct ot_record *r, bool skip_ret)
{
	json_object *o = json_object_new_object();

	for (size_t i = 0; r && i < r->nfields; i++) {
		if (skip_ret && strcmp(r->fields[i].key, "ret") == 0)
			continue;
		json_object_object_add(o, r->fields[i].key, field_value(r, &r->fields[i]));
	}
	return o;
}

static json_object *lines_array(const unsigned *lines, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int64(lines[i]));
	return a;
}

static void add_header(json_object *root, const struct ot_run_info *ri,
		       const struct ot_report_input *in)
{
	json_object_object_add(root, "case", str_or_null(ri->case_id));
	json_object_object_add(root, "title", json_object_new_string(ri->title));
	json_object_object_add(root, "intent", str_or_null(in->kase ? in->kase->intent : NULL));
	json_object_object_add(root, "verdict", json_object_new_string(ri->verdict));
	json_object_object_add(root, "kernel", json_object_new_string(ri->kernel));
	json_object_object_add(root, "backend", json_object_new_string(ri->backend));
	json_object_object_add(root, "time", json_object_new_string(ri->time));
	json_object_object_add(root, "time_from_log", json_object_new_boolean(ri->time_from_log));
	json_object_object_add(root, "log",
			       json_object_new_string(in->log->name ? in->log->name : "-"));
	json_object_object_add(root, "lines", json_object_new_int64((int64_t)in->log->nlines));
	json_object_object_add(root, "records", json_object_new_int64((int64_t)in->log->nrecs));
	json_object_object_add(root, "lost", json_object_new_uint64(ri->lost));
}

static void add_counts(json_object *root, const struct ot_summary *s)
{
	json_object *counts = json_object_new_object();
	json_object *unpaired = json_object_new_object();
	json_object *returns = json_object_new_object();
	char key[160];

	for (size_t i = 0; i < s->nfuncs; i++) {
		const struct ot_func_summary *fs = &s->funcs[i];
		json_object *vals = json_object_new_object();

		snprintf(key, sizeof(key), "%s.entry", fs->func);
		json_object_object_add(counts, key, json_object_new_int64((int64_t)fs->entries));
		snprintf(key, sizeof(key), "%s.ret", fs->func);
		json_object_object_add(counts, key, json_object_new_int64((int64_t)fs->rets));
		json_object_object_add(unpaired, fs->func,
				       json_object_new_int64((int64_t)fs->unpaired));
		for (size_t j = 0; j < fs->nvalues; j++)
			json_object_object_add(vals, fs->values[j].text,
					       json_object_new_int64((int64_t)fs->values[j].n));
		json_object_object_add(returns, fs->func, vals);
	}
	json_object_object_add(root, "counts", counts);
	json_object_object_add(root, "unpaired_calls", unpaired);
	json_object_object_add(root, "returns", returns);
	json_object *missing = json_object_new_array();

	for (size_t i = 0; i < s->nmissing; i++)
		json_object_array_add(missing, json_object_new_string(s->missing[i]));
	json_object_object_add(root, "probes_not_in_log", missing);
}

static void add_claims(json_object *root, const struct ot_claim_set *cs)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; cs && i < cs->n; i++) {
		const struct ot_claim_result *r = &cs->r[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "name", json_object_new_string(r->claim ? r->claim : ""));
		json_object_object_add(o, "verdict",
				       json_object_new_string(ot_verdict_name(r->verdict)));
		json_object_object_add(o, "evidence", lines_array(r->evidence, r->nevidence));
		json_object_object_add(o, "detail",
				       json_object_new_string(r->detail ? r->detail : ""));
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "claims", a);
}

static void add_unparsed(json_object *root, const struct ot_log *log)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < log->nunparsed; i++) {
		const struct ot_unparsed *u = &log->unparsed[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "line", json_object_new_int64(u->line));
		json_object_object_add(o, "text", json_object_new_string(u->text ? u->text : ""));
		json_object_object_add(o, "reason",
				       json_object_new_string(u->reason ? u->reason : ""));
		json_object_array_add(a, o);
	}
	json_object_object_add(root, "unparsed", json_object_new_int64((int64_t)log->nunparsed));
	json_object_object_add(root, "unparsed_lines", a);
}

struct calls_ctx {
	const struct ot_trace *t;
	const size_t *ops; /* op#N of each call, see ot_op_numbers */
};

static json_object *call_object(const struct calls_ctx *ctx, const struct ot_call *c)
{
	json_object *o = json_object_new_object();
	json_object *kids = json_object_new_array();
	size_t op = ctx->ops && c->index < ctx->t->ncalls ? ctx->ops[c->index] : 0;
	char text[96];

	json_object_object_add(o, "func", json_object_new_string(c->func));
	json_object_object_add(o, "op", op ? json_object_new_int64((int64_t)op) : NULL);
	json_object_object_add(o, "pid", json_object_new_int64(c->pid));
	json_object_object_add(o, "tid", json_object_new_int64(c->tid));
	json_object_object_add(o, "line_entry",
			       c->entry ? json_object_new_int64(c->entry->line) : NULL);
	json_object_object_add(o, "line_ret", c->ret ? json_object_new_int64(c->ret->line) : NULL);
	json_object_object_add(o, "args", c->entry ? fields_object(c->entry, false) : NULL);
	if (c->ret) {
		uint64_t w = c->dec.raw;

		if (c->dec.cls == OT_RC_UNKNOWN && !ot_rec_u64(c->ret, "ret", &w))
			json_object_object_add(o, "ret", NULL);
		else
			json_object_object_add(o, "ret", hex_word(w));
		ot_call_ret_text(c, text, sizeof(text));
		json_object_object_add(o, "ret_text", json_object_new_string(text));
		json_object_object_add(o, "ret_class",
				       json_object_new_string(ot_ret_class_name(c->dec.cls)));
		json_object_object_add(
		    o, "errno",
		    c->dec.cls == OT_RC_ERR ? str_or_null(ot_errno_name(c->dec.err)) : NULL);
		json_object_object_add(o, "ret_fields", fields_object(c->ret, true));
	} else {
		json_object_object_add(o, "ret", NULL);
		json_object_object_add(o, "ret_text", NULL);
		json_object_object_add(o, "ret_class", NULL);
		json_object_object_add(o, "errno", NULL);
		json_object_object_add(o, "ret_fields", NULL);
	}
	json_object_object_add(o, "paired", json_object_new_boolean(ot_call_paired(c)));
	ot_src_json_call(o, ctx->t, c);
	for (size_t i = 0; i < c->nkids; i++)
		json_object_array_add(kids, call_object(ctx, c->kids[i]));
	json_object_object_add(o, "children", kids);
	return o;
}

static void add_calls(json_object *root, const struct ot_trace *t, const struct ot_case *kase)
{
	size_t *ops = ot_op_numbers(t, kase ? kase->anchor : NULL);
	const struct calls_ctx ctx = {t, ops};
	json_object *threads = json_object_new_array();
	json_object *calls = json_object_new_array();

	for (size_t i = 0; i < t->nthreads; i++) {
		const struct ot_thread *th = &t->threads[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "pid", json_object_new_int64(th->pid));
		json_object_object_add(o, "tid", json_object_new_int64(th->tid));
		json_object_object_add(o, "comm", str_or_null(th->comm));
		json_object_object_add(o, "roots", json_object_new_int64((int64_t)th->nroots));
		json_object_array_add(threads, o);
		for (size_t j = 0; j < th->nroots; j++)
			json_object_array_add(calls, call_object(&ctx, th->roots[j]));
	}
	json_object_object_add(root, "threads", threads);
	json_object_object_add(root, "calls", calls);
	free(ops);
}

static json_object *fact_object(const struct ot_record *r)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "line", json_object_new_int64(r->line));
	json_object_object_add(o, "fact", json_object_new_string(r->func ? r->func : ""));
	json_object_object_add(o, "fields", fields_object(r, false));
	return o;
}

static void add_facts(json_object *root, const struct ot_trace *t)
{
	json_object *user = json_object_new_array();
	json_object *run = json_object_new_object();
	json_object *other = json_object_new_array();

	for (size_t i = 0; i < t->nfacts; i++) {
		const struct ot_record *r = t->facts[i];

		if (ot_is_user_fact(r)) {
			json_object *o = fields_object(r, false);
			const char *name = ot_rec_str(r, "errname");
			uint64_t e;

			/* The errno by name even when the trigger only wrote the number. */
			if (!name && ot_rec_u64(r, "errno", &e) && e)
				json_object_object_add(o, "errname",
						       str_or_null(ot_errno_name((int)e)));
			json_object_object_add(o, "line", json_object_new_int64(r->line));
			json_object_array_add(user, o);
		} else if (ot_is_run_fact(r)) {
			for (size_t j = 0; j < r->nfields; j++)
				json_object_object_add(run, r->fields[j].key,
						       field_value(r, &r->fields[j]));
		} else {
			json_object_array_add(other, fact_object(r));
		}
	}
	json_object_object_add(root, "run_facts", run);
	json_object_object_add(root, "facts", user);
	json_object_object_add(root, "other_facts", other);
}

static json_object *chain_object(const struct ot_ptr_chain *c)
{
	json_object *o = json_object_new_object();
	json_object *links = json_object_new_array();
	char ev[128];

	json_object_object_add(o, "value", hex_word(c->value));
	for (size_t i = 0; i < c->nlinks; i++) {
		json_object *l = json_object_new_object();

		ot_record_event(c->links[i].rec, ev, sizeof(ev));
		json_object_object_add(l, "event", json_object_new_string(ev));
		json_object_object_add(l, "field", json_object_new_string(c->links[i].field));
		json_object_object_add(l, "line", json_object_new_int64(c->links[i].rec->line));
		json_object_array_add(links, l);
	}
	json_object_object_add(o, "links", links);
	return o;
}

static json_object *offset_object(const struct ot_ptr_offset *p)
{
	json_object *o = json_object_new_object();
	char ev[160], buf[224];

	ot_record_event(p->inner, ev, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s:%s", ev, p->inner_field);
	json_object_object_add(o, "inner", json_object_new_string(buf));
	ot_record_event(p->base, ev, sizeof(ev));
	snprintf(buf, sizeof(buf), "%s:%s", ev, p->base_field);
	json_object_object_add(o, "base", json_object_new_string(buf));
	json_object_object_add(o, "diff", json_object_new_uint64(p->diff));
	json_object_object_add(o, "prefix", json_object_new_string(p->prefix));
	json_object_object_add(o, "text_agrees", json_object_new_boolean(p->text_agrees));
	json_object_object_add(o, "inner_lines", lines_array(p->inner_lines, p->n));
	json_object_object_add(o, "base_lines", lines_array(p->base_lines, p->n));
	return o;
}

static void add_pointers(json_object *root, const struct ot_pointers *p)
{
	json_object *chains = json_object_new_array();
	json_object *offsets = json_object_new_array();

	for (size_t i = 0; i < p->nchains; i++)
		json_object_array_add(chains, chain_object(&p->chains[i]));
	for (size_t i = 0; i < p->noffsets; i++)
		json_object_array_add(offsets, offset_object(&p->offsets[i]));
	json_object_object_add(root, "pointer_chains", chains);
	json_object_object_add(root, "pointer_offsets", offsets);
}

int ot_report_json_with(FILE *f, const struct ot_report_input *in, const struct ot_report_model *m)
{
	json_object *root;
	int rc = 0;

	root = json_object_new_object();
	add_header(root, &m->ri, in);
	add_counts(root, &m->s);
	add_claims(root, in->claims);
	add_unparsed(root, in->log);
	add_calls(root, in->trace, in->kase);
	ot_src_json(root, in);
	add_facts(root, in->trace);
	add_pointers(root, &m->p);
	if (fputs(json_object_to_json_string_ext(root, JSON_FLAGS), f) == EOF ||
	    fputc('\n', f) == EOF)
		rc = -1;
	json_object_put(root);
	return rc || ferror(f) ? -1 : 0;
}
