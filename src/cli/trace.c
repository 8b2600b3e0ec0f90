// SPDX-License-Identifier: MIT
/* opentrail trace: any command (or a running process) under the probe backend,
 * shown as its call tree. No trigger and no claims of a case: only the trace
 * claim block (every call paired, every return decoded). */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "cli/analyse.h"
#include "probe/backend.h"
#include "cli/commands.h"
#include "cli/runner.h"
#include "probe/spec.h"
#include "record/outfile.h"

#define OPEN_PROBES                                                                                \
	"do_sys_openat2,getname,do_filp_open,path_openat,link_path_walk,step_into,pick_link,"      \
	"lookup_open,d_lookup,__d_lookup,__d_lookup_rcu,d_alloc_parallel,__d_alloc,"               \
	"d_splice_alias,__d_add,may_open,inode_permission,vfs_open,fd_install"

struct trace_args {
	const char *funcs;
	pid_t pid;
	const char *outdir;
	bool verbose;
	bool top_only;
	char **cmd;
};

static const char trace_doc[] =
    "Trace a command (started stopped, released once the probes are attached) or a "
    "running process, and print its call tree through the open path.\v"
    "The command is traced from its exec on, so its dynamic loader's opens appear too, "
    "and so are the processes it starts, theirs, and so on (as strace -f does; "
    "--top-only follows the command's own process and threads only). "
    "With -p the process is followed until it exits or opentrail is interrupted. "
    "Without --out the report goes to stdout and the log's path to stderr.\n\n"
    "Exit status: 0 every call paired and decoded; 1 not; 2 bad input (an unknown "
    "function, no such command or process) or the kernel cannot be probed here; 130/143 "
    "interrupted by SIGINT/SIGTERM (what was captured is written, marked interrupted).\n\n"
    "EXAMPLES:\n"
    "  opentrail trace -- cat /etc/hostname\n"
    "  opentrail trace -f do_filp_open,__d_alloc -- ls /nonexistent\n"
    "  opentrail trace -p 1234 --out /tmp/t\n"
    "  opentrail lab -- opentrail trace -- cat /etc/hostname";

static const struct argp_option trace_opts[] = {
    {"funcs", 'f', "FUNC,...", 0, "Functions to probe (default: the open path)", 0},
    {"pid", 'p', "PID", 0, "Follow a running process instead of starting CMD", 0},
    {"out", 'o', "DIR", 0, "Write DIR/trace.log and DIR/trace.md", 0},
    {"top-only", 't', NULL, 0, "Follow only the process itself, not the ones it starts", 0},
    {"verbose", 'v', NULL, 0, "Say how each function is probed; show libbpf's messages", 0},
    {0},
};

