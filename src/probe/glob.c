// SPDX-License-Identifier: MIT
/* The glob of `trace --path` (see glob.h). */
#include "probe/glob.h"

#include <stdio.h>
#include <string.h>

/* One bracket expression at P (just after its `[`) into token bit BIT; returns the
 * bytes it took, or -1 with WHY. */
static int compile_set(const char *p, uint64_t bit, struct ot_glob *g, char *why, size_t whysz)
{
	const char *q = p;
	bool neg = false, set[256] = {false};

	if (*q == '!' || *q == '^') {
		neg = true;
		q++;
	}
	for (bool first = true; first || *q != ']'; first = false) {
		unsigned char lo, hi;

		if (!*q) {
			snprintf(why, whysz,
				 "the `[` is not closed (write `\\[` for the byte itself)");
			return -1;
		}
		if (q[0] == '[' && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
			snprintf(why, whysz,
				 "classes like `[:alpha:]` are not supported (list the bytes: "
				 "`[a-zA-Z]`)");
			return -1;
		}
		if (*q == '\\' && q[1])
			q++;
		lo = (unsigned char)*q++;
		hi = lo;
		if (q[0] == '-' && q[1] && q[1] != ']') {
			q++;
			if (*q == '\\' && q[1])
				q++;
			hi = (unsigned char)*q++;
			if (hi < lo) {
				snprintf(why, whysz,
					 "the range `%c-%c` is reversed (write `%c-%c`)", lo, hi,
					 hi, lo);
				return -1;
			}
		}
		for (unsigned c = lo; c <= hi; c++)
			set[c] = true;
	}
	for (unsigned c = 1; c < 256; c++)
		if (set[c] != neg)
			g->lit[c] |= bit;
	return (int)(q + 1 - p);
}

int ot_glob_compile(const char *pat, struct ot_glob *g, char *why, size_t whysz)
{
	size_t len = strlen(pat);

	memset(g, 0, sizeof(*g));
	if (!len) {
		snprintf(why, whysz, "the glob is empty (give one, e.g. '/etc/*')");
		return -1;
	}
	if (len > OT_GLOB_MAX) {
		snprintf(why, whysz,
			 "the glob is %zu bytes long, at most %d are matched in the kernel "
			 "(shorten it, e.g. with `*`)",
			 len, OT_GLOB_MAX);
		return -1;
	}
	for (const char *p = pat; *p;) {
		uint64_t bit = 1ULL << g->ntok;
		int n;

		switch (*p) {
		case '*':
			while (*p == '*') /* `**` is `*` */
				p++;
			g->star |= bit;
			break;
		case '?':
			for (unsigned c = 1; c < 256; c++)
				g->lit[c] |= bit;
			p++;
			break;
		case '[':
			n = compile_set(p + 1, bit, g, why, whysz);
			if (n < 0)
				return -1;
			p += 1 + n;
			break;
		case '\\':
			if (!p[1]) {
				snprintf(why, whysz, "the glob ends in a lone `\\` (write `\\\\`)");
				return -1;
			}
			p++;
			/* fall through */
		default:
			g->lit[(unsigned char)*p++] |= bit;
		}
		g->ntok++;
	}
	return 0;
}

bool ot_glob_match(const struct ot_glob *g, const char *s, size_t n)
{
	uint64_t d = 1;

	d |= (d & g->star) << 1;
	for (size_t i = 0; i < n && s[i]; i++) {
		d = ((d & g->lit[(unsigned char)s[i]]) << 1) | (d & g->star);
		d |= (d & g->star) << 1;
		if (!d)
			return false;
	}
	return (d >> g->ntok) & 1;
}
