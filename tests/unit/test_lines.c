// SPDX-License-Identifier: MIT
/* Line probes in the trace (hits given to the innermost open call), the origin of an
 * error, and the text-anchored line claims: one match, none, several, no source. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cases/catalogue.h"
#include "helpers.h"
#include "report/linepath.h"
#include "testlib.h"

#define KERNEL "6.1.0-linetest"

/* generic_permission with acl_permission_check inlined: the denied path of
 * perm_rdwr_denied, its lines at made-up numbers of a made-up fs/namei.c. */
static const char lines_log[] =
    "[opentrail] run.fact run_id=\"1\"\n"
    "[opentrail] run.fact kernel=\"" KERNEL "\" backend=\"bpf\" "
    "probes=\"do_filp_open,generic_permission\" lost=0 ktext=ffffffff81000000\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=0 of=\"generic_permission\" "
    "at=\"fs/namei.c:4\" chain=\"acl_permission_check,generic_permission\" "
    "probe=\"generic_permission+0x10\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=1 of=\"generic_permission\" "
    "at=\"fs/namei.c:5\" chain=\"acl_permission_check,generic_permission\" "
    "probe=\"generic_permission+0x14\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=2 of=\"generic_permission\" "
    "at=\"fs/namei.c:9\" chain=\"generic_permission\" probe=\"generic_permission+0x20\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=3 of=\"generic_permission\" "
    "at=\"fs/namei.c:10\" chain=\"generic_permission\" probe=\"generic_permission+0x28\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=4 of=\"generic_permission\" "
    "at=\"fs/namei.c:11\" chain=\"generic_permission\" probe=\"generic_permission+0x30\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=5 of=\"generic_permission\" "
    "at=\"fs/namei.c:12\" chain=\"generic_permission\" probe=\"\" refused=\"kprobe refused "
    "(Invalid argument)\"\n"
    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
    "[opentrail] generic_permission.entry pid=5 tid=5 comm=\"t\" mask=6\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=0\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=1\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=1\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=2\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=4\n"
    "[opentrail] generic_permission.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n"
    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=3\n";

/* The source lines, 1-based: line 4 and line 9 both say "return -EACCES". */
static const char namei_c[] = "int generic_permission(void)\n"		     /* 1 */
			      "{\n"					     /* 2 */
			      "\t/* acl_permission_check */\n"		     /* 3 */
			      "\tif (mask & ~mode) return -EACCES;\n"	     /* 4 */
			      "\tmask &= 7;\n"				     /* 5 */
			      "\n"					     /* 6 */
			      "\n"					     /* 7 */
			      "\n"					     /* 8 */
			      "\treturn -EACCES; /* directories */\n"	     /* 9 */
			      "\tmask &= MAY_READ | MAY_WRITE | MAY_EXEC;\n" /* 10 */
			      "\treturn -EACCES;\n"			     /* 11 */
			      "}\n";					     /* 12 */

/* A cache whose debuginfo of KERNEL has fs/namei.c (with WITH_SOURCE), made
 * opentrail's (OPENTRAIL_CACHE) until remove_cache. */
static void make_cache(char *dir, size_t size, int with_source)
{
	char p[512];

	snprintf(dir, size, "/tmp/ot-lines-XXXXXX");
	if (!mkdtemp(dir))
		abort();
	setenv("OPENTRAIL_CACHE", dir, 1);
	snprintf(p, sizeof(p), "%s/debuginfo", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/debuginfo/" KERNEL, dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/debuginfo/" KERNEL "/dbg-version", dir);
	ot_test_write_file(p, "1.0\n");
	if (!with_source)
		return;
	snprintf(p, sizeof(p), "%s/debuginfo/" KERNEL "/source", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/debuginfo/" KERNEL "/source/fs", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/debuginfo/" KERNEL "/source/VERSION", dir);
	ot_test_write_file(p, "1.0\n");
	snprintf(p, sizeof(p), "%s/debuginfo/" KERNEL "/source/fs/namei.c", dir);
	ot_test_write_file(p, namei_c);
}