static error_t trace_parse(int key, char *arg, struct argp_state *state)
{
	struct trace_args *a = state->input;
	char *end;

	switch (key) {
	case 'f':
		a->funcs = arg;
		break;
	case 'p':
		errno = 0;
		a->pid = (pid_t)strtol(arg, &end, 10);
		if (errno || *end || a->pid <= 0)
			argp_error(state, "bad PID '%s'", arg);
		break;
	case 'o':
		a->outdir = arg;
		break;
	case 'v':
		a->verbose = true;
		break;
	case 't':
		a->top_only = true;
		break;
	case ARGP_KEY_ARGS:
		a->cmd = state->argv + state->next;
		break;
	case ARGP_KEY_END:
		if (!a->cmd && !a->pid)
			argp_error(state, "no command given (-- CMD [ARGS]) and no -p PID");
		if (a->cmd && a->pid)
			argp_error(state, "-p PID and a command exclude each other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Is CMD something execvp would find (a path, or a name on $PATH)? */
static bool command_exists(const char *cmd)
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

/* What can be checked before attaching: the functions are known, the command or
 * the process exists, --out is a directory. Says what is wrong, once. */
static int check_before_attach(const struct trace_args *a, const char **funcs, int n)
{
	struct stat st;

	for (int i = 0; i < n; i++)
		if (!ot_probe_find(funcs[i])) {
			fprintf(stderr,
				"opentrail: unknown function '%s' (`opentrail list --probes` shows "
				"the functions opentrail can probe)\n",
				funcs[i]);
			return -1;
		}
	if (a->cmd && !command_exists(a->cmd[0])) {
		fprintf(stderr, "opentrail: cannot run %s: no such program%s\n", a->cmd[0],
			strchr(a->cmd[0], '/') ? "" : " on $PATH");
		return -1;
	}
	if (a->pid && kill(a->pid, 0) && errno == ESRCH) {
		fprintf(stderr, "opentrail: no process %d (-p PID names a running process)\n",
			(int)a->pid);
		return -1;
	}
	if (a->outdir && !stat(a->outdir, &st) && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "opentrail: --out %s is not a directory (give a directory)\n",
			a->outdir);
		return -1;
	}
	return 0;
}

/* The child waits for one byte before exec: the probes, filtered on its pid,
 * are attached by then. */
static pid_t start_stopped(char **cmd, int *gate_w)
{
	int gate[2];
	pid_t pid;

	if (pipe2(gate, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		char c;

		close(gate[1]);
		if (read(gate[0], &c, 1) != 1)
			_exit(126); /* opentrail gave up before releasing the command */
		execvp(cmd[0], cmd);
		fprintf(stderr, "opentrail: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	close(gate[0]);
	*gate_w = gate[1];
	return pid;
}

static bool target_done(const struct trace_args *a, pid_t child, int *status)
{
	if (ot_run_interrupted())
		return true;
	if (a->cmd)
		return waitpid(child, status, WNOHANG) == child;
	return kill(a->pid, 0) && errno == ESRCH;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_args a = {.funcs = OPEN_PROBES};
	struct argp argp = {trace_opts, trace_parse, "-- CMD [ARGS...]", trace_doc, NULL,
			    NULL,	NULL};
	struct ot_analyse_opts ao = {NULL, OT_FMT_MD, NULL, "trace", false, NULL};
	struct ot_backend_stats stats = {0};
	struct ot_backend_opts bo = {0};
	struct ot_outfile of = {0};
	char log[PATH_MAX], why[PATH_MAX + 128] = "", run_id[64];
	const char **funcs = NULL;
	char *funcbuf = NULL;
	void *state = NULL;
	FILE *f = NULL;
	pid_t child = -1;
	int gate_w = -1, status = 0, ret = 2, n, tmpfd = -1;
	enum ot_case_verdict v;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &a))
		return 2;
	n = ot_split_list(a.funcs, &funcbuf, &funcs);
	if (n <= 0) {
		fprintf(stderr, "opentrail: no function to probe\n");
		goto cleanup;
	}
	if (check_before_attach(&a, funcs, n))
		goto cleanup;
	if (a.outdir) {
		if (mkdir(a.outdir, 0755) && errno != EEXIST) {
			fprintf(stderr, "opentrail: cannot create %s: %s\n", a.outdir,
				strerror(errno));
			goto cleanup;
		}
		/* Written beside its final name and renamed there once complete. */
		snprintf(log, sizeof(log), "%s/trace.log", a.outdir);
		if (ot_outfile_open(&of, log, why, sizeof(why))) {
			fprintf(stderr, "opentrail: %s\n", why);
			goto cleanup;
		}
		f = of.f;
	} else {
		const char *tmp = getenv("TMPDIR");

		if (snprintf(log, sizeof(log), "%s/opentrail-trace-XXXXXX.log",
			     tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(log))
			snprintf(log, sizeof(log), "/tmp/opentrail-trace-XXXXXX.log");
		tmpfd = mkstemps(log, 4);
		f = tmpfd >= 0 ? fdopen(tmpfd, "w") : NULL;
		if (!f) {
			fprintf(stderr, "opentrail: cannot write %s: %s\n", log, strerror(errno));
			if (tmpfd >= 0) {
				close(tmpfd);
				unlink(log);
			}
			goto cleanup;
		}
	}
	ot_run_new_id(run_id, sizeof(run_id));
	ot_write_run_start(f, run_id);
	if (a.cmd) {
		child = start_stopped(a.cmd, &gate_w);
		if (child < 0) {
			fprintf(stderr, "opentrail: cannot start %s: %s\n", a.cmd[0],
				strerror(errno));
			goto cleanup;
		}
	}

	/* Before the (slow) attach, so that an early ^C still ends the trace cleanly. */
	ot_run_catch_signals();
	bo.funcs = funcs;
	bo.nfuncs = (size_t)n;
	bo.target = a.cmd ? child : a.pid;
	bo.follow_children = !a.top_only;
	bo.verbose = a.verbose;
	bo.log = f;
	if (ot_backend_bpf.open(&bo, &state, why, sizeof(why))) {
		state = NULL;
		fprintf(stderr,
			"opentrail: %s: run inside the lab: opentrail lab -- opentrail trace "
			"-- CMD\n",
			why);
		goto cleanup;
	}
	if (a.cmd && !ot_run_interrupted() && write(gate_w, "G", 1) != 1) {
		fprintf(stderr, "opentrail: the command left before it was released\n");
		goto cleanup;
	}
	while (!target_done(&a, child, &status))
		if (ot_backend_bpf.poll(state, 50) < 0 && !ot_run_interrupted()) {
			fprintf(stderr, "opentrail: reading the backend's records failed\n");
			break;
		}
	if (a.cmd && ot_run_interrupted())
		kill(child, SIGTERM);
	ot_backend_bpf.close(state, &stats);
	state = NULL;
	ot_write_run_fact(f, "bpf", NULL, stats.records, stats.lost);
	if (a.outdir) {
		f = NULL;
		if (ot_outfile_commit(&of, why, sizeof(why))) {
			fprintf(stderr, "opentrail: %s\n", why);
			goto cleanup;
		}
	} else {
		int bad = fflush(f) || ferror(f);

		bad |= fclose(f);
		f = NULL;
		if (bad) {
			fprintf(stderr, "opentrail: cannot write %s: %s\n", log, strerror(errno));
			unlink(log);
			goto cleanup;
		}
	}
	ao.outdir = a.outdir;
	ao.run_id = run_id;
	if (!a.outdir)
		fprintf(stderr, "opentrail: log in %s (`opentrail check %s` re-analyses it)\n", log,
			log);
	if (ot_analyse_file(log, &ao, &v))
		goto cleanup;
	if (a.outdir)
		printf("%s: %s (%lu records, lost=%lu%s)\n", log, ot_case_verdict_name(v),
		       stats.records, stats.lost,
		       ot_run_interrupted() ? ", interrupted: what was captured" : "");
	ret = ot_run_interrupted() ? 128 + ot_run_interrupted() : v == OT_CASE_PASS ? 0 : 1;
cleanup:
	if (state)
		ot_backend_bpf.close(state, &stats);
	if (gate_w >= 0)
		close(gate_w);
	if (child > 0 && waitpid(child, &status, WNOHANG) == 0) {
		if (ret == 2)
			kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	if (f && a.outdir) {
		ot_outfile_abort(&of); /* a trace that never ran leaves no log */
	} else if (f) {
		fclose(f);
		unlink(log); /* a temporary log of a trace that never ran */
	}
	free(funcs);
	free(funcbuf);
	return ret;
}
