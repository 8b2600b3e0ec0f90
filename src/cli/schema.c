// SPDX-License-Identifier: MIT
/* opentrail schema: the JSON report's schema, or reports checked against it. */
#include <argp.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/commands.h"
#include "report/report_schema.h"
#include "site/report_check.h"

static const char schema_doc[] =
    "Print the JSON report's schema (Markdown: every object, key, type and meaning), or "
    "check reports against it.\v"
    "Exit status: 0 every report conforms, 1 one does not (each problem is printed as "
    "PATH: what), 2 a file cannot be read or is not JSON.\n\n"
    "EXAMPLES:\n"
    "  opentrail schema > report-schema.md\n"
    "  opentrail schema --check out/6.12/bpf/case17_missing_file.json";

static const struct argp_option schema_opts[] = {
    {"check", 'c', NULL, 0, "Check the REPORT.json files given against the schema", 0},
    {0},
};

struct schema_args {
	bool check;
	char **files;
	int nfiles;
};

static error_t schema_parse(int key, char *arg, struct argp_state *state)
{
	struct schema_args *a = state->input;

	(void)arg;
	switch (key) {
	case 'c':
		a->check = true;
		return 0;
	case ARGP_KEY_ARGS:
		a->files = state->argv + state->next;
		a->nfiles = state->argc - state->next;
		return 0;
	case ARGP_KEY_END:
		if (a->check && !a->nfiles)
			argp_error(state, "--check needs at least one REPORT.json");
		if (!a->check && a->nfiles)
			argp_error(state, "reports are given with --check");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int cmd_schema(int argc, char **argv)
{
	struct schema_args a = {0};
	struct argp argp = {schema_opts, schema_parse, "[--check REPORT.json...]", schema_doc, NULL,
			    NULL,	 NULL};
	int st = 0;

	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	if (!a.check) {
		ot_report_schema_markdown(stdout);
		return fflush(stdout) ? 2 : 0;
	}
	for (int i = 0; i < a.nfiles; i++) {
		char err[512];
		json_object *root = site_json_read(a.files[i], err, sizeof(err));
		size_t n;

		if (!root) {
			fprintf(stderr, "opentrail schema: %s\n", err);
			st = 2;
			continue;
		}
		printf("%s:\n", a.files[i]);
		n = site_report_check(root, stdout, 50);
		json_object_put(root);
		if (n > 50)
			printf("  (%zu problems in all)\n", n);
		printf("  %s\n", n ? "does not conform" : "conforms");
		if (n && st == 0)
			st = 1;
	}
	return st;
}
