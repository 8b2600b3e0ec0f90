// SPDX-License-Identifier: MIT
/* The source index reader and resolver, call-site facts of a trace, and the caller
 * claim: on a few ranges of Debian's 6.12.117 cloud kernel's index (checked against
 * that kernel's source), and on hand-made indexes for the cases it lacks. */
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"
#include "srcmap/indexread.h"
#include "srcmap/lineplan.h"
#include "srcmap/srcinfo.h"
#include "testlib.h"

#define MINI FIXTURE("srcmap/srcindex-6.12-mini")

TEST(srcindex_resolves_inlined_chain)
{
	struct ot_srcindex ix;
	struct ot_src_frame fr[8];
	const char *why = NULL, *file;
	unsigned line;

	CHECK_INT(ot_srcindex_load(MINI, &ix, &why), 0);
	CHECK_STR(ix.kernel, "6.12.117+deb12-cloud-amd64");
	CHECK(ix.text == 0xffffffff81000000ull);
	/* path_openat's call of d_alloc_parallel: return address ...d921 under KASLR. */
	uint64_t ra = ot_srcindex_unrandomise(&ix, 0xffffffff9a45d921ull, 0xffffffff9a000000ull);
	CHECK(ra == 0xffffffff8145d921ull);
	CHECK_INT(ot_srcindex_frames(&ix, ra - 1, fr, 8), 3);
	CHECK_STR(fr[0].func, "lookup_open");
	CHECK_STR(fr[0].file, "fs/namei.c");
	CHECK_INT(fr[0].line, 3580); /* dentry = d_alloc_parallel(dir, &nd->last, &wq); */
	CHECK(fr[0].inlined);
	CHECK_STR(fr[1].func, "open_last_lookups");
	CHECK_INT(fr[1].line, 3756);
	CHECK(fr[1].inlined);
	CHECK_STR(fr[2].func, "path_openat");
	CHECK_INT(fr[2].line, 3996);
	CHECK(!fr[2].inlined);
	/* The return address itself: the line the caller resumes at. */
	CHECK_INT(ot_srcindex_frames(&ix, ra, fr, 8), 3);
	CHECK_INT(fr[0].line, 3581);
	/* Out of every range. */
	CHECK_INT(ot_srcindex_frames(&ix, 0xffffffff81000000ull, fr, 8), 0);
	/* Only room for one frame: the innermost. */
	CHECK_INT(ot_srcindex_frames(&ix, ra - 1, fr, 1), 1);
	CHECK_STR(fr[0].func, "lookup_open");
	/* Definitions, also of compiler clones. */
	CHECK(ot_srcindex_definition(&ix, "d_alloc_parallel", &file, &line));
	CHECK_STR(file, "fs/dcache.c");
	CHECK_INT(line, 2485);
	CHECK(ot_srcindex_definition(&ix, "path_openat.isra.0", &file, &line));
	CHECK_INT(line, 3979);
	CHECK(!ot_srcindex_definition(&ix, "path_open", &file, &line));
	CHECK(!ot_srcindex_definition(&ix, "no_such_function", &file, &line));
	ot_srcindex_free(&ix);
}

TEST(srcindex_rejects_bad_files)
{
	struct ot_srcindex ix;
	const char *why = NULL;
	char path[] = "/tmp/ot_srcindex_XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	CHECK_INT(ot_srcindex_load("/nonexistent/srcindex", &ix, &why), -1);
	CHECK_STR(why, "cannot open it");
	CHECK_INT(ot_test_write_file(path, "hello\n"), 0);
	CHECK_INT(ot_srcindex_load(path, &ix, &why), -1);
	CHECK(strstr(why, "not an opentrail source index") != NULL);
	/* A scope naming a file the index does not have. */
	CHECK_INT(ot_test_write_file(path, "opentrail-srcindex 1\nkernel k\ntext 1000\nf a.c\nn f\n"
				   "s 1000 1010 0 0 7 1\n"),
		  0);
	CHECK_INT(ot_srcindex_load(path, &ix, &why), -1);
	CHECK_STR(why, "bad scope line");
	CHECK_INT(ot_test_write_file(path, "opentrail-srcindex 1\ntext 1000\nf a.c\nn f\n"), 0);
	CHECK_INT(ot_srcindex_load(path, &ix, &why), -1);
	CHECK(strstr(why, "incomplete") != NULL);
	remove(path);
}

