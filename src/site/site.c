// SPDX-License-Identifier: MIT
#include "site/site.h"

#include <stdio.h>

#include "site/model.h"

int ot_site_build(const char *out, char *const *dirs, int ndirs, char *err, size_t errsz)
{
	struct site s = {0};
	int rc = -1;

	if (site_load(&s, dirs, ndirs, err, errsz))
		goto out;
	s.out = out;
	for (size_t i = 0; i < s.n; i++)
		if (site_write_run(&s, &s.r[i], err, errsz))
			goto out;
	for (size_t c = 0; c < s.ncases; c++)
		if (site_write_compare(&s, s.cases[c], err, errsz))
			goto out;
	rc = site_write_index(&s, err, errsz);
out:
	site_free(&s);
	return rc;
}
