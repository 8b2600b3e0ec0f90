// SPDX-License-Identifier: MIT
/* opentrail trace: any command (or a running process) under the probe backend,
 * shown as its call tree. No trigger and no claims of a case: only the trace
 * claim block (every call paired, every return decoded). */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cases/catalogue.h"
#include "cli/analyse.h"
#include "cli/commands.h"
#include "cli/textview.h"
#include "live/session.h"
#include "live/spawn.h"
#include "live/trace_log.h"
#include "live/trace_run.h"
#include "probe/backend.h"
#include "probe/glob.h"
#include "probe/spec.h"

/* Built only where its sources are (as in run.c): NULL then. */
extern const struct ot_backend ot_backend_kmod __attribute__((weak));

/* The open path (cases/catalogue.h) with the symlink step, the open and the install. */
#define OPEN_PROBES                                                                                \
	OT_OPEN_PATH "step_into,pick_link," OT_DCACHE ",may_open,inode_permission,vfs_open,fd_install"

struct trace_args {
	const char *funcs;
	pid_t pid;
	const char *outdir;
	bool verbose;
	bool top_only;
	bool kmod; /* --backend kmod */
	const char *path_glob;
	bool errors_only;
	const char *lines;
	struct ot_run_as run_as;
	unsigned formats;
	char **cmd;
	struct ot_cli_view view;
};

static const char trace_doc[] =
    "Trace a command (started stopped, released once the probes are attached) or a "
    "running process, and print its call tree through the open path.\v"
    "The command is traced from its exec on, so its dynamic loader's opens appear too, "
    "and so are the processes it starts, theirs, and so on (as strace -f does; "
    "--top-only follows the command's own process and threads only). "
    "With -p the process is followed until it exits or until SIGINT or SIGTERM (Ctrl-C) "
    "detaches the probes, as with strace -p: that is how such a trace normally ends, so "
    "its report is whole and judged on what it holds; the calls still running at that "
    "moment are shown as in flight when the probes detached, not as unpaired. "
    "Without --out the report goes to stdout and the log's path to stderr: on a terminal "
    "(or with --format text, or -q for its summary) the text view, otherwise (or with "
    "--format md) the Markdown. With --out, a terminal gets the text view too.\n\n"
    "Filters (BPF backend, applied in the kernel: what they leave out is never "
    "recorded, only counted): an operation is one call of a syscall-level function "
    "(do_sys_openat2 for open) with every call under it; --path GLOB records only the "
    "operations whose path, as the program passed it, matches GLOB (fnmatch(3) without "
    "flags, as in the shell's case: `*` matches `/` too; at most 63 bytes); "
    "--errors-only only those that fail. Calls outside any operation are not recorded "
    "then. The run.fact and the report say which filters ran and how many operations "
    "they left out.\n\n"
    "Exit status: 0 every call paired and decoded; 1 not; 2 bad input (an unknown "
    "function, no such command or process, a bad glob) or the kernel cannot be probed "
    "here; 130/143 a started command interrupted by SIGINT/SIGTERM (what was captured "
    "is written, marked interrupted, never a pass). With -p, SIGINT/SIGTERM gives 0 or "
    "1 like any trace.\n\n"
    "EXAMPLES:\n"
    "  opentrail trace -- cat /etc/hostname\n"
    "  opentrail trace -f do_filp_open,__d_alloc -- ls /nonexistent\n"
    "  opentrail trace --path '/etc/*' -- sh -c 'cat /etc/hostname /proc/version'\n"
    "  opentrail trace --errors-only -- ls /nonexistent\n"
    "  opentrail trace -p 1234 --out /tmp/t          # Ctrl-C ends it, report written\n"
    "  opentrail trace --format md,perfetto --out t -- ls   # t/trace.perfetto.json too\n"
    "  opentrail lab -- opentrail trace -- cat /etc/hostname";

enum { OPT_PATH = 256, OPT_ERRORS_ONLY, OPT_LINES, OPT_USER, OPT_FORMAT, OPT_BACKEND };