static void remove_cache(const char *dir)
{
	char cmd[600];

	unsetenv("OPENTRAIL_CACHE");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "  could not remove %s\n", dir);
}

TEST(line_hits_go_to_the_innermost_open_call)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, lines_log), 0);
	CHECK_INT(fx.t.nline_points, 6);
	CHECK_INT(fx.t.line_hits, 6);
	CHECK_INT(fx.t.line_hits_outside, 1); /* the last one: no call open */
	CHECK_INT(fx.t.ncalls, 2);
	CHECK_STR(fx.t.calls[1]->func, "generic_permission");
	CHECK_INT(fx.t.calls[1]->nhits, 5);
	CHECK_INT(fx.t.calls[0]->nhits, 0);
	CHECK_STR(ot_rec_str(ot_trace_hit_point(&fx.t, fx.t.calls[1]->hits[3]), "at"),
		  "fs/namei.c:9");
	fixture_free(&fx);
}

TEST(line_origin_names_the_errno)
{
	struct fixture fx;
	struct ot_origin o;
	struct ot_srctext *text;
	struct ot_line_at at;
	char dir[64];

	make_cache(dir, sizeof(dir), 1);
	CHECK_INT(fixture_text(&fx, lines_log), 0);
	text = ot_srctext_new(KERNEL);
	CHECK(ot_origin_of(&fx.t, fx.t.calls[0], text, &o));
	CHECK_STR(o.call->func, "generic_permission");
	CHECK_INT(o.err, 13);
	/* the last line that ran naming EACCES: 11 (the closing line 12 never counts) */
	CHECK(ot_line_at_of(o.point, &at));
	CHECK_INT(at.line, 11);
	CHECK(o.names_errno);
	CHECK_STR(ot_srctext_line(text, "fs/namei.c", 11), "return -EACCES;");
	ot_srctext_free(text);
	/* Without the source: the last line that ran, not said to name it. */
	CHECK(ot_origin_of(&fx.t, fx.t.calls[0], NULL, &o));
	CHECK(ot_line_at_of(o.point, &at));
	CHECK_INT(at.line, 11);
	CHECK(!o.names_errno);
	CHECK(!ot_origin_of(&fx.t, fx.t.calls[1], NULL, &o) || o.call == fx.t.calls[1]);
	fixture_free(&fx);
	remove_cache(dir);
}

/* A call handed the error as an argument only passed it on: on 7.x do_sys_openat2 gives
 * getname_flags' ERR_PTR(-EFAULT) to do_file_open, which returns it. The error was
 * decided in the earlier child that returned it; with no such child, in the caller. */
TEST(line_origin_skips_a_call_handed_the_error)
{
	struct fixture fx;
	struct ot_origin o;
	const char *handed =
	    "[opentrail] do_file_open.entry pid=5 tid=5 comm=\"t\" dfd=-100 "
	    "pathname=fffffffffffffff2\n"
	    "[opentrail] do_file_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff2\n"
	    "[opentrail] do_sys_openat2.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff2\n";
	char text[1024];

	snprintf(text, sizeof(text), "%s%s%s",
		 "[opentrail] do_sys_openat2.entry pid=5 tid=5 comm=\"t\" dfd=-100\n",
		 "[opentrail] getname_flags.entry pid=5 tid=5 comm=\"t\" flags=0\n"
		 "[opentrail] getname_flags.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff2\n",
		 handed);
	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK(ot_origin_of(&fx.t, fx.t.calls[0], NULL, &o));
	CHECK_INT(o.err, 14);
	CHECK_STR(o.call->func, "getname_flags");
	fixture_free(&fx);
	/* only the call that was handed it: the caller decided */
	snprintf(text, sizeof(text), "%s%s",
		 "[opentrail] do_sys_openat2.entry pid=5 tid=5 comm=\"t\" dfd=-100\n", handed);
	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK(ot_origin_of(&fx.t, fx.t.calls[0], NULL, &o));
	CHECK_STR(o.call->func, "do_sys_openat2");
	fixture_free(&fx);
}

