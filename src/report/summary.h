/* SPDX-License-Identifier: MIT */
/* The numbers of a report: records per probe (entries, returns, unpaired) and,
 * per function, how many calls returned each decoded value. */
#ifndef OT_REPORT_SUMMARY_H
#define OT_REPORT_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>

#include "cases/catalogue.h"
#include "claims/result.h"
#include "trace/trace.h"
#include "util/hashmap.h"

struct ot_ret_count {
	char *text; /* decoded value: "ok", "ERR_PTR(-ENOENT)", "-EACCES", "0", ... */
	size_t n;
	size_t first; /* entry order of the first call that returned it */
};

struct ot_func_summary {
	char *func;
	size_t entries, rets;
	size_t unpaired;	     /* entries without a return plus returns without an entry */
	bool attached;		     /* listed in the run's probes= fact */
	struct ot_ret_count *values; /* in order of first appearance */
	size_t nvalues;
};

struct ot_summary {
	struct ot_func_summary
	    *funcs; /* seen in the log (first appearance), then attached ones never hit */
	size_t nfuncs;
	char **missing; /* in the case's probe set, neither seen nor known to be attached */
	size_t nmissing;
	size_t nentries, nrets, nunpaired;
	size_t nin_flight; /* calls still running when the probes detached (not unpaired) */
	size_t nin_flight_attach; /* returns of calls begun before the probes attached */
	struct ot_map func_index, value_index; /* func -> funcs[i]; func NUL text -> values[j] */
	/* the last names found, by their address (a log's names are shared copies) */
	struct {
		const char *name;
		size_t idx;
	} recent[8];
};

/* The whole trace's summary: init, every call record, every call, finish. */
int ot_summary_build(const struct ot_trace *t, const struct ot_case *kase, struct ot_summary *s);
/* The same piece by piece (call records in log order; calls in any order). */
void ot_summary_init(struct ot_summary *s);
int ot_summary_add_record(struct ot_summary *s, const struct ot_record *r);
int ot_summary_add_call(struct ot_summary *s, const struct ot_call *c);
int ot_summary_finish(struct ot_summary *s, const struct ot_trace *t, const struct ot_case *kase);
void ot_summary_free(struct ot_summary *s);

/* Counts of claim verdicts, by enum ot_verdict. */
void ot_claim_tally(const struct ot_claim_set *cs, size_t tally[4]);

#endif
