// SPDX-License-Identifier: MIT
/* opentrail run: each case's trigger under a live probe backend, its log, and
 * the report of its claims (the same analysis `opentrail check` does). */
#include <argp.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/analyse.h"
#include "probe/backend.h"
#include "cli/commands.h"
#include "cli/textview.h"
#include "live/case_run.h"
#include "live/session.h"

/* The kernel-module backend is built only where its sources are: without it
 * this reference resolves to NULL and --backend kmod says so. */
extern const struct ot_backend ot_backend_kmod __attribute__((weak));

struct run_args {
	const char *backend;
	const char *outdir;
	const char *workdir;
	const char *triggers;
	bool verbose;
	bool all;
	const char *lines;
	char **cases;
	int ncases;
	unsigned formats; /* --format (0: the files, and the text view on a terminal) */
	struct ot_cli_view view;
	struct ot_text_opts text;
};

static const char run_doc[] =
    "Run cases live: start each case's trigger, probe the kernel functions of the case "
    "(only the trigger's own process, only between its gates), keep the log and write the "
    "report of its claims.\v"
    "For each CASE: DIR/CASE.log (the raw log, re-analysable with `opentrail check`), "
    "DIR/CASE.md and DIR/CASE.json (the report; --format chooses, perfetto adds the "
    "timeline DIR/CASE.perfetto.json). Needs root on a kernel that allows fentry "
    "or kprobes (and BTF for the bpf backend); where it does not, run it inside the lab VM: "
    "opentrail lab -- opentrail run CASE. On a terminal (or with --format text) each case's "
    "text view comes before its line (-q: its summary). With several cases, stderr gets "
    "a progress line as each one finishes: [i/N], its verdict, its seconds and an "
    "estimate of what is left (-q: none).\n\n"
    "Exit status: 0 every case passed; 1 a case failed or is incomplete; 2 bad input, a "
    "trigger that did not start, or a kernel that cannot be probed here; 130/143 "
    "interrupted by SIGINT/SIGTERM (the probes detached, what was captured written and "
    "marked interrupted).\n\n"
    "EXAMPLES:\n"
    "  opentrail run case17_missing_file              # one case, reports in opentrail-out/\n"
    "  opentrail run -v --out /tmp/r case7_symlink_fast socket_inet_stream\n"
    "  opentrail run --all --out out/\n"
    "  opentrail run --backend kmod case17_missing_file\n"
    "  opentrail run --format md,json,perfetto case17_missing_file\n"
    "  opentrail lab -- opentrail run --all          # from a machine that cannot probe";

enum { OPT_WORKDIR = 256, OPT_TRIGGERS, OPT_LINES };

static const struct argp_option run_opts[] = {
    {"backend", 'b', "NAME", 0, "bpf, kmod or auto (default: auto, bpf first)", 0},
    {"out", 'o', "DIR", 0, "Where logs and reports go (default: opentrail-out)", 0},
    {"format", 'f', "FMT", 0,
     "Reports: " OT_FORMATS_HELP "; text is each case's view on stdout, the others are files "
     "in --out (default: md,json, and text on a terminal)",
     0},
    {"workdir", OPT_WORKDIR, "DIR", 0,
     "ext4 directory the triggers work in (their default: "
     "/work/opentrail)",
     0},
    {"triggers", OPT_TRIGGERS, "DIR", 0,
     "Where the trigger programs are (default: "
     "triggers/ next to this program)",
     0},
    {"all", 'a', NULL, 0, "Run every case of the catalogue", 0},
    {"lines", OPT_LINES, "FUNC,...", 0,
     "Probe every source line of these functions (instead of the case's own line set); "
     "needs the kernel's source index (opentrail debuginfo)",
     0},
    {"verbose", 'v', NULL, 0, "Say how each function is probed; show libbpf's messages", 0},
    {0},
};

