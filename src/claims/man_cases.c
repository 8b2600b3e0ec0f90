// SPDX-License-Identifier: MIT
/* The cases that provoke an error of the man pages (see man_cases.h). */
#include "claims/man_cases.h"

#include <stdbool.h>
#include <string.h>

#include "claims/claims.h"

/* Does claim CL say the program's call saw ERR ("user N == -1 ERR")? */
static bool user_saw(const struct ot_claim *cl, const char *err)
{
	return cl && cl->kind == OT_CLAIM_USER && cl->u.user.form == OT_USER_ERR &&
	       !strcmp(cl->u.user.value, err);
}

size_t ot_man_error_cases(const char *err, enum ot_man_family family, const struct ot_case **out,
			  size_t max)
{
	size_t found = 0;

	for (size_t i = 0; i < ot_case_count(); i++) {
		const struct ot_case *c = ot_case_at(i);
		bool sees = false;

		if (ot_case_family(c) != family)
			continue;
		for (int k = 0; k < OT_MAX_CASE_CLAIMS && c->claims[k] && !sees; k++)
			sees = user_saw(ot_case_claim(c, k), err);
		if (!sees)
			continue;
		if (found < max)
			out[found] = c;
		found++;
	}
	return found;
}
