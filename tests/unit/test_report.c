// SPDX-License-Identifier: MIT
/* The reports: the seeds' logs against golden Markdown and JSON, and focused
 * checks of what a reader must be able to find (unpaired calls, errno names,
 * pointer chains, address subtractions, the numbers of the JSON). */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cases/catalogue.h"
#include "claims/claims.h"
#include "record/logparse.h"
#include "report/report.h"
#include "report/report_text.h"
#include "trace/trace.h"

#include "testlib.h"

#define GOLDEN(name) ("tests/golden/" name)

struct built {
	struct ot_log log;
	struct ot_trace trace;
	struct ot_claim_set claims;
	const struct ot_case *kase;
	bool ok;
};

/* Reports carry the analysis time when the log has none; pin it. */
static void pin_time(void)
{
	setenv("SOURCE_DATE_EPOCH", "0", 1);
}

static void build_from_log(struct built *b, const char *case_id)
{
	b->kase = case_id ? ot_case_find(case_id) : NULL;
	b->ok = ot_trace_build(&b->log, &b->trace) == 0 &&
		ot_claims_eval(&b->trace, b->kase, &b->claims) == 0;
}

static void build_file(struct built *b, const char *path, const char *case_id)
{
	memset(b, 0, sizeof(*b));
	pin_time();
	if (ot_log_read_file(path, &b->log) == 0)
		build_from_log(b, case_id);
}

static void build_text(struct built *b, const char *text, const char *case_id)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");

	memset(b, 0, sizeof(*b));
	pin_time();
	if (f && ot_log_read_stream(f, "test.log", &b->log) == 0)
		build_from_log(b, case_id);
	if (f)
		fclose(f);
}

static void built_free(struct built *b)
{
	if (!b->ok)
		return;
	ot_claim_set_free(&b->claims);
	ot_trace_free(&b->trace);
	ot_log_free(&b->log);
}

/* The report as a string (caller frees), or NULL if writing it failed. */
static char *render(struct built *b, int (*fn)(FILE *, const struct ot_report_input *))
{
	struct ot_report_input in = {&b->log, &b->trace, b->kase, &b->claims};
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	int rc;

	if (!m)
		return NULL;
	rc = fn(m, &in);
	fclose(m);
	if (rc) {
		free(text);
		return NULL;
	}
	return text;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	char buf[4096];

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *t = realloc(text, cap);
			if (!t)
				break;
			text = t;
		}
		memcpy(text + len, buf, n);
		len += n;
	}
	fclose(f);
	if (text)
		text[len] = '\0';
	return text;
}

/* OT_UPDATE_GOLDEN=1 rewrites the golden instead of comparing (tests/golden/update.sh). */
static bool matches_golden(const char *text, const char *golden)
{
	const char *update = getenv("OT_UPDATE_GOLDEN");
	char *want;
	bool same;

	if (!text)
		return false;
	if (update && strcmp(update, "1") == 0) {
		FILE *f = fopen(golden, "w");

		if (!f)
			return false;
		fputs(text, f);
		return fclose(f) == 0;
	}
	want = slurp(golden);
	same = want && strcmp(want, text) == 0;
	if (!same)
		fprintf(stderr,
			"  %s differs (regenerate with tests/golden/update.sh if intended)\n",
			golden);
	free(want);
	return same;
}

static void check_golden(int *ot_failed_, const char *fixture, const char *case_id,
			 const char *golden, int (*fn)(FILE *, const struct ot_report_input *))
{
	struct built b;
	char *text;

	build_file(&b, fixture, case_id);
	CHECK(b.ok);
	if (!b.ok)
		return;
	text = render(&b, fn);
	CHECK(matches_golden(text, golden));
	free(text);
	built_free(&b);
}

TEST(report_golden_seed000_md)
{
	check_golden(ot_failed_, FIXTURE("seed000_case7.log"), "case7_symlink_fast",
		     GOLDEN("seed000_case7.md"), ot_report_markdown);
}