static error_t run_parse(int key, char *arg, struct argp_state *state)
{
	struct run_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->view;
		break;
	case 'b':
		if (strcmp(arg, "bpf") && strcmp(arg, "kmod") && strcmp(arg, "auto"))
			argp_error(state, "unknown backend '%s' (want bpf, kmod or auto)", arg);
		a->backend = arg;
		break;
	case 'o':
		a->outdir = arg;
		break;
	case 'f': {
		char bad[64];

		if (ot_parse_formats(arg, &a->formats, bad, sizeof(bad)))
			argp_error(state, "unknown format '%s' (want " OT_FORMATS_HELP ")", bad);
		break;
	}
	case OPT_WORKDIR:
		a->workdir = arg;
		break;
	case OPT_TRIGGERS:
		a->triggers = arg;
		break;
	case 'a':
		a->all = true;
		break;
	case OPT_LINES:
		a->lines = arg;
		break;
	case 'v':
		a->verbose = true;
		break;
	case ARGP_KEY_ARGS:
		a->cases = state->argv + state->next;
		a->ncases = state->argc - state->next;
		break;
	case ARGP_KEY_END:
		if (!a->all && !a->ncases)
			argp_error(state,
				   "no CASE given (or --all; `opentrail list` shows the cases)");
		if (a->all && a->ncases)
			argp_error(state, "--all and CASE names exclude each other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* triggers/ beside the running program: build/opentrail and build/triggers/. */
static void default_triggers(char *out, size_t sz)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n <= 0) {
		snprintf(out, sz, "build/triggers");
		return;
	}
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		*slash = '\0';
	if (snprintf(out, sz, "%s/triggers", self) >= (int)sz)
		snprintf(out, sz, "build/triggers");
}

static int make_dir(const char *dir)
{
	char tmp[PATH_MAX];

	snprintf(tmp, sizeof(tmp), "%s", dir);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(tmp, 0755) && errno != EEXIST ? -1 : 0;
}

static void say_cannot(const char *why, const struct run_args *a)
{
	fprintf(stderr, "opentrail: %s: run inside the lab: opentrail lab -- opentrail run %s\n",
		why,
		a->all		 ? "--all"
		: a->ncases == 1 ? a->cases[0]
				 : "CASE...");
}

/* Seconds since an earlier now_s(). */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "about 1 min 40 s left", from the cases done so far. */
static void say_progress(size_t done, size_t n, const char *id, const char *backend,
			 const char *verdict, double took, double since_start)
{
	double left = done < n ? since_start / (double)done * (double)(n - done) : 0;

	fprintf(stderr, "opentrail: [%zu/%zu] %s (%s): %s in %.1f s", done, n, id, backend,
		verdict, took);
	if (done < n) {
		long l = (long)(left + 0.5);

		if (l >= 60)
			fprintf(stderr, ", about %ld min %ld s left", l / 60, l % 60);
		else
			fprintf(stderr, ", about %ld s left", l);
	}
	fputc('\n', stderr);
	fflush(stderr);
}

enum { RUN_NO_LOG = -2 }; /* run_one: nothing to analyse (reason printed) */

/* Runs one case with one backend and analyses its log; returns the command's
 * status for it (0, 1, 2 when the backend cannot probe this kernel, RUN_NO_LOG). */
static int run_one(const struct ot_case *kase, const struct ot_backend *be, void *held,
		   const struct run_args *a, const char *trigdir, char *why, size_t whysz,
		   const char **said)
{
	char log[PATH_MAX], trigger[PATH_MAX];
	struct ot_run_opts ro = {be, kase, trigger, a->workdir, log, a->verbose, a->lines, held};
	struct ot_analyse_opts ao = {kase, a->formats, a->outdir, kase->id, false, NULL, &a->text};
	const char *ext = a->formats & OT_FMT_MD     ? "md"
			  : a->formats & OT_FMT_JSON ? "json"
						     : "perfetto.json";
	struct ot_run_result rr;
	enum ot_case_verdict v;
	enum ot_run_status st;

	if (snprintf(log, sizeof(log), "%s/%s.log", a->outdir, kase->id) >= (int)sizeof(log) ||
	    snprintf(trigger, sizeof(trigger), "%s/%s", trigdir, kase->trigger) >=
		(int)sizeof(trigger)) {
		fprintf(stderr, "opentrail: %s: path too long\n", kase->id);
		return RUN_NO_LOG;
	}
	st = ot_run_case(&ro, &rr);
	if (st == OT_RUN_CANNOT) {
		snprintf(why, whysz, "%s", rr.why);
		return 2;
	}
	*said = "not run";
	if (st == OT_RUN_NO_LOG) {
		/* Never a report from an earlier run's files. */
		fprintf(stderr, "opentrail: %s: %s: nothing to analyse\n", kase->id, rr.why);
		printf("%-28s %-10s  (%s)\n", kase->id, "not run", rr.why);
		return RUN_NO_LOG;
	}
	if (st != OT_RUN_OK)
		fprintf(stderr, "opentrail: %s: %s\n", kase->id, rr.why);
	ao.run_id = rr.run_id;
	*said = "incomplete";
	if (ot_analyse_file(log, &ao, &v)) {
		printf("%-28s incomplete  (%s; log %s)\n", kase->id,
		       st == OT_RUN_OK ? "no analysable records" : rr.why, log);
		return 1;
	}
	*said = ot_case_verdict_name(v);
	printf("%-28s %-10s  %s backend, %lu records, lost=%lu, report %s/%s.%s%s\n", kase->id,
	       ot_case_verdict_name(v), be->name, rr.records, rr.lost, a->outdir, kase->id, ext,
	       st == OT_RUN_INTERRUPTED ? " (interrupted: what was captured)" : "");
	if (a->formats & OT_FMT_TEXT) /* the next case's view apart from this one's line */
		putchar('\n');
	fflush(stdout);
	return v == OT_CASE_PASS && st == OT_RUN_OK ? 0 : 1;
}

