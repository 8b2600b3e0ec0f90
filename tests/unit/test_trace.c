// SPDX-License-Identifier: MIT
/* Pairing: nesting, interleaved threads, unpaired entries and orphan returns; the seeds' logs. */
#include <stdlib.h>

#include "helpers.h"
#include "testlib.h"

#define L(func, kind, tid, rest)                                                                   \
	"[opentrail] " func "." kind " pid=1 tid=" #tid " comm=\"t\" " rest "\n"

TEST(trace_nesting_and_threads)
{
	struct fixture fx;
	const char *text = L("do_filp_open", "entry", 1, "dfd=-100")
	    L("do_filp_open", "entry", 2, "dfd=-100") L("__d_alloc", "entry", 1, "len=3")
		L("__d_alloc", "ret", 2,
		  "ret=ffff000000000010") /* orphan: thread 2 has no __d_alloc open */
	    L("__d_alloc", "ret", 1, "ret=ffff000000000020")
		L("do_filp_open", "ret", 2, "ret=fffffffffffffffe")
		    L("do_filp_open", "ret", 1, "ret=ffff000000000030");

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK_INT(fx.t.nthreads, 2);
	CHECK_INT(fx.t.ncalls, 4);
	const struct ot_thread *t1 = &fx.t.threads[0];
	CHECK_INT(t1->tid, 1);
	CHECK_INT(t1->nroots, 1);
	const struct ot_call *open1 = t1->roots[0];
	CHECK_INT(open1->nkids, 1);
	CHECK_STR(open1->kids[0]->func, "__d_alloc");
	CHECK(ot_call_paired(open1->kids[0]));
	CHECK_INT(open1->kids[0]->ret->line, 5);
	CHECK_INT(open1->dec.cls, OT_RC_OK);
	const struct ot_thread *t2 = &fx.t.threads[1];
	CHECK_INT(t2->nroots, 2); /* its open, and the orphan __d_alloc return */
	CHECK_INT(t2->roots[0]->dec.cls, OT_RC_ERR);
	CHECK_INT(t2->roots[0]->dec.err, 2);
	CHECK(!t2->roots[1]->entry && t2->roots[1]->ret);
	CHECK(claim(&fx, "pairs") == OT_FAIL);
	CHECK(claim(&fx, "pairs do_filp_open") == OT_PASS);
	fixture_free(&fx);
}

TEST(trace_unpaired_entry_is_kept)
{
	struct fixture fx;
	const char *text = L("do_filp_open", "entry", 1, "") L("lookup_open", "entry", 1, "") L(
	    "d_alloc_parallel", "entry", 1, "")
	    L("lookup_open", "ret", 1, "ret=0000000000000000") /* d_alloc_parallel never returned */
	    L("do_filp_open", "ret", 1, "ret=ffffffffffffffd8");

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK_INT(fx.t.ncalls, 3);
	const struct ot_call *dap = fx.t.calls[2];
	CHECK_STR(dap->func, "d_alloc_parallel");
	CHECK(dap->entry && !dap->ret);
	CHECK_STR(dap->parent->func, "lookup_open");
	CHECK_INT(fx.t.calls[1]->dec.cls, OT_RC_NULL);
	CHECK_INT(fx.t.calls[0]->dec.err, 40); /* ELOOP */
	CHECK(claim(&fx, "pairs d_alloc_parallel") == OT_FAIL);
	CHECK(claim(&fx, "pairs lookup_open") == OT_PASS);
	fixture_free(&fx);
}

TEST(trace_seed000_numbers)
{
	struct fixture fx;
	size_t entries = 0, rets = 0, enoent = 0, ok = 0;

	CHECK_INT(fixture_file(&fx, FIXTURE("seed000_case7.log")), 0);
	for (size_t i = 0; i < fx.t.ncalls; i++) {
		const struct ot_call *c = fx.t.calls[i];
		CHECK_STR(c->func, "do_filp_open");
		entries += c->entry != NULL;
		rets += c->ret != NULL;
		enoent += c->dec.cls == OT_RC_ERR && c->dec.err == 2;
		ok += c->dec.cls == OT_RC_OK;
	}
	CHECK_INT(entries, 9);
	CHECK_INT(rets, 9);
	CHECK_INT(enoent, 7);
	CHECK_INT(ok, 2);
	fixture_free(&fx);
}

TEST(trace_seed001_d_alloc_in_last_open)
{
	struct fixture fx;

	CHECK_INT(fixture_file(&fx, FIXTURE("seed001_case17.log")), 0);
	CHECK_INT(fx.t.nthreads, 1);
	const struct ot_thread *th = &fx.t.threads[0];
	CHECK_INT(th->nroots, 9);
	const struct ot_call *last = th->roots[8];
	CHECK_STR(last->func, "do_filp_open");
	CHECK_INT(last->nkids, 1);
	CHECK_STR(last->kids[0]->func, "__d_alloc");
	CHECK(ot_call_paired(last->kids[0]));
	CHECK_INT(last->dec.cls, OT_RC_ERR);
	CHECK_INT(last->dec.err, 2);
	for (size_t i = 0; i < 8; i++)
		CHECK_INT(th->roots[i]->nkids, 0);
	fixture_free(&fx);
}