TEST(report_golden_seed000_json)
{
	check_golden(ot_failed_, FIXTURE("seed000_case7.log"), "case7_symlink_fast",
		     GOLDEN("seed000_case7.json"), ot_report_json);
}

TEST(report_golden_seed001_md)
{
	check_golden(ot_failed_, FIXTURE("seed001_case17.log"), "case17_missing_file",
		     GOLDEN("seed001_case17.md"), ot_report_markdown);
}

TEST(report_golden_seed001_json)
{
	check_golden(ot_failed_, FIXTURE("seed001_case17.log"), "case17_missing_file",
		     GOLDEN("seed001_case17.json"), ot_report_json);
}

TEST(report_golden_seed001_replay_md)
{
	check_golden(ot_failed_, FIXTURE("seed001_c17_replay.log"), NULL,
		     GOLDEN("seed001_c17_replay.md"), ot_report_markdown);
}

static json_object *path_get(json_object *o, const char *a, const char *b)
{
	json_object *x = NULL, *y = NULL;

	if (!json_object_object_get_ex(o, a, &x))
		return NULL;
	if (!b)
		return x;
	return json_object_object_get_ex(x, b, &y) ? y : NULL;
}

TEST(report_json_seed000_numbers)
{
	static const char *const keys[] = {"case",    "title",	  "verdict",	    "kernel",
					   "backend", "log",	  "counts",	    "returns",
					   "claims",  "unparsed", "unparsed_lines", "lost",
					   "calls",   "facts",	  "pointer_chains"};
	struct built b;
	json_object *root, *rets, *claims;
	char *text;

	build_file(&b, FIXTURE("seed000_case7.log"), "case7_symlink_fast");
	CHECK(b.ok);
	if (!b.ok)
		return;
	text = render(&b, ot_report_json);
	root = text ? json_tokener_parse(text) : NULL;
	CHECK(root != NULL);
	if (root) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!json_object_object_get_ex(root, keys[i], NULL)) {
				fprintf(stderr, "  missing key %s\n", keys[i]);
				CHECK(false);
			}
		CHECK_STR(json_object_get_string(path_get(root, "case", NULL)),
			  "case7_symlink_fast");
		CHECK_INT(json_object_get_int(path_get(root, "counts", "do_filp_open.entry")), 9);
		CHECK_INT(json_object_get_int(path_get(root, "counts", "do_filp_open.ret")), 9);
		rets = path_get(root, "returns", "do_filp_open");
		CHECK_INT(json_object_get_int(path_get(rets, "ERR_PTR(-ENOENT)", NULL)), 7);
		CHECK_INT(json_object_get_int(path_get(rets, "ok", NULL)), 2);
		CHECK_INT(json_object_object_length(rets), 2);
		CHECK_STR(json_object_get_string(path_get(root, "kernel", NULL)),
			  "unknown (offline log)");
		CHECK_INT(json_object_get_int(path_get(root, "lost", NULL)), 0);
		CHECK_INT(json_object_array_length(path_get(root, "calls", NULL)), 9);
		claims = path_get(root, "claims", NULL);
		CHECK(json_object_array_length(claims) >= 2);
		CHECK_STR(json_object_get_string(
			      path_get(json_object_array_get_idx(claims, 0), "name", NULL)),
			  "pairs");
		json_object_put(root);
	}
	free(text);
	built_free(&b);
}

/* A log of opentrail's own format: an open of /tmp/t_e.txt that allocates a
 * dentry for "t_e.txt", hashes it and returns it. */
