// SPDX-License-Identifier: MIT
/* opentrail site: the reports of some runs as a static web site. */
#include <argp.h>
#include <stdio.h>

#include "cli/commands.h"
#include "site/site.h"

struct site_args {
	const char *out;
	char **dirs;
	int ndirs;
};

static const char site_doc[] =
    "Build a static site (no server, no network) from the reports under OUT_DIRs: an index "
    "of every case on every kernel with both backends, a page per run with the claims in "
    "plain words, the call tree, the pointer graph and the raw log, and a page per case "
    "comparing kernels and backends.\v"
    "OUT_DIR is a directory as `make run-all` writes it (out/<kernel>/{bpf,kmod}/CASE.json, "
    "with CASE.log beside each). The pointer graphs need Graphviz `dot`.\n\n"
    "Exit status: 0 the site was written; 2 bad input (nothing written).\n\n"
    "EXAMPLES:\n"
    "  opentrail site out                       # writes out/index.html\n"
    "  opentrail site --out site out/6.1 out/6.12";

static const struct argp_option site_opts[] = {
    {"out", 'o', "DIR", 0, "Write the site into DIR (default: the first OUT_DIR)", 0},
    {0},
};

static error_t site_parse(int key, char *arg, struct argp_state *state)
{
	struct site_args *a = state->input;

	switch (key) {
	case 'o':
		a->out = arg;
		break;
	case ARGP_KEY_ARGS:
		a->dirs = state->argv + state->next;
		a->ndirs = state->argc - state->next;
		break;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "give at least one OUT_DIR (e.g. out)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_site(int argc, char **argv)
{
	struct argp argp = {site_opts, site_parse, "OUT_DIR...", site_doc, 0, 0, 0};
	struct site_args a = {0};
	char err[600];

	if (argp_parse(&argp, argc, argv, 0, 0, &a))
		return 2;
	if (!a.out)
		a.out = a.dirs[0];
	if (ot_site_build(a.out, a.dirs, a.ndirs, err, sizeof(err))) {
		fprintf(stderr, "opentrail site: %s\n", err);
		return 2;
	}
	printf("%s/index.html\n", a.out);
	return 0;
}
