// SPDX-License-Identifier: MIT
/* opentrail list: the case catalogue, or the probe spec. */
#include <argp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cases/catalogue.h"
#include "cases/manerrors.h"
#include "claims/man_cases.h"
#include "probe/explain.h"
#include "probe/spec.h"
#include "cli/commands.h"

static const char list_doc[] =
	"List the cases opentrail can run and verify, or the kernel functions it can probe.\v"
	"EXAMPLES:\n"
	"  opentrail list\n"
	"  opentrail list -v        # with probe sets, claims and kernel notes\n"
	"  opentrail list -p -v     # the probe spec with each function's fields\n"
	"  opentrail list --errors  # every error of the man pages: its cases, or why none";

static const struct argp_option list_opts[] = {
	{ "verbose", 'v', NULL, 0, "Show each case's probes, claims and notes", 0 },
	{ "probes", 'p', NULL, 0, "List the probe spec: functions, return kinds, fields", 0 },
	{ "errors", 'e', NULL, 0,
	  "List the errors open(2), openat2(2) and socket(2) can return: the cases that "
	  "provoke each, or what a case needs, or why none can", 0 },
	{ "btf", 'b', "FILE", 0,
	  "With --probes: resolve every function against this BTF (a vmlinux or a raw BTF file)", 0 },
	{ 0 },
};

struct list_args {
	bool verbose;
	bool probes;
	bool errors;
	const char *btf;
};

static error_t list_parse(int key, char *arg, struct argp_state *state)
{
	struct list_args *a = state->input;

	(void)arg;
	switch (key) {
	case 'v':
		a->verbose = true;
		return 0;
	case 'p':
		a->probes = true;
		return 0;
	case 'e':
		a->errors = true;
		return 0;
	case 'b':
		a->btf = arg;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void print_fields(const char *what, const struct ot_field_spec *f)
{
	printf("    %s:", what);
	for (size_t i = 0; i < OT_MAX_FIELDS && f[i].key; i++)
		printf(" %s(%s%s)", f[i].key, ot_field_kind_name(f[i].kind),
		       f[i].on_stack ? ",stack" : "");
	printf("\n");
}

/* The probe spec: "FUNC  RETKIND  what it does", with -v its fields. */
static void list_probes(bool verbose)
{
	static const char *const rets[] = { "ptr", "int", "long", "void" };

	for (size_t i = 0; i < ot_probe_count(); i++) {
		const struct ot_probe *p = ot_probe_at(i);

		printf("%-24s %-5s %s\n", p->func, rets[p->ret_kind], p->doc);
		if (!verbose)
			continue;
		char names[256];

		if (ot_probe_names(p, names, sizeof(names)))
			printf("    names: %s\n", names);
		print_fields("entry", p->entry);
		print_fields("ret  ", p->ret);
	}
}

/* "ERRNO  CALLS  cases | no case yet: needs ... | cannot be provoked: why", with -v
 * the man page's condition. */
static void list_errors(bool verbose)
{
	for (size_t i = 0; i < ot_man_error_count(); i++) {
		const struct ot_man_error *e = ot_man_error_at(i);
		const struct ot_case *cases[16];
		size_t n = ot_man_error_cases(e->err, e->family, cases, 16);

		printf("%-16s %-22s ", e->err, e->calls);
		if (e->status == OT_MAN_CANNOT)
			printf("cannot be provoked: %s", e->note);
		else if (!n)
			printf("no case yet%s%s", e->note ? ": needs " : "", e->note ? e->note : "");
		for (size_t k = 0; e->status != OT_MAN_CANNOT && k < n && k < 16; k++)
			printf("%s%s", k ? ", " : "", cases[k]->id);
		printf("\n");
		if (verbose)
			printf("    when: %s\n", e->when);
	}
}

static void list_cases(bool verbose)
{
	int width = 0;

	for (size_t i = 0; i < ot_case_count(); i++) {
		int n = (int)strlen(ot_case_at(i)->id);

		width = n > width ? n : width;
	}
	for (size_t i = 0; i < ot_case_count(); i++) {
		const struct ot_case *c = ot_case_at(i);

		printf("%-*s %s\n", width, c->id, c->title);
		if (!verbose)
			continue;
		printf("    intent:  %s\n", c->intent);
		printf("    trigger: %s   operations: calls of %s\n", c->trigger ? c->trigger : "-",
		       c->anchor);
		printf("    probes:  %s\n", c->probes);
		if (c->lines)
			printf("    lines:   %s\n", c->lines);
		for (int k = 0; k < OT_MAX_CASE_CLAIMS && c->claims[k]; k++)
			printf("    claim:   %s\n", c->claims[k]);
		if (c->notes)
			printf("    why:     %s\n", c->notes);
		printf("\n");
	}
}

int cmd_list(int argc, char **argv)
{
	struct list_args a = { 0 };
	struct argp argp = { list_opts, list_parse, NULL, list_doc, NULL, NULL, NULL };

	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	if (a.btf) {
		char why[512];

		if (ot_probe_explain(stdout, a.btf, why, sizeof(why))) {
			fprintf(stderr, "opentrail list: %s\n", why);
			return 2;
		}
	} else if (a.probes)
		list_probes(a.verbose);
	else if (a.errors)
		list_errors(a.verbose);
	else
		list_cases(a.verbose);
	return 0;
}
