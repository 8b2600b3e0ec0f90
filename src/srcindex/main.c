// SPDX-License-Identifier: MIT
/* opentrail-srcindex: builds a kernel's compact source index (docs/source-index.md)
 * from its DWARF vmlinux. The only part of opentrail that needs libdw; the reports
 * read the index it writes (src/srcmap/indexread.c). */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srcindex/dwarfwalk.h"

struct args {
	struct ot_walk_opts w;
	const char *out;
	const char *vmlinux;
};

static const char doc[] =
    "Build the compact source index of a kernel from its DWARF vmlinux: the compilation "
    "units that define the functions named with --func (and those holding the addresses "
    "given with --addr), with their inlined instances, line table and definitions.\v"
    "EXAMPLES:\n"
    "  opentrail-srcindex --kernel 6.12.117+deb12-cloud-amd64 --func do_filp_open \\\n"
    "      --func d_alloc_parallel --out srcindex vmlinux-6.12.117+deb12-cloud-amd64";

static const struct argp_option opts[] = {
    {"kernel", 'k', "VERSION", 0, "The kernel's uname -r, written into the index", 0},
    {"func", 'f', "NAME[,NAME...]", 0, "Index the units defining these functions", 0},
    {"addr", 'a', "HEX[@KTEXT]", 0,
     "Index the unit holding this address: link-time, or a running kernel's whose _text was KTEXT",
     0},
    {"text-symbol", 't', "SYM", 0, "The symbol whose address KASLR moves (default _text)", 0},
    {"out", 'o', "FILE", 0, "Write the index to FILE (atomically)", 0},
    {0},
};

static int add_word(char ***arr, size_t *n, const char *w)
{
	char **p = realloc(*arr, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	*arr = p;
	p[(*n)++] = (char *)w;
	return 0;
}

static error_t parse(int key, char *arg, struct argp_state *state)
{
	struct args *a = state->input;
	char *end;

	switch (key) {
	case 'k':
		a->w.kernel = arg;
		break;
	case 'f':
		for (char *tok = strtok(arg, ","); tok; tok = strtok(NULL, ","))
			if (add_word(&a->w.funcs, &a->w.nfuncs, tok))
				argp_failure(state, 2, ENOMEM, "--func");
		break;
	case 'a': {
		uint64_t v = strtoull(arg, &end, 16), kt = 0;
		struct ot_walk_addr *p = realloc(a->w.addrs, (a->w.naddrs + 1) * sizeof(*p));

		if (*end == '@' && end[1])
			kt = strtoull(end + 1, &end, 16);
		if (!*arg || *end)
			argp_error(state, "--addr '%s' is not HEX or HEX@KTEXT", arg);
		if (!p)
			argp_failure(state, 2, ENOMEM, "--addr");
		a->w.addrs = p;
		p[a->w.naddrs++] = (struct ot_walk_addr){v, kt};
		break;
	}
	case 't':
		a->w.text_symbol = arg;
		break;
	case 'o':
		a->out = arg;
		break;
	case ARGP_KEY_ARG:
		if (a->vmlinux)
			argp_error(state, "one VMLINUX only (got '%s' and '%s')", a->vmlinux, arg);
		a->vmlinux = arg;
		break;
	case ARGP_KEY_END:
		if (!a->vmlinux)
			argp_error(state, "no VMLINUX given");
		if (!a->out || !a->w.kernel)
			argp_error(state, "--out and --kernel are required");
		if (!a->w.nfuncs && !a->w.naddrs)
			argp_error(state, "nothing to index: give --func or --addr");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct args a = {.w = {.text_symbol = "_text"}};
	struct argp argp = {opts, parse, "VMLINUX", doc, NULL, NULL, NULL};
	char tmp[4096];
	FILE *f;
	int r;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, 0, NULL, &a))
		return 2;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", a.out, (int)getpid()) >= (int)sizeof(tmp)) {
		fprintf(stderr, "opentrail-srcindex: output path too long: %s\n", a.out);
		return 2;
	}
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "opentrail-srcindex: cannot write %s: %s\n", tmp, strerror(errno));
		return 2;
	}
	r = ot_walk_vmlinux(a.vmlinux, &a.w, f);
	if (fclose(f))
		r = r ? r : 2;
	if (!r && rename(tmp, a.out)) {
		fprintf(stderr, "opentrail-srcindex: cannot rename %s to %s: %s\n", tmp, a.out,
			strerror(errno));
		r = 2;
	}
	if (r)
		remove(tmp);
	free(a.w.funcs);
	free(a.w.addrs);
	return r;
}
