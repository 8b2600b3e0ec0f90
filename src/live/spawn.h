/* SPDX-License-Identifier: MIT */
/* Processes started stopped at a gate, so that the probes are attached (filtered
 * on their pid) before they do anything: a command that execs once released
 * (trace), or a trigger that speaks the gate protocol (gate.h) on descriptors 3
 * and 4 (run). And their ends: every wait has a timeout. */
#ifndef OT_LIVE_SPAWN_H
#define OT_LIVE_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ot_gated {
	pid_t pid;   /* -1: none */
	int gate_w;  /* the runner's end of the gate: one 'G' releases the child */
	int ready_r; /* the trigger's R/D messages (triggers only, else -1) */
	int out_r;   /* the trigger's stdout and stderr (triggers only, else -1) */
	int err_r;
};

#define OT_GATED_NONE                                                                              \
	{                                                                                          \
		-1, -1, -1, -1, -1                                                                 \
	}

/* Who a started command runs as (trace --user): AS_USER false keeps opentrail's. */
struct ot_run_as {
	bool as_user;
	uid_t uid;
	gid_t gid;
};

/* CMD (execvp) in a child that waits at the gate first, then takes AS's user and
 * group (NULL: opentrail's) with no supplementary groups; its stdio is opentrail's.
 * Returns 0, or -1 with WHY. */
int ot_spawn_command(char *const *cmd, const struct ot_run_as *as, struct ot_gated *g, char *why,
		     size_t whysz);
/* TRIGGER --gate [--workdir WORKDIR] with the ready pipe on fd 3, the gate on fd 4
 * and its stdout and stderr piped. Returns 0, or -1 with WHY. */
int ot_spawn_trigger(const char *trigger, const char *workdir, struct ot_gated *g, char *why,
		     size_t whysz);
/* One 'G' through the gate. Returns 0, or -1 when the child has left. */
int ot_gate_release(struct ot_gated *g);
/* Closes the gate: a child still waiting there gives up. */
void ot_gate_close(struct ot_gated *g);
/* Closes every descriptor of G (not the process). */
void ot_gated_close_fds(struct ot_gated *g);

/* Reads one gate message ("R\n", "D\n") within TIMEOUT_MS: its letter, 0 on EOF,
 * -1 on timeout, error or a signal that interrupts the run. */
int ot_gate_read_msg(int fd, int timeout_ms);

/* Is the child PID done? Reaps it into *STATUS then. */
int ot_child_exited(pid_t pid, int *status);
/* Waits for the child PID up to TIMEOUT_MS, then kills it (SIGKILL) and reaps it.
 * Returns its wait status, or -1 when it had to be killed or cannot be waited for. */
int ot_wait_child(pid_t pid, int timeout_ms);
/* Asks the child PID to leave (SIGTERM), waits up to TIMEOUT_MS, then kills it. */
int ot_stop_child(pid_t pid, int timeout_ms);
/* Is CMD something execvp would find (a path, or a name on $PATH)? */
bool ot_command_exists(const char *cmd);
/* "exit 1", "killed by signal 9", "did not exit in time" */
const char *ot_exit_text(int status, char *buf, size_t sz);

#endif