TEST(line_claims_resolve_text_once)
{
	struct fixture fx;
	char dir[64];

	make_cache(dir, sizeof(dir), 1);
	CHECK_INT(fixture_text(&fx, lines_log), 0);
	/* one line holds the text; a line of an inlined function is one of the function
	 * it is inlined into */
	CHECK(claim(&fx, "ran generic_permission \"mask &= 7;\"") == OT_PASS);
	CHECK(claim(&fx, "not_ran generic_permission \"mask &= 7;\"") == OT_FAIL);
	/* line 10 ran, but after the call returned: not in it */
	CHECK(claim(&fx, "ran generic_permission \"mask &= MAY_READ\"") == OT_FAIL);
	CHECK(claim(&fx, "not_ran generic_permission \"mask &= MAY_READ\"") == OT_PASS);
	/* an inlined function has no calls of its own to select */
	CHECK(claim(&fx, "ran acl_permission_check \"mask &= 7;\"") == OT_NOT_EVIDENCED);
	/* several lines hold it: an error of the claim, never a pass */
	CHECK(claim(&fx, "ran generic_permission \"return -EACCES\"") == OT_FAIL);
	CHECK(claim(&fx, "not_ran generic_permission \"return -EACCES\"") == OT_FAIL);
	/* no line holds it */
	CHECK(claim(&fx, "ran generic_permission \"no such text\"") == OT_FAIL);
	CHECK(claim(&fx, "not_ran generic_permission \"no such text\"") == OT_FAIL);
	/* the line that could not be probed proves nothing */
	CHECK(claim(&fx, "not_ran generic_permission \"}\"") == OT_NOT_EVIDENCED);
	/* no line of that function was probed */
	CHECK(claim(&fx, "ran may_open \"return\"") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"return -EACCES\"") == OT_PASS);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"mask\"") == OT_FAIL);
	CHECK(claim(&fx, "origin do_filp_open#1 may_open \"return -EACCES\"") == OT_FAIL);
	/* alternatives: the deciding function, called on some kernels, inlined on others */
	CHECK(claim(&fx, "origin do_filp_open#1 may_open|generic_permission \"return -EACCES\"") ==
	      OT_PASS);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission|may_open \"return -EACCES\"") ==
	      OT_PASS);
	CHECK(claim(&fx, "origin do_filp_open#1 may_open|generic \"return -EACCES\"") == OT_FAIL);
	CHECK(claim(&fx, "ran generic_permission return") == OT_FAIL); /* text not quoted */
	fixture_free(&fx);
	remove_cache(dir);

	/* Without the source no text can be found: not evidenced, never a pass. */
	make_cache(dir, sizeof(dir), 0);
	CHECK_INT(fixture_text(&fx, lines_log), 0);
	CHECK(claim(&fx, "ran generic_permission \"mask &= 7;\"") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"return -EACCES\"") ==
	      OT_NOT_EVIDENCED);
	fixture_free(&fx);
	remove_cache(dir);
}

/* A function the selected one calls, out of line and not traced (arm64's
 * shmem_reserve_inode under shmem_get_inode): its hits are the open call's, and
 * `ran SEL FUNC "TEXT"` finds TEXT among FUNC's lines. */
static const char callee_log[] =
    "[opentrail] run.fact run_id=\"1\"\n"
    "[opentrail] run.fact kernel=\"" KERNEL "\" backend=\"bpf\" "
    "probes=\"do_filp_open,generic_permission\" lost=0 ktext=ffffffff81000000\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=0 of=\"helper\" "
    "at=\"fs/namei.c:11\" chain=\"helper\" probe=\"helper+0x4\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=1 of=\"generic_permission\" "
    "at=\"fs/namei.c:5\" chain=\"acl_permission_check,generic_permission\" "
    "probe=\"generic_permission+0x14\"\n"
    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
    "[opentrail] helper.line pid=5 tid=5 comm=\"t\" id=0\n"
    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n";

