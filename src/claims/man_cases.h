/* SPDX-License-Identifier: MIT */
/* The cases that provoke an error of the man pages (cases/manerrors.h): a case of the
 * error's family with a claim "user N == -1 ERR", read from its parsed claims. */
#ifndef OT_CLAIMS_MAN_CASES_H
#define OT_CLAIMS_MAN_CASES_H

#include <stddef.h>

#include "cases/catalogue.h"
#include "cases/manerrors.h"

/* The catalogue's cases of FAMILY whose program sees ERR, in catalogue order: up to
 * MAX of them into OUT; returns how many there are. */
size_t ot_man_error_cases(const char *err, enum ot_man_family family, const struct ot_case **out,
			  size_t max);

#endif
