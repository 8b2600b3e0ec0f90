// SPDX-License-Identifier: MIT
/* Reproducers of the analysis at scale: deep nesting (no recursion, linear JSON),
 * a kernel path buffer shared by every open (pointer analysis per operation), and
 * logs whose strings are not valid UTF-8 (the JSON still is). */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claims.h"
#include "record/logparse.h"
#include "report/pointers.h"
#include "report/report.h"
#include "trace/trace.h"

#include "testlib.h"

struct run {
	struct ot_log log;
	struct ot_trace t;
	struct ot_claim_set cs;
};

static void run_begin(struct run *r)
{
	memset(r, 0, sizeof(*r));
	setenv("SOURCE_DATE_EPOCH", "0", 1);
	r->log.name = strdup("scale.log");
}

static void run_build(struct run *r)
{
	ot_trace_build(&r->log, &r->t);
	ot_claims_eval(&r->t, NULL, &r->cs);
}

static void run_free(struct run *r)
{
	ot_claim_set_free(&r->cs);
	ot_trace_free(&r->t);
	ot_log_free(&r->log);
}

/* The JSON report of R in memory (caller frees), its size in *N. */
static char *json_of(struct run *r, size_t *n)
{
	char *text = NULL;
	FILE *m = open_memstream(&text, n);
	struct ot_report_input in = {&r->log, &r->t, NULL, &r->cs};

	if (!m)
		return NULL;
	if (ot_report_json(m, &in)) {
		fclose(m);
		free(text);
		return NULL;
	}
	fclose(m);
	return text;
}

/* Strict JSON, valid UTF-8, nesting up to DEPTH. */
static json_object *parse_strict(const char *text, size_t n, int depth)
{
	struct json_tokener *tok = json_tokener_new_ex(depth);
	json_object *o;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, text, (int)n);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		fprintf(stderr, "  json: %s at %d\n",
			json_tokener_error_desc(json_tokener_get_error(tok)), tok->char_offset);
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/* 7,600 nested entries that never return made a JSON text past 2 GiB (indentation
 * grew with depth) and a crash; it is now valid and linear in size. */
TEST(scale_json_deep_unreturned_nesting_is_valid_and_linear)
{
	struct run r;
	char line[160];
	size_t n = 0;

	run_begin(&r);
	for (int i = 0; i < 7600; i++) {
		snprintf(line, sizeof(line),
			 "[opentrail] %s.entry pid=5 tid=5 comm=\"deep\" dfd=-100",
			 i % 2 ? "path_openat" : "do_filp_open");
		ot_log_add_line(&r.log, line);
	}
	run_build(&r);
	char *text = json_of(&r, &n);
	CHECK(text != NULL);
	CHECK(n < 7600 * 4000); /* ~2.7 kB per call at the capped indentation; was > 2 GiB */
	json_object *o = text ? parse_strict(text, n, 20000) : NULL;
	CHECK(o != NULL);
	json_object *calls = NULL;
	CHECK(o && json_object_object_get_ex(o, "calls", &calls));
	CHECK_INT(calls ? json_object_array_length(calls) : 0, 1);
	json_object_put(o);
	free(text);
	run_free(&r);
}

/* 200,000 nested entries: pairing, op[F] scopes (which walk a whole operation),
 * and both reports run without recursion (they overflowed the stack). */
TEST(scale_200000_nested_entries)
{
	struct run r;
	struct ot_claim_result res;
	FILE *null = fopen("/dev/null", "w");

	run_begin(&r);
	ot_log_add_line(&r.log, "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"deep\"");
	for (int i = 0; i < 199998; i++)
		ot_log_add_line(&r.log, "[opentrail] path_openat.entry pid=5 tid=5 comm=\"deep\"");
	ot_log_add_line(&r.log, "[opentrail] __d_alloc.entry pid=5 tid=5 comm=\"deep\"");
	run_build(&r);
	CHECK_INT(r.t.ncalls, 200000);
	CHECK_INT(r.t.calls[199999]->depth, 199999);
	CHECK(ot_call_within(r.t.calls[199999], r.t.calls[0]));
	CHECK(!ot_call_within(r.t.calls[0], r.t.calls[1]));
	ot_claim_eval_one(&r.t, "do_filp_open", "count __d_alloc@op[__d_alloc]#1 == 1", &res);
	CHECK_INT(res.verdict, OT_PASS);
	ot_claim_result_free(&res);
	struct ot_report_input in = {&r.log, &r.t, NULL, &r.cs};
	CHECK(null && ot_report_json(null, &in) == 0);
	CHECK(null && ot_report_markdown(null, &in) == 0);
	if (null)
		fclose(null);
	run_free(&r);
}