static const char own_log[] =
    "[opentrail] run.fact kernel=\"6.1.0-test\" backend=\"bpf\" lost=3\n"
    "[opentrail] do_filp_open.entry pid=7 tid=8 comm=\"t<x>\" dfd=-100 "
    "name_ptr=ffff888000001000 name=\"/tmp/t_e.txt\" open_flag=0x8000\n"
    "[opentrail] __d_alloc.entry pid=7 tid=8 comm=\"t<x>\" name_ptr=ffff888000001005 "
    "name=\"t_e.txt\" len=7\n"
    "[opentrail] __d_alloc.ret pid=7 tid=8 comm=\"t<x>\" ret=ffff888000200000\n"
    "[opentrail] __d_add.entry pid=7 tid=8 comm=\"t<x>\" dentry=ffff888000200000\n"
    "[opentrail] __d_add.ret pid=7 tid=8 comm=\"t<x>\" ret=0000000000000000\n"
    "[opentrail] do_filp_open.ret pid=7 tid=8 comm=\"t<x>\" ret=ffff888000300000 "
    "dentry=ffff888000200000\n"
    "[opentrail] do_filp_open.entry pid=7 tid=8 comm=\"t<x>\" dfd=3 "
    "name_ptr=ffff888000001000 name=\"x\"\n"
    "[opentrail] do_filp_open.ret pid=7 tid=8 comm=\"t<x>\" ret=ffffffffffffffef\n"
    "[opentrail] lookup_open.entry pid=7 tid=8 comm=\"t<x>\" open_flag=0x0\n"
    "[opentrail] user.fact pid=7 tid=8 comm=\"t<x>\" seq=1 call=\"open\" "
    "path=\"/tmp/t_e.txt\" flags=0x0 ret=-1 errno=2\n"
    "[opentrail] do_filp_open.entry comm=\"broken\"\n";

TEST(report_md_own_log)
{
	struct built b;
	char *md;

	build_text(&b, own_log, NULL);
	CHECK(b.ok);
	if (!b.ok)
		return;
	md = render(&b, ot_report_markdown);
	CHECK(md != NULL);
	if (md) {
		/* header facts and warnings */
		CHECK(strstr(md, "| Kernel | 6.1.0-test |"));
		CHECK(strstr(md, "| Backend | bpf |"));
		CHECK(strstr(md, "**Warning: 3 records were lost**"));
		CHECK(strstr(md, "**Warning: 1 trace line could not be read**"));
		/* every errno by name, not only ENOENT */
		CHECK(strstr(md, "`ERR_PTR(-EEXIST)` | 1 |"));
		/* decoded arguments, the unpaired entry, HTML-escaped comm */
		CHECK(strstr(md, "do_filp_open(dfd=AT_FDCWD, name_ptr=0xffff888000001000, "
				 "name=\"/tmp/t_e.txt\", open_flag=0x8000)"));
		CHECK(strstr(md, "dfd=3,"));
		CHECK(strstr(md, "lookup_open(open_flag=0x0) (no return in log)"));
		CHECK(strstr(md, "7/8 t&lt;x&gt;"));
		/* the dentry handed from __d_alloc to __d_add to the file */
		CHECK(strstr(md, "- `0xffff888000200000`: `__d_alloc.ret:ret` ([L4](#L4)) → "
				 "`__d_add.entry:dentry` ([L5](#L5)) → `do_filp_open.ret:dentry` "
				 "([L7](#L7))"));
		/* the basename starts 5 bytes into the path */
		CHECK(strstr(md, "`__d_alloc.entry:name_ptr - do_filp_open.entry:name_ptr = 5 = "
				 "strlen(\"/tmp/\")`"));
		/* ERR_PTR and NULL values are not addresses */
		CHECK(!strstr(md, "- `0xffffffffffffffef`"));
		CHECK(!strstr(md, "- `0x0`"));
		/* what the program saw */
		CHECK(strstr(md, "ENOENT (2)"));
		/* unparsed lines and the raw log's anchors */
		CHECK(strstr(md, "| [L12](#L12) | "));
		CHECK(strstr(md, "<a id=\"L1\"></a>"));
		CHECK(strstr(md, "<a id=\"L12\"></a>"));
	}
	free(md);
	built_free(&b);
}

