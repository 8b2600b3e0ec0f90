// SPDX-License-Identifier: MIT
/* Processes started stopped at a gate (see spawn.h). */
#include "live/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <grp.h>

#include "live/gate.h"
#include "live/session.h"

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int ot_spawn_command(char *const *cmd, const struct ot_run_as *as, struct ot_gated *g, char *why,
		     size_t whysz)
{
	int gate[2];

	*g = (struct ot_gated)OT_GATED_NONE;
	if (pipe2(gate, O_CLOEXEC)) {
		snprintf(why, whysz, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	g->pid = fork();
	if (g->pid < 0) {
		snprintf(why, whysz, "fork: %s", strerror(errno));
		close(gate[0]);
		close(gate[1]);
		return -1;
	}
	if (g->pid == 0) {
		char c;

		close(gate[1]);
		if (read(gate[0], &c, 1) != 1)
			_exit(126); /* opentrail gave up before releasing the command */
		if (as && as->as_user &&
		    (setgroups(0, NULL) || setgid(as->gid) || setuid(as->uid))) {
			fprintf(stderr, "opentrail: cannot become uid %u gid %u: %s\n",
				(unsigned)as->uid, (unsigned)as->gid, strerror(errno));
			_exit(126);
		}
		execvp(cmd[0], cmd);
		fprintf(stderr, "opentrail: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	g->gate_w = gate[1];
	return 0;
}

/* In the child: the protocol's descriptors are 3 and 4 whatever numbers the pipe
 * ends had (a pipe end may itself be 3 or 4), then exec. */
static void exec_trigger(const char *trigger, const char *workdir, int ready_w, int gate_r,
			 int out_w, int err_w)
{
	const char *argv[6];
	int n = 0;
	int r = fcntl(ready_w, F_DUPFD, 10), g = fcntl(gate_r, F_DUPFD, 10),
	    out = fcntl(out_w, F_DUPFD, 10), err = fcntl(err_w, F_DUPFD, 10);

	if (r < 0 || g < 0 || out < 0 || err < 0 || dup2(r, OT_GATE_READY_FD) < 0 ||
	    dup2(g, OT_GATE_FD) < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
		_exit(127);
	close(r);
	close(g);
	close(out);
	close(err);
	argv[n++] = trigger;
	argv[n++] = "--gate";
	if (workdir) {
		argv[n++] = "--workdir";
		argv[n++] = workdir;
	}
	argv[n] = NULL;
	execv(trigger, (char *const *)argv);
	_exit(127);
}

int ot_spawn_trigger(const char *trigger, const char *workdir, struct ot_gated *g, char *why,
		     size_t whysz)
{
	int ready[2] = {-1, -1}, gate[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};

	*g = (struct ot_gated)OT_GATED_NONE;
	if (pipe2(ready, O_CLOEXEC) || pipe2(gate, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(err, O_CLOEXEC)) {
		snprintf(why, whysz, "pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL);
	g->pid = fork();
	if (g->pid < 0) {
		snprintf(why, whysz, "fork: %s", strerror(errno));
		goto fail;
	}
	if (g->pid == 0)
		exec_trigger(trigger, workdir, ready[1], gate[0], out[1], err[1]);
	close(ready[1]);
	close(gate[0]);
	close(out[1]);
	close(err[1]);
	g->ready_r = ready[0];
	g->gate_w = gate[1];
	g->out_r = out[0];
	g->err_r = err[0];
	signal(SIGPIPE, SIG_IGN); /* a trigger that left: the gate's write says so */
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&ready[i]);
		close_fd(&gate[i]);
		close_fd(&out[i]);
		close_fd(&err[i]);
	}
	g->pid = -1;
	return -1;
}

int ot_gate_release(struct ot_gated *g)
{
	char c = OT_GATE_GO;

	return g->gate_w >= 0 && write(g->gate_w, &c, 1) == 1 ? 0 : -1;
}

void ot_gate_close(struct ot_gated *g)
{
	close_fd(&g->gate_w);
}

void ot_gated_close_fds(struct ot_gated *g)
{
	close_fd(&g->gate_w);
	close_fd(&g->ready_r);
	close_fd(&g->out_r);
	close_fd(&g->err_r);
}

int ot_gate_read_msg(int fd, int timeout_ms)
{
	long long deadline = ot_live_now_ms() + timeout_ms;
	int letter = -1;
	char c;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - ot_live_now_ms();
		int n;

		if (left < 0 || ot_run_interrupted())
			return -1;
		n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		n = read(fd, &c, 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		if (c == '\n')
			return letter < 0 ? '?' : letter;
		if (letter < 0)
			letter = (unsigned char)c;
	}
}

int ot_child_exited(pid_t pid, int *status)
{
	return waitpid(pid, status, WNOHANG) == pid;
}

int ot_wait_child(pid_t pid, int timeout_ms)
{
	long long deadline = ot_live_now_ms() + timeout_ms;
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
		if (ot_live_now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0); /* SIGKILL cannot be refused */
			return -1;
		}
		usleep(10000);
	}
}

int ot_stop_child(pid_t pid, int timeout_ms)
{
	kill(pid, SIGTERM);
	return ot_wait_child(pid, timeout_ms);
}

const char *ot_exit_text(int status, char *buf, size_t sz)
{
	if (status < 0)
		snprintf(buf, sz, "did not exit in time");
	else if (WIFEXITED(status))
		snprintf(buf, sz, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, sz, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, sz, "status %d", status);
	return buf;
}

/* Is CMD something execvp would find (a path, or a name on $PATH)? */
bool ot_command_exists(const char *cmd)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	struct stat st;

	if (strchr(cmd, '/'))
		return !stat(cmd, &st) && S_ISREG(st.st_mode) && !access(cmd, X_OK);
	if (!path || !*path)
		path = "/bin:/usr/bin";
	for (const char *p = path; *p;) {
		size_t n = strcspn(p, ":");

		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? p : ".", cmd) <
			(int)sizeof(buf) &&
		    !stat(buf, &st) && S_ISREG(st.st_mode) && !access(buf, X_OK))
			return true;
		p += n;
		if (*p == ':')
			p++;
	}
	return false;
}