static const struct argp_option trace_opts[] = {
    {"funcs", 'f', "FUNC,...", 0, "Functions to probe (default: the open path)", 0},
    {"pid", 'p', "PID", 0, "Follow a running process instead of starting CMD", 0},
    {"out", 'o', "DIR", 0,
     "Write DIR/trace.log, DIR/trace.md and DIR/trace.json (or --format's files)", 0},
    {"format", OPT_FORMAT, "FMT", 0,
     "Reports: " OT_FORMATS_HELP "; text goes to stdout, the others into --out (or to "
     "stdout, one of them). Default: the text view on a terminal, else md; with --out "
     "also md,json files. perfetto writes trace.perfetto.json",
     0},
    {"top-only", 't', NULL, 0, "Follow only the process itself, not the ones it starts", 0},
    {"backend", OPT_BACKEND, "NAME", 0,
     "bpf (default) or kmod (the kernel module: no filters, and only the process itself, "
     "so with --top-only)",
     0},
    {"path", OPT_PATH, "GLOB", 0,
     "Record only operations whose path matches GLOB (in the kernel; BPF only)", 0},
    {"errors-only", OPT_ERRORS_ONLY, NULL, 0,
     "Record only operations that fail (in the kernel; BPF only)", 0},
    {"lines", OPT_LINES, "FUNC,...", 0,
     "Also probe every source line of these functions (inlined ones too: in every place "
     "they were inlined); needs the kernel's source index (opentrail debuginfo)",
     0},
    {"user", OPT_USER, "UID[:GID]", 0,
     "Run the command as this user (and group; default: the same number), without "
     "supplementary groups, as strace -u does",
     0},
    {"verbose", 'v', NULL, 0, "Say how each function is probed; show libbpf's messages", 0},
    {0},
};

