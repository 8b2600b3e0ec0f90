// SPDX-License-Identifier: MIT
/* Reproducers of the analysis at scale: deep nesting (no recursion, linear JSON),
 * a kernel path buffer shared by every open (pointer analysis per operation), and
 * logs whose strings are not valid UTF-8 (the JSON still is). */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "claims/claims.h"
#include "record/logparse.h"
#include "report/pointers.h"
#include "report/model.h"
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

/* A log for the streamed path: three threads' operations interleaved line by line, a
 * miss now and then, a deeper odd one, a return without its entry inside an open
 * operation, the trigger's facts, prose and a bad line, and an operation still open
 * at the end. */
static void write_interleaved_log(FILE *f, int nops)
{
	char lines[3][12][256];
	int n[3] = {0}, at[3] = {0};

	fprintf(f, "[opentrail] run.fact kernel=\"6.1.0-test\" backend=\"bpf\" "
		   "probes=\"do_sys_openat2,do_filp_open,path_openat,__d_lookup_rcu\" lost=0\n");
	for (int op = 0; op < nops || n[0] + n[1] + n[2] > at[0] + at[1] + at[2];) {
		for (int th = 0; th < 3; th++) {
			if (at[th] == n[th] && op < nops) { /* the thread's next operation */
				const char *h = th == 0	  ? "pid=7 tid=70 comm=\"a\""
						: th == 1 ? "pid=7 tid=71 comm=\"b\""
							  : "pid=8 tid=80 comm=\"c\"";
				bool miss = op % 7 == 3, deep = op % 97 == 50,
				     last = op >= nops - 3;
				unsigned long long buf = 0xffff888000100000ull + 0x1000ull * th;
				int k = 0;

				snprintf(lines[th][k++], 256,
					 "[opentrail] do_sys_openat2.entry %s ts=%d dfd=-100 "
					 "path=\"/d/f%d\" flags=0x0",
					 h, 1000 * op, op % 5);
				snprintf(lines[th][k++], 256,
					 "[opentrail] do_filp_open.entry %s ts=%d dfd=-100 "
					 "name_ptr=%016llx name=\"/d/f%d\"",
					 h, 1000 * op + 10, buf, op % 5);
				if (deep)
					snprintf(lines[th][k++], 256,
						 "[opentrail] path_openat.entry %s flags=0x41", h);
				snprintf(
				    lines[th][k++], 256,
				    "[opentrail] __d_lookup_rcu.entry %s ts=%d name_ptr=%016llx "
				    "name=\"f%d\"",
				    h, 1000 * op + 20, buf + 3, op % 5);
				if (op == 11)
					snprintf(lines[th][k++], 256,
						 "[opentrail] d_alloc_parallel.ret %s ret=0", h);
				snprintf(lines[th][k++], 256,
					 "[opentrail] __d_lookup_rcu.ret %s ts=%d ret=%s", h,
					 1000 * op + 30 + op % 4,
					 miss ? "0000000000000000" : "ffff888003a01000");
				if (op == 13)
					snprintf(lines[th][k++], 256,
						 "some prose [not a trace line");
				if (op == 17)
					snprintf(
					    lines[th][k++], 256,
					    "[opentrail] do_filp_open.ret %s ret=\"unterminated",
					    h);
				if (deep)
					snprintf(
					    lines[th][k++], 256,
					    "[opentrail] path_openat.ret %s ret=fffffffffffffffe",
					    h);
				if (!last || th != 2) {
					snprintf(lines[th][k++], 256,
						 "[opentrail] do_filp_open.ret %s ts=%d ret=%s", h,
						 1000 * op + 50,
						 miss ? "fffffffffffffffe" : "ffff888004001000");
					snprintf(lines[th][k++], 256,
						 "[opentrail] do_sys_openat2.ret %s ts=%d ret=%s",
						 h, 1000 * op + 60,
						 miss ? "fffffffffffffffe" : "0000000000000003");
					snprintf(lines[th][k++], 256,
						 "[opentrail] user.fact %s seq=%d call=\"open\" "
						 "path=\"/d/f%d\" ret=%d errno=%d",
						 h, op + 1, op % 5, miss ? -1 : 3, miss ? 2 : 0);
				}
				n[th] = k;
				at[th] = 0;
				op++;
			}
			if (at[th] < n[th])
				fprintf(f, "%s\n", lines[th][at[th]++]);
		}
	}
}

static bool stream_after(const struct ot_log *log, void *arg)
{
	return log->nlines >= *(size_t *)arg;
}

/* Both reports of PATH, whole or streamed after SWITCH_AT lines. */
static void reports_of(int *ot_failed_, const char *path, size_t switch_at, char **md, char **json)
{
	struct ot_log log;
	struct ot_trace t;
	struct ot_claim_set cs;
	struct ot_report_stream *rs;
	struct ot_report_model *m;
	size_t n;
	FILE *f;

	struct ot_read_plan plan = {switch_at ? stream_after : NULL, NULL, &switch_at};

	CHECK(ot_report_read_log(path, 3, &plan, &log, &t, &rs) == 0);
	CHECK(t.streamed == (switch_at != 0) && (rs != NULL) == (switch_at != 0));
	ot_claims_eval(&t, NULL, &cs);
	struct ot_report_input in = {&log, &t, NULL, &cs};
	m = rs ? ot_report_stream_model(rs, &in) : ot_report_model_build(&in);
	CHECK(m != NULL);
	f = open_memstream(md, &n);
	CHECK(f && ot_report_markdown_with(f, &in, m) == 0);
	fclose(f);
	f = open_memstream(json, &n);
	CHECK(f && ot_report_json_with(f, &in, m) == 0);
	fclose(f);
	ot_report_model_free(m);
	ot_claim_set_free(&cs);
	ot_trace_free(&t);
	ot_log_free(&log);
}

/* The streamed path releases every operation as it completes; its reports must be
 * the whole trace's, byte for byte. At scale (more calls than a report draws) both
 * reports; below it the JSON (the Markdown of a small log draws the whole tree). */
TEST(scale_streamed_reports_equal_whole_reports)
{
	static const struct {
		int nops;
		size_t switch_at;
		bool md;
	} runs[] = {{450, 5, true}, {450, 2500, true}, {40, 30, false}};
	char path[] = "/tmp/ot_stream_XXXXXX";
	int fd = mkstemp(path);
	struct run r;

	CHECK(fd >= 0);
	run_begin(&r); /* SOURCE_DATE_EPOCH */
	run_free(&r);
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		FILE *f = fopen(path, "w");
		char *md_w, *json_w, *md_s, *json_s;

		CHECK(f != NULL);
		write_interleaved_log(f, runs[i].nops);
		fclose(f);
		reports_of(ot_failed_, path, 0, &md_w, &json_w);
		reports_of(ot_failed_, path, runs[i].switch_at, &md_s, &json_s);
		CHECK(strcmp(json_w, json_s) == 0);
		if (runs[i].md) {
			CHECK(strstr(md_w, "## Call shapes") && strstr(md_w, "### The odd ones"));
			CHECK(strcmp(md_w, md_s) == 0);
		}
		free(md_w);
		free(json_w);
		free(md_s);
		free(json_s);
	}
	close(fd);
	unlink(path);
}