/* Every open reuses one kernel path buffer: the basename offset is found once per
 * operation (base and name from the same open), not for every pair of opens. */
TEST(scale_shared_path_buffer_offsets_per_operation)
{
	struct run r;
	struct ot_pointers p;
	char line[256];
	const int opens = 2000;

	run_begin(&r);
	for (int i = 0; i < opens; i++) {
		snprintf(line, sizeof(line),
			 "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"o\" dfd=-100 "
			 "name_ptr=ffff888004a5c000 name=\"/d/f%d\"",
			 i);
		ot_log_add_line(&r.log, line);
		snprintf(line, sizeof(line),
			 "[opentrail] __d_alloc.entry pid=5 tid=5 comm=\"o\" "
			 "name_ptr=ffff888004a5c003 len=2 name=\"f%d\"",
			 i);
		ot_log_add_line(&r.log, line);
		ot_log_add_line(&r.log, "[opentrail] __d_alloc.ret pid=5 tid=5 comm=\"o\" "
					"ret=0000000000000000");
		ot_log_add_line(&r.log, "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"o\" "
					"ret=fffffffffffffffe");
	}
	run_build(&r);
	CHECK(ot_pointers_find(&r.log, &p) == 0);
	CHECK_INT(p.noffsets, 1);
	if (p.noffsets == 1) {
		const struct ot_ptr_offset *o = &p.offsets[0];
		bool same_op = true;

		CHECK_INT(o->diff, 3);
		CHECK_STR(o->prefix, "/d/");
		CHECK(o->text_agrees);
		CHECK_INT(o->n, opens);
		for (size_t i = 0; i < o->n; i++)
			same_op &= o->inner_lines[i] == o->base_lines[i] + 1 &&
				   (i == 0 || o->inner_lines[i] > o->inner_lines[i - 1]);
		CHECK(same_op);
	}
	ot_pointers_free(&p);
	run_free(&r);
}

/* Bytes that are not UTF-8, control bytes and an escaped NUL: the JSON is valid
 * UTF-8 and shows each of them. */
TEST(scale_json_invalid_utf8_is_escaped_visibly)
{
	struct run r;
	size_t n = 0;

	run_begin(&r);
	ot_log_add_line(&r.log, "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"c\\xc3\\x28\" "
				"dfd=-100 name=\"a\\xffb\\x01c\\x00d\\xe2\\x82\\xac\"");
	ot_log_add_line(&r.log, "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"c\" "
				"ret=fffffffffffffffe bad=\xfe\xff");
	run_build(&r);
	char *text = json_of(&r, &n);
	json_object *o = text ? parse_strict(text, n, 64) : NULL;
	CHECK(o != NULL);
	json_object *calls, *call, *args, *name, *comm, *th;
	if (o && json_object_object_get_ex(o, "calls", &calls) &&
	    (call = json_object_array_get_idx(calls, 0)) &&
	    json_object_object_get_ex(call, "args", &args) &&
	    json_object_object_get_ex(args, "name", &name)) {
		/* the parser keeps the control byte escaped too, as it keeps NUL */
		CHECK_STR(json_object_get_string(name), "a\\xffb\\x01c\\x00d\xe2\x82\xac");
	} else {
		CHECK(!"no calls[0].args.name");
	}
	if (o && json_object_object_get_ex(o, "threads", &th) &&
	    json_object_object_get_ex(json_object_array_get_idx(th, 0), "comm", &comm))
		CHECK_STR(json_object_get_string(comm), "c\\xc3(");
	else
		CHECK(!"no threads[0].comm");
	json_object_put(o);
	free(text);
	run_free(&r);
}
