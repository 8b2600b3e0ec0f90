// SPDX-License-Identifier: MIT
/* opentrail list: the case catalogue. */
#include <argp.h>
#include <stdbool.h>
#include <stdio.h>

#include "cases/catalogue.h"
#include "cli/commands.h"

static const char list_doc[] = "List the cases opentrail can run and verify.\v"
			       "EXAMPLES:\n"
			       "  opentrail list\n"
			       "  opentrail list -v        # with probe sets, claims and kernel notes";

static const struct argp_option list_opts[] = {
	{ "verbose", 'v', NULL, 0, "Show each case's probes, claims and notes", 0 },
	{ 0 },
};

static error_t list_parse(int key, char *arg, struct argp_state *state)
{
	bool *verbose = state->input;

	(void)arg;
	switch (key) {
	case 'v':
		*verbose = true;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

int cmd_list(int argc, char **argv)
{
	bool verbose = false;
	struct argp argp = { list_opts, list_parse, NULL, list_doc, NULL, NULL, NULL };

	if (argp_parse(&argp, argc, argv, 0, NULL, &verbose))
		return 2;
	for (size_t i = 0; i < ot_case_count(); i++) {
		const struct ot_case *c = ot_case_at(i);

		printf("%-28s %s\n", c->id, c->title);
		if (!verbose)
			continue;
		printf("    intent:  %s\n", c->intent);
		printf("    trigger: %s   operations: calls of %s\n", c->trigger ? c->trigger : "-",
		       c->anchor);
		printf("    probes:  %s\n", c->probes);
		for (int k = 0; k < OT_MAX_CASE_CLAIMS && c->claims[k]; k++)
			printf("    claim:   %s\n", c->claims[k]);
		if (c->notes)
			printf("    why:     %s\n", c->notes);
		printf("\n");
	}
	return 0;
}
