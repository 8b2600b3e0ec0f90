// SPDX-License-Identifier: MIT
/* Every claim kind passing, failing and not evidenced; case verdicts on the seeds' logs. */
#include "cases/catalogue.h"
#include "claims/kind.h"
#include "helpers.h"
#include "testlib.h"

/* A small live-shaped run: two opens of a missing name, a lookup hit on the second. */
static const char run_log[] =
    "[opentrail] run.fact kernel=\"6.1.0-test\" backend=\"bpf\" "
    "probes=\"do_filp_open,__d_alloc,__d_lookup_rcu,pick_link,may_open\" lost=0\n"
    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100 name_ptr=ffff000000001000 "
    "name=\"/w/missing\"\n"
    "[opentrail] __d_alloc.entry pid=5 tid=5 comm=\"t\" name_ptr=ffff000000001003 name=\"missing\" "
    "len=7\n"
    "[opentrail] __d_alloc.ret pid=5 tid=5 comm=\"t\" ret=ffff000000002000 inode=0000000000000000\n"
    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffffe\n"
    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=1 call=\"open\" path=\"/w/missing\" ret=-1 "
    "errno=2 errname=\"ENOENT\"\n"
    "[opentrail] do_filp_open.entry pid=5 tid=5 comm=\"t\" dfd=-100 name_ptr=ffff000000001000 "
    "name=\"/w/missing\"\n"
    "[opentrail] __d_lookup_rcu.entry pid=5 tid=5 comm=\"t\" name=\"missing\"\n"
    "[opentrail] __d_lookup_rcu.ret pid=5 tid=5 comm=\"t\" ret=ffff000000002000\n"
    "[opentrail] do_filp_open.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffffe\n"
    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=2 call=\"open\" path=\"/w/missing\" ret=-1 "
    "errno=2 errname=\"ENOENT\" prefix_len=3\n";

TEST(claim_hit_absent_count)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, run_log), 0);
	CHECK(claim(&fx, "hit __d_alloc@op#1") == OT_PASS);
	CHECK(claim(&fx, "hit __d_alloc@op#2") == OT_FAIL);	     /* probed, not hit */
	CHECK(claim(&fx, "hit d_lookup") == OT_NOT_EVIDENCED);	     /* never probed */
	CHECK(claim(&fx, "hit __d_alloc@op#3") == OT_NOT_EVIDENCED); /* no third open */
	CHECK(claim(&fx, "absent pick_link") == OT_PASS);
	CHECK(claim(&fx, "absent __d_alloc") == OT_FAIL);
	CHECK(claim(&fx, "absent d_lookup") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "count __d_alloc@op#2 == 0") == OT_PASS);
	CHECK(claim(&fx, "count do_filp_open == 2") == OT_PASS);
	CHECK(claim(&fx, "count do_filp_open > 2") == OT_FAIL);
	CHECK(claim(&fx, "count __d_alloc@op[__d_alloc]#1+1 == 0") == OT_PASS);
	CHECK(claim(&fx, "count __d_alloc@op[__d_alloc]#1+2 == 0") == OT_NOT_EVIDENCED);
	fixture_free(&fx);
}

TEST(claim_returns)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, run_log), 0);
	CHECK(claim(&fx, "ret_err do_filp_open@op#1 ENOENT") == OT_PASS);
	CHECK(claim(&fx, "ret_err do_filp_open ENOENT") == OT_PASS);
	CHECK(claim(&fx, "ret_err do_filp_open@op#1 EACCES") == OT_FAIL);
	CHECK(claim(&fx, "ret_ok do_filp_open@op#2") == OT_FAIL);
	CHECK(claim(&fx, "ret_ok __d_alloc") == OT_PASS);
	CHECK(claim(&fx, "ret_null __d_alloc") == OT_FAIL);
	CHECK(claim(&fx, "ret_ok d_lookup") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "ret_ok may_open") == OT_FAIL); /* probed, never returned */
	CHECK(claim(&fx, "ret_err do_filp_open ENOPE") == OT_FAIL);
	fixture_free(&fx);
}

