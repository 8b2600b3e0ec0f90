// SPDX-License-Identifier: MIT
/* The operands of claims: literals, comparison operators, selectors and quoted
 * source text, parsed into a claim's payload; comparisons of numbers (see kind.h). */
#include "claims/kind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/spec.h"

int ot_claim_error(char *err, size_t errsz, const char *want)
{
	snprintf(err, errsz, "want %s", want);
	return -1;
}

int ot_claim_parse_sel(struct ot_claim *cl, const char *text, char *err, size_t errsz)
{
	if (ot_sel_parse(text, &cl->sel[cl->nsel], err, errsz))
		return -1;
	snprintf(cl->seltext[cl->nsel], sizeof(cl->seltext[0]), "%s", text);
	cl->nsel++;
	return 0;
}

int ot_claim_parse_number(const char *s, int64_t *out)
{
	char *end;

	if (!strcmp(s, "NULL")) {
		*out = 0;
		return 0;
	}
	if (!strcmp(s, "AT_FDCWD")) {
		*out = -100;
		return 0;
	}
	if (!strncmp(s, "len(\"", 5) && strlen(s) >= 7 && !strcmp(s + strlen(s) - 2, "\")")) {
		*out = (int64_t)strlen(s) - 7;
		return 0;
	}
	if ((s[0] == '-' && s[1] == 'E') || s[0] == 'E') {
		int e = ot_errno_from_name(s[0] == '-' ? s + 1 : s);
		if (e < 0)
			return -1;
		*out = -e;
		return 0;
	}
	long long v = strtoll(s, &end, 0);
	if (*end) {
		unsigned long long u = strtoull(s, &end, 0);
		if (*end)
			return -1;
		v = (long long)u;
	}
	*out = v;
	return 0;
}

bool ot_claim_valid_op(const char *op)
{
	static const char *const ops[] = {"==", "!=", "<", "<=", ">", ">=", "&", NULL};
	for (int i = 0; ops[i]; i++)
		if (!strcmp(op, ops[i]))
			return true;
	return false;
}

bool ot_claim_compare(int64_t a, const char *op, int64_t b)
{
	if (!strcmp(op, "=="))
		return a == b;
	if (!strcmp(op, "!="))
		return a != b;
	if (!strcmp(op, "<"))
		return a < b;
	if (!strcmp(op, "<="))
		return a <= b;
	if (!strcmp(op, ">"))
		return a > b;
	if (!strcmp(op, ">="))
		return a >= b;
	if (!strcmp(op, "&"))
		return (a & b) == b;
	return false;
}

int ot_claim_parse_text(const char *q, char *out, size_t sz, char *err, size_t errsz)
{
	size_t n = strlen(q);

	if (n < 3 || q[0] != '"' || q[n - 1] != '"' || n - 2 >= sz)
		return ot_claim_error(err, errsz,
				      "a line's source text in quotes, e.g. \"return -EACCES\"");
	snprintf(out, sz, "%.*s", (int)(n - 2), q + 1);
	return 0;
}
