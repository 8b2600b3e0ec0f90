// SPDX-License-Identifier: MIT
/* One live run (see runner.h). The trigger waits at its start gate while the
 * backend attaches, filtered on its pid, so that the log holds the case's own
 * operations and nothing of the trigger's loader, setup or cleanup. */
#include "cli/runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "record/logwrite.h"
#include "record/outfile.h"

#define READY_TIMEOUT_MS 120000 /* setup may build an ext2 image under emulation */
#define DONE_TIMEOUT_MS	 120000
#define EXIT_TIMEOUT_MS	 30000
#define READY_FD	 3
#define GATE_FD		 4

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ot_split_list(const char *list, char **buf, const char ***funcs)
{
	size_t n = 1;
	char *save = NULL;

	*buf = strdup(list ? list : "");
	if (!*buf)
		return -1;
	for (const char *p = *buf; *p; p++)
		n += *p == ',';
	*funcs = calloc(n, sizeof(**funcs));
	if (!*funcs) {
		free(*buf);
		return -1;
	}
	n = 0;
	for (char *tok = strtok_r(*buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save))
		(*funcs)[n++] = tok;
	return (int)n;
}

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

void ot_run_catch_signals(void)
{
	struct sigaction sa = {0};

	sa.sa_handler = on_signal; /* no SA_RESTART: a wait returns EINTR and looks */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int ot_run_interrupted(void)
{
	return interrupted;
}

void ot_run_new_id(char *buf, size_t sz)
{
	struct timespec ts;
	unsigned r = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			r = 0;
		close(fd);
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, sz, "%d-%lld.%09ld-%08x", (int)getpid(), (long long)ts.tv_sec, ts.tv_nsec, r);
}

int ot_write_run_start(FILE *log, const char *run_id)
{
	struct ot_line l;

	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "run_id", run_id);
	return ot_line_write(&l, log);
}

int ot_write_run_fact(FILE *log, const char *backend, const char *case_id, unsigned long records,
		      unsigned long lost)
{
	struct utsname u;
	struct ot_line l;
	char when[32] = "unknown";
	time_t t = time(NULL);
	struct tm tm;

	if (uname(&u))
		snprintf(u.release, sizeof(u.release), "unknown");
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	ot_line_begin(&l, "run", "fact", (uint32_t)getpid(), (uint32_t)getpid(), "opentrail");
	ot_line_str(&l, "kernel", u.release);
	ot_line_str(&l, "backend", backend);
	if (case_id)
		ot_line_str(&l, "case", case_id);
	ot_line_str(&l, "time", when);
	ot_line_int(&l, "records", (int64_t)records);
	ot_line_int(&l, "lost", (int64_t)lost);
	if (interrupted)
		ot_line_str(&l, "interrupted", interrupted == SIGINT ? "SIGINT" : "SIGTERM");
	return ot_line_write(&l, log);
}

/* Reads one gate message ("R\n", "D\n") within TIMEOUT_MS: its letter, 0 on EOF,
 * -1 on timeout or error. */