#define REC(rest) "[opentrail] " rest "\n"
#define RUNFACT                                                                                    \
	REC("run.fact kernel=\"6.12.117+deb12-cloud-amd64\" ktext=ffffffff9a000000 "               \
	    "probes=\"do_filp_open,path_openat,d_alloc_parallel,__d_alloc\"")

static void attach(struct fixture *fx, struct ot_srcinfo **si, int *ot_failed_)
{
	const char *why = NULL;

	CHECK_INT(ot_srcinfo_build(&fx->t, MINI, si, &why), OT_SRC_OK);
	fx->t.src = *si;
}

TEST(srcinfo_call_sites_and_caller_claim)
{
	struct fixture fx;
	struct ot_srcinfo *si = NULL;

	CHECK_INT(fixture_file(&fx, FIXTURE("srcmap/case17_callers.log")), 0);
	attach(&fx, &si, ot_failed_);
	if (!si)
		return fixture_free(&fx);
	CHECK_INT(si->with_caller, 5);
	CHECK_INT(si->resolved, 5);
	const struct ot_call *dap = NULL;
	for (size_t i = 0; i < fx.t.ncalls; i++)
		if (!strcmp(fx.t.calls[i]->func, "d_alloc_parallel"))
			dap = fx.t.calls[i];
	CHECK(dap != NULL);
	const struct ot_call_src *cs = ot_call_src_of(&fx.t, dap);
	CHECK(cs && cs->nframes == 3);
	CHECK_INT(cs->resume_line, 3581);
	CHECK_STR(cs->def_file, "fs/dcache.c");
	/* Inlined callers count, at any level; the traced parent too. */
	CHECK(claim(&fx, "caller d_alloc_parallel@op#1 lookup_open") == OT_PASS);
	CHECK(claim(&fx, "caller d_alloc_parallel open_last_lookups") == OT_PASS);
	CHECK(claim(&fx, "caller d_alloc_parallel path_openat") == OT_PASS);
	CHECK(claim(&fx, "caller __d_alloc d_alloc_parallel") == OT_PASS);
	/* A function that is not on the chain fails, with the chain as evidence. */
	CHECK(claim(&fx, "caller d_alloc_parallel do_filp_open") == OT_FAIL);
	CHECK(claim(&fx, "caller __d_alloc lookup_open") == OT_FAIL);
	CHECK(claim(&fx, "caller d_alloc_parallel@op#2 lookup_open") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "caller d_lookup lookup_open") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "caller d_alloc_parallel") == OT_FAIL); /* claim error */
	/* An inlined function names an operation: the first in which it ran. */
	CHECK(claim(&fx, "count d_alloc_parallel@op[lookup_open]#1 == 1") == OT_PASS);
	CHECK(claim(&fx, "count __d_alloc@op[open_last_lookups]#1 == 1") == OT_PASS);
	/* do_sys_openat2 called op#1: it ran outside it. */
	CHECK(claim(&fx, "hit do_filp_open@op[do_sys_openat2]#1") == OT_NOT_EVIDENCED);
	ot_srcinfo_free(si);
	fixture_free(&fx);
}

TEST(caller_claim_without_call_sites)
{
	struct fixture fx;
	/* No caller= fields (an older backend): a traced lookup_open parent still says it;
	 * an inlined one cannot be seen. */
	const char *text = REC("do_filp_open.entry pid=1 tid=1 comm=\"t\" dfd=-100")
	    REC("lookup_open.entry pid=1 tid=1 comm=\"t\"")
		REC("d_alloc_parallel.entry pid=1 tid=1 comm=\"t\"")
		    REC("d_alloc_parallel.ret pid=1 tid=1 comm=\"t\" ret=ffff000000000010")
			REC("lookup_open.ret pid=1 tid=1 comm=\"t\" ret=ffff000000000010")
			    REC("d_alloc_parallel.entry pid=1 tid=1 comm=\"t\"")
				REC("d_alloc_parallel.ret pid=1 tid=1 comm=\"t\" "
				    "ret=ffff000000000020")
				    REC("do_filp_open.ret pid=1 tid=1 comm=\"t\" "
					"ret=fffffffffffffffe");

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK(!ot_srcinfo_has_callers(&fx.t));
	CHECK(claim(&fx, "caller d_alloc_parallel#1 lookup_open") == OT_PASS);
	CHECK(claim(&fx, "caller d_alloc_parallel#2 lookup_open") == OT_NOT_EVIDENCED);
	fixture_free(&fx);
}

