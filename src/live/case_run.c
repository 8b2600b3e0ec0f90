// SPDX-License-Identifier: MIT
/* One live run of a case (see case_run.h). The trigger waits at its start gate
 * while the backend attaches, filtered on its pid, so that the log holds the
 * case's own operations and nothing of the trigger's loader, setup or cleanup. */
#include "live/case_run.h"
#include "live/lines.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "live/gate.h"
#include "live/session.h"
#include "live/spawn.h"
#include "record/lineformat.h"
#include "util/outfile.h"

#define READY_TIMEOUT_MS 120000 /* setup may build an ext2 image under emulation */
#define DONE_TIMEOUT_MS	 120000
#define EXIT_TIMEOUT_MS	 30000
#define POLL_STEP_MS	 20

/* Everything FD still holds (until EOF or a timeout), as a NUL-terminated buffer. */
static char *read_all(int fd, size_t *lenp)
{
	long long deadline = ot_live_now_ms() + EXIT_TIMEOUT_MS;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - ot_live_now_ms();
		ssize_t n;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (!nb)
				break;
			buf = nb;
			cap += 65536;
		}
		if (left < 0 || poll(&p, 1, (int)left) <= 0)
			break;
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	if (buf)
		buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* The trigger's stdout after the last gate: its user.fact lines go into the log. */
static void copy_user_facts(int fd, FILE *log, bool verbose)
{
	size_t len;
	char *buf = read_all(fd, &len);

	for (char *line = buf, *end; buf && line < buf + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(buf + len - line));
		if (!end)
			end = buf + len;
		*end = '\0';
		if (!strncmp(line, OT_LINE_TAG, strlen(OT_LINE_TAG)))
			fprintf(log, "%s\n", line);
		else if (verbose && *line)
			fprintf(stderr, "trigger: %s\n", line);
	}
	free(buf);
}

/* The trigger's stderr, shown unless the run never started: then its complaint
 * about the closed gate is expected and the backend's reason is what matters. */
static void show_trigger_errors(int fd, bool show)
{
	size_t len;
	char *buf = read_all(fd, &len);

	if (show && buf && len)
		fputs(buf, stderr);
	free(buf);
}

/* Has the trigger written its next message (D)? */
static bool message_waiting(void *arg)
{
	struct pollfd p = {.fd = *(int *)arg, .events = POLLIN};

	return poll(&p, 1, 0) > 0;
}

enum ot_run_status ot_run_case(const struct ot_run_opts *o, struct ot_run_result *r)
{
	enum ot_run_status ret = OT_RUN_NO_LOG;
	struct ot_gated g = OT_GATED_NONE;
	struct ot_backend_stats stats = {0};
	struct ot_backend_opts bo = {0};
	struct ot_outfile of = {0};
	const char **funcs = NULL;
	char *funcbuf = NULL, how[64];
	void *state = NULL;
	FILE *log = NULL;
	int nfuncs, msg, nlines = 0;
	const char *lines = o->lines ? o->lines : o->kase->lines;
	const char **linefuncs = NULL;
	char *linebuf = NULL, lines_why[320] = "";
	struct ot_lineplan plan = {0};

	memset(r, 0, sizeof(*r));
	r->trigger_status = -1;
	ot_run_new_id(r->run_id, sizeof(r->run_id));
	if (access(o->trigger, X_OK)) {
		snprintf(r->why, sizeof(r->why), "trigger %s not found (make triggers)",
			 o->trigger);
		return OT_RUN_NO_LOG;
	}
	nfuncs = ot_split_list(o->kase->probes, &funcbuf, &funcs);
	if (nfuncs < 0) {
		snprintf(r->why, sizeof(r->why), "out of memory");
		goto cleanup;
	}
	if (lines && (nlines = ot_split_list(lines, &linebuf, &linefuncs)) > 0) {
		if (!ot_live_lineplan(linefuncs, (size_t)nlines, &plan, lines_why,
				      sizeof(lines_why))) {
			bo.lines = &plan;
		} else if (o->lines) { /* asked for on the command line: nothing without them */
			snprintf(r->why, sizeof(r->why), "%s", lines_why);
			ret = OT_RUN_CANNOT;
			goto cleanup;
		}
	}
	if (ot_outfile_open(&of, o->log_path, r->why, sizeof(r->why)))
		goto cleanup;
	log = of.f;
	ot_write_run_start(log, r->run_id, false, funcs, (size_t)nfuncs);
	if (ot_spawn_trigger(o->trigger, o->workdir, &g, r->why, sizeof(r->why)))
		goto cleanup;