static int read_gate_msg(int fd, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int letter = -1;
	char c;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
		int n;

		if (left < 0)
			return -1;
		if (interrupted)
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

/* fd numbers 3 and 4 are the protocol's: move the pipe ends there whatever
 * numbers they had (a pipe end may itself be 3 or 4). */
static void child_exec(const struct ot_run_opts *o, int ready_w, int gate_r, int out_w, int err_w)
{
	const char *argv[6];
	int n = 0;
	int r = fcntl(ready_w, F_DUPFD, 10), g = fcntl(gate_r, F_DUPFD, 10),
	    out = fcntl(out_w, F_DUPFD, 10), err = fcntl(err_w, F_DUPFD, 10);

	if (r < 0 || g < 0 || out < 0 || err < 0 || dup2(r, READY_FD) < 0 || dup2(g, GATE_FD) < 0 ||
	    dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
		_exit(127);
	close(r);
	close(g);
	close(out);
	close(err);
	argv[n++] = o->trigger;
	argv[n++] = "--gate";
	if (o->workdir) {
		argv[n++] = "--workdir";
		argv[n++] = o->workdir;
	}
	argv[n] = NULL;
	execv(o->trigger, (char *const *)argv);
	_exit(127);
}

/* Everything FD still holds (until EOF or a timeout), as a NUL-terminated buffer. */
static char *read_all(int fd, size_t *lenp)
{
	long long deadline = now_ms() + EXIT_TIMEOUT_MS;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - now_ms();
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
		if (!strncmp(line, "[opentrail] ", 12))
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

static int wait_child(pid_t pid, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			return status;
		if (w < 0 && errno != EINTR)
			return -1;
		if (now_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(10000);
	}
}

static const char *exit_text(int status, char *buf, size_t sz)
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

enum ot_run_status ot_run_case(const struct ot_run_opts *o, struct ot_run_result *r)
{
	int ready[2] = {-1, -1}, gate[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1};
	enum ot_run_status ret = OT_RUN_NO_LOG;
	struct ot_backend_stats stats = {0};
	struct ot_backend_opts bo = {0};
	struct ot_outfile of = {0};
	const char **funcs = NULL;
	char *funcbuf = NULL, how[64];
	void *state = NULL;
	FILE *log = NULL;
	pid_t pid = -1;
	int nfuncs, msg;

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
	if (ot_outfile_open(&of, o->log_path, r->why, sizeof(r->why)))
		goto cleanup;
	log = of.f;
	ot_write_run_start(log, r->run_id);
	if (pipe2(ready, O_CLOEXEC) || pipe2(gate, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(err, O_CLOEXEC)) {
		snprintf(r->why, sizeof(r->why), "pipe: %s", strerror(errno));
		goto cleanup;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(r->why, sizeof(r->why), "fork: %s", strerror(errno));
		goto cleanup;
	}
	if (pid == 0)
		child_exec(o, ready[1], gate[0], out[1], err[1]);
	close(ready[1]);
	close(gate[0]);
	close(out[1]);
	close(err[1]);
	ready[1] = gate[0] = out[1] = err[1] = -1;
	signal(SIGPIPE, SIG_IGN);

	msg = read_gate_msg(ready[0], READY_TIMEOUT_MS);
	if (msg != 'R') {
		snprintf(r->why, sizeof(r->why), "trigger %s: %s before the start gate", o->trigger,
			 interrupted ? "interrupted"
			 : msg < 0   ? "no R in time"
				     : "setup failed");
		goto cleanup; /* nothing was traced: no log */
	}

	bo.funcs = funcs;
	bo.nfuncs = (size_t)nfuncs;
	bo.target = pid;
	bo.verbose = o->verbose;
	bo.log = log;
	if (o->backend->open(&bo, &state, r->why, sizeof(r->why))) {
		state = NULL;
		ret = OT_RUN_CANNOT;
		goto cleanup; /* closing the gate makes the trigger skip to its cleanup */
	}
	ret = OT_RUN_FAILED; /* from here on the log holds something of this run */
	if (interrupted)
		goto cleanup;
	if (write(gate[1], "G", 1) != 1) {
		snprintf(r->why, sizeof(r->why), "the trigger left before the start gate");
		goto cleanup;
	}

	/* Records flow while the trigger works; its D says the operations are over. */
	long long deadline = now_ms() + DONE_TIMEOUT_MS;
	msg = -1;
	while (now_ms() < deadline && !interrupted) {
		struct pollfd p = {.fd = ready[0], .events = POLLIN};

		if (o->backend->poll(state, 20) < 0) {
			snprintf(r->why, sizeof(r->why), "reading the backend's records failed");
			goto cleanup;
		}
		if (poll(&p, 1, 0) > 0) {
			msg = read_gate_msg(ready[0], 1000);
			break;
		}
	}
	o->backend->close(state, &stats);
	state = NULL;
	r->records = stats.records;
	r->lost = stats.lost;
	if (interrupted)
		goto cleanup;
	if (msg != 'D') {
		snprintf(r->why, sizeof(r->why), "trigger %s: %s", o->trigger,
			 msg < 0 ? "operations did not end in time" : "died during its operations");
		goto cleanup;
	}
	if (write(gate[1], "G", 1) != 1)
		snprintf(r->why, sizeof(r->why), "the trigger left before the end gate");
	close(gate[1]);
	gate[1] = -1;
	copy_user_facts(out[0], log, o->verbose);
	r->trigger_status = wait_child(pid, EXIT_TIMEOUT_MS);
	pid = -1;
	if (r->trigger_status != 0)
		snprintf(r->why, sizeof(r->why), "trigger %s: cleanup failed (%s)", o->trigger,
			 exit_text(r->trigger_status, how, sizeof(how)));
	else
		ret = OT_RUN_OK;

cleanup:
	if (state) {
		o->backend->close(state, &stats);
		r->records = stats.records;
		r->lost = stats.lost;
	}
	if (gate[1] >= 0)
		close(gate[1]);
	if (pid > 0) {
		if (interrupted)
			kill(pid, SIGTERM); /* the trigger cleans up its world and leaves */
		if (out[0] >= 0)
			copy_user_facts(out[0], log && ret != OT_RUN_NO_LOG ? log : stderr,
					o->verbose);
		r->trigger_status = wait_child(pid, EXIT_TIMEOUT_MS);
	}
	if (err[0] >= 0)
		show_trigger_errors(err[0], ret != OT_RUN_CANNOT || o->verbose);
	if (interrupted && ret != OT_RUN_CANNOT) {
		snprintf(r->why, sizeof(r->why), "interrupted by %s",
			 interrupted == SIGINT ? "SIGINT" : "SIGTERM");
		if (ret != OT_RUN_NO_LOG)
			ret = OT_RUN_INTERRUPTED;
	}
	if (log) {
		if (ret == OT_RUN_CANNOT || ret == OT_RUN_NO_LOG) {
			ot_outfile_abort(&of); /* nothing was traced: an earlier log stays */
		} else {
			ot_write_run_fact(log, o->backend->name, o->kase->id, r->records, r->lost);
			if (ot_outfile_commit(&of, r->why, sizeof(r->why)))
				ret = OT_RUN_NO_LOG;
		}
	}
	for (int i = 0; i < 2; i++) {
		if (ready[i] >= 0)
			close(ready[i]);
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
		if (i == 0 && gate[0] >= 0)
			close(gate[0]);
	}
	free(funcs);
	free(funcbuf);
	return ret;
}