TEST(srcinfo_needs_kernel_and_matching_index)
{
	struct fixture fx;
	struct ot_srcinfo *si = NULL;
	const char *why = NULL;
	const char *no_ktext = REC("run.fact kernel=\"6.12.117+deb12-cloud-amd64\"")
	    REC("d_alloc_parallel.entry pid=1 tid=1 comm=\"t\" caller=ffffffff9a45d921");
	const char *other =
	    RUNFACT REC("d_alloc_parallel.entry pid=1 tid=1 comm=\"t\" caller=ffffffff9a45d921");

	CHECK_INT(fixture_text(&fx, no_ktext), 0);
	CHECK_INT(ot_srcinfo_build(&fx.t, MINI, &si, &why), OT_SRC_NO_KERNEL);
	fixture_free(&fx);
	CHECK_INT(fixture_text(&fx, other), 0);
	CHECK_INT(ot_srcinfo_build(&fx.t, "/nonexistent", &si, &why), OT_SRC_NO_INDEX);
	CHECK_INT(ot_srcinfo_build(&fx.t, MINI, &si, &why), OT_SRC_OK);
	ot_srcinfo_free(si);
	fixture_free(&fx);
}

TEST(srcinfo_roles_map_to_real_names)
{
	struct fixture fx;
	char buf[64];
	const char *text = REC("run.fact kernel=\"k\" roles=\"do_filp_open=do_file_open,x=y\"")
	    REC("do_file_open.entry pid=1 tid=1 comm=\"t\"");

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK_STR(ot_srcinfo_real_name(&fx.t, "do_filp_open", buf, sizeof(buf)), "do_file_open");
	CHECK_STR(ot_srcinfo_real_name(&fx.t, "x", buf, sizeof(buf)), "y");
	CHECK_STR(ot_srcinfo_real_name(&fx.t, "path_openat", buf, sizeof(buf)), "path_openat");
	fixture_free(&fx);
}

/* An address with several line-table rows: the statements before the last have no
 * instruction of their own. The point is the function's own line there, not an
 * inlined helper's header line that happens to come first (arm64 5.10's
 * bd_prepare_to_claim: spinlock.h:213, then block_dev.c:1091 `return -EBUSY;`). */
TEST(lineplan_takes_the_function_s_own_row_of_an_address)
{
	struct ot_srcindex ix;
	struct ot_lineplan p;
	const char *why = NULL;
	const char *funcs[] = {"bd_prepare_to_claim"};
	char path[] = "/tmp/ot_lineplan_XXXXXX", err[200];
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	CHECK_INT(ot_test_write_file(path, "opentrail-srcindex 1\nkernel k\ntext 1000\n"
					   "f fs/block_dev.c\nf include/linux/spinlock.h\n"
					   "n bd_prepare_to_claim\nn spin_unlock\n"
					   "d 0 0 1080\nd 1 1 400\n"
					   "s 1000 1100 0 0 0 1080\ns 1020 1030 1 1 0 1090\n"
					   "l 1004 0 1085\n"
					   "l 1020 0 1090\nl 1020 1 212\n"
					   "l 1028 1 213\nl 1028 0 1091\n"
					   "l 1030 0 1110\nl 1100 0 0\n"),
		  0);
	CHECK_INT(ot_srcindex_load(path, &ix, &why), 0);
	CHECK_INT(ot_lineplan_build(&ix, funcs, 1, &p, err, sizeof(err)), 0);
	CHECK_INT(p.n, 4);
	/* the own line first at 0x1020 stays, though the helper's rows follow it */
	CHECK(p.pts[1].link_addr == 0x1020);
	CHECK_INT(p.pts[1].line, 1090);
	/* at 0x1028 the helper's header line comes first: the function's own is taken */
	CHECK(p.pts[2].link_addr == 0x1028);
	CHECK_STR(p.pts[2].file, "fs/block_dev.c");
	CHECK_INT(p.pts[2].line, 1091);
	CHECK_STR(p.pts[2].chain, "bd_prepare_to_claim");
	CHECK_INT(p.pts[3].line, 1110);
	ot_lineplan_free(&p);
	ot_srcindex_free(&ix);
	unlink(path);
}
