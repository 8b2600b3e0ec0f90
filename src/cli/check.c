// SPDX-License-Identifier: MIT
/* opentrail check: the offline pipeline on saved logs. */
#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/analyse.h"
#include "cli/commands.h"
#include "cli/textview.h"

struct check_args {
	const char *case_id;
	unsigned formats;
	const char *outdir;
	char **logs;
	int nlogs;
	bool no_download;
	struct ot_cli_view view;
};

static const char check_doc[] =
    "Analyse saved kernel trace logs offline: pair calls, decode returns, verify claims, "
    "write the report.\v"
    "Without --case only the trace claim block is checked (every call paired, every return "
    "decoded). Logs may be opentrail's own, the kernel module's, or the seeds' (lines are "
    "found inside surrounding text).\n\n"
    "Exit status: 0 every claim passed; 1 a claim failed or is not evidenced; 2 bad input.\n\n"
    "EXAMPLES:\n"
    "On a terminal the report is the text view (--format text anywhere; -q its summary); "
    "otherwise, and with --format md, the Markdown.\n\n"
    "  opentrail check run.log                       # call tree + pairing/decoding claims\n"
    "  opentrail check --case case17_missing_file out/case17_missing_file.log\n"
    "  opentrail check --case case7_symlink_fast --format json seed.txt\n"
    "  opentrail check --format md,json --out reports/ a.log b.log\n"
    "  opentrail check --format perfetto --out t/ run.log   # t/run.perfetto.json: "
    "open it in Perfetto UI";

static const struct argp_option check_opts[] = {
    {"case", 'c', "ID", 0, "Verify the claims of case ID (see `opentrail list`)", 0},
    {"format", 'f', "FMT", 0,
     "text (default on a terminal), md (default otherwise), json, perfetto (a timeline for "
     "Perfetto UI / chrome://tracing), or several: md,json,perfetto; text goes to stdout, "
     "also with --out",
     0},
    {"out", 'o', "DIR", 0,
     "Write LOGNAME.md / LOGNAME.json / LOGNAME.perfetto.json into DIR instead of stdout", 0},
    {"no-download", 'N', 0, 0,
     "Source lines only from the cache: never fetch a kernel's debug package", 0},
    {0},
};

static error_t check_parse(int key, char *arg, struct argp_state *state)
{
	struct check_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->view;
		break;
	case 'c':
		a->case_id = arg;
		break;
	case 'f': {
		char bad[64];

		if (ot_parse_formats(arg, &a->formats, bad, sizeof(bad)))
			argp_error(state, "unknown format '%s' (want " OT_FORMATS_HELP ")", bad);
		break;
	}
	case 'o':
		a->outdir = arg;
		break;
	case 'N':
		a->no_download = true;
		break;
	case ARGP_KEY_ARGS:
		a->logs = state->argv + state->next;
		a->nlogs = state->argc - state->next;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "no LOG given");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Two logs whose reports would have the same name in --out: refused before anything
 * is written, never one silently overwriting the other. */
static bool same_base_names(const struct check_args *a)
{
	char bi[256], bj[256];

	for (int i = 0; i < a->nlogs; i++) {
		ot_report_base(a->logs[i], bi, sizeof(bi));
		for (int j = 0; j < i; j++) {
			char *ri, *rj;
			bool same_file;

			ot_report_base(a->logs[j], bj, sizeof(bj));
			if (strcmp(bi, bj))
				continue;
			/* the same log named twice gets the same report twice: no loss */
			ri = realpath(a->logs[i], NULL);
			rj = realpath(a->logs[j], NULL);
			same_file = ri && rj && !strcmp(ri, rj);
			free(ri);
			free(rj);
			if (same_file)
				continue;
			fprintf(stderr,
				"opentrail: %s and %s would both be reported as %s/%s.*: rename "
				"one, or check them into different --out directories\n",
				a->logs[j], a->logs[i], a->outdir, bi);
			return true;
		}
	}
	return false;
}

int cmd_check(int argc, char **argv)
{
	struct check_args a = {0};
	const struct argp_child kids[] = {{&ot_cli_view_argp, 0, NULL, 0}, {0}};
	struct argp argp = {check_opts, check_parse, "LOG...", check_doc, kids, NULL, NULL};
	const struct ot_case *kase = NULL;
	struct ot_text_opts text;
	int worst = 0;

	argp_program_bug_address = NULL;
	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	/* No --format: the Markdown (to stdout, or into --out), and on a terminal (or with
	 * -q) the text view on stdout instead of, or besides, it. */
	if (!a.formats)
		a.formats = !ot_cli_view_default(&a.view) ? OT_FMT_MD
			    : a.outdir			  ? OT_FMT_MD | OT_FMT_TEXT
							  : OT_FMT_TEXT;
	if (!a.outdir && (a.formats & OT_FMT_TEXT) && (a.formats & ~OT_FMT_TEXT)) {
		fprintf(stderr,
			"opentrail: --format text with md or json needs --out DIR (the text "
			"view goes to stdout, the files into DIR)\n");
		return 2;
	}
	ot_cli_view_opts(&a.view, &text);
	if (a.case_id && !(kase = ot_cli_case(a.case_id)))
		return 2;
	if (!a.outdir && a.nlogs > 1 && (a.formats & (OT_FMT_JSON | OT_FMT_PERFETTO))) {
		fprintf(stderr, "opentrail: several logs with --format %s need --out DIR\n",
			a.formats & OT_FMT_JSON ? "json" : "perfetto");
		return 2;
	}
	if (a.outdir && same_base_names(&a))
		return 2;
	for (int i = 0; i < a.nlogs; i++) {
		struct ot_analyse_opts o = {kase,	   a.formats, a.outdir, NULL,
					    a.no_download, NULL,      &text};
		enum ot_case_verdict v;
		int r = ot_analyse_file(a.logs[i], &o, &v);

		if (r) {
			worst = 2;
			continue;
		}
		if (a.outdir)
			printf("%s: %s\n", a.logs[i], ot_case_verdict_name(v));
		if (v != OT_CASE_PASS && worst < 1)
			worst = 1;
	}
	return worst;
}