TEST(claim_pointers)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, run_log), 0);
	CHECK(claim(&fx, "same_ptr __d_alloc.ret:ret@op#1 __d_lookup_rcu.ret:ret@op#2") == OT_PASS);
	CHECK(claim(&fx, "same_ptr __d_alloc.ret:ret __d_alloc.entry:name_ptr") == OT_FAIL);
	CHECK(claim(&fx, "same_ptr __d_alloc.ret:ret d_lookup.ret:ret") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "new_ptr __d_alloc.entry:name_ptr do_filp_open.entry#1:name_ptr") ==
	      OT_PASS);
	CHECK(claim(&fx, "new_ptr __d_alloc.ret:ret __d_lookup_rcu.ret:ret") == OT_FAIL);
	CHECK(claim(&fx, "ptr_diff __d_alloc.entry:name_ptr do_filp_open.entry:name_ptr == 3") ==
	      OT_PASS);
	CHECK(
	    claim(
		&fx,
		"ptr_diff __d_alloc.entry:name_ptr do_filp_open.entry:name_ptr == len(\"/w/\")") ==
	    OT_PASS);
	CHECK(claim(&fx, "ptr_diff __d_alloc.entry:name_ptr do_filp_open.entry:name_ptr == "
			 "user#2:prefix_len") == OT_PASS);
	CHECK(claim(&fx, "ptr_diff __d_alloc.entry:name_ptr do_filp_open.entry:name_ptr == 5") ==
	      OT_FAIL);
	CHECK(claim(&fx, "ptr_diff __d_alloc.entry:name_ptr do_filp_open.entry:name_ptr == "
			 "user#1:prefix_len") == OT_NOT_EVIDENCED);
	fixture_free(&fx);
}

TEST(claim_order_field_user)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, run_log), 0);
	CHECK(claim(&fx, "order __d_alloc.entry before __d_lookup_rcu.entry") == OT_PASS);
	CHECK(claim(&fx, "order __d_lookup_rcu before __d_alloc") == OT_FAIL);
	CHECK(claim(&fx, "field do_filp_open.entry:dfd == AT_FDCWD") == OT_PASS);
	CHECK(claim(&fx, "field do_filp_open.entry:dfd == -100") == OT_PASS);
	CHECK(claim(&fx, "field __d_alloc.ret:inode == NULL") == OT_PASS);
	CHECK(claim(&fx, "field __d_alloc.entry:name == \"missing\"") == OT_PASS);
	CHECK(claim(&fx, "field __d_alloc.entry:name == \"other\"") == OT_FAIL);
	CHECK(claim(&fx, "field __d_alloc.entry:len & 3") == OT_PASS);
	CHECK(claim(&fx, "field __d_alloc.entry:len & 8") == OT_FAIL);
	CHECK(claim(&fx, "field __d_alloc.entry{name=\"missing\"}:len >= 7") == OT_PASS);
	CHECK(claim(&fx, "field __d_alloc.entry{name=\"nope\"}:len >= 7") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "field __d_alloc.entry:hash == 1") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "user 1 == -1 ENOENT") == OT_PASS);
	CHECK(claim(&fx, "user 1 == fd") == OT_FAIL);
	CHECK(claim(&fx, "user 2 == -1 EACCES") == OT_FAIL);
	CHECK(claim(&fx, "user 3 == fd") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "user 2:prefix_len == 3") == OT_PASS);
	CHECK(claim(&fx, "user 2:prefix_len > 3") == OT_FAIL);
	CHECK(claim(&fx, "user 1:prefix_len == 3") == OT_NOT_EVIDENCED);
	CHECK(claim(&fx, "user_agrees") == OT_PASS);
	CHECK(claim(&fx, "no_loss") == OT_PASS);
	CHECK(claim(&fx, "decoded") == OT_PASS);
	fixture_free(&fx);
}

