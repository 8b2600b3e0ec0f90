// SPDX-License-Identifier: MIT
/* `opentrail trace` live (see trace_run.h): the same gate as a case's run, with
 * a plain command behind it instead of a trigger. */
#include "live/trace_run.h"
#include "live/lines.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "live/session.h"
#include "live/spawn.h"

#define POLL_STEP_MS	50
#define EXIT_TIMEOUT_MS 30000 /* a command asked to leave (SIGTERM) is then killed */

struct target {
	const struct ot_trace_opts *o;
	pid_t child;
	int *status;
	bool reaped;
};

/* The command exited (reaped into *status), or the followed process is gone. */
static bool target_done(void *arg)
{
	struct target *t = arg;

	if (t->o->cmd)
		return t->reaped = ot_child_exited(t->child, t->status);
	return kill(t->o->pid, 0) && errno == ESRCH;
}

int ot_live_trace(const struct ot_trace_opts *o, struct ot_trace_result *r)
{
	struct ot_gated g = OT_GATED_NONE;
	struct ot_backend_opts bo = {0};
	struct ot_lineplan plan = {0};
	struct target tg = {o, -1, &r->status, false};
	void *state = NULL;
	int ret = -1;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (o->nlines) {
		if (o->path_glob || o->errors_only) {
			snprintf(r->why, sizeof(r->why),
				 "--lines does not go with --path or --errors-only yet: the filters "
				 "keep whole operations, line hits are not part of them");
			r->cannot_probe = true;
			return -1;
		}
		if (ot_live_lineplan(o->lines, o->nlines, &plan, r->why, sizeof(r->why))) {
			r->cannot_probe = true;
			return -1;
		}
		bo.lines = &plan;
	}
	if (o->cmd && ot_spawn_command(o->cmd, &o->run_as, &g, r->why, sizeof(r->why))) {
		char why[sizeof(r->why)];

		snprintf(why, sizeof(why), "%s", r->why);
		ot_setf(r->why, sizeof(r->why), "cannot start %s: %s", o->cmd[0], why);
		return -1;
	}
	tg.child = g.pid;

	/* Before the (slow) attach, so that an early ^C still ends the trace cleanly. */
	ot_run_catch_signals();
	bo.funcs = o->funcs;
	bo.nfuncs = o->nfuncs;
	bo.target = o->cmd ? g.pid : o->pid;
	bo.follow_children = o->follow_children;
	bo.verbose = o->verbose;
	bo.log = o->log;
	bo.path_glob = o->path_glob;
	bo.errors_only = o->errors_only;
	if (o->backend->open(&bo, &state, r->why, sizeof(r->why))) {
		state = NULL;
		r->cannot_probe = true;
		goto cleanup;
	}
	if (o->cmd && !ot_run_interrupted() && ot_gate_release(&g)) {
		snprintf(r->why, sizeof(r->why), "the command left before it was released");
		goto cleanup;
	}
	ret = 0;
	if (ot_live_reader_first(true) && o->verbose)
		fprintf(stderr,
			"trace: the reader runs at normal priority (SCHED_FIFO refused: %s): "
			"a fast program may outrun it, lost records are counted\n",
			strerror(errno));
	/* As long as the command or the process lives: they bound this wait. */
	if (ot_live_poll(o->backend, state, target_done, &tg, POLL_STEP_MS, -1) == OT_POLL_FAILED)
		snprintf(r->why, sizeof(r->why), "reading the backend's records failed");
	if (ot_run_interrupted())
		r->end = o->cmd ? OT_TRACE_INTERRUPTED : OT_TRACE_DETACHED;
	/* Interrupted, or the records could not be read: the command is asked to leave. */
	if (o->cmd && !tg.reaped && !ot_child_exited(g.pid, &r->status))
		r->status = ot_stop_child(g.pid, EXIT_TIMEOUT_MS);
	o->backend->close(state, &r->stats);
	state = NULL;
	ot_live_reader_first(false); /* the analysis is no emergency */

	struct ot_run_end end = {o->backend->name, NULL, r->stats.records, r->stats.lost, NULL, &bo,
				 &r->stats, NULL};
	if (r->end == OT_TRACE_DETACHED)
		end.detached = ot_run_signal_name(ot_run_interrupted());
	ot_write_run_fact(o->log, &end);
	g.pid = -1; /* reaped */
cleanup:
	if (state)
		o->backend->close(state, NULL);
	ot_live_reader_first(false);
	ot_gate_close(&g); /* a command never released gives up (exit 126) */
	if (g.pid > 0 && ret) {
		kill(g.pid, SIGKILL);
		ot_wait_child(g.pid, EXIT_TIMEOUT_MS);
	}
	ot_gated_close_fds(&g);
	ot_lineplan_free(&plan);
	return ret;
}
