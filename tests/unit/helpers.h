/* SPDX-License-Identifier: MIT */
/* Building a trace from inline log text or a fixture, for the tests. */
#ifndef OT_TEST_HELPERS_H
#define OT_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "claims/claims.h"
#include "record/logparse.h"
#include "trace/trace.h"

struct fixture {
	struct ot_log log;
	struct ot_trace t;
};

static inline int fixture_text(struct fixture *fx, const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int r = ot_log_read_stream(f, "inline", &fx->log);

	fclose(f);
	if (!r)
		ot_trace_build(&fx->log, &fx->t);
	return r;
}

static inline int fixture_file(struct fixture *fx, const char *path)
{
	int r = ot_log_read_file(path, &fx->log);

	if (!r)
		ot_trace_build(&fx->log, &fx->t);
	return r;
}

static inline void fixture_free(struct fixture *fx)
{
	ot_trace_free(&fx->t);
	ot_log_free(&fx->log);
}

/* Verdict of one claim on the fixture (anchor do_filp_open). */
static inline enum ot_verdict claim(struct fixture *fx, const char *text)
{
	struct ot_claim_result r;

	ot_claim_eval_one(&fx->t, "do_filp_open", text, &r);
	enum ot_verdict v = r.verdict;
	if (getenv("OT_TEST_VERBOSE"))
		fprintf(stderr, "    %s -> %s: %s\n", text, ot_verdict_name(v), r.detail);
	ot_claim_result_free(&r);
	return v;
}

#endif
