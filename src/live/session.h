/* SPDX-License-Identifier: MIT */
/* What every live run shares, whether it runs a case's trigger (case_run.h) or
 * traces a command or a process (trace_run.h): the signals that end it, its run
 * id, the run.fact lines that open and close its log, and the loop that moves
 * the backend's records into the log until the run is over. */
#ifndef OT_LIVE_SESSION_H
#define OT_LIVE_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "probe/backend.h"

/* SIGINT and SIGTERM stop a run (or a trace) cleanly instead of killing opentrail:
 * the probes are detached and what was captured is written. */
void ot_run_catch_signals(void);
/* The signal that interrupted the run, or 0. */
int ot_run_interrupted(void);
/* "SIGINT" or "SIGTERM" for SIG. */
const char *ot_run_signal_name(int sig);

/* Milliseconds of CLOCK_MONOTONIC. */
long long ot_live_now_ms(void);

/* A new run id (pid, time, random) into BUF. */
void ot_run_new_id(char *buf, size_t sz);
/* The opening run.fact line: run_id="...", so that an analysis knows the log is this run's;
 * process="running" when RUNNING: the run joins a process that was already running
 * (trace -p), so calls it was in are seen by their return alone. Then one spec.fact
 * line for each of the NFUNCS FUNCS that the probe spec knows: its role, its names
 * and each field's kind, which is how the log's values are read (docs/line-format.md
 * "Descriptions"). Both backends' runs start with these lines. */
int ot_write_run_start(FILE *log, const char *run_id, bool running, const char *const *funcs,
		       size_t nfuncs);

/* What the closing run.fact says. */
struct ot_run_end {
	const char *backend;
	const char *case_id; /* NULL: a trace */
	unsigned long records, lost;
	/* The run ended because the user detached it from a process it did not start
	 * (trace -p + SIGINT/SIGTERM): "SIGINT"/"SIGTERM". Such a run is whole, not
	 * interrupted; the calls still open then were in flight. NULL otherwise. */
	const char *detached;
	const struct ot_backend_opts *filter; /* its path_glob/errors_only, or NULL */
	const struct ot_backend_stats *stats; /* the filter's counts, or NULL */
	/* The case names functions whose lines it probes, and they could not be: why. */
	const char *lines_unavailable;
};

/* The closing run.fact line: kernel (uname -r), backend, case, time, records and
 * lost; interrupted="SIGINT" when a signal cut the run short (and it was not a
 * detach); detached=, and the filters with what they left out. */
int ot_write_run_fact(FILE *log, const struct ot_run_end *e);

/* Splits a comma-separated probe list into FUNCS (pointers into a copy that the
 * caller frees with free(*buf)). Returns the count, or -1. */
int ot_split_list(const char *list, char **buf, const char ***funcs);

/* While tracing, the reader (this process) runs before the traced program whenever it
 * has records to move (SCHED_FIFO, lowest priority, not inherited by children): on
 * one CPU a program that opens in a tight loop otherwise outruns the reader and the
 * ring buffer drops records. ON false goes back to normal scheduling (for the
 * analysis). Returns 0, or -1 when the kernel refuses (then nothing changed). */
int ot_live_reader_first(bool on);

enum ot_poll_end {
	OT_POLL_DONE,	     /* DONE said the run is over */
	OT_POLL_INTERRUPTED, /* SIGINT/SIGTERM */
	OT_POLL_TIMEOUT,     /* TIMEOUT_MS passed */
	OT_POLL_FAILED,	     /* the backend could not move its records */
};

/* Moves the backend's records into the log, STEP_MS at a time, until DONE(ARG)
 * is true, a signal arrives or TIMEOUT_MS passes (< 0: only DONE or a signal
 * end it -- DONE must then watch something that ends, like a process). */
enum ot_poll_end ot_live_poll(const struct ot_backend *be, void *state, bool (*done)(void *),
			      void *arg, int step_ms, long long timeout_ms);

#endif
