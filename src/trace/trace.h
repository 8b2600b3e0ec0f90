/* SPDX-License-Identifier: MIT */
/* The trace: a log's call records paired per thread into call trees. Every
 * backend ends here; nothing downstream knows where the records came from. */
#ifndef OT_TRACE_H
#define OT_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record/record.h"
#include "trace/decode.h"

struct ot_arena;
struct ot_srcinfo;

struct ot_call {
	const char *func;
	const struct ot_record *entry; /* NULL: a return whose entry is not in the log */
	const struct ot_record *ret;   /* NULL: an entry whose return is not in the log */
	struct ot_ret dec;	       /* decoded return (OT_RC_UNKNOWN without ret) */
	enum ot_ret_kind kind;	       /* how it was decoded: the spec's, or this kernel's
					* (run.fact returns="f=ptr,...") */
	struct ot_call *parent;
	struct ot_call **kids;
	size_t nkids;
	unsigned depth;
	size_t index; /* position in trace->calls (entry order) */
	size_t pre;   /* position in trace->preorder: the subtree is pre..last */
	size_t last;
	uint32_t pid, tid;
	/* Source lines that ran while this was the thread's innermost traced call
	 * (FUNC.line records, in order; their points are T->line_points[id]). */
	const struct ot_record **hits;
	size_t nhits;
	/* Not paired because the run joined or left a process it did not start
	 * (trace -p) in the middle of this call: in flight, not unpaired. */
	uint8_t in_flight; /* enum ot_in_flight */
	/* The N-th call of the trace's anchor (1-based, in entry order), numbered as it
	 * enters; 0: not one, or the trace was built without an anchor. */
	uint32_t op;
};

enum ot_in_flight {
	OT_NOT_IN_FLIGHT = 0,
	/* An entry still running when the probes detached (run.fact detached=). */
	OT_IN_FLIGHT_AT_DETACH,
	/* A return whose call began before the probes attached to a process that was
	 * already running (the opening run.fact's process="running"). */
	OT_IN_FLIGHT_AT_ATTACH,
};

struct ot_thread {
	uint32_t pid, tid;
	const char *comm;
	struct ot_call **roots;
	size_t nroots;
};

struct ot_trace;

/* What is done with each operation -- a top-level call and all the calls under it --
 * once it is complete: its subtree is T->preorder[ROOT->pre .. ROOT->last]. */
struct ot_op_consumer {
	void (*op)(void *ctx, const struct ot_trace *t, const struct ot_call *root);
	void *ctx;
};

/* A call that returned what a user-level call saw (a syscall probe's, or its stand-in's
 * one level down): what user_agrees compares the trigger's results with. */
struct ot_user_ret {
	size_t index; /* the call's position in entry order */
	const char *func;
	unsigned ret_line;
	struct ot_ret dec;
	enum ot_ret_kind kind;
};

/* The trace claim block's numbers (claims/kind_trace.c), counted per operation as it completes. */
struct ot_trace_stats {
	size_t calls, unpaired, rets, undecoded;
	size_t in_flight; /* calls cut by the attach or the detach (not in CALLS) */
	size_t first_unpaired, first_undecoded; /* call index; (size_t)-1: none */
	const char *first_unpaired_func, *first_undecoded_func;
	/* evidence: sorted and unique once the trace is complete */
	unsigned *unpaired_lines, *undecoded_lines, *call_lines, *ret_lines;
	size_t nunpaired_lines, nundecoded_lines, ncall_lines, nret_lines;
	struct ot_user_ret *user_rets; /* sorted by index once complete */
	size_t nuser_rets;
	const char **called; /* user-level functions with calls at all */
	size_t ncalled;
};

struct ot_pairing;

/* Line probes one log may describe (line.fact id=0..). */
#define OT_TRACE_LINE_POINTS_MAX 65536

