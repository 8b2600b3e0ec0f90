/* SPDX-License-Identifier: MIT */
/* Every error the man pages give for open(2)/openat(2)/openat2(2) and socket(2),
 * and where each stands: the cases that provoke it (found by their claims, a claim
 * "user N == -1 ERR" of a case of that family: claims/man_cases.h), or why none does. */
#ifndef OT_MANERRORS_H
#define OT_MANERRORS_H

#include <stddef.h>

#include "cases/catalogue.h"

enum ot_man_family { OT_MAN_OPEN, OT_MAN_SOCKET };

enum ot_man_status {
	OT_MAN_PROVOKABLE, /* the real mechanism exists on Debian's kernels */
	OT_MAN_CANNOT,	   /* only something Debian's kernels lack provokes it */
};

struct ot_man_error {
	const char *err;
	enum ot_man_family family;
	const char *calls; /* the calls the man pages name it for */
	const char *when;  /* the man page's condition, in short */
	enum ot_man_status status;
	/* CANNOT: why; PROVOKABLE: what a case needs, for an error no case provokes yet
	 * (NULL: nothing beyond a trigger) */
	const char *note;
};

size_t ot_man_error_count(void);
const struct ot_man_error *ot_man_error_at(size_t i);
/* The family of a case: socket() when its anchor is a socket function. */
enum ot_man_family ot_case_family(const struct ot_case *c);

#endif