/* What can be checked before anything runs: --out and --workdir are directories
 * (--out may not exist yet), every trigger is there. Says what is wrong, once. */
static int check_paths(const struct run_args *a, const char *trigdir)
{
	struct stat st;
	size_t n = a->all ? ot_case_count() : (size_t)a->ncases;

	if (!stat(a->outdir, &st) && !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "opentrail: --out %s is not a directory (give a directory)\n",
			a->outdir);
		return -1;
	}
	if (a->workdir && stat(a->workdir, &st)) {
		fprintf(stderr, "opentrail: --workdir %s: %s (give an existing ext4 directory)\n",
			a->workdir, strerror(errno));
		return -1;
	}
	if (a->workdir && !S_ISDIR(st.st_mode)) {
		fprintf(stderr,
			"opentrail: --workdir %s is not a directory (give an existing ext4 "
			"directory)\n",
			a->workdir);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ot_case *kase = a->all ? ot_case_at(i) : ot_case_find(a->cases[i]);
		char path[PATH_MAX];

		int e = ENAMETOOLONG;

		if (snprintf(path, sizeof(path), "%s/%s", trigdir, kase->trigger) <
		    (int)sizeof(path)) {
			if (!access(path, X_OK))
				continue;
			e = errno;
		}
		fprintf(stderr,
			"opentrail: trigger %s of %s: %s (make triggers, or --triggers DIR)\n",
			path, kase->id, strerror(e));
		return -1;
	}
	return 0;
}

/* A backend's programs held across the cases of one run (backend.h: hold). */
struct held {
	const struct ot_backend *by;
	void *state;
};

/* With several cases, a backend that can hold its programs loads the cases' functions
 * once; the cases then only switch theirs on. Without it (or if it fails: each case
 * then loads its own, and says why if it cannot), nothing is held. */
static struct held hold_for_run(const struct ot_backend *be, const struct run_args *a,
				size_t ncases)
{
	struct held h = {NULL, NULL};
	const struct ot_case **cases;
	struct ot_probe_union u;
	char why[512] = "";

	if (ncases < 2 || !be->hold || !(cases = calloc(ncases, sizeof(*cases))))
		return h;
	for (size_t i = 0; i < ncases; i++)
		cases[i] = a->all ? ot_case_at(i) : ot_case_find(a->cases[i]);
	if (!ot_probe_union_of(cases, ncases, &u)) {
		struct ot_backend_opts o = {.funcs = u.funcs, .nfuncs = u.n, .verbose = a->verbose};

		if (!be->hold(&o, &h.state, why, sizeof(why)))
			h.by = be;
		else if (a->verbose)
			fprintf(stderr, "opentrail: %s backend: cannot hold the run's %zu functions "
					"(%s): each case loads its own\n",
				be->name, u.n, why);
		ot_probe_union_free(&u);
	}
	free(cases);
	return h;
}

static void release_held(struct held *h)
{
	if (h->by)
		h->by->release(h->state);
	h->by = NULL;
	h->state = NULL;
}

