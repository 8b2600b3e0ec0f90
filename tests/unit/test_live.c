// SPDX-License-Identifier: MIT
/* What the live layer hands the analysis: a trace -p that the user detached (the
 * calls still open then are in flight, not unpaired). */
#include <stdlib.h>

#include "helpers.h"
#include "testlib.h"

#define L(func, kind, tid, rest)                                                                   \
	"[opentrail] " func "." kind " pid=1 tid=" #tid " comm=\"t\" " rest "\n"
#define FACT(rest) "[opentrail] run.fact pid=9 tid=9 comm=\"opentrail\" " rest "\n"

/* Thread 1 finished its open; thread 2 was inside one when the probes detached; on
 * thread 3 a return closed past an entry whose return is missing (truly unpaired). */
#define DETACH_BODY                                                                                \
	L("do_sys_openat2", "entry", 1, "dfd=-100")                                                \
	L("do_filp_open", "entry", 1, "dfd=-100")                                                  \
	    L("do_filp_open", "ret", 1, "ret=ffff000000000030")                                    \
		L("do_sys_openat2", "ret", 1, "ret=3") L("do_sys_openat2", "entry", 2, "dfd=-100") \
		    L("do_filp_open", "entry", 2, "dfd=-100")

TEST(live_detached_calls_are_in_flight_not_unpaired)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, FACT("run_id=\"r\"") DETACH_BODY FACT(
					"backend=\"bpf\" records=6 lost=0 detached=\"SIGINT\"")),
		  0);
	CHECK(fx.t.detached);
	CHECK_INT(fx.t.ncalls, 4);
	for (size_t i = 0; i < fx.t.ncalls; i++) {
		const struct ot_call *c = fx.t.calls[i];

		CHECK(c->in_flight == (c->tid == 2));
		CHECK(!ot_call_unpaired(c));
	}
	CHECK(claim(&fx, "pairs") == OT_PASS);
	fixture_free(&fx);
}

TEST(live_interrupted_calls_stay_unpaired)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, FACT("run_id=\"r\"") DETACH_BODY FACT(
					"backend=\"bpf\" records=6 lost=0 interrupted=\"SIGINT\"")),
		  0);
	CHECK(!fx.t.detached);
	for (size_t i = 0; i < fx.t.ncalls; i++)
		CHECK(!fx.t.calls[i]->in_flight);
	CHECK(claim(&fx, "pairs") == OT_FAIL);
	fixture_free(&fx);
}

TEST(live_detached_keeps_calls_closed_past_unpaired)
{
	struct fixture fx;
	const char *text = FACT("run_id=\"r\"") L("do_sys_openat2", "entry", 3, "dfd=-100")
	    L("do_filp_open", "entry", 3, "dfd=-100") L("do_sys_openat2", "ret", 3, "ret=3")
		FACT("backend=\"bpf\" records=3 lost=0 detached=\"SIGTERM\"");

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK_INT(fx.t.ncalls, 2);
	CHECK(!fx.t.calls[1]->in_flight && ot_call_unpaired(fx.t.calls[1]));
	CHECK(claim(&fx, "pairs") == OT_FAIL);
	fixture_free(&fx);
}