TEST(claim_errors_are_failures)
{
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, run_log), 0);
	CHECK(claim(&fx, "frobnicate x") == OT_FAIL);
	CHECK(claim(&fx, "hit") == OT_FAIL);
	CHECK(claim(&fx, "hit 9bad@op#") == OT_FAIL);
	CHECK(claim(&fx, "count __d_alloc ~ 3") == OT_FAIL);
	CHECK(claim(&fx, "") == OT_FAIL);
	fixture_free(&fx);
}

TEST(claim_user_disagrees_and_lost)
{
	struct fixture fx;
	const char *text =
	    "[opentrail] run.fact lost=3 probes=\"do_sys_openat2\"\n"
	    "[opentrail] do_sys_openat2.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
	    "[opentrail] do_sys_openat2.ret pid=5 tid=5 comm=\"t\" ret=3\n"
	    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=1 call=\"open\" ret=4 errno=0\n"
	    "[opentrail] run.fact skipped=\"pick_link:inlined\" kernel=\"6.1.0-x\"\n";

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK(claim(&fx, "user_agrees") == OT_FAIL);
	CHECK(claim(&fx, "no_loss") == OT_FAIL);
	CHECK(claim(&fx, "hit pick_link") == OT_SKIPPED);
	CHECK(claim(&fx, "decoded") == OT_PASS);
	fixture_free(&fx);
}

static enum ot_case_verdict case_verdict(struct fixture *fx, const char *id,
					 struct ot_claim_set *cs)
{
	const struct ot_case *c = ot_case_find(id);

	ot_claims_eval(&fx->t, c, cs);
	return cs->verdict;
}

static enum ot_verdict verdict_of(const struct ot_claim_set *cs, const char *claim_text)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->r[i].claim, claim_text))
			return cs->r[i].verdict;
	return (enum ot_verdict) - 1;
}

TEST(seed000_case7_is_not_a_pass)
{
	struct fixture fx;
	struct ot_claim_set cs;

	CHECK_INT(fixture_file(&fx, FIXTURE("seed000_case7.log")), 0);
	CHECK(case_verdict(&fx, "case7_symlink_fast", &cs) != OT_CASE_PASS);
	/* No step_into probe in the seed's log; its last open (the case's) returned ENOENT:
	 * the seeds' setup never ran. */
	CHECK(verdict_of(&cs, "field step_into.entry{dname=\"good_link\"}:mode@op#last & 0xa000") ==
	      OT_NOT_EVIDENCED);
	CHECK(verdict_of(&cs, "ret_ok do_filp_open@op#last") == OT_FAIL);
	CHECK(verdict_of(&cs, "pairs") == OT_PASS);
	CHECK(verdict_of(&cs, "decoded") == OT_PASS);
	ot_claim_set_free(&cs);
	/* Without a case: the claim block's items 1-2 only, and they hold. */
	ot_claims_eval(&fx.t, NULL, &cs);
	CHECK_INT(cs.n, 2);
	CHECK_INT(cs.verdict, OT_CASE_PASS);
	ot_claim_set_free(&cs);
	fixture_free(&fx);
}

TEST(seed001_case17_first_open_claims_pass)
{
	struct fixture fx;
	struct ot_claim_set cs;

	CHECK_INT(fixture_file(&fx, FIXTURE("seed001_case17.log")), 0);
	CHECK_INT(case_verdict(&fx, "case17_missing_file", &cs), OT_CASE_INCOMPLETE);
	CHECK(verdict_of(&cs, "ret_err do_filp_open@op[__d_alloc]#1 ENOENT") == OT_PASS);
	CHECK(
	    verdict_of(
		&cs,
		"order __d_alloc.entry@op[__d_alloc]#1 before do_filp_open.ret@op[__d_alloc]#1") ==
	    OT_PASS);
	/* The seed's log has no second open and no user view. */
	CHECK(verdict_of(&cs, "ret_err do_filp_open@op[__d_alloc]#1+1 ENOENT") == OT_NOT_EVIDENCED);
	CHECK(verdict_of(&cs, "user_agrees") == OT_NOT_EVIDENCED);
	for (size_t i = 0; i < cs.n; i++)
		CHECK(cs.r[i].verdict != OT_FAIL);
	ot_claim_set_free(&cs);
	fixture_free(&fx);
}