/* After the case before NEXT: the held line probes no later case names may go. */
static void retire_unneeded(struct held *h, const struct run_args *a, size_t next,
			    size_t ncases)
{
	const char **later;

	if (!h->by || !h->by->retire || next >= ncases ||
	    !(later = calloc(ncases - next, sizeof(*later))))
		return;
	for (size_t j = next; j < ncases; j++)
		later[j - next] =
		    a->lines ? a->lines : (a->all ? ot_case_at(j) : ot_case_find(a->cases[j]))->lines;
	h->by->retire(h->state, later, ncases - next);
	free(later);
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = {.backend = "auto", .outdir = "opentrail-out"};
	const struct argp_child kids[] = {{&ot_cli_view_argp, 0, NULL, 0}, {0}};
	struct argp argp = {run_opts, run_parse, "CASE...", run_doc, kids, NULL, NULL};
	const struct ot_backend *backends[2];
	char trigdir[PATH_MAX], why[512] = "", whyall[1100] = "";
	size_t ncases, nbackends = 0;
	double t0;
	int worst = 0;
	struct held held;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	/* No --format: the files, and on a terminal (or with -q) the text view. A --format
	 * that names no file (text) still gets them: a run always writes its reports. */
	if (!a.formats)
		a.formats =
		    OT_FMT_MD | OT_FMT_JSON | (ot_cli_view_default(&a.view) ? OT_FMT_TEXT : 0);
	else if (!(a.formats & ~OT_FMT_TEXT))
		a.formats |= OT_FMT_MD | OT_FMT_JSON;
	ot_cli_view_opts(&a.view, &a.text);
	for (int i = 0; i < a.ncases; i++)
		if (!ot_cli_case(a.cases[i]))
			return 2;
	if (!strcmp(a.backend, "kmod") || !strcmp(a.backend, "auto")) {
		if (&ot_backend_kmod)
			backends[nbackends++] = &ot_backend_kmod;
		else if (!strcmp(a.backend, "kmod")) {
			fprintf(stderr,
				"opentrail: the kmod backend is not built into this opentrail\n");
			return 2;
		}
	}
	if (strcmp(a.backend, "kmod")) {
		/* auto: bpf first, the module where BPF cannot probe. */
		if (nbackends)
			backends[1] = backends[0];
		backends[0] = &ot_backend_bpf;
		nbackends++;
	}
	if (a.triggers)
		snprintf(trigdir, sizeof(trigdir), "%s", a.triggers);
	else
		default_triggers(trigdir, sizeof(trigdir));
	if (check_paths(&a, trigdir))
		return 2;
	if (geteuid() != 0) {
		/* Triggers drop caches, mount and switch uids; backends load programs. */
		say_cannot("opentrail run needs root (the triggers drop caches, mount and switch "
			   "users; the backends load BPF programs or a module)",
			   &a);
		return 2;
	}
	if (make_dir(a.outdir)) {
		fprintf(stderr, "opentrail: cannot create %s: %s\n", a.outdir, strerror(errno));
		return 2;
	}
	ot_run_catch_signals();

	ncases = a.all ? ot_case_count() : (size_t)a.ncases;
	t0 = now_s();
	held = hold_for_run(backends[0], &a, ncases);
	for (size_t i = 0; i < ncases; i++) {
		const struct ot_case *kase = a.all ? ot_case_at(i) : ot_case_find(a.cases[i]);
		const char *said = "not run";
		double t1 = now_s();
		int st = 2;

		/* A backend that cannot probe this kernel cannot for the next case either. */
		while (nbackends) {
			size_t len = strlen(whyall);

			st = run_one(kase, backends[0], held.by == backends[0] ? held.state : NULL, &a,
				     trigdir, why, sizeof(why), &said);
			if (st != 2)
				break;
			/* Every backend tried is named with its reason. */
			snprintf(whyall + len, sizeof(whyall) - len, "%s%s backend: %s",
				 len ? "; " : "", backends[0]->name, why);
			if (a.verbose && nbackends > 1)
				fprintf(stderr, "opentrail: %s backend: %s; trying %s\n",
					backends[0]->name, why, backends[1]->name);
			backends[0] = backends[1];
			nbackends--;
		}
		if (st == 2) {
			release_held(&held);
			say_cannot(whyall, &a);
			return 2;
		}
		/* Progress of a long run, on stderr (stdout keeps one line per case). */
		if (ncases > 1 && !a.view.quiet)
			say_progress(i + 1, ncases, kase->id, backends[0]->name, said, now_s() - t1,
				     now_s() - t0);
		if (st == RUN_NO_LOG)
			st = 2;
		if (st > worst)
			worst = st;
		if (ot_run_interrupted()) { /* what was captured is written; no further case */
			release_held(&held);
			return 128 + ot_run_interrupted();
		}
		retire_unneeded(&held, &a, i + 1, ncases);
	}
	release_held(&held);
	return worst;
}