	msg = ot_gate_read_msg(g.ready_r, READY_TIMEOUT_MS);
	if (msg != OT_GATE_READY) {
		snprintf(r->why, sizeof(r->why), "trigger %s: %s before the start gate", o->trigger,
			 ot_run_interrupted() ? "interrupted"
			 : msg < 0	      ? "no R in time"
					      : "setup failed");
		goto cleanup; /* nothing was traced: no log */
	}

	bo.funcs = funcs;
	bo.nfuncs = (size_t)nfuncs;
	bo.target = g.pid;
	bo.verbose = o->verbose;
	bo.log = log;
	bo.held = o->held;
	if (o->backend->open(&bo, &state, r->why, sizeof(r->why))) {
		state = NULL;
		ret = OT_RUN_CANNOT;
		goto cleanup; /* closing the gate makes the trigger skip to its cleanup */
	}
	ret = OT_RUN_FAILED; /* from here on the log holds something of this run */
	if (ot_run_interrupted())
		goto cleanup;
	if (ot_gate_release(&g)) {
		snprintf(r->why, sizeof(r->why), "the trigger left before the start gate");
		goto cleanup;
	}

	/* Records flow while the trigger works; its D says the operations are over. */
	msg = -1;
	switch (ot_live_poll(o->backend, state, message_waiting, &g.ready_r, POLL_STEP_MS,
			     DONE_TIMEOUT_MS)) {
	case OT_POLL_FAILED:
		snprintf(r->why, sizeof(r->why), "reading the backend's records failed");
		goto cleanup;
	case OT_POLL_DONE:
		msg = ot_gate_read_msg(g.ready_r, 1000);
		break;
	default:
		break;
	}
	o->backend->close(state, &stats);
	state = NULL;
	r->records = stats.records;
	r->lost = stats.lost;
	if (ot_run_interrupted())
		goto cleanup;
	if (msg != OT_GATE_DONE) {
		snprintf(r->why, sizeof(r->why), "trigger %s: %s", o->trigger,
			 msg < 0 ? "operations did not end in time" : "died during its operations");
		goto cleanup;
	}
	if (ot_gate_release(&g))
		snprintf(r->why, sizeof(r->why), "the trigger left before the end gate");
	ot_gate_close(&g);
	copy_user_facts(g.out_r, log, o->verbose);
	r->trigger_status = ot_wait_child(g.pid, EXIT_TIMEOUT_MS);
	g.pid = -1;
	if (r->trigger_status != 0)
		snprintf(r->why, sizeof(r->why), "trigger %s: cleanup failed (%s)", o->trigger,
			 ot_exit_text(r->trigger_status, how, sizeof(how)));
	else
		ret = OT_RUN_OK;

cleanup:
	if (state) {
		o->backend->close(state, &stats);
		r->records = stats.records;
		r->lost = stats.lost;
	}
	ot_gate_close(&g);
	if (g.pid > 0) {
		if (ot_run_interrupted())
			kill(g.pid, SIGTERM); /* the trigger cleans up its world and leaves */
		if (g.out_r >= 0)
			copy_user_facts(g.out_r, log && ret != OT_RUN_NO_LOG ? log : stderr,
					o->verbose);
		r->trigger_status = ot_wait_child(g.pid, EXIT_TIMEOUT_MS);
	}
	if (g.err_r >= 0)
		show_trigger_errors(g.err_r, ret != OT_RUN_CANNOT || o->verbose);
	if (ot_run_interrupted() && ret != OT_RUN_CANNOT) {
		snprintf(r->why, sizeof(r->why), "interrupted by %s",
			 ot_run_signal_name(ot_run_interrupted()));
		if (ret != OT_RUN_NO_LOG)
			ret = OT_RUN_INTERRUPTED;
	}
	if (log) {
		if (ret == OT_RUN_CANNOT || ret == OT_RUN_NO_LOG) {
			ot_outfile_abort(&of); /* nothing was traced: an earlier log stays */
		} else {
			struct ot_run_end end = {
			    o->backend->name, o->kase->id, r->records, r->lost, NULL, NULL, &stats, NULL};

			end.lines_unavailable = *lines_why && !bo.lines ? lines_why : NULL;
			ot_write_run_fact(log, &end);
			if (ot_outfile_commit(&of, r->why, sizeof(r->why)))
				ret = OT_RUN_NO_LOG;
		}
	}
	ot_gated_close_fds(&g);
	free(funcs);
	free(funcbuf);
	free(linefuncs);
	free(linebuf);
	ot_lineplan_free(&plan);
	return ret;
}