/* An error decided before do_sys_openat2 runs (openat2's E2BIG): the user's openat2 is
 * compared with __x64_sys_openat2, the syscall-level probe that has calls. */
TEST(claim_user_agrees_with_the_syscall_probe_that_ran)
{
	struct fixture fx;
	const char *text =
	    "[opentrail] run.fact probes=\"__x64_sys_openat2,do_sys_openat2\"\n"
	    "[opentrail] __x64_sys_openat2.entry pid=5 tid=5 comm=\"t\" usize=32\n"
	    "[opentrail] __x64_sys_openat2.ret pid=5 tid=5 comm=\"t\" ret=fffffffffffffff9\n"
	    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=1 call=\"openat2\" ret=-1 errno=7\n";

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK(claim(&fx, "user_agrees") == OT_PASS);
	fixture_free(&fx);
	/* the same, had the user seen another errno: a disagreement, not a pass */
	CHECK_INT(fixture_text(&fx, "[opentrail] __x64_sys_openat2.entry pid=5 tid=5 comm=\"t\"\n"
				    "[opentrail] __x64_sys_openat2.ret pid=5 tid=5 comm=\"t\" "
				    "ret=fffffffffffffff9\n"
				    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=1 "
				    "call=\"openat2\" ret=-1 errno=22\n"),
		  0);
	CHECK(claim(&fx, "user_agrees") == OT_FAIL);
	fixture_free(&fx);
}

/* A trigger that found the kernel lacking what its case is about says so: the case's
 * claims are skipped with the reason, the case is incomplete, never passed or failed. */
TEST(claim_case_skipped_on_an_unsupported_kernel)
{
	struct fixture fx;
	struct ot_claim_set cs;
	const char *text =
	    "[opentrail] run.fact kernel=\"5.10.0-x\" probes=\"do_sys_openat2\"\n"
	    "[opentrail] run.fact unsupported=\"RESOLVE_CACHED: refused\"\n"
	    "[opentrail] do_sys_openat2.entry pid=5 tid=5 comm=\"t\" dfd=-100\n"
	    "[opentrail] do_sys_openat2.ret pid=5 tid=5 comm=\"t\" ret=ffffffffffffffea\n"
	    "[opentrail] user.fact pid=5 tid=5 comm=\"t\" seq=1 call=\"openat2\" ret=-1 "
	    "errno=22\n";

	CHECK_INT(fixture_text(&fx, text), 0);
	CHECK_INT(case_verdict(&fx, "errno_eagain_resolve_cached", &cs), OT_CASE_INCOMPLETE);
	CHECK(verdict_of(&cs, "user 1 == -1 EAGAIN") == OT_SKIPPED);
	CHECK(verdict_of(&cs, "ret_err do_sys_openat2@op#1 EAGAIN") == OT_SKIPPED);
	/* what the program saw still agrees with the kernel */
	CHECK(verdict_of(&cs, "user_agrees") == OT_PASS);
	ot_claim_set_free(&cs);
	fixture_free(&fx);
	/* without the fact, the same log fails the case */
	CHECK_INT(fixture_text(&fx, strstr(text, "[opentrail] do_sys")), 0);
	CHECK_INT(case_verdict(&fx, "errno_eagain_resolve_cached", &cs), OT_CASE_FAIL);
	ot_claim_set_free(&cs);
	fixture_free(&fx);
}