struct ot_trace {
	const struct ot_log *log;
	struct ot_call **calls; /* every call, in order of first appearance in the log */
	size_t ncalls;
	struct ot_thread *threads;
	size_t nthreads;
	const struct ot_record **facts; /* fact records, in log order */
	size_t nfacts;
	/* The run.fact records among them: looked up per decoded return, so never a scan
	 * of every fact (a traced program's log has a user.fact per operation). */
	const struct ot_record **run_facts;
	size_t nrun_facts;
	/* Every call, threads and roots in order, each call before its subtree: a
	 * subtree is the range preorder[c->pre .. c->last] (no recursion needed). */
	struct ot_call **preorder;
	const struct ot_srcinfo *src; /* source-level facts (src/srcmap/srcinfo.h), or NULL */
	struct ot_arena *call_pool;   /* the calls themselves, freed together */
	struct ot_trace_stats stats;
	/* Line probes (docs/line-format.md "Line probes"): the line.fact of each point, by
	 * its id (NULL: no such id), and hits that came while no traced call was open on
	 * their thread. */
	const struct ot_record **line_points;
	size_t nline_points;
	size_t line_hits, line_hits_outside;
	/* Building (ot_trace_begin .. ot_trace_end). STREAMED: each operation is handed to
	 * the consumers when it completes and then released (calls, roots and records are
	 * not kept: calls, threads[].roots and preorder hold only the operation being
	 * handed over). Otherwise every operation is kept and handed over at the end, in
	 * thread and root order, with the whole trace numbered. */
	bool streamed;
	struct ot_op_consumer *consumers;
	size_t nconsumers;
	struct ot_pairing *pr;
	struct ot_arena *fact_pool; /* streamed: the facts, copied out of the reader */
	bool detached;		    /* the run ended by detaching (run.fact detached=) */
	/* The function whose calls are the case's operations (op#N): set before the first
	 * record, its calls are numbered in ot_call.op (NULL: none numbered). */
	const char *anchor;
	uint32_t nanchor_calls;
};

/* The whole trace of LOG's records (begin, add each record, end). */
int ot_trace_build(const struct ot_log *log, struct ot_trace *t);
/* Building record by record: LOG gives the name and counts; STREAMED as above. */
void ot_trace_begin(struct ot_trace *t, const struct ot_log *log, bool streamed);
void ot_trace_add_consumer(struct ot_trace *t, struct ot_op_consumer c);
/* R must live as long as the trace; STREAMED, a call's or a line's record only until
 * its operation has been handed over (a fact is copied). */
void ot_trace_add(struct ot_trace *t, const struct ot_record *r);
/* STREAMED, while building: the first log line of the records that the operations
 * still open hold (UINT_MAX: none open); earlier records are no longer needed. */
unsigned ot_trace_first_open_line(const struct ot_trace *t);
/* Completes the operations still open at the end of the log. */
void ot_trace_end(struct ot_trace *t);
/* While building: the position in T->threads of C's thread. */
size_t ot_trace_thread_index(const struct ot_trace *t, const struct ot_call *c);
void ot_trace_free(struct ot_trace *t);

/* Is CALL inside ANCESTOR's subtree (or ANCESTOR itself)? O(1). */
bool ot_call_within(const struct ot_call *call, const struct ot_call *ancestor);
bool ot_call_paired(const struct ot_call *c);
/* Neither paired nor in flight: an entry or a return whose other half is missing. */
bool ot_call_unpaired(const struct ot_call *c);
/* First line of evidence for a call (entry line, else return line). */
unsigned ot_call_line(const struct ot_call *c);

/* The line.fact of line probe ID, or NULL. */
const struct ot_record *ot_trace_line_point(const struct ot_trace *t, uint64_t id);
/* The point of line hit H (a FUNC.line record), or NULL. */
const struct ot_record *ot_trace_hit_point(const struct ot_trace *t, const struct ot_record *h);

/* The value of "run.fact" KEY (last one wins), or NULL. */
const char *ot_trace_run_fact(const struct ot_trace *t, const char *key);
/* Was FUNC attached in this run (listed in a run.fact probes=...)? Unknown for seed logs: false. */
/* Is FUNC one of ALTS ("fput" or "fput|fput_close")? */
bool ot_func_is(const char *func, const char *alts);
bool ot_trace_probed(const struct ot_trace *t, const char *func);

#endif
