// SPDX-License-Identifier: MIT
/* opentrail: what happens inside the kernel when a program calls open(). */
#include <argp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "probe/spec.h"
#include "record/kinds.h"
#include "util/outfile.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
    {"list", cmd_list, "list the case catalogue (-v: probes and claims)"},
    {"check", cmd_check, "analyse saved trace logs offline and verify claims"},
    {"compare", cmd_compare, "do two logs of a case (bpf, kmod) tell the same story?"},
    {"lab", cmd_lab, "run a command in a VM booting a Debian cloud kernel (6.1, 6.12)"},
    {"run", cmd_run, "run cases live under a probe backend and report their claims"},
    {"debuginfo", cmd_debuginfo, "fetch a kernel's debug info and build its source index"},
    {"where", cmd_where, "the source line and inlined functions of kernel addresses"},
    {"trace", cmd_trace, "trace any command's open path and print its call tree"},
    {"site", cmd_site, "the reports of run-all as a static web site (out/index.html)"},
    {"schema", cmd_schema, "the JSON report's schema, or reports checked against it"},
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: opentrail COMMAND [OPTION...]\n\nCommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n`opentrail COMMAND --help` describes each command.\n");
}

int main(int argc, char **argv)
{
	argp_err_exit_status = 2; /* bad usage is bad input, like every other */
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	/* A file-size limit makes a write fail with EFBIG (reported, the previous file
	 * kept) instead of killing opentrail halfway through a report. */
	signal(SIGXFSZ, SIG_IGN);
	/* Logs that do not describe their functions (spec.fact) are read as this spec
	 * describes them (record/kinds.h). */
	ot_kinds_set_legacy(ot_probe_legacy_kinds());
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		int st = commands[i].fn(argc - 1, argv + 1);
		char why[160];
		/* Output that could not be written is never a silent success. */
		if (ot_stdout_check(why, sizeof(why))) {
			fprintf(stderr, "opentrail: %s\n", why);
			return 2;
		}
		return st;
	}
	fprintf(stderr, "opentrail: unknown command '%s' (try: opentrail --help)\n", argv[1]);
	return 2;
}