TEST(catalogue_claims_all_parse)
{
	/* Every claim of every case must be well-formed: evaluated on an empty trace it may
	 * be not evidenced, but never a "claim error". */
	struct fixture fx;

	CHECK_INT(
	    fixture_text(&fx, "[opentrail] fput.entry pid=1 comm=\"x\" file=0000000000000001\n"),
	    0);
	for (size_t i = 0; i < ot_case_count(); i++) {
		const struct ot_case *c = ot_case_at(i);
		for (int k = 0; k < OT_MAX_CASE_CLAIMS && c->claims[k]; k++) {
			struct ot_claim_result r;
			ot_claim_eval_one(&fx.t, c->anchor, c->claims[k], &r);
			if (strstr(r.detail, "claim error"))
				fprintf(stderr, "  %s: '%s': %s\n", c->id, c->claims[k], r.detail);
			CHECK(!strstr(r.detail, "claim error"));
			ot_claim_result_free(&r);
		}
	}
	fixture_free(&fx);
}

TEST(catalogue_claims_parse_once)
{
	/* Each claim of the catalogue becomes a structure with a known kind; a claim that
	 * does not parse is caught here, not as a FAIL in a run. */
	for (size_t i = 0; i < ot_case_count(); i++) {
		const struct ot_case *c = ot_case_at(i);
		for (int k = 0; k < OT_MAX_CASE_CLAIMS && c->claims[k]; k++) {
			struct ot_claim cl;
			char err[200] = "";
			int rc = ot_claim_parse(c->claims[k], &cl, err, sizeof(err));
			if (rc)
				fprintf(stderr, "  %s: '%s': %s\n", c->id, c->claims[k], err);
			CHECK_INT(rc, 0);
			CHECK(ot_case_claim(c, k) != NULL);
			CHECK(ot_case_claim(c, k) == ot_case_claim(c, k)); /* parsed once, kept */
			CHECK(ot_claim_kind_name(&cl)[0] != '\0');
		}
	}
}

TEST(claim_kinds_table_is_complete)
{
	/* Every kind has a row (a name, its parse, evaluate and sentence functions), found
	 * by its name, and a claim parses to the kind its name says. */
	for (int i = OT_CLAIM_UNKNOWN + 1; i < OT_CLAIM_NKINDS; i++) {
		const struct ot_claim_kind *k = ot_claim_kind_of((enum ot_claim_kind_id)i);

		CHECK(k->name[0] && k->parse && k->eval && k->sentence);
		CHECK_INT(ot_claim_kind_find(k->name), i);
	}
	CHECK_INT(ot_claim_kind_find("frobnicate"), OT_CLAIM_UNKNOWN);

	struct ot_claim cl;
	char err[200] = "";

	CHECK_INT(ot_claim_parse("user 1 == -1 ENOENT", &cl, err, sizeof(err)), 0);
	CHECK_INT(cl.kind, OT_CLAIM_USER);
	CHECK_INT(cl.u.user.form, OT_USER_ERR);
	CHECK_STR(cl.u.user.value, "ENOENT");
	CHECK_INT(ot_claim_parse("caller __d_alloc@op#1 d_alloc_parallel", &cl, err, sizeof(err)),
		  0);
	CHECK_INT(cl.kind, OT_CLAIM_CALLER);
	CHECK_STR(cl.sel[0].func, "__d_alloc");
	CHECK_STR(cl.u.caller.func, "d_alloc_parallel");
}

TEST(claim_parse_rejects_bad_claims)
{
	static const char *const bad[] = {
	    "frobnicate x",			/* unknown kind */
	    "count __d_alloc@op#1 ~= 1",	/* bad operator */
	    "count __d_alloc@op#1 >= many",	/* bad number */
	    "ret_err do_filp_open ENOTANERRNO", /* unknown errno */
	    "same_ptr __d_alloc.ret:ret",	/* arity */
	    "order a before",			/* arity */
	    "field x:y == \"open",		/* unterminated string */
	    "user 0 == fd",			/* user calls count from 1 */
	    "user 1 == -1 ENOPE",		/* unknown errno */
	    "hit __d_alloc@op#0",		/* bad scope */
	    "ptr_diff a b != 3",		/* ptr_diff wants == */
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ot_claim cl;
		char err[200] = "";
		CHECK_INT(ot_claim_parse(bad[i], &cl, err, sizeof(err)), -1);
		CHECK(err[0] != '\0');
	}
}