TEST(report_json_own_log)
{
	struct built b;
	json_object *root = NULL, *calls, *first, *chains;
	char *text;

	build_text(&b, own_log, NULL);
	CHECK(b.ok);
	if (!b.ok)
		return;
	text = render(&b, ot_report_json);
	root = text ? json_tokener_parse(text) : NULL;
	CHECK(root != NULL);
	if (root) {
		CHECK(json_object_get_type(path_get(root, "case", NULL)) == json_type_null);
		CHECK_INT(json_object_get_int(path_get(root, "lost", NULL)), 3);
		CHECK_INT(json_object_get_int(path_get(root, "unparsed", NULL)), 1);
		CHECK_STR(json_object_get_string(path_get(root, "verdict", NULL)), "fail");
		CHECK_INT(json_object_get_int(path_get(path_get(root, "returns", "do_filp_open"),
						       "ERR_PTR(-EEXIST)", NULL)),
			  1);
		calls = path_get(root, "calls", NULL);
		CHECK_INT(json_object_array_length(calls), 3);
		first = json_object_array_get_idx(calls, 0);
		CHECK_INT(json_object_get_int(path_get(first, "args", "dfd")), -100);
		CHECK_STR(json_object_get_string(path_get(first, "args", "name")), "/tmp/t_e.txt");
		CHECK_STR(json_object_get_string(path_get(first, "ret", NULL)),
			  "0xffff888000300000");
		CHECK_INT(json_object_array_length(path_get(first, "children", NULL)), 2);
		CHECK(json_object_get_type(path_get(json_object_array_get_idx(calls, 2), "line_ret",
						    NULL)) == json_type_null);
		chains = path_get(root, "pointer_chains", NULL);
		CHECK(json_object_array_length(chains) >= 1);
		CHECK_STR(json_object_get_string(
			      path_get(json_object_array_get_idx(path_get(root, "facts", NULL), 0),
				       "errname", NULL)),
			  "ENOENT");
		json_object_put(root);
	}
	free(text);
	built_free(&b);
}

TEST(report_orphan_return)
{
	static const char log[] = "[opentrail] do_filp_open.ret pid=1 tid=1 comm=\"a\" "
				  "ret=fffffffffffffffe\n";
	struct built b;
	char *md;

	build_text(&b, log, NULL);
	CHECK(b.ok);
	if (!b.ok)
		return;
	md = render(&b, ot_report_markdown);
	CHECK(md && strstr(md, "do_filp_open(?) -&gt; ERR_PTR(-ENOENT) (entry not in log)"));
	CHECK(md && strstr(md, "**Verdict: FAIL**"));
	free(md);
	built_free(&b);
}

/* The text view (report_text.h), here under the sanitizers; tests/cli/text_view.sh
 * checks it from the command line. */
static unsigned text_width;

static int text_view(FILE *f, const struct ot_report_input *in)
{
	struct ot_report_model *m = ot_report_model_build(in);
	const struct ot_text_opts o = {{false, text_width}, false};
	int rc = m ? ot_report_text_with(f, in, m, &o) : -1;

	ot_report_model_free(m);
	return rc;
}

TEST(report_text_view_matches_the_cli_golden)
{
	text_width = 0;
	check_golden(ot_failed_, FIXTURE("seed001_case17.log"), "case17_missing_file",
		     GOLDEN("text_seed001_case17.txt"), text_view);
}

TEST(report_text_view_fits_80_columns)
{
	struct built b;
	char *text;

	text_width = 80;
	build_file(&b, FIXTURE("lab-6.12/bpf/case17_missing_file.log"), "case17_missing_file");
	CHECK(b.ok);
	if (!b.ok)
		return;
	text = render(&b, text_view);
	CHECK(text != NULL);
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');

		if (nl)
			*nl = '\0';
		if (ot_ts_width(line) > 80) {
			fprintf(stderr, "  a line of %zu columns: %s\n", ot_ts_width(line), line);
			CHECK(ot_ts_width(line) <= 80);
		}
		line = nl ? nl + 1 : NULL;
	}
	free(text);
	built_free(&b);
}