TEST(line_claims_name_a_callee_s_line)
{
	struct fixture fx;
	char dir[64];

	make_cache(dir, sizeof(dir), 1);
	CHECK_INT(fixture_text(&fx, callee_log), 0);
	CHECK(claim(&fx, "ran do_filp_open helper \"return -EACCES;\"") == OT_PASS);
	CHECK(claim(&fx, "not_ran do_filp_open helper \"return -EACCES;\"") == OT_FAIL);
	CHECK(claim(&fx, "ran do_filp_open nothere|helper \"return -EACCES;\"") == OT_PASS);
	/* the selected function's own lines: none probed */
	CHECK(claim(&fx, "ran do_filp_open \"return -EACCES;\"") == OT_NOT_EVIDENCED);
	/* a line of another function, not run within the selected call */
	CHECK(claim(&fx, "ran do_filp_open generic_permission \"mask &= 7;\"") == OT_FAIL);
	CHECK(claim(&fx, "ran do_filp_open nothere \"return\"") == OT_NOT_EVIDENCED);
	fixture_free(&fx);
	remove_cache(dir);
}

/* The line a claim names could not be probed (arm64's kprobes refuse the
 * instructions after a load-exclusive): the origin found elsewhere does not refute
 * it; that is not evidenced, never a failure. */
static const char refused_log[] =
    "[opentrail] run.fact run_id=\"1\"\n"
    "[opentrail] run.fact kernel=\"" KERNEL "\" backend=\"kmod\" "
    "probes=\"do_filp_open,generic_permission\" lost=0 ktext=ffffffff81000000\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=0 of=\"generic_permission\" "
    "at=\"fs/namei.c:11\" chain=\"generic_permission\" probe=\"generic_permission+0x30\"\n"
    "[opentrail] line.fact pid=1 tid=1 comm=\"opentrail\" id=1 of=\"generic_permission\" "
    "at=\"fs/namei.c:9\" chain=\"generic_permission\" probe=\"\" refused=\"kprobe refused "
    "(Invalid argument)\"\n"
    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
    "[opentrail] generic_permission.entry pid=5 tid=5 comm=\"t\" mask=6\n"
    "[opentrail] generic_permission.line pid=5 tid=5 comm=\"t\" id=0\n"
    "[opentrail] generic_permission.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n"
    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n";

TEST(line_origin_at_a_refused_line_is_not_evidenced)
{
	struct fixture fx;
	char dir[64];

	make_cache(dir, sizeof(dir), 1);
	CHECK_INT(fixture_text(&fx, refused_log), 0);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"directories\"") ==
	      OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"return -EACCES;\"") == OT_PASS);
	/* a line that was not probed at all is no refused one: the claim names no line */
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"mask &= 7\"") == OT_FAIL);
	fixture_free(&fx);
	remove_cache(dir);
}

TEST(line_claims_skipped_without_line_probes)
{
	struct fixture fx;
	const char *text =
	    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
	    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n"
	    "[opentrail] run.fact kernel=\"5.10.0-x\" lines_unavailable=\"no "
	    "source index for 5.10.0-x\"\n";

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK(claim(&fx, "ran generic_permission \"mask\"") == OT_SKIPPED);
	CHECK(claim(&fx, "origin do_filp_open#1 generic_permission \"x\"") == OT_SKIPPED);
	fixture_free(&fx);
}

/* A kernel without line probes judges a case on its other claims. */
TEST(line_claims_skipped_leave_the_case_to_the_rest)
{
	struct fixture fx;
	struct ot_claim_set cs;
	const char *text =
	    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
	    "[opentrail] generic_permission.entry pid=5 tid=5 comm=\"t\" mode=0x81a4 uid=0 "
	    "mask=0x26\n"
	    "[opentrail] generic_permission.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n"
	    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff3\n"
	    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=1 call=\"open\" ret=-1 errno=13\n"
	    "[opentrail] run.fact kernel=\"5.10.0-x\" probes=\"do_filp_open,generic_permission\" "
	    "lost=0 lines_unavailable=\"no source index\"\n";

	CHECK_INT(fixture_text(&fx, text), 0);
	ot_claims_eval(&fx.t, ot_case_find("perm_rdwr_denied"), &cs);
	CHECK(cs.verdict == OT_CASE_PASS);
	ot_claim_set_free(&cs);
	fixture_free(&fx);
}