/* The sentence of one claim on the fixture (anchor do_filp_open). */
static void check_sentence(int *ot_failed_, struct fixture *fx, const char *text, const char *want)
{
	struct ot_claim_result r;

	ot_claim_eval_one(&fx->t, "do_filp_open", text, &r);
	if (strcmp(r.sentence, want)) {
		fprintf(stderr, "  '%s':\n    got  %s\n    want %s\n", text, r.sentence, want);
		*ot_failed_ = 1;
	}
	ot_claim_result_free(&r);
}

TEST(claim_sentences_golden)
{
	/* One sentence per claim kind, with the run's values; and the words for a claim
	 * that did not pass. */
	static const struct {
		const char *claim, *sentence;
	} golden[] = {
	    {"pairs", "Each of the 4 traced calls returned on the thread that made it, nested "
		      "inside its caller."},
	    {"decoded", "All 4 return values decode as the probe dictionary says they should (a "
			"pointer, NULL, an ERR_PTR or a number)."},
	    {"no_loss", "No trace records were lost: the log holds every event the probes saw."},
	    {"user_agrees", "What the program saw agrees with the kernel: each of its 2 results "
			    "matches the return of the kernel call that served it."},
	    {"hit __d_lookup_rcu@op#2", "In the second open, `__d_lookup_rcu` ran 1 time (first "
					"at L8)."},
	    {"absent pick_link", "`pick_link` never ran, although it was probed."},
	    {"count __d_alloc@op#2 == 0",
	     "In the second open, `__d_alloc` never ran (it was probed): exactly 0, as claimed."},
	    {"count do_filp_open >= 2", "`do_filp_open` ran 2 times: at least 2, as claimed."},
	    {"ret_ok __d_alloc@op#1",
	     "The first open's `__d_alloc` succeeded: it returned a valid pointer."},
	    {"ret_err do_filp_open ENOENT", "`do_filp_open` failed with ENOENT every time: it "
					    "returned ERR_PTR(-ENOENT)."},
	    {"same_ptr __d_alloc.ret:ret@op#1 __d_lookup_rcu.ret:ret@op#2",
	     "The second open's `__d_lookup_rcu` returned 0xffff000000002000 (L9) — the same "
	     "dentry the first open's `__d_alloc` created (L4)."},
	    {"new_ptr __d_alloc.entry:name_ptr do_filp_open.entry#1:name_ptr",
	     "`__d_alloc` was called with `name_ptr` = 0xffff000000001003 (L3), but the first "
	     "`do_filp_open` call was called with `name_ptr` = 0xffff000000001000 (L2): a "
	     "different address."},
	    {"ptr_diff __d_alloc.entry:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == "
	     "user#2:prefix_len",
	     "The `name_ptr` the first open's `__d_alloc` was called with (0xffff000000001003, "
	     "L3) lies 3 bytes after the `name_ptr` the first open's `do_filp_open` was called "
	     "with (0xffff000000001000, L2): the `prefix_len` the program reported."},
	    {"ptr_diff __d_alloc.entry:name_ptr@op#1 do_filp_open.entry:name_ptr@op#1 == "
	     "len(\"/w/\")",
	     "The `name_ptr` the first open's `__d_alloc` was called with (0xffff000000001003, "
	     "L3) lies 3 bytes after the `name_ptr` the first open's `do_filp_open` was called "
	     "with (0xffff000000001000, L2): the length of \"/w/\"."},
	    {"order __d_alloc.entry@op#1 before do_filp_open.ret@op#1",
	     "The first open's `__d_alloc` was called (L3) before the first open's "
	     "`do_filp_open` returned (L5)."},
	    {"field __d_alloc.ret:inode@op#1 == NULL",
	     "The first open's `__d_alloc` returned with `inode` = 0x0000000000000000 (L4), that "
	     "is NULL."},
	    {"field do_filp_open.entry:dfd == AT_FDCWD",
	     "`do_filp_open` was called with `dfd` = -100 (L2) (as in all 2 such events)."},
	    {"field __d_lookup_rcu.entry:name@op#2 == \"missing\"",
	     "The second open's `__d_lookup_rcu` was called with `name` = missing (L8)."},
	    {"user 1 == -1 ENOENT", "The program's call 1 (`open`) returned -1 with errno ENOENT."},
	    {"user 2:prefix_len >= 3",
	     "For its call 2 (`open`), the program reported `prefix_len` = 3."},
	    {"absent __d_alloc.entry{name=\"other\"}@op#1",
	     "In the first open, `__d_alloc` (where name=\"other\") never ran, although "
	     "`__d_alloc` was probed."},
	    {"count __d_alloc{name=\"missing\"}@op#1 == 1",
	     "In the first open, `__d_alloc` (where name=\"missing\") ran 1 time: exactly 1, as "
	     "claimed."},
	    {"field __d_alloc.entry:len@op#1 >= 7",
	     "The first open's `__d_alloc` was called with `len` = 7 (L3), which is at least 7."},
	    {"ptr_diff do_filp_open.entry#1:name_ptr do_filp_open.entry#2:name_ptr == 0",
	     "The `name_ptr` the first `do_filp_open` call was called with (0xffff000000001000, "
	     "L2) is the same address as the `name_ptr` the second `do_filp_open` call was "
	     "called with (0xffff000000001000, L7)."},
	    /* Not passed: the verdict and what was seen instead. */
	    {"count __d_alloc@op#1 == 2", "Did not hold: 1 __d_alloc call(s) (want == 2)."},
	    {"hit __d_alloc@op#3", "Not evidenced: the trace has no op#3 (do_filp_open calls)."},
	    {"user 1 == fd", "Did not hold: user call 1 returned -1."},
	};
	struct fixture fx;

	CHECK_INT(fixture_text(&fx, run_log), 0);
	for (size_t i = 0; i < sizeof(golden) / sizeof(golden[0]); i++)
		check_sentence(ot_failed_, &fx, golden[i].claim, golden[i].sentence);
	fixture_free(&fx);
}

