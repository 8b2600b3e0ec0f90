// SPDX-License-Identifier: MIT
/* opentrail where: which source line, and which inlined functions, a kernel address is. */
#include <argp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "live/session.h"
#include "srcmap/indexread.h"
#include "srcmap/lineplan.h"
#include "srcmap/srccache.h"

struct where_args {
	const char *index;
	const char *kernel;
	uint64_t ktext;
	int ret_addr;
	const char *lines;
	char **addrs;
	int naddrs;
};

static const char where_doc[] =
    "Print the source line and the chain of inlined functions of kernel addresses, from a "
    "kernel's source index (built by `opentrail debuginfo`).\v"
    "ADDR is a running kernel's address when --ktext gives that kernel's _text (KASLR is "
    "undone), else a link-time address. With --return, ADDR is a return address and the call "
    "instruction before it is resolved (what the call records' caller= field holds).\n\n"
    "EXAMPLES:\n"
    "  opentrail where --kernel 6.12.117+deb12-cloud-amd64 --return ffffffff8145d921\n"
    "  opentrail where --index srcindex --ktext ffffffff9a000000 --return ffffffff9a45d921\n"
    "  opentrail where --kernel 6.12.117+deb12-cloud-amd64 --lines generic_permission";

static const struct argp_option where_opts[] = {
    {"index", 'i', "FILE", 0, "The source index to read", 0},
    {"kernel", 'k', "VERSION", 0, "Read the cached index of kernel VERSION (uname -r)", 0},
    {"ktext", 't', "HEX", 0, "The running kernel's _text (undo KASLR)", 0},
    {"return", 'r', 0, 0, "ADDR is a return address: resolve its call instruction", 0},
    {"lines", 'l', "FUNC,...", 0,
     "Instead of addresses: the source lines --lines would probe in these functions "
     "(id, link-time address, file:line, the functions it sits in)",
     0},
    {0},
};

static int parse_hex(const char *s, uint64_t *v)
{
	char *end;

	if (!strncmp(s, "0x", 2))
		s += 2;
	*v = strtoull(s, &end, 16);
	return *s && !*end ? 0 : -1;
}

static error_t where_parse(int key, char *arg, struct argp_state *state)
{
	struct where_args *a = state->input;

	switch (key) {
	case 'i':
		a->index = arg;
		break;
	case 'k':
		a->kernel = arg;
		break;
	case 't':
		if (parse_hex(arg, &a->ktext))
			argp_error(state, "--ktext '%s' is not a hex address", arg);
		break;
	case 'r':
		a->ret_addr = 1;
		break;
	case 'l':
		a->lines = arg;
		break;
	case ARGP_KEY_ARGS:
		a->addrs = state->argv + state->next;
		a->naddrs = state->argc - state->next;
		break;
	case ARGP_KEY_NO_ARGS:
		if (!a->lines)
			argp_error(state, "no ADDR given");
		break;
	case ARGP_KEY_END:
		if (!a->index == !a->kernel)
			argp_error(state, "give exactly one of --index FILE and --kernel VERSION");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* --lines: the plan of the functions named, one point a line. */
static int print_lines(const struct ot_srcindex *ix, const char *list)
{
	struct ot_lineplan plan;
	const char **funcs = NULL;
	char *buf = NULL, why[320];
	int n = ot_split_list(list, &buf, &funcs), ret = 0;

	if (n <= 0 || ot_lineplan_build(ix, funcs, (size_t)n, &plan, why, sizeof(why))) {
		fprintf(stderr, "opentrail: --lines %s: %s\n", list,
			n <= 0 ? "names no function" : why);
		ret = 2;
	} else {
		for (size_t i = 0; i < plan.n; i++)
			printf("%u %016" PRIx64 " %s:%u %s\n", plan.pts[i].id,
			       plan.pts[i].link_addr, plan.pts[i].file, plan.pts[i].line,
			       plan.pts[i].chain);
		ot_lineplan_free(&plan);
	}
	free(funcs);
	free(buf);
	return ret;
}

int cmd_where(int argc, char **argv)
{
	struct where_args a = {0};
	struct argp argp = {where_opts, where_parse, "ADDR...", where_doc, NULL, NULL, NULL};
	struct ot_srcindex ix;
	char path[4096];
	const char *why;
	int worst = 0;

	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	if (a.kernel && ot_srccache_index_path(a.kernel, path, sizeof(path))) {
		fprintf(stderr, "opentrail: no cache directory (set HOME or OPENTRAIL_CACHE)\n");
		return 2;
	}
	if (ot_srcindex_load(a.index ? a.index : path, &ix, &why)) {
		fprintf(stderr, "opentrail: cannot use source index %s: %s%s\n",
			a.index ? a.index : path, why,
			a.kernel ? " (`opentrail debuginfo KERNEL` builds it)" : "");
		return 2;
	}
	if (a.lines) {
		worst = print_lines(&ix, a.lines);
		ot_srcindex_free(&ix);
		return worst;
	}
	for (int i = 0; i < a.naddrs; i++) {
		struct ot_src_frame fr[32];
		uint64_t addr;
		size_t n;

		if (parse_hex(a.addrs[i], &addr)) {
			fprintf(stderr, "opentrail: '%s' is not a hex address\n", a.addrs[i]);
			worst = 2;
			continue;
		}
		uint64_t link = ot_srcindex_unrandomise(&ix, addr, a.ktext) - (a.ret_addr ? 1 : 0);
		n = ot_srcindex_frames(&ix, link, fr, 32);
		printf("%s:", a.addrs[i]);
		if (!n) {
			printf(" not in the index\n");
			worst = worst ? worst : 1;
			continue;
		}
		for (size_t j = 0; j < n; j++)
			printf("%s %s%s %s:%u", j ? " <-" : "", fr[j].func,
			       fr[j].inlined ? " (inlined)" : "", fr[j].file ? fr[j].file : "?",
			       fr[j].line);
		if (a.ret_addr) {
			struct ot_src_frame at[32];

			if (ot_srcindex_frames(&ix, link + 1, at, 32) == n &&
			    at[0].func == fr[0].func)
				printf("; resumes at %s:%u", at[0].file ? at[0].file : "?",
				       at[0].line);
		}
		putchar('\n');
	}
	ot_srcindex_free(&ix);
	return worst;
}
