// SPDX-License-Identifier: MIT
/* The architecture as a dimension of the site: a report's architecture is the one
 * its kernel release names (Debian's flavours end in -amd64 or -arm64), kernels are
 * ordered by architecture and then by version, and the kernels of two architectures
 * are paired by their series (6.12 of 6.12.118+deb13-cloud-arm64). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "site/model.h"

/* Debian's name of each architecture the lab boots, the other spellings a release may
 * end in, and how the pages name it; in the order the matrix shows them. */
static const struct {
	const char *arch, *alias, *label;
} arches[] = {
    {"amd64", "x86_64", "x86-64"},
    {"arm64", "aarch64", "arm64"},
};
#define NARCHES (sizeof(arches) / sizeof(arches[0]))

static bool ends_with_word(const char *s, const char *w)
{
	size_t n = strlen(s), k = strlen(w);

	return n > k && !strcmp(s + n - k, w) &&
	       (s[n - k - 1] == '-' || s[n - k - 1] == '.' || s[n - k - 1] == '_' ||
		s[n - k - 1] == '+');
}

const char *site_arch_of(const char *kernel)
{
	for (size_t i = 0; kernel && i < NARCHES; i++)
		if (ends_with_word(kernel, arches[i].arch) ||
		    ends_with_word(kernel, arches[i].alias))
			return arches[i].arch;
	return "";
}

const char *site_arch_label(const char *arch)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (!strcmp(arch, arches[i].arch))
			return arches[i].label;
	return "unknown (the release names none)";
}

int site_arch_rank(const char *arch)
{
	for (size_t i = 0; i < NARCHES; i++)
		if (!strcmp(arch, arches[i].arch))
			return (int)i;
	return (int)NARCHES;
}

int site_kernel_cmp(const char *a, const char *b)
{
	int ra = site_arch_rank(site_arch_of(a)), rb = site_arch_rank(site_arch_of(b));

	return ra != rb ? ra - rb : strverscmp(a, b);
}

bool site_series(const char *kernel, char *out, size_t sz)
{
	const char *p = kernel;

	if (!isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '.' || !isdigit((unsigned char)p[1]))
		return false;
	for (p++; isdigit((unsigned char)*p); p++)
		;
	snprintf(out, sz, "%.*s", (int)(p - kernel), kernel);
	return true;
}