TEST(claim_sentences_null_and_skipped)
{
	struct fixture fx;
	const char *text = "[opentrail] run.fact kernel=\"6.1.0-x\" probes=\"d_lookup\" "
			   "skipped=\"pick_link:inlined\"\n"
			   "[opentrail] d_lookup.entry pid=5 tid=5 comm=\"t\" name=\"x\"\n"
			   "[opentrail] d_lookup.ret pid=5 tid=5 comm=\"t\" ret=0000000000000000\n";

	CHECK_INT(fixture_text(&fx, text), 0);
	check_sentence(ot_failed_, &fx, "ret_null d_lookup", "`d_lookup` returned NULL.");
	check_sentence(ot_failed_, &fx, "hit pick_link",
		       "Skipped: pick_link not probeable on 6.1.0-x (inlined).");
	fixture_free(&fx);
}

/* A run's functions as one set: each once, those more cases use first, first use
 * breaking ties. */
TEST(cases_probe_union_most_used_first)
{
	const struct ot_case a = {.id = "a", .probes = "x,y,z"}, b = {.id = "b", .probes = "z,w"},
			     c = {.id = "c", .probes = "w,z,v"};
	const struct ot_case *cases[] = {&a, &b, &c};
	struct ot_probe_union u;

	CHECK_INT(ot_probe_union_of(cases, 3, &u), 0);
	CHECK_INT((int)u.n, 5);
	if (u.n == 5) {
		CHECK_STR(u.funcs[0], "z"); /* 3 cases */
		CHECK_STR(u.funcs[1], "w"); /* 2 */
		CHECK_STR(u.funcs[2], "x"); /* 1 each, in order of first use */
		CHECK_STR(u.funcs[3], "y");
		CHECK_STR(u.funcs[4], "v");
	}
	ot_probe_union_free(&u);
	CHECK(u.funcs == NULL && u.n == 0);
}