static error_t trace_parse(int key, char *arg, struct argp_state *state)
{
	struct trace_args *a = state->input;
	char *end;

	struct ot_glob g;
	char why[256];

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->view;
		break;
	case 'f':
		a->funcs = arg;
		break;
	case OPT_PATH:
		if (ot_glob_compile(arg, &g, why, sizeof(why)))
			argp_error(state, "--path '%s': %s", arg, why);
		a->path_glob = arg;
		break;
	case OPT_ERRORS_ONLY:
		a->errors_only = true;
		break;
	case OPT_BACKEND:
		if (strcmp(arg, "bpf") && strcmp(arg, "kmod"))
			argp_error(state, "unknown backend '%s' (want bpf or kmod)", arg);
		a->kmod = !strcmp(arg, "kmod");
		break;
	case OPT_LINES:
		a->lines = arg;
		break;
	case OPT_USER: {
		unsigned long u, g;

		errno = 0;
		u = strtoul(arg, &end, 10);
		g = u;
		if (!errno && *end == ':')
			g = strtoul(end + 1, &end, 10);
		if (errno || *end || end == arg || u >= (unsigned long)-1 / 2 ||
		    g >= (unsigned long)-1 / 2 || !isdigit((unsigned char)*arg))
			argp_error(state, "--user '%s': want UID or UID:GID (numbers)", arg);
		a->run_as.as_user = true;
		a->run_as.uid = (uid_t)u;
		a->run_as.gid = (gid_t)g;
		break;
	}
	case OPT_FORMAT:
		if (ot_parse_formats(arg, &a->formats, why, sizeof(why)))
			argp_error(state, "unknown format '%s' (want " OT_FORMATS_HELP ")", why);
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
		if (a->pid && a->run_as.as_user)
			argp_error(state, "--user runs a started command: not with -p PID");
		if (a->kmod && (a->path_glob || a->errors_only))
			argp_error(state, "--path and --errors-only filter in BPF: not with "
					  "--backend kmod");
		if (a->kmod && !a->top_only && !a->pid)
			argp_error(state, "--backend kmod follows one process, not the ones it "
					  "starts: add --top-only");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
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
	if (a->path_glob || a->errors_only) {
		bool root = false;

		for (int i = 0; i < n; i++)
			root |= ot_probe_find(funcs[i])->user_call != NULL;
		if (!root) {
			fprintf(stderr,
				"opentrail: %s decides per operation, and -f names no "
				"syscall-level function (add do_sys_openat2)\n",
				a->path_glob ? "--path" : "--errors-only");
			return -1;
		}
	}
	/* without --out every format named goes to stdout: one of them only */
	if (!a->outdir && a->formats & (a->formats - 1)) {
		fprintf(stderr, "opentrail: --format with several formats needs --out DIR (the "
				"text view goes to stdout, the files into DIR)\n");
		return -1;
	}
	if (a->cmd && !ot_command_exists(a->cmd[0])) {
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

int cmd_trace(int argc, char **argv)
{
	struct trace_args a = {.funcs = OPEN_PROBES};
	const struct argp_child kids[] = {{&ot_cli_view_argp, 0, NULL, 0}, {0}};
	struct argp argp = {trace_opts, trace_parse, "-- CMD [ARGS...]", trace_doc, kids,
			    NULL,	NULL};
	struct ot_text_opts text;
	struct ot_analyse_opts ao = {NULL, OT_FMT_MD, NULL, "trace", false, NULL, &text};
	struct ot_trace_opts to = {0};
	struct ot_trace_result tr;
	struct ot_trace_log tl = {0};
	char run_id[64];
	const char **funcs = NULL, **lines = NULL;
	char *funcbuf = NULL, *linebuf = NULL;
	int ret = 2, n, nlines = 0;
	enum ot_case_verdict v;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, ARGP_IN_ORDER, NULL, &a))
		return 2;
	n = ot_split_list(a.funcs, &funcbuf, &funcs);
	if (n <= 0) {
		fprintf(stderr, "opentrail: no function to probe\n");
		goto cleanup;
	}
	if (a.lines && (nlines = ot_split_list(a.lines, &linebuf, &lines)) <= 0) {
		fprintf(stderr, "opentrail: --lines names no function\n");
		goto cleanup;
	}
	if (check_before_attach(&a, funcs, n) || ot_trace_log_open(&tl, a.outdir))
		goto cleanup;
	ot_run_new_id(run_id, sizeof(run_id));
	ot_write_run_start(tl.f, run_id, a.pid > 0, funcs, (size_t)n);

	to.backend = a.kmod ? &ot_backend_kmod : &ot_backend_bpf;
	if (!to.backend) { /* the weak reference: no module backend in this build */
		fprintf(stderr, "opentrail: this build has no kmod backend\n");
		goto cleanup;
	}
	to.funcs = funcs;
	to.nfuncs = (size_t)n;
	to.cmd = a.cmd;
	to.pid = a.pid;
	to.follow_children = !a.top_only;
	to.verbose = a.verbose;
	to.path_glob = a.path_glob;
	to.errors_only = a.errors_only;
	to.lines = lines;
	to.nlines = (size_t)nlines;
	to.run_as = a.run_as;
	to.log = tl.f;
	if (ot_live_trace(&to, &tr)) {
		fprintf(stderr, "opentrail: %s%s\n", tr.why,
			tr.cannot_probe
			    ? ": run inside the lab: opentrail lab -- opentrail trace -- CMD"
			    : "");
		goto cleanup;
	}
	if (*tr.why)
		fprintf(stderr, "opentrail: %s\n", tr.why);
	if (ot_trace_log_commit(&tl))
		goto cleanup;
	ao.outdir = a.outdir;
	/* stdout: the text view on a terminal (or asked for), else the Markdown; with
	 * --out the files too, the JSON among them: every failing operation's origin. */
	ao.formats = a.formats;
	if (!ao.formats)
		ao.formats = (ot_cli_view_default(&a.view) ? OT_FMT_TEXT : OT_FMT_MD) |
			     (a.outdir ? OT_FMT_MD | OT_FMT_JSON : 0);
	ot_cli_view_opts(&a.view, &text);
	ao.run_id = run_id;
	if (!a.outdir && *tl.host_path) /* the lab brings it back; the host analyses it again */
		fprintf(stderr,
			"opentrail: log in %s, on the host %s (the lab writes its reports there "
			"too, with the kernel's source lines)\n",
			tl.path, tl.host_path);
	else if (!a.outdir)
		fprintf(stderr, "opentrail: log in %s (`opentrail check %s` re-analyses it)\n",
			tl.path, tl.path);
	if (ot_analyse_file(tl.path, &ao, &v))
		goto cleanup;
	if (a.outdir)
		printf("%s: %s (%lu records, lost=%lu%s)\n", tl.path, ot_case_verdict_name(v),
		       tr.stats.records, tr.stats.lost,
		       tr.end == OT_TRACE_INTERRUPTED ? ", interrupted: what was captured"
		       : tr.end == OT_TRACE_DETACHED  ? ", detached by the user"
						      : "");
	/* A started command cut short is interrupted; -p ends when the user detaches. */
	ret = tr.end == OT_TRACE_INTERRUPTED ? 128 + ot_run_interrupted()
	      : v == OT_CASE_PASS	     ? 0
					     : 1;
cleanup:
	ot_trace_log_abort(&tl);
	free(funcs);
	free(funcbuf);
	free(lines);
	free(linebuf);
	return ret;
}
